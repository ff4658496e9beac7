//! Bar charts: a diverging horizontal bar chart (key terms both ways) and grouped vertical
//! and horizontal bar charts (language mix, share of voice, frame shares).

use super::{
    largest, legend_layout, no_data_chart, series_legend, text_width, tick_label, Axis, Caption,
    Frame, LegendItem, Scale, Series, GRID, INK, LEGEND_ROW, MUTED,
};

/// One bar of a diverging bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Row label.
    pub label: String,
    /// Signed value: positive bars go right, negative left.
    pub value: f64,
    /// Fill colour.
    pub colour: String,
    /// Text at the end of the bar (e.g. the formatted value).
    pub note: String,
}

/// A diverging horizontal bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct DivergingChart {
    /// Id, title and description.
    pub caption: Caption,
    /// Caption over the left (negative) half.
    pub left_caption: String,
    /// Caption over the right (positive) half.
    pub right_caption: String,
    /// Value axis title.
    pub axis_label: String,
    /// Bars, top to bottom.
    pub bars: Vec<Bar>,
}

/// Length in pixels of a bar for `value` when `max_abs` fills `half_width`.
pub fn bar_extent(value: f64, max_abs: f64, half_width: f64) -> f64 {
    if max_abs <= 0.0 {
        return 0.0;
    }
    value.abs() / max_abs * half_width
}

/// Renders a diverging bar chart: labels at the centre line, bars away from it.
pub fn diverging_bars(chart: &DivergingChart) -> String {
    if chart.bars.is_empty() {
        return no_data_chart(&chart.caption);
    }
    let width = 960.0;
    let (left, right, top, bottom) = (24.0, 24.0, 76.0, 56.0);
    let row = 22.0;
    let rows = chart.bars.len().max(1) as f64;
    let height = top + rows * row + bottom;
    let plot_w = width - left - right;
    let centre = left + plot_w / 2.0;
    let max_abs = chart
        .bars
        .iter()
        .map(|b| b.value.abs())
        .fold(0.0f64, f64::max);
    let axis = Axis::up_to(max_abs.max(1e-9), 4);
    let extent = axis.top;
    let half_w = plot_w / 2.0;
    let mut c = chart.caption.canvas(width, height);
    c.title(left, &chart.caption.title);
    c.text(
        centre - 10.0,
        52.0,
        "end",
        &format!(" font-weight=\"bold\" fill=\"{INK}\""),
        &chart.left_caption,
    );
    c.text(
        centre + 10.0,
        52.0,
        "start",
        &format!(" font-weight=\"bold\" fill=\"{INK}\""),
        &chart.right_caption,
    );
    let plot_bottom = top + rows * row;
    // Vertical grid at symmetric ticks.
    for v in &axis.ticks {
        let signs: &[f64] = if *v == 0.0 { &[1.0] } else { &[-1.0, 1.0] };
        for sign in signs {
            let signed = sign * v;
            let px = centre + signed / extent * half_w;
            c.line(px, top - 6.0, px, plot_bottom, GRID, "");
            c.tick(
                px,
                plot_bottom + 18.0,
                "middle",
                &tick_label(signed, axis.step),
            );
        }
    }
    for (i, bar) in chart.bars.iter().enumerate() {
        let y0 = top + i as f64 * row;
        let w = bar_extent(bar.value, extent, half_w);
        let (bx, label_x, label_anchor, note_x, note_anchor) = if bar.value >= 0.0 {
            (centre, centre - 6.0, "end", centre + w + 4.0, "start")
        } else {
            (centre - w, centre + 6.0, "start", centre - w - 4.0, "end")
        };
        c.rect("bar", bx, y0 + 3.0, w, row - 6.0, &bar.colour, "");
        c.text(
            label_x,
            y0 + row / 2.0 + 4.0,
            label_anchor,
            &format!(" fill=\"{INK}\""),
            &bar.label,
        );
        c.text(
            note_x,
            y0 + row / 2.0 + 4.0,
            note_anchor,
            &format!(" font-size=\"11\" fill=\"{MUTED}\""),
            &bar.note,
        );
    }
    c.line(centre, top - 6.0, centre, plot_bottom, INK, "");
    c.line(left, plot_bottom, left + plot_w, plot_bottom, INK, "");
    c.axis_title(centre, height - 12.0, &chart.axis_label);
    c.close()
}

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with
// `ReportFiles` (report/write.rs): different facts, no shared type.
/// A grouped vertical bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupedChart {
    /// Id, title and description.
    pub caption: Caption,
    /// Category axis title.
    pub x_label: String,
    /// Value axis title.
    pub y_label: String,
    /// Group names along the x axis.
    pub groups: Vec<String>,
    /// Series (bars within each group).
    pub series: Vec<Series>,
    /// Multiplier and suffix for value labels (e.g. 100 and `%` for shares).
    pub value_format: (f64, &'static str),
}

