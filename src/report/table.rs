//! The table mechanism: a table is described once — its columns, what each holds as a typed
//! [`Value`], and in which [`Medium`] it appears — and every output is made from that one
//! description: document tables (HTML, Markdown), terminal tables and CSV files. Numbers are
//! formatted per medium by the value's type (more digits for data than for reading), so the
//! same column cannot drift apart between outputs.

use std::io;

use crate::escape::spreadsheet;
use crate::report::doc::{self, ColumnHead, Inline};
use crate::report::terminal::Marks;

/// Where a table is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Medium {
    /// CSV files: machine-readable, full precision, one value per cell.
    Data,
    /// Reports (HTML, Markdown): for reading, with styles.
    Document,
    /// The terminal (`compare`, `stats`): compact.
    Terminal,
}

/// The media a column appears in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Media(u8);

impl Media {
    /// CSV only.
    pub const DATA: Media = Media(1);
    /// Reports only.
    pub const DOCUMENT: Media = Media(2);
    /// Terminal only.
    pub const TERMINAL: Media = Media(4);
    /// CSV and reports.
    pub const FILES: Media = Media(3);
    /// Reports and terminal.
    pub const READING: Media = Media(6);
    /// CSV and terminal.
    pub const DATA_TERMINAL: Media = Media(5);
    /// Everywhere.
    pub const ALL: Media = Media(7);

    fn has(self, medium: Medium) -> bool {
        let bit = match medium {
            Medium::Data => 1,
            Medium::Document => 2,
            Medium::Terminal => 4,
        };
        self.0 & bit != 0
    }
}

/// Decimal places of a number in each medium.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digits {
    /// In CSV.
    pub data: usize,
    /// In reports.
    pub document: usize,
    /// On the terminal.
    pub terminal: usize,
}

/// `Digits` from (data, document, terminal).
pub const fn digits(data: usize, document: usize, terminal: usize) -> Digits {
    Digits {
        data,
        document,
        terminal,
    }
}

impl Digits {
    fn of(self, medium: Medium) -> usize {
        match medium {
            Medium::Data => self.data,
            Medium::Document => self.document,
            Medium::Terminal => self.terminal,
        }
    }
}

/// What a cell holds; each medium formats it its own way.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A count.
    Int(u64),
    /// A measure with fixed decimals.
    Float(f64, Digits),
    /// A measure that may be missing (an empty cell).
    MaybeFloat(Option<f64>, Digits),
    /// A small probability: scientific notation.
    Sci(f64, Digits),
    /// A share (0–1): `0.1234` in data, `12.3%` in reports, `12.3` on the terminal.
    Share(f64),
    /// A part of a whole, as a share: like [`Value::Share`] (0 of nothing is 0).
    Percent(u64, u64),
    /// Text (untrusted or not: each medium escapes it).
    Text(String),
    /// Word forms: `|`-separated in data, `, `-separated for reading.
    Forms(Vec<String>),
    /// `true`/`false` in data, `yes`/`no` for reading.
    YesNo(bool),
    /// A warning: `true`/`false` in data, `yes` (flagged) or nothing for reading.
    Flag(bool),
    /// Two counts as `a/b`.
    Ratio(u64, u64),
    /// A group label with its colour (a swatch in reports).
    Group(String, Option<&'static str>),
    /// Significance stars of a p-value, `B` when it passes Bonferroni.
    Stars(f64, bool),
    /// A matched word (highlighted for reading).
    Mark(String),
    /// Text with highlighted matches: `**`-marked in data.
    Marked(Vec<Inline>),
    /// Styled text for reports (plain text elsewhere).
    Rich(Vec<Inline>),
}

/// `*` to `****` for p below 0.05, 0.01, 0.001, 0.0001.
fn stars(p: f64) -> &'static str {
    if p < 0.0001 {
        "****"
    } else if p < 0.001 {
        "***"
    } else if p < 0.01 {
        "**"
    } else if p < 0.05 {
        "*"
    } else {
        ""
    }
}

