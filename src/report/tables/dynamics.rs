//! Tables of the report's copies, "What changed" and attention sections: the terms whose Log
//! Ratio changed most between periods, and the sections' CSV files (the copies and attention
//! tables are those of `stats copies` and `stats attention`).

use std::io;

use crate::report::data::ReportData;
use crate::report::table::{digits, Media, TableSpec, Value};
use crate::report::tables::{self, attention, copies};
use crate::stats::keyness::Side;
use crate::stats::periods::TermChange;

/// Terms whose conservative Log Ratio (LRC) changed most from one period to the next.
pub fn term_changes<'a>() -> TableSpec<'a, TermChange> {
    let lr = digits(4, 2, 2);
    let spec = TableSpec::of("term-changes")
        .text("from_period", "from", |c: &TermChange| &c.from_period)
        .text("to_period", "to", |c| &c.to_period)
        .text("term", "term", |c| &c.term)
        .media(Media::DATA)
        .text("form", "term", |c| &c.form);
    let spec = freqs(spec, "before", BEFORE, |c| c.before_freq);
    freqs(spec, "after", AFTER, |c| c.after_freq)
        .float("log_ratio_before", "Log Ratio before", lr, |c| {
            c.log_ratio_before
        })
        .float("log_ratio_after", "Log Ratio after", lr, |c| {
            c.log_ratio_after
        })
        .float("change", "LR change", lr, |c| c.change)
        .float("lrc_before", "LRC before", lr, |c| c.lrc_before)
        .float("lrc_after", "LRC after", lr, |c| c.lrc_after)
        .float("lrc_change", "LRC change", lr, |c| c.lrc_change)
}

/// The keys of a period's target and reference frequencies and of both as one column.
const BEFORE: [&str; 3] = ["before_target_freq", "before_reference_freq", "before"];
/// As [`BEFORE`], after the change.
const AFTER: [&str; 3] = ["after_target_freq", "after_reference_freq", "after"];

/// `spec` with a period's frequencies in target and reference (`when`: before or after):
/// two columns in data, one `T/R` column for reading.
fn freqs<'a>(
    spec: TableSpec<'a, TermChange>,
    when: &str,
    [target, reference, both]: [&'static str; 3],
    get: fn(&TermChange) -> (u64, u64),
) -> TableSpec<'a, TermChange> {
    spec.int(target, format!("{when} T/R"), move |c| get(c).0)
        .media(Media::DATA)
        .int(reference, "", move |c| get(c).1)
        .media(Media::DATA)
        .value(both, format!("freq. {when} T/R"), "num", move |c| {
            let (t, r) = get(c);
            Value::Ratio(t, r)
        })
        .media(Media::READING)
}

/// The sections' CSV files: copies per group, who copies whom, talking points, key terms per
/// period, Log Ratio changes, attention per interval and in total. A section without data
/// still writes its files (headers only), so the set of files is always the same.
pub fn csv_files(data: &ReportData) -> io::Result<Vec<(&'static str, Vec<u8>)>> {
    let k = &data.keyness;
    let mut period_rows = Vec::new();
    for p in &data.change.periods {
        for c in &p.comparisons {
            for direction in Side::BOTH {
                for ranked in tables::ranked(&c.terms, direction) {
                    period_rows.push((p.period.clone(), ranked));
                }
            }
        }
    }
    let period_spec =
        tables::keyness("term", &k.target.label, &k.reference.label).labelled("period", "period");
    let (series, totals) = match &data.attention.attention {
        Some(a) => (&a.series[..], &a.totals[..]),
        None => (&[][..], &[][..]),
    };
    Ok(vec![
        ("copies.csv", copies::groups().csv(&data.copies.groups)?),
        ("copy_flows.csv", copies::flows().csv(&data.copies.flows)?),
        (
            "talking_points.csv",
            copies::talking_points().csv(&data.copies.talking_points)?,
        ),
        ("period_key_terms.csv", period_spec.csv(&period_rows)?),
        (
            "term_changes.csv",
            term_changes().csv(&data.change.changes)?,
        ),
        ("attention.csv", attention::series().csv(series)?),
        ("attention_totals.csv", attention::totals().csv(totals)?),
    ])
}
