//! Ensembles: the same outputs on any number of threads, a member is the run of its seed,
//! the Parquet files read back with the `parquet` crate's own reader and agree with the
//! CSV tables, and a work folder left by another job is refused.

use std::collections::BTreeMap;
use std::path::Path;

use outbreak_engine::prelude::STATES;
use outbreak_ensemble::ensemble::{self, EnsembleSpec};
use outbreak_ensemble::{member_seed, EnsembleError, Progress};
use outbreak_scenario::Scenario;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::RowAccessor;

fn quiet(_: Progress) {}

/// munz-basic at 200 people for 48 hours: some members die out, most do not.
fn spec(runs: u32, events: bool) -> EnsembleSpec {
    let sets = vec![
        "population.size=200".to_string(),
        "run.duration_hours=48".to_string(),
        "virus.bite_rate_per_hour=0.002".to_string(),
    ];
    let text = outbreak_scenario::builtin("munz-basic").unwrap();
    EnsembleSpec {
        scenario: Scenario::from_str(text, "munz-basic", &sets).unwrap(),
        source: "munz-basic".into(),
        sets,
        runs,
        events,
    }
}

/// Every file of a folder; `manifest.json` without its `timings`.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            let mut bytes = std::fs::read(e.path()).unwrap();
            if name == "manifest.json" {
                let mut v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                assert!(v["timings"]["wall_seconds"].is_number());
                v.as_object_mut().unwrap().remove("timings");
                bytes = v.to_string().into_bytes();
            }
            (name, bytes)
        })
        .collect()
}

fn on_threads(threads: usize, s: &EnsembleSpec, out: &Path) {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(|| ensemble::run(s, out, false, &quiet))
        .unwrap();
}

#[test]
fn the_outputs_are_the_same_on_one_and_three_threads() {
    let dir = tempfile::tempdir().unwrap();
    let s = spec(12, true);
    on_threads(1, &s, &dir.path().join("one"));
    on_threads(3, &s, &dir.path().join("three"));
    let (a, b) = (
        contents(&dir.path().join("one")),
        contents(&dir.path().join("three")),
    );
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        [
            "bands.csv",
            "bands.svg",
            "events.parquet",
            "manifest.json",
            "members.csv",
            "scenario.toml",
            "series.parquet"
        ]
    );
    assert_eq!(a, b);
    // No work folder is left behind.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn parquet_files_read_back_and_agree_with_the_tables() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("e");
    let s = spec(6, true);
    ensemble::run(&s, &out, false, &quiet).unwrap();
    let ticks = 48 * 60 / 6 + 1;

    // series.parquet: one row a member and tick, every row sums to the population.
    let reader =
        SerializedFileReader::new(std::fs::File::open(out.join("series.parquet")).unwrap())
            .unwrap();
    let meta = reader.metadata().file_metadata();
    assert_eq!(meta.num_rows(), 6 * ticks);
    assert!(meta.created_by().unwrap().starts_with("outbreak"));
    let mut last: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    let mut rows = 0;
    for row in reader.get_row_iter(None).unwrap() {
        let row = row.unwrap();
        let (member, tick) = (row.get_uint(0).unwrap(), row.get_uint(2).unwrap());
        assert_eq!(row.get_ulong(1).unwrap(), member_seed(2009, member));
        assert_eq!(row.get_double(3).unwrap(), f64::from(tick) * 6.0);
        let counts: Vec<u32> = (4..4 + STATES).map(|c| row.get_uint(c).unwrap()).collect();
        assert_eq!(counts.iter().sum::<u32>(), 200);
        if tick as i64 == ticks - 1 {
            last.insert(member, counts);
        }
        rows += 1;
    }
    assert_eq!(rows, 6 * ticks);

    // members.csv: each member's final counts are its last row in series.parquet.
    let mut csv = csv::Reader::from_path(out.join("members.csv")).unwrap();
    let header = csv.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    for r in csv.records() {
        let r = r.unwrap();
        let member: u32 = r[col("member")].parse().unwrap();
        let finals: Vec<u32> = outbreak_engine::prelude::Health::ALL
            .iter()
            .map(|h| r[col(h.as_str())].parse().unwrap())
            .collect();
        assert_eq!(finals, last[&member], "member {member}");
    }

    // events.parquet: bites per member as members.csv counts them.
    let reader =
        SerializedFileReader::new(std::fs::File::open(out.join("events.parquet")).unwrap())
            .unwrap();
    let mut bites: BTreeMap<u32, u64> = BTreeMap::new();
    for row in reader.get_row_iter(None).unwrap() {
        let row = row.unwrap();
        if row.get_string(3).unwrap() == "bite" {
            *bites.entry(row.get_uint(0).unwrap()).or_default() += 1;
            assert_eq!(row.get_string(7).unwrap(), "arena");
        }
    }
    let mut csv = csv::Reader::from_path(out.join("members.csv")).unwrap();
    for r in csv.records() {
        let r = r.unwrap();
        let member: u32 = r[0].parse().unwrap();
        let counted: u64 = r[col("bites")].parse().unwrap();
        assert_eq!(bites.get(&member).copied().unwrap_or(0), counted);
    }
}

