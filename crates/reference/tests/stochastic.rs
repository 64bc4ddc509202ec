//! The exact stochastic simulation against what is known of it: Alemi's extinction
//! probability α^Z0, the ODE as the mean of many runs, and the lattice's extremes.

use outbreak_reference::models::{Model, Values};
use outbreak_reference::{alemi, solve, ssa};

#[test]
fn zombies_die_out_with_probability_alpha_to_the_z0() {
    // β·S ≈ 1 per unit time at the start; 3,000 runs; binomial, 4 standard errors. Finite S
    // makes the chance slightly larger than α^Z0 (S falls as bites happen): the bias is
    // below 0.3 % for N = 2,000.
    for (kappa, z0) in [(0.00025, 1u32), (0.00015, 2)] {
        let mut v = Values::defaults(Model::Alemi);
        v.set("N", 2000.0).unwrap();
        v.set("beta", 0.0005).unwrap();
        v.set("kappa", kappa).unwrap();
        v.set("Z0", f64::from(z0)).unwrap();
        let runs = 3000;
        let died = (0..runs)
            .filter(|&k| ssa::well_mixed(&v, &[1e4], 5, k)[0][1] == 0.0)
            .count() as f64;
        let p = alemi::extinction_probability(0.0005, kappa, z0);
        let sd = (p * (1.0 - p) / f64::from(runs)).sqrt();
        let got = died / f64::from(runs);
        assert!(
            (got - p).abs() < 4.0 * sd,
            "κ = {kappa}, Z0 = {z0}: {got} vs {p}"
        );
    }
}

#[test]
fn the_mean_of_many_runs_follows_the_ode() {
    // Munz's basic model with N = 2,000 and 50 zombies to start (so no run dies out early):
    // the mean of 400 runs is within 1 % of N of the ODE at every day.
    let mut v = Values::defaults(Model::Basic);
    v.set("N", 2000.0).unwrap();
    v.set("Z0", 50.0).unwrap();
    v.set("beta", 0.0095 / 4.0).unwrap();
    let times: Vec<f64> = (1..=5).map(f64::from).collect();
    let ode = solve(&v, 5.0, 1.0).unwrap();
    let runs = 400;
    let mut mean = vec![vec![0.0; 3]; times.len()];
    for k in 0..runs {
        for (m, y) in mean.iter_mut().zip(ssa::well_mixed(&v, &times, 9, k)) {
            for (a, b) in m.iter_mut().zip(y) {
                *a += b / f64::from(runs);
            }
        }
    }
    for (d, m) in mean.iter().enumerate() {
        let e = &ode[d + 1].1;
        for c in 0..3 {
            assert!(
                (m[c] - e[c]).abs() < 20.0,
                "day {}: column {c}: {} vs {}",
                d + 1,
                m[c],
                e[c]
            );
        }
    }
}

#[test]
fn on_the_lattice_bites_alone_always_escape_and_kills_alone_never_do() {
    let all_bites = ssa::lattice(41, 1.0, 0.0, 3, 0);
    assert!(all_bites.escaped);
    let all_kills = ssa::lattice(41, 0.0, 1.0, 3, 0);
    assert!(!all_kills.escaped);
    assert_eq!(all_kills.removed, 1);
    assert_eq!(all_kills.humans, 41 * 41 - 1);
}
