//! The time chart: values per time bucket in, a line/area chart with shaded spans (gaps in
//! output) and calendar ticks out.

use chrono::{Datelike, Duration, NaiveDateTime, Timelike};

use super::{esc, num, series_legend, Axis, Caption, Frame, Scale, Series, INK};

/// A shaded time span (a gap in output).
#[derive(Debug, Clone, PartialEq)]
pub struct TimeShade {
    /// Start (inclusive).
    pub from: NaiveDateTime,
    /// End (exclusive).
    pub until: NaiveDateTime,
    /// Label drawn at the top of the span.
    pub label: String,
    /// Legend entry (shades with the same entry share it).
    pub legend: String,
    /// Fill colour (drawn translucent).
    pub colour: String,
}

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with `Document`
// (model.rs), `CopyDocument` (partial/copy_rows.rs) and 4 more: different facts, no shared type.
/// A line/area chart of values per time bucket.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeChart {
    /// Id, title and description.
    pub caption: Caption,
    /// Time axis title.
    pub x_label: String,
    /// Value axis title.
    pub y_label: String,
    /// Start of each bucket, in order, evenly spaced by `step`.
    pub starts: Vec<NaiveDateTime>,
    /// Bucket length.
    pub step: Duration,
    /// The lines.
    pub series: Vec<Series>,
    /// Shaded spans.
    pub shades: Vec<TimeShade>,
    /// Fixed top of the value axis (e.g. 100 for percentages); `None` fits the data.
    pub y_max: Option<f64>,
}

/// A labelled tick of a time axis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeTick {
    /// Bucket number.
    pub index: usize,
    /// Main label (`5 Jan`, or `14:00` for hours).
    pub label: String,
    /// Second line where the larger unit changes (the year, or the day for hours).
    pub sublabel: Option<String>,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn day_month(t: NaiveDateTime) -> String {
    format!("{} {}", t.day(), MONTHS[t.month0() as usize])
}

/// Ticks for buckets starting at `starts` (hourly when `step` is under a day): at most
/// `max_labels`, every k-th bucket with k from a calendar-friendly list.
pub fn time_ticks(starts: &[NaiveDateTime], step: Duration, max_labels: usize) -> Vec<TimeTick> {
    if starts.is_empty() {
        return Vec::new();
    }
    let hourly = step < Duration::days(1);
    let weekly = step >= Duration::days(7);
    let needed = starts.len().div_ceil(max_labels.max(1));
    let strides: &[usize] = if hourly {
        &[1, 2, 3, 6, 12, 24, 48, 72, 168]
    } else if weekly {
        &[1, 2, 4, 8, 13, 26, 52]
    } else {
        &[1, 2, 3, 7, 14, 28, 56, 91, 182, 364]
    };
    let stride = strides
        .iter()
        .copied()
        .find(|s| *s >= needed)
        .unwrap_or(needed);
    let mut out = Vec::new();
    let mut previous: Option<NaiveDateTime> = None;
    for (index, t) in starts.iter().enumerate().step_by(stride) {
        let (label, sublabel) = if hourly {
            let changed = previous.is_none_or(|p| p.date() != t.date());
            (
                format!("{:02}:00", t.hour()),
                changed.then(|| day_month(*t)),
            )
        } else {
            let changed = previous.is_none_or(|p| p.year() != t.year());
            (day_month(*t), changed.then(|| t.year().to_string()))
        };
        out.push(TimeTick {
            index,
            label,
            sublabel,
        });
        previous = Some(*t);
    }
    out
}

/// Position of time `t` in buckets from the first start (fractional; clamped to the range).
fn bucket_position(chart: &TimeChart, t: NaiveDateTime) -> f64 {
    let Some(first) = chart.starts.first() else {
        return 0.0;
    };
    let step = chart.step.num_seconds().max(1) as f64;
    let pos = (t - *first).num_seconds() as f64 / step;
    pos.clamp(0.0, chart.starts.len() as f64)
}

