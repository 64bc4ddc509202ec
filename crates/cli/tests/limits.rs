//! Accepted input has bounded costs: what grows with the input grows linearly, and what no
//! person needs is refused with a message naming the limit. Each test would time out, not
//! merely run slow, if its cost were quadratic or unbounded again.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::stderr;

/// Waits for `child`, killing it and failing the test after `limit`.
fn wait_within(mut child: Child, limit: Duration, what: &str) -> Output {
    let start = Instant::now();
    while child.try_wait().expect("the binary runs").is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("the binary ran")
}

/// Runs `outbreak args`, failing after `limit`.
fn outbreak_within(args: &[&str], limit: Duration) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_outbreak"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // The output is read as it comes (a pipe holds little).
    let mut child = child;
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        stdout.read_to_end(&mut bytes).unwrap();
        bytes
    });
    let mut o = wait_within(child, limit, &format!("outbreak {}", args.join(" ")));
    o.stdout = reader.join().unwrap();
    o
}

#[test]
fn ode_rows_cost_time_in_proportion_to_their_number() {
    // A million rows: seconds when linear, many minutes when each row scans the grid.
    let o = outbreak_within(
        &["ode", "basic", "--t-end", "100000", "--dt", "0.1"],
        Duration::from_secs(120),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        text.lines().count(),
        1 + 1_000_001,
        "the header and t = 0 … 100000"
    );
    assert!(text.lines().last().unwrap().starts_with("100000,"));
}

#[test]
fn ode_streams_its_rows_and_stops_when_the_reader_goes() {
    // Ten million rows (the most allowed): the first come at once, and closing the pipe
    // ends the command quietly rather than after the whole solution.
    let mut child = Command::new(env!("CARGO_BIN_EXE_outbreak"))
        .args(["ode", "basic", "--t-end", "1000000", "--dt", "0.1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    assert_eq!(lines.next().unwrap().unwrap(), "t,S,Z,R");
    assert!(lines.next().unwrap().unwrap().starts_with("0,"));
    drop(lines);
    let o = wait_within(child, Duration::from_secs(60), "ode after its reader went");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
}

#[test]
fn threads_beyond_four_a_core_are_refused_before_any_start() {
    let o = outbreak_within(
        &["run", "munz-basic", "--quiet", "--threads", "99999999"],
        Duration::from_secs(30),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.starts_with("error: --threads 99999999: at most ") && e.contains(" a core"),
        "{e}"
    );
}

#[cfg(unix)]
#[test]
fn an_endless_scenario_file_is_refused_before_it_is_read_whole() {
    let o = outbreak_within(&["check", "/dev/zero"], Duration::from_secs(30));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        stderr(&o).trim_end(),
        "error: /dev/zero: larger than a scenario can be (8 MiB at most)"
    );
}

#[test]
fn a_long_unknown_name_is_answered_at_once_and_shown_clipped() {
    // A million-character place name: comparing it letter by letter with every place
    // would take hours; the message shows its start and length.
    let tmp = tempfile::tempdir().unwrap();
    let long = "N".repeat(1_000_000);
    let file = tmp.path().join("place.toml");
    let text = "name = \"x\"\n[world]\ngenerator = \"campus\"\n[population]\nsize = 1000\n";
    std::fs::write(&file, format!("{text}outbreak_place = \"{long}\"\n")).unwrap();
    let o = outbreak_within(&["check", file.to_str().unwrap()], Duration::from_secs(20));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.len() < 1_000, "{} bytes of message", e.len());
    assert!(e.contains("… (1,000,000 characters)"), "{e}");
}

/// Runs `outbreak args` with `OUTBREAK_MEMORY_AVAILABLE=memory`, failing after `limit`.
fn outbreak_with_memory(args: &[&str], memory: &str, limit: Duration) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_outbreak"))
        .args(args)
        .env("OUTBREAK_MEMORY_AVAILABLE", memory)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    wait_within(child, limit, &format!("outbreak {}", args.join(" ")))
}

