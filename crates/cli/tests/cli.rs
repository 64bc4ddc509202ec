//! `outbreak` end to end: real runs, real folders, real exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::{outbreak, stderr};

/// A campus small enough for a test but with the whole timeline (alarm, cordon, rescue,
/// squad, and the lure at hour 8 sounding for an hour), and more people than one parallel
/// chunk.
const SMALL: [&str; 4] = [
    "--set",
    "population.size=10000",
    "--set",
    "run.duration_hours=9",
];

fn run_into(dir: &Path, extra: &[&str]) -> Output {
    let out = dir.to_str().unwrap();
    let mut args = vec!["run", "--quiet", "--out", out];
    args.extend_from_slice(&SMALL);
    args.extend_from_slice(extra);
    outbreak(&args)
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn run_writes_every_file_of_the_run_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("campus");
    let o = run_into(&dir, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("peak") && stdout.contains("Nam On-jo"),
        "summary: {stdout}"
    );
    let names: Vec<String> = files(&dir).into_iter().map(|f| f.0).collect();
    for f in [
        "characters.csv",
        "curves.svg",
        "events.csv",
        "map.parquet",
        "map.svg",
        "places.parquet",
        "scenario.toml",
        "summary.json",
        "timeseries.csv",
        "ways.parquet",
        "zones.csv",
    ] {
        assert!(names.contains(&f.to_string()), "{f} missing from {names:?}");
    }
    let ts = std::fs::read_to_string(dir.join("timeseries.csv")).unwrap();
    let mut lines = ts.lines();
    assert_eq!(
        lines.next(),
        Some("tick,minutes,susceptible,infected,zombie,hambie,dead,rescued,quarantined,reserve")
    );
    let rows: Vec<Vec<u64>> = lines
        .map(|l| l.split(',').map(|x| x.parse().unwrap()).collect())
        .collect();
    assert_eq!(rows.len(), 9 * 60 + 1, "one row per tick, tick 0 included");
    let population = rows[0][2..].iter().sum::<u64>();
    assert!(population > 10_000);
    for r in &rows {
        assert_eq!(
            r[2..].iter().sum::<u64>(),
            population,
            "row {r:?} does not sum to the population"
        );
    }
    let svg = std::fs::read_to_string(dir.join("curves.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("zombie"));
    // The scenario as run reruns to the same results.
    let again = tmp.path().join("again");
    let o = outbreak(&[
        "run",
        "--quiet",
        dir.join("scenario.toml").to_str().unwrap(),
        "--out",
        again.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(dir.join("timeseries.csv")).unwrap(),
        std::fs::read(again.join("timeseries.csv")).unwrap()
    );
}

#[test]
fn one_seed_fixes_the_run_whatever_the_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let d = |n: &str| -> PathBuf { tmp.path().join(n) };
    for (name, extra) in [
        ("a", vec!["--threads", "1"]),
        ("b", vec!["--threads", "2"]),
        ("c", vec!["--threads", "2"]),
        ("other", vec!["--seed", "7"]),
    ] {
        let o = run_into(&d(name), &extra);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let (a, b, c) = (files(&d("a")), files(&d("b")), files(&d("c")));
    assert_eq!(a.len(), 11, "the run files, the map data and map.svg");
    for ((fa, xa), (fb, xb)) in a.iter().zip(&b) {
        assert_eq!(fa, fb);
        assert!(xa == xb, "{fa} differs between --threads 1 and --threads 2");
    }
    assert_eq!(b, c, "two runs with the same seed differ");
    let other = files(&d("other"));
    let ts = |v: &[(String, Vec<u8>)]| {
        v.iter()
            .find(|f| f.0 == "timeseries.csv")
            .unwrap()
            .1
            .clone()
    };
    assert_ne!(ts(&a), ts(&other), "another seed gave the same run");
}

#[test]
fn a_bad_set_names_the_key_exits_2_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    for (arg, needle) in [
        ("virus.bite_rat=0.1", "bite_rat"),
        ("virus.bite_rate_per_hour=-1", "out of range"),
        ("population.size=lots", "population.size"),
        ("world.generator=moon", "unknown generator"),
        ("run.duration_hours=0.5001", "whole number"),
    ] {
        let dir = tmp.path().join("never");
        let o = outbreak(&[
            "run",
            "--quiet",
            "--out",
            dir.to_str().unwrap(),
            "--set",
            arg,
        ]);
        assert_eq!(o.status.code(), Some(2), "--set {arg}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(
            e.contains(arg.split('=').next().unwrap()) && e.contains(needle),
            "--set {arg}: message `{e}`"
        );
        assert!(!e.contains("panicked"), "{e}");
        assert!(!dir.exists(), "--set {arg} left a folder");
        assert_eq!(
            std::fs::read_dir(tmp.path()).unwrap().count(),
            0,
            "--set {arg} left something behind"
        );
    }
}

#[test]
fn bad_flags_and_files_exit_2_with_a_message() {
    let o = outbreak(&["run", "--thread", "2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--thread"));
    let o = outbreak(&["run", "no-such-scenario"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no-such-scenario"));
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("typo.toml");
    let text = outbreak_text().replace("kill_rate_per_hour", "kill_rate_per_hr");
    std::fs::write(&file, text).unwrap();
    let o = outbreak(&["check", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("typo.toml") && e.contains("kill_rate_per_hr"),
        "{e}"
    );
    // An existing results folder is not overwritten without --force.
    let out = tmp.path().join("taken");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("keep"), "x").unwrap();
    let o = outbreak(&["run", "--quiet", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(out.join("keep").exists());
}

fn outbreak_text() -> String {
    String::from_utf8(outbreak(&["scenarios", "show", "seoul-campus"]).stdout).unwrap()
}

#[test]
fn scenarios_are_listed_shown_and_checked() {
    let o = outbreak(&["scenarios"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("seoul-campus"));
    assert!(outbreak_text().contains("[world]"));
    let o = outbreak(&["check", "seoul-campus"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_killed_run_leaves_no_folder_that_looks_complete() {
    // Kill a full-size run while it simulates: nothing may appear at --out, and anything
    // left behind is a hidden `.partial` folder, or the empty lock file of the folder
    // (whose lock died with the process). (Failures while writing, which leave no
    // folder either, are tested on `publish` in the output crate.)
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("killed");
    let mut child = Command::new(env!("CARGO_BIN_EXE_outbreak"))
        .args([
            "run",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
            "--set",
            "run.duration_hours=480",
        ])
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the run finished before it could be killed"
    );
    assert!(!out.exists(), "a killed run left {}", out.display());
    for e in std::fs::read_dir(tmp.path()).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            name.starts_with('.') && (name.contains("partial") || name == ".killed.lock"),
            "unexpected {name}"
        );
    }
}

const KOTKA: &str = "../../data/osm/kotka-karhula.osm.pbf";

#[test]
fn map_summarises_an_extract_and_draws_it_with_the_credit() {
    let tmp = tempfile::tempdir().unwrap();
    let svg = tmp.path().join("kotka.svg");
    let o = outbreak(&["map", KOTKA, "--svg", svg.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    for part in [
        "14,222 nodes, 2,653 ways, 5 relations",
        "343 ways tagged highway",
        "2,219 tagged",
        "4 named areas",
        "connected pieces",
        "capacity:",
        "extent:",
        "© OpenStreetMap contributors",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
    let drawn = std::fs::read_to_string(&svg).unwrap();
    assert!(drawn.starts_with("<svg") && drawn.contains("© OpenStreetMap contributors"));
    // Walkable kinds are settable: footways and residential streets alone are fewer.
    let o = outbreak(&["map", KOTKA, "--walkable", "footway,residential"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("154 walkable"));
}

#[test]
fn map_compares_a_population_with_what_the_buildings_hold() {
    // Kotka's buildings hold 7,262 people: 20,000 are warned of, as `check` warns of them.
    let o = outbreak(&["map", KOTKA, "--people", "20000"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("warning: ")
            && e.contains("20000 people are more than the map's 2192 buildings hold (7262, 2.8 times as many)"),
        "{e}"
    );
    let check = outbreak(&["check", "kotka-karhula", "--set", "population.size=20000"]);
    assert!(
        stderr(&check).contains("which hold 7262 (2.8 times"),
        "{}",
        stderr(&check)
    );
    let o = outbreak(&["map", KOTKA, "--people", "5000"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("people:    5000 fit (69 % of what the buildings hold)"),
        "{out}"
    );
    let o = outbreak(&["map", KOTKA, "--people", "-5"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn map_refuses_bad_extracts_with_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let truncated = tmp.path().join("truncated.osm.pbf");
    std::fs::write(&truncated, &std::fs::read(KOTKA).unwrap()[..60_000]).unwrap();
    let cases = [
        ("no-such-town.osm.pbf", "cannot open"),
        ("../../data/osm", "is a directory; name an .osm.pbf file"),
        ("Cargo.toml", "not an OpenStreetMap PBF file"),
        (truncated.to_str().unwrap(), "Unexpected end of file"),
        (
            "../world/tests/fixtures/kotka-buildings-only.osm.pbf",
            "no walkable streets",
        ),
    ];
    for (file, message) in cases {
        let svg = tmp.path().join("map.svg");
        let o = outbreak(&["map", file, "--svg", svg.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{file}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(e.starts_with(&format!("error: {file}: ")), "{e}");
        assert!(e.contains(message) && !e.contains("panicked"), "{e}");
        assert!(!svg.exists(), "{file}: no picture");
    }
    let o = outbreak(&["map", KOTKA, "--people-per-100m2=-1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--people-per-100m2 must be a number above 0"));
    let o = outbreak(&["map", KOTKA, "--walkable", "bridleway"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("highway=bridleway"), "{}", stderr(&o));
}

#[test]
fn a_run_on_a_real_map_is_deterministic_and_credits_the_map() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |name: &str, threads: &str| {
        let dir = tmp.path().join(name);
        let o = outbreak(&[
            "run",
            "kotka-karhula",
            "--quiet",
            "--threads",
            threads,
            "--set",
            "run.duration_hours=6",
            "--out",
            dir.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        files(&dir)
    };
    let one = run("one", "1");
    let two = run("two", "2");
    assert_eq!(
        one, two,
        "the same seed gives the same files on 1 and 2 threads"
    );
    let names: Vec<&str> = one.iter().map(|f| f.0.as_str()).collect();
    assert!(names.contains(&"map.svg"), "{names:?}");
    let map = String::from_utf8_lossy(&one.iter().find(|f| f.0 == "map.svg").unwrap().1);
    assert!(map.contains("© OpenStreetMap contributors") && map.contains("first bite"));
    // Someone was bitten, and the outbreak began in the school.
    let events = String::from_utf8_lossy(&one.iter().find(|f| f.0 == "events.csv").unwrap().1);
    assert!(events.lines().any(|l| l.contains(",bite,")), "no bites");
    assert!(events.contains("Otsolan Koulu"), "{events}");
}

#[test]
fn a_map_holding_fewer_people_than_are_placed_in_it_is_warned_of() {
    // Kotka's 2,192 buildings hold 2,192 at one person per 10,000 m² of floor: 5,000 do not fit.
    let crowded = ["--set", "world.people_per_100m2=0.01"];
    let o = outbreak(&[&["check", "kotka-karhula"], &crowded[..]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let warning = "5000 people are placed in the map's 2192 buildings, which hold 2192 (2.3 times";
    assert!(stderr(&o).contains(warning), "{}", stderr(&o));
    assert!(stderr(&o).contains("population.size"), "{}", stderr(&o));

    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("k");
    let run = [
        "run",
        "kotka-karhula",
        "--quiet",
        "--set",
        "run.duration_hours=0.1",
        "--out",
        out.to_str().unwrap(),
    ];
    let o = outbreak(&[&run[..], &crowded[..]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains(warning), "{}", stderr(&o));

    // As shipped, the town holds its people: no warning.
    let o = outbreak(&["check", "kotka-karhula"]);
    assert!(
        o.status.success() && !stderr(&o).contains("warning"),
        "{}",
        stderr(&o)
    );
}
