//! `outbreak ensemble` and `outbreak sweep`: many runs in parallel, with a progress bar,
//! resumable (see `outbreak_ensemble`).

use outbreak_ensemble::shard::Shard;
use outbreak_ensemble::{ensemble, sweep, EnsembleError, Progress};

use crate::shared::{self, RunFlags};
use crate::stdout::{out, outln};
use crate::{bad, load, read_scenario, BadInput};

#[derive(clap::Args)]
pub struct EnsembleArgs {
    /// A built-in scenario name or a path to a scenario file.
    scenario: String,
    /// Members (runs) of the ensemble.
    #[arg(long, default_value_t = 100, allow_negative_numbers = true, value_parser = shared::whole::<u32>("runs"))]
    runs: u32,
    /// Also write every member's events (events.parquet).
    #[arg(long)]
    events: bool,
    #[command(flatten)]
    shard: ShardArg,
    #[command(flatten)]
    flags: RunFlags,
}

#[derive(clap::Args)]
pub struct ShardArg {
    /// Run only shard K of N (from 0; the members whose number is K modulo N) into a shard
    /// folder; `outbreak collect OUT SHARD_DIR...` merges all N into the folder one machine
    /// writes. For job arrays: --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT.
    #[arg(long, value_name = "K/N", value_parser = shard, allow_hyphen_values = true)]
    shard: Option<Shard>,
}

fn shard(s: &str) -> Result<Shard, String> {
    Shard::parse(s)
}

#[derive(clap::Args)]
pub struct CollectArgs {
    /// The folder to write: the ensemble's or sweep's, as one machine writes it.
    out: std::path::PathBuf,
    /// The shard folders, every shard of the job once (any order).
    #[arg(required = true, value_name = "SHARD_DIR")]
    shards: Vec<std::path::PathBuf>,
    /// Replace OUT if it holds files.
    #[arg(long)]
    force: bool,
    /// Worker threads for the pictures and tables (results do not depend on it).
    #[arg(long, allow_negative_numbers = true, value_parser = shared::whole::<usize>("threads"))]
    threads: Option<usize>,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(clap::Args)]
pub struct SweepArgs {
    /// A built-in scenario name or a path to a scenario file.
    scenario: String,
    /// A key and its values: KEY=START:END:STEPS (STEPS evenly spaced values); once or twice.
    #[arg(long, value_name = "KEY=START:END:STEPS", required = true)]
    vary: Vec<String>,
    /// Runs at each point of the grid.
    #[arg(long, default_value_t = 20, allow_negative_numbers = true, value_parser = shared::whole::<u32>("runs"))]
    runs: u32,
    /// Give every run of the sweep its own seed. By default every point runs the same member
    /// seeds (common random numbers): differences between points are then the parameter's,
    /// but neighbouring points' intervals are not independent.
    #[arg(long)]
    independent_seeds: bool,
    #[command(flatten)]
    shard: ShardArg,
    #[command(flatten)]
    flags: RunFlags,
}

/// The default folder of a job, or of one shard of it.
fn default_out(
    scenario: &str,
    kind: &str,
    seed: u64,
    shard: Option<Shard>,
    force: bool,
) -> std::path::PathBuf {
    let mut first = shared::default_out(scenario, Some(kind), seed);
    if let Some(s) = shard {
        first
            .as_mut_os_string()
            .push(format!("-shard-{}-of-{}", s.k, s.n));
    }
    shared::unused_out(first, force)
}

/// Refuses a job whose members in flight at once (one a worker thread, at most `runs`)
/// need more memory than there is, `member` bytes each.
fn check_memory(flags: &RunFlags, member: u64, runs: u32) -> anyhow::Result<()> {
    let threads = flags
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    let at_once = threads.clamp(1, runs.max(1) as usize) as u64;
    let what = if at_once == 1 {
        "one member at a time needs".to_string()
    } else {
        format!("{at_once} members at once (one a worker thread) need")
    };
    let fits = "a smaller population.size, or fewer --threads,";
    shared::check_memory(member.saturating_mul(at_once), &what, fits)
}

/// An ensemble error as the command line reports it: bad input exits 2, with the flag that
/// changes it where there is one.
fn report(e: EnsembleError) -> anyhow::Error {
    if let EnsembleError::Output(o) = &e {
        if let Some(hint) = shared::out_hint(o) {
            return BadInput(format!("{o}; {hint}")).into();
        }
    }
    match e {
        EnsembleError::Scenario(e) => bad(e),
        e if e.is_bad_input() => BadInput(e.to_string()).into(),
        e => anyhow::Error::new(e),
    }
}

/// The progress callback: the first report (members found finished) sets the start.
fn on_progress(bar: &indicatif::ProgressBar) -> impl Fn(Progress) + Sync + '_ {
    move |p: Progress| {
        if bar.length() != Some(u64::from(p.total)) {
            bar.set_length(u64::from(p.total));
            bar.set_position(u64::from(p.done));
            bar.reset_eta();
            if p.resumed > 0 {
                bar.set_message(format!("({} found finished)", p.resumed));
            }
        } else {
            bar.set_position(u64::from(p.done).max(bar.position()));
        }
    }
}

