//! `outbreak sweep`: an ensemble at every point of a grid over one or two scenario keys.
//!
//! Every point runs the same member seeds (common random numbers: member `k` runs under
//! [`member_seed`]`(master, k)` at every point), so differences between points are the
//! parameter's, not the dice's — and neighbouring points' intervals are not independent.
//! With [`SweepSpec::independent`] every run has its own seed instead.
//!
//! | file | what |
//! |---|---|
//! | `runs.csv` | one row a run: point, the keys' values, run, seed, outcome |
//! | `points.csv` | one row a point: the keys' values and the outcome over its runs |
//! | `sweep.svg` | the share of runs over with humans left (eradicated or contained) against the key, or a phase diagram over two keys |
//! | `scenario.toml` | the scenario as run at the master seed, before the grid's values |
//! | `manifest.json` | scenario, grid, seeds, program version, files and timings |

use std::io::Write;
use std::path::Path;

use outbreak_scenario::{Origin, Scenario, ScenarioError};
use serde_json::json;

use crate::ensemble::wilson;
use crate::error::EnsembleError;
use crate::member::{outcome_header, Keep, Member};
use crate::{format_value, member_seed, Progress, Unit};
use outbreak_output::outcome::Ending;

/// File names of a sweep folder.
pub mod files {
    /// One row a run: point, the keys' values, run, seed and outcome.
    pub const RUNS: &str = "runs.csv";
    /// One row a point: the keys' values and the outcome over its runs.
    pub const POINTS: &str = "points.csv";
    /// The share of runs over with humans left against the key, or a phase diagram over
    /// two keys.
    pub const PLOT: &str = "sweep.svg";
    /// The scenario as run under the master seed, before the grid's values are set.
    pub const SCENARIO: &str = "scenario.toml";
    /// Scenario, grid, seeds, program version, files written and timings.
    pub const MANIFEST: &str = "manifest.json";
}

/// Most steps along one key.
pub const MAX_STEPS: u32 = 1_000;

/// Most runs of a sweep (points times runs a point).
pub const MAX_RUNS: u64 = 10_000_000;

/// Most points of a grid.
pub const MAX_POINTS: u64 = 10_000;

/// One `--vary KEY=START:END:STEPS`: `STEPS` evenly spaced values from `START` to `END`.
#[derive(Clone, Debug, PartialEq)]
pub struct Vary {
    /// The dotted scenario key to vary (as in `--set`), never `run.seed`.
    pub key: String,
    /// The values it takes, `START` to `END` inclusive, rounded to 13 significant digits; 1
    /// to [`MAX_STEPS`] of them.
    pub values: Vec<f64>,
    /// The argument as given, `KEY=START:END:STEPS`, which an error in a value names.
    pub arg: String,
}

impl Vary {
    /// Parses `KEY=START:END:STEPS`.
    pub fn parse(arg: &str) -> Result<Vary, EnsembleError> {
        let bad = |why: &str| {
            EnsembleError::Bad(format!(
                "--vary {arg}: {why}; expected KEY=START:END:STEPS, for example \
                 virus.kill_rate_per_hour=0.1:1.5:8"
            ))
        };
        let (key, range) = arg.split_once('=').ok_or_else(|| bad("no `=`"))?;
        let key = key.trim();
        if key.is_empty() || key.split('.').any(str::is_empty) {
            return Err(bad("not a dotted key"));
        }
        let parts: Vec<&str> = range.split(':').map(str::trim).collect();
        let [start, end, steps] = parts[..] else {
            return Err(bad("not three parts"));
        };
        let number = |s: &str, what: &str| {
            s.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| bad(&format!("{what} `{s}` is not a number")))
        };
        let (start, end) = (number(start, "START")?, number(end, "END")?);
        let steps: u32 = steps
            .parse()
            .ok()
            .filter(|n| (1..=MAX_STEPS).contains(n))
            .ok_or_else(|| {
                bad(&format!(
                    "STEPS `{steps}` is not a whole number from 1 to {MAX_STEPS}"
                ))
            })?;
        if steps == 1 && start != end {
            return Err(bad("one step needs START = END"));
        }
        if !(end - start).is_finite() {
            return Err(bad("START and END are too far apart"));
        }
        if key == "run.seed" {
            return Err(bad(
                "the seed is not a parameter to sweep: every point runs the same member seeds (set the master seed with --seed)",
            ));
        }
        // Evenly spaced, rounded to 13 significant digits so that decimal steps read as
        // written (0.0015, not 0.0015000000000000002) without losing small values.
        let values = (0..steps)
            .map(|i| match steps {
                1 => start,
                _ => start + (end - start) * f64::from(i) / f64::from(steps - 1),
            })
            .map(|v| format!("{v:.12e}").parse().unwrap_or(v))
            .collect();
        Ok(Vary {
            key: key.to_string(),
            values,
            arg: arg.to_string(),
        })
    }
}

