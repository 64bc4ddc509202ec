//! Why an ensemble or sweep cannot run or write its results.

use std::path::PathBuf;

use outbreak_scenario::ScenarioError;

/// Why an ensemble or sweep failed; [`EnsembleError::is_bad_input`] tells the user's fault
/// from the system's.
#[derive(Debug, thiserror::Error)]
pub enum EnsembleError {
    /// The scenario (or a grid point of a sweep) does not build.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// A `--vary` or `--runs` that cannot be used.
    #[error("{0}")]
    Bad(String),
    /// The work folder holds an unfinished job with other arguments.
    #[error(
        "{} holds an unfinished job with other arguments; run it again with the same \
         arguments to finish it, or pass --force to start afresh",
        work.display()
    )]
    OtherJob {
        /// The job's work folder (the output folder's hidden sibling `.{name}.work`).
        work: PathBuf,
    },
    /// The output folder's path has no hidden sibling for a work folder (no file name).
    #[error("{} cannot be an output folder", .0.display())]
    BadOut(PathBuf),
    /// A file-system operation on the work or output folder failed.
    #[error("cannot {what} {}", path.display())]
    Io {
        /// What was being done: "create", "write", "remove" …
        what: &'static str,
        /// The file or folder it was done to.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A table, picture or manifest could not be encoded or written.
    #[error("cannot write {}: {message}", path.display())]
    Write {
        /// The file being written.
        path: PathBuf,
        /// The writer's error, as text.
        message: String,
    },
    /// The output folder could not be checked, filled or published, or a Parquet file
    /// could not be written.
    #[error(transparent)]
    Output(#[from] outbreak_output::OutputError),
}

impl EnsembleError {
    /// Whether the user's input is at fault (exit 2) rather than the system (exit 1).
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            EnsembleError::Scenario(_)
                | EnsembleError::Bad(_)
                | EnsembleError::OtherJob { .. }
                | EnsembleError::BadOut(_)
        ) || matches!(
            self,
            EnsembleError::Output(
                outbreak_output::OutputError::Exists { .. }
                    | outbreak_output::OutputError::NotADirectory { .. }
                    | outbreak_output::OutputError::InvalidPath { .. }
            )
        )
    }

    /// A closure that wraps an I/O error with what was being done and the path.
    pub(crate) fn io<'a>(
        what: &'static str,
        path: &'a std::path::Path,
    ) -> impl FnOnce(std::io::Error) -> EnsembleError + 'a {
        move |source| EnsembleError::Io {
            what,
            path: path.to_path_buf(),
            source,
        }
    }

    pub(crate) fn write(path: &std::path::Path, e: impl std::fmt::Display) -> Self {
        EnsembleError::Write {
            path: path.to_path_buf(),
            message: e.to_string(),
        }
    }
}
