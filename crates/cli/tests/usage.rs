//! What a person is told: the message of each mistake names what to change (and only
//! advice that works), and the numbers printed read as a person would write them.

use std::process::Output;

mod common;
use common::{outbreak, stderr, text};

/// Asserts that the command failed as bad input (exit 2) and returns what it said, the
/// message on one line (as it reads before it is wrapped to the terminal's width).
fn refused(o: &Output) -> String {
    let e = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    e.replace("\n  │ ", " ")
}

#[test]
fn force_is_not_advised_for_an_out_that_is_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("plain");
    std::fs::write(&file, "not a folder").unwrap();
    let out = file.to_str().unwrap();
    for force in [false, true] {
        let mut args = vec!["run", "munz-basic", "--quiet", "--out", out];
        args.extend(["--set", "run.duration_hours=1"]);
        if force {
            args.push("--force");
        }
        let e = refused(&outbreak(&args));
        assert!(e.contains("is not a folder"), "{e}");
        assert!(e.contains("choose another --out"), "{e}");
        assert!(!e.contains("pass --force"), "--force={force}: {e}");
    }
    assert_eq!(std::fs::read(&file).unwrap(), b"not a folder");
}

#[test]
fn a_mistake_in_a_vary_names_the_vary() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sweep");
    let sweep = |vary: &str| {
        let args = ["sweep", "munz-basic", "--vary", vary, "--runs", "1"];
        outbreak(&[&args[..], &["--quiet", "--out", out.to_str().unwrap()]].concat())
    };
    let e = refused(&sweep("virus.kill_rate_pr_hour=0:1:2"));
    assert!(
        e.starts_with("error: --vary virus.kill_rate_pr_hour=0:1:2: "),
        "{e}"
    );
    assert!(e.contains("did you mean `kill_rate_per_hour`?"), "{e}");
    assert!(!e.contains("--set"), "{e}");
    // A value of the grid out of range: the message says which.
    let e = refused(&sweep("virus.hambie_fraction=0:2:3"));
    assert!(
        e.starts_with("error: --vary virus.hambie_fraction=0:2:3: "),
        "{e}"
    );
    assert!(e.contains("2 is out of range: allowed 0 to 1"), "{e}");
    assert!(!e.contains("--set"), "{e}");
    assert!(!out.exists());
}

#[test]
fn a_range_that_excludes_zero_says_so() {
    let check = |scenario: &str, set: &str| outbreak(&["check", scenario, "--set", set]);
    for (scenario, set, said) in [
        (
            "munz-basic",
            "run.duration_hours=9000",
            "9000 is out of range: allowed more than 0, up to 8760",
        ),
        (
            "munz-basic",
            "run.duration_hours=0",
            "0 is out of range: allowed more than 0, up to 8760",
        ),
        (
            "munz-latent",
            "virus.latent.mean_minutes=-5",
            "-5 is out of range: allowed more than 0, up to 10000000",
        ),
        (
            "munz-basic",
            "run.duration_hours=1e-9",
            "0.000000001 hours is less than one tick (6 min)",
        ),
    ] {
        let e = refused(&check(scenario, set));
        assert!(e.contains(said), "--set {set}: {e}");
    }
    // One tick is a run.
    let o = check("munz-basic", "run.duration_hours=0.1");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(text(&o.stdout).contains("1 ticks of 6 min"));
}

#[test]
fn an_unknown_scenario_or_model_gets_a_did_you_mean() {
    let e = refused(&outbreak(&["run", "seoul-campas"]));
    assert!(
        e.contains("no built-in scenario named `seoul-campas`, nor a file of that name; did you mean `seoul-campus`?"),
        "{e}"
    );
    let e = refused(&outbreak(&["check", "zzzzzzzz"]));
    assert!(
        e.contains("the built-ins are seoul-campus, hyosan-high, "),
        "{e}"
    );
    // A path is a file that is missing, not a built-in.
    let e = refused(&outbreak(&["check", "nowhere/campus.toml"]));
    assert_eq!(e.trim_end(), "error: nowhere/campus.toml: no such file");
    let e = refused(&outbreak(&["check", "campus.toml"]));
    assert_eq!(e.trim_end(), "error: campus.toml: no such file");
    let e = refused(&outbreak(&["scenarios", "show", "hyosan"]));
    assert!(e.contains("did you mean `hyosan-high`?"), "{e}");
    let e = refused(&outbreak(&["ode", "basci"]));
    assert!(e.contains("unknown model `basci`: expected basic, "), "{e}");
    assert!(e.contains("did you mean `basic`?"), "{e}");
}

#[test]
fn an_ensemble_or_sweep_whose_out_exists_is_told_of_force() {
    let tmp = tempfile::tempdir().unwrap();
    let taken = tmp.path().join("taken");
    std::fs::create_dir(&taken).unwrap();
    std::fs::write(taken.join("keep.txt"), "mine").unwrap();
    let out = taken.to_str().unwrap();
    let common = ["--runs", "1", "--quiet", "--out", out];
    for args in [
        vec!["ensemble", "munz-basic"],
        vec![
            "sweep",
            "munz-basic",
            "--vary",
            "virus.kill_rate_per_hour=0:1:2",
        ],
    ] {
        let e = refused(&outbreak(&[&args[..], &common[..]].concat()));
        assert!(
            e.contains("already exists and is not empty; choose another --out or pass --force to replace it"),
            "{args:?}: {e}"
        );
    }
    assert_eq!(std::fs::read(taken.join("keep.txt")).unwrap(), b"mine");
}

