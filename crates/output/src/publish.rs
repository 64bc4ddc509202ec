//! Atomic publishing of an output folder.
//!
//! Everything is written into a hidden sibling folder `.{name}.partial-{pid}`
//! ([`hidden_sibling`]), flushed to disk, and renamed to its final name in one step. A
//! process killed part-way leaves only the `.partial-` folder behind, never a folder at the
//! final path that looks complete but is not; the next publish to the same path removes
//! those of processes that are gone. Replacing an existing run (with `force`) moves it aside
//! to `.{name}.old-{pid}` first and removes it once the new one is in place.
//!
//! A folder filled beforehand under a name of the caller's (a run with checkpoints fills
//! `.{name}.partial`, so that a killed run's checkpoints can be found from `out`) is
//! published the same way by [`publish_folder`].

use std::fs;
use std::path::{Path, PathBuf};

use crate::atomic::{hidden_sibling, parent_of, sync_dir};
use crate::error::OutputError;

/// What is at the output path now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Missing,
    EmptyDir,
    FullDir,
}

fn inspect(out: &Path) -> Result<Target, OutputError> {
    match fs::symlink_metadata(out) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Target::Missing),
        Err(e) => Err(OutputError::io("inspect", out)(e)),
        Ok(meta) if meta.is_dir() => {
            let mut entries = fs::read_dir(out).map_err(OutputError::io("read", out))?;
            Ok(if entries.next().is_none() {
                Target::EmptyDir
            } else {
                Target::FullDir
            })
        }
        Ok(_) => Err(OutputError::NotADirectory {
            path: out.to_path_buf(),
        }),
    }
}

/// Checks that `out` can be published to: it is missing or an empty folder, or a folder
/// with files and `force` is set. Call it before a long run to fail early; [`publish`]
/// checks again.
pub fn check_out(out: &Path, force: bool) -> Result<(), OutputError> {
    match inspect(out)? {
        Target::FullDir if !force => Err(OutputError::Exists {
            path: out.to_path_buf(),
        }),
        _ => Ok(()),
    }
}

/// `.{name}.{tag}-{pid}` beside `out`: this process's own hidden sibling.
fn own_sibling(out: &Path, tag: &str) -> Result<PathBuf, OutputError> {
    hidden_sibling(out, &format!("{tag}-{}", std::process::id()))
}

/// Publishes a folder filled beforehand: its files are synced to disk and it is renamed to
/// `out`, as [`publish`] does with its temporary folder, with the same rules for an
/// existing `out`. On error `folder` is left as it is: it may hold checkpoints a resumed run
/// needs.
pub fn publish_folder(folder: &Path, out: &Path, force: bool) -> Result<(), OutputError> {
    check_out(out, force)?;
    if out.file_name().is_none() {
        return Err(OutputError::InvalidPath {
            path: out.to_path_buf(),
        });
    }
    let parent = parent_of(out);
    sync_tree(folder)?;
    swap_in(folder, out, &parent, force)
}

/// Writes an output folder atomically: `write` fills a temporary sibling folder, whose
/// files are then synced to disk and which is renamed to `out`.
///
/// If `out` is a folder with files, this fails with [`OutputError::Exists`] unless `force`
/// is set, in which case the old folder is replaced and then removed. On any error the
/// temporary folder is removed and `out` is left as it was. Missing parent folders are
/// created.
///
/// ```
/// # fn main() -> Result<(), outbreak_output::OutputError> {
/// let dir = tempfile::tempdir().unwrap();
/// let out = dir.path().join("run");
/// let n = outbreak_output::publish(&out, false, |tmp| {
///     std::fs::write(tmp.join("hello.txt"), "hi").map_err(|e| outbreak_output::OutputError::Io {
///         op: "write", path: tmp.join("hello.txt"), source: e,
///     })?;
///     Ok(1)
/// })?;
/// assert_eq!(n, 1);
/// assert!(out.join("hello.txt").is_file());
/// # Ok(()) }
/// ```
pub fn publish<T>(
    out: &Path,
    force: bool,
    write: impl FnOnce(&Path) -> Result<T, OutputError>,
) -> Result<T, OutputError> {
    check_out(out, force)?;
    let temp = own_sibling(out, "partial")?;
    let parent = parent_of(&temp);
    fs::create_dir_all(&parent).map_err(OutputError::io("create", &parent))?;
    remove_dead_partials(&parent, out);
    if fs::symlink_metadata(&temp).is_ok() {
        // Left by an earlier process that had our id and was killed.
        fs::remove_dir_all(&temp).map_err(OutputError::io("remove", &temp))?;
    }
    fs::create_dir(&temp).map_err(OutputError::io("create", &temp))?;
    let result = write(&temp).and_then(|value| {
        sync_tree(&temp)?;
        swap_in(&temp, out, &parent, force)?;
        Ok(value)
    });
    if result.is_err() && fs::symlink_metadata(&temp).is_ok() {
        // Best effort: the error being returned matters more than a failed clean-up.
        let _ = fs::remove_dir_all(&temp);
    }
    result
}

