//! Charts of the copies, "What changed" and attention sections: [`ReportData`] in, chart
//! specifications out (drawn by [`super::svg`]). Each chart exists exactly when the document
//! shows its figure (the same conditions as [`super::dynamics_document`]).

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use crate::report::charts::{
    bucket_start, caption_by, group_lines, group_series, group_shares, shares_over_time,
    sides_chart, Chart,
};
use crate::report::data::ReportData;
use crate::report::svg;
use crate::stats::attention::{Attention, AttentionPoint};
use crate::stats::keyness::Side;

/// The copies chart's file.
pub const COPIES_CHART: &str = "copies.svg";
/// The Log Ratio change chart's file.
pub const CHANGE_CHART: &str = "change.svg";
/// The attention chart's file.
pub const ATTENTION_CHART: &str = "attention.svg";

/// The charts of the three sections that have data.
pub fn charts(data: &ReportData) -> Vec<Chart> {
    let mut out = Vec::new();
    if data.copies.clusters > 0 {
        out.push(copies_chart(data));
    }
    if !data.change.changes.is_empty() {
        out.push(change_chart(data));
    }
    if let Some(at) = &data.attention.attention {
        out.push(attention_chart(data, at));
    }
    out
}

fn copies_chart(data: &ReportData) -> Chart {
    let groups = &data.copies.groups;
    let series = group_series(data, |label| {
        groups
            .iter()
            .find(|g| g.group == label)
            .map_or(vec![0.0, 0.0], |g| {
                let clustered = if g.documents > 0 {
                    g.clustered as f64 / g.documents as f64
                } else {
                    0.0
                };
                vec![g.copy_share, clustered]
            })
    });
    let description = format!(
        "Grouped bar chart: for each group ({}), the share of its documents that copy an earlier document of another or the same outlet, and the share in any cluster of near duplicates.",
        data.group_labels().join(", ")
    );
    let caption = caption_by(data, "chart-copies", "Copies", description);
    let kinds = ["copies of an earlier document", "in a cluster"].map(String::from);
    group_shares(COPIES_CHART, caption, String::new(), kinds.to_vec(), series)
}

fn change_chart(data: &ReportData) -> Chart {
    let (target, reference) = (&data.keyness.target.label, &data.keyness.reference.label);
    let colour = |side: Side| svg::colour(data.group_position(data.side_label(side)));
    let bars = data
        .change
        .changes
        .iter()
        .map(|c| svg::Bar {
            label: format!("{} ({} → {})", c.form, c.from_period, c.to_period),
            value: c.lrc_change,
            colour: colour(if c.lrc_change >= 0.0 {
                Side::Target
            } else {
                Side::Reference
            })
            .to_string(),
            note: format!("{:+.2}", c.lrc_change),
        })
        .collect();
    let title = format!(
        "What changed: conservative Log Ratio (LRC) of {target} vs {reference} between periods"
    );
    let caption = svg::Caption::new(
        "chart-change",
        title,
        format!(
            "Diverging bar chart of the terms whose Log Ratio ({target} against {reference}) changed most from one period to the next: bars to the right moved towards {target}, bars to the left towards {reference}; bar length is the change in Log Ratio."
        ),
    );
    let axis = "Change in Log Ratio (later period − earlier period)";
    let sides = (target.as_str(), reference.as_str());
    sides_chart(CHANGE_CHART, caption, sides, ("towards", axis), bars)
}

fn attention_chart(data: &ReportData, at: &Attention) -> Chart {
    let interval = at.interval.name();
    let mut labels: Vec<&String> = at.series.iter().map(|p| &p.bucket).collect();
    labels.sort();
    labels.dedup();
    let starts: Vec<NaiveDateTime> = labels.iter().filter_map(|l| bucket_start(l)).collect();
    let points: BTreeMap<(&str, &str), &AttentionPoint> = at
        .series
        .iter()
        .map(|p| ((p.group.as_str(), p.bucket.as_str()), p))
        .collect();
    // A bucket where the group published nothing has no share: the line breaks.
    let series = group_lines(data, &labels, |label, bucket| {
        points
            .get(&(label, bucket.as_str()))
            .filter(|p| p.documents > 0)
            .map_or(f64::NAN, |p| p.share * 100.0)
    });
    let step = at.interval.step();
    let title = format!(
        "Attention to the query per {interval} by {}",
        data.question.by
    );
    let caption = svg::Caption::new(
            "chart-attention",
            title,
            format!(
                "Line chart of the share of each group's documents per {interval} that match the query {} ({}). Lines break where a group published nothing; shaded spans are the timeline's gaps.",
                at.query,
                at.totals
                    .iter()
                    .map(|t| format!("{}: {} of {} overall", t.group, t.matches, t.documents))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        );
    let y_label = format!("% of documents per {interval} matching");
    let chart = shares_over_time(data, caption, y_label, (starts, step), series);
    Chart::new(ATTENTION_CHART, &chart.caption, svg::time_chart(&chart))
}
