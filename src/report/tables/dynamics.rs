//! Tables of the report's copies, "What changed" and attention sections: the terms whose Log
//! Ratio changed most between periods, and the sections' CSV files (the copies and attention
//! tables are those of `stats copies` and `stats attention`).

use std::io;

use crate::report::data::ReportData;
use crate::report::table::{column, digits, Media, TableSpec, Value};
use crate::report::tables::{self, attention, copies};
use crate::stats::keyness::Side;
use crate::stats::periods::TermChange;

/// Terms whose Log Ratio changed most from one period to the next.
pub fn term_changes<'a>() -> TableSpec<'a, TermChange> {
    let (all, data, reading) = (Media::ALL, Media::DATA, Media::READING);
    let lr = digits(4, 2, 2);
    TableSpec::new(
        "term-changes",
        vec![
            column("from_period", "from", "", all, |c: &TermChange| {
                Value::Text(c.from_period.clone())
            }),
            column("to_period", "to", "", all, |c: &TermChange| {
                Value::Text(c.to_period.clone())
            }),
            column("term", "term", "", data, |c: &TermChange| {
                Value::Text(c.term.clone())
            }),
            column("form", "term", "", all, |c: &TermChange| {
                Value::Text(c.form.clone())
            }),
            column(
                "before_target_freq",
                "before T/R",
                "num",
                data,
                |c: &TermChange| Value::Int(c.before_freq.0),
            ),
            column(
                "before_reference_freq",
                "",
                "num",
                data,
                |c: &TermChange| Value::Int(c.before_freq.1),
            ),
            column(
                "before",
                "freq. before T/R",
                "num",
                reading,
                |c: &TermChange| Value::Ratio(c.before_freq.0, c.before_freq.1),
            ),
            column(
                "after_target_freq",
                "after T/R",
                "num",
                data,
                |c: &TermChange| Value::Int(c.after_freq.0),
            ),
            column("after_reference_freq", "", "num", data, |c: &TermChange| {
                Value::Int(c.after_freq.1)
            }),
            column(
                "after",
                "freq. after T/R",
                "num",
                reading,
                |c: &TermChange| Value::Ratio(c.after_freq.0, c.after_freq.1),
            ),
            column(
                "log_ratio_before",
                "Log Ratio before",
                "num",
                all,
                move |c: &TermChange| Value::Float(c.log_ratio_before, lr),
            ),
            column(
                "log_ratio_after",
                "Log Ratio after",
                "num",
                all,
                move |c: &TermChange| Value::Float(c.log_ratio_after, lr),
            ),
            column("change", "change", "num", all, move |c: &TermChange| {
                Value::Float(c.change, lr)
            }),
        ],
    )
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
