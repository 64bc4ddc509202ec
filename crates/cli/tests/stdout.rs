//! Standard output that cannot be written: a reader that has gone (`| head`, `| true`) ends
//! the command quietly with exit 0; a full device (`> /dev/full`) is an error, exit 1.

use std::process::{Command, Output, Stdio};

mod common;
use common::stderr;

const KOTKA: &str = "../../data/osm/kotka-karhula.osm.pbf";

/// Commands that print to stdout, each small enough for a test.
fn printing_commands(tmp: &std::path::Path) -> Vec<Vec<String>> {
    let ensemble = tmp.join("ensemble");
    let run = tmp.join("run");
    let cases: Vec<Vec<&str>> = vec![
        vec!["scenarios"],
        vec!["scenarios", "show", "munz-basic"],
        vec!["check", "munz-basic"],
        vec!["map", KOTKA],
        vec!["ode", "basic"],
        vec!["ode", "basic", "--list-params"],
        vec!["--help"],
        vec![
            "ensemble",
            "munz-basic",
            "--runs",
            "2",
            "--quiet",
            "--set",
            "population.size=200",
            "--out",
            ensemble.to_str().unwrap(),
        ],
        vec![
            "run",
            "munz-basic",
            "--quiet",
            "--set",
            "population.size=200",
            "--out",
            run.to_str().unwrap(),
        ],
    ];
    cases
        .into_iter()
        .map(|c| c.into_iter().map(String::from).collect())
        .collect()
}

/// Runs `outbreak args` with stdout going to `stdout`.
fn outbreak_into(args: &[String], stdout: impl Into<Stdio>) -> Output {
    Command::new(env!("CARGO_BIN_EXE_outbreak"))
        .args(args)
        .stdout(stdout)
        .stderr(Stdio::piped())
        .output()
        .expect("the binary runs")
}

#[test]
fn a_reader_that_has_gone_ends_the_command_quietly() {
    let tmp = tempfile::tempdir().unwrap();
    for args in printing_commands(tmp.path()) {
        // The reading end is closed before the command starts: its first write fails.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let o = outbreak_into(&args, writer);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {e}");
        assert!(e.is_empty(), "{args:?} printed: {e}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_device_is_an_error_with_exit_1() {
    let tmp = tempfile::tempdir().unwrap();
    for args in printing_commands(tmp.path()) {
        let _ = std::fs::remove_dir_all(tmp.path().join("ensemble"));
        let _ = std::fs::remove_dir_all(tmp.path().join("run"));
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let o = outbreak_into(&args, full);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {e}");
        assert_eq!(
            e.trim_end(),
            "error: writing to standard output: No space left on device (os error 28)",
            "{args:?}"
        );
    }
}
