//! CSV tables of a report: [`ReportData`] in, one CSV file per table out (overview, timeline,
//! gaps, keyness in each direction, language mix, examples, entities, frames). Text cells are neutralized for
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
        (
            "entities.csv",
            csv(
                &[
                    "entity",
                    "name",
                    "type",
                    "group",
                    "mentions",
                    "documents",
                    "share_of_voice",
                ],
                entities(data),
            )?,
        ),
        (
            "entity_keyness_target.csv",
            csv(
                &KEYNESS_COLUMNS,
                keyness(&ReportData::key_items(
                    data.entities.keyness.as_ref(),
                    "target",
                )),
            )?,
        ),
        (
            "entity_keyness_reference.csv",
            csv(
                &KEYNESS_COLUMNS,
                keyness(&ReportData::key_items(
                    data.entities.keyness.as_ref(),
                    "reference",
                )),
            )?,
        ),
        (
            "co_mentions.csv",
            csv(
                &["entity_a", "name_a", "entity_b", "name_b", "documents"],
                co_mentions(data),
            )?,
        ),
        (
            "gazetteer_candidates.csv",
            csv(&["name", "spellings", "occurrences"], candidates(data))?,
        ),
        (
            "frames.csv",
            csv(
                &[
                    "frame",
                    "group",
                    "documents",
                    "documents_with_hit",
                    "share",
                    "hits",
                    "forms",
                ],
                frames(data),
            )?,
        ),
        (
            "frame_series.csv",
            csv(
                &[
                    "frame",
                    "group",
                    "bucket",
                    "documents",
                    "documents_with_hit",
                    "share",
                ],
                frame_series(data),
            )?,
        ),
        (
            "frame_keyness.csv",
            csv(&KEYNESS_COLUMNS, frame_keyness(data))?,
        ),
    ])
}

fn entities(data: &ReportData) -> Rows {
    let mut rows = Vec::new();
    for e in &data.entities.entities {
        for g in &e.groups {
            rows.push(vec![
                text(&e.id),
                text(&e.name),
                text(&e.kind),
                text(&g.group),
                g.mentions.to_string(),
                g.documents.to_string(),
                format!("{:.4}", g.share_of_voice),
            ]);
        }
    }
    rows
}

fn co_mentions(data: &ReportData) -> Rows {
    data.entities
        .co_mentions
        .iter()
        .map(|p| {
            vec![
                text(&p.a),
                text(&p.a_name),
                text(&p.b),
                text(&p.b_name),
                p.documents.to_string(),
            ]
        })
        .collect()
}

fn candidates(data: &ReportData) -> Rows {
    data.entities
        .unknown_names
        .iter()
        .map(|u| vec![text(&u.name), text(&u.forms.join("|")), u.count.to_string()])
        .collect()
}

fn frames(data: &ReportData) -> Rows {
    data.frames
        .shares
        .iter()
        .map(|s| {
            vec![
                text(&s.frame),
                text(&s.group),
                s.documents.to_string(),
                s.documents_with_hit.to_string(),
                format!("{:.4}", s.share),
                s.hits.to_string(),
                text(&s.forms.join("|")),
            ]
        })
        .collect()
}

fn frame_series(data: &ReportData) -> Rows {
    data.frames
        .series
        .iter()
        .map(|p| {
            vec![
                text(&p.frame),
                text(&p.group),
                p.bucket.clone(),
                p.documents.to_string(),
                p.documents_with_hit.to_string(),
                format!("{:.4}", p.share),
            ]
        })
        .collect()
}

fn frame_keyness(data: &ReportData) -> Rows {
    let k = data.frames.keyness.as_ref();
    let mut rows = keyness(&ReportData::key_items(k, "target"));
    rows.extend(keyness(&ReportData::key_items(k, "reference")));
    rows
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
