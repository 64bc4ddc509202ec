//! `outbreak ensemble` and `outbreak sweep` end to end: the same outputs on any thread
//! count, a job really killed half-way and run again finishes with the same outputs
//! without redoing members, the Parquet files read by pyarrow, bad input exits 2.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

mod common;
use common::{contents, has_pyarrow, outbreak, python, text};

/// A small Munz ensemble: 300 people, 48 hours.
const SMALL: [&str; 6] = [
    "--set",
    "population.size=300",
    "--set",
    "run.duration_hours=48",
    "--set",
    "virus.bite_rate_per_hour=0.002",
];

fn ensemble(out: &Path, runs: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "ensemble",
        "munz-basic",
        "--quiet",
        "--runs",
        runs,
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(SMALL);
    args.extend(extra);
    outbreak(&args)
}

#[test]
fn an_ensemble_is_the_same_on_one_and_two_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let o = ensemble(&a, "16", &["--threads", "1", "--events"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let printed = text(&o.stdout);
    assert!(
        printed.contains("16 members: outbreak over with humans left in")
            && printed.contains("members/s"),
        "{printed}"
    );
    let o = ensemble(&b, "16", &["--threads", "2", "--events"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let (a, b) = (contents(&a), contents(&b));
    assert!(a.contains_key("events.parquet") && a.contains_key("bands.svg"));
    assert_eq!(a, b);
}

/// Runs the job `args` (without `--out` and `--threads`) whole into one folder, and into
/// another killed (SIGKILL) once 20 of its `total` runs are saved, then run again with the
/// same arguments: the second run reports the runs it reused and ends with the same files.
fn killed_and_resumed(args: &[&str], total: usize, word: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let job = |out: &Path, threads: &str| {
        let mut a = args.to_vec();
        a.extend([
            "--quiet",
            "--threads",
            threads,
            "--out",
            out.to_str().unwrap(),
        ]);
        let mut c = Command::new(env!("CARGO_BIN_EXE_outbreak"));
        c.args(a);
        c
    };
    let whole = tmp.path().join("whole");
    let o = job(&whole, "2").output().unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));

    let killed = tmp.path().join("killed");
    let units = tmp.path().join(".killed.work").join("units");
    let mut child = job(&killed, "1").spawn().unwrap();
    // Kill it once some runs are saved.
    let started = Instant::now();
    let saved = || std::fs::read_dir(&units).map_or(0, |d| d.count());
    while saved() < 20 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "the job finished before it was killed");
    let before = saved();
    assert!((20..total).contains(&before), "{before} runs saved");
    assert!(!killed.exists(), "a killed job left its output folder");

    // Again with the same arguments (and another thread count): it continues.
    let o = job(&killed, "2").output().unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    let printed = text(&o.stdout);
    let resumed: usize = printed
        .split("; ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no resumption reported: {printed}"));
    assert!(resumed >= before - 1, "{resumed} of {before} reused");
    assert!(
        printed.contains(&format!("{} {word} ", total - resumed)),
        "{printed}"
    );
    assert_eq!(contents(&whole), contents(&killed));
    assert!(
        !tmp.path().join(".killed.work").exists(),
        "the work folder is removed"
    );
}

#[test]
fn a_killed_ensemble_run_again_finishes_the_same_without_redoing_members() {
    let mut args = vec!["ensemble", "munz-basic", "--runs", "240"];
    args.extend(SMALL);
    killed_and_resumed(&args, 240, "members");
}

#[test]
fn a_killed_sweep_run_again_finishes_the_same_without_redoing_runs() {
    let mut args = vec![
        "sweep",
        "munz-basic",
        "--vary",
        "virus.kill_rate_per_hour=0.0005:0.003:4",
        "--runs",
        "60",
    ];
    args.extend(SMALL);
    killed_and_resumed(&args, 240, "runs");
}

