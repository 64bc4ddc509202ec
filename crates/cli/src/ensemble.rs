//! `outbreak ensemble` and `outbreak sweep`: many runs in parallel, with a progress bar,
//! resumable (see `outbreak_ensemble`).

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
    flags: RunFlags,
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
    #[command(flatten)]
    flags: RunFlags,
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
    let scenario = load(&args.scenario, &args.flags.set, args.flags.seed)?;
    let out = args.flags.out.clone().unwrap_or_else(|| {
        let first = shared::default_out(&args.scenario, Some("ensemble"), scenario.params.run.seed);
        shared::unused_out(first, args.flags.force)
    });
    check_memory(&args.flags, scenario.memory_needed(), args.runs)?;
    let spec = ensemble::EnsembleSpec {
        scenario,
        source: args.scenario.clone(),
        sets: args.flags.set.clone(),
        runs: args.runs,
        events: args.events,
    };
    let _lock = shared::lock_out(&out)?;
    run_job(&args.flags, &out, "members", |progress| {
        ensemble::run(&spec, &out, args.flags.force, progress)
    })
}

pub fn sweep(args: SweepArgs) -> anyhow::Result<()> {
    let (text, file) = read_scenario(&args.scenario)?;
    let mut sets = args.flags.set.clone();
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
    };
    // The base scenario names the default folder (and any mistake in it is reported
    // against the file before the grid is read).
    let base = load(&args.scenario, &args.flags.set, args.flags.seed)?;
    check_memory(&args.flags, base.memory_needed(), args.runs)?;
    let out = args.flags.out.clone().unwrap_or_else(|| {
        let first = shared::default_out(&args.scenario, Some("sweep"), base.params.run.seed);
        shared::unused_out(first, args.flags.force)
    });
    let _lock = shared::lock_out(&out)?;
    run_job(&args.flags, &out, "runs", |progress| {
        sweep::run(&spec, &out, args.flags.force, progress)
    })
}
