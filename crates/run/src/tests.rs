//! The lifecycle of a small run into temporary folders: started, stepped to an hour,
//! checkpointed, killed and resumed, branched, published; bad checkpoints, variants and
//! folders refused as bad input.

use std::fs;
use std::path::{Path, PathBuf};

use outbreak_engine::prelude::{PlaceId, STATES};
use outbreak_output::{files, CheckpointError, Recorder};
use outbreak_scenario::Scenario;

use super::*;

/// 300 people and 5 zombies in one place for 12 hours of 6-minute ticks, a strike at 3 h.
const ARENA: &str = r#"
name = "arena"

[run]
seed = 11
tick_minutes = 6
duration_hours = 12
start_hour = 0

[world]
generator = "well-mixed"
contact_scale = 1

[population]
size = 300
initial_zombies = 5

[virus]
bite_rate_per_hour = 0.002
kill_rate_per_hour = 0.001
latent = { distribution = "immediate" }
hambie_fraction = 0

[behaviour]
stand_ground = true
max_group_size = 1

[[authorities]]
action = "eradicate"
label = "strike"
kill_fraction = 0.5
at_hours = 3
"#;

fn arena(sets: &[&str]) -> Scenario {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    Scenario::from_str(ARENA, "arena.toml", &sets).expect("the arena is a scenario")
}

fn every(out: &Path, hours: f64) -> Options {
    Options {
        checkpoint_every_hours: Some(hours),
        ..Options::new(out)
    }
}

/// Runs `scenario` to its end with `options` and publishes it.
fn whole_run(scenario: &Scenario, options: &Options) {
    let mut run = Run::from_scenario(scenario, options)
        .expect("prepared")
        .start()
        .expect("started");
    run.run_to_end().expect("ran");
    run.publish().expect("published");
}

