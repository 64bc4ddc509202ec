//! Maps of a world: its ways as lines, and people as dots whose area grows with their
//! number, in one panel or in small multiples (one panel an hour), with signs for the
//! start of the outbreak, rescue points and lures, cordoned zones outlined, a scale bar
//! and, for map data, its credit.
//!
//! Places close together on the page are counted together: each panel is cut into cells
//! a few pixels wide and every layer draws one dot a cell, so that a map of half a million
//! places is as light as one of a thousand. Dots of the same count have the same size in
//! every panel of a figure.

use crate::colour::Colour;
use crate::scale;
use crate::svg::{Px, Svg};

/// Metres per degree of latitude (and of longitude at the equator), near enough for a
/// town-sized map.
const M_PER_DEG_LAT: f64 = 110_574.0;
const M_PER_DEG_LON: f64 = 111_320.0;

/// Side of the cells into which a panel gathers its places, in pixels.
const CELL_PX: f64 = 4.0;

/// A line from one point to another, in the world's units or in pixels.
pub type Segment = ((f64, f64), (f64, f64));

/// People of one kind by place: (x, y, count), in the world's units.
#[derive(Clone, Debug, PartialEq)]
pub struct Layer {
    /// Its name in the legend (`zombies`).
    pub label: String,
    /// Its `data-layer` (`zombie`).
    pub key: String,
    /// Fill colour of its dots.
    pub colour: Colour,
    /// Fill opacity of its dots, 0 to 1 (its legend swatch is at least 0.6).
    pub opacity: f64,
    /// (x, y, count) of each place, in the world's units; counts of 0, below or NaN are
    /// left out.
    pub spots: Vec<(f64, f64, f64)>,
}

/// What a sign marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignKind {
    /// Where the outbreak starts.
    Start,
    /// A rescue point.
    Rescue,
    /// A lure.
    Lure,
    /// Where a squad enters.
    Squad,
}

impl SignKind {
    fn class(self) -> &'static str {
        match self {
            SignKind::Start => "sign-start",
            SignKind::Rescue => "sign-rescue",
            SignKind::Lure => "sign-lure",
            SignKind::Squad => "sign-squad",
        }
    }
    fn legend(self) -> &'static str {
        match self {
            SignKind::Start => "start of the outbreak",
            SignKind::Rescue => "rescue point",
            SignKind::Lure => "lure",
            SignKind::Squad => "squad's entry",
        }
    }
}

/// A sign at a place: (x, y) in the world's units, with its tooltip.
#[derive(Clone, Debug, PartialEq)]
pub struct Sign {
    /// Across, in the world's units (longitude or metres east).
    pub x: f64,
    /// Up, in the world's units (latitude or metres north).
    pub y: f64,
    /// What it marks, which sets its shape, class and legend entry.
    pub kind: SignKind,
    /// Its tooltip.
    pub label: String,
}

/// A zone outlined by the hull of its places (a cordon).
#[derive(Clone, Debug, PartialEq)]
pub struct Outline {
    /// Its tooltip (the zone's name).
    pub label: String,
    /// The zone's places, in the world's units; the outline is their convex hull.
    pub points: Vec<(f64, f64)>,
}

/// One panel: a moment, and its layers drawn in order (the last on top).
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    /// Its heading, above the panel (the moment it shows).
    pub title: String,
    /// Its `data-minutes` (minutes since the start).
    pub minutes: f64,
    /// People of each kind, drawn in order: the last on top.
    pub layers: Vec<Layer>,
}

