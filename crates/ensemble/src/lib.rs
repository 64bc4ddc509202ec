//! Ensembles and sweeps: many runs of a scenario, in parallel, resumable.
//!
//! - An **ensemble** runs one scenario under `N` seeds drawn from a master seed
//!   ([`member_seed`]) and writes per-member outcomes, per-tick quantile bands of every
//!   state, the members' time series and events as Parquet, and `bands.svg`
//!   ([`ensemble`]).
//! - A **sweep** runs an ensemble at every point of a grid over one or two scenario keys
//!   and writes one row per run and a plot of the outcome against the keys ([`sweep`]).
//!
//! Members run in parallel on the rayon pool; each member's result depends only on its
//! scenario and seed, and results are assembled in member order, so the outputs are the
//! same on any number of threads. Finished members are saved in a work folder as they
//! finish ([`work`]), so a job killed half-way and run again with the same arguments does
//! not redo them and ends with the same outputs.
#![warn(missing_docs)]

pub mod bands;
#[cfg(feature = "mpi")]
pub mod cluster;
pub mod ensemble;
pub mod error;
pub mod member;
pub mod shard;
pub mod sweep;
pub mod work;

use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

pub use error::EnsembleError;
pub use member::{Keep, Member, Outcome};
use outbreak_scenario::Scenario;
use work::Work;

/// The seed of member `k` of an ensemble whose master seed is `master`. Member 0 runs under
/// the master seed itself, so `outbreak run --seed MASTER` repeats it; the others under
/// SplitMix64 mixes of the master seed and `k`, kept below 2⁶³ so that every seed can be
/// written in a scenario file (`outbreak run --seed SEED` repeats any member).
pub fn member_seed(master: u64, k: u32) -> u64 {
    use outbreak_engine::rng::mix64;
    if k == 0 {
        return master;
    }
    mix64(mix64(master) ^ u64::from(k)) & (i64::MAX as u64)
}

/// One run of a job: which scenario (grid point), its number in the job, its seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unit {
    /// Index of the unit's scenario in the job's scenario list (the grid point of a sweep;
    /// 0 in an ensemble).
    pub point: u32,
    /// Its number in the job (member number, or run number of a sweep), which names its
    /// file in the work folder.
    pub unit: u32,
    /// The seed it runs under (see [`member_seed`]).
    pub seed: u64,
}

/// Progress of a job, as reported after each member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Members finished, including those found finished in the work folder.
    pub done: u32,
    /// Members in the whole job, finished or not.
    pub total: u32,
    /// Members found finished when the job started (resumed).
    pub resumed: u32,
}

/// The runs of a job, all finished.
#[derive(Debug)]
pub struct Done {
    /// Every member in unit order.
    pub members: Vec<Member>,
    /// Members found finished in the work folder (not run again).
    pub resumed: u32,
    /// Wall time of this invocation.
    pub wall: Duration,
}

impl Done {
    /// The timings of `manifest.json`; `what` names the runs (`members`, `runs`).
    pub fn timings(&self, what: &str) -> serde_json::Value {
        let ran = self.members.len() as u32 - self.resumed;
        let secs = self.wall.as_secs_f64();
        let mut t = serde_json::Map::new();
        t.insert("wall_seconds".into(), secs.into());
        t.insert(format!("{what}_run"), ran.into());
        t.insert(format!("{what}_resumed"), self.resumed.into());
        t.insert(
            format!("{what}_per_second"),
            (f64::from(ran) / secs.max(1e-9)).into(),
        );
        t.insert("threads".into(), rayon::current_num_threads().into());
        serde_json::Value::Object(t)
    }
}

/// The last line of a job's report: `{ran} {done} in {s} s ({rate} {per}/s)`, and how many
/// were found finished.
pub(crate) fn write_rate(
    f: &mut std::fmt::Formatter<'_>,
    ran: u32,
    resumed: u32,
    wall: Duration,
    (done, per): (&str, &str),
) -> std::fmt::Result {
    let secs = wall.as_secs_f64();
    write!(
        f,
        "{ran} {done} in {secs:.1} s ({:.1} {per}/s)",
        f64::from(ran) / secs.max(1e-9)
    )?;
    if resumed > 0 {
        write!(f, "; {resumed} found finished and not run again")?;
    }
    writeln!(f)
}

