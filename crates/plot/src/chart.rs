//! Line charts: curves against the clock (or a parameter), shaded bands, interval bars and
//! numbered marks for the orders of a timeline, on a linear or log scale, with the legend
//! below the plot so that it never covers the data.
//!
//! Every element a page or a test needs to find has a class: `series` paths carry
//! `data-series`, order marks are `order-mark` groups with `data-order`, legend entries are
//! `legend-item`s.

use crate::colour::Colour;
use crate::scale::{self, Clock};
use crate::svg::{Px, Svg};

/// What the horizontal axis shows.
#[derive(Clone, Debug, PartialEq)]
pub enum XAxis {
    /// Minutes since the start, labelled by the time of day and the day.
    Clock(Clock),
    /// Values of a quantity, with its name.
    Value(String),
}

/// How the vertical axis maps values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YScale {
    /// From 0 up.
    Linear,
    /// Decades from 1 up; values below 1 sit on the bottom edge.
    Log,
}

/// How the vertical axis labels its ticks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YFormat {
    /// People: whole numbers, thousands separated.
    Count,
    /// A share from 0 to 1, written as a percentage.
    Share,
}

/// A curve.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Its name in the legend and its tooltip.
    pub label: String,
    /// Stroke colour (and its legend swatch's).
    pub colour: Colour,
    /// (x, y) in data units, ascending x.
    pub points: Vec<(f64, f64)>,
    /// Stroke width in pixels.
    pub width: f64,
    /// Dashed (6 px on, 4 off) rather than solid.
    pub dashed: bool,
    /// Drawn over a white halo so that it stays visible on top of bands.
    pub halo: bool,
    /// Listed in the legend.
    pub legend: bool,
    /// Stroke opacity (1: opaque).
    pub opacity: f64,
    /// A dot at every point (for curves of a few measured points, such as a sweep's).
    pub markers: bool,
}

impl Line {
    /// A solid two-pixel curve, in the legend.
    pub fn new(label: impl Into<String>, colour: Colour, points: Vec<(f64, f64)>) -> Self {
        Self {
            label: label.into(),
            colour,
            points,
            width: 2.0,
            dashed: false,
            halo: false,
            legend: true,
            opacity: 1.0,
            markers: false,
        }
    }
}

/// A shaded band between two curves of the same x values.
#[derive(Clone, Debug, PartialEq)]
pub struct Area {
    /// Its legend entry, if it has one.
    pub label: Option<String>,
    /// Fill colour.
    pub colour: Colour,
    /// Fill opacity, 0 (clear) to 1 (opaque).
    pub opacity: f64,
    /// The top edge: (x, y) in data units, ascending x.
    pub upper: Vec<(f64, f64)>,
    /// The bottom edge, at the same x values as `upper`.
    pub lower: Vec<(f64, f64)>,
}

/// A vertical bar from `lo` to `hi` at `x` (a confidence interval).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// Where the bar stands, in data units.
    pub x: f64,
    /// Its bottom end, in data units.
    pub lo: f64,
    /// Its top end, in data units.
    pub hi: f64,
    /// Stroke colour.
    pub colour: Colour,
}

/// A bar from `x0` to `x1`, from 0 up to `y` (a histogram's bin).
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// Left edge of the bin, in data units.
    pub x0: f64,
    /// Right edge of the bin, in data units.
    pub x1: f64,
    /// Height of the bar, in data units.
    pub y: f64,
    /// Fill colour.
    pub colour: Colour,
    /// Its tooltip.
    pub label: String,
}

/// A numbered vertical mark at `x`: an order of the timeline where it fired.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    /// Where the order fired, in data units (clamped into the x range shown).
    pub x: f64,
    /// The number shown in the mark's circle (the order's number in the page's list).
    pub number: usize,
    /// The tooltip: what the order was.
    pub label: String,
}