/// A figure of one or more panels of the same world.
#[derive(Clone, Debug, PartialEq)]
pub struct Map {
    /// The title, bold and centred above the panels; empty for none.
    pub title: String,
    /// Longitude and latitude (true) or metres (false).
    pub geographic: bool,
    /// The world's ways or streets: pairs of ends in the world's units.
    pub lines: Vec<Segment>,
    /// Points that fix the extent (every place, typically).
    pub extent: Vec<(f64, f64)>,
    /// The panels, in reading order (left to right, then down).
    pub panels: Vec<Panel>,
    /// Signs drawn in every panel; their places are always inside the frame.
    pub signs: Vec<Sign>,
    /// Zones outlined (dashed) in every panel.
    pub outlines: Vec<Outline>,
    /// The data's credit, shown under the panels (OpenStreetMap's, for map worlds).
    pub credit: Option<String>,
    /// Width of one panel in pixels, and panels a row.
    pub panel_width: f64,
    /// Panels a row, clamped to 1 through the number of panels.
    pub columns: usize,
    /// What a dot counts: one and many (`person`, `people`).
    pub unit: (String, String),
    /// Unique among the pictures of a page: it names the ways every panel shares.
    pub id: String,
    /// Class of the root `<svg>` element.
    pub class: String,
    /// A file of its own (names the SVG namespace) rather than inlined in a page.
    pub standalone: bool,
}

/// Where the world's units go on a panel.
struct Frame {
    /// Centre of the extent in the world's units, and metres per unit across and up.
    centre: (f64, f64),
    unit_m: (f64, f64),
    /// The extent in metres from the centre.
    half_m: (f64, f64),
    /// Pixels per metre, and the panel's size.
    scale: f64,
    size: (f64, f64),
}

