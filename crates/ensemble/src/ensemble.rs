//! `outbreak ensemble`: one scenario under many seeds, and the files that describe the
//! spread of its outcomes.
//!
//! | file | what |
//! |---|---|
//! | `members.csv` | one row a member: its seed and outcome ([`outcome_header`]) |
//! | `bands.csv` | per tick and state: mean, 5 %, 25 %, median, 75 %, 95 % over members |
//! | `bands.svg` | the medians and bands against hours |
//! | `series.parquet` | every member's counts at every tick |
//! | `events.parquet` | every member's events (with `events`) |
//! | `scenario.toml` | the scenario as run, under the master seed |
//! | `manifest.json` | scenario, seeds, program version, files and timings |

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use outbreak_engine::prelude::*;
use outbreak_scenario::Scenario;
use serde_json::json;

use crate::bands::{bands, QUANTILE_NAMES};
use crate::error::EnsembleError;
use crate::member::{outcome_header, Keep, Member};
use crate::{format_value, member_seed, Progress, Unit};
use outbreak_output::outcome::Ending;
use outbreak_output::parquet::{Kind, Value, Writer};

/// File names of an ensemble folder.
pub mod files {
    /// Per-member seeds and outcomes, one row a member.
    pub const MEMBERS: &str = "members.csv";
    /// Mean and quantiles of each state at each tick.
    pub const BANDS: &str = "bands.csv";
    /// The medians and bands of every state against hours.
    pub const BANDS_SVG: &str = "bands.svg";
    /// Every member's counts of each state at every tick.
    pub const SERIES: &str = "series.parquet";
    /// Every member's events; written only when events are kept.
    pub const EVENTS: &str = "events.parquet";
    /// The scenario as run, under the master seed.
    pub const SCENARIO: &str = "scenario.toml";
    /// Scenario, seeds, program version, files written and timings.
    pub const MANIFEST: &str = "manifest.json";
}

/// Most memory the members' counts may take (they are all held to work out the bands).
pub const MAX_SERIES_BYTES: u64 = 4 << 30;

/// What to run.
#[derive(Clone, Debug)]
pub struct EnsembleSpec {
    /// The scenario, `--set` applied; its seed is the master seed.
    pub scenario: Scenario,
    /// How it was named on the command line (a built-in or a path), and the `--set`s.
    pub source: String,
    /// The `--set KEY=VALUE` overrides as given, in order (recorded in the manifest).
    pub sets: Vec<String>,
    /// Number of members (`--runs`); at least 1.
    pub runs: u32,
    /// Keep every member's events (`events.parquet`).
    pub events: bool,
}

/// What an ensemble found, to print.
#[derive(Clone, Debug, PartialEq)]
pub struct EnsembleReport {
    /// Members in the ensemble.
    pub runs: u32,
    /// Members found finished in the work folder and not run again.
    pub resumed: u32,
    /// Members of each ending, in [`Ending::ALL`] order (overrun, eradicated, contained,
    /// unresolved).
    pub endings: [u32; 4],
    /// On worlds with an `edge` zone, members in which a zombie reached it.
    pub escaped: Option<u32>,
    /// Members that stopped before the duration because they had settled.
    pub stopped_settled: u32,
    /// `[5 %, median, 95 %]` of the members' peak zombies: members' own values (whole
    /// people).
    pub peak_zombies: [f64; 3],
    /// `[5 %, median, 95 %]` of the survivors at the end (susceptible people and hambies):
    /// members' own values.
    pub survivors: [f64; 3],
    /// Wall time of this invocation.
    pub wall: Duration,
}

impl std::fmt::Display for EnsembleReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let held = self.endings[1] + self.endings[2];
        let [lo, hi] = wilson(held, self.runs);
        let pct = |k: u32| 100.0 * f64::from(k) / f64::from(self.runs.max(1));
        let q = |v: [f64; 3]| {
            format!(
                "{} (5–95 %: {}–{})",
                format_value(v[1]),
                format_value(v[0]),
                format_value(v[2])
            )
        };
        writeln!(
            f,
            "{} members: outbreak over with humans left in {} ({:.1} %, 95 % interval {:.1}–{:.1} %)",
            self.runs,
            held,
            pct(held),
            100.0 * lo,
            100.0 * hi
        )?;
        let parts: Vec<String> = Ending::ALL
            .iter()
            .zip(self.endings)
            .map(|(e, k)| format!("{} {k} ({:.1} %)", e.as_str(), pct(k)))
            .collect();
        writeln!(f, "{}", parts.join(", "))?;
        if let Some(k) = self.escaped {
            writeln!(f, "escaped to the edge in {k} ({:.1} %)", pct(k))?;
        }
        if self.stopped_settled > 0 {
            writeln!(f, "{} members stopped early, settled", self.stopped_settled)?;
        }
        writeln!(f, "peak zombies {}", q(self.peak_zombies))?;
        writeln!(f, "survivors {}", q(self.survivors))?;
        let ran = self.runs - self.resumed;
        crate::write_rate(f, ran, self.resumed, self.wall, ("members run", "members"))
    }
}

