//! `mpirun -n 3 outbreak ensemble|sweep` (the `mpi` feature, on Debian's OpenMPI): the same
//! folder as one machine writes, byte for byte (the manifest's timings aside); a rank killed
//! part-way stops the job with mpirun's message naming it, and the job run again finishes
//! from the members saved, with the same folder.
#![cfg(feature = "mpi")]

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{contents, outbreak, text};

fn mpirun(ranks: &str, args: &[&str]) -> Command {
    let mut c = Command::new("mpirun");
    c.args(["--allow-run-as-root", "--oversubscribe", "-n", ranks])
        .arg(env!("CARGO_BIN_EXE_outbreak"))
        .args(args);
    c
}

fn ran(mut c: Command) -> Output {
    let o = c.output().expect("mpirun runs (Debian: openmpi-bin)");
    assert!(
        o.status.success(),
        "{}\n{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    o
}

const ENSEMBLE: [&str; 10] = [
    "ensemble",
    "munz-basic",
    "--runs",
    "9",
    "--events",
    "--quiet",
    "--set",
    "population.size=300",
    "--set",
    "run.duration_hours=48",
];

#[test]
fn three_ranks_write_the_folder_of_one_machine() {
    let tmp = tempfile::tempdir().unwrap();
    let one = tmp.path().join("one");
    let mut a = ENSEMBLE.to_vec();
    a.extend(["--out", one.to_str().unwrap()]);
    assert!(outbreak(&a).status.success());
    let three = tmp.path().join("three");
    let mut a = ENSEMBLE.to_vec();
    a.extend(["--out", three.to_str().unwrap()]);
    let o = ran(mpirun("3", &a));
    assert!(
        text(&o.stdout).contains("9 members run"),
        "{}",
        text(&o.stdout)
    );
    assert_eq!(contents(&one), contents(&three));

    let sweep = [
        "sweep",
        "munz-basic",
        "--runs",
        "4",
        "--quiet",
        "--vary",
        "virus.bite_rate_per_hour=0.001:0.004:3",
        "--set",
        "population.size=200",
        "--set",
        "run.duration_hours=24",
    ];
    let one = tmp.path().join("sweep-one");
    let mut a = sweep.to_vec();
    a.extend(["--out", one.to_str().unwrap()]);
    assert!(outbreak(&a).status.success());
    let three = tmp.path().join("sweep-three");
    let mut a = sweep.to_vec();
    a.extend(["--out", three.to_str().unwrap()]);
    ran(mpirun("3", &a));
    assert_eq!(contents(&one), contents(&three));
}

/// The process of rank `rank` running with `marker` among its arguments.
fn rank_pid(marker: &str, rank: u32) -> Option<u32> {
    for e in std::fs::read_dir("/proc").ok()?.flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let cmdline = std::fs::read(e.path().join("cmdline")).unwrap_or_default();
        if !text(&cmdline).contains(marker) || text(&cmdline).starts_with("mpirun") {
            continue;
        }
        let environ = std::fs::read(e.path().join("environ")).unwrap_or_default();
        if text(&environ)
            .split('\0')
            .any(|v| v == format!("OMPI_COMM_WORLD_RANK={rank}"))
        {
            return Some(pid);
        }
    }
    None
}

#[test]
fn a_rank_killed_part_way_stops_the_job_and_the_job_run_again_finishes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let args = [
        "ensemble",
        "munz-basic",
        "--runs",
        "40",
        "--quiet",
        "--set",
        "population.size=2000",
        "--set",
        "run.duration_hours=240",
    ];
    let one = tmp.path().join("one");
    let mut a = args.to_vec();
    a.extend(["--out", one.to_str().unwrap()]);
    assert!(outbreak(&a).status.success());

    let out = tmp.path().join("killed");
    let mut a = args.to_vec();
    a.extend(["--out", out.to_str().unwrap()]);
    let job = mpirun("3", &a)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let units = tmp.path().join(".killed.work/units");
    let start = Instant::now();
    let saved = || std::fs::read_dir(&units).map_or(0, Iterator::count);
    while saved() < 3 {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no members saved"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let marker = out.to_str().unwrap();
    let pid = rank_pid(marker, 2).expect("rank 2 is running");
    assert!(Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .unwrap()
        .success());
    let o = job.wait_with_output().unwrap();
    assert!(!o.status.success(), "a killed rank fails the job");
    let said = text(&o.stderr);
    assert!(
        said.contains("rank 2") || said.contains("signal 9"),
        "{said}"
    );
    assert!(!out.exists(), "nothing published");
    let kept = saved();
    assert!((3..40).contains(&kept), "{kept} members kept");

    let o = ran(mpirun("3", &a));
    let report = text(&o.stdout);
    assert!(
        report.contains("found finished and not run again"),
        "{report}"
    );
    assert_eq!(contents(&one), contents(&out));
}
