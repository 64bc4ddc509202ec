//! Shards: a job split into `N` parts that run anywhere — the tasks of a cluster's job
//! array, a shell loop, other machines — each into its own folder, then collected into the
//! folder one machine writes, byte for byte (`manifest.json`'s timings aside).
//!
//! Shard `K` of `N` runs the units (members; runs of a sweep) whose number is `K` modulo
//! `N`, so that every shard gets the same share of every grid point. It works like a whole
//! job (a work folder beside its output, resumable), and publishes a **shard folder**:
//! `shard.json` (what job it is part of, which shard, and the job's arguments) and
//! `units/NNNNNNNN.json`, one finished unit each. [`read`] checks a set of shard folders —
//! every shard of one job, once each, each whole — and gives the units in order;
//! [`crate::collect`] then finishes the job from them as a job resumed from its work folder.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::error::EnsembleError;
use crate::member::{Keep, Member};
use crate::{Progress, Unit};
use outbreak_scenario::Scenario;

/// The description of a shard folder.
pub const SHARD_FILE: &str = "shard.json";

/// The folder of a shard's units.
pub const UNITS: &str = "units";

/// Most shards a job splits into.
pub const MAX_SHARDS: u32 = 100_000;

/// Which part of a job a shard runs: `k` of `n` (from 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// This shard, 0 to `n - 1`.
    pub k: u32,
    /// The shards of the job.
    pub n: u32,
}

impl Shard {
    /// Parses `K/N` (`$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT`).
    pub fn parse(s: &str) -> Result<Shard, String> {
        let bad = || {
            format!("`{s}`: expected K/N, shard K (0 to N-1) of N shards, N at most {MAX_SHARDS}")
        };
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n): (u32, u32) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if n == 0 || n > MAX_SHARDS || k >= n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }

    /// Whether unit `unit` of the job is this shard's.
    pub fn holds(&self, unit: u32) -> bool {
        unit % self.n == self.k
    }
}

/// A job as its shards describe it.
#[derive(Clone, Debug)]
pub struct JobOf<'a> {
    /// `ensemble` or `sweep`.
    pub command: &'static str,
    /// The job's arguments, from which [`crate::collect`] runs it again.
    pub spec: serde_json::Value,
    /// The job's description in its work folder: everything that fixes its results.
    pub job: &'a str,
}

/// What a shard did, to print.
#[derive(Clone, Debug, PartialEq)]
pub struct ShardReport {
    /// The shard.
    pub shard: Shard,
    /// Its units.
    pub units: u32,
    /// The job's units.
    pub total: u32,
    /// Units found finished in its work folder and not run again.
    pub resumed: u32,
    /// Wall time of this invocation.
    pub wall: Duration,
}

impl std::fmt::Display for ShardReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "shard {} of {}: {} of the job's {} runs (`outbreak collect OUT SHARD_DIR...` merges the shards)",
            self.shard.k, self.shard.n, self.units, self.total
        )?;
        crate::write_rate(
            f,
            self.units - self.resumed,
            self.resumed,
            self.wall,
            ("runs", "runs"),
        )
    }
}

/// Runs shard `shard` of the job whose units are `units` and publishes its shard folder
/// at `out`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn run(
    out: &Path,
    force: bool,
    job: &JobOf<'_>,
    shard: Shard,
    scenarios: &[Scenario],
    units: &[Unit],
    keep: Keep,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<ShardReport, EnsembleError> {
    let mine: Vec<Unit> = units
        .iter()
        .filter(|u| shard.holds(u.unit))
        .copied()
        .collect();
    let work_job = json!({ "shard": [shard.k, shard.n], "job": job.job }).to_string();
    let started = Instant::now();
    let (work, done) = crate::start(out, force, &work_job, scenarios, &mine, keep, progress)?;
    let description = json!({
        "program": "outbreak",
        "version": env!("CARGO_PKG_VERSION"),
        "command": job.command,
        "shard": shard.k,
        "of": shard.n,
        "units": units.len(),
        "spec": job.spec,
        "job": job.job,
    });
    crate::publish(out, force, work, |dir| {
        let folder = dir.join(UNITS);
        std::fs::create_dir_all(&folder).map_err(EnsembleError::io("create", &folder))?;
        for m in &done.members {
            let path = folder.join(unit_file(m.unit));
            let bytes = serde_json::to_vec(m).map_err(|e| EnsembleError::write(&path, e))?;
            std::fs::write(&path, bytes).map_err(EnsembleError::io("write", &path))?;
        }
        let path = dir.join(SHARD_FILE);
        let mut text = serde_json::to_string_pretty(&description)
            .map_err(|e| EnsembleError::write(&path, e))?;
        text.push('\n');
        std::fs::write(&path, text).map_err(EnsembleError::io("write", &path))
    })?;
    Ok(ShardReport {
        shard,
        units: mine.len() as u32,
        total: units.len() as u32,
        resumed: done.resumed,
        wall: started.elapsed(),
    })
}