/// A chart to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// The title, bold and centred above the plot.
    pub title: String,
    /// Width of the whole picture and height of the plot with its axes (the legend adds to
    /// it), in pixels.
    pub width: f64,
    /// Height of the plot with its axes, in pixels; the legend below adds to the picture's
    /// height.
    pub height: f64,
    /// What the horizontal axis shows, which decides its ticks and label.
    pub x: XAxis,
    /// The x range shown (default: the data's).
    pub x_range: Option<(f64, f64)>,
    /// The x ticks (default: nice steps, or the clock's).
    pub x_ticks: Option<Vec<f64>>,
    /// The vertical axis's label, written up its left side.
    pub y_label: String,
    /// How values map to heights.
    pub y_scale: YScale,
    /// How tick labels are written.
    pub y_format: YFormat,
    /// The y range shown (default: from 0, or 1 on a log scale, to the data's maximum).
    pub y_range: Option<(f64, f64)>,
    /// Shaded bands, drawn first, under everything else; in the legend if labelled.
    pub areas: Vec<Area>,
    /// Histogram bars, drawn over the areas.
    pub bars: Vec<Bar>,
    /// Curves, drawn over the areas, bars and intervals.
    pub lines: Vec<Line>,
    /// Interval bars, drawn over the areas and bars, under the lines.
    pub intervals: Vec<Interval>,
    /// Order marks, numbered circles above the plot with a dashed line down to the x axis;
    /// marks too close to fit side by side stack in rows.
    pub marks: Vec<Mark>,
    /// Legend entries of shadings not tied to one area: (label, colour, opacity).
    pub legend_fills: Vec<(String, Colour, f64)>,
    /// Class of the root `<svg>` element.
    pub class: String,
    /// A file of its own (names the SVG namespace) rather than inlined in a page.
    pub standalone: bool,
}

