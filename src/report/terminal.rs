//! The terminal backend: document blocks in, plain text lines out — aligned tables,
//! paragraphs as lines, headings after a blank line. Every text is made safe for a terminal
//! here, in [`inlines`] (control characters and escape sequences dropped), and nowhere else.

use std::io::{self, Write};

use crate::escape::terminal as safe;
use crate::report::doc::{walk, Block, Inline, Table};
use crate::report::fit;

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

/// Writes blocks at their natural width (see [`render_within`]).
pub fn render(out: &mut impl Write, blocks: &[Block]) -> io::Result<()> {
    render_within(out, blocks, None)
}

/// Writes blocks: a paragraph is a line, a heading a blank line and a line, a table aligned
/// columns; figures, cards and the like have no terminal form and are left out. With a
/// `width`, paragraphs are wrapped and tables fitted to it (see [`table_within`]).
pub fn render_within(
    out: &mut impl Write,
    blocks: &[Block],
    width: Option<usize>,
) -> io::Result<()> {
    let lines = |out: &mut dyn Write, prefix: &str, text: String| -> io::Result<()> {
        match width {
            None => writeln!(out, "{prefix}{text}"),
            Some(w) => {
                let indent = " ".repeat(prefix.len());
                let room = w.saturating_sub(prefix.len()).max(1);
                for (i, line) in fit::wrap(&text, room).iter().enumerate() {
                    writeln!(out, "{}{line}", if i == 0 { prefix } else { &indent })?;
                }
                Ok(())
            }
        }
    };
    for block in blocks {
        match block {
            Block::Paragraph { text, .. } => lines(out, "", inlines(text, Marks::STARS))?,
            Block::Heading { text, .. } => {
                writeln!(out)?;
                lines(out, "", inlines(text, Marks::STARS))?;
            }
            Block::Table(t) => table_within(out, t, width)?,
            Block::List { items, .. } => {
                for item in items {
                    lines(out, "- ", inlines(item, Marks::STARS))?;
                }
            }
            Block::Details { blocks, .. } => render_within(out, blocks, width)?,
            Block::Definitions(_) | Block::Figure { .. } | Block::Cards(_) => {}
        }
    }
    Ok(())
}

/// Writes a table with aligned columns at its natural width (see [`table_within`]).
pub fn table(out: &mut impl Write, table: &Table) -> io::Result<()> {
    table_within(out, table, None)
}

/// Narrowest a text column is cut to before columns are left out.
const MIN_TEXT_COLUMN: usize = 12;