impl Value {
    /// The cell's text in `medium`, unescaped (see [`Value::cell`]).
    fn text(&self, medium: Medium) -> String {
        let data = medium == Medium::Data;
        match self {
            Value::Int(n) => n.to_string(),
            Value::Float(v, d) => format!("{v:.*}", d.of(medium)),
            Value::MaybeFloat(v, d) => v.map_or(String::new(), |v| format!("{v:.*}", d.of(medium))),
            Value::Sci(v, d) => format!("{v:.*e}", d.of(medium)),
            Value::Share(v) => match medium {
                Medium::Data => format!("{v:.4}"),
                Medium::Document => format!("{:.1}%", v * 100.0),
                Medium::Terminal => format!("{:.1}", v * 100.0),
            },
            Value::Percent(part, whole) => match medium {
                Medium::Data if *whole == 0 => "0.0000".into(),
                Medium::Data => format!("{:.4}", *part as f64 / *whole as f64),
                // Reading: the same percentage the reports have always printed.
                Medium::Document => {
                    format!("{:.1}%", 100.0 * *part as f64 / (*whole).max(1) as f64)
                }
                Medium::Terminal => format!("{:.1}", 100.0 * *part as f64 / (*whole).max(1) as f64),
            },
            Value::Text(s) | Value::Group(s, _) | Value::Mark(s) => s.clone(),
            Value::Forms(f) => f.join(if data { "|" } else { ", " }),
            Value::YesNo(b) => match (data, b) {
                (true, b) => b.to_string(),
                (false, true) => "yes".into(),
                (false, false) => "no".into(),
            },
            Value::Flag(b) => match (data, b) {
                (true, b) => b.to_string(),
                (false, true) => "yes".into(),
                (false, false) => String::new(),
            },
            Value::Ratio(a, b) => format!("{a}/{b}"),
            Value::Stars(p, bonferroni) => {
                format!("{}{}", stars(*p), if *bonferroni { "B" } else { "" })
            }
            Value::Rich(inlines) => doc::plain(inlines),
            Value::Marked(inlines) => crate::report::terminal::inlines(inlines, Marks::STARS),
        }
    }

    /// The cell for a document or terminal table.
    fn cell(&self, medium: Medium) -> Vec<Inline> {
        match (self, medium) {
            (Value::Group(label, Some(colour)), Medium::Document) => vec![
                Inline::Swatch(colour.to_string()),
                Inline::Text(label.clone()),
            ],
            (Value::Flag(true), Medium::Document) => vec![Inline::Span {
                class: "flag",
                tooltip: None,
                content: doc::text("yes"),
            }],
            (Value::Rich(inlines), Medium::Document) => inlines.clone(),
            (Value::Marked(inlines), _) => inlines.clone(),
            (Value::Mark(s), Medium::Document | Medium::Terminal) => vec![Inline::Mark(s.clone())],
            _ => doc::text(self.text(medium)),
        }
    }
}

/// One column of a table description.
pub struct Column<'a, R: ?Sized> {
    /// CSV header (the JSON field name where there is one).
    pub key: &'static str,
    /// Header in reports.
    pub title: String,
    /// Header on the terminal (the report header when `None`).
    pub short: Option<String>,
    /// Cell style in reports: `num`, `left`, `right` or none.
    pub class: &'static str,
    /// Where the column appears.
    pub media: Media,
    /// On a narrow terminal: 0 always shown, else its place in the order columns are left
    /// out, the highest first (see [`Column::optional`]).
    pub optional: u8,
    /// The value of a row.
    pub value: Box<dyn Fn(&R) -> Value + 'a>,
}

/// A column shown in `media`.
pub fn column<'a, R: ?Sized>(
    key: &'static str,
    title: impl Into<String>,
    class: &'static str,
    media: Media,
    value: impl Fn(&R) -> Value + 'a,
) -> Column<'a, R> {
    Column {
        key,
        title: title.into(),
        short: None,
        class,
        media,
        optional: 0,
        value: Box::new(value),
    }
}

impl<'a, R: ?Sized> Column<'a, R> {
    /// The same column with another terminal header.
    pub fn short(mut self, title: impl Into<String>) -> Self {
        self.short = Some(title.into());
        self
    }

    /// The same column, left out of a terminal table too narrow to hold every column:
    /// columns with a higher `rank` go first (so rank 1 is the last to go).
    pub fn optional(mut self, rank: u8) -> Self {
        self.optional = rank;
        self
    }

    fn header(&self, medium: Medium) -> String {
        match medium {
            Medium::Data => self.key.to_string(),
            Medium::Document => self.title.clone(),
            Medium::Terminal => self.short.clone().unwrap_or_else(|| self.title.clone()),
        }
    }
}

/// A table described once: its style and columns.
pub struct TableSpec<'a, R: ?Sized> {
    /// Style name in reports.
    pub class: &'static str,
    /// Columns, in order.
    pub columns: Vec<Column<'a, R>>,
}

impl<'a, R: ?Sized> TableSpec<'a, R> {
    /// A table of `class` with `columns`.
    pub fn new(class: &'static str, columns: Vec<Column<'a, R>>) -> Self {
        TableSpec { class, columns }
    }