/// Renders a grouped bar chart.
pub fn grouped_bars(chart: &GroupedChart) -> String {
    if chart.groups.is_empty() || chart.series.iter().all(|s| s.values.is_empty()) {
        return no_data_chart(&chart.caption);
    }
    let items = chart.legend();
    let frame = Frame::below_legend(&items, 360.0, 64.0);
    let ((left, top, plot_w, plot_h), height) = (frame.plot(), frame.height);
    let (scale_by, suffix) = chart.value_format;
    let axis = Axis::up_to(largest(&chart.series, scale_by).max(1e-9), 5);
    let y = Scale::new((0.0, axis.top), (top + plot_h, top));
    let mut c = frame.canvas(&chart.caption, &items);
    frame.value_grid(&mut c, (&axis, &y), suffix, &chart.y_label);
    let groups = chart.groups.len().max(1) as f64;
    let band = plot_w / groups;
    let inner = band * 0.8;
    let bar_w = inner / chart.series.len().max(1) as f64;
    for (g, group) in chart.groups.iter().enumerate() {
        let x0 = left + g as f64 * band + (band - inner) / 2.0;
        for (s, series) in chart.series.iter().enumerate() {
            let v = series.values.get(g).copied().unwrap_or(0.0) * scale_by;
            let (bx, by) = (x0 + s as f64 * bar_w, y.map(v));
            c.rect(
                "bar",
                bx + 1.0,
                by,
                bar_w - 2.0,
                top + plot_h - by,
                &series.colour,
                "",
            );
            if v > 0.0 {
                c.text(
                    bx + bar_w / 2.0,
                    by - 4.0,
                    "middle",
                    &format!(" font-size=\"11\" fill=\"{MUTED}\""),
                    &format!("{}{suffix}", tick_label(v, 1.0)),
                );
            }
        }
        let centre = left + g as f64 * band + band / 2.0;
        c.axis_title(centre, top + plot_h + 18.0, group);
    }
    c.line(left, top + plot_h, left + plot_w, top + plot_h, INK, "");
    c.axis_title(left + plot_w / 2.0, height - 12.0, &chart.x_label);
    c.close()
}

impl GroupedChart {
    /// A chart of shares (0–1, labelled as percentages): `labels` are the category and value
    /// axis titles, `groups` the categories, each series one value per group.
    pub fn shares(
        caption: Caption,
        (x_label, y_label): (String, String),
        groups: Vec<String>,
        series: Vec<Series>,
    ) -> GroupedChart {
        GroupedChart {
            caption,
            x_label,
            y_label,
            groups,
            series,
            value_format: super::PERCENT,
        }
    }

    /// One legend entry per series.
    fn legend(&self) -> Vec<LegendItem<'_>> {
        series_legend(
            self.series
                .iter()
                .map(|s| (s.label.as_str(), s.colour.as_str())),
        )
    }
}