impl Chart {
    /// An empty chart of the given size and axes, linear, counting people.
    pub fn new(title: impl Into<String>, x: XAxis, y_label: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            width: 960.0,
            height: 480.0,
            x,
            x_range: None,
            x_ticks: None,
            y_label: y_label.into(),
            y_scale: YScale::Linear,
            y_format: YFormat::Count,
            y_range: None,
            areas: Vec::new(),
            bars: Vec::new(),
            lines: Vec::new(),
            intervals: Vec::new(),
            marks: Vec::new(),
            legend_fills: Vec::new(),
            class: "chart".into(),
            standalone: false,
        }
    }

    fn x_domain(&self) -> (f64, f64) {
        if let Some(r) = self.x_range {
            return widen(r);
        }
        let xs = self
            .lines
            .iter()
            .flat_map(|l| l.points.iter().map(|p| p.0))
            .chain(self.areas.iter().flat_map(|a| a.upper.iter().map(|p| p.0)))
            .chain(self.bars.iter().flat_map(|b| [b.x0, b.x1]))
            .chain(self.intervals.iter().map(|i| i.x));
        widen(min_max(xs).unwrap_or((0.0, 1.0)))
    }

    fn y_domain(&self) -> (f64, f64) {
        if let Some(r) = self.y_range {
            return widen(r);
        }
        let ys = self
            .lines
            .iter()
            .flat_map(|l| l.points.iter().map(|p| p.1))
            .chain(self.areas.iter().flat_map(|a| a.upper.iter().map(|p| p.1)))
            .chain(self.bars.iter().map(|b| b.y))
            .chain(self.intervals.iter().map(|i| i.hi));
        let top = min_max(ys).map_or(1.0, |r| r.1).max(1.0);
        match self.y_scale {
            // Headroom, so that a curve at its maximum does not run along the frame.
            YScale::Linear => (0.0, top * 1.04),
            YScale::Log => (1.0, round_up_125(top * 1.05).max(10.0)),
        }
    }

    /// The chart as an SVG document.
    pub fn svg(&self) -> String {
        let (x0, x1) = self.x_domain();
        let (y0, y1) = self.y_domain();
        let y_ticks: Vec<f64> = match self.y_scale {
            YScale::Linear => scale::linear_ticks(y0, y1, 6),
            YScale::Log => scale::log_ticks(y1),
        };
        let y_step = y_ticks
            .get(1)
            .zip(y_ticks.first())
            .map_or(1.0, |(b, a)| b - a);
        let y_text = |v: f64| match self.y_format {
            YFormat::Count if self.y_scale == YScale::Log => scale::count(v),
            YFormat::Count => scale::tick_label(v, y_step),
            YFormat::Share => format!("{} %", scale::tick_label(v * 100.0, y_step * 100.0)),
        };
        let y_labels: Vec<String> = y_ticks.iter().map(|&v| y_text(v)).collect();
        let widest = y_labels
            .iter()
            .map(|s| s.chars().count())
            .max()
            .unwrap_or(1);

        let left = 30.0 + 7.0 * widest as f64;
        let right = 20.0;
        let plot_w = (self.width - left - right).max(40.0);
        let sx = |x: f64| left + (x - x0) / (x1 - x0) * plot_w;
        let levels = mark_levels(&self.marks, |x| sx(x.clamp(x0, x1)), 18.0);
        let mark_rows = if self.marks.is_empty() {
            0.0
        } else {
            1.0 + *levels.iter().max().unwrap_or(&0) as f64
        };
        let top = 34.0 + 18.0 * mark_rows;
        let bottom = 44.0;
        let plot_h = (self.height - top - bottom).max(40.0);
        let sy = |y: f64| {
            let t = match self.y_scale {
                YScale::Linear => (y - y0) / (y1 - y0),
                YScale::Log => (y.max(1.0).log10() - y0.log10()) / (y1.log10() - y0.log10()),
            };
            top + plot_h * (1.0 - t.clamp(0.0, 1.0))
        };

        let legend = self.legend_entries();
        let (legend_h, placed) = layout_legend(&legend, self.width - 2.0 * left.min(60.0));
        let total_h = self.height + legend_h;
        let mut s = Svg::new(self.width, total_h, &self.class, self.standalone);
        s.leaf(
            "rect",
            &[
                ("width", &Px(self.width)),
                ("height", &Px(total_h)),
                ("fill", &"#ffffff"),
            ],
        );
        s.text(
            self.width / 2.0,
            20.0,
            &[
                ("class", &"chart-title"),
                ("text-anchor", &"middle"),
                ("font-size", &15),
                ("font-weight", &"bold"),
            ],
            &self.title,
        );

        // Grid and y axis.
        s.open("g", &[("class", &"y-axis"), ("fill", &"#444444")]);
        for (v, label) in y_ticks.iter().zip(&y_labels) {
            let y = sy(*v);
            s.leaf(
                "line",
                &[
                    ("x1", &Px(left)),
                    ("x2", &Px(left + plot_w)),
                    ("y1", &Px(y)),
                    ("y2", &Px(y)),
                    ("stroke", &"#e4e4e4"),
                ],
            );
            s.text(
                left - 6.0,
                y + 4.0,
                &[("text-anchor", &"end"), ("class", &"tick")],
                label,
            );
        }
        let (mid_x, mid_y) = (14.0, top + plot_h / 2.0);
        let rotate = format!("rotate(-90 {} {})", Px(mid_x), Px(mid_y));
        s.text(
            mid_x,
            mid_y,
            &[
                ("text-anchor", &"middle"),
                ("transform", &rotate),
                ("class", &"axis-label"),
            ],
            &self.y_label,
        );
        s.close("g");

        // x axis.
        let x_ticks: Vec<(f64, String)> = match (&self.x_ticks, &self.x) {
            (Some(t), _) => t.iter().map(|&v| (v, scale::round_label(v, 3))).collect(),
            (None, XAxis::Clock(c)) => c.ticks(x0, x1, (plot_w / 80.0) as usize),
            (None, XAxis::Value(_)) => {
                let t = scale::linear_ticks(x0, x1, (plot_w / 80.0) as usize);
                let step = t.get(1).zip(t.first()).map_or(1.0, |(b, a)| b - a);
                t.into_iter()
                    .map(|v| (v, scale::tick_label(v, step)))
                    .collect()
            }
        };
        s.open("g", &[("class", &"x-axis"), ("fill", &"#444444")]);
        let base = top + plot_h;
        s.leaf(
            "line",
            &[
                ("x1", &Px(left)),
                ("x2", &Px(left + plot_w)),
                ("y1", &Px(base)),
                ("y2", &Px(base)),
                ("stroke", &"#888888"),
            ],
        );
        for (v, label) in &x_ticks {
            let x = sx(*v);
            if !(left - 0.5..=left + plot_w + 0.5).contains(&x) {
                continue;
            }
            s.leaf(
                "line",
                &[
                    ("x1", &Px(x)),
                    ("x2", &Px(x)),
                    ("y1", &Px(base)),
                    ("y2", &Px(base + 5.0)),
                    ("stroke", &"#888888"),
                ],
            );
            // Keep the first and last labels inside the picture.
            let half = 3.5 * label.chars().count() as f64;
            let tx = x.clamp(half + 2.0, self.width - half - 2.0);
            s.text(
                tx,
                base + 18.0,
                &[("text-anchor", &"middle"), ("class", &"tick")],
                label,
            );
        }
        let x_label = match &self.x {
            XAxis::Clock(_) => "time (day and time of day)",
            XAxis::Value(name) => name.as_str(),
        };
        s.text(
            left + plot_w / 2.0,
            base + 36.0,
            &[("text-anchor", &"middle"), ("class", &"axis-label")],
            x_label,
        );
        s.close("g");

        // Data.
        s.open("g", &[("class", &"data")]);
        for a in &self.areas {
            let mut outline: Vec<(f64, f64)> =
                a.upper.iter().map(|&(x, y)| (sx(x), sy(y))).collect();
            outline.extend(a.lower.iter().rev().map(|&(x, y)| (sx(x), sy(y))));
            let outline = thin_outline(outline);
            s.polygon(
                &outline,
                &[
                    ("class", &"band"),
                    ("fill", &a.colour),
                    ("fill-opacity", &a.opacity),
                    ("stroke", &"none"),
                ],
            );
        }
        for b in &self.bars {
            let (xa, xb) = (sx(b.x0), sx(b.x1));
            let (ya, yb) = (sy(b.y), sy(y0));
            s.open("g", &[("class", &"bar")]);
            s.title(&b.label);
            s.leaf(
                "rect",
                &[
                    ("x", &Px(xa.min(xb) + 0.5)),
                    ("y", &Px(ya.min(yb))),
                    ("width", &Px(((xb - xa).abs() - 1.0).max(0.5))),
                    ("height", &Px((yb - ya).abs())),
                    ("fill", &b.colour),
                ],
            );
            s.close("g");
        }
        for iv in &self.intervals {
            let x = sx(iv.x);
            s.leaf(
                "line",
                &[
                    ("class", &"interval"),
                    ("x1", &Px(x)),
                    ("x2", &Px(x)),
                    ("y1", &Px(sy(iv.lo))),
                    ("y2", &Px(sy(iv.hi))),
                    ("stroke", &iv.colour),
                    ("stroke-width", &1.5),
                ],
            );
        }
        for line in &self.lines {
            let px: Vec<(f64, f64)> = line.points.iter().map(|&(x, y)| (sx(x), sy(y))).collect();
            let px = decimate(&px);
            if line.halo {
                s.polyline(
                    &px,
                    &[
                        ("fill", &"none"),
                        ("stroke", &"#ffffff"),
                        ("stroke-width", &Px(line.width + 3.0)),
                        ("stroke-linejoin", &"round"),
                    ],
                );
            }
            let dash = if line.dashed { "6 4" } else { "none" };
            s.open("g", &[("class", &"series"), ("data-series", &line.label)]);
            s.title(&line.label);
            s.polyline(
                &px,
                &[
                    ("fill", &"none"),
                    ("stroke", &line.colour),
                    ("stroke-width", &Px(line.width)),
                    ("stroke-opacity", &line.opacity),
                    ("stroke-dasharray", &dash),
                    ("stroke-linejoin", &"round"),
                ],
            );
            if line.markers {
                for &(x, y) in &line.points {
                    s.leaf(
                        "circle",
                        &[
                            ("cx", &Px(sx(x))),
                            ("cy", &Px(sy(y))),
                            ("r", &3.5),
                            ("fill", &line.colour),
                        ],
                    );
                }
            }
            s.close("g");
        }
        s.close("g");

        // Orders.
        for (m, level) in self.marks.iter().zip(&levels) {
            let x = sx(m.x.clamp(x0, x1));
            let cy = top - 12.0 - 18.0 * *level as f64;
            let number = m.number.to_string();
            s.open("g", &[("class", &"order-mark"), ("data-order", &number)]);
            s.title(&m.label);
            s.leaf(
                "line",
                &[
                    ("x1", &Px(x)),
                    ("x2", &Px(x)),
                    ("y1", &Px(cy + 8.0)),
                    ("y2", &Px(base)),
                    ("stroke", &"#7a7a7a"),
                    ("stroke-dasharray", &"3 3"),
                ],
            );
            s.leaf(
                "circle",
                &[
                    ("cx", &Px(x)),
                    ("cy", &Px(cy)),
                    ("r", &8),
                    ("fill", &"#333333"),
                ],
            );
            s.text(
                x,
                cy + 4.0,
                &[
                    ("text-anchor", &"middle"),
                    ("fill", &"#ffffff"),
                    ("font-size", &10),
                ],
                &number,
            );
            s.close("g");
        }

        // Legend.
        s.open("g", &[("class", &"legend")]);
        let legend_top = self.height;
        for (entry, (lx, ly)) in legend.iter().zip(placed) {
            let (x, y) = (left.min(60.0) + lx, legend_top + ly);
            s.open("g", &[("class", &"legend-item")]);
            match entry.swatch {
                Swatch::Line(dashed, width) => s.leaf(
                    "line",
                    &[
                        ("x1", &Px(x)),
                        ("x2", &Px(x + 20.0)),
                        ("y1", &Px(y - 4.0)),
                        ("y2", &Px(y - 4.0)),
                        ("stroke", &entry.colour),
                        ("stroke-width", &Px(width)),
                        ("stroke-dasharray", &if dashed { "6 4" } else { "none" }),
                    ],
                ),
                Swatch::Fill(opacity) => s.leaf(
                    "rect",
                    &[
                        ("x", &Px(x)),
                        ("y", &Px(y - 10.0)),
                        ("width", &20),
                        ("height", &12),
                        ("fill", &entry.colour),
                        ("fill-opacity", &opacity),
                    ],
                ),
            }
            s.text(x + 26.0, y, &[], &entry.label);
            s.close("g");
        }
        s.close("g");
        s.finish()
    }

    fn legend_entries(&self) -> Vec<LegendEntry> {
        let areas = self.areas.iter().filter_map(|a| {
            a.label.as_ref().map(|l| LegendEntry {
                label: l.clone(),
                colour: a.colour,
                swatch: Swatch::Fill(a.opacity),
            })
        });
        let lines = self.lines.iter().filter(|l| l.legend).map(|l| LegendEntry {
            label: l.label.clone(),
            colour: l.colour,
            swatch: Swatch::Line(l.dashed, l.width),
        });
        let fills = self
            .legend_fills
            .iter()
            .map(|(label, colour, opacity)| LegendEntry {
                label: label.clone(),
                colour: *colour,
                swatch: Swatch::Fill(*opacity),
            });
        lines.chain(areas).chain(fills).collect()
    }
}

