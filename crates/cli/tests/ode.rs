//! `outbreak ode` end to end: CSV with the model's columns, values checked against
//! hand-derived ones, bad input refused with exit 2.

use std::process::Command;

fn ode(args: &[&str]) -> (Option<i32>, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_outbreak"))
        .arg("ode")
        .args(args)
        .output()
        .expect("the binary runs");
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn rows(csv: &str) -> Vec<Vec<f64>> {
    csv.lines()
        .skip(1)
        .map(|l| l.split(',').map(|c| c.parse().unwrap()).collect())
        .collect()
}

#[test]
fn every_model_prints_its_columns_and_conserves_what_it_should() {
    for (model, header) in [
        ("basic", "t,S,Z,R"),
        ("latent", "t,S,I,Z,R"),
        ("quarantine", "t,S,I,Z,R,Q"),
        ("treatment", "t,S,I,Z,R"),
        ("impulsive", "t,S,Z,R"),
        ("alemi", "t,S,Z,R"),
    ] {
        let (code, out, err) = ode(&[model, "--t-end", "5", "--dt", "0.5"]);
        assert_eq!(code, Some(0), "{model}: {err}");
        assert_eq!(out.lines().next(), Some(header), "{model}");
        let r = rows(&out);
        assert_eq!(r.len(), 11, "{model}: t = 0, 0.5, …, 5");
        assert_eq!(r[0][0], 0.0);
        assert!((r[10][0] - 5.0).abs() < 1e-12);
        if model != "impulsive" {
            for row in &r {
                let total: f64 = row[1..].iter().sum();
                assert!(
                    (total - 500.0).abs() < 1e-6,
                    "{model}: total {total} at t = {}",
                    row[0]
                );
            }
        }
    }
}

#[test]
fn alemi_follows_its_closed_form_and_parameters_are_munz_symbols() {
    // S(t) = a·S0 / (b·S0 + (a − b·S0)·e^(aβt)), a = Z0 + b·S0, b = 1 − κ/β.
    let (code, out, err) = ode(&[
        "alemi",
        "--param",
        "beta=0.002",
        "--param",
        "kappa=0.001",
        "--param",
        "N=1000",
        "--param",
        "Z0=10",
        "--t-end",
        "3",
        "--dt",
        "1",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let (s0, z0, beta, b) = (990.0f64, 10.0f64, 0.002f64, 0.5f64);
    let a = z0 + b * s0;
    for row in rows(&out) {
        let t = row[0];
        let s = a * s0 / (b * s0 + (a - b * s0) * (a * beta * t).exp());
        assert!((row[1] - s).abs() < 1e-5, "t = {t}: S {} vs {s}", row[1]);
        assert!((row[2] - (a - b * s)).abs() < 1e-5, "t = {t}: Z");
    }
    // Munz's basic model at t = 0 has the printed N = 500 and one zombie.
    let (_, out, _) = ode(&["basic", "--t-end", "1", "--dt", "1"]);
    assert_eq!(out.lines().nth(1), Some("0,499,1,0"));
}

#[test]
fn bad_input_is_refused_with_exit_2() {
    for (args, says) in [
        (
            vec!["zombieland"],
            "unknown model `zombieland`: expected basic",
        ),
        (
            vec!["basic", "--param", "rho=0.1"],
            "`rho` is not a parameter of the basic model",
        ),
        (vec!["basic", "--param", "beta=-1"], "must be 0 or more"),
        (vec!["basic", "--param", "beta"], "expected NAME=VALUE"),
        (
            vec!["basic", "--param", "Z0=501"],
            "Z0 + I0 must not exceed N",
        ),
        (vec!["basic", "--t-end", "0"], "--t-end 0"),
        (vec!["basic", "--dt", "0"], "--dt 0"),
    ] {
        let (code, out, err) = ode(&args);
        assert_eq!(code, Some(2), "{args:?}");
        assert!(out.is_empty(), "{args:?}: nothing on stdout");
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

#[test]
fn validate_quick_passes_and_reports_every_comparison_as_json() {
    let o = Command::new(env!("CARGO_BIN_EXE_outbreak"))
        .args(["validate", "--quick", "--json"])
        .output()
        .expect("the binary runs");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = String::from_utf8_lossy(&o.stdout);
    for name in [
        "extinction",
        "final-size",
        "ode-szr",
        "ode-szr-coarse",
        "ode-sizr",
        "ode-sizrq",
        "ode-treatment",
        "lattice-0.2",
        "lattice-0.4373",
        "lattice-0.5",
    ] {
        assert!(
            text.contains(&format!("\"name\": \"{name}\"")),
            "{name} in {text}"
        );
    }
    assert!(!text.contains("\"pass\": false"), "{text}");
}