/// Every file under `dir`, by path relative to it, with its bytes; sorted.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for e in fs::read_dir(dir).expect("a folder") {
            let p = e.expect("an entry").path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).expect("inside").to_string_lossy();
                out.push((rel.into_owned(), fs::read(&p).expect("readable")));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn without_checkpoints(mut files: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    files.retain(|f| !f.0.starts_with(files::CHECKPOINTS));
    files
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("a folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

fn timeseries(dir: &Path) -> Vec<String> {
    fs::read_to_string(dir.join(files::TIMESERIES))
        .expect("a time series")
        .lines()
        .map(str::to_string)
        .collect()
}

fn checkpoint_names(hours: &[u32]) -> Vec<String> {
    hours
        .iter()
        .map(|h| format!("{}/hour-{h:04}.ckpt", files::CHECKPOINTS))
        .collect()
}

#[test]
fn a_run_steps_by_ticks_and_to_an_hour_and_publishes_what_the_simulation_writes() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let scenario = arena(&[]);
    let out = tmp.path().join("run");
    let prepared = Run::from_scenario(&scenario, &Options::new(&out)).expect("prepared");
    assert_eq!((prepared.tick(), prepared.name()), (0, "arena"));
    assert!(prepared.warnings().is_empty() && prepared.resuming().is_none());
    assert!(!out.exists(), "nothing is written before the start");
    let mut run = prepared.start().expect("started");
    run.run_to_hour(2.5).expect("stepped");
    assert_eq!(run.tick(), 25);
    run.step_ticks(3).expect("stepped");
    assert_eq!(run.tick(), 28);
    assert_eq!(run.recorder().ticks().len(), 29, "every tick recorded");
    run.run_to_hour(500.0).expect("stepped");
    assert!(run.finished());
    assert_eq!(run.tick(), 120);
    run.step().expect("a finished run does not step");
    assert_eq!(run.tick(), 120);
    assert_eq!(run.out(), out);
    assert_eq!(run.scenario_toml(), scenario.to_toml());
    let summary = run.publish().expect("published");
    assert_eq!(summary.population, 300);

    // The same files as the simulation itself, recorded and written by hand.
    let mut sim = scenario.build().expect("builds");
    let mut rec = Recorder::with_map(&sim, crate::map_ticks(&sim, false));
    sim.run_to_end(|s| rec.observe(s));
    let by_hand = tmp.path().join("by-hand");
    outbreak_output::publish(&by_hand, false, |dir| {
        outbreak_output::write_run_folder(dir, &rec, &sim, &scenario.to_toml(), None)
    })
    .expect("written");
    assert!(
        tree(&out) == tree(&by_hand),
        "the run folder is the simulation's"
    );
    assert_eq!(names(tmp.path()), ["by-hand", "run"]);
}

#[test]
fn a_killed_run_resumes_from_its_latest_checkpoint_byte_for_byte() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let scenario = arena(&[]);
    let whole = tmp.path().join("whole");
    whole_run(&scenario, &every(&whole, 2.0));
    let files = tree(&whole);
    let saved: Vec<&str> = files
        .iter()
        .filter(|f| f.0.starts_with(files::CHECKPOINTS))
        .map(|f| f.0.as_str())
        .collect();
    assert_eq!(saved, checkpoint_names(&[2, 4, 6, 8, 10, 12]));
    let plain = tmp.path().join("plain");
    whole_run(&scenario, &Options::new(&plain));
    assert!(
        without_checkpoints(files) == tree(&plain),
        "checkpoints leave the other files as they are"
    );

    // Killed after hour 5, with a checkpoint half-written.
    let killed = tmp.path().join("killed");
    let partial = tmp.path().join(".killed.partial");
    let mut run = Run::from_scenario(&scenario, &every(&killed, 2.0))
        .expect("prepared")
        .start()
        .expect("started");
    run.run_to_hour(5.0).expect("stepped");
    drop(run);
    let half = partial.join(files::CHECKPOINTS).join(".hour-0006.ckpt.tmp");
    fs::write(&half, b"OUTBRKCP").expect("written");
    assert!(!killed.exists());
    assert_eq!(
        names(&partial.join(files::CHECKPOINTS)),
        [".hour-0006.ckpt.tmp", "hour-0002.ckpt", "hour-0004.ckpt"]
    );

    // A new run does not take its place unless forced.
    let e = Run::from_scenario(&scenario, &every(&killed, 2.0))
        .expect("prepared")
        .start()
        .expect_err("an interrupted run waits");
    assert!(matches!(&e, RunError::Interrupted { work, .. } if work == &partial));
    assert!(e.is_bad_input());

    let prepared = Run::resume(&killed, &killed, false).expect("prepared");
    let latest = partial.join(files::CHECKPOINTS).join("hour-0004.ckpt");
    assert_eq!(prepared.resuming(), Some(latest.as_path()));
    assert_eq!((prepared.tick(), prepared.name()), (40, "arena"));
    let mut run = prepared.start().expect("started");
    assert_eq!(run.recorder().ticks().len(), 41, "the history comes along");
    run.run_to_end().expect("ran");
    run.publish().expect("published");
    assert!(tree(&killed) == tree(&whole), "as if it had not stopped");
    assert!(!partial.exists());

    // A finished run resumes too, from its last checkpoint, into another folder; into
    // itself only with force.
    let again = tmp.path().join("again");
    let mut run = Run::resume(&whole, &again, false)
        .expect("prepared")
        .start()
        .expect("started");
    assert!(run.finished());
    run.run_to_end().expect("nothing to run");
    run.publish().expect("published");
    assert!(tree(&again) == tree(&whole));
    let e = Run::resume(&whole, &whole, false).expect_err("the results are there");
    assert!(matches!(e, RunError::Taken(_)) && e.is_bad_input(), "{e}");
}