/// Renders a time chart: one line and light area per series, shaded spans behind them.
pub fn time_chart(chart: &TimeChart) -> String {
    if chart.starts.is_empty() || chart.series.is_empty() {
        return super::no_data_chart(&chart.caption);
    }
    // Legend: series, then the shading.
    let mut items = series_legend(
        chart
            .series
            .iter()
            .map(|s| (s.label.as_str(), s.colour.as_str())),
    );
    for shade in &chart.shades {
        if !items
            .iter()
            .any(|(l, _, shaded)| *shaded && *l == shade.legend)
        {
            items.push((shade.legend.as_str(), shade.colour.as_str(), true));
        }
    }
    let frame = Frame::below_legend(&items, 380.0, 72.0);
    let ((left, top, plot_w, plot_h), height) = (frame.plot(), frame.height);
    let n = chart.starts.len().max(1);
    let max = chart
        .series
        .iter()
        .flat_map(|s| s.values.iter().copied().filter(|v| v.is_finite()))
        .fold(0.0f64, f64::max);
    // Headroom above the highest point keeps the gap labels clear of the lines.
    let axis = Axis::up_to(chart.y_max.unwrap_or(max.max(1.0) * 1.08), 5);
    // A fixed top gets headroom above its last tick for the gap labels.
    let y_top = if chart.y_max.is_some() {
        axis.top * 1.12
    } else {
        axis.top
    };
    let x = Scale::new((0.0, n as f64), (left, left + plot_w));
    let y = Scale::new((0.0, y_top), (top + plot_h, top));
    let mut c = frame.canvas(&chart.caption, &items);
    // Shaded gaps behind everything else.
    for shade in &chart.shades {
        let x0 = x.map(bucket_position(chart, shade.from));
        let x1 = x.map(bucket_position(chart, shade.until));
        c.rect(
            "gap",
            x0,
            top,
            x1 - x0,
            plot_h,
            &shade.colour,
            " fill-opacity=\"0.18\"",
        );
    }
    // Horizontal grid and value axis.
    frame.value_grid(&mut c, (&axis, &y), "", &chart.y_label);
    // Series: translucent area, then the line, then points when they are few.
    // A value that is not finite (no data) breaks the line into runs.
    let runs: Vec<(&Series, Vec<(f64, f64)>)> = chart
        .series
        .iter()
        .flat_map(|s| {
            let mut runs = vec![Vec::new()];
            for (i, v) in s.values.iter().enumerate() {
                if v.is_finite() {
                    if let Some(run) = runs.last_mut() {
                        run.push((x.map(i as f64 + 0.5), y.map(*v)));
                    }
                } else if runs.last().is_some_and(|r| !r.is_empty()) {
                    runs.push(Vec::new());
                }
            }
            runs.into_iter()
                .filter(|r| !r.is_empty())
                .map(move |r| (s, r))
        })
        .collect();
    for (s, points) in runs {
        let line: Vec<String> = points
            .iter()
            .map(|(px, py)| format!("{},{}", num(*px), num(*py)))
            .collect();
        let base = y.map(0.0);
        let area = format!(
            "M{},{} L{} L{},{} Z",
            num(points[0].0),
            num(base),
            line.join(" L"),
            num(points[points.len() - 1].0),
            num(base)
        );
        // Areas of many series would stack into a muddy block: lines only then.
        if chart.series.len() <= 3 {
            c.raw(&format!(
            "<path class=\"area\" d=\"{area}\" fill=\"{}\" fill-opacity=\"0.07\" stroke=\"none\"/>",
            s.colour
        ));
        }
        c.raw(&format!(
            "<polyline class=\"series\" points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" stroke-linejoin=\"round\"><title>{}</title></polyline>",
            line.join(" "),
            s.colour,
            esc(&s.label)
        ));
        if points.len() <= 62 {
            for (px, py) in &points {
                c.raw(&format!(
                    "<circle cx=\"{}\" cy=\"{}\" r=\"2.5\" fill=\"{}\"/>",
                    num(*px),
                    num(*py),
                    s.colour
                ));
            }
        }
    }
    // Gap labels over the lines, with a white halo to stay readable.
    for (i, shade) in chart.shades.iter().enumerate() {
        let x0 = x.map(bucket_position(chart, shade.from));
        let x1 = x.map(bucket_position(chart, shade.until));
        c.text(
            (x0 + x1) / 2.0,
            top + 14.0 + 14.0 * i as f64,
            "middle",
            &format!(
                " class=\"gap-label\" font-size=\"11\" fill=\"{INK}\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\""
            ),
            &shade.label,
        );
    }
    // Time axis.
    c.line(left, top + plot_h, left + plot_w, top + plot_h, INK, "");
    let max_labels = (plot_w / 64.0).floor() as usize;
    for tick in time_ticks(&chart.starts, chart.step, max_labels) {
        let px = x.map(tick.index as f64 + 0.5);
        c.line(px, top + plot_h, px, top + plot_h + 5.0, INK, "");
        c.tick(px, top + plot_h + 18.0, "middle", &tick.label);
        if let Some(sub) = &tick.sublabel {
            c.tick(px, top + plot_h + 32.0, "middle", sub);
        }
    }
    c.axis_title(left + plot_w / 2.0, height - 10.0, &chart.x_label);
    c.close()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::svg::colour;
    use crate::report::svg::tests::attrs;
    use chrono::NaiveDate;

    fn day(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
    }

    /// The ticks of `n` buckets of `step` from `first`, at most `most` of them labelled.
    fn ticks_of(first: NaiveDateTime, step: Duration, n: i32, most: usize) -> Vec<TimeTick> {
        let starts: Vec<NaiveDateTime> = (0..n).map(|i| first + step * i).collect();
        time_ticks(&starts, step, most)
    }

    #[test]
    fn daily_ticks_show_the_year_where_it_changes() {
        let ticks = ticks_of(day(2021, 12, 19), Duration::days(1), 33, 12);
        // 33 days in at most 12 labels → every third day.
        assert_eq!(ticks.len(), 11);
        assert_eq!(ticks[0].label, "19 Dec");
        assert_eq!(ticks[0].sublabel.as_deref(), Some("2021"));
        assert_eq!(ticks[1].index, 3);
        assert_eq!(ticks[1].sublabel, None);
        let new_year = ticks.iter().find(|t| t.label.ends_with("Jan")).unwrap();
        assert_eq!(new_year.label, "3 Jan");
        assert_eq!(new_year.sublabel.as_deref(), Some("2022"));
    }

    #[test]
    fn hourly_ticks_show_the_day_where_it_changes() {
        let ticks = ticks_of(day(2022, 1, 5), Duration::hours(1), 48, 10);
        assert_eq!(ticks[0].label, "00:00");
        assert_eq!(ticks[0].sublabel.as_deref(), Some("5 Jan"));
        assert!(ticks.iter().any(|t| t.sublabel.as_deref() == Some("6 Jan")));
        assert_eq!(ticks[1].index, 6);
    }

    fn timeline_chart() -> TimeChart {
        let starts: Vec<NaiveDateTime> = (0..10)
            .map(|i| day(2022, 1, 1) + Duration::days(i))
            .collect();
        TimeChart {
            caption: Caption::new("t", "Documents <per> day", "d".into()),
            x_label: "Day".into(),
            y_label: "Documents".into(),
            starts,
            step: Duration::days(1),
            series: vec![Series {
                label: "state".into(),
                colour: colour(0).into(),
                values: vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 23.0],
            }],
            shades: vec![TimeShade {
                from: day(2022, 1, 5),
                until: day(2022, 1, 7),
                label: "gap".into(),
                legend: "gap (no output)".into(),
                colour: "#999999".into(),
            }],
            y_max: None,
        }
    }

    #[test]
    fn time_chart_has_axes_gap_and_escaped_title() {
        let svg = time_chart(&timeline_chart());
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"t\""));
        assert!(svg.contains("width=\"960.0\" height=\"380.0\" viewBox=\"0 0 960.0 380.0\""));
        assert!(svg.contains("<title id=\"t-title\">Documents &lt;per&gt; day</title>"));
        // y ticks 0..25 by 5 for a maximum of 23.
        for label in ["0", "5", "10", "15", "20", "25"] {
            assert!(
                svg.contains(&format!("class=\"tick\" fill=\"#666666\">{label}</text>")),
                "{label}"
            );
        }
        // The gap covers buckets 4 and 5 of 10 in an 876 px wide plot starting at 64.
        let x = attrs(&svg, "gap", "x");
        let w = attrs(&svg, "gap", "width");
        assert_eq!((x.len(), w.len()), (1, 1));
        assert!((x[0] - (64.0 + 4.0 * 87.6)).abs() < 0.06, "{x:?}");
        assert!((w[0] - 2.0 * 87.6).abs() < 0.06, "{w:?}");
        assert!(svg.contains("1 Jan"));
        assert!(svg.trim_end().ends_with("</svg>"));
    }
}
