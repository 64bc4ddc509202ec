//! Alemi et al. (2015)'s mass-action SZR and its closed form. With α = κ/β,
//! dZ/dS = −(1 − α), so `Z = a − b·S` with `b = 1 − α` and `a = Z0 + b·S0`, and
//! `dS/dt = −β·S·(a − b·S)` integrates to
//!
//! ```text
//! S(t) = a·S0 / (b·S0 + (a − b·S0)·e^(a·β·t))        (a ≠ 0)
//! ```
//!
//! In the long run: for α < 1 the humans are all bitten, S → 0 and Z → Z0 + (1 − α)·S0;
//! for α > 1 the zombies die out with S∞ = S0 − Z0/(α − 1) humans left, if that is
//! positive (else S → 0 first, leaving Z → Z0 − (α − 1)·S0).
//!
//! The stochastic version (one zombie meets the humans one bite or kill at a time) is a
//! birth–death chain: while humans are plentiful each event is a bite with chance
//! 1/(1 + α), so the zombies of an outbreak started by Z0 of them die out with
//! probability `min(1, α)^Z0` (gambler's ruin against an infinite bank).

/// Humans and zombies at time `t` from Alemi's closed form.
pub fn closed_form(beta: f64, kappa: f64, s0: f64, z0: f64, t: f64) -> (f64, f64) {
    let b = 1.0 - kappa / beta;
    let a = z0 + b * s0;
    let s = if a.abs() < 1e-12 {
        // a = 0: dS/dt = β·b·S², S = S0 / (1 − β·b·S0·t).
        s0 / (1.0 - beta * b * s0 * t)
    } else {
        a * s0 / (b * s0 + (a - b * s0) * (a * beta * t).exp())
    };
    (s, a - b * s)
}

/// The final state (humans, zombies) from the closed form: humans are left only when
/// α > 1 and the zombies run out first.
pub fn final_state(beta: f64, kappa: f64, s0: f64, z0: f64) -> (f64, f64) {
    let alpha = kappa / beta;
    let b = 1.0 - alpha;
    let s = if alpha > 1.0 {
        (s0 - z0 / (alpha - 1.0)).max(0.0)
    } else {
        0.0
    };
    (s, z0 + b * s0 - b * s)
}

/// The chance that the zombies of an outbreak started by `z0` of them die out among
/// plentiful humans.
pub fn extinction_probability(beta: f64, kappa: f64, z0: u32) -> f64 {
    (kappa / beta).min(1.0).powi(z0 as i32)
}