    /// The same table without the column `key` (e.g. a rank a list does not need).
    pub fn without(mut self, key: &str) -> Self {
        self.columns.retain(|c| c.key != key);
        self
    }

    /// The same table over rows labelled with a group: the label first, in column `key`.
    pub fn labelled(self, key: &'static str, title: &str) -> TableSpec<'a, (String, R)>
    where
        R: Sized + 'a,
    {
        let mut columns = vec![column(key, title, "", Media::ALL, |r: &(String, R)| {
            Value::Text(r.0.clone())
        })];
        let class = self.class;
        columns.extend(self.lifted(|r: &(String, R)| &r.1));
        TableSpec::new(class, columns)
    }

    /// The same table over rows paired with a yes/no mark, appended as column `key`.
    pub fn flagged(self, key: &'static str, title: &str) -> TableSpec<'a, (R, bool)>
    where
        R: Sized + 'a,
    {
        let class = self.class;
        let mut columns = self.lifted(|r: &(R, bool)| &r.0);
        columns.push(column(key, title, "", Media::ALL, |r: &(R, bool)| {
            Value::YesNo(r.1)
        }));
        TableSpec::new(class, columns)
    }

    /// The columns over rows of which `part` picks this table's row.
    fn lifted<S: 'a>(self, part: fn(&S) -> &R) -> Vec<Column<'a, S>>
    where
        R: 'a,
    {
        self.columns
            .into_iter()
            .map(|c| {
                let value = c.value;
                Column {
                    key: c.key,
                    title: c.title,
                    short: c.short,
                    class: c.class,
                    media: c.media,
                    optional: c.optional,
                    value: Box::new(move |r: &S| value(part(r))),
                }
            })
            .collect()
    }

    /// An empty table of `class`, its columns added one by one, each shown everywhere until
    /// said otherwise: [`TableSpec::text`], [`TableSpec::int`], … or any [`TableSpec::column`];
    /// [`TableSpec::short`], [`TableSpec::optional`], [`TableSpec::class`] and
    /// [`TableSpec::media`] change the column added last.
    pub fn of(class: &'static str) -> Self {
        TableSpec::new(class, Vec::new())
    }

    /// Adds `column`.
    pub fn column(mut self, column: Column<'a, R>) -> Self {
        self.columns.push(column);
        self
    }

    /// Adds a column of any [`Value`], with cell style `class`.
    pub fn value(
        self,
        key: &'static str,
        title: impl Into<String>,
        class: &'static str,
        value: impl Fn(&R) -> Value + 'a,
    ) -> Self {
        self.column(column(key, title, class, Media::ALL, value))
    }

    // Repeated shape: the typed builders (`text`, `int`, `float`, `share`, `forms`), by design:
    // each is a typed door into `value`, so a column's type, cell style and format are chosen
    // once, by the builder's name.

    /// Adds a text column.
    pub fn text(
        self,
        key: &'static str,
        title: impl Into<String>,
        get: impl Fn(&R) -> &str + 'a,
    ) -> Self {
        self.value(key, title, "", move |r| Value::Text(get(r).to_string()))
    }

    /// Adds a column of counts.
    pub fn int(
        self,
        key: &'static str,
        title: impl Into<String>,
        get: impl Fn(&R) -> u64 + 'a,
    ) -> Self {
        self.value(key, title, "num", move |r| Value::Int(get(r)))
    }

    /// Adds a column of measures with `digits` decimals.
    pub fn float(
        self,
        key: &'static str,
        title: impl Into<String>,
        digits: Digits,
        get: impl Fn(&R) -> f64 + 'a,
    ) -> Self {
        self.value(key, title, "num", move |r| Value::Float(get(r), digits))
    }

    /// Adds a column of shares (0–1).
    pub fn share(
        self,
        key: &'static str,
        title: impl Into<String>,
        get: impl Fn(&R) -> f64 + 'a,
    ) -> Self {
        self.value(key, title, "num", move |r| Value::Share(get(r)))
    }

    /// Adds a column of word forms.
    pub fn forms(
        self,
        key: &'static str,
        title: impl Into<String>,
        get: impl Fn(&R) -> &[String] + 'a,
    ) -> Self {
        self.value(key, title, "", move |r| Value::Forms(get(r).to_vec()))
    }

    /// The column added last, with `title` on the terminal.
    pub fn short(self, title: impl Into<String>) -> Self {
        self.last(|c| c.short(title))
    }

    /// The column added last, left out of a narrow terminal table (see [`Column::optional`]).
    pub fn optional(self, rank: u8) -> Self {
        self.last(|c| c.optional(rank))
    }

    /// The column added last, with cell style `class`.
    pub fn class(self, class: &'static str) -> Self {
        self.last(|mut c| {
            c.class = class;
            c
        })
    }

    /// The column added last, shown only in `media`.
    pub fn media(self, media: Media) -> Self {
        self.last(|mut c| {
            c.media = media;
            c
        })
    }

    /// The columns `add` adds, shown only in `media` (a run of columns of one medium).
    pub fn within(self, media: Media, add: impl FnOnce(Self) -> Self) -> Self {
        let before = self.columns.len();
        let mut spec = add(self);
        for c in &mut spec.columns[before..] {
            c.media = media;
        }
        spec
    }

    /// Every column shown only in `media` (a table of one medium).
    pub fn only_in(mut self, media: Media) -> Self {
        for c in &mut self.columns {
            c.media = media;
        }
        self
    }

    fn last(mut self, change: impl FnOnce(Column<'a, R>) -> Column<'a, R>) -> Self {
        if let Some(c) = self.columns.pop() {
            self.columns.push(change(c));
        }
        self
    }

    fn shown(&self, medium: Medium) -> impl Iterator<Item = &Column<'a, R>> {
        self.columns.iter().filter(move |c| c.media.has(medium))
    }

    /// The report document's block for `rows`: their table, or the sentence `none` when
    /// there are no rows.
    pub fn table_or(&self, rows: &[R], none: impl Into<String>) -> doc::Block
    where
        R: Sized,
    {
        if rows.is_empty() {
            doc::Block::paragraph(doc::text(none))
        } else {
            doc::Block::Table(self.table(Medium::Document, rows))
        }
    }

    /// The table as a document block's table, for reports or the terminal.
    pub fn table<'r>(&self, medium: Medium, rows: impl IntoIterator<Item = &'r R>) -> doc::Table
    where
        R: 'r,
    {
        doc::Table {
            class: self.class,
            columns: self
                .shown(medium)
                .map(|c| ColumnHead {
                    title: c.header(medium),
                    class: c.class,
                    optional: c.optional,
                })
                .collect(),
            rows: rows
                .into_iter()
                .map(|row| {
                    self.shown(medium)
                        .map(|c| (c.value)(row).cell(medium))
                        .collect()
                })
                .collect(),
        }
    }

    /// The table as CSV: header of column keys, text cells neutralized for spreadsheets.
    pub fn csv<'r>(&self, rows: impl IntoIterator<Item = &'r R>) -> io::Result<Vec<u8>>
    where
        R: 'r,
    {
        let mut out = Vec::new();
        self.write_csv(&mut out, rows)?;
        Ok(out)
    }