/// Runs a job on its thread pool with a progress bar counting `what`, then prints its report
/// and where the results are.
fn run_job<R: std::fmt::Display + Send>(
    flags: &RunFlags,
    out: &std::path::Path,
    what: &'static str,
    run: impl FnOnce(&(dyn Fn(Progress) + Sync)) -> Result<R, EnsembleError> + Send,
) -> anyhow::Result<()> {
    let pool = shared::pool(flags.threads)?;
    let bar = shared::progress_bar(
        flags.quiet,
        0,
        &format!("{{spinner}} [{{bar:40}}] {{pos}}/{{len}} {what}  {{rate}}  eta {{eta}}  {{msg}}"),
        |rate| format!("{rate:.1}/s"),
    );
    let report = pool.install(|| run(&on_progress(&bar))).map_err(report)?;
    bar.finish_and_clear();
    out!("{report}")?;
    outln!("results: {}", out.display())?;
    Ok(())
}

pub fn ensemble(args: EnsembleArgs) -> anyhow::Result<()> {
    let scenario = load(&args.scenario, &args.flags.sets(), args.flags.seed)?;
    let shard = args.shard.shard;
    let out = args.flags.out.clone().unwrap_or_else(|| {
        let seed = scenario.params.run.seed;
        default_out(&args.scenario, "ensemble", seed, shard, args.flags.force)
    });
    check_memory(&args.flags, scenario.memory_needed(), args.runs)?;
    let spec = ensemble::EnsembleSpec {
        scenario,
        source: args.scenario.clone(),
        sets: args.flags.sets(),
        runs: args.runs,
        events: args.events,
    };
    #[cfg(feature = "mpi")]
    let _cluster = outbreak_ensemble::cluster::Cluster::join();
    #[cfg(feature = "mpi")]
    if outbreak_ensemble::cluster::is_worker() {
        let pool = shared::pool(args.flags.threads)?;
        return pool.install(|| ensemble::serve(&spec)).map_err(report);
    }
    let _lock = shared::lock_out(&out)?;
    let force = args.flags.force;
    match shard {
        Some(shard) => run_job(&args.flags, &out, "members", |progress| {
            ensemble::run_shard(&spec, &out, force, shard, progress)
        }),
        None => run_job(&args.flags, &out, "members", |progress| {
            ensemble::run(&spec, &out, force, progress)
        }),
    }
}

pub fn sweep(args: SweepArgs) -> anyhow::Result<()> {
    let (text, file) = read_scenario(&args.scenario)?;
    let mut sets = args.flags.sets();
    if let Some(s) = args.flags.seed {
        sets.push(format!("run.seed={s}"));
    }
    let vary = args
        .vary
        .iter()
        .map(|v| sweep::Vary::parse(v))
        .collect::<Result<Vec<_>, _>>()
        .map_err(report)?;
    let spec = sweep::SweepSpec {
        text,
        source: file,
        sets,
        vary,
        runs: args.runs,
        independent: args.independent_seeds,
    };
    // The base scenario names the default folder (and any mistake in it is reported
    // against the file before the grid is read).
    let base = load(&args.scenario, &args.flags.sets(), args.flags.seed)?;
    let shard = args.shard.shard;
    check_memory(&args.flags, base.memory_needed(), args.runs)?;
    let out = args.flags.out.clone().unwrap_or_else(|| {
        let seed = base.params.run.seed;
        default_out(&args.scenario, "sweep", seed, shard, args.flags.force)
    });
    #[cfg(feature = "mpi")]
    let _cluster = outbreak_ensemble::cluster::Cluster::join();
    #[cfg(feature = "mpi")]
    if outbreak_ensemble::cluster::is_worker() {
        let pool = shared::pool(args.flags.threads)?;
        return pool.install(|| sweep::serve(&spec)).map_err(report);
    }
    let _lock = shared::lock_out(&out)?;
    let force = args.flags.force;
    match shard {
        Some(shard) => run_job(&args.flags, &out, "runs", |progress| {
            sweep::run_shard(&spec, &out, force, shard, progress)
        }),
        None => run_job(&args.flags, &out, "runs", |progress| {
            sweep::run(&spec, &out, force, progress)
        }),
    }
}

pub fn collect(args: CollectArgs) -> anyhow::Result<()> {
    let flags = RunFlags {
        seed: None,
        out: Some(args.out.clone()),
        threads: args.threads,
        set: Vec::new(),
        force: args.force,
        quiet: args.quiet,
        stop_when_settled: false,
    };
    let _lock = shared::lock_out(&args.out)?;
    run_job(&flags, &args.out, "runs", |progress| {
        outbreak_ensemble::collect(&args.out, &args.shards, args.force, progress)
    })
}
