//! SVG charts: numbers, dates and labels in, self-contained `<svg>` text out — a line/area
//! chart over time with shaded gaps, a diverging horizontal bar chart and a grouped bar chart.
//!
//! Every chart has explicit `width`, `height` and `viewBox`, a `<title>` and `<desc>`, axes with
//! labelled ticks and a legend; all text is escaped; coordinates are printed with one decimal
//! so the same input gives the same bytes.

use std::fmt::Write as _;

use chrono::{Datelike, Duration, NaiveDateTime, Timelike};

use crate::escape::html as esc;

/// The Okabe–Ito colour-blind-safe palette, ordered for contrast on white.
pub const PALETTE: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
];

/// Colour number `i` of the palette (wrapping).
pub fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

const FONT: &str = "system-ui, 'Segoe UI', 'Noto Sans', 'DejaVu Sans', Arial, sans-serif";
const INK: &str = "#222222";
const MUTED: &str = "#666666";
const GRID: &str = "#e3e3e3";

/// A coordinate with one decimal, never `-0.0`.
fn num(v: f64) -> String {
    let s = format!("{v:.1}");
    if s == "-0.0" {
        "0.0".to_string()
    } else {
        s
    }
}

/// The 1-2-5 step that splits `span` into about `target` intervals.
pub fn nice_step(span: f64, target: usize) -> f64 {
    if !(span.is_finite() && span > 0.0) {
        return 1.0;
    }
    let raw = span / target.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let fraction = raw / magnitude;
    let nice = if fraction <= 1.0 {
        1.0
    } else if fraction <= 2.0 {
        2.0
    } else if fraction <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// Tick values covering `lo..=hi`: multiples of a 1-2-5 step, extended outwards to whole steps.
pub fn ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    let (lo, hi) = if hi > lo { (lo, hi) } else { (lo, lo + 1.0) };
    let step = nice_step(hi - lo, target);
    let first = (lo / step).floor() as i64;
    let last = (hi / step - 1e-9).ceil() as i64;
    // Whole numbers divided by a power of ten give the double nearest the decimal value
    // (0.3, not 0.30000000000000004).
    let scale = 10f64.powi((-step.log10().floor()).max(0.0) as i32);
    (first..=last.max(first + 1))
        .map(|i| (i as f64 * step * scale).round() / scale)
        .collect()
}

/// A tick value as text, with as many decimals as the step needs.
pub fn tick_label(value: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil().max(0.0) as usize
    };
    let s = format!("{value:.decimals$}");
    if s.starts_with('-') && s.trim_start_matches(['-', '0', '.']).is_empty() {
        s[1..].to_string()
    } else {
        s
    }
}

/// Ticks of a value axis from 0: the values, the top one and the step between them.
#[derive(Debug, Clone, PartialEq)]
struct Axis {
    ticks: Vec<f64>,
    top: f64,
    step: f64,
}

impl Axis {
    /// About `target` round ticks from 0 to at least `max`.
    fn up_to(max: f64, target: usize) -> Axis {
        let ticks = ticks(0.0, max, target);
        let top = ticks.last().copied().unwrap_or(1.0);
        let step = if ticks.len() > 1 {
            ticks[1] - ticks[0]
        } else {
            1.0
        };
        Axis { ticks, top, step }
    }
}

/// The largest value of any series, times `scale` (0 when there is none).
fn largest(series: &[BarSeries], scale: f64) -> f64 {
    series
        .iter()
        .flat_map(|s| s.values.iter().map(|v| v * scale))
        .fold(0.0f64, f64::max)
}

/// Legend entries of series: each label in its colour.
fn series_legend<'a>(series: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<LegendItem<'a>> {
    series
        .map(|(label, colour)| (label, colour, false))
        .collect()
}

/// A linear map from a data domain to a pixel range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    d0: f64,
    d1: f64,
    r0: f64,
    r1: f64,
}

impl Scale {
    /// Maps `domain` onto `range`.
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Scale {
        Scale {
            d0: domain.0,
            d1: domain.1,
            r0: range.0,
            r1: range.1,
        }
    }

    /// The pixel position of `v`.
    pub fn map(&self, v: f64) -> f64 {
        if self.d1 == self.d0 {
            return self.r0;
        }
        self.r0 + (v - self.d0) / (self.d1 - self.d0) * (self.r1 - self.r0)
    }
}

/// An SVG document under construction.
struct Canvas {
    out: String,
}

