//! The integrator and the reference equations against hand-derived values.

use outbreak_reference::alemi;
use outbreak_reference::models::{Model, Values};
use outbreak_reference::ode::{integrate, Tolerance};
use outbreak_reference::solve;

#[test]
fn dormand_prince_is_exact_to_its_tolerance_on_known_solutions() {
    // Logistic growth y' = y(1 − y), y(0) = 0.1: y(t) = 1 / (1 + 9 e^−t).
    let times: Vec<f64> = (1..=20).map(|k| f64::from(k) * 0.5).collect();
    let mut rows = Vec::new();
    integrate(
        |_, y, dy| dy[0] = y[0] * (1.0 - y[0]),
        0.0,
        &[0.1],
        &times,
        Tolerance::default(),
        |t, y| rows.push((t, y[0])),
    )
    .unwrap();
    assert_eq!(rows.len(), 21);
    for (t, y) in rows {
        let exact = 1.0 / (1.0 + 9.0 * (-t).exp());
        assert!((y - exact).abs() < 1e-8, "t = {t}: {y} vs {exact}");
    }
    // A rotation y'' = −y keeps its radius: (cos t, −sin t).
    let end = integrate(
        |_, y, dy| {
            dy[0] = y[1];
            dy[1] = -y[0];
        },
        0.0,
        &[1.0, 0.0],
        &[10.0],
        Tolerance::default(),
        |_, _| {},
    )
    .unwrap();
    assert!((end[0] - 10f64.cos()).abs() < 1e-7 && (end[1] + 10f64.sin()).abs() < 1e-7);
}

#[test]
fn without_births_munz_models_conserve_the_total() {
    for model in [
        Model::Basic,
        Model::Latent,
        Model::Quarantine,
        Model::Treatment,
    ] {
        let mut v = Values::defaults(model);
        v.set("Z0", 5.0).unwrap();
        for (t, y) in solve(&v, 10.0, 0.25).unwrap() {
            let total: f64 = y.iter().sum();
            assert!((total - 500.0).abs() < 1e-6, "{model} at t = {t}: {total}");
        }
    }
}

#[test]
fn alemi_equations_follow_the_closed_form() {
    for (beta, kappa) in [(0.01, 0.003), (0.01, 0.02), (0.002, 0.002)] {
        let mut v = Values::defaults(Model::Alemi);
        v.set("beta", beta).unwrap();
        v.set("kappa", kappa).unwrap();
        v.set("N", 1000.0).unwrap();
        v.set("Z0", 10.0).unwrap();
        for (t, y) in solve(&v, 5.0, 0.1).unwrap() {
            let (s, z) = alemi::closed_form(beta, kappa, 990.0, 10.0, t);
            assert!((y[0] - s).abs() < 1e-5, "S at {t}: {} vs {s}", y[0]);
            assert!((y[1] - z).abs() < 1e-5, "Z at {t}: {} vs {z}", y[1]);
        }
    }
    // Final states: all bitten below α = 1; humans left above it.
    assert_eq!(alemi::final_state(1.0, 0.5, 100.0, 1.0), (0.0, 51.0));
    assert_eq!(alemi::final_state(1.0, 3.0, 100.0, 10.0), (95.0, 0.0));
    let (s, z) = alemi::closed_form(1.0, 3.0, 100.0, 10.0, 50.0);
    assert!((s - 95.0).abs() < 1e-6 && z.abs() < 1e-6);
    assert!((alemi::extinction_probability(1.0, 0.3, 2) - 0.09).abs() < 1e-12);
}

#[test]
fn impulsive_attacks_destroy_k_n_of_the_zombies() {
    let mut v = Values::defaults(Model::Impulsive);
    // No dynamics between attacks: only the attacks change Z.
    for name in ["alpha", "beta", "zeta", "delta"] {
        v.set(name, 0.0).unwrap();
    }
    v.set("Z0", 100.0).unwrap();
    let rows = solve(&v, 10.0, 0.5).unwrap();
    let z_at = |t: f64| rows.iter().find(|r| (r.0 - t).abs() < 1e-9).unwrap().1[1];
    assert!((z_at(2.0) - 100.0).abs() < 1e-9);
    assert!((z_at(2.5) - 75.0).abs() < 1e-9, "first attack: 25 %");
    assert!((z_at(5.0) - 37.5).abs() < 1e-9, "second: 50 %");
    assert!((z_at(7.5) - 9.375).abs() < 1e-9, "third: 75 %");
    assert!(z_at(10.0).abs() < 1e-9, "fourth: all");
}

#[test]
fn parameters_are_checked() {
    let mut v = Values::defaults(Model::Basic);
    assert!(v.set("rho", 0.1).is_err(), "basic has no latent class");
    assert!(v.set("beta", -1.0).is_err());
    assert!(v.set("Z0", 600.0).is_err());
    assert!(v.set("beta", f64::NAN).is_err());
}

#[test]
fn output_times_attacks_and_blow_ups_are_handled() {
    // The last row is t_end, even when it is not a multiple of dt.
    let v = Values::defaults(Model::Basic);
    let rows = solve(&v, 1.06, 0.1).unwrap();
    assert!((rows.last().unwrap().0 - 1.06).abs() < 1e-12);
    assert!(rows.iter().all(|r| r.0 <= 1.06 + 1e-12));
    // Attacks off the output grid, and at time 0, take effect.
    let mut v = Values::defaults(Model::Impulsive);
    for name in ["alpha", "beta", "zeta", "delta"] {
        v.set(name, 0.0).unwrap();
    }
    v.set("Z0", 100.0).unwrap();
    v.set("t_first", 0.0).unwrap();
    v.set("t_every", 0.33).unwrap();
    let rows = solve(&v, 0.5, 0.2).unwrap();
    assert!(
        (rows[0].1[1] - 75.0).abs() < 1e-9,
        "attack at 0 shows in the first row"
    );
    assert!(
        (rows[1].1[1] - 75.0).abs() < 1e-9,
        "t = 0.2: one attack so far"
    );
    assert!(
        (rows[2].1[1] - 37.5).abs() < 1e-9,
        "t = 0.4: the attack at 0.33 took half"
    );
    // A solution that overflows is an error, not rows of NaN.
    let mut v = Values::defaults(Model::Alemi);
    v.set("N", 1e10).unwrap();
    v.set("Z0", 1e9).unwrap();
    v.set("beta", 1e300).unwrap();
    assert!(solve(&v, 1.0, 0.1).is_err());
}
