//! The one error type of this crate. Every variant that concerns a file names it, so a
//! person reading the message knows which file or folder to look at.

use std::path::{Path, PathBuf};

/// Why a run folder could not be written or published.
///
/// The messages do not repeat the underlying cause; it is available as the error's
/// [`source`](std::error::Error::source), which `anyhow` and similar reporters print after it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutputError {
    /// A file-system operation failed.
    #[error("cannot {op} {}", path.display())]
    Io {
        /// What was being done: "create", "write", "sync", "remove", "read" …
        op: &'static str,
        /// The file or folder the operation was applied to.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A folder could not be renamed into place.
    #[error("cannot rename {} to {}", from.display(), to.display())]
    Rename {
        /// The folder or file being moved (often a hidden `.{name}.partial-{pid}` or `.tmp` sibling).
        from: PathBuf,
        /// Where it was to appear.
        to: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A CSV table could not be written.
    #[error("cannot write CSV table {}", path.display())]
    Csv {
        /// The CSV file being written.
        path: PathBuf,
        /// The CSV writer's error (serialising a row or writing it).
        #[source]
        source: csv::Error,
    },
    /// `summary.json` could not be written.
    #[error("cannot write JSON file {}", path.display())]
    Json {
        /// The JSON file being written.
        path: PathBuf,
        /// The serialiser's error.
        #[source]
        source: serde_json::Error,
    },
    /// The chart could not be drawn.
    #[error("cannot draw chart {}", path.display())]
    Chart {
        /// The picture being drawn (for a run folder, its `curves.svg`).
        path: PathBuf,
        /// The report crate's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A file written into the folder by another crate (through [`publish`](crate::publish))
    /// could not be written.
    #[error("cannot fill the output folder {}", path.display())]
    Fill {
        /// The temporary folder being filled, not the final output folder.
        path: PathBuf,
        /// The error of the crate that was filling it.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The output folder already exists and holds files, and replacing it was not asked for.
    #[error("output folder {} already exists and is not empty", path.display())]
    Exists {
        /// The output folder that was to be written.
        path: PathBuf,
    },
    /// The output path exists but is not a folder (a file or a symbolic link).
    #[error("output path {} exists and is not a folder", path.display())]
    NotADirectory {
        /// The output path as given.
        path: PathBuf,
    },
    /// The output path does not end in a folder name (for example `/` or `..`).
    #[error("output path {} does not name a folder", path.display())]
    InvalidPath {
        /// The path as given.
        path: PathBuf,
    },
    /// A file read back is not what the program writes there.
    #[error("{}: {message}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// A Parquet file could not be written.
    #[error("cannot write {}: {message}", path.display())]
    Write {
        /// The Parquet file being written.
        path: PathBuf,
        /// What went wrong: the Parquet library's message, or a row or value that does not
        /// fit the schema.
        message: String,
    },
    /// The recorder was not fed after every tick, so its tables and event log have holes.
    #[error(
        "the recorder missed ticks {first} to {last}: call Recorder::observe after every step"
    )]
    MissedTicks {
        /// The first tick not observed.
        first: u32,
        /// The last tick not observed (inclusive).
        last: u32,
    },
}

impl OutputError {
    /// A file that could not be written, and why.
    pub(crate) fn write(path: &Path, e: impl std::fmt::Display) -> Self {
        OutputError::Write {
            path: path.to_path_buf(),
            message: e.to_string(),
        }
    }

    /// A closure that wraps an I/O error with the operation and the path.
    pub(crate) fn io<'a>(
        op: &'static str,
        path: &'a Path,
    ) -> impl FnOnce(std::io::Error) -> OutputError + 'a {
        move |source| OutputError::Io {
            op,
            path: path.to_path_buf(),
            source,
        }
    }
}