impl Canvas {
    fn open(id: &str, width: f64, height: f64, title: &str, description: &str) -> Canvas {
        let mut out = String::new();
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}\" class=\"chart\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"{FONT}\" font-size=\"12\">\n<title id=\"{id}-title\">{title}</title>\n<desc id=\"{id}-desc\">{desc}</desc>\n<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n",
            id = esc(id),
            w = num(width),
            h = num(height),
            title = esc(title),
            desc = esc(description),
        );
        Canvas { out }
    }

    fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, extra: &str) {
        let _ = writeln!(
            self.out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{stroke}\"{extra}/>",
            num(x1),
            num(y1),
            num(x2),
            num(y2)
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn rect(&mut self, class: &str, x: f64, y: f64, w: f64, h: f64, fill: &str, extra: &str) {
        let _ = writeln!(
            self.out,
            "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"{extra}/>",
            num(x),
            num(y),
            num(w.max(0.0)),
            num(h.max(0.0))
        );
    }

    /// Text; `anchor` is start, middle or end; `extra` holds further attributes.
    fn text(&mut self, x: f64, y: f64, anchor: &str, extra: &str, content: &str) {
        let _ = writeln!(
            self.out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\"{extra}>{}</text>",
            num(x),
            num(y),
            esc(content)
        );
    }

    /// The chart's title, top left at `x`.
    fn title(&mut self, x: f64, title: &str) {
        self.text(
            x,
            22.0,
            "start",
            &format!(" font-size=\"15\" font-weight=\"bold\" fill=\"{INK}\""),
            title,
        );
    }

    /// An axis title centred at `x`, `y`.
    fn axis_title(&mut self, x: f64, y: f64, title: &str) {
        self.text(x, y, "middle", &format!(" fill=\"{INK}\""), title);
    }

    /// The value axis title, turned up along the left edge of a plot from `top` to `bottom`.
    fn value_axis_title(&mut self, top: f64, bottom: f64, title: &str) {
        let middle = (top + bottom) / 2.0;
        self.text(
            16.0,
            middle,
            "middle",
            &format!(
                " fill=\"{INK}\" transform=\"rotate(-90 16 {})\"",
                num(middle)
            ),
            title,
        );
    }

    /// A tick label in the muted colour.
    fn tick(&mut self, x: f64, y: f64, anchor: &str, label: &str) {
        self.text(
            x,
            y,
            anchor,
            &format!(" class=\"tick\" fill=\"{MUTED}\""),
            label,
        );
    }

    fn raw(&mut self, s: &str) {
        self.out.push_str(s);
        self.out.push('\n');
    }

    /// A legend of colour swatches laid out by [`legend_layout`], its first row at `y`.
    fn legend(&mut self, items: &[LegendItem], places: &[(f64, usize)], y: f64) {
        for ((label, fill, shaded), (x, row)) in items.iter().zip(places) {
            let extra = if *shaded {
                " fill-opacity=\"0.25\""
            } else {
                ""
            };
            let y = y + LEGEND_ROW * *row as f64;
            self.rect("swatch", *x, y - 10.0, 14.0, 14.0, fill, extra);
            self.text(
                x + 19.0,
                y + 1.0,
                "start",
                &format!(" fill=\"{INK}\""),
                label,
            );
        }
    }

    fn close(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

/// A legend entry: label, colour, drawn translucent (a shaded span) or not.
type LegendItem<'a> = (&'a str, &'a str, bool);

/// Height of one legend row.
const LEGEND_ROW: f64 = 20.0;

/// Where each legend item goes, wrapping into rows between `x` and `max_x`: (x, row) per item,
/// and the number of rows.
fn legend_layout(items: &[LegendItem], x: f64, max_x: f64) -> (Vec<(f64, usize)>, usize) {
    let mut places = Vec::with_capacity(items.len());
    let (mut at, mut row) = (x, 0);
    for (label, _, _) in items {
        let w = 19.0 + text_width(label, 12.0);
        if at > x && at + w > max_x {
            at = x;
            row += 1;
        }
        places.push((at, row));
        at += w + 18.0;
    }
    (places, row + 1)
}

/// Rough width of `text` at `size` px (for layout only; wide enough for Cyrillic).
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.6
}

/// One line of a time chart.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeSeries {
    /// Legend label.
    pub label: String,
    /// Stroke colour.
    pub colour: String,
    /// One value per bucket.
    pub values: Vec<f64>,
}

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

/// A line/area chart of values per time bucket.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeChart {
    /// Element id (prefix of inner ids; unique within a page).
    pub id: String,
    /// Title (also the `<title>`).
    pub title: String,
    /// Longer description for `<desc>`.
    pub description: String,
    /// Time axis title.
    pub x_label: String,
    /// Value axis title.
    pub y_label: String,
    /// Start of each bucket, in order, evenly spaced by `step`.
    pub starts: Vec<NaiveDateTime>,
    /// Bucket length.
    pub step: Duration,
    /// The lines.
    pub series: Vec<TimeSeries>,
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
    let width = 960.0;
    let (places, rows) = legend_layout(&items, 64.0, width - 20.0);
    let extra = LEGEND_ROW * (rows - 1) as f64;
    let height = 380.0 + extra;
    let (left, right, top, bottom) = (64.0, 20.0, 64.0 + extra, 72.0);
    let (plot_w, plot_h) = (width - left - right, height - top - bottom);
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
    let mut c = Canvas::open(&chart.id, width, height, &chart.title, &chart.description);
    c.title(left, &chart.title);
    c.legend(&items, &places, 46.0);
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
    for v in &axis.ticks {
        let py = y.map(*v);
        c.line(left, py, left + plot_w, py, GRID, "");
        c.tick(left - 8.0, py + 4.0, "end", &tick_label(*v, axis.step));
    }
    c.value_axis_title(top, top + plot_h, &chart.y_label);
    // Series: translucent area, then the line, then points when they are few.
    // A value that is not finite (no data) breaks the line into runs.
    let runs: Vec<(&TimeSeries, Vec<(f64, f64)>)> = chart
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
    /// Element id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Longer description.
    pub description: String,
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
    let mut c = Canvas::open(&chart.id, width, height, &chart.title, &chart.description);
    c.title(left, &chart.title);
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

/// One series of a grouped bar chart (e.g. one language across groups).
#[derive(Debug, Clone, PartialEq)]
pub struct BarSeries {
    /// Legend label.
    pub label: String,
    /// Fill colour.
    pub colour: String,
    /// One value per group.
    pub values: Vec<f64>,
}

/// A grouped vertical bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupedChart {
    /// Element id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Longer description.
    pub description: String,
    /// Category axis title.
    pub x_label: String,
    /// Value axis title.
    pub y_label: String,
    /// Group names along the x axis.
    pub groups: Vec<String>,
    /// Series (bars within each group).
    pub series: Vec<BarSeries>,
    /// Multiplier and suffix for value labels (e.g. 100 and `%` for shares).
    pub value_format: (f64, String),
}

