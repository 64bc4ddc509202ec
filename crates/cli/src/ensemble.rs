//! `outbreak ensemble` and `outbreak sweep`: many runs in parallel, with a progress bar,
//! resumable (see `outbreak_ensemble`).

use std::path::PathBuf;

use anyhow::Context;
use outbreak_ensemble::{ensemble, sweep, EnsembleError, Progress};

use crate::{bad, load, read_scenario, BadInput};

/// What an ensemble and a sweep both take.
#[derive(clap::Args)]
pub struct JobArgs {
    /// Master seed (default: the scenario's `run.seed`): member 0 runs under it, member k
    /// under a seed mixed from it; run k at every point of a sweep is member k.
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    seed: Option<u64>,
    /// Results folder (default: runs/NAME-ensemble-SEED or runs/NAME-sweep-SEED).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Override a setting (at every point of a sweep): a dotted key of the scenario file,
    /// e.g. population.size=500.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// Replace the results folder, or an unfinished job's work, if it exists.
    #[arg(long)]
    force: bool,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(clap::Args)]
pub struct EnsembleArgs {
    /// A built-in scenario name or a path to a scenario file.
    scenario: String,
    /// Members (runs) of the ensemble.
    #[arg(long, default_value_t = 100)]
    runs: u32,
    /// Also write every member's events (events.parquet).
    #[arg(long)]
    events: bool,
    #[command(flatten)]
    job: JobArgs,
}

#[derive(clap::Args)]
pub struct SweepArgs {
    /// A built-in scenario name or a path to a scenario file.
    scenario: String,
    /// A key and its values: KEY=START:END:STEPS (STEPS evenly spaced values); once or twice.
    #[arg(long, value_name = "KEY=START:END:STEPS", required = true)]
    vary: Vec<String>,
    /// Runs at each point of the grid.
    #[arg(long, default_value_t = 20)]
    runs: u32,
    #[command(flatten)]
    job: JobArgs,
}

/// An ensemble error as the command line reports it: bad input exits 2.
fn report(e: EnsembleError) -> anyhow::Error {
    match e {
        EnsembleError::Scenario(e) => bad(e),
        e if e.is_bad_input() => BadInput(e.to_string()).into(),
        e => anyhow::Error::new(e),
    }
}

fn pool(threads: Option<usize>) -> anyhow::Result<rayon::ThreadPool> {
    if threads == Some(0) {
        return Err(BadInput("--threads must be at least 1".into()).into());
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .context("starting worker threads")
}

fn bar(quiet: bool, what: &'static str) -> indicatif::ProgressBar {
    let bar = if quiet {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(0)
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{{spinner}} [{{bar:40}}] {{pos}}/{{len}} {what}  {{rate}}  eta {{eta}}  {{msg}}"
        ))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .with_key(
            "rate",
            |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.1}/s", s.per_sec());
            },
        )
        .progress_chars("=> "),
    );
    bar
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
    job: &JobArgs,
    out: &std::path::Path,
    what: &'static str,
    run: impl FnOnce(&(dyn Fn(Progress) + Sync)) -> Result<R, EnsembleError> + Send,
) -> anyhow::Result<()> {
    let pool = pool(job.threads)?;
    let bar = bar(job.quiet, what);
    let report = pool.install(|| run(&on_progress(&bar))).map_err(report)?;
    bar.finish_and_clear();
    print!("{report}");
    println!("results: {}", out.display());
    Ok(())
}

fn default_out(name: &str, kind: &str, seed: u64) -> PathBuf {
    let stem = std::path::Path::new(name)
        .file_stem()
        .map_or_else(|| name.to_string(), |s| s.to_string_lossy().into_owned());
    PathBuf::from("runs").join(format!("{stem}-{kind}-{seed}"))
}

pub fn ensemble(args: EnsembleArgs) -> anyhow::Result<()> {
    let scenario = load(&args.scenario, &args.job.set, args.job.seed)?;
    let out = args
        .job
        .out
        .clone()
        .unwrap_or_else(|| default_out(&args.scenario, "ensemble", scenario.params.run.seed));
    let spec = ensemble::EnsembleSpec {
        scenario,
        source: args.scenario.clone(),
        sets: args.job.set.clone(),
        runs: args.runs,
        events: args.events,
    };
    run_job(&args.job, &out, "members", |progress| {
        ensemble::run(&spec, &out, args.job.force, progress)
    })
}

pub fn sweep(args: SweepArgs) -> anyhow::Result<()> {
    let (text, file) = read_scenario(&args.scenario)?;
    let mut sets = args.job.set.clone();
    if let Some(s) = args.job.seed {
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
    };
    // The base scenario names the default folder (and any mistake in it is reported
    // against the file before the grid is read).
    let base = load(&args.scenario, &args.job.set, args.job.seed)?;
    let out = args
        .job
        .out
        .clone()
        .unwrap_or_else(|| default_out(&args.scenario, "sweep", base.params.run.seed));
    run_job(&args.job, &out, "runs", |progress| {
        sweep::run(&spec, &out, args.job.force, progress)
    })
}