#[derive(Clone, Copy, Debug)]
enum Swatch {
    /// Dashed or not, and its width.
    Line(bool, f64),
    /// Its opacity.
    Fill(f64),
}

struct LegendEntry {
    label: String,
    colour: Colour,
    swatch: Swatch,
}

/// Places legend entries in rows that fit `width`; returns the legend's height and each
/// entry's (x, baseline y) from the legend's top left.
fn layout_legend(entries: &[LegendEntry], width: f64) -> (f64, Vec<(f64, f64)>) {
    if entries.is_empty() {
        return (0.0, Vec::new());
    }
    let (mut x, mut row) = (0.0, 0usize);
    let mut placed = Vec::with_capacity(entries.len());
    for e in entries {
        let w = 26.0 + 6.8 * e.label.chars().count() as f64 + 18.0;
        if x > 0.0 && x + w > width {
            x = 0.0;
            row += 1;
        }
        placed.push((x, 14.0 + 20.0 * row as f64));
        x += w;
    }
    (20.0 * (row + 1) as f64 + 8.0, placed)
}

/// The row (0 nearest the plot) of each mark's label, so that labels closer than `gap`
/// pixels stack instead of overlapping. `px` maps a mark's x to pixels.
fn mark_levels(marks: &[Mark], px: impl Fn(f64) -> f64, gap: f64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..marks.len()).collect();
    order.sort_by(|&a, &b| marks[a].x.total_cmp(&marks[b].x).then(a.cmp(&b)));
    let mut last_at: Vec<f64> = Vec::new();
    let mut levels = vec![0; marks.len()];
    for k in order {
        let x = px(marks[k].x);
        let level = (0..=last_at.len())
            .find(|&l| last_at.get(l).is_none_or(|&at| x - at >= gap))
            .unwrap_or(last_at.len());
        if level == last_at.len() {
            last_at.push(x);
        } else {
            last_at[level] = x;
        }
        levels[k] = level;
    }
    levels
}