/// Renders a grouped bar chart.
pub fn grouped_bars(chart: &GroupedChart) -> String {
    let items = chart.legend();
    let width = 960.0;
    let (places, rows) = legend_layout(&items, 64.0, width - 20.0);
    let extra = LEGEND_ROW * (rows - 1) as f64;
    let height = 360.0 + extra;
    let (left, right, top, bottom) = (64.0, 20.0, 64.0 + extra, 64.0);
    let (plot_w, plot_h) = (width - left - right, height - top - bottom);
    let (scale_by, suffix) = (chart.value_format.0, chart.value_format.1.as_str());
    let axis = Axis::up_to(largest(&chart.series, scale_by).max(1e-9), 5);
    let y = Scale::new((0.0, axis.top), (top + plot_h, top));
    let mut c = chart.canvas(width, height);
    c.title(left, &chart.title);
    c.legend(&items, &places, 46.0);
    for v in &axis.ticks {
        let py = y.map(*v);
        c.line(left, py, left + plot_w, py, GRID, "");
        let label = format!("{}{suffix}", tick_label(*v, axis.step));
        c.tick(left - 8.0, py + 4.0, "end", &label);
    }
    c.value_axis_title(top, top + plot_h, &chart.y_label);
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
    /// One legend entry per series.
    fn legend(&self) -> Vec<LegendItem<'_>> {
        series_legend(
            self.series
                .iter()
                .map(|s| (s.label.as_str(), s.colour.as_str())),
        )
    }

    fn canvas(&self, width: f64, height: f64) -> Canvas {
        Canvas::open(&self.id, width, height, &self.title, &self.description)
    }
}

