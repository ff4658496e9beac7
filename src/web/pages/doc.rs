//! `/doc`: one document — full text, metadata, its URL (linked only when http/https),
//! broadcast cue times, copies, and more from the same outlet that day.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::State;
use axum::response::Html;

use super::doc_copies::{self, Near};
use super::search::doc_href;
use crate::index::stored::StoredDocument;
use crate::index::writer::split_key;
use crate::model::document_key;
use crate::search::{self, show, Filters, Hit, SearchError, SearchRequest, SortOrder, Subset};
use crate::web::html::{self, attr, text};
use crate::web::params::Params;
use crate::web::{App, WebError};

/// Documents listed under "more from this outlet that day".
pub const SAME_DAY: usize = 20;
/// Copies of a document listed (each kind: marked copies, skipped duplicates, near copies).
pub const COPIES: usize = 50;

struct Shown {
    doc: StoredDocument,
    copies: Vec<(String, String)>,
    same_day: Vec<Hit>,
    same_day_total: u64,
    published: String,
}

/// `GET /doc?doc-outlet=OUTLET&id=ID`.
pub async fn page(State(app): State<Arc<App>>, params: Params) -> Result<Html<String>, WebError> {
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
            // Outlet and id name one document; none is a page not found.
            let doc = show::find(&searcher, index, &id, Some(&outlet)).map_err(|e| match e {
                SearchError::Filter(message) => WebError::NotFound(message),
                other => other.into(),
            })?;
            let copies = show::copies_of(
                &searcher,
                index,
                &document_key(&doc.outlet, &doc.id),
                COPIES,
            )?
            .into_iter()
            .map(|c| (c.outlet, c.id))
            .collect();
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
                    subset: Subset {
                        filters,
                        ..Subset::default()
                    },
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
    let duplicates = doc_copies::duplicates(&app, ix).await?;
    let near = if d.day.is_empty() {
        Near::Skipped { documents: 0 }
    } else {
        doc_copies::near(&app, ix, &d.day).await?
    };
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
    if let Some(skipped) = duplicates.by_original.get(&d.id) {
        let shown_ones: Vec<String> = skipped
            .iter()
            .take(COPIES)
            .map(|s| {
                format!(
                    "{} <span class=\"note\">{} line {}</span>",
                    text(&s.id),
                    text(&s.file),
                    s.line
                )
            })
            .collect();
        let more = skipped.len().saturating_sub(COPIES);
        row(
            "skipped at ingest",
            format!(
                "<span class=\"skipped\">{}</span>{}",
                shown_ones.join(", "),
                if more > 0 {
                    format!(" <span class=\"note\">and {more} more</span>")
                } else {
                    String::new()
                }
            ),
        );
    }
    row("near copies", near_copies(&params, &near, d));
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
                html::link(&doc_href(&params, &hit.labels.outlet, &hit.id), title),
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

/// The near-duplicate cluster of `d` as links with similarity and lag, or why there is none.
fn near_copies(params: &Params, near: &Near, d: &StoredDocument) -> String {
    let (from, to, documents, clusters) = match near {
        Near::Skipped { documents: 0 } => return html::note("undated: not searched"),
        Near::Skipped { documents } => {
            return html::note(&format!(
                "not searched: {documents} documents that day (at most {} are compared)",
                doc_copies::NEAR_WINDOW_MOST
            ))
        }
        Near::Searched {
            from,
            to,
            documents,
            clusters,
        } => (from, to, documents, clusters),
    };
    let searched = format!(
        "among the {documents} documents of {from} to {to}, estimated similarity ≥ {}",
        crate::stats::copies::DEFAULT_MIN_SIMILARITY
    );
    let Some(cluster) = clusters.iter().find(|c| {
        c.documents
            .iter()
            .any(|m| m.document.outlet == d.outlet && m.document.id == d.id)
    }) else {
        return html::note(&format!("none {searched}"));
    };
    let mut out = String::from("<ul class=\"near-copies\">");
    for m in cluster
        .documents
        .iter()
        .filter(|m| !(m.document.outlet == d.outlet && m.document.id == d.id))
        .take(COPIES)
    {
        let lag = m
            .lag_hours
            .map(|h| format!(", {h:+.1} h after the first"))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<li><a href=\"{}\">{} {}</a> <span class=\"note\">similarity to the first {:.2}{lag}</span></li>",
            attr(&doc_href(params, &m.document.outlet, &m.document.id)),
            text(&m.document.outlet),
            text(&m.document.id),
            m.similarity,
        );
    }
    out.push_str("</ul>");
    let more = cluster.size.saturating_sub(COPIES + 1);
    out.push_str(&html::note(&format!(
        "cluster of {} documents from {} outlets{} {searched}",
        cluster.size,
        cluster.outlets.len(),
        if more > 0 {
            format!(" ({more} not listed)")
        } else {
            String::new()
        }
    )));
    out
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
