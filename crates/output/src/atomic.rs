//! Files and folders that appear whole or not at all, for every writer of outbreak (run
//! folders, checkpoints, the work folders of ensembles and sweeps).
//!
//! Two pieces: [`hidden_sibling`], the one naming rule for what is written beside its final
//! path before it takes that path (`.{name}.{tag}`, hidden, so that nothing half-written
//! ever looks like a result), and [`write_atomic`], which writes one file through such a
//! sibling and syncs it to disk before and after it takes its name.

use std::ffi::OsString;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::OutputError;

/// The folder that holds `path`: its parent, or `.` for a bare name.
pub(crate) fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `.{name}.{tag}` beside `path` (in the current folder for a bare name): where something
/// bound for `path` is written first. The tags in use: `tmp` (a file being written,
/// [`write_atomic`]), `partial-{pid}` and `old-{pid}` ([`publish`](crate::publish)),
/// `partial` (a run with checkpoints), `work` (an ensemble's or sweep's finished members).
///
/// Fails with [`OutputError::InvalidPath`] when `path` does not end in a name (`/`, `..`).
///
/// ```
/// use std::path::Path;
/// let hidden = outbreak_output::hidden_sibling(Path::new("runs/campus"), "work").unwrap();
/// assert_eq!(hidden, Path::new("runs/.campus.work"));
/// assert!(outbreak_output::hidden_sibling(Path::new(".."), "work").is_err());
/// ```
pub fn hidden_sibling(path: &Path, tag: &str) -> Result<PathBuf, OutputError> {
    let name = path.file_name().ok_or_else(|| OutputError::InvalidPath {
        path: path.to_path_buf(),
    })?;
    let mut hidden = OsString::from(".");
    hidden.push(name);
    hidden.push(".");
    hidden.push(tag);
    Ok(parent_of(path).join(hidden))
}

/// Writes `bytes` to `path` so that `path` holds either its old content or all of the new:
/// the bytes go to the hidden sibling `.{name}.tmp`, which is synced to disk, renamed to
/// `path`, and the folder is synced so that the rename is on disk too. A write that fails
/// (a full disk) removes its temporary file; a process killed part-way leaves at most that
/// hidden file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let temp = hidden_sibling(path, "tmp")?;
    let mut file = fs::File::create(&temp).map_err(OutputError::io("create", &temp))?;
    let written = file
        .write_all(bytes)
        .map_err(OutputError::io("write", &temp))
        .and_then(|()| file.sync_all().map_err(OutputError::io("sync", &temp)));
    drop(file);
    let renamed = written.and_then(|()| {
        fs::rename(&temp, path).map_err(|source| OutputError::Rename {
            from: temp.clone(),
            to: path.to_path_buf(),
            source,
        })
    });
    if renamed.is_err() {
        // NOTE: the error to report is the write's; a temporary that cannot be removed
        // either is hidden and replaced by the next write to `path`.
        let _ = fs::remove_file(&temp);
    }
    renamed?;
    sync_dir(&parent_of(path))
}

/// Syncs a folder's entries (Unix only: elsewhere folders cannot be opened to sync).
pub(crate) fn sync_dir(dir: &Path) -> Result<(), OutputError> {
    #[cfg(unix)]
    {
        let handle = fs::File::open(dir).map_err(OutputError::io("open", dir))?;
        handle.sync_all().map_err(OutputError::io("sync", dir))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sibling_is_hidden_beside_its_path() {
        assert_eq!(
            hidden_sibling(Path::new("/a/run"), "partial-7").expect("named"),
            PathBuf::from("/a/.run.partial-7")
        );
        assert_eq!(
            hidden_sibling(Path::new("run"), "work").expect("named"),
            PathBuf::from("./.run.work")
        );
        for bare in ["/", "..", "a/.."] {
            assert!(
                matches!(
                    hidden_sibling(Path::new(bare), "tmp"),
                    Err(OutputError::InvalidPath { .. })
                ),
                "{bare}"
            );
        }
    }

    #[test]
    fn an_atomic_write_replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("job.json");
        write_atomic(&path, b"first").expect("written");
        write_atomic(&path, b"second").expect("rewritten");
        assert_eq!(fs::read(&path).expect("readable"), b"second");
        let names: Vec<String> = fs::read_dir(dir.path())
            .expect("listed")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["job.json"]);
        let missing = dir.path().join("no").join("such.json");
        assert!(matches!(
            write_atomic(&missing, b"x"),
            Err(OutputError::Io { op: "create", .. })
        ));
    }
}