/// Renders a grouped horizontal bar chart: one row per entry of `groups` (labels on the
/// left), one bar per series within each row, values along the x axis.
pub fn grouped_hbars(chart: &GroupedChart) -> String {
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
    let (scale_by, suffix) = (chart.value_format.0, chart.value_format.1.as_str());
    let axis = Axis::up_to(largest(&chart.series, scale_by).max(1e-9), 6);
    let x = Scale::new((0.0, axis.top), (left, left + plot_w));
    let mut c = chart.canvas(width, height);
    c.title(20.0, &chart.title);
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
    use chrono::NaiveDate;

    fn day(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
    }

    /// Every value of attribute `name` on elements of `class` in `svg`, in order.
    fn attrs(svg: &str, class: &str, name: &str) -> Vec<f64> {
        svg.lines()
            .filter(|l| l.contains(&format!("class=\"{class}\"")))
            .map(|l| {
                let key = format!(" {name}=\"");
                let start = l.find(&key).unwrap() + key.len();
                let end = start + l[start..].find('"').unwrap();
                l[start..end].parse().unwrap()
            })
            .collect()
    }

    #[test]
    fn ticks_are_round_steps_covering_the_range() {
        assert_eq!(ticks(0.0, 23.0, 5), vec![0.0, 5.0, 10.0, 15.0, 20.0, 25.0]);
        assert_eq!(ticks(0.0, 0.37, 4), vec![0.0, 0.1, 0.2, 0.3, 0.4]);
        assert_eq!(ticks(0.0, 10.0, 5), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(ticks(0.0, 0.0, 5), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(nice_step(9.07, 4), 5.0);
        assert_eq!(tick_label(0.30000000000000004, 0.1), "0.3");
        assert_eq!(tick_label(-0.0, 1.0), "0");
    }

    #[test]
    fn legends_wrap_into_rows() {
        let items: Vec<LegendItem> = vec![("aaaa", "#000", false); 12];
        // Each item is 19 + 4·7.2 = 47.8 px wide plus 18 px spacing: 65.8 px.
        let (places, rows) = legend_layout(&items, 0.0, 200.0);
        assert_eq!(rows, 4);
        assert_eq!(places[0], (0.0, 0));
        assert_eq!(places[3], (0.0, 1));
        assert!((places[2].0 - 131.6).abs() < 1e-9);
        let (_, rows) = legend_layout(&items[..2], 0.0, 200.0);
        assert_eq!(rows, 1);
    }

    #[test]
    fn scales_map_linearly() {
        let s = Scale::new((0.0, 10.0), (300.0, 100.0));
        assert_eq!(s.map(0.0), 300.0);
        assert_eq!(s.map(5.0), 200.0);
        assert_eq!(s.map(10.0), 100.0);
    }

    #[test]
    fn daily_ticks_show_the_year_where_it_changes() {
        let starts: Vec<NaiveDateTime> = (0..33)
            .map(|i| day(2021, 12, 19) + Duration::days(i))
            .collect();
        let ticks = time_ticks(&starts, Duration::days(1), 12);
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
        let starts: Vec<NaiveDateTime> = (0..48)
            .map(|i| day(2022, 1, 5) + Duration::hours(i))
            .collect();
        let ticks = time_ticks(&starts, Duration::hours(1), 10);
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
            id: "t".into(),
            title: "Documents <per> day".into(),
            description: "d".into(),
            x_label: "Day".into(),
            y_label: "Documents".into(),
            starts,
            step: Duration::days(1),
            series: vec![TimeSeries {
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

    #[test]
    fn bar_widths_are_proportional_to_values() {
        let chart = DivergingChart {
            id: "k".into(),
            title: "Key terms".into(),
            description: "d".into(),
            left_caption: "← reference".into(),
            right_caption: "target →".into(),
            axis_label: "Log Ratio".into(),
            bars: [4.0, 2.0, -1.0]
                .iter()
                .map(|v| Bar {
                    label: format!("t{v}"),
                    value: *v,
                    colour: colour(0).into(),
                    note: format!("{v:.2}"),
                })
                .collect(),
        };
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
        let chart = GroupedChart {
            id: "g".into(),
            title: "Languages".into(),
            description: "d".into(),
            x_label: "Group".into(),
            y_label: "Share".into(),
            groups: vec!["state".into(), "independent".into()],
            series: vec![
                BarSeries {
                    label: "ru".into(),
                    colour: colour(0).into(),
                    values: vec![0.5, 0.25],
                },
                BarSeries {
                    label: "kk".into(),
                    colour: colour(1).into(),
                    values: vec![0.5, 0.75],
                },
            ],
            value_format: (100.0, "%".into()),
        };
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
