//! The terminal backend: document blocks in, plain text lines out — aligned tables,
//! paragraphs as lines, headings after a blank line. Every text is made safe for a terminal
//! here, in [`inlines`] (control characters and escape sequences dropped), and nowhere else.

use std::io::{self, Write};

use crate::escape::terminal as safe;
use crate::report::doc::{walk, Block, Inline, Table};

/// How highlighted matches ([`Inline::Mark`]) are set off: bold on a terminal, `**` in a pipe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marks {
    /// Before a match.
    pub open: &'static str,
    /// After a match.
    pub close: &'static str,
}

impl Marks {
    /// ANSI bold, for a terminal.
    pub const BOLD: Marks = Marks {
        open: "\x1b[1m",
        close: "\x1b[0m",
    };
    /// `**`, for pipes and files.
    pub const STARS: Marks = Marks {
        open: "**",
        close: "**",
    };
}

/// Text made safe for a terminal.
pub fn text(s: &str) -> String {
    safe(s)
}

/// Inlines as terminal-safe text, matches set off with `marks`.
pub fn inlines(items: &[Inline], marks: Marks) -> String {
    let mut out = String::new();
    walk(items, &mut out, &|out, inline, s| {
        let mark = matches!(inline, Inline::Mark(_));
        if mark {
            out.push_str(marks.open);
        }
        out.push_str(&safe(s));
        if mark {
            out.push_str(marks.close);
        }
    });
    out
}

/// Writes blocks: a paragraph is a line, a heading a blank line and a line, a table aligned
/// columns; figures, cards and the like have no terminal form and are left out.
pub fn render(out: &mut impl Write, blocks: &[Block]) -> io::Result<()> {
    for block in blocks {
        match block {
            Block::Paragraph { text, .. } => writeln!(out, "{}", inlines(text, Marks::STARS))?,
            Block::Heading { text, .. } => writeln!(out, "\n{}", inlines(text, Marks::STARS))?,
            Block::Table(t) => table(out, t)?,
            Block::List { items, .. } => {
                for item in items {
                    writeln!(out, "- {}", inlines(item, Marks::STARS))?;
                }
            }
            Block::Details { blocks, .. } => render(out, blocks)?,
            Block::Definitions(_) | Block::Figure { .. } | Block::Cards(_) => {}
        }
    }
    Ok(())
}

/// Writes a table with aligned columns; a column whose cells all look like numbers (and that
/// is not the first) is right-aligned.
pub fn table(out: &mut impl Write, table: &Table) -> io::Result<()> {
    let header: Vec<String> = table.columns.iter().map(|c| safe(&c.title)).collect();
    let rows: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|row| row.iter().map(|c| inlines(c, Marks::STARS)).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let is_number = |cell: &String| {
        !cell.is_empty()
            && cell
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
    };
    let numeric: Vec<bool> = (0..widths.len())
        .map(|i| i > 0 && !rows.is_empty() && rows.iter().all(|r| r.get(i).is_none_or(is_number)))
        .collect();
    let line = |out: &mut dyn Write, cells: &[String]| -> io::Result<()> {
        let mut parts = Vec::new();
        for (i, cell) in cells.iter().enumerate() {
            let width = widths.get(i).copied().unwrap_or(0);
            let pad = " ".repeat(width.saturating_sub(cell.chars().count()));
            parts.push(if numeric.get(i).copied().unwrap_or(false) {
                format!("{pad}{cell}")
            } else {
                format!("{cell}{pad}")
            });
        }
        writeln!(out, "{}", parts.join("  ").trim_end())
    };
    line(out, &header)?;
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(out, &rule)?;
    for row in &rows {
        line(out, row)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::doc::{text, ColumnHead};

    #[test]
    fn tables_align_numbers_right_and_drop_escape_sequences() {
        let column = |title: &str| ColumnHead {
            title: title.into(),
            class: "",
        };
        let t = Table {
            class: "",
            columns: vec![column("name"), column("n")],
            rows: vec![
                vec![text("a\u{1b}[2Jb"), text("7")],
                vec![text("long name"), text("12")],
            ],
        };
        let mut out = Vec::new();
        table(&mut out, &t).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            out,
            "name        n\n---------  --\na[2Jb       7\nlong name  12\n"
        );
    }

    #[test]
    fn marks_are_bold_on_a_terminal_and_stars_elsewhere() {
        let cell = [Inline::Text("a ".into()), Inline::Mark("b\u{7}".into())];
        assert_eq!(inlines(&cell, Marks::STARS), "a **b**");
        assert_eq!(inlines(&cell, Marks::BOLD), "a \u{1b}[1mb\u{1b}[0m");
    }
}