    /// Writes the table as CSV (as [`TableSpec::csv`]) to `out`.
    pub fn write_csv<'r>(
        &self,
        out: impl io::Write,
        rows: impl IntoIterator<Item = &'r R>,
    ) -> io::Result<()>
    where
        R: 'r,
    {
        let mut writer = self.csv_rows(out)?;
        for row in rows {
            writer.row(row)?;
        }
        writer.finish()
    }

    /// A CSV writer for rows given one at a time (to stream rows never held together): the
    /// header is written at once, each [`CsvRows::row`] as it comes.
    pub fn csv_rows<W: io::Write>(&self, out: W) -> io::Result<CsvRows<'_, 'a, R, W>> {
        let mut writer = csv::Writer::from_writer(out);
        writer
            .write_record(self.shown(Medium::Data).map(|c| c.key))
            .map_err(csv_error)?;
        Ok(CsvRows { spec: self, writer })
    }
}

/// CSV rows of a [`TableSpec`], written one at a time.
pub struct CsvRows<'s, 'a, R: ?Sized, W: io::Write> {
    spec: &'s TableSpec<'a, R>,
    writer: csv::Writer<W>,
}

impl<R: ?Sized, W: io::Write> CsvRows<'_, '_, R, W> {
    /// Writes one row: text cells neutralized for spreadsheets, numbers as they are.
    pub fn row(&mut self, row: &R) -> io::Result<()> {
        self.writer
            .write_record(self.spec.shown(Medium::Data).map(|c| {
                let value = (c.value)(row);
                let text = value.text(Medium::Data);
                match value {
                    // Only numbers go out as they are; anything textual could be a formula.
                    Value::Int(_)
                    | Value::Float(..)
                    | Value::MaybeFloat(..)
                    | Value::Sci(..)
                    | Value::Share(_)
                    | Value::Percent(..)
                    | Value::Ratio(..)
                    | Value::YesNo(_)
                    | Value::Flag(_) => text,
                    _ => spreadsheet(&text),
                }
            }))
            .map_err(csv_error)
    }