impl Frame {
    fn new(extent: &[(f64, f64)], keep: &[(f64, f64)], geographic: bool, width: f64) -> Frame {
        let (mut xs, mut ys): (Vec<f64>, Vec<f64>) = extent
            .iter()
            .filter(|p| p.0.is_finite() && p.1.is_finite())
            .copied()
            .unzip();
        xs.sort_by(f64::total_cmp);
        ys.sort_by(f64::total_cmp);
        // A few outlying places (a street far off campus, a distant station) would shrink the
        // world to a corner: the frame holds 98 % of the places along each axis when there are
        // many, and whatever falls outside is clipped.
        let trim = if xs.len() >= 200 { xs.len() / 100 } else { 0 };
        let (mut x0, mut x1, mut y0, mut y1) = match (xs.len(), ys.len()) {
            (0, _) | (_, 0) => (0.0, 1.0, 0.0, 1.0),
            (n, m) => (xs[trim], xs[n - 1 - trim], ys[trim], ys[m - 1 - trim]),
        };
        // What a sign marks is always in the frame.
        for &(x, y) in keep.iter().filter(|p| p.0.is_finite() && p.1.is_finite()) {
            (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
        }
        if trim > 0 {
            let (mx, my) = ((x1 - x0) * 0.04, (y1 - y0) * 0.04);
            (x0, x1, y0, y1) = (x0 - mx, x1 + mx, y0 - my, y1 + my);
        }
        let centre = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        let unit_m = if geographic {
            (M_PER_DEG_LON * centre.1.to_radians().cos(), M_PER_DEG_LAT)
        } else {
            (1.0, 1.0)
        };
        // A margin of 4 % and at least a metre, so a single place is a panel too.
        let half_m = (
            ((x1 - x0) * unit_m.0 / 2.0 * 1.04).max(1.0),
            ((y1 - y0) * unit_m.1 / 2.0 * 1.04).max(1.0),
        );
        // Tall worlds are fitted to a panel at most 1.3 times as high as wide.
        let height = (width * half_m.1 / half_m.0).clamp(width * 0.3, width * 1.3);
        let scale = (width / (2.0 * half_m.0)).min(height / (2.0 * half_m.1));
        Frame {
            centre,
            unit_m,
            half_m,
            scale,
            size: (width, height),
        }
    }

    /// Pixels from the panel's top left.
    fn px(&self, x: f64, y: f64) -> (f64, f64) {
        let mx = (x - self.centre.0) * self.unit_m.0;
        let my = (y - self.centre.1) * self.unit_m.1;
        (
            self.size.0 / 2.0 + mx * self.scale,
            self.size.1 / 2.0 - my * self.scale,
        )
    }
}

/// The dots of one layer in a panel: one a cell, at the count-weighted centre of its places.
fn cells(layer: &Layer, frame: &Frame) -> Vec<(f64, f64, f64)> {
    let (w, h) = frame.size;
    let nx = (w / CELL_PX).ceil() as usize + 1;
    let ny = (h / CELL_PX).ceil() as usize + 1;
    let mut sum: Vec<(f64, f64, f64)> = vec![(0.0, 0.0, 0.0); nx * ny];
    for &(x, y, n) in &layer.spots {
        if n.is_nan() || n <= 0.0 {
            continue;
        }
        let (px, py) = frame.px(x, y);
        if !(px.is_finite() && py.is_finite()) {
            continue;
        }
        let i = ((px / CELL_PX).floor().max(0.0) as usize).min(nx - 1);
        let j = ((py / CELL_PX).floor().max(0.0) as usize).min(ny - 1);
        let c = &mut sum[j * nx + i];
        c.0 += px * n;
        c.1 += py * n;
        c.2 += n;
    }
    sum.into_iter()
        .filter(|c| c.2 > 0.0)
        .map(|(sx, sy, n)| (sx / n, sy / n, n))
        .collect()
}

/// The radius of a dot of `n` people when the largest dot holds `max`: its area grows
/// with the count, from 1.2 pixels for one person.
fn radius(n: f64, max: f64, largest: f64) -> f64 {
    let k = (largest - 1.2) / max.max(1.0).sqrt().max(1.0);
    1.2 + k * (n.sqrt() - 1.0).max(0.0)
}

impl Map {
    /// The figure as an SVG document.
    pub fn svg(&self) -> String {
        let keep: Vec<(f64, f64)> = self.signs.iter().map(|s| (s.x, s.y)).collect();
        let frame = Frame::new(&self.extent, &keep, self.geographic, self.panel_width);
        let (pw, ph) = frame.size;
        let columns = self.columns.clamp(1, self.panels.len().max(1));
        let rows = self.panels.len().div_ceil(columns).max(1);
        let gap = 10.0;
        let head = if self.title.is_empty() { 8.0 } else { 30.0 };
        let panel_head = 18.0;
        let width = columns as f64 * (pw + gap) + gap;
        let grid_h = rows as f64 * (ph + panel_head + gap);
        let layers_in_legend = self.legend_layers();
        let mut kinds: Vec<SignKind> = Vec::new();
        for s in &self.signs {
            if !kinds.contains(&s.kind) {
                kinds.push(s.kind);
            }
        }

        // Every panel's cells, and the largest count, so that sizes compare across panels.
        let panels: Vec<Vec<Vec<(f64, f64, f64)>>> = self
            .panels
            .iter()
            .map(|p| p.layers.iter().map(|l| cells(l, &frame)).collect())
            .collect();
        let max = panels
            .iter()
            .flatten()
            .flatten()
            .map(|c| c.2)
            .fold(1.0, f64::max);
        let largest = (pw / 28.0).clamp(4.0, 12.0);
        let lines = thin_lines(&self.lines, &frame);

        let mut legend: Vec<LegendItem> = layers_in_legend
            .iter()
            .rev()
            .map(|(l, c, o)| LegendItem::Layer(l.clone(), *c, *o))
            .collect();
        legend.extend(size_steps(max).into_iter().map(LegendItem::Size));
        legend.extend(kinds.iter().map(|k| LegendItem::Sign(*k)));
        if !self.outlines.is_empty() {
            legend.push(LegendItem::Outline);
        }
        let (mut lx, mut row) = (0.0, 0usize);
        let mut placed = Vec::with_capacity(legend.len());
        for item in &legend {
            let w = item.width(radius(max, max, largest), &self.unit);
            if lx > 0.0 && lx + w > width - 2.0 * gap {
                lx = 0.0;
                row += 1;
            }
            placed.push((lx, 16.0 + 22.0 * row as f64));
            lx += w;
        }
        let legend_top = head + grid_h;
        let legend_h = 22.0 * (row + 1) as f64 + 4.0;
        let height = legend_top + legend_h + if self.credit.is_some() { 20.0 } else { 4.0 };

        let mut s = Svg::new(width, height, &self.class, self.standalone);
        s.leaf(
            "rect",
            &[
                ("width", &Px(width)),
                ("height", &Px(height)),
                ("fill", &"#ffffff"),
            ],
        );
        if !self.title.is_empty() {
            s.text(
                width / 2.0,
                20.0,
                &[
                    ("class", &"chart-title"),
                    ("text-anchor", &"middle"),
                    ("font-size", &15),
                    ("font-weight", &"bold"),
                ],
                &self.title,
            );
        }
        self.define_ground(&mut s, &lines);
        for (k, (panel, layers)) in self.panels.iter().zip(&panels).enumerate() {
            let ox = gap + (k % columns) as f64 * (pw + gap);
            let oy = head + (k / columns) as f64 * (ph + panel_head + gap);
            let translate = format!("translate({} {})", Px(ox), Px(oy));
            s.open(
                "g",
                &[
                    ("class", &"map-panel"),
                    ("data-minutes", &panel.minutes),
                    ("transform", &translate),
                ],
            );
            s.text(
                pw / 2.0,
                12.0,
                &[("text-anchor", &"middle"), ("class", &"panel-title")],
                &panel.title,
            );
            // A nested <svg> clips what lies outside the panel, with no id to clash in a page.
            s.open(
                "svg",
                &[
                    ("x", &0),
                    ("y", &Px(panel_head)),
                    ("width", &Px(pw)),
                    ("height", &Px(ph)),
                    ("overflow", &"hidden"),
                ],
            );
            s.leaf(
                "rect",
                &[
                    ("width", &Px(pw)),
                    ("height", &Px(ph)),
                    ("fill", &"#fbfbf8"),
                    ("stroke", &"#cccccc"),
                ],
            );
            self.draw_ground(&mut s, &frame, &lines);
            for (layer, dots) in panel.layers.iter().zip(layers) {
                s.open(
                    "g",
                    &[
                        ("class", &"layer"),
                        ("data-layer", &layer.key),
                        ("fill", &layer.colour),
                        ("fill-opacity", &layer.opacity),
                    ],
                );
                for &(x, y, n) in dots {
                    s.leaf(
                        "circle",
                        &[
                            ("cx", &Px(x)),
                            ("cy", &Px(y)),
                            ("r", &Px(radius(n, max, largest))),
                        ],
                    );
                }
                s.close("g");
            }
            self.draw_signs(&mut s, &frame);
            if k == 0 {
                scale_bar(&mut s, &frame);
            }
            s.close("svg");
            s.close("g");
        }

        // Legend: the layers (the top one first), the sizes, the signs; then the credit.
        s.open("g", &[("class", &"legend")]);
        for (item, (x, y)) in legend.iter().zip(&placed) {
            let (x, y) = (gap + x, legend_top + y);
            match item {
                LegendItem::Layer(label, colour, opacity) => {
                    s.open("g", &[("class", &"legend-item")]);
                    s.leaf(
                        "circle",
                        &[
                            ("cx", &Px(x + 6.0)),
                            ("cy", &Px(y - 4.0)),
                            ("r", &5),
                            ("fill", colour),
                            ("fill-opacity", opacity),
                        ],
                    );
                    s.text(x + 16.0, y, &[], label);
                    s.close("g");
                }
                LegendItem::Size(n) => {
                    let r = radius(*n, max, largest);
                    s.leaf(
                        "circle",
                        &[
                            ("cx", &Px(x + r)),
                            ("cy", &Px(y - 4.0)),
                            ("r", &Px(r)),
                            ("fill", &"none"),
                            ("stroke", &"#555555"),
                        ],
                    );
                    s.text(
                        x + 2.0 * r + 5.0,
                        y,
                        &[("class", &"size-item")],
                        &item.label(&self.unit),
                    );
                }
                LegendItem::Sign(kind) => {
                    s.open("g", &[("class", &"legend-item")]);
                    sign_shape(&mut s, *kind, x + 6.0, y - 4.0);
                    s.text(x + 16.0, y, &[], kind.legend());
                    s.close("g");
                }
                LegendItem::Outline => {
                    s.leaf(
                        "rect",
                        &[
                            ("x", &Px(x)),
                            ("y", &Px(y - 10.0)),
                            ("width", &14),
                            ("height", &10),
                            ("fill", &"none"),
                            ("stroke", &"#b00020"),
                            ("stroke-dasharray", &"4 2"),
                        ],
                    );
                    s.text(x + 20.0, y, &[("class", &"legend-item")], "cordoned zone");
                }
            }
        }
        s.close("g");
        if let Some(credit) = &self.credit {
            s.text(
                gap,
                legend_top + legend_h + 6.0,
                &[("class", &"credit"), ("fill", &"#444444")],
                credit,
            );
        }
        s.finish()
    }