#[test]
fn a_branch_keeps_the_history_and_follows_its_own_timeline() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let original = tmp.path().join("original");
    whole_run(&arena(&[]), &every(&original, 2.0));
    let checkpoint = original.join(files::CHECKPOINTS).join("hour-0004.ckpt");
    let branch = |sets: &[&str], name: &str| -> (Vec<Warning>, PathBuf) {
        let out = tmp.path().join(name);
        let prepared =
            Run::branch(&arena(sets), &checkpoint, &Options::new(&out)).expect("a variant");
        assert_eq!(prepared.tick(), 40);
        let warnings = prepared.warnings().to_vec();
        let mut run = prepared.start().expect("started");
        run.run_to_end().expect("ran");
        run.publish().expect("published");
        (warnings, out)
    };

    // No change: the original run.
    let (warnings, same) = branch(&[], "same");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(tree(&same) == without_checkpoints(tree(&original)));

    // The strike, given at 3 h, again at 8 h.
    let (warnings, later) = branch(&["authorities.0.at_hours=8"], "later");
    assert_eq!(
        warnings,
        [Warning::FiredBefore {
            label: "strike".into(),
            at_hour: 3.0,
            checkpoint_hour: 4.0,
            again: true,
        }]
    );
    assert!(warnings[0].to_string().contains("fires a second time"));
    let (a, b) = (timeseries(&original), timeseries(&later));
    assert_eq!(a.len(), b.len(), "both cover the whole run from tick 0");
    // The header, then ticks 0 to 80 (the strike at 8 h acts in tick 80's counts).
    assert_eq!(a[..81], b[..81], "the same until the second strike");
    assert_ne!(a[81], b[81], "the second strike changes the counts");
    let toml = fs::read_to_string(later.join(files::SCENARIO)).expect("the variant as run");
    assert!(toml.contains("at_hours = 8"), "{toml}");

    // Moved to before the checkpoint: it changes nothing, and both sides are said.
    let (warnings, _) = branch(&["authorities.0.at_hours=2"], "earlier");
    assert_eq!(
        warnings,
        [
            Warning::TakenAsFired {
                label: "strike".into(),
                at_hour: 2.0,
                checkpoint_hour: 4.0,
            },
            Warning::FiredBefore {
                label: "strike".into(),
                at_hour: 3.0,
                checkpoint_hour: 4.0,
                again: false,
            }
        ]
    );
    assert!(warnings[0].to_string().contains("taken as fired"));

    // Variants of another run are refused before anything is written.
    let out = tmp.path().join("refused");
    for (sets, why) in [
        (&["world.contact_scale=2"][..], Mismatch::World),
        (
            &["run.seed=12"],
            Mismatch::Seed {
                variant: 12,
                run: 11,
            },
        ),
        (
            &["run.start_hour=7"],
            Mismatch::Clock {
                variant_tick_minutes: 6.0,
                variant_start_hour: 7.0,
                run_tick_minutes: 6.0,
                run_start_hour: 0.0,
            },
        ),
        (&["population.size=301"], Mismatch::People),
        (
            &["run.duration_hours=3"],
            Mismatch::EndsBefore {
                end_hour: 3.0,
                checkpoint_hour: 4.0,
            },
        ),
    ] {
        let e =
            Run::branch(&arena(sets), &checkpoint, &Options::new(&out)).expect_err("not a variant");
        assert!(e.is_bad_input(), "{sets:?}: {e}");
        match &e {
            RunError::Branch {
                checkpoint: c,
                why: w,
            } => {
                assert_eq!((c, w), (&checkpoint, &why), "{sets:?}");
            }
            e => panic!("{sets:?}: {e}"),
        }
        assert!(e.to_string().contains(&why.to_string()), "{e}");
    }
    assert!(!out.exists());
}