#[test]
fn a_run_too_big_for_the_memory_is_refused_before_its_people_are_made() {
    // Fifty million people would take a minute to build and some 17 GB; the refusal
    // comes at once, with the estimate and what is available.
    let huge = "population.size=50000000";
    for args in [
        &["check", "munz-basic", "--set", huge][..],
        &["run", "munz-basic", "--set", huge, "--quiet"],
        &["view", "--live", "munz-basic", "--set", huge, "--port", "0"],
    ] {
        let command = args[0];
        let o = outbreak_with_memory(args, "1GB", Duration::from_secs(20));
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let e = stderr(&o);
        // A live run records its replay, which the estimate counts too.
        let needs = if command == "view" {
            "24.5 GB"
        } else {
            "17.0 GB"
        };
        assert!(
            e.contains(&format!("needs about {needs} of memory, more than the 1.0 GB available (OUTBREAK_MEMORY_AVAILABLE)")),
            "{command}: {e}"
        );
    }
}

#[test]
fn check_says_what_a_run_needs() {
    let o = outbreak_with_memory(
        &["check", "munz-basic", "--set", "population.size=100000"],
        "1GB",
        Duration::from_secs(20),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("a run needs about 42 MB of memory"), "{out}");
}

#[test]
fn an_ensemble_counts_the_members_in_flight_at_once() {
    // 42 MB a member fits in 100 MB one at a time, not three at once (four threads, but
    // only three members).
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("e");
    let args = |threads: &'static str| {
        [
            "ensemble",
            "munz-basic",
            "--set",
            "population.size=100000",
            "--set",
            "run.duration_hours=1",
            "--runs",
            "3",
            "--quiet",
            "--threads",
            threads,
            "--out",
        ]
    };
    let mut four: Vec<&str> = args("4").to_vec();
    four.push(out.to_str().unwrap());
    let o = outbreak_with_memory(&four, "100MB", Duration::from_secs(60));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("3 members at once (one a worker thread) need about 126 MB"),
        "{}",
        stderr(&o)
    );
    let mut one: Vec<&str> = args("1").to_vec();
    one.push(out.to_str().unwrap());
    let o = outbreak_with_memory(&one, "100MB", Duration::from_secs(120));
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_memory_figure_that_is_not_a_size_is_refused() {
    let o = outbreak_with_memory(&["check", "munz-basic"], "lots", Duration::from_secs(20));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("OUTBREAK_MEMORY_AVAILABLE=lots: expected a size"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_hundred_thousand_named_characters_are_checked_in_proportion_to_their_number() {
    // Seconds when each name is looked up once, over a minute when each is compared with
    // every one before it.
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("named.toml");
    let mut text =
        String::from("name = \"x\"\n[world]\ngenerator = \"campus\"\n[population]\nsize = 1000\n");
    for k in 0..100_000 {
        text.push_str(&format!("[[population.characters]]\nname = \"c{k}\"\n"));
    }
    std::fs::write(&file, text).unwrap();
    let o = outbreak_within(&["check", file.to_str().unwrap()], Duration::from_secs(20));
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("(101000 people, 100000 of them named"),
        "{out}"
    );
}

#[test]
fn a_long_unknown_key_is_refused_at_once_and_shown_clipped() {
    // A million-character key, in the file and (as long as an argument may be) in --set:
    // the message shows its start and length and still lists the keys the table has.
    let tmp = tempfile::tempdir().unwrap();
    let long = "k".repeat(1_000_000);
    let file = tmp.path().join("key.toml");
    let text = "name = \"x\"\n[world]\ngenerator = \"campus\"\n";
    std::fs::write(
        &file,
        format!("{text}{long} = 1\n[population]\nsize = 1000\n"),
    )
    .unwrap();
    let o = outbreak_within(&["check", file.to_str().unwrap()], Duration::from_secs(20));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.len() < 2_000, "{} bytes of message", e.len());
    // (The message is wrapped at 100 columns.)
    assert!(e.contains("(1,000,000 characters)`"), "{e}");
    assert!(e.contains("expected one of `generator`"), "{e}");

    let set = format!("world.{}=1", "k".repeat(100_000));
    let o = outbreak_within(
        &["check", "munz-basic", "--set", &set],
        Duration::from_secs(20),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.len() < 2_000, "{} bytes of message", e.len());
    assert!(e.starts_with("error: --set world.kkk"), "{e}");
    assert!(e.contains("(100,000 characters)`"), "{e}");
    assert!(e.contains("expected one of `generator`"), "{e}");
}