    /// The legend's layers: (label, colour, opacity), once each in first-seen order.
    fn legend_layers(&self) -> Vec<(String, Colour, f64)> {
        let mut seen: Vec<(String, Colour, f64)> = Vec::new();
        for l in self.panels.iter().flat_map(|p| &p.layers) {
            if !seen.iter().any(|s| s.0 == l.label) {
                seen.push((l.label.clone(), l.colour, l.opacity.max(0.6)));
            }
        }
        seen
    }

    /// The ways of every panel, once: a path in `<defs>` that each panel uses.
    fn define_ground(&self, s: &mut Svg, lines: &[Segment]) {
        if lines.is_empty() {
            return;
        }
        let mut d = String::with_capacity(lines.len() * 20);
        for (a, b) in lines {
            d.push_str(&format!("M{} {}L{} {}", Px(a.0), Px(a.1), Px(b.0), Px(b.1)));
        }
        let id = format!("{}-ways", self.id);
        s.open("defs", &[]);
        s.leaf(
            "path",
            &[
                ("id", &id),
                ("class", &"ways"),
                ("d", &d),
                ("stroke", &"#c8c8c8"),
                ("stroke-width", &0.8),
                ("fill", &"none"),
            ],
        );
        s.close("defs");
    }

    fn draw_ground(&self, s: &mut Svg, frame: &Frame, lines: &[Segment]) {
        if !lines.is_empty() {
            let href = format!("#{}-ways", self.id);
            s.leaf("use", &[("href", &href)]);
        }
        for o in &self.outlines {
            let pts: Vec<(f64, f64)> = hull(&o.points)
                .into_iter()
                .map(|(x, y)| frame.px(x, y))
                .collect();
            s.open("g", &[("class", &"outline")]);
            s.title(&o.label);
            s.polygon(
                &pts,
                &[
                    ("fill", &"none"),
                    ("stroke", &"#b00020"),
                    ("stroke-width", &1.5),
                    ("stroke-dasharray", &"4 2"),
                ],
            );
            s.close("g");
        }
    }