#[test]
fn bad_checkpoints_intervals_and_folders_are_bad_input() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let scenario = arena(&[]);
    let out = tmp.path().join("out");
    let good_run = tmp.path().join("good");
    whole_run(&scenario, &every(&good_run, 6.0));
    let good = fs::read(good_run.join(files::CHECKPOINTS).join("hour-0006.ckpt")).expect("read");

    let garbage = tmp.path().join("garbage.ckpt");
    fs::write(&garbage, b"[run]\nseed = 1\n").expect("written");
    let truncated = tmp.path().join("truncated.ckpt");
    fs::write(&truncated, &good[..good.len() / 2]).expect("written");
    let missing = tmp.path().join("missing.ckpt");
    for (file, fits) in [
        (
            &garbage,
            (|e| matches!(e, CheckpointError::NotACheckpoint { .. }))
                as fn(&CheckpointError) -> bool,
        ),
        (&truncated, |e| {
            matches!(e, CheckpointError::Truncated { .. })
        }),
        (&missing, |e| matches!(e, CheckpointError::Io { .. })),
    ] {
        let e = Run::branch(&scenario, file, &Options::new(&out)).expect_err("refused");
        assert!(e.is_bad_input(), "{e}");
        assert!(matches!(&e, RunError::Checkpoint(c) if fits(c)), "{e}");
        assert!(
            e.to_string().starts_with(&file.display().to_string()),
            "{e}"
        );
    }

    // --resume reads the latest checkpoint of the folder: a bad one is named.
    let broken = tmp.path().join("broken");
    let checkpoints = tmp.path().join(".broken.partial").join(files::CHECKPOINTS);
    fs::create_dir_all(&checkpoints).expect("made");
    fs::write(checkpoints.join("hour-0006.ckpt"), &good).expect("written");
    fs::write(checkpoints.join("hour-0012.ckpt"), &good[..100]).expect("written");
    let e = Run::resume(&broken, &broken, false).expect_err("refused");
    assert!(e.to_string().contains("hour-0012.ckpt: truncated"), "{e}");
    assert!(e.is_bad_input());
    let nothing = tmp.path().join("nothing");
    let e = Run::resume(&nothing, &nothing, false).expect_err("refused");
    assert!(
        matches!(e, RunError::NoCheckpoint { .. }) && e.is_bad_input(),
        "{e}"
    );

    // An interval that is not a whole number of ticks (6 min); results where a file is.
    let e = Run::from_scenario(&scenario, &every(&out, 0.05)).expect_err("refused");
    assert!(
        matches!(e, RunError::Interval { .. }) && e.is_bad_input(),
        "{e}"
    );
    fs::write(&out, "a file").expect("written");
    let e = Run::from_scenario(&scenario, &Options::new(&out))
        .expect("prepared")
        .start()
        .expect_err("refused");
    assert!(matches!(e, RunError::Taken(_)) && e.is_bad_input(), "{e}");
}

