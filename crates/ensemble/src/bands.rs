//! Per-tick quantile bands of every state over an ensemble's members, and `bands.svg`.
//!
//! Quantiles interpolate linearly between order statistics (Hyndman and Fan's type 7, the
//! default of R's `quantile` and NumPy's `percentile`): with the `n` values sorted as
//! `x₀ ≤ … ≤ xₙ₋₁`, the `p` quantile is `x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋₊₁ − x_⌊h⌋)` at
//! `h = (n − 1)p`.

use outbreak_engine::prelude::*;

use crate::member::Member;

/// The quantiles kept: the 5–95 % and 25–75 % bands and the median.
pub const QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// Column names of [`QUANTILES`] in `bands.csv`.
pub const QUANTILE_NAMES: [&str; 5] = ["q05", "q25", "median", "q75", "q95"];

/// The bands of one state at one tick.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Band {
    /// Mean over the members.
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

/// The member's own value at quantile `p` of sorted values (type 1, the inverse of the
/// empirical distribution): a quantile of people is a whole number of people.
pub fn member_quantile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let k = ((p.clamp(0.0, 1.0) * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[k - 1]
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
        // A member's own value: [20, 21] has median 20, not 20.5.
        assert_eq!(member_quantile(&[20.0, 21.0], 0.5), 20.0);
        assert_eq!(member_quantile(&[20.0, 21.0], 0.95), 21.0);
        assert_eq!(member_quantile(&x, 0.05), 1.0);
        assert!(member_quantile(&[], 0.5).is_nan());
        assert!(quantile(&[], 0.3).is_nan());
    }
}
