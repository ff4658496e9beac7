//! SVG charts: numbers, dates and labels in, self-contained `<svg>` text out — a line/area
//! chart over time with shaded gaps ([`time`]), a diverging horizontal bar chart and grouped
//! bar charts ([`bars`]), all drawn with the primitives here.
//!
//! Every chart has explicit `width`, `height` and `viewBox`, a `<title>` and `<desc>`, axes with
//! labelled ticks and a legend; all text is escaped; coordinates are printed with one decimal
//! so the same input gives the same bytes.

pub mod bars;
pub mod time;

use std::fmt::Write as _;

use crate::escape::html as esc;
pub use bars::{
    bar_extent, diverging_bars, grouped_bars, grouped_hbars, Bar, DivergingChart, GroupedChart,
};
pub use time::{time_chart, time_ticks, TimeChart, TimeShade, TimeTick};

/// Value labels of shares (0–1) as percentages: the multiplier and suffix of
/// [`GroupedChart::value_format`].
pub const PERCENT: (f64, &str) = (100.0, "%");

/// What every chart says about itself: its element id (prefix of inner ids; unique within a
/// page), its title (also the `<title>`) and a longer description (the `<desc>`).
#[derive(Debug, Clone, PartialEq)]
pub struct Caption {
    /// Element id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Longer description.
    pub description: String,
}

impl Caption {
    /// A caption from its id, title and description.
    pub fn new(id: impl Into<String>, title: impl Into<String>, description: String) -> Caption {
        Caption {
            id: id.into(),
            title: title.into(),
            description,
        }
    }

    /// An empty canvas of this size with this caption's id, `<title>` and `<desc>`.
    fn canvas(&self, width: f64, height: f64) -> Canvas {
        Canvas::open(&self.id, width, height, &self.title, &self.description)
    }
}

/// One series of a chart: a line of a time chart, or the bars of one series across the
/// groups of a grouped bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend label.
    pub label: String,
    /// Stroke or fill colour.
    pub colour: String,
    /// One value per bucket or group.
    pub values: Vec<f64>,
}

/// The Okabe–Ito colour-blind-safe palette, ordered for contrast on white.
pub const PALETTE: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
];

/// Colour number `i` of the palette (wrapping).
pub fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

const FONT: &str = "system-ui, 'Segoe UI', 'Noto Sans', 'DejaVu Sans', Arial, sans-serif";
pub(super) const INK: &str = "#222222";
pub(super) const MUTED: &str = "#666666";
pub(super) const GRID: &str = "#e3e3e3";

