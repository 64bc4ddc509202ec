//! Results folders end to end: the default folder of a command repeated, what a failed
//! write leaves behind, and two processes given the same folder.

use std::path::Path;
use std::process::{Command, Output};

mod common;
use common::{stderr, text};

/// A small, quick run of a built-in.
const TINY: [&str; 5] = [
    "munz-basic",
    "--set",
    "population.size=200",
    "--set",
    "run.duration_hours=6",
];

/// `outbreak` with these arguments, in the folder `dir`.
fn outbreak_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_outbreak"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Every file of a folder (not below), by name, with its bytes; sorted.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap();
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    v.sort();
    v
}

#[test]
fn the_default_folder_of_a_repeated_run_is_numbered_never_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut args = vec!["run", "--quiet"];
    args.extend_from_slice(&TINY);
    let o = outbreak_in(dir, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    let first = dir.join("runs/munz-basic-2009");
    assert!(
        text(&o.stdout).ends_with("results: runs/munz-basic-2009\n"),
        "{}",
        text(&o.stdout)
    );
    // Mark the first results: a second run must not touch them.
    std::fs::write(first.join("mine.txt"), "kept").unwrap();
    let before = files(&first);

    let o = outbreak_in(dir, &args);
    assert!(o.status.success(), "the same command again: {}", stderr(&o));
    assert!(
        text(&o.stdout).ends_with("results: runs/munz-basic-2009-2\n"),
        "{}",
        text(&o.stdout)
    );
    assert!(
        stderr(&o).contains(
            "runs/munz-basic-2009 holds earlier results: writing to runs/munz-basic-2009-2"
        ),
        "said, not silent: {}",
        stderr(&o)
    );
    assert_eq!(files(&first), before, "the first results are untouched");
    let second = files(&dir.join("runs/munz-basic-2009-2"));
    let mut expected = before.clone();
    expected.retain(|f| f.0 != "mine.txt");
    assert_eq!(second, expected, "the same run, the same files");

    // A third goes to -3; with --force the first is replaced instead.
    let o = outbreak_in(dir, &args);
    assert!(text(&o.stdout).ends_with("results: runs/munz-basic-2009-3\n"));
    let mut forced = args.clone();
    forced.push("--force");
    let o = outbreak_in(dir, &forced);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(text(&o.stdout).ends_with("results: runs/munz-basic-2009\n"));
    assert_eq!(files(&first), expected, "replaced, as asked");
    assert!(!dir.join("runs/munz-basic-2009-4").exists());

    // A folder named with --out is never swapped for another.
    let mut named = args.clone();
    named.extend_from_slice(&["--out", "runs/munz-basic-2009"]);
    let o = outbreak_in(dir, &named);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
}

#[test]
fn the_default_folder_of_a_repeated_ensemble_is_numbered() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut args = vec!["ensemble", "--quiet", "--runs", "2"];
    args.extend_from_slice(&TINY);
    let o = outbreak_in(dir, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(text(&o.stdout).ends_with("results: runs/munz-basic-ensemble-2009\n"));
    let o = outbreak_in(dir, &args);
    assert!(o.status.success(), "the same command again: {}", stderr(&o));
    assert!(
        text(&o.stdout).ends_with("results: runs/munz-basic-ensemble-2009-2\n"),
        "{}",
        text(&o.stdout)
    );
}