/// The count of each state among the people recorded, at every tick, rebuilt from a run
/// folder's replay alone; each chunk's keyframe is checked against the state the chunk
/// before it leads to.
fn replayed_counts(dir: &Path) -> Vec<[u64; STATES]> {
    use outbreak_output::replay::{self, read_chunk};
    let text = fs::read_to_string(dir.join(replay::files::INDEX)).expect("replay.json");
    let index: serde_json::Value = serde_json::from_str(&text).expect("json");
    let number = |key: &str| index[key].as_u64().expect("a number in replay.json") as u32;
    let (chunks, every, last) = (number("chunks"), number("chunk_ticks"), number("last_tick"));
    let agents = number("agents") as usize;
    let (mut place, mut state) = (vec![u32::MAX; agents], vec![0u8; agents]);
    let count = |place: &[u32], state: &[u8]| {
        let mut n = [0u64; STATES];
        for (p, s) in place.iter().zip(state) {
            if *p != u32::MAX {
                n[*s as usize] += 1;
            }
        }
        n
    };
    let mut counts = Vec::new();
    for k in 0..chunks {
        let c = read_chunk(
            &dir.join(replay::files::DIR)
                .join(replay::chunk_name(k as usize)),
        )
        .expect("a chunk");
        let start = k * every;
        let mut row = 0;
        let mut apply = |tick: u32, place: &mut [u32], state: &mut [u8]| {
            while row < c.tick.len() && c.tick[row] == tick {
                place[c.agent[row] as usize] = c.place[row];
                state[c.agent[row] as usize] = c.state[row];
                row += 1;
            }
        };
        let (before_place, before_state) = (place.clone(), state.clone());
        place.fill(u32::MAX);
        apply(start, &mut place, &mut state);
        if k == 0 {
            counts.push(count(&place, &state));
        } else {
            assert!(
                place == before_place,
                "chunk {k}'s keyframe: where everyone is"
            );
            let alive: Vec<bool> = place.iter().map(|p| *p != u32::MAX).collect();
            let same = (0..agents).all(|a| !alive[a] || state[a] == before_state[a]);
            assert!(same, "chunk {k}'s keyframe: everyone's state");
        }
        for tick in start + 1..=(start + every).min(last) {
            apply(tick, &mut place, &mut state);
            counts.push(count(&place, &state));
        }
        assert_eq!(
            row,
            c.tick.len(),
            "chunk {k}: every row at a tick of its chunk, in order"
        );
    }
    counts
}

#[test]
fn a_recorded_run_replays_its_counts_at_every_tick_and_resumes_byte_for_byte() {
    let tmp = tempfile::tempdir().expect("temp dir");
    // The campus at a tenth of its size for 150 minutes: people walk between rooms, and the
    // last chunk is part of an hour.
    let text = outbreak_scenario::builtin("seoul-campus").expect("built in");
    let sets = [
        "population.size=2000",
        "run.duration_hours=2.5",
        "run.record=true",
    ];
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let scenario = Scenario::from_str(text, "seoul-campus", &sets).expect("a scenario");
    let whole = tmp.path().join("whole");
    whole_run(&scenario, &every(&whole, 1.0));
    let mut run = Run::from_scenario(&scenario, &Options::new(tmp.path().join("x")))
        .expect("prepared")
        .start()
        .expect("started");
    run.run_to_end().expect("ran");
    let totals = run.recorder().totals().to_vec();
    assert_eq!(totals.len(), 151);
    let replayed = replayed_counts(&whole);
    assert_eq!(replayed.len(), totals.len(), "a row of counts a tick");
    for (t, (r, w)) in replayed.iter().zip(&totals).enumerate() {
        assert_eq!(r, w, "tick {t}: the replay's counts are the run's");
    }
    let first = outbreak_output::replay::read_chunk(&whole.join("replay/chunk-00000.parquet"))
        .expect("chunk 0");
    let moves = first.tick.iter().filter(|&&t| t > 0).count();
    assert!(
        moves > 100,
        "people move in the first hour ({moves} changes)"
    );

    // Killed after 1.5 hours and resumed: the same folder, replay included.
    let killed = tmp.path().join("killed");
    let mut run = Run::from_scenario(&scenario, &every(&killed, 1.0))
        .expect("prepared")
        .start()
        .expect("started");
    run.run_to_hour(1.5).expect("stepped");
    drop(run);
    let mut run = Run::resume(&killed, &killed, false)
        .expect("prepared")
        .start()
        .expect("started");
    run.run_to_end().expect("ran");
    run.publish().expect("published");
    assert!(
        tree(&killed) == tree(&whole),
        "the resumed run's files are the whole run's"
    );
}

