//! What `compare --periods` prints: per period its documents and the comparison (or every
//! group against the rest) inside it; the CSV has one row per key term, labelled with its
//! period and group.

use std::io::{self, Write};

use crate::report::doc::{text, Block};
use crate::report::tables;
use crate::report::views;
use crate::stats::keyness::{KeynessEach, Side};
use crate::stats::periods::{PeriodComparison, PeriodKeyness};

/// The line heading one period: its name, days and documents per group.
pub fn period_line(p: &PeriodComparison) -> String {
    let documents: Vec<String> = p
        .documents
        .iter()
        .map(|(group, n)| format!("{group} {n}"))
        .collect();
    let documents = if documents.is_empty() {
        "no documents".to_string()
    } else {
        format!("documents: {}", documents.join(", "))
    };
    format!("Period {} ({}..{}), {documents}", p.period, p.from, p.to)
}

/// `compare --periods` on a terminal.
pub fn period_keyness(k: &PeriodKeyness, item: &str, each: bool) -> Vec<Block> {
    let mut blocks = Vec::new();
    for p in &k.periods {
        blocks.push(Block::heading(2, text(period_line(p))));
        if let Some(note) = &p.note {
            blocks.push(Block::paragraph(text(note.clone())));
        } else if each {
            blocks.extend(views::keyness_each(&KeynessEach {
                comparisons: p.comparisons.clone(),
            }));
        } else {
            for c in &p.comparisons {
                blocks.extend(views::keyness(c, item));
            }
        }
        blocks.push(Block::paragraph(Vec::new()));
    }
    blocks
}

/// `compare --periods --format csv`: period, group (the comparison's target), then the
/// columns of `compare --format csv`.
pub fn period_keyness_csv(out: impl Write, k: &PeriodKeyness, each: bool) -> io::Result<()> {
    let first = k.periods.iter().flat_map(|p| p.comparisons.first()).next();
    let (target, reference) = match (each, first) {
        (false, Some(c)) => (c.target.label.clone(), c.reference.label.clone()),
        _ => ("group".to_string(), "rest".to_string()),
    };
    let spec = tables::keyness("term", &target, &reference)
        .without("rank")
        .labelled("group", "group")
        .labelled("period", "period");
    let mut rows = Vec::new();
    for p in &k.periods {
        for c in &p.comparisons {
            for direction in Side::BOTH {
                for ranked in tables::ranked(&c.terms, direction) {
                    rows.push((p.period.clone(), (c.target.label.clone(), ranked)));
                }
            }
        }
    }
    spec.write_csv(out, &rows)
}
