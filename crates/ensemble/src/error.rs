//! Why an ensemble or sweep cannot run or write its results.

use std::path::PathBuf;

use outbreak_scenario::ScenarioError;

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
    OtherJob { work: PathBuf },
    #[error("{} cannot be an output folder", .0.display())]
    BadOut(PathBuf),
    #[error("cannot {what} {}: {source}", path.display())]
    Io {
        what: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {}: {message}", path.display())]
    Write { path: PathBuf, message: String },
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