#[test]
fn a_replay_of_some_zones_records_only_the_people_in_them() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let text = outbreak_scenario::builtin("seoul-campus").expect("built in");
    let sets = [
        "population.size=1000",
        "run.duration_hours=1",
        "run.record_zones=[\"dormitories\"]",
    ];
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let scenario = Scenario::from_str(text, "seoul-campus", &sets).expect("a scenario");
    let out = tmp.path().join("dormitories");
    let mut run = Run::from_scenario(&scenario, &Options::new(&out))
        .expect("prepared")
        .start()
        .expect("started");
    run.run_to_end().expect("ran");
    let world = run.sim().world.clone();
    let dorms = world
        .zone_by_name("dormitories")
        .expect("the campus has dormitories");
    run.publish().expect("published");
    let c = outbreak_output::replay::read_chunk(&out.join("replay/chunk-00000.parquet"))
        .expect("a chunk");
    assert!(!c.tick.is_empty());
    for (p, t) in c.place.iter().zip(&c.tick) {
        assert!(
            *p == u32::MAX && *t > 0 || world.in_zone(PlaceId(*p), dorms),
            "tick {t}: a row outside the dormitories is a person leaving them"
        );
    }

    let sets = ["run.record_zones=[\"nowhere\"]".to_string()];
    let e = Scenario::from_str(text, "seoul-campus", &sets)
        .and_then(|s| s.build_parts().map(|_| ()))
        .expect_err("no such zone");
    assert!(e.to_string().contains("nowhere"), "{e}");
}

/// The order a live viewer adds at the next tick: appended to the timeline, at that tick.
fn with_order(run: &Run, order: outbreak_scenario::raw::RawOrder) -> Scenario {
    let mut s = Scenario::from_str(run.scenario_toml(), "run", &[]).expect("its scenario");
    let next = f64::from(run.tick() + 1) * run.sim().params.run.tick_minutes / 60.0;
    s.raw.authorities.push(outbreak_scenario::raw::RawOrder {
        at_hours: Some(next),
        ..order
    });
    Scenario::from_str(&s.to_toml(), "run", &[]).expect("the order is valid")
}

#[test]
fn a_run_given_orders_as_it_goes_and_ended_early_is_the_run_of_the_scenario_it_leaves() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let text = outbreak_scenario::builtin("seoul-campus").expect("built in");
    let sets = [
        "population.size=1500".to_string(),
        "run.record=true".to_string(),
    ];
    let scenario = Scenario::from_str(text, "seoul-campus", &sets).expect("the campus");
    let live = dir.path().join("live");
    let mut run = Run::from_scenario(&scenario, &Options::new(&live))
        .and_then(Prepared::start)
        .expect("started");
    run.run_to_hour(1.0).expect("ran");
    let lure = outbreak_scenario::raw::RawOrder {
        action: "lure".into(),
        place: Some("Main Gate".into()),
        loudness: Some(200.0),
        duration_hours: Some(1.0),
        ..Default::default()
    };
    let lured = with_order(&run, lure);
    assert!(run.amend(&lured).expect("amended").is_empty());
    run.step_ticks(37).expect("ran");
    let strike = outbreak_scenario::raw::RawOrder {
        action: "strike".into(),
        zone: Some("dormitories".into()),
        ..Default::default()
    };
    let struck = with_order(&run, strike);
    run.amend(&struck).expect("amended");
    run.step_ticks(50).expect("ran");
    // Ended off an hour's boundary, with the replay's chunk and the map data cut there.
    run.end_now().expect("ended");
    assert_eq!(run.tick(), 147);
    assert!(run.finished());
    let summary = run.publish().expect("published");
    let orders: Vec<&str> = summary.orders.iter().map(|o| o.label.as_str()).collect();
    assert!(orders.iter().any(|l| l.contains("lure")), "{orders:?}");

    let again = dir.path().join("again");
    let text = fs::read_to_string(live.join(files::SCENARIO)).expect("scenario.toml");
    assert!(text.contains("duration_hours = 2.45"), "{text}");
    let rerun = Scenario::from_str(&text, "scenario.toml", &[]).expect("runs again");
    whole_run(&rerun, &Options::new(&again));
    assert_eq!(tree(&live), tree(&again));
}
