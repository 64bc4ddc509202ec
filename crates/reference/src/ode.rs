//! An adaptive Runge–Kutta integrator: Dormand & Prince's 5(4) pair (Dormand & Prince 1980,
//! "A family of embedded Runge–Kutta formulae", J. Comput. Appl. Math. 6:19–26), with the
//! standard error-per-step control (Hairer, Nørsett & Wanner, *Solving ODEs I*, §II.4).
//! Steps are shortened to land exactly on the requested output times, so no interpolation
//! is involved.

/// Tolerances of the error control: each component's local error must stay below
/// `abs + rel · |y|`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tolerance {
    /// Relative part: a fraction of each component's size.
    pub rel: f64,
    /// Absolute part, in the units of the state.
    pub abs: f64,
}

impl Default for Tolerance {
    fn default() -> Self {
        Self {
            rel: 1e-9,
            abs: 1e-9,
        }
    }
}

/// The integration could not proceed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum OdeError {
    /// The step the error control asks for fell below 10⁻¹⁴ of the span integrated: the
    /// step size, then the time.
    #[error("the step size fell below {0:e} at t = {1}: the system is too stiff or singular")]
    StepTooSmall(f64, f64),
    /// The state became infinite or not a number, at this time.
    #[error("the solution is not finite at t = {0}")]
    NotFinite(f64),
}

// The Dormand–Prince tableau.
const C: [f64; 7] = [0.0, 1.0 / 5.0, 3.0 / 10.0, 4.0 / 5.0, 8.0 / 9.0, 1.0, 1.0];
const A: [[f64; 6]; 7] = [
    [0.0; 6],
    [1.0 / 5.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [3.0 / 40.0, 9.0 / 40.0, 0.0, 0.0, 0.0, 0.0],
    [44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0, 0.0, 0.0, 0.0],
    [
        19372.0 / 6561.0,
        -25360.0 / 2187.0,
        64448.0 / 6561.0,
        -212.0 / 729.0,
        0.0,
        0.0,
    ],
    [
        9017.0 / 3168.0,
        -355.0 / 33.0,
        46732.0 / 5247.0,
        49.0 / 176.0,
        -5103.0 / 18656.0,
        0.0,
    ],
    [
        35.0 / 384.0,
        0.0,
        500.0 / 1113.0,
        125.0 / 192.0,
        -2187.0 / 6784.0,
        11.0 / 84.0,
    ],
];
/// Fifth-order weights (the last row of `A`, "first same as last") and the fourth-order ones.
const B5: [f64; 7] = [
    35.0 / 384.0,
    0.0,
    500.0 / 1113.0,
    125.0 / 192.0,
    -2187.0 / 6784.0,
    11.0 / 84.0,
    0.0,
];
const B4: [f64; 7] = [
    5179.0 / 57600.0,
    0.0,
    7571.0 / 16695.0,
    393.0 / 640.0,
    -92097.0 / 339200.0,
    187.0 / 2100.0,
    1.0 / 40.0,
];

/// Integrates `y' = f(t, y)` from `(t0, y0)`, calling `out(t, y)` at `t0` and at each time
/// of `times` (increasing, after `t0`). Returns the state at the last time.
///
/// ```
/// use outbreak_reference::ode::{integrate, Tolerance};
/// // y' = -y: y(1) = e^-1.
/// let mut last = vec![];
/// integrate(|_, y, dy| dy[0] = -y[0], 0.0, &[1.0], &[1.0], Tolerance::default(), |_, y| last = y.to_vec()).unwrap();
/// assert!((last[0] - (-1.0f64).exp()).abs() < 1e-9);
/// ```
pub fn integrate(
    f: impl FnMut(f64, &[f64], &mut [f64]),
    t0: f64,
    y0: &[f64],
    times: &[f64],
    tol: Tolerance,
    mut out: impl FnMut(f64, &[f64]),
) -> Result<Vec<f64>, OdeError> {
    integrate_with(f, t0, y0, times, tol, |t, y| {
        out(t, y);
        Ok(())
    })
}

/// [`integrate`] whose `out` may fail: its first error stops the integration.
pub(crate) fn integrate_with<E: From<OdeError>>(
    mut f: impl FnMut(f64, &[f64], &mut [f64]),
    t0: f64,
    y0: &[f64],
    times: &[f64],
    tol: Tolerance,
    mut out: impl FnMut(f64, &[f64]) -> Result<(), E>,
) -> Result<Vec<f64>, E> {
    let n = y0.len();
    let mut t = t0;
    let mut y = y0.to_vec();
    let mut k = vec![vec![0.0; n]; 7];
    let mut stage = vec![0.0; n];
    let mut y5 = vec![0.0; n];
    out(t, &y)?;
    let span = times.last().map_or(0.0, |&e| e - t0).abs().max(1e-12);
    let mut h = span * 1e-3;
    f(t, &y, &mut k[0]);
    for &target in times {
        while t < target {
            let last = h >= target - t;
            let step = if last { target - t } else { h };
            for s in 1..7 {
                for i in 0..n {
                    stage[i] = y[i] + step * (0..s).map(|j| A[s][j] * k[j][i]).sum::<f64>();
                }
                f(t + C[s] * step, &stage, &mut k[s]);
            }
            // The error estimate: difference of the fifth- and fourth-order solutions.
            let mut err: f64 = 0.0;
            for i in 0..n {
                y5[i] = y[i] + step * (0..7).map(|j| B5[j] * k[j][i]).sum::<f64>();
                let y4 = y[i] + step * (0..7).map(|j| B4[j] * k[j][i]).sum::<f64>();
                if !y5[i].is_finite() {
                    return Err(OdeError::NotFinite(t).into());
                }
                let scale = tol.abs + tol.rel * y[i].abs().max(y5[i].abs());
                err = err.max(((y5[i] - y4) / scale).abs());
            }
            if !err.is_finite() {
                return Err(OdeError::NotFinite(t).into());
            }
            let factor = if err == 0.0 {
                5.0
            } else {
                (0.9 * err.powf(-0.2)).clamp(0.2, 5.0)
            };
            if err <= 1.0 {
                t = if last { target } else { t + step };
                y.copy_from_slice(&y5);
                // First same as last: the seventh stage is f at the new point.
                k.swap(0, 6);
                // A step shortened to land on an output time says nothing about the next.
                if !last || step >= h {
                    h = step * factor;
                }
            } else {
                h = step * factor;
            }
            if h < span * 1e-14 {
                return Err(OdeError::StepTooSmall(h, t).into());
            }
        }
        out(t, &y)?;
    }
    Ok(y)
}
