//! What `outbreak run`, `ensemble` and `sweep` share: the run flags, the worker threads and
//! the progress bar.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::BadInput;

/// The flags of every command that runs a scenario.
#[derive(clap::Args)]
pub struct RunFlags {
    /// Seed (default: the scenario's `run.seed`), 0 to 2^63-1. Of an ensemble or a sweep,
    /// the master seed: member 0 runs under it, member k under a seed mixed from it; run k
    /// at every point of a sweep is member k.
    #[arg(long, allow_negative_numbers = true, value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    pub seed: Option<u64>,
    /// Results folder (default: runs/NAME-SEED, runs/NAME-ensemble-SEED or
    /// runs/NAME-sweep-SEED; when that holds earlier results, the first of its -2, -3 ...
    /// that does not, unless --force).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads (default: all cores; at most four a core). Results do not depend on
    /// it.
    #[arg(long, allow_negative_numbers = true, value_parser = whole::<usize>("threads"))]
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
    /// End each run once nothing can change anyone's state any more (no one infected, no
    /// zombie that can meet a human, no order left to fire); the same as --set
    /// run.stop_when_settled=true. Ensembles and sweeps carry a stopped member's counts
    /// to the duration.
    #[arg(long)]
    pub stop_when_settled: bool,
}

impl RunFlags {
    /// The `--set` overrides, with the one `--stop-when-settled` stands for after them.
    pub fn sets(&self) -> Vec<String> {
        let mut sets = self.set.clone();
        if self.stop_when_settled {
            sets.push("run.stop_when_settled=true".to_string());
        }
        sets
    }
}

/// A parser of a count flag that says, of a negative or fractional value, what it wants
/// (rather than clap's "invalid digit found in string").
pub fn whole<T: std::str::FromStr + Clone + Send + Sync + 'static>(
    what: &'static str,
) -> impl clap::builder::TypedValueParser<Value = T> {
    move |s: &str| {
        s.trim()
            .parse::<T>()
            .map_err(|_| format!("expected a positive whole number of {what}"))
    }
}

/// What to do about a results folder that cannot take the results, said after its error:
/// another `--out`, or `--force` where that replaces it (a folder with files, not a file).
pub fn out_hint(e: &outbreak_output::OutputError) -> Option<&'static str> {
    use outbreak_output::OutputError;
    match e {
        OutputError::Exists { .. } => Some("choose another --out or pass --force to replace it"),
        OutputError::NotADirectory { .. } => {
            Some("choose another --out (--force replaces a results folder, never a file)")
        }
        _ => None,
    }
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

/// The results folder of a command not given `--out`: `first` (its default folder) unless
/// that holds results and `force` does not replace them, else the first of `first-2`,
/// `first-3` … that holds none, said on stderr. Repeating a command thus never fails on
/// its own earlier results, nor replaces them.
pub fn unused_out(first: PathBuf, force: bool) -> PathBuf {
    let holds_results = |p: &Path| match std::fs::symlink_metadata(p) {
        Err(_) => false,
        Ok(m) if m.is_dir() => std::fs::read_dir(p).map_or(true, |mut d| d.next().is_some()),
        Ok(_) => true,
    };
    if force || !holds_results(&first) {
        return first;
    }
    let name = first.file_name().unwrap_or_default().to_string_lossy();
    let Some(free) = (2..10_000)
        .map(|k| first.with_file_name(format!("{name}-{k}")))
        .find(|p| !holds_results(p))
    else {
        return first;
    };
    eprintln!(
        "{} holds earlier results: writing to {} (--out chooses the folder, --force replaces the first)",
        first.display(),
        free.display()
    );
    free
}

/// The lock a command holds on its results folder for as long as it runs: an advisory
/// lock on the hidden file `.NAME.lock` beside the folder, removed when dropped.
pub struct OutLock {
    path: PathBuf,
    _file: std::fs::File,
}

