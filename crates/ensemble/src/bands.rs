//! Per-tick quantile bands of every state over an ensemble's members, and `bands.svg`.
//!
//! Quantiles interpolate linearly between order statistics (Hyndman and Fan's type 7, the
//! default of R's `quantile` and NumPy's `percentile`): with the `n` values sorted as
//! `x₀ ≤ … ≤ xₙ₋₁`, the `p` quantile is `x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋₊₁ − x_⌊h⌋)` at
//! `h = (n − 1)p`.

use std::error::Error;

use outbreak_engine::prelude::*;
use outbreak_output::{draw_legend, legend_line, CHART_SIZE, STATE_COLOURS};
use plotters::prelude::*;

use crate::member::Member;

/// The quantiles kept: the 5–95 % and 25–75 % bands and the median.
pub const QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// Column names of [`QUANTILES`] in `bands.csv`.
pub const QUANTILE_NAMES: [&str; 5] = ["q05", "q25", "median", "q75", "q95"];

/// The bands of one state at one tick.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Band {
    pub mean: f64,
    /// Values at [`QUANTILES`].
    pub q: [f64; 5],
}

/// Bands of every state at every tick: `bands[tick][state]`.
pub type Bands = Vec<[Band; STATES]>;

/// The type-7 quantile `p` of sorted values.
pub fn quantile(sorted: &[f64], p: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

/// Bands over the members' series (all of one length: one scenario).
pub fn bands(members: &[Member]) -> Bands {
    let ticks = members.iter().map(|m| m.series.len()).min().unwrap_or(0);
    let mut values = vec![0.0; members.len()];
    (0..ticks)
        .map(|t| {
            std::array::from_fn(|s| {
                for (v, m) in values.iter_mut().zip(members) {
                    *v = f64::from(m.series[t][s]);
                }
                values.sort_by(f64::total_cmp);
                let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
                Band {
                    mean,
                    q: QUANTILES.map(|p| quantile(&values, p)),
                }
            })
        })
        .collect()
}

/// Draws the median of each state with its 25–75 % band (darker) and 5–95 % band
/// (lighter) against hours; states no member was ever in are left out.
pub fn bands_svg(
    bands: &Bands,
    tick_minutes: f64,
    population: u64,
    title: &str,
) -> Result<String, Box<dyn Error + Send + Sync>> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, CHART_SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let hours = |t: usize| t as f64 * tick_minutes / 60.0;
        let x_max = hours(bands.len().saturating_sub(1)).max(1e-3);
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 22))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(72)
            .build_cartesian_2d(0.0..x_max, 0.0..(population as f64).max(1.0))?;
        chart
            .configure_mesh()
            .x_desc("hours")
            .y_desc("people (median, 25–75 % and 5–95 % of members)")
            .x_label_formatter(&|h| crate::format_value((h * 100.0).round() / 100.0))
            .y_label_formatter(&|n| crate::format_value(n.round()))
            .label_style(("sans-serif", 13))
            .axis_desc_style(("sans-serif", 15))
            .light_line_style(WHITE.mix(0.0))
            .draw()?;
        for (s, health) in Health::ALL.iter().enumerate() {
            if bands.iter().all(|b| b[s].q[4] == 0.0) {
                continue;
            }
            let colour = STATE_COLOURS[s];
            for (lo, hi, alpha) in [(0, 4, 0.15), (1, 3, 0.3)] {
                let upper = bands
                    .iter()
                    .enumerate()
                    .map(|(t, b)| (hours(t), b[s].q[hi]));
                let lower = bands
                    .iter()
                    .enumerate()
                    .rev()
                    .map(|(t, b)| (hours(t), b[s].q[lo]));
                let outline: Vec<(f64, f64)> = upper.chain(lower).collect();
                chart.draw_series(std::iter::once(Polygon::new(
                    outline,
                    colour.mix(alpha).filled(),
                )))?;
            }
            let median = bands.iter().enumerate().map(|(t, b)| (hours(t), b[s].q[2]));
            chart
                .draw_series(LineSeries::new(median, colour.stroke_width(2)))?
                .label(health.as_str())
                .legend(legend_line(colour));
        }
        draw_legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        root.present()?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_as_r_and_numpy_do() {
        let x = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(quantile(&x, 0.5), 3.0);
        assert_eq!(quantile(&x, 0.0), 1.0);
        assert_eq!(quantile(&x, 1.0), 10.0);
        // numpy.percentile([1, 2, 3, 4, 10], [5, 25, 75, 95]) = 1.2, 2, 4, 8.8
        assert!((quantile(&x, 0.05) - 1.2).abs() < 1e-12);
        assert_eq!(quantile(&x, 0.25), 2.0);
        assert_eq!(quantile(&x, 0.75), 4.0);
        assert!((quantile(&x, 0.95) - 8.8).abs() < 1e-12);
        assert_eq!(quantile(&[7.0], 0.3), 7.0);
        assert!(quantile(&[], 0.3).is_nan());
    }
}