/// What to run.
#[derive(Clone, Debug)]
pub struct SweepSpec {
    /// The scenario text, how it was named, the `--set`s (the seed among them).
    pub text: String,
    /// How the scenario was named on the command line (a built-in or a path).
    pub source: String,
    /// The `--set KEY=VALUE` overrides, applied before each point's values.
    pub sets: Vec<String>,
    /// One or two keys.
    pub vary: Vec<Vary>,
    /// Runs at each point (`--runs`), all points under the same member seeds; at least 1.
    pub runs: u32,
    /// Each run of the sweep under its own seed (run `u` under member `u`'s seed) rather
    /// than every point under the same ones: the points' intervals are then independent.
    pub independent: bool,
}

/// One point of the grid: its index, the values of the keys, its scenario.
#[derive(Clone, Debug)]
pub struct Point {
    /// Its place in the grid, first key slowest; run `k` of it is run `index * runs + k` of
    /// the sweep.
    pub index: u32,
    /// The value of each varied key at this point, in `--vary` order.
    pub values: Vec<f64>,
    /// The scenario with those values set.
    pub scenario: Scenario,
}

/// The outcome over one point's runs.
#[derive(Clone, Debug, PartialEq)]
pub struct PointSummary {
    /// The value of each varied key at the point, in `--vary` order.
    pub values: Vec<f64>,
    /// Runs at the point.
    pub runs: u32,
    /// Runs in which the outbreak was over with humans left: eradicated or contained.
    pub held: u32,
    /// Runs of each ending, in [`Ending::ALL`] order (overrun, eradicated, contained,
    /// unresolved).
    pub endings: [u32; 4],
    /// On worlds with an `edge` zone, runs in which a zombie reached it.
    pub escaped: Option<u32>,
    /// Survivors at the end (susceptible people and hambies), averaged over the runs.
    pub survivors_mean: f64,
    /// Median of the runs' peak zombies (a run's own value: whole people).
    pub peak_zombies_median: f64,
    /// Agents in the world, counted over every state at the end of its first run (0 with no
    /// runs).
    pub population: u64,
}

/// The grid's points, each scenario read with the point's values set (first key slowest).
pub fn points(spec: &SweepSpec) -> Result<Vec<Point>, EnsembleError> {
    match spec.vary.len() {
        1 | 2 => {}
        _ => return Err(EnsembleError::Bad("give one or two --vary".into())),
    }
    if spec.vary.len() == 2 && spec.vary[0].key == spec.vary[1].key {
        return Err(EnsembleError::Bad(format!(
            "--vary {} is given twice",
            spec.vary[0].key
        )));
    }
    let mut grid: Vec<Vec<f64>> = vec![Vec::new()];
    for v in &spec.vary {
        grid = grid
            .into_iter()
            .flat_map(|head| {
                v.values.iter().map(move |&x| {
                    let mut p = head.clone();
                    p.push(x);
                    p
                })
            })
            .collect();
    }
    grid.into_iter()
        .enumerate()
        .map(|(i, values)| {
            let at: Vec<String> = spec
                .vary
                .iter()
                .zip(&values)
                .map(|(v, &x)| format!("{}={x}", v.key))
                .collect();
            let mut sets = spec.sets.clone();
            sets.extend(at.iter().cloned());
            let scenario = Scenario::from_str(&spec.text, &spec.source, &sets)
                .map_err(|e| in_vary(e, &spec.vary, &at))?;
            Ok(Point {
                index: i as u32,
                values,
                scenario,
            })
        })
        .collect()
}

