//! `outbreak run`: one run from a scenario, from the latest checkpoint of an interrupted
//! run (`--resume DIR`) or as a variant of a run from one of its checkpoints
//! (`VARIANT --from FILE`), with checkpoints every `--checkpoint-every HOURS`; the flags,
//! the progress bar and what is printed (the lifecycle itself is `outbreak_run`).

use std::path::PathBuf;

use outbreak_plot::scale::Clock;
use outbreak_run::{Options, Prepared, Run, RunError};

use crate::shared::{self, RunFlags};
use crate::stdout::{out, outln};
use crate::{bad, load, BadInput};

#[derive(clap::Args)]
pub struct RunArgs {
    /// A built-in scenario name or a path to a scenario file (default: seoul-campus).
    scenario: Option<String>,
    #[command(flatten)]
    flags: RunFlags,
    /// Write a checkpoint of the whole run every HOURS of simulated time, into the results
    /// folder's checkpoints/ (hour-0006.ckpt ...). Until the run ends they are in the
    /// hidden .NAME.partial folder beside --out, from which --resume finishes a killed run.
    #[arg(long, value_name = "HOURS", allow_negative_numbers = true)]
    checkpoint_every: Option<f64>,
    /// Finish an interrupted run from its latest checkpoint: DIR is the --out it was given
    /// (or a finished run folder with checkpoints). The results are the same, byte for byte,
    /// as if it had not stopped. Takes no scenario: the checkpoint holds it.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["scenario", "seed", "set", "from", "checkpoint_every", "stop_when_settled"])]
    resume: Option<PathBuf>,
    /// Run SCENARIO, a variant of the checkpoint's run (same world, people and seed), from
    /// this checkpoint on: its parameters and timeline apply after the checkpoint's tick;
    /// its orders at a time at or before that tick are taken as fired (the checkpoint holds
    /// what the run did by then), later ones fire as SCENARIO says. The results cover the
    /// whole run from tick 0.
    #[arg(long, value_name = "CHECKPOINT", requires = "scenario")]
    from: Option<PathBuf>,
    /// Record where everyone is at every tick (replay/), to watch with `outbreak view DIR`;
    /// the same as --set run.record=true (run.record_zones records only some zones).
    #[arg(long, conflicts_with = "resume")]
    record: bool,
}

/// A run error as the command line reports it: bad input exits 2, with the flag that
/// changes it where there is one; `name` is the scenario as given, which a branch's
/// refusal names.
fn report(e: RunError, name: &str) -> anyhow::Error {
    let text = match e {
        RunError::Scenario(e) => return bad(e),
        RunError::Interval {
            hours,
            tick_minutes,
        } => format!(
            "--checkpoint-every {hours}: must be a whole number of ticks above 0 (a tick is {tick_minutes} min)"
        ),
        RunError::Taken(ref o) => match shared::out_hint(o) {
            Some(hint) => format!("{o}; {hint}"),
            None => one_line(&e),
        },
        RunError::NoCheckpoint { .. } => format!("{e}; a run writes them with --checkpoint-every"),
        RunError::Interrupted { ref out, .. } => format!(
            "{e}: finish it with `outbreak run --resume {}`, or pass --force to start again",
            out.display()
        ),
        RunError::Branch { .. } => format!("{name}: {e}"),
        ref e if e.is_bad_input() => one_line(e),
        e => return anyhow::Error::new(e),
    };
    BadInput(text).into()
}

/// An error and its causes, as one line.
fn one_line(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(&format!(": {c}"));
        cause = c.source();
    }
    text
}

pub fn run(args: RunArgs) -> anyhow::Result<()> {
    let pool = shared::pool(args.flags.threads)?;
    let flags = &args.flags;
    let name = args
        .scenario
        .as_deref()
        .unwrap_or(outbreak_scenario::DEFAULT);
    let (prepared, _lock) = prepare(&args, name)?;
    for w in prepared.warnings() {
        eprintln!("warning: {name}: {w}");
    }
    if let (Some(checkpoint), false) = (prepared.resuming(), flags.quiet) {
        eprintln!(
            "resuming {} from {} (tick {})",
            prepared.name(),
            checkpoint.display(),
            prepared.tick()
        );
    }
    let mut run = prepared.start().map_err(|e| report(e, name))?;
    let bar = shared::progress_bar(
        flags.quiet,
        u64::from(run.sim().params.run.duration_ticks),
        "{spinner} {msg:>12} [{bar:40}] {pos}/{len} ticks  {rate}  eta {eta}",
        |rate| format!("{rate:.0} ticks/s"),
    );
    bar.set_position(u64::from(run.tick()));
    pool.install(|| -> Result<(), RunError> {
        while !run.finished() {
            run.step()?;
            let s = run.sim();
            if s.tick() % 30 == 0 {
                bar.set_position(u64::from(s.tick()));
                bar.set_message(clock(s.params.run.start_hour, s.minutes()));
            }
        }
        Ok(())
    })
    .map_err(|e| report(e, name))?;
    bar.finish_and_clear();
    let out = run.out().to_path_buf();
    let summary = run.publish().map_err(|e| report(e, name))?;
    out!("{summary}")?;
    outln!("results: {}", out.display())?;
    Ok(())
}

/// The progress bar's clock at `minutes` into a run that starts at `start_hour`: the day
/// and time of day as the run's charts and story say them (days roll at midnight).
fn clock(start_hour: f64, minutes: f64) -> String {
    Clock { start_hour }.label(minutes)
}

/// The run of `args`, checked and ready to start, and the lock on its results folder;
/// `name` is the scenario as given.
fn prepare(args: &RunArgs, name: &str) -> anyhow::Result<(Prepared, shared::OutLock)> {
    let flags = &args.flags;
    let report = |e| report(e, name);
    if let Some(dir) = &args.resume {
        let out = flags.out.clone().unwrap_or_else(|| dir.clone());
        let lock = shared::lock_out(&out)?;
        return Ok((Run::resume(dir, &out, flags.force).map_err(report)?, lock));
    }
    let mut set = flags.sets();
    if args.record {
        set.push("run.record=true".to_string());
    }
    let scenario = load(name, &set, flags.seed)?;
    shared::check_memory(
        scenario.memory_needed(),
        "this run needs",
        "a smaller population.size",
    )?;
    let options = Options {
        out: flags.out.clone().unwrap_or_else(|| {
            let first = shared::default_out(name, None, scenario.params.run.seed);
            shared::unused_out(first, flags.force)
        }),
        force: flags.force,
        checkpoint_every_hours: args.checkpoint_every,
    };
    let lock = shared::lock_out(&options.out)?;
    let prepared = match &args.from {
        Some(checkpoint) => Run::branch(&scenario, checkpoint, &options),
        None => Run::from_scenario(&scenario, &options),
    }
    .map_err(report)?;
    Ok((prepared, lock))
}

#[cfg(test)]
mod tests {
    use super::clock;

    #[test]
    fn the_progress_clock_rolls_over_at_midnight() {
        // A run from 22:00: day 1 until midnight, then day 2 from 00:00.
        assert_eq!(clock(22.0, 90.0), "day 1 23:30");
        assert_eq!(clock(22.0, 120.0), "day 2 00:00");
        assert_eq!(clock(22.0, 360.0), "day 2 04:00");
        assert_eq!(clock(8.5, 0.0), "day 1 08:30");
        assert_eq!(clock(0.0, 1440.0 * 2.0 + 6.0), "day 3 00:06");
    }
}