/// The least 1, 2 or 5 × 10^k at or above `x`.
fn round_up_125(x: f64) -> f64 {
    let power = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|v| *v >= x)
        .unwrap_or(10.0 * power)
}

/// The smallest and largest of some finite values.
fn min_max(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((a, b)) => Some((a.min(v), b.max(v))),
        })
}

/// A range of positive width.
fn widen((a, b): (f64, f64)) -> (f64, f64) {
    if b > a {
        (a, b)
    } else {
        (a - 0.5, a + 0.5)
    }
}

/// Points of a curve thinned to what a pixel column can show: in each column, the first,
/// the lowest, the highest and the last point, in their order along the curve, so that
/// peaks survive however many points there are.
pub fn decimate(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    if points.len() < 8 {
        return points.to_vec();
    }
    let mut out = Vec::with_capacity(points.len().min(4096));
    let mut k = 0;
    while k < points.len() {
        let column = points[k].0.floor();
        let mut end = k;
        while end + 1 < points.len() && points[end + 1].0.floor() == column {
            end += 1;
        }
        let run = &points[k..=end];
        let lo = (0..run.len())
            .min_by(|&a, &b| run[a].1.total_cmp(&run[b].1))
            .unwrap_or(0);
        let hi = (0..run.len())
            .max_by(|&a, &b| run[a].1.total_cmp(&run[b].1))
            .unwrap_or(0);
        let mut picks = [0, lo, hi, run.len() - 1];
        picks.sort_unstable();
        let mut prev = usize::MAX;
        for p in picks {
            if p != prev {
                out.push(run[p]);
                prev = p;
            }
        }
        k = end + 1;
    }
    out
}