/// An error in one of a point's values (`at`, one `KEY=VALUE` a `--vary`) as the error of
/// that `--vary`; any other error as it is.
fn in_vary(e: ScenarioError, vary: &[Vary], at: &[String]) -> ScenarioError {
    let Origin::Set { arg } = &e.origin else {
        return e;
    };
    match at.iter().position(|a| a == arg) {
        Some(i) => {
            let (file, key) = (e.file.clone(), e.key.clone());
            ScenarioError::in_vary(&file, &vary[i].arg, &key, *e.kind)
        }
        None => e,
    }
}

/// What a sweep found, to print.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepReport {
    /// The varied keys, in `--vary` order.
    pub keys: Vec<String>,
    /// The outcome at each point, in grid order.
    pub points: Vec<PointSummary>,
    /// Runs found finished in the work folder and not run again.
    pub resumed: u32,
    /// Runs in the whole sweep (points times runs a point).
    pub runs_total: u32,
    /// Wall time of this invocation.
    pub wall: std::time::Duration,
}

impl std::fmt::Display for SweepReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for k in &self.keys {
            write!(f, "{k:>24} ")?;
        }
        writeln!(
            f,
            "{:>9} {:>11} {:>10} {:>8} {:>11} {:>8} {:>10}",
            "held", "eradicated", "contained", "overrun", "unresolved", "escaped", "survivors"
        )?;
        let decimals: Vec<usize> = (0..self.keys.len())
            .map(|k| {
                let column: Vec<f64> = self
                    .points
                    .iter()
                    .filter_map(|p| p.values.get(k).copied())
                    .collect();
                table_decimals(&column)
            })
            .collect();
        for p in &self.points {
            for (v, &d) in p.values.iter().zip(&decimals) {
                write!(f, "{:>24} ", round_to(*v, d))?;
            }
            let pct = |k: u32| format!("{:.1}%", 100.0 * f64::from(k) / f64::from(p.runs.max(1)));
            let [overrun, eradicated, contained, unresolved] = p.endings.map(pct);
            let escaped = p.escaped.map(pct).unwrap_or_else(|| "—".into());
            writeln!(
                f,
                "{:>9} {eradicated:>11} {contained:>10} {overrun:>8} {unresolved:>11} {escaped:>8} {:>10.1}",
                pct(p.held),
                p.survivors_mean
            )?;
        }
        let ran = self.runs_total - self.resumed;
        crate::write_rate(f, ran, self.resumed, self.wall, ("runs", "runs"))
    }
}

/// The decimals a column of a key's values is shown with, as a person would write them:
/// enough for three significant digits of the smallest gap between values, and all those
/// of its least and greatest values (START and END as written).
fn table_decimals(column: &[f64]) -> usize {
    let written = |v: f64| {
        let s = v.to_string();
        s.split_once('.').map_or(0, |(_, d)| d.len())
    };
    let mut sorted: Vec<f64> = column.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.dedup();
    let ends = match (sorted.first(), sorted.last()) {
        (Some(&lo), Some(&hi)) => written(lo).max(written(hi)),
        _ => 0,
    };
    let gap = sorted
        .windows(2)
        .map(|w| w[1] - w[0])
        .fold(f64::INFINITY, f64::min);
    let for_gap = if gap.is_finite() && gap > 0.0 {
        (2.0 - gap.log10().floor()).max(0.0) as usize
    } else {
        0
    };
    ends.max(for_gap).min(17)
}

/// `v` rounded to `decimals` decimals, in its shortest form (no trailing zeros).
fn round_to(v: f64, decimals: usize) -> f64 {
    format!("{v:.decimals$}").parse().unwrap_or(v)
}

/// What a sweep runs, checked: its points, its base scenario, its runs, and its
/// description.
struct Plan {
    points: Vec<Point>,
    base: Scenario,
    units: Vec<Unit>,
    keep: Keep,
    job: String,
}