/// Renders a grouped horizontal bar chart: one row per entry of `groups` (labels on the
/// left), one bar per series within each row, values along the x axis.
pub fn grouped_hbars(chart: &GroupedChart) -> String {
    if chart.groups.is_empty() || chart.series.iter().all(|s| s.values.is_empty()) {
        return no_data_chart(&chart.caption);
    }
    let items = chart.legend();
    let width = 960.0;
    let label_w = chart
        .groups
        .iter()
        .map(|g| text_width(g, 12.0))
        .fold(60.0f64, f64::max)
        .min(300.0);
    let left = label_w + 20.0;
    let (places, rows) = legend_layout(&items, left, width - 20.0);
    let extra = LEGEND_ROW * (rows - 1) as f64;
    let bar_h = 13.0;
    let band = bar_h * chart.series.len().max(1) as f64 + 10.0;
    let (right, top, bottom) = (56.0, 64.0 + extra, 52.0);
    let plot_w = width - left - right;
    let plot_h = band * chart.groups.len().max(1) as f64;
    let height = top + plot_h + bottom;
    let (scale_by, suffix) = chart.value_format;
    let axis = Axis::up_to(largest(&chart.series, scale_by).max(1e-9), 6);
    let x = Scale::new((0.0, axis.top), (left, left + plot_w));
    let mut c = chart.caption.canvas(width, height);
    c.title(20.0, &chart.caption.title);
    c.legend(&items, &places, 46.0);
    for v in &axis.ticks {
        let px = x.map(*v);
        c.line(px, top, px, top + plot_h, GRID, "");
        let label = format!("{}{suffix}", tick_label(*v, axis.step));
        c.tick(px, top + plot_h + 16.0, "middle", &label);
    }
    for (g, group) in chart.groups.iter().enumerate() {
        let y0 = top + g as f64 * band + 5.0;
        let label = if text_width(group, 12.0) > label_w {
            let keep = (label_w / 7.2).floor() as usize;
            format!(
                "{}…",
                group
                    .chars()
                    .take(keep.saturating_sub(1))
                    .collect::<String>()
            )
        } else {
            group.clone()
        };
        c.text(
            left - 8.0,
            y0 + band / 2.0,
            "end",
            &format!(" fill=\"{INK}\""),
            &label,
        );
        for (s, series) in chart.series.iter().enumerate() {
            let v = series.values.get(g).copied().unwrap_or(0.0) * scale_by;
            let by = y0 + s as f64 * bar_h;
            let w = x.map(v) - left;
            c.rect("bar", left, by, w, bar_h - 2.0, &series.colour, "");
            c.text(
                left + w + 4.0,
                by + bar_h - 4.0,
                "start",
                &format!(" font-size=\"10\" fill=\"{MUTED}\""),
                &format!("{}{suffix}", tick_label(v, 0.1)),
            );
        }
    }
    c.line(left, top, left, top + plot_h, INK, "");
    c.axis_title(left + plot_w / 2.0, height - 12.0, &chart.x_label);
    c.close()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::svg::colour;
    use crate::report::svg::tests::attrs;

    /// A key-terms chart of `bars`.
    fn diverging(bars: Vec<Bar>) -> DivergingChart {
        DivergingChart {
            caption: Caption::new("k", "Key terms", "d".into()),
            left_caption: "← reference".into(),
            right_caption: "target →".into(),
            axis_label: "Log Ratio".into(),
            bars,
        }
    }

    // Issue 17: an empty chart drew an axis with ticks like -0.0000000010.
    #[test]
    fn charts_without_data_say_so_instead_of_drawing_axes() {
        let diverging = diverging(Vec::new());
        let grouped = GroupedChart::shares(
            Caption::new("g", "Shares", "d".into()),
            ("x".into(), "y".into()),
            Vec::new(),
            Vec::new(),
        );
        for svg in [
            diverging_bars(&diverging),
            grouped_bars(&grouped),
            grouped_hbars(&grouped),
        ] {
            assert!(svg.contains(super::super::NO_DATA), "{svg}");
            assert!(!svg.contains("0000"), "{svg}");
            assert!(!svg.contains("class=\"tick\""), "{svg}");
        }
    }

    #[test]
    fn bar_widths_are_proportional_to_values() {
        let chart = diverging(
            [4.0, 2.0, -1.0]
                .iter()
                .map(|v| Bar {
                    label: format!("t{v}"),
                    value: *v,
                    colour: colour(0).into(),
                    note: format!("{v:.2}"),
                })
                .collect(),
        );
        let svg = diverging_bars(&chart);
        let widths = attrs(&svg, "bar", "width");
        let xs = attrs(&svg, "bar", "x");
        assert_eq!(widths.len(), 3);
        assert!((widths[0] / widths[1] - 2.0).abs() < 0.01);
        assert!((widths[0] / widths[2] - 4.0).abs() < 0.01);
        // Positive bars start at the centre line (480), the negative one ends there.
        assert_eq!(xs[0], 480.0);
        assert!((xs[2] + widths[2] - 480.0).abs() < 0.11);
        // Ticks reach 4 on each side: the largest bar fills half the plot (456 px).
        assert!((widths[0] - 456.0).abs() < 0.11);
        assert_eq!(bar_extent(-3.0, 6.0, 100.0), 50.0);
    }

    #[test]
    fn grouped_bars_scale_heights_to_values() {
        let chart = GroupedChart::shares(
            Caption::new("g", "Languages", "d".into()),
            ("Group".into(), "Share".into()),
            vec!["state".into(), "independent".into()],
            vec![
                Series {
                    label: "ru".into(),
                    colour: colour(0).into(),
                    values: vec![0.5, 0.25],
                },
                Series {
                    label: "kk".into(),
                    colour: colour(1).into(),
                    values: vec![0.5, 0.75],
                },
            ],
        );
        let svg = grouped_bars(&chart);
        let heights = attrs(&svg, "bar", "height");
        // Order: state ru, state kk, independent ru, independent kk.
        assert_eq!(heights.len(), 4);
        assert!((heights[0] / heights[2] - 2.0).abs() < 0.01);
        assert!((heights[3] / heights[2] - 3.0).abs() < 0.01);
        assert!(svg.contains(">75%</text>"));
        assert!(svg.contains(">independent</text>"));
    }
}