#[test]
fn a_member_is_the_run_of_its_seed() {
    // Member k of the ensemble equals `outbreak run` under member k's seed.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("e");
    let s = spec(3, false);
    ensemble::run(&s, &out, false, &quiet).unwrap();
    let members = std::fs::read_to_string(out.join("members.csv")).unwrap();
    for (k, line) in members.lines().skip(1).enumerate() {
        let seed = member_seed(2009, k as u32);
        let one = outbreak_scenario::Scenario::from_str(
            outbreak_scenario::builtin("munz-basic").unwrap(),
            "munz-basic",
            &[s.sets.clone(), vec![format!("run.seed={seed}")]].concat(),
        )
        .unwrap();
        let mut sim = one.build().unwrap();
        sim.run_to_end(|_| {});
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields[1], seed.to_string());
        let zombies = sim.occupancy().total[outbreak_engine::prelude::Health::Zombie as usize];
        assert_eq!(fields[8], zombies.to_string(), "member {k}");
    }
}

#[test]
fn seeds_are_distinct_and_fit_a_scenario_file() {
    let seeds: std::collections::BTreeSet<u64> = (0..10_000).map(|k| member_seed(7, k)).collect();
    assert_eq!(seeds.len(), 10_000);
    assert!(seeds.iter().all(|&s| s <= i64::MAX as u64));
    assert_eq!(member_seed(7, 0), 7);
    assert_ne!(member_seed(7, 1), member_seed(8, 1));
}

#[test]
fn another_jobs_work_folder_is_refused_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("e");
    let work = dir.path().join(".e.work");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(work.join("job.json"), "{\"another\": true}").unwrap();
    let e = ensemble::run(&spec(2, false), &out, false, &quiet).unwrap_err();
    assert!(matches!(e, EnsembleError::OtherJob { .. }), "{e:?}");
    assert!(e.is_bad_input() && e.to_string().contains(".e.work"), "{e}");
    ensemble::run(&spec(2, false), &out, true, &quiet).unwrap();
    assert!(out.join("members.csv").exists() && !work.exists());
    // A finished folder is not replaced without force.
    let e = ensemble::run(&spec(2, false), &out, false, &quiet).unwrap_err();
    assert!(e.is_bad_input(), "{e:?}");
}