/// Opens the work folder of `out` for `job` (continuing it if it was interrupted) and runs
/// every unit not finished there ([`run_units`]); the folder stays open for [`publish`].
pub fn start(
    out: &Path,
    force: bool,
    job: &str,
    scenarios: &[Scenario],
    units: &[Unit],
    keep: Keep,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<(Work, Done), EnsembleError> {
    start_given(
        out,
        force,
        job,
        (scenarios, units, keep),
        Vec::new(),
        progress,
    )
}

/// As [`start`], with `given` taken as finished (the members of shards being collected).
pub(crate) fn start_given(
    out: &Path,
    force: bool,
    job: &str,
    (scenarios, units, keep): (&[Scenario], &[Unit], Keep),
    given: Vec<Member>,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<(Work, Done), EnsembleError> {
    let work = Work::open(out, job, force)?.with_given(given);
    let started = Instant::now();
    let (members, resumed) = run_units(scenarios, units, keep, &work, progress)?;
    let wall = started.elapsed();
    Ok((
        work,
        Done {
            members,
            resumed,
            wall,
        },
    ))
}

/// Publishes the output folder `out` that `write` fills, then removes the job's work folder.
pub fn publish(
    out: &Path,
    force: bool,
    work: Work,
    write: impl FnOnce(&Path) -> Result<(), EnsembleError>,
) -> Result<(), EnsembleError> {
    outbreak_output::publish(out, force, |dir| {
        write(dir).map_err(|e| outbreak_output::OutputError::Fill {
            path: dir.to_path_buf(),
            source: Box::new(e),
        })
    })?;
    work.finish()
}

/// Runs every unit not already finished in `work`, in parallel, saving each as it
/// finishes, and returns all members in unit order with how many were found finished.
/// `scenarios[u.point]` is the scenario of unit `u`.
pub fn run_units(
    scenarios: &[Scenario],
    units: &[Unit],
    keep: Keep,
    work: &Work,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<(Vec<Member>, u32), EnsembleError> {
    let found: Vec<Option<Member>> = units
        .par_iter()
        .map(|u| work.done(u.unit).filter(|m| m.seed == u.seed))
        .collect();
    let total = units.len() as u32;
    let resumed = found.iter().flatten().count() as u32;
    let done = AtomicU32::new(resumed);
    progress(Progress {
        done: resumed,
        total,
        resumed,
    });
    #[cfg(feature = "mpi")]
    if let Some(world) = cluster::world() {
        // Rank 0 of several: the other ranks run the members still to run.
        let pending: Vec<usize> = (0..units.len()).filter(|&i| found[i].is_none()).collect();
        let save = |m: &Member| {
            work.save(m)?;
            let d = done.fetch_add(1, Ordering::Relaxed) + 1;
            progress(Progress {
                done: d,
                total,
                resumed,
            });
            Ok(())
        };
        let mut ran = cluster::hand_out(&world, units, &pending, &save)?.into_iter();
        let members = found
            .into_iter()
            .map(|f| f.or_else(|| ran.next()))
            .collect::<Option<Vec<Member>>>()
            .ok_or_else(|| EnsembleError::Bad("members missing after the hand-out".into()))?;
        return Ok((members, resumed));
    }
    let ran: Vec<Result<Member, EnsembleError>> = units
        .par_iter()
        .zip(found)
        .map(|(u, found)| {
            if let Some(m) = found {
                return Ok(m);
            }
            let m = member::run_member(&scenarios[u.point as usize], u.unit, u.seed, keep)?;
            work.save(&m)?;
            let d = done.fetch_add(1, Ordering::Relaxed) + 1;
            progress(Progress {
                done: d,
                total,
                resumed,
            });
            Ok(m)
        })
        .collect();
    Ok((ran.into_iter().collect::<Result<_, _>>()?, resumed))
}

/// What [`collect`] finished: the ensemble or the sweep the shards were parts of.
#[derive(Clone, Debug, PartialEq)]
pub enum Collected {
    /// An ensemble's report.
    Ensemble(ensemble::EnsembleReport),
    /// A sweep's report.
    Sweep(sweep::SweepReport),
}

impl std::fmt::Display for Collected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Collected::Ensemble(r) => r.fmt(f),
            Collected::Sweep(r) => r.fmt(f),
        }
    }
}

/// Merges the shard folders `dirs` (every shard of one ensemble or sweep, see [`shard`])
/// into the job's folder at `out`: exactly the folder the job run on one machine writes,
/// `manifest.json`'s timings aside. The shards' runs are taken as finished, as a resumed
/// job takes those of its work folder, and the job is finished from there.
pub fn collect(
    out: &Path,
    dirs: &[std::path::PathBuf],
    force: bool,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Collected, EnsembleError> {
    let shards = shard::read(dirs)?;
    let mismatch = || {
        EnsembleError::Bad(
            "the shards' job does not match the arguments they keep (written by another version?)"
                .into(),
        )
    };
    let check = |job: &str| {
        if job == shards.job {
            Ok(())
        } else {
            Err(mismatch())
        }
    };
    match shards.command.as_str() {
        "ensemble" => {
            let spec = ensemble::EnsembleSpec::from_json(&shards.spec)?;
            check(&ensemble::job_of(&spec))?;
            ensemble::run_given(&spec, out, force, progress, shards.members)
                .map(Collected::Ensemble)
        }
        "sweep" => {
            let spec = sweep::SweepSpec::from_json(&shards.spec)?;
            check(&sweep::job_of(&spec)?)?;
            sweep::run_given(&spec, out, force, progress, shards.members).map(Collected::Sweep)
        }
        _ => Err(mismatch()),
    }
}

/// A digest of what a scenario reads besides its text (an OpenStreetMap extract, a districts
/// file), so that a job continued from its work folder refuses to mix members of a map that
/// changed in between. FNV-1a over the world's description.
pub fn input_digest(scenario: &Scenario) -> String {
    struct Fnv(u64);
    impl std::fmt::Write for Fnv {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            for b in s.bytes() {
                self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
            Ok(())
        }
    }
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    let _ = std::fmt::write(&mut h, format_args!("{:?}", scenario.world));
    format!("{:016x}", h.0)
}

/// Formats a number for a table or `--set`: integers without a decimal point, others with
/// up to nine significant decimals and no trailing zeros.
pub fn format_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    let s = format!("{v:.9}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}