/// Removes the `.{name}.partial-{pid}` folders that killed processes left beside `out`:
/// those whose process is gone (on systems with `/proc`; elsewhere nothing is removed).
/// Best effort: a folder that cannot be removed stays.
fn remove_dead_partials(parent: &Path, out: &Path) {
    let (Some(name), true) = (out.file_name(), Path::new("/proc/self").exists()) else {
        return;
    };
    let prefix = format!(".{}.partial-", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = file
            .strip_prefix(&prefix)
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// Renames the finished temporary folder to `out`, moving an old run aside if allowed.
fn swap_in(temp: &Path, out: &Path, parent: &Path, force: bool) -> Result<(), OutputError> {
    let rename = |from: &Path, to: &Path| {
        fs::rename(from, to).map_err(|source| OutputError::Rename {
            from: from.to_path_buf(),
            to: to.to_path_buf(),
            source,
        })
    };
    // NOTE: inspected again, as `out` may have changed while the run was being written.
    match inspect(out)? {
        Target::Missing => rename(temp, out)?,
        Target::EmptyDir => {
            // Renaming over an empty folder works on Unix but not on Windows.
            fs::remove_dir(out).map_err(OutputError::io("remove", out))?;
            rename(temp, out)?;
        }
        Target::FullDir if !force => {
            return Err(OutputError::Exists {
                path: out.to_path_buf(),
            })
        }
        Target::FullDir => {
            let aside = own_sibling(out, "old")?;
            if fs::symlink_metadata(&aside).is_ok() {
                fs::remove_dir_all(&aside).map_err(OutputError::io("remove", &aside))?;
            }
            rename(out, &aside)?;
            if let Err(e) = rename(temp, out) {
                // Put the old run back; if even that fails it survives under `aside`.
                let _ = fs::rename(&aside, out);
                return Err(e);
            }
            sync_dir(parent)?;
            // The new run is in place; an old copy that cannot be removed is left hidden
            // rather than reported as a failure to publish.
            let _ = fs::remove_dir_all(&aside);
        }
    }
    sync_dir(parent)
}

/// Syncs every file under `dir`, then the folders themselves, so the rename that follows
/// publishes data that is on disk.
fn sync_tree(dir: &Path) -> Result<(), OutputError> {
    for entry in fs::read_dir(dir).map_err(OutputError::io("read", dir))? {
        let entry = entry.map_err(OutputError::io("read", dir))?;
        let path = entry.path();
        let kind = entry
            .file_type()
            .map_err(OutputError::io("inspect", &path))?;
        if kind.is_dir() {
            sync_tree(&path)?;
        } else if kind.is_file() {
            // Opened for writing because Windows cannot flush a read-only handle.
            let file = fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .map_err(OutputError::io("open", &path))?;
            file.sync_all().map_err(OutputError::io("sync", &path))?;
        }
    }
    sync_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_file(dir: &Path, name: &str, text: &str) -> Result<(), OutputError> {
        let path = dir.join(name);
        fs::write(&path, text).map_err(OutputError::io("write", &path))
    }

    /// Names in a folder, sorted.
    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("test folder is readable")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn publishes_into_a_new_folder_and_leaves_no_temporary() {
        let root = tempfile::tempdir().expect("temp dir");
        let out = root.path().join("nested").join("run");
        let seen = publish(&out, false, |tmp| {
            assert_ne!(tmp, out.as_path());
            assert!(tmp
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".run.partial-")));
            write_file(tmp, "a.csv", "x\n")?;
            Ok(7)
        })
        .expect("publish");
        assert_eq!(seen, 7);
        assert_eq!(
            fs::read_to_string(out.join("a.csv")).expect("published file"),
            "x\n"
        );
        assert_eq!(listing(&root.path().join("nested")), vec!["run"]);
    }

    #[test]
    fn folders_left_by_killed_processes_are_removed() {
        let root = tempfile::tempdir().expect("temp dir");
        let out = root.path().join("run");
        // No process has this id (Linux's largest is 4,194,304).
        let dead = root.path().join(".run.partial-999999999");
        let other = root.path().join(".other.partial-999999999");
        // A process that is still running keeps its folder.
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .expect("sleep runs");
        let running = root.path().join(format!(".run.partial-{}", child.id()));
        for d in [&dead, &other, &running] {
            fs::create_dir_all(d).expect("made");
        }
        publish(&out, false, |tmp| write_file(tmp, "a.csv", "x\n")).expect("publish");
        let _ = child.kill();
        let _ = child.wait();
        if Path::new("/proc/self").exists() {
            assert!(!dead.exists(), "a dead process's folder is removed");
        }
        assert!(running.exists(), "a running process's folder is kept");
        assert!(other.exists(), "another output's folder is left alone");
    }

    #[test]
    fn an_error_in_the_writer_leaves_nothing() {
        let root = tempfile::tempdir().expect("temp dir");
        let out = root.path().join("run");
        let err = publish(&out, false, |tmp| -> Result<(), OutputError> {
            write_file(tmp, "half.csv", "tick\n")?;
            Err(OutputError::MissedTicks { first: 3, last: 4 })
        })
        .expect_err("the writer failed");
        assert!(matches!(
            err,
            OutputError::MissedTicks { first: 3, last: 4 }
        ));
        assert!(!out.exists());
        assert!(
            listing(root.path()).is_empty(),
            "left behind: {:?}",
            listing(root.path())
        );
    }

    #[test]
    fn a_folder_with_files_is_kept_unless_forced() {
        let root = tempfile::tempdir().expect("temp dir");
        let out = root.path().join("run");
        fs::create_dir(&out).expect("mkdir");
        fs::write(out.join("old.csv"), "old").expect("old file");

        let mut called = false;
        let err = publish(&out, false, |_| {
            called = true;
            Ok(())
        })
        .expect_err("exists");
        assert!(matches!(&err, OutputError::Exists { path } if path == &out));
        assert!(!called, "the writer must not run when the target is taken");
        assert_eq!(listing(&out), vec!["old.csv"]);
        assert!(matches!(
            check_out(&out, false),
            Err(OutputError::Exists { .. })
        ));

        publish(&out, true, |tmp| write_file(tmp, "new.csv", "new")).expect("forced publish");
        assert_eq!(listing(&out), vec!["new.csv"]);
        assert_eq!(listing(root.path()), vec!["run"], "the old run was removed");
    }

    #[test]
    fn a_failed_forced_publish_keeps_the_old_run() {
        let root = tempfile::tempdir().expect("temp dir");
        let out = root.path().join("run");
        fs::create_dir(&out).expect("mkdir");
        fs::write(out.join("old.csv"), "old").expect("old file");
        let err = publish(&out, true, |_| -> Result<(), OutputError> {
            Err(OutputError::InvalidPath {
                path: PathBuf::from("x"),
            })
        });
        assert!(err.is_err());
        assert_eq!(listing(&out), vec!["old.csv"]);
        assert_eq!(listing(root.path()), vec!["run"]);
    }

    #[test]
    fn an_empty_folder_is_replaced() {
        let root = tempfile::tempdir().expect("temp dir");
        let out = root.path().join("run");
        fs::create_dir(&out).expect("mkdir");
        publish(&out, false, |tmp| write_file(tmp, "a.csv", "a")).expect("publish");
        assert_eq!(listing(&out), vec!["a.csv"]);
    }

    #[test]
    fn a_file_or_a_bare_root_is_refused() {
        let root = tempfile::tempdir().expect("temp dir");
        let file = root.path().join("run");
        fs::write(&file, "not a folder").expect("file");
        assert!(matches!(
            publish(&file, true, |_| Ok(())),
            Err(OutputError::NotADirectory { .. })
        ));
        let dotdot = root.path().join("..");
        assert!(matches!(
            publish(&dotdot, true, |_| Ok(())),
            Err(OutputError::InvalidPath { .. })
        ));
        assert!(matches!(
            publish_folder(root.path(), &dotdot, true),
            Err(OutputError::InvalidPath { .. })
        ));
    }

    #[test]
    fn a_filled_folder_is_published() {
        let root = tempfile::tempdir().expect("temp dir");
        let out = root.path().join("run");
        let work = root.path().join(".run.partial");
        fs::create_dir_all(work.join("checkpoints")).expect("mkdir");
        write_file(&work.join("checkpoints"), "hour-0001.ckpt", "c").expect("file");
        write_file(&work, "a.csv", "a").expect("file");
        publish_folder(&work, &out, false).expect("publish");
        assert_eq!(listing(&out), vec!["a.csv", "checkpoints"]);
        assert_eq!(listing(root.path()), vec!["run"]);
        // A finished run is replaced only with force; the folder waits meanwhile.
        fs::create_dir_all(&work).expect("mkdir");
        write_file(&work, "b.csv", "b").expect("file");
        assert!(matches!(
            publish_folder(&work, &out, false),
            Err(OutputError::Exists { .. })
        ));
        assert_eq!(listing(&work), vec!["b.csv"]);
        publish_folder(&work, &out, true).expect("forced");
        assert_eq!(listing(&out), vec!["b.csv"]);
        assert_eq!(listing(root.path()), vec!["run"]);
    }

    #[test]
    fn a_relative_name_gets_a_sibling_in_the_current_folder() {
        let temp = own_sibling(Path::new("run"), "partial").expect("sibling");
        assert_eq!(parent_of(&temp), PathBuf::from("."));
        assert_eq!(
            temp,
            PathBuf::from(format!("./.run.partial-{}", std::process::id()))
        );
    }
}
