//! HTML for the pages: the one place page text is escaped ([`text`], [`attr`]), the page
//! shell with its navigation, and small builders (links, tables of cells).
//!
//! Untrusted text — titles, document text, outlet names, queries — only ever reaches a page
//! through [`text`] or [`attr`]: markup is escaped, and invisible bidirectional controls (an
//! RTL override reverses what follows it) are shown as visible code points instead.

use std::fmt::Write as _;

use crate::escape;
use crate::report::doc::Inline;

/// Element content for untrusted text: markup escaped, bidirectional and other invisible
/// format characters shown as `⟨U+202E⟩` so they cannot reorder or hide what follows.
pub fn text(s: &str) -> String {
    let escaped = escape::html(s);
    if !escaped.chars().any(escape::is_format_character) {
        return escaped;
    }
    let mut out = String::with_capacity(escaped.len() + 16);
    for c in escaped.chars() {
        if escape::is_format_character(c) {
            let _ = write!(out, "<span class=\"ctl\">⟨U+{:04X}⟩</span>", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// Text with highlighted matches (a hit's snippet as the report builds it) as element
/// content: every run escaped by [`text`], matches in `<mark>`.
pub fn marked(runs: &[Inline]) -> String {
    let mut out = String::new();
    for run in runs {
        match run {
            Inline::Mark(s) => {
                let _ = write!(out, "<mark>{}</mark>", text(s));
            }
            Inline::Strong(s) => {
                let _ = write!(out, "<strong>{}</strong>", text(s));
            }
            Inline::Text(s) | Inline::Code(s) => out.push_str(&text(s)),
            // Colour swatches and classed spans are report furniture, not snippet text.
            Inline::Swatch(_) | Inline::Span { .. } => {}
        }
    }
    out
}

/// A quoted attribute value (also an `href` built by [`super::params`]).
pub fn attr(s: &str) -> String {
    escape::html(s)
}

/// A link to a page of this server; `href` is a path with a query string built by
/// [`super::params::Params::url`].
pub fn link(href: &str, label: &str) -> String {
    format!("<a href=\"{}\">{}</a>", attr(href), text(label))
}

/// An outside link: only `http:` and `https:` URLs become links (opened without referrer or
/// opener); anything else (`javascript:`, `data:`...) is shown as text.
pub fn outside_link(url: &str) -> String {
    let lower = url.trim_start().to_ascii_lowercase();
    if (lower.starts_with("http://") || lower.starts_with("https://"))
        && !url.contains(char::is_whitespace)
    {
        format!(
            "<a href=\"{}\" rel=\"noopener noreferrer\" target=\"_blank\">{}</a>",
            attr(url),
            text(url)
        )
    } else {
        format!("<span class=\"url\">{}</span>", text(url))
    }
}

/// Pages in the navigation bar: path and label.
const NAV: [(&str, &str); 6] = [
    ("/search", "Search"),
    ("/kwic", "KWIC"),
    ("/compare", "Compare"),
    ("/timeline", "Timeline"),
    ("/saved", "Saved"),
    ("/", "Start"),
];

/// A whole page: `title` (untrusted parts escaped here), the navigation keeping the current
/// query (`carry`, a query string without `?`), and the body (already HTML).
pub fn page(title: &str, carry: &str, body: &str) -> axum::response::Html<String> {
    let mut nav = String::new();
    for (path, label) in NAV {
        let href = if carry.is_empty() || path == "/" || path == "/saved" {
            path.to_string()
        } else {
            format!("{path}?{carry}")
        };
        let _ = write!(nav, "<a href=\"{}\">{label}</a> ", attr(&href));
    }
    axum::response::Html(format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{} · mediawatch</title><link rel=\"stylesheet\" href=\"/style.css\"></head>\
<body><header><strong>mediawatch</strong> <nav>{nav}</nav></header><main>\n<h1>{}</h1>\n{body}\n</main></body></html>\n",
        text(title),
        text(title)
    ))
}

/// A table: header cells (plain labels) and rows of cells that are already HTML; `classes`
/// names each column's class (`num` sets it right-aligned; missing or empty: none).
pub fn table(class: &str, header: &[&str], classes: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = format!(
        "<div class=\"scroll\"><table class=\"{}\"><thead><tr>",
        attr(class)
    );
    for (i, h) in header.iter().enumerate() {
        let _ = write!(out, "<th{}>{}</th>", cell_class(classes, i), text(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let _ = write!(out, "<td{}>{cell}</td>", cell_class(classes, i));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    out
}

fn cell_class(classes: &[&str], i: usize) -> String {
    match classes.get(i) {
        Some(c) if !c.is_empty() => format!(" class=\"{}\"", attr(c)),
        _ => String::new(),
    }
}

/// A text input of a GET form.
pub fn input(name: &str, label: &str, value: &str, size: usize) -> String {
    format!(
        "<label>{} <input name=\"{}\" value=\"{}\" size=\"{size}\"></label> ",
        text(label),
        attr(name),
        attr(value)
    )
}

/// A select of a GET form with fixed choices (value, label).
pub fn select(name: &str, label: &str, value: &str, choices: &[(&str, &str)]) -> String {
    let mut out = format!("<label>{} <select name=\"{}\">", text(label), attr(name));
    for (v, l) in choices {
        let selected = if *v == value { " selected" } else { "" };
        let _ = write!(
            out,
            "<option value=\"{}\"{selected}>{}</option>",
            attr(v),
            text(l)
        );
    }
    out.push_str("</select></label> ");
    out
}

/// A hidden input of a GET form.
pub fn hidden(name: &str, value: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
        attr(name),
        attr(value)
    )
}

/// A note in muted text (the text is untrusted).
pub fn note(s: &str) -> String {
    format!("<p class=\"note\">{}</p>", text(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Repeated shape: small tests of a few assertions each.
    #[test]
    fn text_escapes_markup_and_shows_bidi_controls() {
        assert_eq!(text("<b>"), "&lt;b&gt;");
        assert_eq!(text("a\u{202E}b"), "a<span class=\"ctl\">⟨U+202E⟩</span>b");
    }

    #[test]
    fn only_http_urls_become_links() {
        assert!(
            outside_link("https://x.kz/a?b=1&c=2").contains("href=\"https://x.kz/a?b=1&amp;c=2\"")
        );
        assert!(outside_link("https://x.kz/").contains("rel=\"noopener noreferrer\""));
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "data:text/html,x",
            "//evil",
        ] {
            assert!(!outside_link(bad).contains("href"), "{bad}");
        }
    }
}