#[test]
fn a_negative_number_is_refused_for_what_it_is() {
    for (args, said) in [
        (&["run", "--seed", "-1"][..], "invalid value '-1' for '--seed <SEED>'"),
        (
            &["run", "--threads", "-1"],
            "invalid value '-1' for '--threads <THREADS>': expected a positive whole number of threads",
        ),
        (
            &["ensemble", "munz-basic", "--runs", "-1"],
            "invalid value '-1' for '--runs <RUNS>': expected a positive whole number of runs",
        ),
        (&["ode", "basic", "--t-end", "-1"], "--t-end -1: must be a number above 0"),
        (&["ode", "basic", "--dt", "-0.5"], "--dt -0.5: must be above 0"),
        (
            &["run", "--checkpoint-every", "-1"],
            "--checkpoint-every -1: must be a whole number of ticks above 0",
        ),
    ] {
        let e = refused(&outbreak(args));
        assert!(e.contains(said), "{args:?}: {e}");
        assert!(!e.contains("'-- -1'"), "{args:?}: {e}");
    }
}

#[test]
fn a_set_that_makes_the_population_too_big_is_the_one_underlined() {
    let e = refused(&outbreak(&[
        "check",
        "seoul-city",
        "--set",
        "population.scale=1000",
    ]));
    assert!(
        e.starts_with("error: --set population.scale=1000: `population.scale`: 9457000000 people is more than the 50,000,000 allowed"),
        "{e}"
    );
    assert!(e.contains("╰── population.scale"), "{e}");
    assert!(!e.contains("size = 9457000"), "{e}");
    // No one, or too few people for the zombies: the scale that shrank them is underlined.
    let e = refused(&outbreak(&[
        "check",
        "munz-basic",
        "--set",
        "population.scale=0.0001",
    ]));
    assert!(
        e.starts_with(
            "error: --set population.scale=0.0001: `population.scale`: the population is empty"
        ),
        "{e}"
    );
    let e = refused(&outbreak(&[
        "check",
        "munz-basic",
        "--set",
        "population.initial_zombies=2",
        "--set",
        "population.scale=0.002",
    ]));
    assert!(
        e.starts_with("error: --set population.scale=0.002: `population.scale`: 2 initial zombies and infected but only 1 people"),
        "{e}"
    );
    // Set in the file, the size is underlined there.
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("big.toml");
    let text = outbreak_text("seoul-city").replace("size = 9457000", "size = 94570000");
    std::fs::write(&file, text).unwrap();
    let e = refused(&outbreak(&["check", file.to_str().unwrap()]));
    assert!(e.contains("size = 94570000"), "{e}");
}

/// A built-in scenario's text, as `outbreak scenarios show` prints it.
fn outbreak_text(name: &str) -> String {
    let o = outbreak(&["scenarios", "show", name]);
    assert!(o.status.success(), "{}", stderr(&o));
    text(&o.stdout)
}

#[test]
fn check_counts_the_people_a_run_counts() {
    let o = outbreak(&["check", "hyosan-high"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let checked = text(&o.stdout);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    let o = outbreak(&[
        "run",
        "hyosan-high",
        "--quiet",
        "--set",
        "run.duration_hours=1",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let ran = text(&o.stdout);
    let of = ran
        .split("(of ")
        .nth(1)
        .and_then(|r| r.split(')').next())
        .unwrap_or_else(|| panic!("no population in {ran}"));
    assert!(
        checked.contains(&format!("ok ({of} people, 4 of them named, ")),
        "check: {checked} run: {ran}"
    );
}

#[test]
fn help_and_numbers_read_as_a_person_writes_them() {
    let o = outbreak(&["scenarios", "show", "--help"]);
    assert!(o.status.success());
    assert!(
        text(&o.stdout).contains("A built-in scenario's name, as `outbreak scenarios` lists them"),
        "{}",
        text(&o.stdout)
    );
    // Times on the output grid as multiples of dt; a last time off the grid as given.
    let o = outbreak(&["ode", "basic", "--t-end", "1.05", "--dt", "0.1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let times: Vec<String> = text(&o.stdout)
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    let expected: Vec<String> = (0..=10)
        .map(|k| (f64::from(k) / 10.0).to_string())
        .chain(["1.05".to_string()])
        .collect();
    assert_eq!(times, expected);
    // A sweep's table shows the grid's values as START:END:STEPS means them.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sweep");
    let o = outbreak(&[
        "sweep",
        "munz-basic",
        "--vary",
        "virus.kill_rate_per_hour=0:0.001:4",
        "--runs",
        "1",
        "--set",
        "run.duration_hours=1",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let table = text(&o.stdout);
    let column: Vec<&str> = table
        .lines()
        .skip(1)
        .take(4)
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(column, ["0", "0.000333", "0.000667", "0.001"], "{table}");
}

#[test]
fn an_order_lasting_less_than_one_tick_is_refused() {
    // A lure of no ticks would end as it starts, a rescue of none close as it opens.
    for set in [
        "authorities.5.duration_hours=0",
        "authorities.2.duration_hours=0",
    ] {
        let o = outbreak(&["check", "seoul-campus", "--set", set]);
        assert_eq!(o.status.code(), Some(2), "{set}: {}", stderr(&o));
        let e = stderr(&o);
        // (The message is wrapped at 100 columns.)
        let words: Vec<&str> = e.split_whitespace().filter(|w| *w != "│").collect();
        assert!(
            words
                .join(" ")
                .contains("0 hours is less than one tick (1 min)"),
            "{set}: {e}"
        );
    }
    // One tick is enough.
    let o = outbreak(&[
        "check",
        "seoul-campus",
        "--set",
        "authorities.5.duration_hours=0.0166666666666666667",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
}