/// The Wilson score interval (95 %) of a proportion `k` of `n`.
pub fn wilson(k: u32, n: u32) -> [f64; 2] {
    if n == 0 {
        return [0.0, 1.0];
    }
    let (n, p, z) = (f64::from(n), f64::from(k) / f64::from(n), 1.959_964);
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z / (1.0 + z * z / n) * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    [(centre - half).max(0.0), (centre + half).min(1.0)]
}

/// The job's description in the work folder: everything that fixes the outputs.
fn job(spec: &EnsembleSpec, keep: Keep) -> String {
    json!({
        "command": "ensemble",
        "version": env!("CARGO_PKG_VERSION"),
        "scenario": spec.scenario.to_toml(),
        "inputs": crate::input_digest(&spec.scenario),
        "runs": spec.runs,
        "keep": keep,
    })
    .to_string()
}

impl EnsembleSpec {
    /// The arguments as a shard folder keeps them, to run the job again ([`crate::collect`]).
    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "scenario": self.scenario.to_toml(),
            "name": self.scenario.name,
            "source": self.source,
            "set": self.sets,
            "runs": self.runs,
            "events": self.events,
        })
    }

    /// The arguments [`EnsembleSpec::to_json`] kept.
    pub fn from_json(v: &serde_json::Value) -> Result<EnsembleSpec, EnsembleError> {
        let damaged =
            || EnsembleError::Bad("the shards' description of the ensemble is damaged".into());
        let text = |key: &str| v[key].as_str().ok_or_else(damaged);
        let sets = v["set"]
            .as_array()
            .ok_or_else(damaged)?
            .iter()
            .map(|s| s.as_str().map(str::to_string).ok_or_else(damaged))
            .collect::<Result<_, _>>()?;
        Ok(EnsembleSpec {
            scenario: Scenario::from_str(text("scenario")?, text("name")?, &[])?,
            source: text("source")?.to_string(),
            sets,
            runs: v["runs"]
                .as_u64()
                .and_then(|r| u32::try_from(r).ok())
                .ok_or_else(damaged)?,
            events: v["events"].as_bool().ok_or_else(damaged)?,
        })
    }
}

/// What an ensemble runs, checked: its description, its members, what each keeps, and the
/// names of the world's places.
struct Plan {
    job: String,
    units: Vec<Unit>,
    keep: Keep,
    places: Vec<String>,
}

fn plan(spec: &EnsembleSpec, out: Option<(&Path, bool)>) -> Result<Plan, EnsembleError> {
    if spec.runs == 0 {
        return Err(EnsembleError::Bad("--runs must be at least 1".into()));
    }
    // Every member's counts at every tick are held for the bands: refuse what would not fit.
    let ticks = u64::from(spec.scenario.params.run.duration_ticks) + 1;
    let bytes = u64::from(spec.runs)
        .saturating_mul(ticks)
        .saturating_mul(std::mem::size_of::<[u32; STATES]>() as u64);
    if bytes > MAX_SERIES_BYTES {
        return Err(EnsembleError::Bad(format!(
            "{} members of {ticks} ticks need {:.1} GiB to hold their counts for the bands \
             (at most {} GiB): use fewer --runs, or longer ticks (run.tick_minutes)",
            spec.runs,
            bytes as f64 / (1u64 << 30) as f64,
            MAX_SERIES_BYTES >> 30
        )));
    }
    if let Some((out, force)) = out {
        outbreak_output::check_out(out, force)?;
    }
    // Build once first: a scenario that does not build fails before any work starts.
    let places = spec.scenario.build()?.world.places.name;
    let keep = Keep {
        series: true,
        events: spec.events,
    };
    let master = spec.scenario.params.run.seed;
    let units: Vec<Unit> = (0..spec.runs)
        .map(|k| Unit {
            point: 0,
            unit: k,
            seed: member_seed(master, k),
        })
        .collect();
    Ok(Plan {
        job: job(spec, keep),
        units,
        keep,
        places,
    })
}

