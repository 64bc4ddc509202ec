//! Why a run cannot start, go on or be published, sorted into the user's input at fault
//! and failures on the way.

use std::path::{Path, PathBuf};

use outbreak_engine::prelude::RestoreError;
use outbreak_output::{CheckpointError, OutputError};
use outbreak_scenario::ScenarioError;

use crate::branch::Mismatch;

/// Why a run cannot start, go on or be published.
///
/// [`RunError::is_bad_input`] tells the two kinds apart: the input is at fault (a scenario,
/// a checkpoint, a results folder or an interval that cannot be used; the command line
/// exits 2), or something failed on the way (the file system; exit 1). The messages say
/// what is wrong, not which flag changes it: that is for the caller to add.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// The scenario does not build: the one given, the variant of a branch, or the scenario
    /// a checkpoint holds.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// A checkpoint file cannot be read, is not a checkpoint, was written by another
    /// version, or is damaged (its bytes, or a history that does not fit its scenario).
    #[error(transparent)]
    Checkpoint(#[from] CheckpointError),
    /// The engine refuses a checkpoint's state for the run built from its scenario.
    #[error("{}: {why}", checkpoint.display())]
    Restore {
        /// The checkpoint file.
        checkpoint: PathBuf,
        /// What does not fit.
        why: RestoreError,
    },
    /// A zone the replay is to record is not in the world.
    #[error("run.record_zones: the world has no zone `{0}`")]
    RecordZone(String),
    /// The checkpoint interval is not a whole number of ticks above 0.
    #[error(
        "a checkpoint every {hours} h is not a whole number of ticks above 0 (a tick is {tick_minutes} min)"
    )]
    Interval {
        /// The interval asked for, in simulated hours.
        hours: f64,
        /// The scenario's tick.
        tick_minutes: f64,
    },
    /// A run to resume has no checkpoint, neither in its in-progress folder nor in its
    /// results folder.
    #[error(
        "{}: no checkpoint to resume from (none in {} or {})",
        dir.display(),
        partial.display(),
        finished.display()
    )]
    NoCheckpoint {
        /// The results folder of the run to resume.
        dir: PathBuf,
        /// Where a run with checkpoints keeps them until it ends.
        partial: PathBuf,
        /// Where a finished run keeps them.
        finished: PathBuf,
    },
    /// The results folder cannot take the results: it holds files and replacing it was not
    /// asked for, it is not a folder, or it cannot be inspected.
    #[error(transparent)]
    Taken(OutputError),
    /// The results folder's path does not end in a name (`/`, `..`).
    #[error("output path {} does not name a folder", path.display())]
    Unnamed {
        /// The path given.
        path: PathBuf,
    },
    /// The in-progress folder of the results folder holds an interrupted run with
    /// checkpoints to resume from, and starting afresh was not asked for.
    #[error("{} holds an interrupted run of {}", work.display(), out.display())]
    Interrupted {
        /// The in-progress folder.
        work: PathBuf,
        /// The results folder.
        out: PathBuf,
    },
    /// A variant cannot branch from a checkpoint: another world, people, seed or clock, or
    /// it ends before the checkpoint.
    #[error(
        "cannot branch from {}: {why}; a branch keeps the world, the people and the seed of the run it starts from",
        checkpoint.display()
    )]
    Branch {
        /// The checkpoint file.
        checkpoint: PathBuf,
        /// How the variant differs from the run.
        why: Mismatch,
    },
    /// A running run cannot go on as the scenario given (see [`Run::amend`](crate::Run::amend)):
    /// another world, people, seed or clock, or an end before the tick reached.
    #[error("the run cannot go on as that scenario at tick {tick}: {why}")]
    Amend {
        /// The tick the run had reached.
        tick: u32,
        /// What does not fit.
        why: String,
    },
    /// A file-system operation on the run's folders failed.
    #[error("{op} {}", path.display())]
    Io {
        /// What was being done: "reading", "removing", "creating".
        op: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A checkpoint of the run resumed could not be copied into its new folder.
    #[error("copying {} to {}", from.display(), to.display())]
    Copy {
        /// The checkpoint.
        from: PathBuf,
        /// Its copy.
        to: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A checkpoint could not be written.
    #[error("writing checkpoint {}", path.display())]
    Save {
        /// The checkpoint file.
        path: PathBuf,
        /// The cause.
        source: OutputError,
    },
    /// The results could not be written or published.
    #[error("writing {}", out.display())]
    Publish {
        /// The results folder.
        out: PathBuf,
        /// The cause.
        source: OutputError,
    },
}

impl RunError {
    /// Whether the input is at fault (a command line exits 2) rather than something on the
    /// way (exit 1).
    pub fn is_bad_input(&self) -> bool {
        !matches!(
            self,
            RunError::Io { .. }
                | RunError::Copy { .. }
                | RunError::Save { .. }
                | RunError::Publish { .. }
        )
    }

    /// A closure that wraps an I/O error with what was being done and the path.
    pub(crate) fn io<'a>(
        op: &'static str,
        path: &'a Path,
    ) -> impl FnOnce(std::io::Error) -> RunError + 'a {
        move |source| RunError::Io {
            op,
            path: path.to_path_buf(),
            source,
        }
    }
}
