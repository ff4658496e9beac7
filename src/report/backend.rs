//! What a page backend of the report document (HTML, Markdown) implements: one method per
//! block kind, in its own syntax and escaping. [`blocks`] walks a document's blocks once for
//! every backend, so a new block kind is a compile error in each backend, not a missed arm.

use crate::report::charts::Chart;
use crate::report::doc::{Block, Card, Inline, Table};

/// A format the report document is written in, block by block (text appended to its output).
pub trait Backend {
    /// A heading of `level` (3 or 4) with an optional anchor.
    fn heading(&mut self, level: u8, id: Option<&str>, text: &[Inline]);
    /// A paragraph; `note` paragraphs are secondary.
    fn paragraph(&mut self, note: bool, text: &[Inline]);
    /// A table.
    fn table(&mut self, table: &Table);
    /// A chart with its caption.
    fn figure(&mut self, chart: &Chart, caption: &str);
    /// A bulleted list; `class` names its style.
    fn list(&mut self, class: Option<&'static str>, items: &[Vec<Inline>]);
    /// Name–value pairs.
    fn definitions(&mut self, pairs: &[(String, Vec<Inline>)]);
    /// The start of contents shown on request: its summary line (the blocks follow).
    fn details_open(&mut self, summary: &[Inline]);
    /// The end of contents shown on request.
    fn details_close(&mut self) {}
    /// Key figures as cards (a visual summary: text backends leave them out).
    fn cards(&mut self, _cards: &[Card]) {}
}

/// Writes `items` with `backend`; a figure whose chart is not among `charts` is left out.
pub fn blocks(backend: &mut impl Backend, items: &[Block], charts: &[Chart]) {
    for item in items {
        match item {
            Block::Heading { level, id, text } => backend.heading(*level, id.as_deref(), text),
            Block::Paragraph { note, text } => backend.paragraph(*note, text),
            Block::Table(t) => backend.table(t),
            Block::Figure { chart, caption } => {
                if let Some(chart) = charts.iter().find(|c| c.file == chart) {
                    backend.figure(chart, caption);
                }
            }
            Block::List { class, items } => backend.list(*class, items),
            Block::Definitions(pairs) => backend.definitions(pairs),
            Block::Details {
                summary,
                blocks: inner,
            } => {
                backend.details_open(summary);
                blocks(backend, inner, charts);
                backend.details_close();
            }
            Block::Cards(cards) => backend.cards(cards),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::doc::text;

    /// Records the calls, to check the walk independently of any syntax.
    #[derive(Default)]
    struct Calls(Vec<String>);

    impl Backend for Calls {
        fn heading(&mut self, level: u8, id: Option<&str>, _: &[Inline]) {
            self.0.push(format!("h{level} {id:?}"));
        }
        fn paragraph(&mut self, note: bool, _: &[Inline]) {
            self.0.push(format!("p {note}"));
        }
        fn table(&mut self, table: &Table) {
            self.0.push(format!("table {}", table.class));
        }
        fn figure(&mut self, chart: &Chart, caption: &str) {
            self.0.push(format!("figure {} {caption}", chart.file));
        }
        fn list(&mut self, class: Option<&'static str>, items: &[Vec<Inline>]) {
            self.0.push(format!("list {class:?} {}", items.len()));
        }
        fn definitions(&mut self, pairs: &[(String, Vec<Inline>)]) {
            self.0.push(format!("dl {}", pairs.len()));
        }
        fn details_open(&mut self, _: &[Inline]) {
            self.0.push("details".into());
        }
        fn details_close(&mut self) {
            self.0.push("/details".into());
        }
    }

    #[test]
    fn nested_blocks_are_walked_in_order_and_missing_charts_left_out() {
        let items = vec![
            Block::heading(3, text("h")),
            Block::Details {
                summary: text("more"),
                blocks: vec![
                    Block::note(text("n")),
                    Block::Figure {
                        chart: "missing.svg".into(),
                        caption: "x".into(),
                    },
                ],
            },
            Block::List {
                class: Some("c"),
                items: vec![text("a"), text("b")],
            },
            Block::Definitions(vec![("k".into(), text("v"))]),
            Block::Cards(Vec::new()),
            Block::paragraph(text("p")),
        ];
        let mut calls = Calls::default();
        blocks(&mut calls, &items, &[]);
        assert_eq!(
            calls.0,
            [
                "h3 None",
                "details",
                "p true",
                "/details",
                "list Some(\"c\") 2",
                "dl 1",
                "p false"
            ]
        );
    }
}