    fn draw_signs(&self, s: &mut Svg, frame: &Frame) {
        for sign in &self.signs {
            let (x, y) = frame.px(sign.x, sign.y);
            s.open("g", &[("class", &sign.kind.class())]);
            s.title(&sign.label);
            sign_shape(s, sign.kind, x, y);
            s.close("g");
        }
    }
}

/// An entry of a map's legend.
enum LegendItem {
    /// A layer: its label, colour and opacity.
    Layer(String, Colour, f64),
    /// A dot of this many people.
    Size(f64),
    Sign(SignKind),
    Outline,
}

impl LegendItem {
    fn label(&self, unit: &(String, String)) -> String {
        match self {
            LegendItem::Layer(l, ..) => l.clone(),
            LegendItem::Size(n) => format!(
                "{} {}",
                scale::count(*n),
                if *n == 1.0 { &unit.0 } else { &unit.1 }
            ),
            LegendItem::Sign(k) => k.legend().to_string(),
            LegendItem::Outline => "cordoned zone".into(),
        }
    }

    /// Its width in pixels, with `dot` the widest size dot's radius.
    fn width(&self, dot: f64, unit: &(String, String)) -> f64 {
        let text = 6.8 * self.label(unit).chars().count() as f64;
        match self {
            LegendItem::Size(_) => 2.0 * dot + 18.0 + text,
            _ => 32.0 + text,
        }
    }
}

/// The shape of a sign centred at (x, y).
fn sign_shape(s: &mut Svg, kind: SignKind, x: f64, y: f64) {
    match kind {
        SignKind::Start => {
            let pts: Vec<(f64, f64)> = (0..10)
                .map(|k| {
                    let a = std::f64::consts::PI * (k as f64 / 5.0 - 0.5);
                    let r = if k % 2 == 0 { 7.0 } else { 3.0 };
                    (x + r * a.cos(), y + r * a.sin())
                })
                .collect();
            s.polygon(
                &pts,
                &[
                    ("fill", &"#d62728"),
                    ("stroke", &"#ffffff"),
                    ("stroke-width", &1),
                ],
            );
        }
        SignKind::Rescue => {
            s.leaf(
                "rect",
                &[
                    ("x", &Px(x - 6.0)),
                    ("y", &Px(y - 6.0)),
                    ("width", &12),
                    ("height", &12),
                    ("fill", &"#ffffff"),
                    ("stroke", &"#1f5fa8"),
                    ("stroke-width", &2),
                ],
            );
            s.polyline(
                &[(x - 4.0, y), (x + 4.0, y)],
                &[("stroke", &"#1f5fa8"), ("stroke-width", &2.5)],
            );
            s.polyline(
                &[(x, y - 4.0), (x, y + 4.0)],
                &[("stroke", &"#1f5fa8"), ("stroke-width", &2.5)],
            );
        }
        SignKind::Lure => {
            for r in [3.0, 6.5] {
                s.leaf(
                    "circle",
                    &[
                        ("cx", &Px(x)),
                        ("cy", &Px(y)),
                        ("r", &r),
                        ("fill", &"none"),
                        ("stroke", &"#8c2d04"),
                        ("stroke-width", &1.5),
                    ],
                );
            }
        }
        SignKind::Squad => {
            let pts = [(x, y - 7.0), (x + 6.0, y + 5.0), (x - 6.0, y + 5.0)];
            s.polygon(
                &pts,
                &[
                    ("fill", &"#333333"),
                    ("stroke", &"#ffffff"),
                    ("stroke-width", &1),
                ],
            );
        }
    }
}

/// A scale bar of a round length, about a fifth of the panel, at its bottom left.
fn scale_bar(s: &mut Svg, frame: &Frame) {
    let metres = scale::nice_step(2.0 * frame.half_m.0 / 5.0 * 2.0, 2);
    let px = metres * frame.scale;
    let (x, y) = (8.0, frame.size.1 - 10.0);
    let label = if metres >= 1000.0 {
        format!("{} km", scale::round_label(metres / 1000.0, 3))
    } else {
        format!("{} m", scale::round_label(metres, 3))
    };
    s.open("g", &[("class", &"scale-bar")]);
    s.polyline(
        &[(x, y - 4.0), (x, y), (x + px, y), (x + px, y - 4.0)],
        &[
            ("fill", &"none"),
            ("stroke", &"#333333"),
            ("stroke-width", &1.5),
        ],
    );
    s.text(
        x + px + 5.0,
        y,
        &[("font-size", &10), ("fill", &"#333333")],
        &label,
    );
    s.close("g");
}

/// The sizes the legend shows: 1, 10, 100 … up to the largest count.
fn size_steps(max: f64) -> Vec<f64> {
    let mut v = vec![1.0];
    let mut n = 10.0;
    while n <= max && v.len() < 4 {
        v.push(n);
        n *= 10.0;
    }
    v
}

/// The lines in pixels, without those shorter than a pixel and without repeats of the same
/// pixel ends: what a panel can show of a city's half a million ways.
fn thin_lines(lines: &[Segment], frame: &Frame) -> Vec<Segment> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for &(a, b) in lines {
        let (pa, pb) = (frame.px(a.0, a.1), frame.px(b.0, b.1));
        if !(pa.0.is_finite() && pa.1.is_finite() && pb.0.is_finite() && pb.1.is_finite()) {
            continue;
        }
        if (pa.0 - pb.0).hypot(pa.1 - pb.1) < 1.0 {
            continue;
        }
        let key = |p: (f64, f64)| ((p.0 * 2.0).round() as i64, (p.1 * 2.0).round() as i64);
        let (ka, kb) = (key(pa), key(pb));
        if seen.insert(if ka <= kb { (ka, kb) } else { (kb, ka) }) {
            out.push((pa, pb));
        }
    }
    out
}