fn plan(spec: &SweepSpec, out: Option<(&Path, bool)>) -> Result<Plan, EnsembleError> {
    if spec.runs == 0 {
        return Err(EnsembleError::Bad("--runs must be at least 1".into()));
    }
    let grid: u64 = spec.vary.iter().map(|v| v.values.len() as u64).product();
    if grid > MAX_POINTS {
        return Err(EnsembleError::Bad(format!(
            "{grid} points is over {MAX_POINTS}: use fewer STEPS"
        )));
    }
    if grid * u64::from(spec.runs) > MAX_RUNS {
        return Err(EnsembleError::Bad(format!(
            "{grid} points of {} runs is over {MAX_RUNS} runs: use fewer STEPS or --runs",
            spec.runs
        )));
    }
    let points = points(spec)?;
    if let Some((out, force)) = out {
        outbreak_output::check_out(out, force)?;
    }
    let base = Scenario::from_str(&spec.text, &spec.source, &spec.sets)?;
    points[0].scenario.build()?;
    let master = base.params.run.seed;
    let units: Vec<Unit> = points
        .iter()
        .flat_map(|p| {
            (0..spec.runs).map(move |k| {
                let unit = p.index * spec.runs + k;
                Unit {
                    point: p.index,
                    unit,
                    seed: member_seed(master, if spec.independent { unit } else { k }),
                }
            })
        })
        .collect();
    let keep = Keep {
        series: false,
        events: false,
    };
    let mut job = json!({
        "command": "sweep",
        "version": env!("CARGO_PKG_VERSION"),
        "scenarios": points.iter().map(|p| p.scenario.to_toml()).collect::<Vec<_>>(),
        "inputs": crate::input_digest(&base),
        "runs": spec.runs,
        "keep": keep,
    });
    if spec.independent {
        job["independent"] = true.into();
    }
    let job = job.to_string();
    Ok(Plan {
        points,
        base,
        units,
        keep,
        job,
    })
}

/// The job's description (as its work folder and its shards hold it).
pub(crate) fn job_of(spec: &SweepSpec) -> Result<String, EnsembleError> {
    Ok(plan(spec, None)?.job)
}

impl SweepSpec {
    /// The arguments as a shard folder keeps them, to run the job again ([`crate::collect`]).
    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "text": self.text,
            "source": self.source,
            "set": self.sets,
            "vary": self.vary.iter().map(|v| v.arg.clone()).collect::<Vec<_>>(),
            "runs": self.runs,
            "independent": self.independent,
        })
    }

    /// The arguments [`SweepSpec::to_json`] kept.
    pub fn from_json(v: &serde_json::Value) -> Result<SweepSpec, EnsembleError> {
        let damaged =
            || EnsembleError::Bad("the shards' description of the sweep is damaged".into());
        let text = |key: &str| v[key].as_str().map(str::to_string).ok_or_else(damaged);
        let list = |key: &str| -> Result<Vec<String>, EnsembleError> {
            v[key]
                .as_array()
                .ok_or_else(damaged)?
                .iter()
                .map(|s| s.as_str().map(str::to_string).ok_or_else(damaged))
                .collect()
        };
        Ok(SweepSpec {
            text: text("text")?,
            source: text("source")?,
            sets: list("set")?,
            vary: list("vary")?
                .iter()
                .map(|a| Vary::parse(a))
                .collect::<Result<_, _>>()?,
            runs: v["runs"]
                .as_u64()
                .and_then(|r| u32::try_from(r).ok())
                .ok_or_else(damaged)?,
            independent: v["independent"].as_bool().unwrap_or(false),
        })
    }
}

