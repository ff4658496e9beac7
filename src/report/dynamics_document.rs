//! The report's copies, "What changed" and attention sections as document blocks:
//! [`ReportData`] in, blocks out (rendered and escaped by the HTML and Markdown backends).

use crate::report::data::ReportData;
use crate::report::doc::{text, Block, Inline};
use crate::report::dynamics::{PeriodSource, PERIOD_TERMS};
use crate::report::dynamics_charts::{ATTENTION_CHART, CHANGE_CHART, COPIES_CHART};
use crate::report::periods_view::period_line;
use crate::report::table::Medium;
use crate::report::tables::{self, attention, copies, dynamics};
use crate::stats::keyness::{Keyness, Side};

fn figure(chart: &str, caption: String) -> Block {
    Block::Figure {
        chart: chart.to_string(),
        caption,
    }
}

/// "Copies and talking points": each group's share of copies, who copies whom, the texts
/// carried by the most outlets.
pub fn copies(data: &ReportData) -> Vec<Block> {
    if let Some(reason) = data.left_out("copies") {
        return vec![Block::paragraph(text(format!("Left out. {reason}")))];
    }
    let c = &data.copies;
    let mut blocks = vec![Block::paragraph(text(format!(
        "Near duplicates among the {} documents the report covers (before any --copies collapse): {} clusters of documents whose word-shingle MinHash similarity is at least {} hold {} documents. A copy is a cluster member published after the cluster's first document.",
        c.documents, c.clusters, c.min_similarity, c.clustered_documents
    )))];
    if c.clusters > 0 {
        blocks.push(figure(
            COPIES_CHART,
            "Share of each group's documents that copy an earlier document, and share in any cluster. The table below gives the counts.".into(),
        ));
    }
    blocks.push(Block::Table(
        copies::groups().table(Medium::Document, &c.groups),
    ));
    blocks.push(Block::heading(3, text("Who copies whom")));
    if c.flows.is_empty() {
        blocks.push(Block::paragraph(text(
            "No outlet carries a near copy of another outlet's document.",
        )));
    } else {
        blocks.push(Block::note(text("Each row: copies of documents first published by one outlet, published by another; lag from the first publication (median over the dated pairs).")));
        blocks.push(Block::Table(
            copies::flows().table(Medium::Document, &c.flows),
        ));
    }
    blocks.push(Block::heading(
        3,
        text("Talking points carried by the most outlets"),
    ));
    blocks.push(copies::talking_points().table_or(
        &c.talking_points,
        "No text is carried by more than one outlet.",
    ));
    blocks
}

/// Key term forms of one direction, comma-separated (at most `n`).
fn forms(k: &Keyness, direction: Side, n: usize) -> String {
    let forms: Vec<&str> = k
        .terms
        .iter()
        .filter(|t| t.direction == direction)
        .take(n)
        .map(|t| t.forms.first().unwrap_or(&t.term).as_str())
        .collect();
    if forms.is_empty() {
        "none significant".to_string()
    } else {
        forms.join(", ")
    }
}

/// "What changed": per period the key terms of both sides, then the terms whose conservative
/// Log Ratio moved most between periods.
pub fn change(data: &ReportData) -> Vec<Block> {
    let ch = &data.change;
    let k = &data.keyness;
    let source = match ch.source {
        PeriodSource::Given => "the periods given with --periods",
        PeriodSource::Gaps => "periods before, during and after the gaps in the timeline, where a whole group published nothing (name your own with --periods)",
        PeriodSource::None => "",
    };
    let mut blocks = Vec::new();
    if ch.source != PeriodSource::None {
        blocks.push(Block::paragraph(text(format!(
            "The report's comparison ({} against {}) inside each of {source}: the top key terms of each side per period (q < 0.05, at most {PERIOD_TERMS} per side), then the terms whose conservative Log Ratio (LRC) changed most from one period to the next. Ranked by LRC, not Log Ratio: a rare term's Log Ratio swings with a single occurrence, LRC only as far as both periods' counts bear out; a term with no confident difference in either period (LRC 0 in both) is not listed.",
            k.target.label, k.reference.label
        ))));
    }
    if let Some(note) = &ch.note {
        blocks.push(Block::paragraph(text(note.clone())));
    }
    let spec = tables::keyness("term", &k.target.label, &k.reference.label);
    for p in &ch.periods {
        blocks.push(Block::heading(3, text(period_line(p))));
        if let Some(note) = &p.note {
            blocks.push(Block::paragraph(text(note.clone())));
            continue;
        }
        for c in &p.comparisons {
            let mut items = Vec::new();
            for direction in Side::BOTH {
                let label = match direction {
                    Side::Target => &c.target.label,
                    Side::Reference => &c.reference.label,
                };
                items.push(vec![
                    Inline::Strong(format!("Over-used by {label}:")),
                    Inline::Text(format!(" {}", forms(c, direction, 5))),
                ]);
            }
            blocks.push(Block::List { class: None, items });
            let mut tables = Vec::new();
            for direction in Side::BOTH {
                let rows = tables::ranked(&c.terms, direction);
                if !rows.is_empty() {
                    tables.push(Block::Table(spec.table(Medium::Document, &rows)));
                }
            }
            if !tables.is_empty() {
                blocks.push(Block::Details {
                    summary: text(format!("Key terms of {} in full", p.period)),
                    blocks: tables,
                });
            }
        }
    }
    if !ch.changes.is_empty() {
        blocks.push(Block::heading(
            3,
            text("Terms whose conservative Log Ratio changed most"),
        ));
        blocks.push(figure(
            CHANGE_CHART,
            format!(
                "Change of the conservative Log Ratio (LRC, {} against {}) from one period to the next, for the terms tested in both that changed most; to the right a term moved towards {}, to the left towards {}. The table below gives Log Ratio and LRC in both periods.",
                k.target.label, k.reference.label, k.target.label, k.reference.label
            ),
        ));
        blocks.push(Block::Table(
            dynamics::term_changes().table(Medium::Document, &ch.changes),
        ));
    }
    blocks
}

/// "Attention on the timeline": the share of each group's output matching the query.
pub fn attention(data: &ReportData) -> Vec<Block> {
    let a = &data.attention;
    let Some(at) = &a.attention else {
        return a
            .note
            .iter()
            .map(|n| Block::paragraph(text(n.clone())))
            .collect();
    };
    vec![
        Block::paragraph(vec![
            Inline::Text("Documents matching ".into()),
            Inline::Code(at.query.clone()),
            Inline::Text(
                " as a share of each group's documents under the same filters (normalized attention, as Media Cloud computes it): a group that publishes more does not look more attentive for that reason alone.".into(),
            ),
        ]),
        figure(
            ATTENTION_CHART,
            format!(
                "Share of each group's documents per {} matching the query. Lines break where a group published nothing; shading marks the timeline's gaps. The tables below keep the raw counts.",
                at.interval
            ),
        ),
        Block::Table(attention::totals().table(Medium::Document, &at.totals)),
        Block::Details {
            summary: text(format!(
                "Data table: matches and documents per {} ({} rows)",
                at.interval,
                at.series.len()
            )),
            blocks: vec![Block::Table(
                attention::series().table(Medium::Document, &at.series),
            )],
        },
    ]
}