impl Drop for OutLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Locks the results folder `out` (and so its in-progress and work folders) for this
/// process; another process that holds it is refused at once, naming the folder.
pub fn lock_out(out: &Path) -> anyhow::Result<OutLock> {
    let path = outbreak_output::hidden_sibling(out, "lock")
        .map_err(|_| BadInput(format!("--out {}: does not name a folder", out.display())))?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("opening {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(OutLock { path, _file: file }),
        Err(std::fs::TryLockError::WouldBlock) => Err(BadInput(format!(
            "{} is in use: another outbreak process is writing it (it holds {}); wait for it to end or choose another --out",
            out.display(),
            path.display()
        ))
        .into()),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(anyhow::Error::new(e).context(format!("locking {}", path.display())))
        }
    }
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

/// The memory this process may use, in bytes, and where that figure comes from:
/// `OUTBREAK_MEMORY_AVAILABLE` (e.g. `2GB`, `512MB`, `1.5GB` or bytes) if set, else the
/// lower of `/proc/meminfo`'s `MemAvailable` and the cgroup's `memory.max`; `None` where
/// the system says neither.
pub fn memory_available() -> anyhow::Result<Option<(u64, &'static str)>> {
    const VAR: &str = "OUTBREAK_MEMORY_AVAILABLE";
    if let Some(v) = std::env::var_os(VAR) {
        let v = v.to_string_lossy();
        return match parse_bytes(&v) {
            Some(b) => Ok(Some((b, VAR))),
            None => Err(BadInput(format!(
                "{VAR}={v}: expected a size such as 2GB, 512MB or 1.5GB"
            ))
            .into()),
        };
    }
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok().and_then(|t| {
        let line = t.lines().find(|l| l.starts_with("MemAvailable:"))?;
        let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some((kb * 1024, "MemAvailable in /proc/meminfo"))
    });
    let cgroup = std::fs::read_to_string("/sys/fs/cgroup/memory.max")
        .ok()
        .and_then(|t| t.trim().parse::<u64>().ok())
        .map(|b| (b, "the cgroup's memory.max"));
    Ok(match (meminfo, cgroup) {
        (Some(m), Some(c)) => Some(if c.0 < m.0 { c } else { m }),
        (m, c) => m.or(c),
    })
}

/// A size as `OUTBREAK_MEMORY_AVAILABLE` takes it: a number and an optional unit (B, kB,
/// MB, GB, TB in powers of 1000; KiB, MiB, GiB, TiB in powers of 1024; K, M, G, T alone
/// as the powers of 1000).
fn parse_bytes(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let scale = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "m" | "mb" => 1e6,
        "g" | "gb" => 1e9,
        "t" | "tb" => 1e12,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        "tib" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    let bytes = number * scale;
    (bytes.is_finite() && bytes < 1e19).then_some(bytes as u64)
}

/// Refuses, before anything is built, a job that needs more memory than this machine has:
/// `needed` bytes for `what` ("this run needs", "4 members at once need"), and `fits`:
/// what would fit instead.
pub fn check_memory(needed: u64, what: &str, fits: &str) -> anyhow::Result<()> {
    use outbreak_scenario::memory::bytes_shown;
    let Some((available, source)) = memory_available()? else {
        return Ok(());
    };
    if needed > available {
        return Err(BadInput(format!(
            "{what} about {} of memory, more than the {} available ({source}); {fits} fits, and OUTBREAK_MEMORY_AVAILABLE=SIZE overrides the figure",
            bytes_shown(needed),
            bytes_shown(available)
        ))
        .into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_bytes;

    #[test]
    fn sizes_read_in_their_units() {
        assert_eq!(parse_bytes("2GB"), Some(2_000_000_000));
        assert_eq!(parse_bytes("1.5 GB"), Some(1_500_000_000));
        assert_eq!(parse_bytes("512MiB"), Some(512 << 20));
        assert_eq!(parse_bytes("4096"), Some(4096));
        assert_eq!(parse_bytes("lots"), None);
        assert_eq!(parse_bytes("2 parsecs"), None);
    }
}
