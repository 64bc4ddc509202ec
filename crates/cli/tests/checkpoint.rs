//! Checkpoints end to end: `outbreak run --checkpoint-every`, `--resume` and `--from` on
//! real runs, real folders and real exit codes. A run with checkpoints writes the same files
//! as one without; a run killed part-way and resumed ends with a folder byte-identical to
//! the uninterrupted run's, checkpoints included; a branch keeps its parent's history up to
//! the checkpoint and follows its own timeline after it; bad checkpoint files and variants
//! of another world are refused with exit 2 and a message naming the file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::{outbreak, stderr, tree};

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

fn names(files: &[(String, Vec<u8>)]) -> Vec<&str> {
    files.iter().map(|f| f.0.as_str()).collect()
}

/// Asserts two folders hold the same files with the same bytes.
fn same_tree(a: &Path, b: &Path) {
    let (ta, tb) = (tree(a), tree(b));
    assert_eq!(
        names(&ta),
        names(&tb),
        "{} and {}",
        a.display(),
        b.display()
    );
    for ((name, x), (_, y)) in ta.iter().zip(&tb) {
        assert!(
            x == y,
            "{name} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

/// The campus, small: 3,000 people for 9 hours (alarm, cordon, rescue, the squad at 6 h,
/// the lure at 8 h).
const CAMPUS: [&str; 5] = [
    "seoul-campus",
    "--set",
    "population.size=3000",
    "--set",
    "run.duration_hours=9",
];

fn run(out: &Path, scenario: &[&str], extra: &[&str]) -> Output {
    let mut args = vec!["run", "--quiet", "--out", path(out)];
    args.extend_from_slice(scenario);
    args.extend_from_slice(extra);
    outbreak(&args)
}

#[test]
fn checkpoints_leave_every_other_file_as_a_plain_run_writes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (plain, saved) = (tmp.path().join("plain"), tmp.path().join("saved"));
    let o = run(&plain, &CAMPUS, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&saved, &CAMPUS, &["--checkpoint-every", "2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut with = tree(&saved);
    let checkpoints: Vec<String> = with
        .iter()
        .filter(|f| f.0.starts_with("checkpoints"))
        .map(|f| f.0.clone())
        .collect();
    assert_eq!(
        checkpoints,
        ["0002", "0004", "0006", "0008"].map(|h| format!("checkpoints/hour-{h}.ckpt"))
    );
    with.retain(|f| !f.0.starts_with("checkpoints"));
    assert!(with == tree(&plain), "the other files are the plain run's");
    // Nothing else is left beside the results.
    let mut left: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["plain", "saved"]);
}

/// The campus for long enough that a run can be killed part-way.
const LONG: [&str; 5] = [
    "seoul-campus",
    "--set",
    "population.size=4000",
    "--set",
    "run.duration_hours=30",
];

#[test]
fn a_killed_run_resumes_to_the_same_folder_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let whole = tmp.path().join("whole");
    let o = run(
        &whole,
        &LONG,
        &["--checkpoint-every", "1", "--threads", "1"],
    );
    assert!(o.status.success(), "{}", stderr(&o));

    let out = tmp.path().join("killed");
    let partial = tmp.path().join(".killed.partial");
    let mut args = vec!["run", "--quiet", "--out", path(&out)];
    args.extend_from_slice(&LONG);
    args.extend_from_slice(&["--checkpoint-every", "1"]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_outbreak"))
        .args(&args)
        .spawn()
        .unwrap();
    // Kill it once its second checkpoint is written.
    let second = partial.join("checkpoints").join("hour-0002.ckpt");
    let started = std::time::Instant::now();
    while !second.exists() {
        assert!(
            started.elapsed().as_secs() < 120,
            "no checkpoint appeared in {}",
            partial.display()
        );
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the run finished before it could be killed"
    );
    assert!(!out.exists(), "a killed run left {}", out.display());
    let kept = tree(&partial);
    assert!(
        kept.iter().all(|f| f.0.starts_with("checkpoints/")),
        "only checkpoints so far: {:?}",
        names(&kept)
    );
    assert!(kept.len() < 30, "killed before the end: {:?}", names(&kept));

    // Resumed on another number of threads (the results do not depend on it), with the
    // folder written two ways, absolute and relative: it is the run's own in-progress
    // folder all the same.
    let o = Command::new(env!("CARGO_BIN_EXE_outbreak"))
        .current_dir(tmp.path())
        .args(["run", "--quiet", "--resume", path(&out)])
        .args(["--out", "killed", "--threads", "2"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !partial.exists(),
        "the in-progress folder became the results"
    );
    same_tree(&whole, &out);

    // A finished run resumes too (from its last checkpoint), into another folder.
    let again = tmp.path().join("again");
    let o = outbreak(&[
        "run",
        "--quiet",
        "--resume",
        path(&whole),
        "--out",
        path(&again),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    same_tree(&whole, &again);
    // Into itself only with --force.
    let o = outbreak(&["run", "--quiet", "--resume", path(&whole)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    let o = outbreak(&["run", "--quiet", "--resume", path(&whole), "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    same_tree(&again, &whole);
}

#[test]
fn an_interrupted_run_is_kept_until_resumed_or_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    let partial = tmp.path().join(".run.partial");
    std::fs::create_dir_all(partial.join("checkpoints")).unwrap();
    // Resuming a run killed before its first checkpoint says so; a new run takes its
    // place, as there is nothing to resume.
    let o = outbreak(&["run", "--quiet", "--resume", path(&out)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no checkpoint to resume from"),
        "{}",
        stderr(&o)
    );
    let o = run(&out, &CAMPUS, &["--checkpoint-every", "3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!partial.exists());
    std::fs::remove_dir_all(&out).unwrap();
    // One with a checkpoint is kept until resumed or forced.
    std::fs::create_dir_all(partial.join("checkpoints")).unwrap();
    std::fs::write(partial.join("checkpoints").join("hour-0003.ckpt"), b"x").unwrap();
    let o = run(&out, &CAMPUS, &["--checkpoint-every", "3"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains(".run.partial") && e.contains("--resume"), "{e}");
    let o = run(&out, &CAMPUS, &["--checkpoint-every", "3", "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("checkpoints").join("hour-0009.ckpt").is_file());
    assert!(!partial.exists());
    // The interval must be a whole number of ticks above zero.
    for bad in ["0", "-1", "0.001", "nan"] {
        let flag = format!("--checkpoint-every={bad}");
        let o = run(&tmp.path().join("x"), &CAMPUS, &[&flag]);
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", stderr(&o));
        assert!(stderr(&o).contains("--checkpoint-every"), "{}", stderr(&o));
    }
}

/// Hyosan High with its cordon at 8 h and the bombing at 12 h, for 14 hours.
const HYOSAN: [&str; 7] = [
    "hyosan-high",
    "--set",
    "run.duration_hours=14",
    "--set",
    "authorities.3.at_hours=8",
    "--set",
    "authorities.4.at_hours=12",
];

fn timeseries(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("timeseries.csv"))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn a_branch_with_an_earlier_strike_keeps_the_history_and_changes_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let original = tmp.path().join("original");
    let o = run(&original, &HYOSAN, &["--checkpoint-every", "2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let from = original.join("checkpoints").join("hour-0008.ckpt");
    let checkpoint_tick = 8 * 60;

    // What if the bombing came two hours earlier?
    let earlier = tmp.path().join("earlier");
    let o = run(
        &earlier,
        &HYOSAN,
        &["--set", "authorities.4.at_hours=10", "--from", path(&from)],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let (a, b) = (timeseries(&original), timeseries(&earlier));
    assert_eq!(a.len(), b.len(), "both cover the whole run from tick 0");
    // Header and ticks 0..=480.
    let upto = checkpoint_tick + 2;
    assert_eq!(a[..upto], b[..upto], "identical up to the checkpoint");
    let strike = 10 * 60 + 1;
    assert_eq!(a[upto..strike], b[upto..strike], "and until the new strike");
    assert_ne!(
        a[strike], b[strike],
        "the strike at 10 h changes the counts"
    );
    let events = std::fs::read_to_string(earlier.join("events.csv")).unwrap();
    assert!(
        events
            .lines()
            .any(|l| l.starts_with("600,") && l.contains(",strike-death,")),
        "strike deaths at tick 600"
    );
    let toml = std::fs::read_to_string(earlier.join("scenario.toml")).unwrap();
    assert!(toml.contains("at_hours = 10"), "the variant as run: {toml}");

    // A branch that changes nothing is the run itself.
    let same = tmp.path().join("same");
    let o = run(&same, &HYOSAN, &["--from", path(&from)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut want = tree(&original);
    want.retain(|f| !f.0.starts_with("checkpoints"));
    assert!(
        tree(&same) == want,
        "a branch with no change is the original run"
    );

    // An order moved to before the checkpoint changes nothing, and is said to.
    let late = tmp.path().join("late");
    let o = run(
        &late,
        &HYOSAN,
        &["--set", "authorities.4.at_hours=7", "--from", path(&from)],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("taken as fired"), "{}", stderr(&o));

    // An order the original fired by the checkpoint (the cordon at 8 h), moved after it,
    // fires again, and is said to.
    let twice = tmp.path().join("twice");
    let o = run(
        &twice,
        &HYOSAN,
        &["--set", "authorities.3.at_hours=9", "--from", path(&from)],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("fires a second time"), "{}", stderr(&o));
}

#[test]
fn a_variant_of_another_world_people_or_seed_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let original = tmp.path().join("original");
    let o = run(&original, &HYOSAN, &["--checkpoint-every", "4"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let from = original.join("checkpoints").join("hour-0004.ckpt");
    let out = tmp.path().join("branch");
    for (variant, says) in [
        (vec!["seoul-campus"], "its world is not the run's"),
        (
            vec!["hyosan-high", "--set", "world.floors=3"],
            "its world is not the run's",
        ),
        (
            vec!["hyosan-high", "--set", "population.size=2000"],
            "its people are not the run's",
        ),
        (vec!["hyosan-high", "--seed", "99"], "its seed 99"),
        (
            vec!["hyosan-high", "--set", "run.duration_hours=2"],
            "before the checkpoint",
        ),
    ] {
        let mut extra = variant.clone();
        extra.extend_from_slice(&["--from", path(&from)]);
        let o = run(&out, &[], &extra);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{variant:?}: {e}");
        assert!(e.contains(says), "{variant:?}: {e}");
        assert!(e.contains(path(&from)), "names the checkpoint: {e}");
        assert!(!e.contains("panicked"), "{e}");
        assert!(!out.exists(), "{variant:?}: nothing written");
    }
}

/// A day of munz-quarantine in `tmp`/good with checkpoints at hours 12 and 24: the folder.
fn quarantine_checkpoints(tmp: &Path) -> PathBuf {
    let good_run = tmp.join("good");
    let o = run(
        &good_run,
        &["munz-quarantine", "--set", "run.duration_hours=24"],
        &["--checkpoint-every", "12"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    good_run
}

#[test]
fn bad_checkpoint_files_are_refused_with_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let good_run = quarantine_checkpoints(tmp.path());
    let good = std::fs::read(good_run.join("checkpoints").join("hour-0012.ckpt")).unwrap();

    let garbage = tmp.path().join("garbage.ckpt");
    std::fs::write(&garbage, b"# not a checkpoint\n[run]\nseed = 1\n").unwrap();
    let truncated = tmp.path().join("truncated.ckpt");
    std::fs::write(&truncated, &good[..good.len() / 2]).unwrap();
    let mut other = good.clone();
    other[8] = other[8].wrapping_add(1);
    let version = tmp.path().join("version.ckpt");
    std::fs::write(&version, &other).unwrap();
    let mut flipped = good.clone();
    let last = flipped.len() - 3;
    flipped[last] ^= 0x10;
    let damaged = tmp.path().join("damaged.ckpt");
    std::fs::write(&damaged, &flipped).unwrap();
    let missing = tmp.path().join("missing.ckpt");

    let out = tmp.path().join("out");
    for (file, says) in [
        (&garbage, "not an outbreak checkpoint"),
        (&truncated, "truncated"),
        (&version, "made by another version"),
        (&damaged, "damaged"),
        (&missing, "cannot read"),
    ] {
        let o = outbreak(&[
            "run",
            "--quiet",
            "munz-quarantine",
            "--from",
            path(file),
            "--out",
            path(&out),
        ]);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{}: {e}", file.display());
        assert!(e.contains(&format!("{}: {says}", file.display())), "{e}");
        assert!(!e.contains("panicked"), "{e}");
        assert!(!out.exists());
    }

    // --resume reads the latest checkpoint of the folder: a bad one is named.
    let broken = tmp.path().join("broken");
    let checkpoints = tmp.path().join(".broken.partial").join("checkpoints");
    std::fs::create_dir_all(&checkpoints).unwrap();
    std::fs::write(checkpoints.join("hour-0012.ckpt"), &good).unwrap();
    std::fs::write(checkpoints.join("hour-0024.ckpt"), &good[..100]).unwrap();
    let o = outbreak(&["run", "--quiet", "--resume", path(&broken)]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(e.contains("hour-0024.ckpt: truncated"), "{e}");
    assert!(!broken.exists());
    // And a folder with no run at all.
    let o = outbreak(&[
        "run",
        "--quiet",
        "--resume",
        path(&tmp.path().join("nothing")),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("no checkpoint to resume from"));
    // --resume takes no scenario.
    let o = outbreak(&["run", "munz-basic", "--resume", path(&good_run)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn a_checkpoint_whose_scenario_is_not_its_runs_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let good = quarantine_checkpoints(tmp.path())
        .join("checkpoints")
        .join("hour-0012.ckpt");
    let c = outbreak_output::read_checkpoint(&good).unwrap();
    assert!(
        c.scenario_toml.contains("seed = 2009"),
        "{}",
        c.scenario_toml
    );

    // The same state under a scenario of another seed or with one more person named: the
    // checksum is right, the scenario builds, and its people are not the state's.
    let mut named = c.scenario_toml.clone();
    named.push_str("\n[[population.characters]]\nname = \"Ann\"\n");
    let other_size = c.scenario_toml.replace("size = 500", "size = 499");
    for (what, scenario) in [
        ("seed", c.scenario_toml.replace("seed = 2009", "seed = 7")),
        ("characters", named),
        ("size", other_size),
    ] {
        let dir = tmp.path().join(what);
        let checkpoints = tmp
            .path()
            .join(format!(".{what}.partial"))
            .join("checkpoints");
        std::fs::create_dir_all(&checkpoints).unwrap();
        let forged = checkpoints.join("hour-0012.ckpt");
        outbreak_output::write_checkpoint(
            &forged,
            &scenario,
            &c.title,
            c.every_ticks,
            &c.snapshot,
            &c.recorder,
        )
        .unwrap();
        let o = outbreak(&["run", "--quiet", "--resume", path(&dir)]);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{what}: {e}");
        assert!(e.contains(&format!("{}: ", path(&forged))), "{what}: {e}");
        assert!(e.contains("its people are not"), "{what}: {e}");
        assert!(!e.contains("panicked"), "{e}");
        assert!(!dir.exists(), "{what}: nothing published");

        // A branch from it with the scenario it holds is refused the same way.
        let file = tmp.path().join(format!("{what}.toml"));
        std::fs::write(&file, &scenario).unwrap();
        let out = tmp.path().join(format!("{what}-branch"));
        let o = run(&out, &[path(&file)], &["--from", path(&forged)]);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{what} --from: {e}");
        assert!(e.contains("its people are not"), "{what} --from: {e}");
        assert!(!out.exists());
    }
}
