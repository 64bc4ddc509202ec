//! Behaviour held byte for byte: the SHA-256 of the files every built-in writes (at a short
//! duration or reduced size), of one ensemble and of one sweep, against the digests in
//! `tests/fixtures/digests.txt`.
//!
//! A change that alters results on purpose re-records them in its own commit and says why:
//! `OUTBREAK_RECORD_DIGESTS=1 cargo test --release -p outbreak --test digests` rewrites the
//! file. Each line is `digest  job/file`, so `sha256sum` on a folder gives the same digests.

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

mod common;
use common::{outbreak, stderr};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/digests.txt");

/// The files of a run folder whose bytes are its behaviour (`curves.svg` follows from them).
const RUN_FILES: &[&str] = &[
    "scenario.toml",
    "timeseries.csv",
    "zones.csv",
    "events.csv",
    "characters.csv",
    "summary.json",
];

/// Every built-in, with the settings that keep it short while its timeline still fires.
const RUNS: &[(&str, &[&str])] = &[
    ("seoul-campus", &["run.duration_hours=12"]),
    ("hyosan-high", &[]),
    (
        "seoul-city",
        &["population.scale=0.01", "run.duration_hours=10"],
    ),
    ("kotka-karhula", &[]),
    ("munz-basic", &[]),
    ("munz-latent", &[]),
    ("munz-quarantine", &[]),
    ("munz-treatment", &[]),
    ("munz-impulsive", &[]),
    ("alemi-lattice", &["run.duration_hours=24"]),
];

fn sha256(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn run(args: &[String]) {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = outbreak(&args);
    assert!(o.status.success(), "outbreak {args:?}: {}", stderr(&o));
}

fn with_sets(mut args: Vec<String>, sets: &[&str]) -> Vec<String> {
    for s in sets {
        args.push("--set".into());
        args.push((*s).into());
    }
    args
}

/// Runs every job and returns `job/file → digest`.
fn digests(tmp: &Path) -> BTreeMap<String, String> {
    let mut all = BTreeMap::new();
    let mut record = |job: &str, dir: &Path, files: &[&str]| {
        for f in files {
            all.insert(format!("{job}/{f}"), sha256(&dir.join(f)));
        }
    };
    for (name, sets) in RUNS {
        let dir = tmp.join(name);
        let args = vec![
            "run".into(),
            (*name).into(),
            "--quiet".into(),
            "--out".into(),
            dir.display().to_string(),
        ];
        run(&with_sets(args, sets));
        record(name, &dir, RUN_FILES);
    }
    let dir = tmp.join("ensemble");
    let args = [
        "ensemble",
        "munz-basic",
        "--runs",
        "12",
        "--events",
        "--quiet",
    ];
    let mut args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    args.extend(["--out".into(), dir.display().to_string()]);
    run(&args);
    record("ensemble", &dir, &["members.csv", "bands.csv"]);
    let dir = tmp.join("sweep");
    let args = [
        "sweep",
        "munz-basic",
        "--vary",
        "virus.kill_rate_per_hour=0.001:0.004:3",
        "--runs",
        "6",
        "--quiet",
    ];
    let mut args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    args.extend(["--out".into(), dir.display().to_string()]);
    run(&args);
    record("sweep", &dir, &["runs.csv", "points.csv"]);
    all
}

#[test]
fn every_builtin_writes_the_recorded_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let now = digests(tmp.path());
    let text: String = now.iter().map(|(k, d)| format!("{d}  {k}\n")).collect();
    if std::env::var_os("OUTBREAK_RECORD_DIGESTS").is_some() {
        std::fs::write(FIXTURE, text).unwrap();
        return;
    }
    let recorded = std::fs::read_to_string(FIXTURE).expect("tests/fixtures/digests.txt");
    let recorded: BTreeMap<String, String> = recorded
        .lines()
        .filter_map(|l| l.split_once("  "))
        .map(|(d, k)| (k.to_string(), d.to_string()))
        .collect();
    let changed: std::collections::BTreeSet<&String> = now
        .keys()
        .chain(recorded.keys())
        .filter(|k| now.get(*k) != recorded.get(*k))
        .collect();
    assert!(
        changed.is_empty(),
        "outputs differ from the recorded digests: {changed:?}"
    );
}
