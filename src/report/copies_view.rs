//! What `stats copies` and `stats attention` print: the summary's tables, then every
//! clustered document, and the CSV (one row per clustered document); attention totals and
//! series.

use std::io::{self, Write};

use crate::report::doc::{text, Block};
use crate::report::table::Medium;
use crate::report::tables::attention;
use crate::report::tables::copies as spec;
use crate::stats::attention::Attention;
use crate::stats::copies::Copies;

/// `stats copies` on a terminal.
pub fn copies(c: &Copies) -> Vec<Block> {
    let s = &c.summary;
    let mut blocks = vec![Block::paragraph(text(format!(
        "{} documents; {} clusters of near duplicates (estimated Jaccard similarity ≥ {}) hold {} of them.",
        s.documents, s.clusters, s.min_similarity, s.clustered_documents
    )))];
    blocks.push(Block::heading(3, text("Copies per group:")));
    blocks.push(Block::Table(
        spec::groups().table(Medium::Terminal, &s.groups),
    ));
    if !s.flows.is_empty() {
        blocks.push(Block::heading(3, text("Who copies whom:")));
        blocks.push(Block::Table(
            spec::flows().table(Medium::Terminal, &s.flows),
        ));
    }
    if !s.talking_points.is_empty() {
        blocks.push(Block::heading(
            3,
            text("Talking points carried by the most outlets:"),
        ));
        blocks.push(Block::Table(
            spec::talking_points().table(Medium::Terminal, &s.talking_points),
        ));
    }
    if !c.clusters.is_empty() {
        blocks.push(Block::heading(3, text("Clusters:")));
        blocks.push(Block::Table(
            spec::members().table(Medium::Terminal, &members(c)),
        ));
    }
    blocks
}

fn members(c: &Copies) -> Vec<spec::Member<'_>> {
    c.clusters
        .iter()
        .flat_map(|cluster| cluster.documents.iter().map(move |d| (cluster, d)))
        .collect()
}

/// `stats copies --format csv`: one row per clustered document.
pub fn copies_csv(out: impl Write, c: &Copies) -> io::Result<()> {
    spec::members().write_csv(out, &members(c))
}

/// `stats attention` on a terminal: totals per group, then the series.
pub fn attention(a: &Attention) -> Vec<Block> {
    vec![
        Block::paragraph(text(format!(
            "Documents matching `{}` against each group's documents (same filters, no query), per {}.",
            a.query, a.interval
        ))),
        Block::Table(attention::totals().table(Medium::Terminal, &a.totals)),
        Block::heading(3, text("Per interval:")),
        Block::Table(attention::series().table(Medium::Terminal, &a.series)),
    ]
}

/// `stats attention --format csv`: the series.
pub fn attention_csv(out: impl Write, a: &Attention) -> io::Result<()> {
    attention::series().write_csv(out, &a.series)
}
