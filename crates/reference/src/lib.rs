//! Reference models for outbreak, the check on the agents: the equations of Munz et al.
//! (2009) and Alemi et al. (2015) ([`models`]), integrated with an adaptive Dormand–Prince
//! method ([`ode`]), Alemi's closed form ([`alemi`]), and exact stochastic simulation of the
//! same reactions ([`ssa`]), and the comparisons of the agents with them ([`agree`]). No
//! I/O.
//!
//! ```
//! use outbreak_reference::{models::{Model, Values}, solve};
//! let v = Values::defaults(Model::Basic);
//! let rows = solve(&v, 5.0, 0.5).unwrap();
//! // Without births the total is conserved.
//! let last = &rows.last().unwrap().1;
//! assert!((last.iter().sum::<f64>() - 500.0).abs() < 1e-6);
//! ```

#![warn(missing_docs)]

pub mod agree;
pub mod alemi;
pub mod models;
pub mod ode;
pub mod ssa;

use models::Values;
use ode::{integrate_with, OdeError, Tolerance};

/// The solution at `0, dt, 2·dt, …, t_end` (and `t_end`): time and state, in the model's
/// column order. For the impulsive model the state at an attack time is the state after
/// the attack. ([`solve_each`] gives the rows one by one, without holding them.)
pub fn solve(v: &Values, t_end: f64, dt: f64) -> Result<Vec<(f64, Vec<f64>)>, OdeError> {
    let mut rows = Vec::new();
    solve_each(v, t_end, dt, |t, y| {
        rows.push((t, y.to_vec()));
        Ok::<(), OdeError>(())
    })?;
    Ok(rows)
}

/// The rows of [`solve`], each given to `row(t, y)` as soon as it is known, in time order;
/// the first error `row` returns stops the integration and is returned. Time and memory
/// grow with the number of rows, not its square.
///
/// ```
/// use outbreak_reference::{models::{Model, Values}, solve_each, ode::OdeError};
/// let v = Values::defaults(Model::Basic);
/// let mut last = 0.0;
/// solve_each(&v, 5.0, 0.5, |t, _| {
///     last = t;
///     Ok::<(), OdeError>(())
/// })
/// .unwrap();
/// assert_eq!(last, 5.0);
/// ```
pub fn solve_each<E: From<OdeError>>(
    v: &Values,
    t_end: f64,
    dt: f64,
    mut row: impl FnMut(f64, &[f64]) -> Result<(), E>,
) -> Result<(), E> {
    let steps = (t_end / dt + 1e-9).floor().max(0.0) as u64;
    let mut grid: Vec<f64> = (1..=steps).map(|k| k as f64 * dt).collect();
    if grid.last().is_none_or(|&t| t < t_end) && t_end > 0.0 {
        grid.push(t_end);
    }
    let attacks = v.attacks(t_end);
    let mut y = v.initial();
    let mut t = 0.0;
    // Attacks at time 0 come before the first row.
    let at_start = attacks.iter().take_while(|&&ta| ta <= 0.0).count();
    for n in 0..at_start {
        v.attack(n as u32 + 1, &mut y);
    }
    let attacks = &attacks[at_start..];
    row(0.0, &y)?;
    let f = |_: f64, y: &[f64], dy: &mut [f64]| v.rhs(y, dy);
    let mut next = 0;
    for (n, &ta) in attacks
        .iter()
        .chain(std::iter::once(&f64::INFINITY))
        .enumerate()
    {
        // Output times up to this attack (inclusive), then the attack itself.
        let end = next + grid[next..].iter().take_while(|&&g| g <= ta).count();
        let mut times: Vec<f64> = grid[next..end].to_vec();
        let on_grid = times.len();
        let hits_grid = times.last().is_some_and(|&g| (g - ta).abs() < 1e-12);
        if ta.is_finite() && !hits_grid {
            times.push(ta);
        }
        // The integrator reports the segment's initial point, then each of `times`: the
        // grid points are rows, except that one at the attack is held back to be given
        // after it; the attack time off the grid is no row.
        let held = ta.is_finite() && hits_grid;
        let mut reported = 0;
        if !times.is_empty() {
            y = integrate_with(f, t, &y, &times, Tolerance::default(), |tt, yy| {
                let k = reported;
                reported += 1;
                if (1..on_grid + usize::from(!held)).contains(&k) {
                    row(tt, yy)?;
                }
                Ok::<(), E>(())
            })?;
            t = *times.last().unwrap_or(&t);
        }
        if ta.is_finite() {
            v.attack((at_start + n) as u32 + 1, &mut y);
            if held {
                row(t, &y)?;
            }
        }
        next = end;
    }
    Ok(())
}