/// A coordinate with one decimal, never `-0.0`.
pub(super) fn num(v: f64) -> String {
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
pub(super) struct Axis {
    pub(super) ticks: Vec<f64>,
    pub(super) top: f64,
    pub(super) step: f64,
}

impl Axis {
    /// About `target` round ticks from 0 to at least `max`.
    pub(super) fn up_to(max: f64, target: usize) -> Axis {
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
pub(super) fn largest(series: &[Series], scale: f64) -> f64 {
    series
        .iter()
        .flat_map(|s| s.values.iter().map(|v| v * scale))
        .fold(0.0f64, f64::max)
}

/// Legend entries of series: each label in its colour.
pub(super) fn series_legend<'a>(
    series: impl Iterator<Item = (&'a str, &'a str)>,
) -> Vec<LegendItem<'a>> {
    series
        .map(|(label, colour)| (label, colour, false))
        .collect()
}

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with
// `Letters` (lang/scan.rs), `Scratch` (generate/bench/output.rs): different facts, no shared type.
/// The frame of a chart with its value axis on the left and a wrapping legend between its title
/// and its plot: 960 px wide; each legend row past the first makes the chart taller and moves
/// the plot down.
pub(super) struct Frame {
    pub(super) width: f64,
    pub(super) height: f64,
    pub(super) left: f64,
    pub(super) top: f64,
    pub(super) plot_w: f64,
    pub(super) plot_h: f64,
    places: Vec<(f64, usize)>,
}

impl Frame {
    /// A frame `height` px high with a one-row legend, the plot ending `bottom` px above its
    /// lower edge.
    pub(super) fn below_legend(items: &[LegendItem], height: f64, bottom: f64) -> Frame {
        let (width, left, right, top) = (960.0, 64.0, 20.0, 64.0);
        let (places, rows) = legend_layout(items, left, width - right);
        let extra = LEGEND_ROW * (rows - 1) as f64;
        Frame {
            width,
            height: height + extra,
            left,
            top: top + extra,
            plot_w: width - left - right,
            plot_h: height - top - bottom,
            places,
        }
    }

    /// The plot's left and top edges, its width and its height.
    pub(super) fn plot(&self) -> (f64, f64, f64, f64) {
        (self.left, self.top, self.plot_w, self.plot_h)
    }

    /// The canvas with the chart's title and legend drawn.
    pub(super) fn canvas(&self, caption: &Caption, items: &[LegendItem]) -> Canvas {
        let mut c = caption.canvas(self.width, self.height);
        c.title(self.left, &caption.title);
        c.legend(items, &self.places, 46.0);
        c
    }

    /// Grid lines across the plot at the ticks of `axis` (placed by `y`), labelled on the left
    /// with `suffix`, and the value axis `title`.
    pub(super) fn value_grid(
        &self,
        c: &mut Canvas,
        (axis, y): (&Axis, &Scale),
        suffix: &str,
        title: &str,
    ) {
        for v in &axis.ticks {
            let py = y.map(*v);
            c.line(self.left, py, self.left + self.plot_w, py, GRID, "");
            let label = format!("{}{suffix}", tick_label(*v, axis.step));
            c.tick(self.left - 8.0, py + 4.0, "end", &label);
        }
        c.value_axis_title(self.top, self.top + self.plot_h, title);
    }
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
pub(super) struct Canvas {
    out: String,
}

impl Canvas {
    pub(super) fn open(
        id: &str,
        width: f64,
        height: f64,
        title: &str,
        description: &str,
    ) -> Canvas {
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

    pub(super) fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, extra: &str) {
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
    pub(super) fn rect(
        &mut self,
        class: &str,
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        fill: &str,
        extra: &str,
    ) {
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
    pub(super) fn text(&mut self, x: f64, y: f64, anchor: &str, extra: &str, content: &str) {
        let _ = writeln!(
            self.out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\"{extra}>{}</text>",
            num(x),
            num(y),
            esc(content)
        );
    }

    /// The chart's title, top left at `x`.
    pub(super) fn title(&mut self, x: f64, title: &str) {
        self.text(
            x,
            22.0,
            "start",
            &format!(" font-size=\"15\" font-weight=\"bold\" fill=\"{INK}\""),
            title,
        );
    }

    /// An axis title centred at `x`, `y`.
    pub(super) fn axis_title(&mut self, x: f64, y: f64, title: &str) {
        self.text(x, y, "middle", &format!(" fill=\"{INK}\""), title);
    }

    /// The value axis title, turned up along the left edge of a plot from `top` to `bottom`.
    pub(super) fn value_axis_title(&mut self, top: f64, bottom: f64, title: &str) {
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
    pub(super) fn tick(&mut self, x: f64, y: f64, anchor: &str, label: &str) {
        self.text(
            x,
            y,
            anchor,
            &format!(" class=\"tick\" fill=\"{MUTED}\""),
            label,
        );
    }

    pub(super) fn raw(&mut self, s: &str) {
        self.out.push_str(s);
        self.out.push('\n');
    }

    /// A legend of colour swatches laid out by [`legend_layout`], its first row at `y`.
    pub(super) fn legend(&mut self, items: &[LegendItem], places: &[(f64, usize)], y: f64) {
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

    pub(super) fn close(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

/// What a chart without data shows instead of empty axes (whose ticks would be meaningless).
pub const NO_DATA: &str = "No data to chart: nothing in the selection has a value here.";

/// A chart without data: its title and a sentence saying so, no axes.
pub(super) fn no_data_chart(caption: &Caption) -> String {
    let (width, height) = (960.0, 120.0);
    let mut c = Canvas::open(
        &caption.id,
        width,
        height,
        &caption.title,
        &format!("{} {NO_DATA}", caption.description),
    );
    c.title(24.0, &caption.title);
    c.text(24.0, 72.0, "start", &format!(" fill=\"{INK}\""), NO_DATA);
    c.close()
}

/// A legend entry: label, colour, drawn translucent (a shaded span) or not.
pub(super) type LegendItem<'a> = (&'a str, &'a str, bool);

/// Height of one legend row.
pub(super) const LEGEND_ROW: f64 = 20.0;

/// Where each legend item goes, wrapping into rows between `x` and `max_x`: (x, row) per item,
/// and the number of rows.
pub(super) fn legend_layout(
    items: &[LegendItem],
    x: f64,
    max_x: f64,
) -> (Vec<(f64, usize)>, usize) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value of attribute `name` on elements of `class` in `svg`, in order.
    pub(super) fn attrs(svg: &str, class: &str, name: &str) -> Vec<f64> {
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
}
