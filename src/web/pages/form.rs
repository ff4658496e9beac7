//! What several pages share: the selection form (query, filters, dates), the active filters
//! as removable chips, and the export and save links of a view.

use std::fmt::Write as _;

use crate::web::html::{self, attr, hidden, input, text};
use crate::web::params::{Params, FILTERS, SELECTION};

/// The selection form posting (by GET) to `action`; `extra` holds the page's own fields
/// (already HTML), `keep` names parameters carried along as hidden inputs.
pub fn selection(action: &str, params: &Params, extra: &str) -> String {
    let mut out = format!(
        "<form class=\"selection\" method=\"get\" action=\"{}\">",
        attr(action)
    );
    if let Some(ix) = params.get("ix") {
        out.push_str(&hidden("ix", ix));
    }
    out.push_str(&input("q", "Query", params.or("q", ""), 48));
    for name in FILTERS {
        out.push_str(&input(name, name, &params.all(name).join(", "), 14));
    }
    for name in FILTERS {
        let excluded = params.all(&format!("exclude-{name}"));
        if !excluded.is_empty() {
            out.push_str(&hidden(&format!("exclude-{name}"), &excluded.join(",")));
        }
    }
    out.push_str(&input("from", "from", params.or("from", ""), 10));
    out.push_str(&input("to", "to", params.or("to", ""), 10));
    out.push_str(extra);
    out.push_str(" <button type=\"submit\">Go</button></form>");
    out
}

/// The active filters, each with a link that removes it from the view at `path`.
pub fn chips(path: &str, params: &Params, order: &[&str]) -> String {
    let mut out = String::new();
    for name in FILTERS {
        for (list, sign) in [(name.to_string(), "="), (format!("exclude-{name}"), "≠")] {
            for value in params.all(&list) {
                let href = params
                    .without(&list, &value)
                    .with("offset", "")
                    .url(path, order);
                let _ = write!(
                    out,
                    "<a href=\"{}\" title=\"remove this filter\">{name} {sign} {} ×</a>",
                    attr(&href),
                    text(&value)
                );
            }
        }
    }
    if out.is_empty() {
        out
    } else {
        format!("<p class=\"chips\">{out}</p>")
    }
}

/// Links to the view's CSV and JSON export and a form saving it under a name.
pub fn actions(view: &str, page: &str, params: &Params, order: &[&str], cap_note: &str) -> String {
    let base = params.with("view", view);
    let mut export_order = vec!["view", "format"];
    export_order.extend_from_slice(order);
    let csv = base.with("format", "csv").url("/export", &export_order);
    let json = base.with("format", "json").url("/export", &export_order);
    let permalink = params.url(page, order);
    format!(
        "<div class=\"actions\">Download: <a class=\"export-csv\" href=\"{}\">CSV</a> · <a class=\"export-json\" href=\"{}\">JSON</a>{} · <a class=\"permalink\" href=\"{}\">permalink</a> · \
<form method=\"post\" action=\"/saved\">{}{}{}<input name=\"name\" placeholder=\"name this search\" size=\"18\" required maxlength=\"200\"> <button type=\"submit\">Save</button></form></div>",
        attr(&csv),
        attr(&json),
        if cap_note.is_empty() { String::new() } else { format!(" <span class=\"note\">({})</span>", text(cap_note)) },
        attr(&permalink),
        hidden("page", page),
        hidden("query", &params.query(order)),
        hidden("ix", params.or("ix", "0")),
    )
}

/// The selection part of the current query (for links to other pages).
pub fn carry(params: &Params) -> String {
    params.query(&SELECTION)
}

/// Group-by choices of the statistics.
pub const GROUPINGS: [(&str, &str); 4] = [
    ("category", "category"),
    ("outlet", "outlet"),
    ("lang", "language"),
    ("medium", "medium"),
];

/// `html::select` of the grouping field.
pub fn by_select(params: &Params) -> String {
    html::select("by", "by", params.or("by", "category"), &GROUPINGS)
}
