//! CSV tables of a report: [`ReportData`] in, one CSV file per table out (overview, timeline,
//! gaps, keyness in each direction, language mix, examples). Text cells are neutralized for
//! spreadsheets with [`crate::escape::spreadsheet`]; numbers are written with fixed precision.

use std::io;

use crate::escape::spreadsheet as text;
use crate::report::ReportData;
use crate::stats::keyness::KeyTerm;

/// The columns of the keyness tables (as `compare --format csv`, with a leading rank).
pub const KEYNESS_COLUMNS: [&str; 18] = [
    "rank",
    "term",
    "forms",
    "direction",
    "target_freq",
    "reference_freq",
    "target_per_million",
    "reference_per_million",
    "g2",
    "p",
    "bonferroni",
    "log_ratio",
    "pct_diff",
    "log_odds_z",
    "target_outlets",
    "reference_outlets",
    "dp",
    "dominated",
];

type Rows = Vec<Vec<String>>;

fn csv(header: &[&str], rows: Rows) -> io::Result<Vec<u8>> {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    writer.write_record(header)?;
    for row in rows {
        writer.write_record(&row)?;
    }
    writer
        .into_inner()
        .map_err(|e| io::Error::other(e.to_string()))
}

/// Every table as (file name, CSV bytes), in a fixed order.
pub fn render(data: &ReportData) -> io::Result<Vec<(&'static str, Vec<u8>)>> {
    Ok(vec![
        (
            "overview.csv",
            csv(
                &["group", "role", "dimension", "value", "documents", "share"],
                overview(data),
            )?,
        ),
        (
            "timeline.csv",
            csv(&["group", "bucket", "documents", "tokens"], timeline(data))?,
        ),
        (
            "gaps.csv",
            csv(
                &["scope", "name", "group", "from", "to", "days"],
                gaps(data),
            )?,
        ),
        (
            "keyness_target.csv",
            csv(&KEYNESS_COLUMNS, keyness(&data.key_terms("target")))?,
        ),
        (
            "keyness_reference.csv",
            csv(&KEYNESS_COLUMNS, keyness(&data.key_terms("reference")))?,
        ),
        (
            "language_mix.csv",
            csv(&["group", "lang", "documents", "share"], language_mix(data))?,
        ),
        (
            "examples.csv",
            csv(
                &[
                    "direction",
                    "group",
                    "rank",
                    "term",
                    "form",
                    "documents_with_term",
                    "outlet",
                    "day",
                    "id",
                    "title",
                    "left",
                    "match",
                    "right",
                ],
                examples(data),
            )?,
        ),
    ])
}

fn share(part: u64, whole: u64) -> String {
    if whole == 0 {
        "0.0000".to_string()
    } else {
        format!("{:.4}", part as f64 / whole as f64)
    }
}

fn overview(data: &ReportData) -> Rows {
    let mut rows = Vec::new();
    for g in &data.overview.groups {
        rows.push(vec![
            text(&g.label),
            g.role.clone(),
            "total".to_string(),
            String::new(),
            g.documents.to_string(),
            share(g.documents, data.overview.documents),
        ]);
        for (dimension, counts) in [
            ("outlet", &g.outlets),
            ("lang", &g.langs),
            ("medium", &g.media),
        ] {
            for c in counts {
                rows.push(vec![
                    text(&g.label),
                    g.role.clone(),
                    dimension.to_string(),
                    text(&c.value),
                    c.documents.to_string(),
                    share(c.documents, g.documents),
                ]);
            }
        }
    }
    rows
}

fn timeline(data: &ReportData) -> Rows {
    let mut rows = Vec::new();
    for label in data.group_labels() {
        if let Some(series) = data.timeline.groups.get(label) {
            for (bucket, v) in series {
                rows.push(vec![
                    text(label),
                    bucket.clone(),
                    v.documents.to_string(),
                    v.tokens.to_string(),
                ]);
            }
        }
    }
    rows
}

fn gaps(data: &ReportData) -> Rows {
    data.timeline
        .gaps
        .iter()
        .map(|g| {
            vec![
                g.scope.clone(),
                text(&g.name),
                text(&g.group),
                g.from.clone(),
                g.to.clone(),
                g.days.to_string(),
            ]
        })
        .collect()
}

/// One keyness row with the same number formats as `compare --format csv`.
pub fn keyness_row(rank: usize, t: &KeyTerm) -> Vec<String> {
    vec![
        rank.to_string(),
        text(&t.term),
        text(&t.forms.join("|")),
        t.direction.clone(),
        t.target_freq.to_string(),
        t.reference_freq.to_string(),
        format!("{:.3}", t.target_per_million),
        format!("{:.3}", t.reference_per_million),
        format!("{:.4}", t.g2),
        format!("{:.6e}", t.p),
        t.bonferroni.to_string(),
        format!("{:.4}", t.log_ratio),
        t.pct_diff.map_or(String::new(), |v| format!("{v:.2}")),
        format!("{:.4}", t.log_odds_z),
        t.target_outlets.to_string(),
        t.reference_outlets.to_string(),
        format!("{:.4}", t.dp),
        t.dominated.to_string(),
    ]
}

fn keyness(terms: &[&KeyTerm]) -> Rows {
    terms
        .iter()
        .enumerate()
        .map(|(i, t)| keyness_row(i + 1, t))
        .collect()
}

fn language_mix(data: &ReportData) -> Rows {
    data.language_mix
        .iter()
        .map(|l| {
            vec![
                text(&l.group),
                text(&l.lang),
                l.documents.to_string(),
                format!("{:.4}", l.share),
            ]
        })
        .collect()
}

fn examples(data: &ReportData) -> Rows {
    let mut rows = Vec::new();
    for e in &data.examples {
        for l in &e.lines {
            rows.push(vec![
                e.direction.clone(),
                text(&e.group),
                e.rank.to_string(),
                text(&e.term),
                text(&e.form),
                e.documents.to_string(),
                text(&l.outlet),
                l.day.clone(),
                text(&l.id),
                text(&l.title),
                text(&l.left),
                text(&l.matched),
                text(&l.right),
            ]);
        }
    }
    rows
}