/// The convex hull of points (Andrew's monotone chain), counter-clockwise.
pub fn hull(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut p: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|q| q.0.is_finite() && q.1.is_finite())
        .collect();
    p.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    p.dedup();
    if p.len() < 3 {
        return p;
    }
    let cross = |o: (f64, f64), a: (f64, f64), b: (f64, f64)| {
        (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
    };
    let mut h: Vec<(f64, f64)> = Vec::with_capacity(2 * p.len());
    for pass in 0..2 {
        let start = h.len();
        let iter: Box<dyn Iterator<Item = &(f64, f64)>> = if pass == 0 {
            Box::new(p.iter())
        } else {
            Box::new(p.iter().rev())
        };
        for &q in iter {
            while h.len() >= start + 2 && cross(h[h.len() - 2], h[h.len() - 1], q) <= 0.0 {
                h.pop();
            }
            h.push(q);
        }
        h.pop();
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid_map(n: usize, panels: usize) -> Map {
        let extent: Vec<(f64, f64)> = (0..n * n)
            .map(|k| ((k % n) as f64, (k / n) as f64))
            .collect();
        let lines = (0..n * n - 1)
            .map(|k| {
                (
                    ((k % n) as f64, (k / n) as f64),
                    ((k % n) as f64 + 1.0, (k / n) as f64),
                )
            })
            .collect();
        Map {
            title: "lattice".into(),
            geographic: false,
            lines,
            extent: extent.clone(),
            panels: (0..panels)
                .map(|h| Panel {
                    title: format!("hour {h}"),
                    minutes: h as f64 * 60.0,
                    layers: vec![Layer {
                        label: "zombies".into(),
                        key: "zombie".into(),
                        colour: Colour(44, 160, 44),
                        opacity: 0.8,
                        spots: extent
                            .iter()
                            .take(h * 10 + 1)
                            .map(|&(x, y)| (x, y, 1.0))
                            .collect(),
                    }],
                })
                .collect(),
            signs: vec![Sign {
                x: 0.0,
                y: 0.0,
                kind: SignKind::Start,
                label: "first zombie".into(),
            }],
            outlines: vec![Outline {
                label: "cordon".into(),
                points: vec![(0.0, 0.0), (5.0, 0.0), (5.0, 5.0), (2.0, 2.0)],
            }],
            credit: Some("Map data © OpenStreetMap contributors (ODbL)".into()),
            panel_width: 240.0,
            columns: 3,
            unit: ("person".into(), "people".into()),
            id: "test".into(),
            class: "map".into(),
            standalone: true,
        }
    }

    #[test]
    fn small_multiples_have_a_panel_an_hour() {
        let svg = grid_map(20, 6).svg();
        assert_eq!(svg.matches("class=\"map-panel\"").count(), 6);
        assert_eq!(svg.matches("class=\"sign-start\"").count(), 6);
        assert!(svg.contains("class=\"scale-bar\""));
        assert!(svg.contains("OpenStreetMap contributors"));
        assert!(svg.contains("cordoned zone"));
    }

    #[test]
    fn a_big_world_is_drawn_with_a_bounded_number_of_dots() {
        let svg = grid_map(700, 1).svg();
        let dots = svg.matches("<circle").count();
        // 490,000 places on a 240-pixel panel: at most one dot a 4-pixel cell.
        assert!(dots < 4_000, "{dots} dots");
        assert!(svg.len() < 2_000_000, "{} bytes", svg.len());
    }

    #[test]
    fn a_hull_wraps_its_points() {
        let h = hull(&[(0.0, 0.0), (2.0, 0.0), (1.0, 1.0), (2.0, 2.0), (0.0, 2.0)]);
        assert_eq!(h, vec![(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)]);
    }

    #[test]
    fn geographic_maps_keep_their_proportions() {
        // 0.01° of longitude at 60.5° N is as long as 0.005° of latitude.
        let f = Frame::new(&[(26.9, 60.5), (26.91, 60.505)], &[], true, 200.0);
        assert!((f.size.1 / f.size.0 - 0.99).abs() < 0.03, "{:?}", f.size);
    }
}