/// A band's outline thinned as [`decimate`] thins a curve: its upper half left to right,
/// then its lower half right to left.
fn thin_outline(outline: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    let half = outline.len() / 2;
    let upper = decimate(&outline[..half]);
    let mut lower: Vec<(f64, f64)> = outline[half..].iter().rev().copied().collect();
    lower = decimate(&lower);
    lower.reverse();
    upper.into_iter().chain(lower).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> Chart {
        let mut c = Chart::new("campus", XAxis::Clock(Clock { start_hour: 10.0 }), "people");
        let up: Vec<(f64, f64)> = (0..=2880).map(|m| (m as f64, m as f64 * 3.0)).collect();
        c.lines.push(Line::new("zombie", Colour(44, 160, 44), up));
        c.lines.push(Line::new(
            "susceptible",
            Colour(31, 119, 180),
            vec![(0.0, 20_000.0), (2880.0, 4000.0)],
        ));
        c.marks = vec![
            Mark {
                x: 90.0,
                number: 1,
                label: "11:30 alarm".into(),
            },
            Mark {
                x: 120.0,
                number: 2,
                label: "12:00 cordon".into(),
            },
            Mark {
                x: 180.0,
                number: 3,
                label: "13:00 rescue".into(),
            },
        ];
        c
    }

    #[test]
    fn a_chart_has_its_series_marks_and_legend() {
        let svg = chart().svg();
        assert_eq!(svg.matches("class=\"order-mark\"").count(), 3);
        assert_eq!(svg.matches("class=\"series\"").count(), 2);
        assert_eq!(svg.matches("class=\"legend-item\"").count(), 2);
        assert!(svg.contains("data-series=\"zombie\""));
        assert!(svg.contains("<title>11:30 alarm</title>"));
        assert!(svg.contains(">day 2<"), "the clock axis names the day");
        assert!(svg.contains(">20,000<"), "counts are thousands separated");
        assert!(!svg.contains("xmlns"), "inline by default");
    }

    #[test]
    fn close_marks_stack_and_far_marks_share_a_row() {
        let marks = chart().marks;
        // 30 minutes apart at a pixel a minute: far enough.
        assert_eq!(mark_levels(&marks, |x| x, 18.0), vec![0, 0, 0]);
        let close = vec![
            Mark {
                x: 0.0,
                number: 1,
                label: String::new(),
            },
            Mark {
                x: 0.5,
                number: 2,
                label: String::new(),
            },
            Mark {
                x: 100.0,
                number: 3,
                label: String::new(),
            },
            Mark {
                x: 0.7,
                number: 4,
                label: String::new(),
            },
        ];
        assert_eq!(mark_levels(&close, |x| x * 10.0, 18.0), vec![0, 1, 0, 2]);
    }

    #[test]
    fn a_log_scale_runs_in_decades() {
        let mut c = chart();
        c.y_scale = YScale::Log;
        let svg = c.svg();
        for decade in [">1<", ">10<", ">100<", ">1,000<", ">10,000<"] {
            assert!(svg.contains(decade), "{decade} missing");
        }
    }

    #[test]
    fn decimation_keeps_the_peak_of_a_dense_curve() {
        let pts: Vec<(f64, f64)> = (0..10_000)
            .map(|i| (i as f64 / 100.0, if i == 5_050 { 99.0 } else { 1.0 }))
            .collect();
        let thin = decimate(&pts);
        assert!(thin.len() <= 400, "{}", thin.len());
        assert!(thin.iter().any(|p| p.1 == 99.0));
        assert_eq!(thin.first(), pts.first());
        assert_eq!(thin.last(), pts.last());
    }

    #[test]
    fn shares_are_percentages() {
        let mut c = Chart::new("sweep", XAxis::Value("κ".into()), "share");
        c.y_format = YFormat::Share;
        c.y_range = Some((0.0, 1.0));
        c.lines.push(Line::new(
            "share",
            Colour(0, 0, 0),
            vec![(0.1, 0.2), (0.2, 0.9)],
        ));
        let svg = c.svg();
        assert!(svg.contains(">100 %<") && svg.contains(">40 %<"), "{svg}");
    }
}
