//! Sweeps: the grid, its errors, and the transition in the kill/bite ratio that Alemi et
//! al.'s analysis predicts for one zombie in a well-mixed place.

use outbreak_ensemble::sweep::{self, SweepSpec, Vary};
use outbreak_ensemble::{EnsembleError, Progress};

/// One zombie among 199 people who stand their ground in one well-mixed place (see the file:
/// β = 0.005 per pair-hour, six-minute ticks, 100 hours, no handling time).
const WELL_MIXED: &str = include_str!("../../scenario/tests/fixtures/one-zombie.toml");

fn spec(vary: &[&str], runs: u32) -> SweepSpec {
    SweepSpec {
        text: WELL_MIXED.to_string(),
        source: "one-zombie.toml".into(),
        sets: vec![],
        vary: vary.iter().map(|v| Vary::parse(v).unwrap()).collect(),
        runs,
        independent: false,
    }
}

fn quiet(_: Progress) {}

#[test]
fn the_outbreak_is_eradicated_in_a_share_of_runs_that_follows_the_kill_bite_ratio() {
    // With one zombie, each encounter is a bite with chance 1/(1+α) and a kill with chance
    // α/(1+α) (α = κ/β): the zombies die out with chance α for α < 1 (gambler's ruin;
    // Alemi et al. 2015, P = α^Z0) and surely for α > 1. κ varies from 0.001 to 0.0035 per
    // pair-hour in six steps: α = 0.2, 0.3, … 0.7 … and then past 1 on a second sweep.
    let dir = tempfile::tempdir().unwrap();
    let runs = 240;
    let below = sweep::run(
        &spec(&["virus.kill_rate_per_hour=0.001:0.0035:6"], runs),
        &dir.path().join("below"),
        false,
        &quiet,
    )
    .unwrap();
    let above = sweep::run(
        &spec(&["virus.kill_rate_per_hour=0.0075:0.01:2"], runs),
        &dir.path().join("above"),
        false,
        &quiet,
    )
    .unwrap();
    let mut shares = Vec::new();
    for p in below.points.iter().chain(&above.points) {
        let alpha = p.values[0] / 0.005;
        let expected = alpha.min(1.0);
        // [overrun, eradicated, contained, unresolved]
        let [overrun, eradicated, contained, unresolved] = p.endings;
        let got = f64::from(eradicated) / f64::from(p.runs);
        // Every run was decided: the zombies or the humans are gone. In one well-mixed
        // place a zombie among people is awake, so none is merely contained.
        assert_eq!(
            (overrun + eradicated, contained, unresolved),
            (p.runs, 0, 0),
            "α = {alpha}: undecided runs"
        );
        assert_eq!(p.held, eradicated);
        assert_eq!(p.escaped, None, "no edge zone in one place");
        // Four binomial standard errors (at least 0.02 where the share is 1).
        let se = (expected * (1.0 - expected) / f64::from(runs)).sqrt();
        let tolerance = (4.0 * se).max(0.02);
        assert!(
            (got - expected).abs() <= tolerance,
            "α = {alpha}: eradicated in {got}, expected {expected} ± {tolerance}"
        );
        shares.push(got);
    }
    // The transition: the share rises with α and reaches all runs past α = 1.
    assert!(shares[0] < shares[3] && shares[3] < shares[5], "{shares:?}");
    assert!(shares[6] >= 0.98 && shares[7] >= 0.98, "{shares:?}");
}