    /// Flushes what is written.
    pub fn finish(mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// A CSV error as the I/O error it wraps (so a closed pipe stays a closed pipe), or as
/// another I/O error.
fn csv_error(error: csv::Error) -> io::Error {
    match error.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec<'a>() -> TableSpec<'a, (&'static str, f64)> {
        TableSpec::new(
            "t",
            vec![
                column("name", "name", "", Media::ALL, |r: &(&str, f64)| {
                    Value::Text(r.0.to_string())
                }),
                column("score", "score", "num", Media::FILES, |r: &(&str, f64)| {
                    Value::Float(r.1, digits(4, 2, 1))
                }),
                column("stars", "sig", "", Media::TERMINAL, |r: &(&str, f64)| {
                    Value::Stars(r.1, false)
                }),
            ],
        )
    }

    #[test]
    fn each_medium_gets_its_columns_and_digits() {
        let rows = [("=cmd", 0.001234), ("-1", -2.5)];
        let csv = String::from_utf8(spec().csv(&rows).unwrap()).unwrap();
        assert_eq!(csv, "name,score\n'=cmd,0.0012\n'-1,-2.5000\n");
        let table = spec().table(Medium::Document, &rows);
        assert_eq!(table.columns.len(), 2);
        assert_eq!(table.rows[0][1], doc::text("0.00"));
        let terminal = spec().table(Medium::Terminal, &rows);
        let heads: Vec<&str> = terminal.columns.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(heads, ["name", "sig"]);
        assert_eq!(terminal.rows[0][1], doc::text("**"));
    }

    #[test]
    fn a_table_built_column_by_column_equals_its_column_list() {
        let built = TableSpec::of("t")
            .text("name", "name", |r: &(&str, f64)| r.0)
            .float("score", "score", digits(4, 2, 1), |r| r.1)
            .media(Media::FILES)
            .value("stars", "sig", "", |r| Value::Stars(r.1, false))
            .media(Media::TERMINAL)
            .short("s")
            .optional(3);
        let rows = [("=cmd", 0.001234), ("-1", -2.5)];
        assert_eq!(built.csv(&rows).unwrap(), spec().csv(&rows).unwrap());
        assert_eq!(
            built.table(Medium::Document, &rows),
            spec().table(Medium::Document, &rows)
        );
        let terminal = built.table(Medium::Terminal, &rows);
        let heads: Vec<(&str, &str, u8)> = terminal
            .columns
            .iter()
            .map(|c| (c.title.as_str(), c.class, c.optional))
            .collect();
        assert_eq!(heads, [("name", "", 0), ("s", "", 3)]);
        let only = TableSpec::of("t")
            .int("n", "n", |r: &(&str, f64)| r.1 as u64)
            .class("left")
            .only_in(Media::DATA);
        assert!(only.table(Medium::Document, &rows).columns.is_empty());
        assert_eq!(only.csv(&rows).unwrap(), b"n\n0\n0\n".to_vec());
        assert_eq!(only.columns[0].class, "left");
        // `within` sets the medium of the columns it adds, and only theirs.
        let scoped = TableSpec::of("t")
            .text("a", "a", |r: &(&str, f64)| r.0)
            .within(Media::DATA, |t| {
                t.text("b", "b", |r| r.0).int("c", "c", |r| r.1 as u64)
            })
            .text("d", "d", |r| r.0)
            .media(Media::DOCUMENT);
        let media: Vec<Media> = scoped.columns.iter().map(|c| c.media).collect();
        assert_eq!(
            media,
            [Media::ALL, Media::DATA, Media::DATA, Media::DOCUMENT]
        );
    }

    #[test]
    fn shares_flags_and_forms_read_per_medium() {
        let forms = Value::Forms(vec!["a".into(), "b".into()]);
        assert_eq!(forms.text(Medium::Data), "a|b");
        assert_eq!(forms.text(Medium::Terminal), "a, b");
        assert_eq!(Value::Share(0.12345).text(Medium::Document), "12.3%");
        assert_eq!(Value::Share(0.12345).text(Medium::Data), "0.1235");
        assert_eq!(Value::Flag(false).text(Medium::Document), "");
        assert_eq!(Value::YesNo(false).text(Medium::Document), "no");
        assert_eq!(Value::Stars(0.0005, true).text(Medium::Terminal), "***B");
    }
}
