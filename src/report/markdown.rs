//! The Markdown backend: a [`Document`] in, GitHub-flavoured Markdown out — tables, no raw
//! HTML, charts referenced as `charts/*.svg` files written next to it. Every text of the
//! document is escaped here, in [`escape`], so it cannot become markup, links or table cells.

use std::fmt::Write as _;

use crate::report::backend::{self, Backend};
use crate::report::charts::Chart;
use crate::report::doc::{walk, Document, Inline, Table};

/// Text safe inside a Markdown paragraph, heading or table cell: Markdown punctuation
/// (`\` `` ` `` `*` `_` `[` `]` `<` `>` `|` `&` `~` `#` `!`) is backslash-escaped and line breaks
/// become spaces, so document text can neither open HTML nor split a table row.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '~' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn inlines(items: &[Inline]) -> String {
    let mut out = String::new();
    walk(items, &mut out, &|out, inline, s| match inline {
        Inline::Strong(_) | Inline::Mark(_) => {
            let _ = write!(out, "**{}**", escape(s));
        }
        _ => out.push_str(&escape(s)),
    });
    out
}

/// A GFM table; `num` columns are right-aligned.
fn table(out: &mut String, table: &Table) {
    let header: Vec<String> = table.columns.iter().map(|c| escape(&c.title)).collect();
    let rule: Vec<&str> = table
        .columns
        .iter()
        .map(|c| if c.class == "num" { "---:" } else { "---" })
        .collect();
    row(out, &header);
    let _ = writeln!(out, "| {} |", rule.join(" | "));
    for cells in &table.rows {
        let cells: Vec<String> = cells.iter().map(|c| inlines(c)).collect();
        row(out, &cells);
    }
    out.push('\n');
}

fn row(out: &mut String, cells: &[String]) {
    let cells: Vec<&str> = cells
        .iter()
        .map(|c| if c.is_empty() { " " } else { c.as_str() })
        .collect();
    let _ = writeln!(out, "| {} |", cells.join(" | "));
}

// Repeated shape: the `Backend` methods, as the HTML backend implements them too (one trait,
// one syntax each).
/// The Markdown backend over a text being written.
struct Markdown<'a>(&'a mut String);

impl Backend for Markdown<'_> {
    fn heading(&mut self, level: u8, _id: Option<&str>, text: &[Inline]) {
        let _ = writeln!(
            self.0,
            "{} {}\n",
            "#".repeat(usize::from(level)),
            inlines(text)
        );
    }

    fn paragraph(&mut self, _note: bool, text: &[Inline]) {
        let _ = writeln!(self.0, "{}\n", inlines(text));
    }

    fn table(&mut self, t: &Table) {
        table(self.0, t);
    }

    fn figure(&mut self, chart: &Chart, caption: &str) {
        let _ = writeln!(
            self.0,
            "![{}](charts/{})\n\n{}\n",
            escape(&chart.title),
            chart.file,
            escape(caption)
        );
    }

    fn list(&mut self, _class: Option<&'static str>, items: &[Vec<Inline>]) {
        for item in items {
            let _ = writeln!(self.0, "- {}", inlines(item));
        }
        self.0.push('\n');
    }

    fn definitions(&mut self, pairs: &[(String, Vec<Inline>)]) {
        self.0.push_str("|  |  |\n| --- | --- |\n");
        for (name, value) in pairs {
            row(self.0, &[escape(name), inlines(value)]);
        }
        self.0.push('\n');
    }

    fn details_open(&mut self, summary: &[Inline]) {
        let _ = writeln!(self.0, "{}\n", inlines(summary));
    }
}

/// Renders the document.
pub fn render(document: &Document, charts: &[Chart]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", escape(&document.title));
    let _ = writeln!(out, "{}\n", inlines(&document.lede));
    for section in &document.sections {
        let _ = writeln!(out, "## {}\n", escape(&section.title));
        backend::blocks(&mut Markdown(&mut out), &section.blocks, charts);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::doc::{text, ColumnHead};

    #[test]
    fn escaping_neutralizes_markup_and_table_cells() {
        crate::cases::check(
            escape,
            [
                (
                    "<script>alert(1)</script>",
                    "\\<script\\>alert(1)\\</script\\>",
                ),
                ("a|b", "a\\|b"),
                ("*bold* _it_ `code`", "\\*bold\\* \\_it\\_ \\`code\\`"),
                ("[x](http://e)", "\\[x\\](http://e)"),
                ("back\\slash", "back\\\\slash"),
                ("two\nlines", "two lines"),
                ("&lt;", "\\&lt;"),
                ("Мирные", "Мирные"),
            ],
        );
    }

    #[test]
    fn tables_have_a_rule_and_alignment() {
        let mut out = String::new();
        let column = |title: &str, class| ColumnHead::new(title, class);
        table(
            &mut out,
            &Table {
                class: "",
                columns: vec![column("a", ""), column("n", "num")],
                rows: vec![vec![text("x"), text("1")], vec![text(""), text("2")]],
            },
        );
        assert_eq!(out, "| a | n |\n| --- | ---: |\n| x | 1 |\n|   | 2 |\n\n");
    }

    #[test]
    fn marks_become_bold_and_styles_plain() {
        let cell = [
            Inline::Swatch("#000".into()),
            Inline::Mark("a*b".into()),
            Inline::Span {
                class: "note",
                tooltip: Some("x".into()),
                content: text("<n>"),
            },
        ];
        assert_eq!(inlines(&cell), "**a\\*b**\\<n\\>");
    }
}