/// Runs shard `shard` of the sweep and publishes its shard folder at `out` (see
/// [`crate::shard`]).
pub fn run_shard(
    spec: &SweepSpec,
    out: &Path,
    force: bool,
    shard: crate::shard::Shard,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<crate::shard::ShardReport, EnsembleError> {
    let p = plan(spec, Some((out, force)))?;
    let job = crate::shard::JobOf {
        command: "sweep",
        spec: spec.to_json(),
        job: &p.job,
    };
    let scenarios: Vec<Scenario> = p.points.iter().map(|q| q.scenario.clone()).collect();
    crate::shard::run(
        out, force, &job, shard, &scenarios, &p.units, p.keep, progress,
    )
}

/// On a rank other than 0 of an MPI job: runs the runs rank 0 sends (see
/// [`crate::cluster`]).
#[cfg(feature = "mpi")]
pub fn serve(spec: &SweepSpec) -> Result<(), EnsembleError> {
    let p = plan(spec, None)?;
    let scenarios: Vec<Scenario> = p.points.iter().map(|q| q.scenario.clone()).collect();
    crate::cluster::serve(&scenarios, &p.units, p.keep)
}

/// Runs the sweep (continuing it from its work folder if it was interrupted) and publishes
/// its folder at `out`.
pub fn run(
    spec: &SweepSpec,
    out: &Path,
    force: bool,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<SweepReport, EnsembleError> {
    run_given(spec, out, force, progress, Vec::new())
}

/// As [`run`], with `given` taken as finished (the members of shards being collected).
pub(crate) fn run_given(
    spec: &SweepSpec,
    out: &Path,
    force: bool,
    progress: &(dyn Fn(Progress) + Sync),
    given: Vec<Member>,
) -> Result<SweepReport, EnsembleError> {
    let Plan {
        points,
        base,
        units,
        keep,
        job,
    } = plan(spec, Some((out, force)))?;
    let scenarios: Vec<Scenario> = points.iter().map(|p| p.scenario.clone()).collect();
    let job_units = (scenarios.as_slice(), units.as_slice(), keep);
    let (work, done) = crate::start_given(out, force, &job, job_units, given, progress)?;
    let summaries: Vec<PointSummary> = points
        .iter()
        .map(|p| {
            summarise(
                p,
                &done.members[(p.index * spec.runs) as usize..][..spec.runs as usize],
            )
        })
        .collect();
    let timings = done.timings("runs");
    crate::publish(out, force, work, |dir| {
        write_folder(
            dir,
            spec,
            &base,
            &points,
            &done.members,
            &summaries,
            timings,
        )
    })?;
    Ok(SweepReport {
        keys: spec.vary.iter().map(|v| v.key.clone()).collect(),
        points: summaries,
        resumed: done.resumed,
        runs_total: units.len() as u32,
        wall: done.wall,
    })
}

fn summarise(p: &Point, runs: &[Member]) -> PointSummary {
    let n = runs.len().max(1) as f64;
    let mut peaks: Vec<f64> = runs.iter().map(|m| m.outcome.peak_zombies as f64).collect();
    peaks.sort_by(f64::total_cmp);
    PointSummary {
        values: p.values.clone(),
        runs: runs.len() as u32,
        held: runs.iter().filter(|m| m.outcome.held()).count() as u32,
        endings: Ending::ALL.map(|e| runs.iter().filter(|m| m.outcome.ending == e).count() as u32),
        escaped: runs.first().and_then(|m| m.outcome.escaped).map(|_| {
            runs.iter()
                .filter(|m| m.outcome.escaped == Some(true))
                .count() as u32
        }),
        survivors_mean: runs
            .iter()
            .map(|m| m.outcome.survivors() as f64)
            .sum::<f64>()
            / n,
        peak_zombies_median: crate::bands::member_quantile(&peaks, 0.5),
        population: runs
            .first()
            .map_or(0, |m| m.outcome.final_counts.iter().sum()),
    }
}

/// The manifest's account of the seeds: the same at every point, or each run its own.
fn seeds(spec: &SweepSpec, master: u64, members: &[Member]) -> serde_json::Value {
    if spec.independent {
        return json!({
            "independent": true,
            "rule": "run u of the sweep (point p, run k: u = p × runs + k) runs under the seed of ensemble member u: the master seed for u = 0, else SplitMix64(SplitMix64(master) xor u) with the top bit cleared",
            "runs": members.iter().map(|m| m.seed).collect::<Vec<_>>(),
        });
    }
    json!({
        "independent": false,
        "rule": "run k of every point runs under the seed of ensemble member k: the master seed for k = 0, else SplitMix64(SplitMix64(master) xor k) with the top bit cleared",
        "runs": (0..spec.runs).map(|k| member_seed(master, k)).collect::<Vec<_>>(),
    })
}

fn write_folder(
    dir: &Path,
    spec: &SweepSpec,
    base: &Scenario,
    points: &[Point],
    members: &[Member],
    summaries: &[PointSummary],
    timings: serde_json::Value,
) -> Result<(), EnsembleError> {
    let keys: Vec<&str> = spec.vary.iter().map(|v| v.key.as_str()).collect();
    let path = dir.join(files::SCENARIO);
    std::fs::write(&path, base.to_toml()).map_err(EnsembleError::io("write", &path))?;

    let path = dir.join(files::RUNS);
    let err = |e: csv::Error| EnsembleError::write(&path, e);
    let mut w = csv::Writer::from_path(&path).map_err(err)?;
    let mut header = vec!["point"];
    header.extend(&keys);
    header.extend(["run", "seed"]);
    header.extend(outcome_header());
    w.write_record(&header).map_err(err)?;
    for m in members {
        let p = &points[(m.unit / spec.runs) as usize];
        let tick_minutes = p.scenario.params.run.tick_minutes;
        let mut row = vec![p.index.to_string()];
        row.extend(p.values.iter().map(f64::to_string));
        row.extend([(m.unit % spec.runs).to_string(), m.seed.to_string()]);
        row.extend(m.outcome.fields(tick_minutes));
        w.write_record(&row).map_err(err)?;
    }
    w.flush().map_err(EnsembleError::io("write", &path))?;

    let path = dir.join(files::POINTS);
    let mut f = std::io::BufWriter::new(
        std::fs::File::create(&path).map_err(EnsembleError::io("create", &path))?,
    );
    let mut header = String::from("point");
    for k in &keys {
        header.push(',');
        header.push_str(k);
    }
    header.push_str(",runs,held,held_share,held_low95,held_high95,overrun_share,eradicated_share,contained_share,unresolved_share,escaped_share,escaped_low95,escaped_high95,survivors_mean,peak_zombies_median");
    writeln!(f, "{header}").map_err(EnsembleError::io("write", &path))?;
    for (i, s) in summaries.iter().enumerate() {
        let [lo, hi] = wilson(s.held, s.runs);
        let share = |k: u32| format_value(f64::from(k) / f64::from(s.runs.max(1)));
        let [overrun, eradicated, contained, unresolved] = s.endings.map(share);
        let escaped = match s.escaped {
            Some(k) => {
                let [lo, hi] = wilson(k, s.runs);
                format!("{},{},{}", share(k), format_value(lo), format_value(hi))
            }
            None => ",,".to_string(),
        };
        let mut line = i.to_string();
        for v in &s.values {
            line.push(',');
            line.push_str(&v.to_string());
        }
        line.push_str(&format!(
            ",{},{},{},{},{},{overrun},{eradicated},{contained},{unresolved},{escaped},{},{}",
            s.runs,
            s.held,
            share(s.held),
            format_value(lo),
            format_value(hi),
            format_value(s.survivors_mean),
            format_value(s.peak_zombies_median)
        ));
        writeln!(f, "{line}").map_err(EnsembleError::io("write", &path))?;
    }
    f.flush().map_err(EnsembleError::io("write", &path))?;

    outbreak_report::write_sweep_pictures(dir)
        .map_err(|e| EnsembleError::write(&dir.join(files::PLOT), e))?;

    let manifest = json!({
        "program": "outbreak",
        "version": env!("CARGO_PKG_VERSION"),
        "command": "sweep",
        "scenario": {
            "name": base.name,
            "source": spec.source,
            "set": spec.sets,
            "file": files::SCENARIO,
        },
        "vary": spec.vary.iter().map(|v| json!({
            "key": v.key,
            "values": v.values.iter().map(f64::to_string).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "points": points.len(),
        "runs_per_point": spec.runs,
        "master_seed": base.params.run.seed,
        "seeds": seeds(spec, base.params.run.seed, members),
        "files": [files::SCENARIO, files::RUNS, files::POINTS, files::PLOT],
        "timings": timings,
    });
    let path = dir.join(files::MANIFEST);
    let mut text =
        serde_json::to_string_pretty(&manifest).map_err(|e| EnsembleError::write(&path, e))?;
    text.push('\n');
    std::fs::write(&path, text).map_err(EnsembleError::io("write", &path))
}
