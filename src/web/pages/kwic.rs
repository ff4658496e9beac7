//! `/kwic`: every occurrence of the query's words, groups side by side, sorted by the nearest
//! word left or right or by date, with a frequency breakdown of the matched forms.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, LazyLock};

use axum::extract::State;
use axum::response::Html;

use super::form;
use super::search::doc_href;
use crate::search::{self, KwicLine, KwicOptions, KwicSort, SearchRequest};
use crate::web::html::{self, text};
use crate::web::params::{self, Params};
use crate::web::{App, WebError};

/// Lines shown per group on the page (the export has every line).
pub const SHOWN: usize = 1000;

/// Most lines a page reads (in document order) before sorting and counting them: a common
/// word in a million documents has hundreds of thousands, which no page shows; the page says
/// when it stopped here and the export still has every line.
pub const PAGE_LINES: usize = 400;

/// The page's parameters in canonical order: the selection, then its own.
pub static ORDER: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| params::order(&["by", "sort", "window"]));

const SORTS: [(&str, &str); 4] = [
    ("document", "document order"),
    ("left", "left word (1L)"),
    ("right", "right word (1R)"),
    ("date", "date"),
];

/// Every keyword-in-context line of the page's query (on the blocking pool).
pub async fn lines(app: &Arc<App>, params: &Params) -> Result<Vec<KwicLine>, WebError> {
    Ok(read_lines(app, params, usize::MAX).await?.lines)
}

/// Lines of a query as a page reads them.
struct Read {
    /// The lines, in the page's order.
    lines: Vec<KwicLine>,
    /// True when more lines were left unread.
    more: bool,
    /// Matching documents (exact, counted apart from the lines).
    documents: u64,
}

/// At most `most` lines of the page's query, read in document order and put in the page's
/// sort order.
async fn read_lines(app: &Arc<App>, params: &Params, most: usize) -> Result<Read, WebError> {
    let ix = params.ix()?;
    let window = params.number("window", 6, 1, 30)?;
    let sort = match params.choice("sort", &["document", "left", "right", "date"])? {
        "left" => KwicSort::Left,
        "right" => KwicSort::Right,
        "date" => KwicSort::Date,
        _ => KwicSort::Document,
    };
    let (app2, params) = (app.clone(), params.clone());
    app.heavy(move || {
        let source = app2.source(ix)?;
        let subset = params.subset(source)?;
        if subset.query.trim().is_empty() || subset.query.trim() == "*" {
            return Ok(Read {
                lines: Vec::new(),
                more: false,
                documents: 0,
            });
        }
        let mut request = SearchRequest {
            subset,
            limit: 0,
            kwic: Some(KwicOptions {
                window,
                sort: KwicSort::Document,
            }),
            ..SearchRequest::default()
        };
        let (mut lines, mut more) = (Vec::new(), false);
        search::each_kwic_line(&source.index, &request, &mut |line| {
            if lines.len() == most {
                more = true;
                return false;
            }
            lines.push(line);
            true
        })?;
        search::sort_kwic_lines(&mut lines, sort);
        request.kwic = None;
        let documents = search::search(&source.index, &request)?.total;
        Ok(Read {
            lines,
            more,
            documents,
        })
    })
    .await
}

/// The group of a line under `by` (category or outlet).
pub fn group_of<'l>(line: &'l KwicLine, by: &str) -> &'l str {
    if by == "outlet" {
        &line.outlet
    } else {
        &line.category
    }
}

