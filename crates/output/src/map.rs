//! A picture of a map world (OpenStreetMap): its streets as lines and its buildings as dots,
//! longitude across and latitude up, with the credit OpenStreetMap's licence asks for.

use std::error::Error;

use plotters::prelude::*;

/// The credit every picture of OpenStreetMap data carries.
pub const OSM_CREDIT: &str = "Map data © OpenStreetMap contributors (ODbL)";

/// Renders streets (pairs of longitude/latitude ends) and building points as SVG.
pub fn map_svg(
    streets: &[([f64; 2], [f64; 2])],
    buildings: &[[f64; 2]],
    title: &str,
) -> Result<String, Box<dyn Error + Send + Sync>> {
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
    let width = ((f64::from(height) * aspect) as u32).clamp(400, 1600);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height + 40)).into_drawing_area();
        root.fill(&WHITE)?;
        let (map, foot) = root.split_vertically(height);
        let mut chart = ChartBuilder::on(&map)
            .caption(title, ("sans-serif", 20))
            .margin(12)
            .build_cartesian_2d((x0 - px)..(x1 + px), (y0 - py)..(y1 + py))?;
        let street = RGBColor(90, 90, 90);
        for (a, b) in streets {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(a[0], a[1]), (b[0], b[1])],
                street.stroke_width(1),
            )))?;
        }
        let building = RGBColor(214, 96, 77);
        chart.draw_series(
            buildings
                .iter()
                .map(|p| Circle::new((p[0], p[1]), 2, building.filled())),
        )?;
        foot.draw(&Text::new(OSM_CREDIT, (12, 12), ("sans-serif", 14)))?;
        root.present()?;
    }
    Ok(svg)
}
