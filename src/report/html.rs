//! The HTML backend: a [`Document`] and its charts in, one self-contained HTML page out —
//! inline CSS and inline SVG, no scripts, nothing fetched. Every text of the document is
//! escaped here, in [`inlines`], and nowhere else.

use std::fmt::Write as _;

use crate::escape::html as esc;
use crate::report::backend::{self, Backend};
use crate::report::charts::Chart;
use crate::report::doc::{Card, Document, Inline, Table};

const STYLE: &str = r#"
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #ffffff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 32px 64px; }
h1 { font-size: 28px; line-height: 1.25; margin: 8px 0 4px; }
h2 { font-size: 21px; margin: 40px 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 24px 0 8px; }
h4 { font-size: 14px; margin: 16px 0 4px; }
p, li { max-width: 78ch; }
.lede, .note { color: var(--muted); }
nav ol { columns: 2; padding-left: 20px; margin: 8px 0; }
nav a, a { color: #0b5cad; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; min-width: 200px; }
.card .big { font-size: 24px; font-weight: 600; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0 16px; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.num { white-space: normal; }
table.keyness td:nth-child(3) { min-width: 12em; }
dl.question { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 8px 0; }
dl.question dt { font-weight: 600; }
dl.question dd { margin: 0; }
figure { margin: 16px 0 8px; }
figcaption { color: var(--muted); font-size: 13px; max-width: 78ch; }
svg.chart { display: block; max-width: 100%; height: auto; }
details { margin: 4px 0 16px; }
details > summary { cursor: pointer; color: var(--muted); }
table.kwic td.left { text-align: right; color: var(--muted); }
table.kwic td.right { color: var(--muted); }
table.kwic .title { display: block; font-size: 12px; color: var(--muted); }
mark { background: #fde7b0; color: inherit; padding: 0 2px; border-radius: 2px; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; background: var(--soft); padding: 1px 4px; border-radius: 4px; }
.flag { font-size: 12px; color: #8a3b00; }
@media print { nav { display: none; } h2 { break-after: avoid; } figure, table { break-inside: avoid; } }
"#;

/// Renders inlines as HTML: the one place document text is escaped.
fn inlines(items: &[Inline]) -> String {
    let mut out = String::new();
    for item in items {
        match item {
            Inline::Text(s) => out.push_str(&esc(s)),
            Inline::Strong(s) => {
                let _ = write!(out, "<strong>{}</strong>", esc(s));
            }
            Inline::Code(s) => {
                let _ = write!(out, "<code>{}</code>", esc(s));
            }
            Inline::Mark(s) => {
                let _ = write!(out, "<mark>{}</mark>", esc(s));
            }
            Inline::Swatch(colour) => {
                let _ = write!(
                    out,
                    "<span class=\"swatch\" style=\"background:{}\"></span>",
                    esc(colour)
                );
            }
            Inline::Span {
                class,
                tooltip,
                content,
            } => {
                let title = tooltip
                    .as_ref()
                    .map(|t| format!(" title=\"{}\"", esc(t)))
                    .unwrap_or_default();
                let _ = write!(
                    out,
                    "<span class=\"{class}\"{title}>{}</span>",
                    inlines(content)
                );
            }
        }
    }
    out
}

fn table(out: &mut String, table: &Table) {
    let _ = write!(
        out,
        "<div class=\"scroll\"><table class=\"{}\"><thead><tr>",
        table.class
    );
    for column in &table.columns {
        let _ = write!(
            out,
            "<th scope=\"col\" class=\"{}\">{}</th>",
            column.class,
            esc(&column.title)
        );
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let class = table.columns.get(i).map_or("", |c| c.class);
            let _ = write!(out, "<td class=\"{class}\">{}</td>", inlines(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
}

fn card(out: &mut String, card: &Card) {
    let _ = writeln!(
        out,
        "<div class=\"card\">{}<strong>{}</strong> <span class=\"note\">({})</span><div class=\"big\">{}</div><div class=\"note\">{}</div></div>",
        inlines(&[Inline::Swatch(card.colour.clone())]),
        esc(&card.title),
        esc(&card.tag),
        esc(&card.figure),
        esc(&card.note)
    );
}

/// The HTML backend over a page being written.
struct Html<'a>(&'a mut String);

impl Backend for Html<'_> {
    fn heading(&mut self, level: u8, id: Option<&str>, text: &[Inline]) {
        let id = id
            .map(|id| format!(" id=\"{}\"", esc(id)))
            .unwrap_or_default();
        let _ = writeln!(self.0, "<h{level}{id}>{}</h{level}>", inlines(text));
    }

    fn paragraph(&mut self, note: bool, text: &[Inline]) {
        let class = if note { " class=\"note\"" } else { "" };
        let _ = writeln!(self.0, "<p{class}>{}</p>", inlines(text));
    }

    fn table(&mut self, t: &Table) {
        table(self.0, t);
    }

    fn figure(&mut self, chart: &Chart, caption: &str) {
        let _ = write!(
            self.0,
            "<figure>\n{}<figcaption>{}</figcaption>\n</figure>\n",
            chart.svg,
            esc(caption)
        );
    }

    fn list(&mut self, class: Option<&'static str>, items: &[Vec<Inline>]) {
        match class {
            Some(class) => {
                let _ = writeln!(self.0, "<ul class=\"{class}\">");
            }
            None => self.0.push_str("<ul>\n"),
        }
        for item in items {
            let _ = writeln!(self.0, "<li>{}</li>", inlines(item));
        }
        self.0.push_str("</ul>\n");
    }

    fn definitions(&mut self, pairs: &[(String, Vec<Inline>)]) {
        self.0.push_str("<dl class=\"question\">\n");
        for (name, value) in pairs {
            let _ = writeln!(self.0, "<dt>{}</dt><dd>{}</dd>", esc(name), inlines(value));
        }
        self.0.push_str("</dl>\n");
    }

    fn details_open(&mut self, summary: &[Inline]) {
        let _ = writeln!(self.0, "<details><summary>{}</summary>", inlines(summary));
    }

    fn details_close(&mut self) {
        self.0.push_str("</details>\n");
    }

    fn cards(&mut self, cards: &[Card]) {
        self.0.push_str("<div class=\"cards\">\n");
        for c in cards {
            card(self.0, c);
        }
        self.0.push_str("</div>\n");
    }
}

/// Renders the document as one HTML page; `generator` names the tool and version.
pub fn render(document: &Document, charts: &[Chart], generator: &str) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n<meta name=\"generator\" content=\"{}\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        esc(generator),
        esc(&document.title)
    );
    let _ = writeln!(
        out,
        "<header>\n<h1>{}</h1>\n<p class=\"lede\">{}</p>\n</header>",
        esc(&document.title),
        inlines(&document.lede)
    );
    // The contents list and the sections, in one pass.
    let mut body = String::new();
    out.push_str("<nav aria-label=\"Contents\"><ol>\n");
    for section in &document.sections {
        let (id, title) = (section.id, esc(&section.title));
        let _ = writeln!(out, "<li><a href=\"#{id}\">{title}</a></li>");
        let _ = writeln!(body, "<section id=\"{id}\">\n<h2>{title}</h2>");
        backend::blocks(&mut Html(&mut body), &section.blocks, charts);
        body.push_str("</section>\n");
    }
    out.push_str("</ol></nav>\n");
    out.push_str(&body);
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::doc::{text, Block, ColumnHead, Section};

    #[test]
    fn every_text_is_escaped_once() {
        let document = Document {
            title: "<t>".into(),
            lede: vec![Inline::Strong("a&b".into())],
            sections: vec![Section {
                id: "s",
                title: "S\"".into(),
                blocks: vec![
                    Block::paragraph(vec![Inline::Mark("<script>".into())]),
                    Block::Table(Table {
                        class: "x",
                        columns: vec![ColumnHead::new("<h>", "num")],
                        rows: vec![vec![text("1 < 2")]],
                    }),
                ],
            }],
        };
        let page = render(&document, &[], "mediawatch test");
        assert!(page.contains("<title>&lt;t&gt;</title>"));
        assert!(page.contains("<strong>a&amp;b</strong>"));
        assert!(page.contains("<mark>&lt;script&gt;</mark>"));
        assert!(page.contains("<th scope=\"col\" class=\"num\">&lt;h&gt;</th>"));
        assert!(page.contains("<td class=\"num\">1 &lt; 2</td>"));
        assert!(page.contains("<h2>S&quot;</h2>"));
        assert!(!page.contains("<script>"));
    }
}
