//! The format-neutral document: what a report (or a command's table output) says, as
//! headings, paragraphs of inlines, tables, figures, lists and details, built once and
//! rendered by the backends ([`super::html`], [`super::markdown`], [`super::terminal`]).
//!
//! Nothing here is escaped: every text is kept as written, and each backend escapes it for
//! its medium in exactly one place, so no caller can forget.

/// A whole document: a title, a lede and sections (which also make the table of contents).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// Title (the HTML `<title>` and first heading).
    pub title: String,
    /// The sentence under the title.
    pub lede: Vec<Inline>,
    /// Top-level sections, in order.
    pub sections: Vec<Section>,
}

/// A top-level section: an anchor id, a title and its blocks.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Anchor (`keyness`, `entities`, ...), unique in the document.
    pub id: &'static str,
    /// Section title (also its entry in the table of contents).
    pub title: String,
    /// Contents.
    pub blocks: Vec<Block>,
}

/// A block of a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading under the section title: level 3 or 4, with an optional anchor.
    Heading {
        /// 3 or 4.
        level: u8,
        /// Anchor id.
        id: Option<String>,
        /// Text.
        text: Vec<Inline>,
    },
    /// A paragraph; `note` paragraphs are secondary (set in a muted colour).
    Paragraph {
        /// Secondary text.
        note: bool,
        /// Text.
        text: Vec<Inline>,
    },
    /// A table.
    Table(Table),
    /// A chart (by its file name among the report's charts) with a caption.
    Figure {
        /// Chart file name, e.g. `timeline.svg`.
        chart: String,
        /// Caption.
        caption: String,
    },
    /// A bulleted list; `class` names its style (HTML).
    List {
        /// Style name, if any.
        class: Option<&'static str>,
        /// Items.
        items: Vec<Vec<Inline>>,
    },
    /// Name–value pairs (a definition list).
    Definitions(Vec<(String, Vec<Inline>)>),
    /// Contents shown on request (HTML `<details>`): a summary line and blocks.
    Details {
        /// The summary line.
        summary: Vec<Inline>,
        /// What it reveals.
        blocks: Vec<Block>,
    },
    /// Key figures as cards. A visual summary of what the list after it says, so the text
    /// backends leave it out.
    Cards(Vec<Card>),
}

/// One card of [`Block::Cards`].
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    /// Swatch colour.
    pub colour: String,
    /// Title.
    pub title: String,
    /// Note after the title.
    pub tag: String,
    /// The big figure.
    pub figure: String,
    /// Note under the figure.
    pub note: String,
}

/// A run of text inside a block.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// Strong emphasis.
    Strong(String),
    /// Code, file names, literal values.
    Code(String),
    /// A highlighted match (keyword in context).
    Mark(String),
    /// A colour swatch (HTML only).
    Swatch(String),
    /// A styled span with an optional tooltip. Styles: `note` (secondary), `flag` (a
    /// warning), `title` (a title under the text before it: its own line in HTML, after a
    /// colon in text).
    Span {
        /// Style name.
        class: &'static str,
        /// Tooltip (HTML `title` attribute).
        tooltip: Option<String>,
        /// Contents.
        content: Vec<Inline>,
    },
}

/// Plain text as inlines.
pub fn text(s: impl Into<String>) -> Vec<Inline> {
    vec![Inline::Text(s.into())]
}

/// Walks inlines as the text backends read them: a swatch is dropped, a span is its
/// content, a `title` span reads `: ` and then its content; `leaf` writes each text, strong,
/// code or mark inline (with its text) to `out`.
pub fn walk(inlines: &[Inline], out: &mut String, leaf: &dyn Fn(&mut String, &Inline, &str)) {
    for inline in inlines {
        match inline {
            Inline::Text(s) | Inline::Strong(s) | Inline::Code(s) | Inline::Mark(s) => {
                leaf(out, inline, s)
            }
            Inline::Swatch(_) => {}
            Inline::Span { class, content, .. } => {
                if *class == "title" {
                    out.push_str(": ");
                }
                walk(content, out, leaf);
            }
        }
    }
}

/// The inlines as plain text (styles dropped).
pub fn plain(inlines: &[Inline]) -> String {
    let mut out = String::new();
    walk(inlines, &mut out, &|out, _, s| out.push_str(s));
    out
}

/// A table: columns and rows of cells.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// Style name (HTML class).
    pub class: &'static str,
    /// Column headers and alignment.
    pub columns: Vec<ColumnHead>,
    /// Rows; each has one cell per column.
    pub rows: Vec<Vec<Vec<Inline>>>,
}

/// A column's header and how its cells sit.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnHead {
    /// Header text.
    pub title: String,
    /// Cell style: `num` (right-aligned figures), `left`, `right` (context columns) or none.
    pub class: &'static str,
    /// On a narrow terminal: 0 for a column that is always shown, else the column's place in
    /// the order columns are left out (the highest first). Other backends show every column.
    pub optional: u8,
}

impl ColumnHead {
    /// A column always shown.
    pub fn new(title: impl Into<String>, class: &'static str) -> ColumnHead {
        ColumnHead {
            title: title.into(),
            class,
            optional: 0,
        }
    }
}

impl Block {
    /// A plain paragraph.
    pub fn paragraph(text: Vec<Inline>) -> Block {
        Block::Paragraph { note: false, text }
    }

    /// A secondary paragraph.
    pub fn note(text: Vec<Inline>) -> Block {
        Block::Paragraph { note: true, text }
    }

    /// A heading of `level` without anchor.
    pub fn heading(level: u8, text: Vec<Inline>) -> Block {
        Block::Heading {
            level,
            id: None,
            text,
        }
    }

    /// A name–value table with headers `names` (e.g. measure, definition).
    pub fn pairs(names: [&str; 2], class: &'static str, rows: Vec<(String, String)>) -> Block {
        Block::Table(Table {
            class,
            columns: names.iter().map(|n| ColumnHead::new(*n, "")).collect(),
            rows: rows
                .into_iter()
                .map(|(name, value)| vec![text(name), text(value)])
                .collect(),
        })
    }
}
