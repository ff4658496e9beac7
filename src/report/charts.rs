//! The report's charts: [`ReportData`] in, chart specifications out, drawn by [`super::svg`] —
//! the timeline with its gaps shaded, key terms as diverging bars, the language mix, entity
//! share of voice, frame shares and the frames that differ most over time.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use crate::report::data::{self, ReportData};
use crate::report::{partial, svg};
use crate::stats::keyness::Side;
use crate::stats::timeline::{Gap, Interval, Timeline};

/// One chart of a report.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// File name under `charts/` (e.g. `timeline.svg`).
    pub file: &'static str,
    /// Title (used as alt text in Markdown).
    pub title: String,
    /// The SVG document.
    pub svg: String,
}

impl Chart {
    /// The chart drawn as `svg`, saved as `file` and titled by its `caption`.
    pub(crate) fn new(file: &'static str, caption: &svg::Caption, svg: String) -> Chart {
        Chart {
            file,
            title: caption.title.clone(),
            svg,
        }
    }
}

/// Parses a timeline bucket label (`2022-01-05` or `2022-01-05T14:00`) into its start (the
/// report's charts and the web timeline draw the same buckets).
pub fn bucket_start(label: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(label, "%Y-%m-%dT%H:%M")
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(label, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
}

/// File names of the frame-over-time charts, in the order of [`data::FrameSection::over_time`].
pub const FRAME_TIME_FILES: [&str; data::FRAMES_OVER_TIME] = [
    "frames_over_time_1.svg",
    "frames_over_time_2.svg",
    "frames_over_time_3.svg",
];

/// The report's charts: timeline, key terms, language mix, and — when the lists were found —
/// entity share of voice, frame shares and frames over time.
pub fn charts(data: &ReportData) -> Vec<Chart> {
    let mut out = vec![
        timeline_chart(data),
        keyness_chart(data),
        language_chart(data),
    ];
    if data.entities.source.missing.is_none() {
        out.push(entities_chart(data));
    }
    if data.frames.source.missing.is_none() {
        out.push(frames_chart(data));
        out.extend(frame_time_charts(data));
    }
    out.extend(super::dynamics_charts::charts(data));
    out
}

/// A timeline's bucket labels, in order (every group has every bucket).
pub fn bucket_labels(timeline: &Timeline) -> Vec<&String> {
    timeline
        .groups
        .values()
        .next()
        .map(|s| s.keys().collect())
        .unwrap_or_default()
}

pub(crate) fn time_axis_label(data: &ReportData) -> String {
    let what = match data.question.interval {
        Interval::Hour => "Hour",
        Interval::Week => "Week starting",
        Interval::Day => "Day",
        Interval::Month => "Month",
        Interval::Year => "Year",
    };
    format!("{what} ({})", data.question.timezone)
}

fn timeline_chart(data: &ReportData) -> Chart {
    let interval = data.question.interval.name();
    let step = data.question.interval.step();
    let labels = bucket_labels(&data.timeline);
    let starts: Vec<NaiveDateTime> = labels.iter().filter_map(|l| bucket_start(l)).collect();
    // A bucket only partly inside the range would be drawn as a fall: it breaks the line.
    let partial = data.partial_buckets();
    let series = data
        .group_labels()
        .into_iter()
        .filter_map(|label| {
            let volumes = data.timeline.groups.get(label)?;
            Some(svg::Series {
                label: label.to_string(),
                colour: svg::colour(data.group_position(label)).to_string(),
                values: volumes
                    .iter()
                    .map(|(bucket, v)| {
                        if partial.contains(bucket) {
                            f64::NAN
                        } else {
                            v.documents as f64
                        }
                    })
                    .collect(),
            })
        })
        .collect();
    let shades = gap_shades(data, &starts, step);
    let title = format!("Documents per {interval} by {}", data.question.by);
    let gaps: Vec<String> = data
        .group_gaps()
        .map(|g| format!("{} published nothing from {} to {}", g.name, g.from, g.to))
        .collect();
    let description = format!(
        "Line chart of documents per {interval} for {} from {} to {}. {}",
        data.group_labels().join(", "),
        data.overview.days.first_day.as_deref().unwrap_or("?"),
        data.overview.days.last_day.as_deref().unwrap_or("?"),
        if gaps.is_empty() {
            "No gaps.".to_string()
        } else {
            format!("Shaded gaps: {}.", gaps.join("; "))
        }
    );
    let x_label = time_axis_label(data);
    let chart = svg::TimeChart {
        caption: svg::Caption::new("chart-timeline", title, description),
        x_label,
        y_label: format!("Documents per {interval}"),
        starts,
        step,
        series,
        shades,
        y_max: None,
    };
    Chart::new("timeline.svg", &chart.caption, svg::time_chart(&chart))
}

/// Shaded spans of whole-group gaps; gaps with the same span (several groups silent together) share one shade.
/// A band covers only the buckets wholly inside its gap (see [`partial::whole_buckets`]).
pub(crate) fn gap_shades(
    data: &ReportData,
    starts: &[NaiveDateTime],
    step: Duration,
) -> Vec<svg::TimeShade> {
    let mut spans: Vec<(&str, &str, u64, Vec<&Gap>)> = Vec::new();
    for gap in data.group_gaps() {
        match spans
            .iter_mut()
            .find(|(from, to, _, _)| *from == gap.from && *to == gap.to)
        {
            Some(span) => span.3.push(gap),
            None => spans.push((&gap.from, &gap.to, gap.days, vec![gap])),
        }
    }
    spans
        .into_iter()
        .filter_map(|(from, to, days, gaps)| {
            let (from, until) = partial::whole_buckets(
                starts,
                step,
                bucket_start(from)?,
                bucket_start(to)? + Duration::days(1),
            )?;
            let names: Vec<&str> = gaps.iter().map(|g| g.name.as_str()).collect();
            let joined = names.join(", ");
            let who = if names.len() == 1 || joined.chars().count() <= 40 {
                joined
            } else {
                format!("{} groups", names.len())
            };
            let colour = if gaps.len() == 1 {
                svg::colour(data.group_position(&gaps[0].group))
            } else {
                "#777777"
            };
            Some(svg::TimeShade {
                from,
                until,
                label: format!("{who}: no output, {days} days"),
                legend: format!("gap: {who} silent"),
                colour: colour.to_string(),
            })
        })
        .collect()
}

/// How many key terms per direction the chart shows.
pub const CHART_TERMS: usize = 15;

fn keyness_chart(data: &ReportData) -> Chart {
    let target = &data.keyness.target.label;
    let reference = &data.keyness.reference.label;
    let mut bars = Vec::new();
    for direction in Side::BOTH {
        let colour = svg::colour(data.group_position(data.side_label(direction)));
        for t in data.key_terms(direction).into_iter().take(CHART_TERMS) {
            bars.push(svg::Bar {
                label: t.forms.first().cloned().unwrap_or_else(|| t.term.clone()),
                value: t.log_ratio,
                colour: colour.to_string(),
                note: format!("{:.2}", t.log_ratio),
            });
        }
    }
    let caption = svg::Caption::new(
        "chart-keyness",
        format!("Key terms: {target} vs {reference} (Log Ratio)"),
        format!(
            "Diverging bar chart of the top {CHART_TERMS} key terms per direction, ranked by G²: bars to the right are over-used by {target}, bars to the left by {reference}; bar length is the Log Ratio (binary log of the ratio of relative frequencies). Each term is labelled by its most frequent word form."
        ),
    );
    let axis = "Log Ratio (log2 of relative frequency ratio; ±1 = twice as frequent)";
    let sides = (target.as_str(), reference.as_str());
    sides_chart("keyness.svg", caption, sides, ("over-used by", axis), bars)
}

/// Bars both ways: right ones lean `towards` the target, left ones towards the reference (the
/// key-terms and "What changed" charts); `axis` is the value axis title.
pub(crate) fn sides_chart(
    file: &'static str,
    caption: svg::Caption,
    (target, reference): (&str, &str),
    (towards, axis): (&str, &str),
    bars: Vec<svg::Bar>,
) -> Chart {
    let chart = svg::DivergingChart {
        caption,
        left_caption: format!("← {towards} {reference}"),
        right_caption: format!("{towards} {target} →"),
        axis_label: axis.to_string(),
        bars,
    };
    Chart::new(file, &chart.caption, svg::diverging_bars(&chart))
}

fn language_chart(data: &ReportData) -> Chart {
    let groups: Vec<String> = data.group_labels().iter().map(|s| s.to_string()).collect();
    let langs: Vec<String> = {
        let mut all: Vec<String> = data.language_mix.iter().map(|l| l.lang.clone()).collect();
        all.sort();
        all.dedup();
        all
    };
    let series = langs
        .iter()
        .enumerate()
        .map(|(i, lang)| svg::Series {
            label: lang.clone(),
            colour: svg::colour(i + 2).to_string(),
            values: groups
                .iter()
                .map(|g| {
                    data.language_mix
                        .iter()
                        .find(|l| l.group == *g && l.lang == *lang)
                        .map_or(0.0, |l| l.share)
                })
                .collect(),
        })
        .collect();
    let description = format!(
        "Grouped bar chart: share of each group's documents per detected language ({}).",
        langs.join(", ")
    );
    let caption = caption_by(data, "chart-language", "Language mix", description);
    let x_label = data.question.by.to_string();
    group_shares("language_mix.svg", caption, x_label, groups, series)
}

/// The caption of a chart titled "`what` by" the report's grouping.
pub(crate) fn caption_by(
    data: &ReportData,
    id: &str,
    what: &str,
    description: String,
) -> svg::Caption {
    svg::Caption::new(id, format!("{what} by {}", data.question.by), description)
}

/// A grouped bar chart of shares of each group's documents, saved as `file`: `series` over
/// the x axis's `groups`.
pub(crate) fn group_shares(
    file: &'static str,
    caption: svg::Caption,
    x_label: String,
    groups: Vec<String>,
    series: Vec<svg::Series>,
) -> Chart {
    let labels = (x_label, "Share of the group's documents".to_string());
    let chart = svg::GroupedChart::shares(caption, labels, groups, series);
    Chart::new(file, &chart.caption, svg::grouped_bars(&chart))
}

/// Entities in the share-of-voice chart.
pub const CHART_ENTITIES: usize = 10;

/// Series of a grouped chart: one per report group, in its colour.
pub(crate) fn group_series(
    data: &ReportData,
    value: impl Fn(&str) -> Vec<f64>,
) -> Vec<svg::Series> {
    data.group_labels()
        .into_iter()
        .map(|label| svg::Series {
            label: label.to_string(),
            colour: svg::colour(data.group_position(label)).to_string(),
            values: value(label),
        })
        .collect()
}

fn entities_chart(data: &ReportData) -> Chart {
    let shown: Vec<&data::EntityRow> = data.entities.entities.iter().take(CHART_ENTITIES).collect();
    let series = group_series(data, |label| {
        shown
            .iter()
            .map(|e| {
                e.groups
                    .iter()
                    .find(|g| g.group == label)
                    .map_or(0.0, |g| g.share_of_voice)
            })
            .collect()
    });
    let title = format!(
        "Share of voice: top {} entities by {}",
        shown.len(),
        data.question.by
    );
    let which = format!("the {} most mentioned gazetteer entities", shown.len());
    let share = "each group's share of all its entity mentions";
    let labels = ("Share of the group's entity mentions", "Entity");
    let names = shown.iter().map(|e| e.name.clone()).collect();
    let caption = ("chart-entities", title);
    item_shares(
        data,
        "entities.svg",
        caption,
        (which, share),
        labels,
        names,
        series,
    )
}

/// Horizontal grouped bars of shares, a row per item and a bar per report group: the entities'
/// and frames' charts; the description says `which` items these are and what `share` each bar
/// is, `labels` are the value and item axis titles.
fn item_shares(
    data: &ReportData,
    file: &'static str,
    (id, title): (&'static str, String),
    (which, share): (String, &str),
    (x_label, y_label): (&str, &str),
    items: Vec<String>,
    series: Vec<svg::Series>,
) -> Chart {
    let description = format!(
        "Grouped horizontal bar chart: for {which} ({}), {share}, one bar per group ({}).",
        items.join(", "),
        data.group_labels().join(", ")
    );
    let caption = svg::Caption::new(id, title, description);
    let labels = (x_label.to_string(), y_label.to_string());
    let chart = svg::GroupedChart::shares(caption, labels, items, series);
    Chart::new(file, &chart.caption, svg::grouped_hbars(&chart))
}

fn frames_chart(data: &ReportData) -> Chart {
    let mut frames: Vec<&str> = data
        .frames
        .shares
        .iter()
        .map(|s| s.frame.as_str())
        .collect();
    frames.dedup();
    let series = group_series(data, |label| {
        frames
            .iter()
            .map(|f| {
                data.frames
                    .shares
                    .iter()
                    .find(|s| s.frame == *f && s.group == label)
                    .map_or(0.0, |s| s.share)
            })
            .collect()
    });
    let title = format!("Documents with a frame hit by {}", data.question.by);
    let which = "each frame of the dictionary".to_string();
    let share = "the share of each group's documents with at least one hit";
    let labels = (
        "Share of the group's documents with at least one hit",
        "Frame",
    );
    let names = frames.iter().map(|f| f.to_string()).collect();
    let caption = ("chart-frames", title);
    item_shares(
        data,
        "frames.svg",
        caption,
        (which, share),
        labels,
        names,
        series,
    )
}

/// One line per group of the report, in the group's colour, with `value(group, bucket)` for
/// each of `buckets`.
pub(crate) fn group_lines<B>(
    data: &ReportData,
    buckets: &[B],
    value: impl Fn(&str, &B) -> f64,
) -> Vec<svg::Series> {
    group_series(data, |label| {
        buckets.iter().map(|b| value(label, b)).collect()
    })
}

/// A line chart of each group's share of documents (%) per bucket (`starts`, `step`) on the
/// report's time axis, with the timeline's gaps shaded: the frames' and attention's charts.
pub(crate) fn shares_over_time(
    data: &ReportData,
    caption: svg::Caption,
    y_label: String,
    (starts, step): (Vec<NaiveDateTime>, Duration),
    series: Vec<svg::Series>,
) -> svg::TimeChart {
    svg::TimeChart {
        caption,
        x_label: time_axis_label(data),
        y_label,
        shades: gap_shades(data, &starts, step),
        starts,
        step,
        series,
        y_max: Some(100.0),
    }
}

fn frame_time_charts(data: &ReportData) -> Vec<Chart> {
    let interval = data.question.interval.name();
    let labels = bucket_labels(&data.timeline);
    let starts: Vec<NaiveDateTime> = labels.iter().filter_map(|l| bucket_start(l)).collect();
    data.frames
        .over_time
        .iter()
        .zip(FRAME_TIME_FILES)
        .enumerate()
        .map(|(i, (gap, file))| {
            // Buckets without documents of the group have no share: the line breaks.
            let series = group_lines(data, &labels, |label, bucket| {
                data.frames
                    .series
                    .iter()
                    .find(|p| p.frame == gap.frame && p.group == label && p.bucket == **bucket)
                    .map_or(f64::NAN, |p| p.share * 100.0)
            });
            let title = format!("Frame {} over time by {}", gap.frame, data.question.by);
            let caption = svg::Caption::new(
                format!("chart-frame-time-{}", i + 1),
                title,
                format!(
                    "Line chart of the share of each group's documents per {interval} with at least one hit of the frame {} ({:.1}% of {}'s documents overall vs {:.1}% of {}'s). Lines break where a group published nothing; shaded spans are the timeline's gaps.",
                    gap.frame,
                    gap.target_share * 100.0,
                    data.keyness.target.label,
                    gap.reference_share * 100.0,
                    data.keyness.reference.label
                ),
            );
            let y_label = format!("% of documents per {interval} with a hit");
            let step = data.question.interval.step();
            let chart = shares_over_time(data, caption, y_label, (starts.clone(), step), series);
            Chart::new(file, &chart.caption, svg::time_chart(&chart))
        })
        .collect()
}