fn unit_file(unit: u32) -> String {
    format!("{unit:08}.json")
}

/// A whole set of shard folders, read.
#[derive(Debug)]
pub struct Shards {
    /// `ensemble` or `sweep`.
    pub command: String,
    /// The job's arguments.
    pub spec: serde_json::Value,
    /// The job's description.
    pub job: String,
    /// Every unit of the job, in order.
    pub members: Vec<Member>,
}

/// One shard folder's description.
struct Described {
    dir: PathBuf,
    command: String,
    k: u32,
    n: u32,
    units: u32,
    spec: serde_json::Value,
    job: String,
}

fn describe(dir: &Path) -> Result<Described, EnsembleError> {
    let file = dir.join(SHARD_FILE);
    let bad = |why: String| EnsembleError::Bad(format!("{}: {why}", dir.display()));
    if !file.is_file() {
        let work = crate::work::work_dir(dir)?;
        if work.join(UNITS).is_dir() {
            let done = std::fs::read_dir(work.join(UNITS)).map_or(0, Iterator::count);
            return Err(bad(format!(
                "an unfinished shard ({done} runs finished in {}): run its command again to finish it",
                work.display()
            )));
        }
        return Err(bad(format!(
            "not a shard folder (no {SHARD_FILE}; `outbreak ensemble|sweep ... --shard K/N` writes one)"
        )));
    }
    let text = std::fs::read_to_string(&file).map_err(EnsembleError::io("read", &file))?;
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| bad(format!("{SHARD_FILE} is damaged: {e}")))?;
    let number = |key: &str| {
        v[key]
            .as_u64()
            .and_then(|x| u32::try_from(x).ok())
            .ok_or_else(|| bad(format!("{SHARD_FILE} is damaged: no `{key}`")))
    };
    let (k, n, units) = (number("shard")?, number("of")?, number("units")?);
    let (Some(command), Some(job)) = (v["command"].as_str(), v["job"].as_str()) else {
        return Err(bad(format!("{SHARD_FILE} is damaged: no job")));
    };
    if k >= n {
        return Err(bad(format!("{SHARD_FILE} is damaged: shard {k} of {n}")));
    }
    Ok(Described {
        dir: dir.to_path_buf(),
        command: command.to_string(),
        k,
        n,
        units,
        spec: v["spec"].clone(),
        job: job.to_string(),
    })
}

/// Reads the shard folders `dirs`: they must be every shard of one job, each once, each
/// whole. Says which folder is missing, given twice, of another job or unfinished.
pub fn read(dirs: &[PathBuf]) -> Result<Shards, EnsembleError> {
    let Some(first) = dirs.first() else {
        return Err(EnsembleError::Bad("no shard folders given".into()));
    };
    let first = describe(first)?;
    let mut by_k: Vec<Option<PathBuf>> = vec![None; first.n as usize];
    let mut shards = Vec::with_capacity(dirs.len());
    for dir in dirs {
        let d = describe(dir)?;
        if d.job != first.job || d.command != first.command {
            return Err(EnsembleError::Bad(format!(
                "{}: a shard of another job than {} (another scenario, seed, --runs, grid or version)",
                d.dir.display(),
                first.dir.display()
            )));
        }
        if d.n != first.n {
            return Err(EnsembleError::Bad(format!(
                "{}: shard {} of {}, where {} is one of {}",
                d.dir.display(),
                d.k,
                d.n,
                first.dir.display(),
                first.n
            )));
        }
        if let Some(other) = &by_k[d.k as usize] {
            return Err(EnsembleError::Bad(format!(
                "shard {} of {} is given twice: {} and {}",
                d.k,
                d.n,
                other.display(),
                d.dir.display()
            )));
        }
        by_k[d.k as usize] = Some(d.dir.clone());
        shards.push(d);
    }
    let missing: Vec<String> = (0..first.n)
        .filter(|&k| by_k[k as usize].is_none())
        .map(|k| k.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(EnsembleError::Bad(format!(
            "shard{} {} of {} missing: collect needs every shard of the job",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", "),
            first.n
        )));
    }
    let mut members: Vec<Option<Member>> = vec![None; first.units as usize];
    for d in &shards {
        let shard = Shard { k: d.k, n: d.n };
        for unit in (0..first.units).filter(|&u| shard.holds(u)) {
            let path = d.dir.join(UNITS).join(unit_file(unit));
            let m = std::fs::read(&path)
                .ok()
                .and_then(|b| serde_json::from_slice::<Member>(&b).ok())
                .filter(|m| m.unit == unit)
                .ok_or_else(|| {
                    EnsembleError::Bad(format!(
                        "{}: shard {} of {} lacks run {unit} ({} is missing or damaged)",
                        d.dir.display(),
                        d.k,
                        d.n,
                        path.display()
                    ))
                })?;
            members[unit as usize] = Some(m);
        }
    }
    Ok(Shards {
        command: first.command,
        spec: first.spec,
        job: first.job,
        members: members.into_iter().flatten().collect(),
    })
}
