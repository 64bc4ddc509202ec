//! `curves.svg`: the six state curves of the whole world against hours.
//!
//! Drawn with plotters' SVG backend and no font feature: plotters then sizes text with a
//! crude built-in estimate (its `naive` font) and the SVG holds plain `<text>` elements
//! that the viewer's browser renders in its own sans-serif font. No font file is read or
//! bundled, so the chart is the same on every machine.

use std::error::Error;
use std::path::Path;

use outbreak_engine::prelude::*;
use plotters::prelude::*;

use crate::error::OutputError;
use crate::recorder::Recorder;
use crate::tables::format_trimmed;

/// Width and height of the chart in pixels.
pub const CHART_SIZE: (u32, u32) = (960, 540);

/// One colour per state, in [`Health::ALL`] order (a colour-blind-friendly palette).
pub const STATE_COLOURS: [RGBColor; STATES] = [
    RGBColor(31, 119, 180),  // susceptible: blue
    RGBColor(255, 127, 14),  // infected: orange
    RGBColor(44, 160, 44),   // zombie: green
    RGBColor(148, 103, 189), // hambie: purple
    RGBColor(64, 64, 64),    // dead: dark grey
    RGBColor(23, 190, 207),  // rescued: cyan
    RGBColor(140, 86, 75),   // quarantined: brown
];

type BoxError = Box<dyn Error + Send + Sync>;

/// The legend's sample of a line drawn in `colour`, two pixels wide as every line here.
pub fn legend_line(colour: RGBColor) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
}

/// Draws the legend of the labelled series at `position`, in the style of every chart here.
pub fn draw_legend<'a, DB, CT>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>
where
    DB: DrawingBackend + 'a,
    CT: CoordTranslate,
{
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.4))
        .label_font(("sans-serif", 14))
        .draw()
}

/// Renders the curves of a recorded run as an SVG document.
pub fn curves_svg(rec: &Recorder, title: &str) -> Result<String, BoxError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, CHART_SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let last_tick = rec.ticks().last().copied().unwrap_or(0);
        // A run of zero ticks still gets axes of positive length.
        let x_max = (rec.minutes(last_tick) / 60.0).max(1e-3);
        let population = rec.totals().first().map_or(0, |c| c.iter().sum::<u64>());
        let y_max = (population as f64).max(1.0);

        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 24))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(72)
            .build_cartesian_2d(0.0..x_max, 0.0..y_max)?;
        chart
            .configure_mesh()
            .x_desc("hours")
            .y_desc("people")
            .x_label_formatter(&|h| format_trimmed(*h, 2))
            .y_label_formatter(&|n| format_trimmed(*n, 0))
            .label_style(("sans-serif", 13))
            .axis_desc_style(("sans-serif", 15))
            .light_line_style(WHITE.mix(0.0))
            .draw()?;

        for (k, health) in Health::ALL.iter().enumerate() {
            // A state nobody was ever in (quarantine, in most scenarios) is left off.
            if *health == Health::Quarantined && rec.totals().iter().all(|c| c[k] == 0) {
                continue;
            }
            let colour = STATE_COLOURS[k];
            let points = rec
                .ticks()
                .iter()
                .zip(rec.totals())
                .map(|(&t, c)| (rec.minutes(t) / 60.0, c[k] as f64));
            chart
                .draw_series(LineSeries::new(points, colour.stroke_width(2)))?
                .label(health.as_str())
                .legend(legend_line(colour));
        }
        draw_legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        root.present()?;
    }
    Ok(svg)
}

/// Writes `curves.svg` for a recorded run.
pub fn write_curves(path: &Path, rec: &Recorder, title: &str) -> Result<(), OutputError> {
    let svg = curves_svg(rec, title).map_err(|source| OutputError::Chart {
        path: path.to_path_buf(),
        source,
    })?;
    std::fs::write(path, svg).map_err(OutputError::io("write", path))
}