#[test]
fn a_grid_over_two_keys_has_every_pair_and_a_phase_diagram() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("grid");
    let s = spec(
        &[
            "virus.kill_rate_per_hour=0.001:0.003:3",
            "population.size=50:150:2",
        ],
        4,
    );
    let report = sweep::run(&s, &out, false, &quiet).unwrap();
    let pairs: Vec<Vec<f64>> = report.points.iter().map(|p| p.values.clone()).collect();
    assert_eq!(
        pairs,
        vec![
            vec![0.001, 50.0],
            vec![0.001, 150.0],
            vec![0.002, 50.0],
            vec![0.002, 150.0],
            vec![0.003, 50.0],
            vec![0.003, 150.0],
        ]
    );
    // The population key took effect at each point.
    assert_eq!(report.points[0].population, 50);
    assert_eq!(report.points[1].population, 150);
    let runs = std::fs::read_to_string(out.join("runs.csv")).unwrap();
    let mut lines = runs.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("point,virus.kill_rate_per_hour,population.size,run,seed,peak_zombies,"));
    assert_eq!(lines.count(), 6 * 4);
    // Common random numbers: run k has the same seed at every point.
    let seeds: Vec<Vec<String>> = runs
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect::<Vec<_>>())
        .map(|f| vec![f[3].clone(), f[4].clone()])
        .collect();
    for row in &seeds {
        let first = seeds.iter().find(|r| r[0] == row[0]).unwrap();
        assert_eq!(row[1], first[1]);
    }
    let points = std::fs::read_to_string(out.join("points.csv")).unwrap();
    assert_eq!(points.lines().count(), 7);
    let svg = std::fs::read_to_string(out.join("sweep.svg")).unwrap();
    assert!(svg.contains("population.size") && svg.contains("virus.kill_rate_per_hour"));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["points"], 6);
    assert_eq!(manifest["vary"][1]["values"][1], "150");
}

#[test]
fn bad_grids_are_refused_with_what_was_expected() {
    for (arg, why) in [
        ("virus.kill_rate_per_hour", "no `=`"),
        ("virus.kill_rate_per_hour=0.1:0.2", "not three parts"),
        ("virus.kill_rate_per_hour=a:0.2:3", "START `a`"),
        ("virus.kill_rate_per_hour=0.1:0.2:0", "STEPS `0`"),
        (
            "virus.kill_rate_per_hour=0.1:0.2:1",
            "one step needs START = END",
        ),
        ("virus..kill=0.1:0.2:3", "not a dotted key"),
        ("x=0.1:inf:3", "END `inf`"),
        ("x=-1e308:1e308:3", "too far apart"),
        ("run.seed=1:4:4", "not a parameter to sweep"),
    ] {
        let e = Vary::parse(arg).unwrap_err().to_string();
        assert!(e.contains(why) && e.contains(arg), "{arg}: {e}");
        assert!(e.contains("KEY=START:END:STEPS"), "{e}");
    }
    assert_eq!(
        Vary::parse("population.size=1:4:4").unwrap().values,
        vec![1.0, 2.0, 3.0, 4.0]
    );
    // Decimal steps read as written; small values keep their precision and reach the
    // scenario exactly.
    let v = Vary::parse("virus.kill_rate_per_hour=0.001:0.0035:6").unwrap();
    let shown: Vec<String> = v.values.iter().map(f64::to_string).collect();
    assert_eq!(
        shown,
        ["0.001", "0.0015", "0.002", "0.0025", "0.003", "0.0035"]
    );
    let tiny = spec(&["virus.bite_rate_per_hour=1e-12:3e-10:3"], 1);
    let rates: Vec<f64> = sweep::points(&tiny)
        .unwrap()
        .iter()
        .map(|p| p.scenario.params.virus.bite_rate_per_hour)
        .collect();
    assert_eq!(rates, vec![1e-12, 1.505e-10, 3e-10]);
    // A value out of range at one point is the scenario's error, naming the override.
    let dir = tempfile::tempdir().unwrap();
    let e = sweep::run(
        &spec(&["virus.kill_rate_per_hour=-1:1:3"], 2),
        &dir.path().join("x"),
        false,
        &quiet,
    )
    .unwrap_err();
    assert!(matches!(e, EnsembleError::Scenario(_)), "{e:?}");
    assert!(e.is_bad_input());
    assert!(!dir.path().join("x").exists());
    let e = sweep::run(
        &spec(
            &[
                "virus.kill_rate_per_hour=0.1:1:3",
                "virus.kill_rate_per_hour=0:1:2",
            ],
            2,
        ),
        &dir.path().join("x"),
        false,
        &quiet,
    )
    .unwrap_err();
    assert!(e.to_string().contains("given twice"), "{e}");
}
