//! `/doc`: one document — full text, metadata, its URL (linked only when http/https),
//! broadcast cue times, copies, and more from the same outlet that day.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::response::Html;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use super::search::doc_href;
use crate::index::stored::StoredDocument;
use crate::index::{schema, stored, writer::split_key};
use crate::model::document_key;
use crate::search::{self, Filters, Hit, SearchRequest, SortOrder};
use crate::web::html::{self, attr, text};
use crate::web::params::Params;
use crate::web::{App, WebError};

/// Documents listed under "more from this outlet that day".
pub const SAME_DAY: usize = 20;
/// Copies of a document listed.
pub const COPIES: usize = 50;

struct Shown {
    doc: StoredDocument,
    copies: Vec<(String, String)>,
    same_day: Vec<Hit>,
    same_day_total: u64,
    published: String,
}

/// `GET /doc?doc-outlet=OUTLET&id=ID`.
pub async fn page(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, WebError> {
    let params = Params::parse(raw.as_deref());
    let ix = params.ix()?;
    let (Some(outlet), Some(id)) = (params.get("doc-outlet"), params.get("id")) else {
        return Err(WebError::BadRequest(
            "a document page needs doc-outlet and id".into(),
        ));
    };
    let (outlet, id) = (outlet.to_string(), id.to_string());
    let app2 = app.clone();
    let shown = app
        .heavy(move || {
            let source = app2.source(ix)?;
            let index = &source.index;
            let searcher = index.reader()?.searcher();
            let key_field = index.schema().get_field(schema::KEY)?;
            let key = document_key(&outlet, &id);
            let query = TermQuery::new(
                Term::from_field_text(key_field, &key),
                IndexRecordOption::Basic,
            );
            let found = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
            let Some((_, address)) = found.first() else {
                return Err(WebError::NotFound(format!(
                    "no document {id:?} of outlet {outlet:?} in this index"
                )));
            };
            let doc = stored::load(&searcher, *address)?;
            let copy_field = index.schema().get_field(schema::COPY_OF)?;
            let copies_query = TermQuery::new(
                Term::from_field_text(copy_field, &key),
                IndexRecordOption::Basic,
            );
            let mut copies = Vec::new();
            for (_, address) in
                searcher.search(&copies_query, &TopDocs::with_limit(COPIES).order_by_score())?
            {
                let copy = stored::load(&searcher, address)?;
                copies.push((copy.outlet, copy.id));
            }
            copies.sort();
            let (mut same_day, mut same_day_total) = (Vec::new(), 0);
            if !doc.day.is_empty() {
                let mut filters = Filters {
                    outlets: vec![doc.outlet.clone()],
                    zone: source.zone,
                    ..Filters::default()
                };
                filters.set_from(&doc.day, source.zone)?;
                filters.set_to(&doc.day, source.zone)?;
                let request = SearchRequest {
                    filters,
                    limit: SAME_DAY + 1,
                    sort: SortOrder::Date,
                    ..SearchRequest::default()
                };
                let results = search::search(index, &request)?;
                same_day_total = results.total.saturating_sub(1);
                same_day = results
                    .hits
                    .into_iter()
                    .filter(|h| h.id != doc.id)
                    .take(SAME_DAY)
                    .collect();
            }
            let published = source.zone.show_opt(doc.published.as_ref());
            Ok(Shown {
                doc,
                copies,
                same_day,
                same_day_total,
                published,
            })
        })
        .await?;
    let d = &shown.doc;
    let mut body = String::from("<dl class=\"meta\">");
    let mut row = |name: &str, value: String| {
        let _ = write!(body, "<dt>{}</dt><dd>{value}</dd>", text(name));
    };
    row("outlet", text(&d.outlet));
    row("id", text(&d.id));
    row("published", text(&shown.published));
    row("category", text(&d.category));
    row(
        "language",
        format!("{} ({:.2})", text(&d.lang), d.lang_confidence),
    );
    row("medium", text(&d.medium));
    row(
        "URL",
        d.url.as_deref().map(html::outside_link).unwrap_or_default(),
    );
    row(
        "source",
        format!("{} line {}", text(&d.source_file), d.source_line),
    );
    if let Some(original) = &d.copy_of {
        let (o, i) = split_key(original);
        row(
            "copy of",
            format!(
                "<a class=\"original\" href=\"{}\">{} {}</a>",
                attr(&doc_href(&params, o, i)),
                text(o),
                text(i)
            ),
        );
    }
    if !shown.copies.is_empty() {
        let links: Vec<String> = shown
            .copies
            .iter()
            .map(|(o, i)| {
                format!(
                    "<a href=\"{}\">{} {}</a>",
                    attr(&doc_href(&params, o, i)),
                    text(o),
                    text(i)
                )
            })
            .collect();
        row("copies", links.join(", "));
    }
    body.push_str("</dl>");
    let _ = write!(
        body,
        "<div class=\"doctext\" id=\"text\">{}</div>",
        text(&d.text)
    );
    if !d.cues.is_empty() {
        body.push_str("<h2>Broadcast cues</h2>");
        let rows: Vec<Vec<String>> = d
            .cues
            .iter()
            .map(|c| {
                vec![
                    clock(c.start_ms),
                    clock(c.end_ms),
                    text(d.text.get(c.text_start..c.text_end).unwrap_or("")),
                ]
            })
            .collect();
        body.push_str(&html::table(
            "cues",
            &["from", "to", "text"],
            &["num", "num", ""],
            &rows,
        ));
    }
    if !d.day.is_empty() {
        let _ = write!(
            body,
            "<h2>More from {} on {}</h2><ul class=\"same-day\">",
            text(&d.outlet),
            text(&d.day)
        );
        for hit in &shown.same_day {
            let title = if hit.title.is_empty() {
                "(untitled)"
            } else {
                &hit.title
            };
            let _ = write!(
                body,
                "<li>{} <span class=\"note\">{}</span></li>",
                html::link(&doc_href(&params, &hit.outlet, &hit.id), title),
                text(&hit.published)
            );
        }
        body.push_str("</ul>");
        if shown.same_day_total as usize > shown.same_day.len() {
            body.push_str(&html::note(&format!(
                "{} more that day not listed",
                shown.same_day_total as usize - shown.same_day.len()
            )));
        }
    }
    let title = if d.title.is_empty() {
        "(untitled)"
    } else {
        &d.title
    };
    Ok(html::page(title, "", &body))
}

/// Milliseconds as `h:mm:ss.mmm`.
fn clock(ms: u64) -> String {
    format!(
        "{}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}