/// Writes a table with aligned columns; a column whose cells all look like numbers (and that
/// is not the first) is right-aligned. Within `width` columns, the table is fitted: optional
/// columns are left out, highest [`ColumnHead::optional`] rank first, while the table could
/// not fit even with its text columns cut to [`MIN_TEXT_COLUMN`]; then the widest text
/// columns are narrowed and their cells cut at a word boundary with `…`. A line after the
/// table names the columns left out. Numbers, dates and times are never cut.
///
/// [`ColumnHead::optional`]: crate::report::doc::ColumnHead::optional
pub fn table_within(out: &mut impl Write, table: &Table, width: Option<usize>) -> io::Result<()> {
    let header: Vec<String> = table.columns.iter().map(|c| safe(&c.title)).collect();
    let rows: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|row| row.iter().map(|c| inlines(c, Marks::STARS)).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| fit::width(h)).collect();
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(fit::width(cell));
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
    // Dates and times are never cut either (`2022-01-…` says nothing): a column whose
    // non-empty cells are all digits and date punctuation keeps its width.
    let is_date_like = |cell: &String| {
        cell.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '.' | ':' | '+' | 'T' | 'Z'))
    };
    let fixed: Vec<bool> = (0..widths.len())
        .map(|i| {
            numeric[i]
                || (rows.iter().any(|r| r.get(i).is_some_and(|c| !c.is_empty()))
                    && rows.iter().all(|r| r.get(i).is_none_or(is_date_like)))
        })
        .collect();
    let mut shown: Vec<usize> = (0..widths.len()).collect();
    let mut left_out = Vec::new();
    if let Some(max) = width {
        let least: Vec<usize> = (0..widths.len())
            .map(|i| {
                if fixed[i] {
                    widths[i]
                } else {
                    // A long header is cut like its cells.
                    widths[i].min(MIN_TEXT_COLUMN)
                }
            })
            .collect();
        let total = |shown: &[usize], of: &[usize]| {
            shown.iter().map(|&i| of[i]).sum::<usize>() + 2 * shown.len().saturating_sub(1)
        };
        while total(&shown, &least) > max {
            let optional = |i: usize| table.columns.get(i).map_or(0, |c| c.optional);
            let Some(drop) = shown
                .iter()
                .copied()
                .filter(|&i| optional(i) > 0)
                .max_by_key(|&i| (optional(i), i))
            else {
                break;
            };
            shown.retain(|&i| i != drop);
            left_out.push(header[drop].clone());
        }
        // Narrow the widest text column, one column at a time, until the table fits.
        while total(&shown, &widths) > max {
            let Some(widest) = shown
                .iter()
                .copied()
                .filter(|&i| widths[i] > least[i])
                .max_by_key(|&i| (widths[i], i))
            else {
                break;
            };
            widths[widest] -= 1;
        }
    }
    let line = |out: &mut dyn Write, cells: &[String]| -> io::Result<()> {
        let mut parts = Vec::new();
        for &i in &shown {
            let cell = cells.get(i).map_or("", String::as_str);
            let width = widths.get(i).copied().unwrap_or(0);
            let cell = fit::truncate(cell, width);
            parts.push(if numeric.get(i).copied().unwrap_or(false) {
                fit::pad_left(&cell, width)
            } else {
                fit::pad_right(&cell, width)
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
    if !left_out.is_empty() {
        let note = format!(
            "(left out to fit {} columns: {}; --wide shows every column)",
            width.unwrap_or_default(),
            left_out.join(", ")
        );
        for l in fit::wrap(&note, width.unwrap_or(usize::MAX).max(1)) {
            writeln!(out, "{l}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::doc::{text, ColumnHead};

    #[test]
    fn tables_align_numbers_right_and_drop_escape_sequences() {
        let column = |title: &str| ColumnHead::new(title, "");
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
    fn narrow_tables_lose_optional_columns_then_cut_text_at_words() {
        let mut extra = ColumnHead::new("extra", "");
        extra.optional = 1;
        let t = Table {
            class: "",
            columns: vec![ColumnHead::new("term", ""), extra, ColumnHead::new("n", "")],
            rows: vec![
                vec![text("прямой эфир телеканала"), text("x"), text("12345")],
                vec![text("газ"), text("y"), text("7")],
            ],
        };
        let render = |width| {
            let mut out = Vec::new();
            table_within(&mut out, &t, width).unwrap();
            String::from_utf8(out).unwrap()
        };
        // Natural width: 22 + 2 + 5 + 2 + 5 = 36.
        assert!(render(None)
            .lines()
            .any(|l| l == "прямой эфир телеканала  x      12345"));
        assert_eq!(render(Some(36)), render(None));
        // 30 columns: the text column shrinks to 16 (words kept, `…` added), `extra` stays.
        let fitted = render(Some(30));
        assert!(fitted.lines().all(|l| fit::width(l) <= 30), "{fitted}");
        assert!(fitted.contains("прямой эфир…"), "{fitted}");
        assert!(fitted.contains("extra"));
        // 20 columns: even at 12 the text column cannot keep `extra` (12+2+5+2+5 = 26).
        let narrow = render(Some(20));
        assert!(
            !narrow.lines().next().unwrap().contains("extra"),
            "{narrow}"
        );
        assert!(
            narrow
                .replace('\n', " ")
                .contains("left out to fit 20 columns: extra;"),
            "{narrow}"
        );
        assert!(
            narrow.lines().take(4).all(|l| fit::width(l) <= 20),
            "{narrow}"
        );
        assert!(narrow.contains("12345"), "numbers are never cut: {narrow}");
    }

    #[test]
    fn paragraphs_wrap_within_the_width() {
        let blocks = vec![Block::paragraph(text("one two three four five"))];
        let mut out = Vec::new();
        render_within(&mut out, &blocks, Some(10)).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "one two\nthree four\nfive\n"
        );
    }

    #[test]
    fn marks_are_bold_on_a_terminal_and_stars_elsewhere() {
        let cell = [Inline::Text("a ".into()), Inline::Mark("b\u{7}".into())];
        assert_eq!(inlines(&cell, Marks::STARS), "a **b**");
        assert_eq!(inlines(&cell, Marks::BOLD), "a \u{1b}[1mb\u{1b}[0m");
    }
}