#[test]
fn an_ensemble_too_big_to_hold_is_refused_before_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spec(1, false);
    // munz-basic's 240 hours in 1-minute ticks: 14,401 × 28 bytes a member, 161 GB in all.
    s.scenario = Scenario::from_str(
        outbreak_scenario::builtin("munz-basic").unwrap(),
        "munz-basic",
        &["run.tick_minutes=1".into()],
    )
    .unwrap();
    s.runs = 400_000;
    let e = ensemble::run(&s, &dir.path().join("big"), false, &quiet).unwrap_err();
    assert!(e.is_bad_input(), "{e:?}");
    assert!(
        e.to_string().contains("GiB") && e.to_string().contains("--runs"),
        "{e}"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn a_work_folder_left_before_its_job_was_written_is_started_afresh() {
    // Killed between creating the folder and writing job.json: nothing to keep.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("e");
    std::fs::create_dir_all(dir.path().join(".e.work").join("units")).unwrap();
    ensemble::run(&spec(2, false), &out, false, &quiet).unwrap();
    assert!(out.join("members.csv").exists());
    assert!(!dir.path().join(".e.work").exists());
}

#[test]
fn the_job_knows_the_map_it_read() {
    // A map file changed between a kill and the rerun gives another job, refused rather
    // than mixed: the digest follows the file's bytes, not its path.
    let dir = tempfile::tempdir().unwrap();
    let kotka = include_bytes!("../../../data/osm/kotka-karhula.osm.pbf");
    let file = dir.path().join("town.osm.pbf");
    let scenario_file = dir.path().join("town.toml");
    let text = "name = \"town\"\n[world]\ngenerator = \"osm\"\npath = \"town.osm.pbf\"\n[population]\nsize = 100\n";
    std::fs::write(&scenario_file, text).unwrap();
    let read = || Scenario::from_str(text, scenario_file.to_str().unwrap(), &[]).unwrap();
    std::fs::write(&file, kotka).unwrap();
    let a = outbreak_ensemble::input_digest(&read());
    assert_eq!(a, outbreak_ensemble::input_digest(&read()));
    let mut changed = kotka.to_vec();
    changed.truncate(kotka.len() - 1);
    std::fs::write(&file, &changed).unwrap();
    assert_ne!(a, outbreak_ensemble::input_digest(&read()));
}

#[test]
fn members_stopped_when_settled_carry_their_counts_to_the_duration() {
    // The built-in lattice as shipped (it stops when settled), 21 × 21 at α = 0.6 for 100
    // hours: every member's outbreak dies out (eradicated or contained) long before.
    let sets: Vec<String> = [
        "world.side=21",
        "population.size=441",
        "virus.kill_rate_per_hour=0.6",
        "run.duration_hours=100",
    ]
    .map(String::from)
    .to_vec();
    let text = outbreak_scenario::builtin("alemi-lattice").unwrap();
    let spec = EnsembleSpec {
        scenario: Scenario::from_str(text, "alemi-lattice", &sets).unwrap(),
        source: "alemi-lattice".into(),
        sets,
        runs: 12,
        events: false,
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("e");
    let report = ensemble::run(&spec, &out, false, &quiet).unwrap();
    assert_eq!(report.stopped_settled, 12);
    assert_eq!(
        report.endings[0] + report.endings[3],
        0,
        "{:?}",
        report.endings
    );
    let duration = 100.0 * 60.0;

    // Each member stopped early and says where; its final counts are those of members.csv.
    let mut csv = csv::Reader::from_path(out.join("members.csv")).unwrap();
    let header = csv.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut zombies = Vec::new();
    for r in csv.records() {
        let r = r.unwrap();
        assert_eq!(&r[col("stopped_settled")], "true");
        assert!(r[col("last_minutes")].parse::<f64>().unwrap() < duration);
        assert!(matches!(&r[col("outcome")], "eradicated" | "contained"));
        assert!(matches!(&r[col("escaped")], "true" | "false"));
        zombies.push(r[col("zombie")].parse::<f64>().unwrap());
    }
    let mean = zombies.iter().sum::<f64>() / zombies.len() as f64;

    // series.parquet: every member to the duration.
    let reader =
        SerializedFileReader::new(std::fs::File::open(out.join("series.parquet")).unwrap())
            .unwrap();
    assert_eq!(reader.metadata().file_metadata().num_rows(), 12 * 6001);

    // bands.csv covers the duration, and at its end the zombies' mean is the members'.
    let mut csv = csv::Reader::from_path(out.join("bands.csv")).unwrap();
    let header = csv.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut last = None;
    for r in csv.records() {
        let r = r.unwrap();
        if &r[col("state")] == "zombie" {
            last = Some((
                r[col("minutes")].parse::<f64>().unwrap(),
                r[col("mean")].parse::<f64>().unwrap(),
            ));
        }
    }
    let (minutes, band_mean) = last.unwrap();
    assert_eq!(minutes, duration);
    assert!((band_mean - mean).abs() < 1e-9, "{band_mean} vs {mean}");
}