/// The job's description (as its work folder and its shards hold it).
pub(crate) fn job_of(spec: &EnsembleSpec) -> String {
    job(
        spec,
        Keep {
            series: true,
            events: spec.events,
        },
    )
}

/// Runs shard `shard` of the ensemble and publishes its shard folder at `out` (see
/// [`crate::shard`]).
pub fn run_shard(
    spec: &EnsembleSpec,
    out: &Path,
    force: bool,
    shard: crate::shard::Shard,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<crate::shard::ShardReport, EnsembleError> {
    let p = plan(spec, Some((out, force)))?;
    let job = crate::shard::JobOf {
        command: "ensemble",
        spec: spec.to_json(),
        job: &p.job,
    };
    let scenarios = std::slice::from_ref(&spec.scenario);
    crate::shard::run(
        out, force, &job, shard, scenarios, &p.units, p.keep, progress,
    )
}

/// On a rank other than 0 of an MPI job: runs the members rank 0 sends (see
/// [`crate::cluster`]).
#[cfg(feature = "mpi")]
pub fn serve(spec: &EnsembleSpec) -> Result<(), EnsembleError> {
    let p = plan(spec, None)?;
    crate::cluster::serve(std::slice::from_ref(&spec.scenario), &p.units, p.keep)
}

/// Runs the ensemble (continuing it from its work folder if it was interrupted) and
/// publishes its folder at `out`.
pub fn run(
    spec: &EnsembleSpec,
    out: &Path,
    force: bool,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<EnsembleReport, EnsembleError> {
    run_given(spec, out, force, progress, Vec::new())
}

/// As [`run`], with `given` taken as finished (the members of shards being collected).
pub(crate) fn run_given(
    spec: &EnsembleSpec,
    out: &Path,
    force: bool,
    progress: &(dyn Fn(Progress) + Sync),
    given: Vec<Member>,
) -> Result<EnsembleReport, EnsembleError> {
    let Plan {
        job,
        units,
        keep,
        places,
    } = plan(spec, Some((out, force)))?;
    let scenarios = std::slice::from_ref(&spec.scenario);
    let (work, done) =
        crate::start_given(out, force, &job, (scenarios, &units, keep), given, progress)?;
    let timings = done.timings("members");
    let members = done.members;
    crate::publish(out, force, work, |dir| {
        write_folder(dir, spec, &members, &places, timings)
    })?;
    let column = |f: &dyn Fn(&Member) -> u64| {
        let mut v: Vec<f64> = members.iter().map(|m| f(m) as f64).collect();
        v.sort_by(f64::total_cmp);
        [0.05, 0.5, 0.95].map(|p| crate::bands::member_quantile(&v, p))
    };
    Ok(EnsembleReport {
        runs: spec.runs,
        resumed: done.resumed,
        endings: Ending::ALL
            .map(|e| members.iter().filter(|m| m.outcome.ending == e).count() as u32),
        escaped: members.first().and_then(|m| m.outcome.escaped).map(|_| {
            members
                .iter()
                .filter(|m| m.outcome.escaped == Some(true))
                .count() as u32
        }),
        stopped_settled: members.iter().filter(|m| m.outcome.stopped_settled).count() as u32,
        peak_zombies: column(&|m| m.outcome.peak_zombies),
        survivors: column(&|m| m.outcome.survivors()),
        wall: done.wall,
    })
}

fn write_folder(
    dir: &Path,
    spec: &EnsembleSpec,
    members: &[Member],
    places: &[String],
    timings: serde_json::Value,
) -> Result<(), EnsembleError> {
    let tick_minutes = spec.scenario.params.run.tick_minutes;
    let path = dir.join(files::SCENARIO);
    std::fs::write(&path, spec.scenario.to_toml()).map_err(EnsembleError::io("write", &path))?;

    // members.csv
    let path = dir.join(files::MEMBERS);
    let mut w = csv::Writer::from_path(&path).map_err(|e| EnsembleError::write(&path, e))?;
    let mut header = vec!["member", "seed"];
    header.extend(outcome_header());
    w.write_record(&header)
        .map_err(|e| EnsembleError::write(&path, e))?;
    for m in members {
        let mut row = vec![m.unit.to_string(), m.seed.to_string()];
        row.extend(m.outcome.fields(tick_minutes));
        w.write_record(&row)
            .map_err(|e| EnsembleError::write(&path, e))?;
    }
    w.flush().map_err(EnsembleError::io("write", &path))?;

    // bands.csv and bands.svg
    let b = bands(members);
    let path = dir.join(files::BANDS);
    let mut f = std::io::BufWriter::new(
        std::fs::File::create(&path).map_err(EnsembleError::io("create", &path))?,
    );
    let mut text = String::from("tick,minutes,state,mean");
    for q in QUANTILE_NAMES {
        text.push(',');
        text.push_str(q);
    }
    writeln!(f, "{text}").map_err(EnsembleError::io("write", &path))?;
    for (t, row) in b.iter().enumerate() {
        let minutes = format_value(t as f64 * tick_minutes);
        for (s, band) in row.iter().enumerate() {
            let mut line = format!(
                "{t},{minutes},{},{}",
                Health::ALL[s].as_str(),
                format_value(band.mean)
            );
            for q in band.q {
                line.push(',');
                line.push_str(&format_value(q));
            }
            writeln!(f, "{line}").map_err(EnsembleError::io("write", &path))?;
        }
    }
    f.flush().map_err(EnsembleError::io("write", &path))?;
    outbreak_report::write_ensemble_pictures(dir)
        .map_err(|e| EnsembleError::write(&dir.join(files::BANDS_SVG), e))?;

    // series.parquet
    let path = dir.join(files::SERIES);
    let mut schema = vec![
        ("member", Kind::U32),
        ("seed", Kind::U64),
        ("tick", Kind::U32),
        ("minutes", Kind::F64),
    ];
    schema.extend(Health::ALL.iter().map(|h| (h.as_str(), Kind::U32)));
    let mut w = Writer::create(&path, "series", &schema)?;
    for m in members {
        for (t, counts) in m.series.iter().enumerate() {
            let mut row = vec![
                Value::U32(m.unit),
                Value::U64(m.seed),
                Value::U32(t as u32),
                Value::F64(t as f64 * tick_minutes),
            ];
            row.extend(counts.iter().map(|&c| Value::U32(c)));
            w.push(&row)?;
        }
    }
    w.finish()?;

    // events.parquet
    let mut outputs = vec![
        files::SCENARIO,
        files::MEMBERS,
        files::BANDS,
        files::BANDS_SVG,
        files::SERIES,
    ];
    if spec.events {
        let path = dir.join(files::EVENTS);
        let schema = [
            ("member", Kind::U32),
            ("tick", Kind::U32),
            ("minutes", Kind::F64),
            ("event", Kind::Text),
            ("agent", Kind::U32),
            ("other", Kind::OptU32),
            ("place", Kind::OptU32),
            ("place_name", Kind::OptText),
        ];
        let mut w = Writer::create(&path, "events", &schema)?;
        for m in members {
            for e in &m.events {
                let known = |id: u32| (id != u32::MAX).then_some(id);
                let place_name = places.get(e.place as usize).map(String::as_str);
                w.push(&[
                    Value::U32(m.unit),
                    Value::U32(e.tick),
                    Value::F64(f64::from(e.tick) * tick_minutes),
                    Value::Text(&e.kind),
                    Value::U32(e.agent),
                    Value::OptU32(known(e.other)),
                    Value::OptU32(known(e.place)),
                    Value::OptText(place_name),
                ])?;
            }
        }
        w.finish()?;
        outputs.push(files::EVENTS);
    }

    // manifest.json
    let master = spec.scenario.params.run.seed;
    let manifest = json!({
        "program": "outbreak",
        "version": env!("CARGO_PKG_VERSION"),
        "command": "ensemble",
        "scenario": {
            "name": spec.scenario.name,
            "source": spec.source,
            "set": spec.sets,
            "file": files::SCENARIO,
        },
        "runs": spec.runs,
        "master_seed": master,
        "seeds": {
            "rule": "member 0 runs under the master seed; member k under SplitMix64(SplitMix64(master) xor k) with the top bit cleared; `outbreak run SCENARIO --seed SEED` repeats a member",
            "members": members.iter().map(|m| m.seed).collect::<Vec<_>>(),
        },
        "tick_minutes": tick_minutes,
        "files": outputs,
        "timings": timings,
    });
    let path = dir.join(files::MANIFEST);
    let mut text =
        serde_json::to_string_pretty(&manifest).map_err(|e| EnsembleError::write(&path, e))?;
    text.push('\n');
    std::fs::write(&path, text).map_err(EnsembleError::io("write", &path))?;
    Ok(())
}
