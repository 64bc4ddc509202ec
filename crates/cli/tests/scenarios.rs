//! Scenario files end to end: every built-in round-trips through `scenarios show`, `check`
//! and a short `run`; every kind of bad input gets its message (compared with a snapshot in
//! `tests/bad/*.stderr`), exit code 2 and no results folder.
//!
//! To update the snapshots after a deliberate change of wording, run the tests with
//! `OUTBREAK_BLESS=1` and review the diff.

use std::path::Path;

mod common;
use common::{outbreak, text};

/// Built-ins and the overrides that make each run short (the city at 1 %).
fn short(name: &str) -> Vec<&'static str> {
    let mut v = vec!["--set", "run.duration_hours=2"];
    if name == "seoul-city" {
        v.extend(["--set", "population.scale=0.01"]);
    }
    v
}

#[test]
fn every_builtin_round_trips_through_show_check_and_run() {
    let list = outbreak(&["scenarios"]);
    assert!(list.status.success());
    let names: Vec<String> = text(&list.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    for expected in [
        "seoul-campus",
        "hyosan-high",
        "seoul-city",
        "munz-basic",
        "munz-latent",
        "munz-quarantine",
        "munz-treatment",
        "munz-impulsive",
        "alemi-lattice",
        "kotka-karhula",
    ] {
        assert!(names.iter().any(|n| n == expected), "{expected} is listed");
    }
    let dir = tempfile::tempdir().unwrap();
    for name in &names {
        let shown = outbreak(&["scenarios", "show", name]);
        assert!(shown.status.success(), "show {name}");
        let toml = text(&shown.stdout);
        assert!(
            toml.starts_with(&format!("# {name}")),
            "{name} opens with its comment header"
        );
        let file = dir.path().join(format!("{name}.toml"));
        std::fs::write(&file, &toml).unwrap();
        let file = file.to_str().unwrap();
        let mut args = vec!["check", file];
        args.extend(short(name));
        let checked = outbreak(&args);
        assert!(
            checked.status.success(),
            "check {name}: {}",
            text(&checked.stderr)
        );
        let out = dir.path().join(name);
        let mut args = vec!["run", file, "--quiet", "--out", out.to_str().unwrap()];
        args.extend(short(name));
        let ran = outbreak(&args);
        assert!(ran.status.success(), "run {name}: {}", text(&ran.stderr));
        assert!(out.join("summary.json").exists(), "{name} wrote its folder");
    }
}

#[test]
fn bad_scenarios_are_explained_with_exit_2_and_nothing_written() {
    let bless = std::env::var_os("OUTBREAK_BLESS").is_some();
    let dir = tempfile::tempdir().unwrap();
    let mut cases: Vec<_> = std::fs::read_dir("tests/bad")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 12, "at least a dozen kinds of bad input");
    let mut failures = Vec::new();
    for case in &cases {
        let file = case.to_str().unwrap();
        let out = dir.path().join(case.file_stem().unwrap());
        let o = outbreak(&["run", file, "--quiet", "--out", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{file}: {}", text(&o.stderr));
        assert!(!out.exists(), "{file}: no results folder");
        let got = text(&o.stderr);
        let snapshot = case.with_extension("stderr");
        if bless {
            std::fs::write(&snapshot, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&snapshot).unwrap_or_else(|_| {
            panic!(
                "{} is missing: run with OUTBREAK_BLESS=1",
                snapshot.display()
            )
        });
        if got != want {
            failures.push(format!("{file}\n--- expected\n{want}--- got\n{got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn bad_overrides_point_at_the_command_line() {
    let o = outbreak(&[
        "check",
        "seoul-campus",
        "--set",
        "virus.bite_rate_per_hour=-2",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = text(&o.stderr);
    assert!(e.contains("--set virus.bite_rate_per_hour=-2"), "{e}");
    assert!(e.contains("allowed 0") && e.contains("1000000"), "{e}");
    assert!(
        e.contains("command line:1:"),
        "the caret points into the argument: {e}"
    );
    assert!(Path::new("tests/bad").is_dir());
}

#[test]
fn orders_after_the_end_are_warned_about_not_refused() {
    let o = outbreak(&["check", "seoul-campus", "--set", "run.duration_hours=2"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let e = text(&o.stderr);
    assert!(
        e.contains("warning: seoul-campus: `authorities.5.at_hours`: 8 hours is after the run ends (2 hours)"),
        "{e}"
    );
}
