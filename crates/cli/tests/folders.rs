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

/// `outbreak` in `dir` as on a disk that fills up: no file can grow beyond `blocks` blocks
/// of the shell's `ulimit -f` (and the limit's signal is ignored, so the write that would
/// pass it fails with an error, as with no space left).
#[cfg(unix)]
fn outbreak_on_a_full_disk(dir: &Path, blocks: u32, args: &[&str]) -> Output {
    Command::new("sh")
        .current_dir(dir)
        .arg("-c")
        .arg(format!(
            "ulimit -f {blocks} && trap '' XFSZ && exec \"$0\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_outbreak"))
        .args(args)
        .output()
        .expect("sh runs")
}

/// Every path under `dir`, relative to it; sorted.
fn everything(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            out.push(p.strip_prefix(root).unwrap().to_string_lossy().into_owned());
            if p.is_dir() {
                walk(root, &p, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

#[cfg(unix)]
#[test]
fn a_full_disk_leaves_nothing_behind_and_is_said_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let tiny = TINY.to_vec();
    let with = |head: &[&'static str], tail: &[&'static str]| {
        let mut v = head.to_vec();
        v.extend_from_slice(&tiny);
        v.extend_from_slice(tail);
        v
    };
    let kotka = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/osm/kotka-karhula.osm.pbf");
    let kotka = kotka.to_str().unwrap();
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("run", with(&["run", "--quiet", "--out", "r"], &[])),
        (
            "run with checkpoints",
            with(
                &["run", "--quiet", "--out", "c"],
                &["--checkpoint-every", "1"],
            ),
        ),
        (
            "ensemble",
            with(&["ensemble", "--quiet", "--runs", "2", "--out", "e"], &[]),
        ),
        (
            "sweep",
            with(
                &["sweep", "--quiet", "--runs", "2", "--out", "s"],
                &["--vary", "virus.bite_rate_per_hour=0.1:0.2:2"],
            ),
        ),
        ("map --svg", vec!["map", kotka, "--svg", "kotka.svg"]),
    ];
    for (what, args) in cases {
        let o = outbreak_on_a_full_disk(dir, 0, &args);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{what}: {e}");
        assert!(e.starts_with("error: "), "{what}: {e}");
        assert_eq!(e.matches("(os error").count(), 1, "{what}: said once: {e}");
        assert!(!e.contains("panicked"), "{what}: {e}");
        assert_eq!(everything(dir), Vec::<String>::new(), "{what}: left behind");
    }
}

#[cfg(unix)]
#[test]
fn a_job_whose_results_do_not_fit_keeps_its_members_and_says_so_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut args = vec!["ensemble", "--quiet", "--runs", "2", "--out", "e"];
    args.extend_from_slice(&TINY);
    // Room for the job and its members (about 2 KB each), not for its tables.
    let o = outbreak_on_a_full_disk(dir, 8, &args);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("bands.csv"), "names the file: {e}");
    assert_eq!(e.matches("(os error").count(), 1, "said once: {e}");
    assert_eq!(
        everything(dir),
        [
            ".e.work",
            ".e.work/job.json",
            ".e.work/units",
            ".e.work/units/00000000.json",
            ".e.work/units/00000001.json"
        ],
        "the finished members wait, and nothing else"
    );
    // With room again, the same command finishes the job.
    let o = outbreak_in(dir, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!dir.join(".e.work").exists());
    assert!(dir.join("e/bands.csv").is_file());
}

#[test]
fn a_folder_another_process_is_writing_is_refused_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // Another process holds the folder's lock (this test, as a run would).
    let held = std::fs::File::create(dir.join(".busy.lock")).unwrap();
    held.try_lock().unwrap();
    let run = {
        let mut v = vec!["run", "--quiet", "--out", "busy"];
        v.extend_from_slice(&TINY);
        v
    };
    let ensemble = {
        let mut v = vec!["ensemble", "--quiet", "--runs", "2", "--out", "busy"];
        v.extend_from_slice(&TINY);
        v
    };
    let resume = vec!["run", "--quiet", "--resume", "busy"];
    for args in [&run, &ensemble, &resume] {
        let started = std::time::Instant::now();
        let o = outbreak_in(dir, args);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {e}");
        assert!(
            e.contains("busy is in use: another outbreak process is writing it"),
            "{args:?}: {e}"
        );
        assert!(started.elapsed().as_secs() < 10, "refused at once");
        assert!(!dir.join("busy").exists());
        assert!(!dir.join(".busy.work").exists() && !dir.join(".busy.partial").exists());
    }
    // Once it is released, the folder is free; the lock goes with the run.
    drop(held);
    let o = outbreak_in(dir, &run);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.join("busy/scenario.toml").is_file());
    assert!(!dir.join(".busy.lock").exists(), "no lock left behind");
}
