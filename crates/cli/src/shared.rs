//! What `outbreak run`, `ensemble` and `sweep` share: the run flags, the worker threads and
//! the progress bar.

use std::path::PathBuf;

use anyhow::Context;

use crate::BadInput;

/// The flags of every command that runs a scenario.
#[derive(clap::Args)]
pub struct RunFlags {
    /// Seed (default: the scenario's `run.seed`), 0 to 2^63-1. Of an ensemble or a sweep,
    /// the master seed: member 0 runs under it, member k under a seed mixed from it; run k
    /// at every point of a sweep is member k.
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    pub seed: Option<u64>,
    /// Results folder (default: runs/NAME-SEED, runs/NAME-ensemble-SEED or
    /// runs/NAME-sweep-SEED).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads (default: all cores; at most four a core). Results do not depend on
    /// it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Override a setting (at every point of a sweep): a dotted key of the scenario file,
    /// e.g. virus.bite_rate_per_hour=0.5.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Replace the results folder if it exists, and start afresh over the unfinished work
    /// of an interrupted run or job.
    #[arg(long)]
    pub force: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

/// The default results folder: `runs/{stem}-{seed}`, with `kind` between them if given
/// (`runs/campus-ensemble-7`); `stem` is the scenario's name or file stem.
pub fn default_out(scenario: &str, kind: Option<&str>, seed: u64) -> PathBuf {
    let stem = std::path::Path::new(scenario).file_stem().map_or_else(
        || scenario.to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    let name = match kind {
        Some(kind) => format!("{stem}-{kind}-{seed}"),
        None => format!("{stem}-{seed}"),
    };
    PathBuf::from("runs").join(name)
}

/// The most worker threads `--threads` may ask for, per core: beyond the cores they only
/// take turns.
const MAX_THREADS_PER_CORE: usize = 4;

/// The worker threads of `--threads` (all cores without it, at most four a core).
pub fn pool(threads: Option<usize>) -> anyhow::Result<rayon::ThreadPool> {
    if threads == Some(0) {
        return Err(BadInput("--threads must be at least 1".into()).into());
    }
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let most = MAX_THREADS_PER_CORE * cores;
    if let Some(n) = threads.filter(|&n| n > most) {
        return Err(BadInput(format!(
            "--threads {n}: at most {most} ({MAX_THREADS_PER_CORE} a core on this machine's {cores}); more only slow a run down"
        ))
        .into());
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .context("starting worker threads")
}

/// A progress bar of `len` steps on stderr, hidden with `--quiet`: `template` in
/// indicatif's syntax, whose `{rate}` is `rate` of the steps per second.
pub fn progress_bar(
    quiet: bool,
    len: u64,
    template: &str,
    rate: fn(f64) -> String,
) -> indicatif::ProgressBar {
    let bar = if quiet {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(len)
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template(template)
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .with_key(
                "rate",
                move |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = w.write_str(&rate(s.per_sec()));
                },
            )
            .progress_chars("=> "),
    );
    bar
}