#[test]
fn another_job_in_the_work_folder_is_refused_with_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("e");
    let work = tmp.path().join(".e.work");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(work.join("job.json"), "{}").unwrap();
    let o = ensemble(&out, "3", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("unfinished job with other arguments"));
    let o = ensemble(&out, "3", &["--force"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

#[test]
fn a_sweep_writes_a_tidy_table_and_a_plot() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("s");
    let mut args = vec![
        "sweep",
        "munz-basic",
        "--quiet",
        "--vary",
        "virus.kill_rate_per_hour=0.0005:0.003:3",
        "--runs",
        "5",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(SMALL);
    let o = outbreak(&args);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let printed = text(&o.stdout);
    assert!(
        printed.contains("virus.kill_rate_per_hour") && printed.contains("15 runs"),
        "{printed}"
    );
    let runs = std::fs::read_to_string(out.join("runs.csv")).unwrap();
    assert_eq!(runs.lines().count(), 1 + 15);
    assert!(runs.lines().nth(1).unwrap().starts_with("0,0.0005,0,2009,"));
    for f in ["points.csv", "sweep.svg", "manifest.json", "scenario.toml"] {
        assert!(out.join(f).is_file(), "{f}");
    }
}

#[test]
fn bad_ensemble_and_sweep_input_exits_2_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("x");
    let o = ensemble(&out, "0", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("--runs must be at least 1"));
    let o = ensemble(&out, "3", &["--threads", "0"]);
    assert_eq!(o.status.code(), Some(2));
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let o = ensemble(&file, "3", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("is not a folder"));
    std::fs::remove_file(&file).unwrap();
    let o = ensemble(&out, "3", &["--set", "virus.kill_rate_per_hour=-1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("virus.kill_rate_per_hour"),
        "{}",
        text(&o.stderr)
    );
    let sweep = |vary: &str| {
        outbreak(&[
            "sweep",
            "munz-basic",
            "--quiet",
            "--vary",
            vary,
            "--out",
            out.to_str().unwrap(),
        ])
    };
    let o = sweep("virus.kill_rate_per_hour=0.1:0.2");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("expected KEY=START:END:STEPS"),
        "{}",
        text(&o.stderr)
    );
    // A grid value out of range names the key and the value at fault.
    let o = sweep("virus.hambie_fraction=0.5:1.5:3");
    assert_eq!(o.status.code(), Some(2));
    let e = text(&o.stderr);
    assert!(
        e.contains("--vary virus.hambie_fraction=0.5:1.5:3") && e.contains("1.5 is out of range"),
        "{e}"
    );
    let o = sweep("virus.no_such_rate=0:1:2");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("no_such_rate"),
        "{}",
        text(&o.stderr)
    );
    assert!(!out.exists());
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

/// The Python that reads the Parquet files: `OUTBREAK_PYTHON`, else `python3`.
#[test]
fn pyarrow_reads_the_parquet_files_with_their_types() {
    if !has_pyarrow() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("e");
    let o = ensemble(&out, "4", &["--events"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let script = r#"
import sys, csv
import pyarrow.parquet as pq
out = sys.argv[1]
s = pq.read_table(out + "/series.parquet")
types = {f.name: str(f.type) for f in s.schema}
assert types["member"] == "uint32" and types["seed"] == "uint64", types
assert types["minutes"] == "double" and types["zombie"] == "uint32", types
assert s.num_rows == 4 * (48 * 10 + 1), s.num_rows
cols = ["susceptible", "infected", "zombie", "hambie", "dead", "rescued", "quarantined", "reserve"]
rows = s.to_pylist()
assert all(sum(r[c] for c in cols) == 300 for r in rows)
last = {r["member"]: r for r in rows if r["tick"] == 480}
with open(out + "/members.csv") as f:
    for m in csv.DictReader(f):
        r = last[int(m["member"])]
        assert all(int(m[c]) == r[c] for c in cols), (m, r)
        assert int(m["seed"]) == r["seed"]
e = pq.read_table(out + "/events.parquet")
assert str(e.schema.field("event").type) == "string"
assert e.schema.field("other").nullable and not e.schema.field("agent").nullable
turns = [r for r in e.to_pylist() if r["event"] == "turn"]
assert turns and all(r["other"] is None for r in turns)
bites = {}
for r in e.to_pylist():
    if r["event"] == "bite":
        bites[r["member"]] = bites.get(r["member"], 0) + 1
with open(out + "/members.csv") as f:
    for m in csv.DictReader(f):
        assert bites.get(int(m["member"]), 0) == int(m["bites"])
print("ok", s.num_rows, e.num_rows)
"#;
    let o = Command::new(python())
        .args(["-c", script, out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
    assert!(
        text(&o.stdout).starts_with("ok 1924 "),
        "{}",
        text(&o.stdout)
    );
}

/// `outbreak ARGS --shard K/N --out DIR/sK` for each K; the shard folders.
fn shards(dir: &Path, n: u32, args: &[&str]) -> Vec<std::path::PathBuf> {
    (0..n)
        .map(|k| {
            let out = dir.join(format!("s{k}"));
            let shard = format!("{k}/{n}");
            let mut a = args.to_vec();
            a.extend(["--quiet", "--shard", &shard, "--out", out.to_str().unwrap()]);
            let o = outbreak(&a);
            assert!(o.status.success(), "{}", text(&o.stderr));
            assert!(text(&o.stdout).contains(&format!("shard {k} of {n}")));
            out
        })
        .collect()
}

fn collect(out: &Path, shards: &[std::path::PathBuf]) -> Output {
    let mut a = vec!["collect", out.to_str().unwrap(), "--quiet"];
    a.extend(shards.iter().map(|s| s.to_str().unwrap()));
    outbreak(&a)
}

#[test]
fn three_shards_collected_are_the_ensemble_and_the_sweep_of_one_machine() {
    let tmp = tempfile::tempdir().unwrap();
    let one = tmp.path().join("one");
    assert!(ensemble(&one, "7", &["--events"]).status.success());
    let mut args = vec!["ensemble", "munz-basic", "--runs", "7", "--events"];
    args.extend(SMALL);
    let mut parts = shards(tmp.path(), 3, &args);
    parts.reverse();
    let all = tmp.path().join("all");
    let o = collect(&all, &parts);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(contents(&one), contents(&all));

    let sweep = [
        "sweep",
        "munz-basic",
        "--runs",
        "3",
        "--vary",
        "virus.bite_rate_per_hour=0.001:0.004:2",
        "--set",
        "population.size=200",
        "--set",
        "run.duration_hours=24",
    ];
    let one = tmp.path().join("sweep-one");
    let mut a = sweep.to_vec();
    a.extend(["--quiet", "--out", one.to_str().unwrap()]);
    assert!(outbreak(&a).status.success());
    let dir = tmp.path().join("sweep-shards");
    std::fs::create_dir(&dir).unwrap();
    let parts = shards(&dir, 4, &sweep);
    let all = tmp.path().join("sweep-all");
    let o = collect(&all, &parts);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(contents(&one), contents(&all));
}

#[test]
fn a_shard_missing_given_twice_of_another_job_unfinished_or_damaged_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let mut args = vec!["ensemble", "munz-basic", "--runs", "5"];
    args.extend(SMALL);
    let parts = shards(tmp.path(), 3, &args);
    let out = tmp.path().join("out");
    let refused = |dirs: &[std::path::PathBuf], says: &str| {
        let o = collect(&out, dirs);
        assert_eq!(o.status.code(), Some(2), "{says}: {}", text(&o.stderr));
        assert!(
            text(&o.stderr).contains(says),
            "{says}: {}",
            text(&o.stderr)
        );
        assert!(!out.exists(), "{says}: nothing is written");
    };
    let s = |k: usize| parts[k].clone();
    refused(&[s(0), s(2)], "shard 1 of 3 missing");
    refused(&[s(0), s(1), s(1), s(2)], "shard 1 of 3 is given twice");

    let other = tmp.path().join("other");
    std::fs::create_dir(&other).unwrap();
    let mut more = vec!["ensemble", "munz-basic", "--runs", "6"];
    more.extend(SMALL);
    let foreign = shards(&other, 3, &more);
    refused(&[s(0), s(1), foreign[2].clone()], "a shard of another job");
    let halves = tmp.path().join("halves");
    std::fs::create_dir(&halves).unwrap();
    let half = shards(&halves, 2, &args);
    refused(&[s(0), s(1), half[1].clone()], "shard 1 of 2, where");

    // A shard whose run was killed leaves its work folder, not a shard folder.
    let killed = tmp.path().join("killed");
    let work = tmp.path().join(".killed.work/units");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::copy(s(2).join("units/00000002.json"), work.join("00000002.json")).unwrap();
    refused(
        &[s(0), s(1), killed],
        "an unfinished shard (1 runs finished",
    );
    refused(
        &[s(0), s(1), tmp.path().to_path_buf()],
        "not a shard folder",
    );

    std::fs::remove_file(s(1).join("units/00000004.json")).unwrap();
    refused(&[s(0), s(1), s(2)], "lacks run 4");
    std::fs::write(s(1).join("shard.json"), "{ truncated").unwrap();
    refused(&[s(0), s(1), s(2)], "shard.json is damaged");

    let x = tmp.path().join("x");
    for bad in ["3/3", "1", "-1/2", "a/b", "0/0"] {
        let mut a = args.clone();
        a.extend(["--shard", bad, "--out", x.to_str().unwrap()]);
        let o = outbreak(&a);
        assert_eq!(o.status.code(), Some(2), "--shard {bad}");
        assert!(
            text(&o.stderr).contains("expected K/N"),
            "{}",
            text(&o.stderr)
        );
    }
}

#[test]
fn the_slurm_script_run_as_an_array_collects_to_the_ensemble() {
    let tmp = tempfile::tempdir().unwrap();
    let one = tmp.path().join("one");
    let o = ensemble(&one, "5", &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/cluster/ensemble.sbatch");
    let prefix = tmp.path().join("job");
    let mut parts = Vec::new();
    for k in 0..3 {
        let o = Command::new("bash")
            .arg(&script)
            .args(["munz-basic", "5", prefix.to_str().unwrap()])
            .args(SMALL)
            .env("OUTBREAK", env!("CARGO_BIN_EXE_outbreak"))
            .env("SLURM_ARRAY_TASK_ID", k.to_string())
            .env("SLURM_ARRAY_TASK_COUNT", "3")
            .env("SLURM_CPUS_PER_TASK", "2")
            .output()
            .unwrap();
        assert!(o.status.success(), "task {k}: {}", text(&o.stderr));
        parts.push(tmp.path().join(format!("job-shard-{k}")));
    }
    let all = tmp.path().join("all");
    let o = collect(&all, &parts);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(contents(&one), contents(&all));
}

/// The `seed` column of a folder's CSV table.
fn seeds(path: &Path) -> Vec<String> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let at = r
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "seed")
        .unwrap();
    r.records()
        .map(|row| row.unwrap()[at].to_string())
        .collect()
}

#[test]
fn a_sweep_with_independent_seeds_gives_every_run_its_own_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = |out: &Path, extra: &[&str]| {
        let mut a = vec![
            "sweep",
            "munz-basic",
            "--quiet",
            "--vary",
            "virus.kill_rate_per_hour=0.0005:0.003:2",
            "--runs",
            "3",
            "--out",
            out.to_str().unwrap(),
        ];
        a.extend(SMALL);
        a.extend(extra);
        let o = outbreak(&a);
        assert!(o.status.success(), "{}", text(&o.stderr));
    };
    let members = tmp.path().join("members");
    assert!(ensemble(&members, "6", &[]).status.success());
    let member_seeds = seeds(&members.join("members.csv"));

    let common = tmp.path().join("common");
    sweep(&common, &[]);
    let s = seeds(&common.join("runs.csv"));
    assert_eq!(
        s[..3],
        s[3..],
        "common random numbers: the same seeds at both points"
    );
    assert_eq!(s[..3], member_seeds[..3]);

    let own = tmp.path().join("own");
    sweep(&own, &["--independent-seeds"]);
    assert_eq!(
        seeds(&own.join("runs.csv")),
        member_seeds,
        "run u under member u's seed"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(own.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["seeds"]["independent"], true);
    let page = tmp.path().join("own.html");
    let o = outbreak(&[
        "report",
        own.to_str().unwrap(),
        "--out",
        page.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.contains("points&#39; intervals are independent")
            || html.contains("points' intervals are independent")
    );
    let o = outbreak(&[
        "report",
        common.to_str().unwrap(),
        "--out",
        page.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    assert!(std::fs::read_to_string(&page)
        .unwrap()
        .contains("--independent-seeds gives"));

    // Its shards keep the choice.
    let dir = tmp.path().join("shards");
    std::fs::create_dir(&dir).unwrap();
    let mut a = vec![
        "sweep",
        "munz-basic",
        "--vary",
        "virus.kill_rate_per_hour=0.0005:0.003:2",
        "--runs",
        "3",
        "--independent-seeds",
    ];
    a.extend(SMALL);
    let parts = shards(&dir, 2, &a);
    let all = tmp.path().join("all");
    assert!(collect(&all, &parts).status.success());
    assert_eq!(contents(&own), contents(&all));
}