/// `GET /kwic`.
pub async fn page(State(app): State<Arc<App>>, params: Params) -> Result<Html<String>, WebError> {
    let by = params.choice("by", &["category", "outlet"])?;
    let Read {
        lines,
        more,
        documents,
    } = read_lines(&app, &params, PAGE_LINES).await?;
    let extra = format!(
        "{}{}{}",
        html::select(
            "by",
            "side by side",
            by,
            &[("category", "category"), ("outlet", "outlet")]
        ),
        html::select("sort", "sort", params.or("sort", "document"), &SORTS),
        html::input("window", "words", params.or("window", "6"), 3),
    );
    let mut body = form::selection("/kwic", &params, &extra);
    body.push_str(&form::chips("/kwic", &params, &ORDER));
    if params.get("q").is_none() {
        body.push_str(&html::note(
            "Type a word, phrase or pattern to see every occurrence in context.",
        ));
        return Ok(html::page(
            "Keyword in context",
            &form::carry(&params),
            &body,
        ));
    }
    let mut groups: BTreeMap<&str, Vec<&KwicLine>> = BTreeMap::new();
    for line in &lines {
        groups.entry(group_of(line, by)).or_default().push(line);
    }
    let _ = write!(
        body,
        "<p class=\"total\"><strong id=\"total\">{}{}</strong> occurrences in <strong id=\"documents\">{documents}</strong> matching documents</p>",
        lines.len(),
        if more { "+" } else { "" }
    );
    let capped = groups.values().any(|g| g.len() > SHOWN);
    let cap = if more {
        format!("the page reads the first {PAGE_LINES} lines in document order, sorts and counts those, and shows up to {SHOWN} per group; the download has every line")
    } else if capped {
        format!(
            "the page shows the first {SHOWN} lines per group; the download has all {}",
            lines.len()
        )
    } else {
        String::new()
    };
    body.push_str(&form::actions("kwic", "/kwic", &params, &ORDER, &cap));
    body.push_str(&breakdown(&lines, by));
    body.push_str("<div class=\"cols\">");
    for (group, group_lines) in &groups {
        let _ = write!(
            body,
            "<div class=\"col\"><h2>{} ({})</h2>",
            text(group),
            group_lines.len()
        );
        let rows: Vec<Vec<String>> = group_lines
            .iter()
            .take(SHOWN)
            .map(|l| {
                vec![
                    text(&l.left),
                    format!(
                        "<a href=\"{}\">{}</a>",
                        html::attr(&doc_href(&params, &l.outlet, &l.id)),
                        text(&l.matched)
                    ),
                    text(&l.right),
                    format!(
                        "{}<br><span class=\"note\">{}</span>",
                        text(&l.outlet),
                        text(l.published.get(..10).unwrap_or(&l.published))
                    ),
                ]
            })
            .collect();
        body.push_str(&html::table(
            "kwic",
            &["left", "match", "right", "outlet"],
            &["left", "match", "right", ""],
            &rows,
        ));
        if group_lines.len() > SHOWN {
            body.push_str(&html::note(&format!(
                "{} more lines in the download",
                group_lines.len() - SHOWN
            )));
        }
        body.push_str("</div>");
    }
    body.push_str("</div>");
    Ok(html::page(
        "Keyword in context",
        &form::carry(&params),
        &body,
    ))
}

/// A matched form, its count per group and in all.
pub type FormRow = (String, Vec<u64>, u64);

/// How often each matched form occurs, per group and in all.
pub fn form_counts(lines: &[KwicLine], by: &str) -> (Vec<String>, Vec<FormRow>) {
    let mut groups: Vec<String> = lines.iter().map(|l| group_of(l, by).to_string()).collect();
    groups.sort();
    groups.dedup();
    let mut forms: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for line in lines {
        let g = groups
            .iter()
            .position(|x| x == group_of(line, by))
            .unwrap_or(0);
        forms
            .entry(line.matched.to_lowercase())
            .or_insert_with(|| vec![0; groups.len()])[g] += 1;
    }
    let mut rows: Vec<FormRow> = forms
        .into_iter()
        .map(|(form, counts)| {
            let total = counts.iter().sum();
            (form, counts, total)
        })
        .collect();
    rows.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    (groups, rows)
}

fn breakdown(lines: &[KwicLine], by: &str) -> String {
    let (groups, rows) = form_counts(lines, by);
    let mut header: Vec<&str> = vec!["form"];
    header.extend(groups.iter().map(String::as_str));
    header.push("all");
    let mut num = vec![""];
    num.extend(std::iter::repeat_n("num", groups.len() + 1));
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|(form, counts, total)| {
            let mut row = vec![text(form)];
            row.extend(counts.iter().map(|c| c.to_string()));
            row.push(total.to_string());
            row
        })
        .collect();
    format!(
        "<details open><summary>Matched forms ({})</summary>{}</details>",
        rows.len(),
        html::table("forms", &header, &num, &cells)
    )
}
