//! Pictures of a map world (OpenStreetMap): its streets as lines and its buildings as dots,
//! longitude across and latitude up, with the credit OpenStreetMap's licence asks for.
//!
//! [`map_svg`] draws a map as imported (`outbreak map --svg`); [`run_map_svg`] colours
//! each building by when the first bite came there (`map.svg` of a run folder).

use std::error::Error;
use std::path::Path;

use outbreak_engine::prelude::*;
use outbreak_engine::sim::EventKind;
use plotters::prelude::*;

use crate::error::OutputError;
use crate::recorder::Recorder;
use crate::tables::format_trimmed;

/// The credit every picture of OpenStreetMap data carries.
pub const OSM_CREDIT: &str = "Map data © OpenStreetMap contributors (ODbL)";

/// A street piece: its two ends, (longitude, latitude) each.
pub type Street = ([f64; 2], [f64; 2]);

type BoxError = Box<dyn Error + Send + Sync>;

/// Buildings never bitten in.
const UNTOUCHED: RGBColor = RGBColor(170, 170, 170);
/// The first bite in the first, second, third and last quarter of the run (yellow to
/// dark red).
const QUARTERS: [RGBColor; 4] = [
    RGBColor(254, 196, 79),
    RGBColor(253, 141, 60),
    RGBColor(227, 26, 28),
    RGBColor(128, 0, 38),
];

/// Renders streets and buildings as SVG, every building in one colour.
pub fn map_svg(
    streets: &[Street],
    buildings: &[[f64; 2]],
    title: &str,
) -> Result<String, BoxError> {
    let legend = [("building".to_string(), RGBColor(214, 96, 77))];
    draw(
        streets,
        buildings,
        &vec![0; buildings.len()],
        &legend,
        title,
    )
}

/// Renders the streets and the buildings (the world's [`PlaceKind::Room`] places) of a
/// recorded run, each building coloured by the quarter of the run in which its first bite
/// came, grey where no one was bitten; street places where someone was bitten are
/// coloured dots too.
pub fn run_map_svg(
    rec: &Recorder,
    sim: &Simulation,
    streets: &[Street],
    title: &str,
) -> Result<String, BoxError> {
    let w = &sim.world;
    let mut first_bite = vec![u32::MAX; w.place_count()];
    for e in rec.events() {
        if e.kind == EventKind::Bite && e.place.index() < first_bite.len() {
            let t = &mut first_bite[e.place.index()];
            *t = (*t).min(e.tick);
        }
    }
    let last = rec.ticks().last().copied().unwrap_or(0).max(1);
    let hours = |tick: u32| format_trimmed(rec.minutes(tick) / 60.0, 1);
    let mut legend = vec![("never bitten in".to_string(), UNTOUCHED)];
    for (q, colour) in QUARTERS.iter().enumerate() {
        let (from, to) = (last * q as u32 / 4, last * (q as u32 + 1) / 4);
        legend.push((
            format!("first bite {}–{} h", hours(from), hours(to)),
            *colour,
        ));
    }
    let (mut points, mut classes) = (Vec::new(), Vec::new());
    for (p, &bitten) in first_bite.iter().enumerate() {
        let class = match bitten {
            u32::MAX => 0,
            t => 1 + (u64::from(t.min(last)) * 4 / (u64::from(last) + 1)) as usize,
        };
        // Every building; a street junction where someone was bitten.
        let kind = w.places.kind[p];
        if kind == PlaceKind::Room || (class > 0 && kind != PlaceKind::Staging) {
            points.push(w.places.pos[p]);
            classes.push(class);
        }
    }
    draw(streets, &points, &classes, &legend, title)
}

/// Writes [`run_map_svg`] to `path`.
pub fn write_run_map(
    path: &Path,
    rec: &Recorder,
    sim: &Simulation,
    streets: &[Street],
    title: &str,
) -> Result<(), OutputError> {
    let svg = run_map_svg(rec, sim, streets, title).map_err(|source| OutputError::Chart {
        path: path.to_path_buf(),
        source,
    })?;
    std::fs::write(path, svg).map_err(OutputError::io("write", path))
}

/// Draws streets, then the buildings of each class in `legend` order (so later classes
/// lie on top), the legend and the credit.
fn draw(
    streets: &[Street],
    buildings: &[[f64; 2]],
    classes: &[usize],
    legend: &[(String, RGBColor)],
    title: &str,
) -> Result<String, BoxError> {
    let all = streets
        .iter()
        .flat_map(|(a, b)| [*a, *b])
        .chain(buildings.iter().copied());
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for [x, y] in all {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    if x0 > x1 {
        (x0, y0, x1, y1) = (0.0, 0.0, 1.0, 1.0);
    }
    let pad = |lo: f64, hi: f64| ((hi - lo) * 0.03).max(1e-6);
    let (px, py) = (pad(x0, x1), pad(y0, y1));
    // Keep the map's proportions: a degree of longitude is cos(latitude) of one of latitude.
    let aspect = (x1 - x0 + 2.0 * px) * ((y0 + y1) / 2.0).to_radians().cos() / (y1 - y0 + 2.0 * py);
    let height = 800u32;
    let width = ((f64::from(height) * aspect) as u32).clamp(500, 1600);
    let foot_height = 24 * (legend.len() as u32 + 1) + 8;
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (width, height + foot_height)).into_drawing_area();
        root.fill(&WHITE)?;
        let (map, foot) = root.split_vertically(height);
        let mut chart = ChartBuilder::on(&map)
            .caption(title, ("sans-serif", 20))
            .margin(12)
            .build_cartesian_2d((x0 - px)..(x1 + px), (y0 - py)..(y1 + py))?;
        let street = RGBColor(90, 90, 90);
        chart.draw_series(streets.iter().map(|(a, b)| {
            PathElement::new(vec![(a[0], a[1]), (b[0], b[1])], street.stroke_width(1))
        }))?;
        for (class, (_, colour)) in legend.iter().enumerate() {
            chart.draw_series(
                buildings
                    .iter()
                    .zip(classes)
                    .filter(|(_, &c)| c == class)
                    .map(|(p, _)| Circle::new((p[0], p[1]), 2, colour.filled())),
            )?;
        }
        if legend.len() > 1 {
            for (i, (label, colour)) in legend.iter().enumerate() {
                let y = 12 + 24 * i as i32;
                foot.draw(&Circle::new((20, y + 7), 5, colour.filled()))?;
                foot.draw(&Text::new(label.as_str(), (32, y), ("sans-serif", 14)))?;
            }
        }
        let credit_y = if legend.len() > 1 {
            12 + 24 * legend.len() as i32
        } else {
            12
        };
        foot.draw(&Text::new(OSM_CREDIT, (12, credit_y), ("sans-serif", 14)))?;
        root.present()?;
    }
    Ok(svg)
}
