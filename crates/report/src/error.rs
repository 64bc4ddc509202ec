//! What can stop a report: a folder that is not a results folder, or a file in it that is
//! missing or cannot be read. Each error names the file.

use std::path::PathBuf;

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The path is not a folder.
    #[error("{}: not a folder", path.display())]
    NotAFolder {
        /// The path given as the results folder.
        path: PathBuf,
    },
    /// The folder holds no run, ensemble or sweep.
    #[error(
        "{}: not a results folder of outbreak (no summary.json of a run, members.csv of an ensemble or points.csv of a sweep)",
        path.display()
    )]
    NotResults {
        /// The folder given.
        path: PathBuf,
    },
    /// A file could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A picture or page could not be written.
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A file's content is not what the program writes there.
    #[error("{}: {message}", path.display())]
    Content {
        /// The file.
        path: PathBuf,
        /// What is wrong with it, with the line or column where known.
        message: String,
    },
}

impl ReportError {
    /// A file whose content is wrong, and how.
    pub(crate) fn content(path: &std::path::Path, message: impl Into<String>) -> Self {
        ReportError::Content {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }

    /// Whether the error is the user's input (a wrong or damaged folder) rather than a
    /// failure of the machine.
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, ReportError::Read { source, .. } if source.kind() != std::io::ErrorKind::NotFound && source.kind() != std::io::ErrorKind::InvalidData)
    }
}
