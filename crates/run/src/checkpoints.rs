//! A run's checkpoints on disk: the interval in ticks, the file names
//! (`hour-HHHH.ckpt`), the in-progress folder they wait in, and reading one back with the
//! checks that it fits its own scenario.
//!
//! A run that writes checkpoints works in its *in-progress folder*, `.{name}.partial`
//! beside the results folder (hidden, and named after the results folder alone so that a
//! resumed run finds it). Checkpoints go to `checkpoints/` in it as the run goes, each
//! written atomically; the other files are written at the end, and the folder is then
//! renamed to the results folder. A killed run leaves only the hidden folder, never a
//! folder that looks complete.

use std::fs;
use std::path::{Path, PathBuf};

use outbreak_engine::prelude::Population;
use outbreak_output::{files, Checkpoint, CheckpointError};
use outbreak_scenario::{Parts, Scenario};

use crate::error::RunError;

/// A checkpoint interval of `hours` in ticks of `tick_minutes`.
pub(crate) fn every_ticks(hours: f64, tick_minutes: f64) -> Result<u32, RunError> {
    let ticks = hours * 60.0 / tick_minutes;
    let whole = ticks.round();
    if !(hours.is_finite() && hours > 0.0)
        || (ticks - whole).abs() > 1e-6 * whole.max(1.0)
        || !(1.0..=f64::from(u32::MAX)).contains(&whole)
    {
        return Err(RunError::Interval {
            hours,
            tick_minutes,
        });
    }
    Ok(whole as u32)
}

/// The name of the checkpoint at a tick: `hour-HHHH.ckpt`, with the hour's fraction after
/// a point when it has one (`hour-0001.5.ckpt`), so that names sort by time up to hour
/// 9,999.
pub(crate) fn file_name(tick: u32, tick_minutes: f64) -> String {
    let hours = format!("{:.6}", f64::from(tick) * tick_minutes / 60.0);
    let hours = hours.trim_end_matches('0').trim_end_matches('.');
    let (whole, fraction) = hours.split_once('.').unwrap_or((hours, ""));
    let point = if fraction.is_empty() { "" } else { "." };
    format!("hour-{whole:0>4}{point}{fraction}.ckpt")
}

/// The hour a checkpoint's name gives, if it is one.
fn hour_of(name: &str) -> Option<f64> {
    let hours = name.strip_prefix("hour-")?.strip_suffix(".ckpt")?;
    hours.parse::<f64>().ok().filter(|h| h.is_finite())
}

/// The checkpoints in a folder, earliest first.
pub(crate) fn list(dir: &Path) -> Result<Vec<PathBuf>, RunError> {
    let mut found = Vec::new();
    for e in fs::read_dir(dir).map_err(RunError::io("reading", dir))? {
        let e = e.map_err(RunError::io("reading", dir))?;
        if let Some(h) = hour_of(&e.file_name().to_string_lossy()) {
            found.push((h, e.path()));
        }
    }
    found.sort_by(|a, b| a.0.total_cmp(&b.0));
    Ok(found.into_iter().map(|f| f.1).collect())
}

/// The in-progress folder of the results folder `out`: `.{name}.partial` beside it.
/// Unlike the temporary folder of [`outbreak_output::publish`] (`.{name}.partial-{pid}`)
/// its name does not depend on the process, so that a killed run can be found from `out`.
pub(crate) fn in_progress_folder(out: &Path) -> Result<PathBuf, RunError> {
    outbreak_output::hidden_sibling(out, "partial").map_err(|_| RunError::Unnamed {
        path: out.to_path_buf(),
    })
}

/// Reads a checkpoint whose history ends at its tick.
pub(crate) fn read(path: &Path) -> Result<Checkpoint, RunError> {
    let c = outbreak_output::read_checkpoint(path)?;
    if c.recorder.ticks().last() != Some(&c.tick()) {
        return Err(CheckpointError::Damaged {
            path: path.to_path_buf(),
            why: format!("its history does not end at its tick {}", c.tick()),
        }
        .into());
    }
    Ok(c)
}

/// The scenario a checkpoint holds, and the parts built from it; the checkpoint's history
/// must be of that world and clock, and its state of the people that scenario places.
pub(crate) fn scenario_of(path: &Path, c: &Checkpoint) -> Result<(Scenario, Parts), RunError> {
    let file = format!("{} (its scenario)", path.display());
    let scenario = Scenario::from_str(&c.scenario_toml, &file, &[])?;
    let parts = scenario.build_parts()?;
    if c.recorder.zone_count() != parts.world.zone_count()
        || c.recorder.tick_minutes() != scenario.params.run.tick_minutes
    {
        return Err(CheckpointError::Damaged {
            path: path.to_path_buf(),
            why: "its history is not of the world and clock of its scenario".into(),
        }
        .into());
    }
    if !same_people(c.snapshot.population(), &parts.pop) {
        return Err(CheckpointError::Damaged {
            path: path.to_path_buf(),
            why: format!(
                "its people are not the ones its scenario places with seed {} (another `[population]`, other characters or another seed)",
                scenario.params.run.seed
            ),
        }
        .into());
    }
    Ok((scenario, parts))
}

/// Whether a run's people at some tick are the people `placed` at its start: the same
/// number, with the same roles, traits, routines and names (what no tick changes, and
/// what the seed deals out).
fn same_people(now: &Population, placed: &Population) -> bool {
    now.len() == placed.len()
        && now.role == placed.role
        && now.traits == placed.traits
        && now.anchors == placed.anchors
        && now.names == placed.names
}

/// Takes the in-progress folder of `out` for a new run, with an empty `checkpoints/`: an
/// interrupted run's is kept (to be resumed) unless `force`.
pub(crate) fn claim(out: &Path, force: bool) -> Result<PathBuf, RunError> {
    let work = in_progress_folder(out)?;
    if fs::symlink_metadata(&work).is_ok() {
        // A run killed before its first checkpoint left nothing to resume: start again.
        let resumable = list(&work.join(files::CHECKPOINTS)).is_ok_and(|c| !c.is_empty());
        if resumable && !force {
            return Err(RunError::Interrupted {
                work,
                out: out.to_path_buf(),
            });
        }
        fs::remove_dir_all(&work).map_err(RunError::io("removing", &work))?;
    }
    if let Some(parent) = work.parent() {
        fs::create_dir_all(parent).map_err(RunError::io("creating", parent))?;
    }
    // NOTE: `create_dir` fails if another run took the folder meanwhile.
    fs::create_dir(&work).map_err(RunError::io("creating", &work))?;
    let checkpoints = work.join(files::CHECKPOINTS);
    fs::create_dir(&checkpoints).map_err(RunError::io("creating", &checkpoints))?;
    Ok(work)
}

/// Removes what a killed run left half-written among its checkpoints: only ever hidden
/// temporary files.
pub(crate) fn remove_temporaries(dir: &Path) -> Result<(), RunError> {
    for e in fs::read_dir(dir).map_err(RunError::io("reading", dir))? {
        let path = e.map_err(RunError::io("reading", dir))?.path();
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        {
            fs::remove_file(&path).map_err(RunError::io("removing", &path))?;
        }
    }
    Ok(())
}

/// Puts the checkpoints `found` into the folder `into`: hard links where the file system
/// allows, else copies.
pub(crate) fn bring(found: &[PathBuf], into: &Path) -> Result<(), RunError> {
    for from in found {
        let to = into.join(from.file_name().unwrap_or_default());
        if fs::hard_link(from, &to).is_err() {
            fs::copy(from, &to).map_err(|source| RunError::Copy {
                from: from.clone(),
                to: to.clone(),
                source,
            })?;
        }
    }
    Ok(())
}

/// Whether two paths are the same folder however they are written (`k`, `./k`, `/abs/k`).
pub(crate) fn same_folder(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_by_the_hour_they_give() {
        assert_eq!(file_name(360, 1.0), "hour-0006.ckpt");
        assert_eq!(file_name(90, 1.0), "hour-0001.5.ckpt");
        assert_eq!(file_name(15, 1.0), "hour-0000.25.ckpt");
        assert_eq!(file_name(100, 6.0), "hour-0010.ckpt");
        assert_eq!(file_name(600_000, 1.0), "hour-10000.ckpt");
        for t in [15, 90, 360, 600_000] {
            assert_eq!(
                hour_of(&file_name(t, 1.0)),
                Some(f64::from(t) / 60.0),
                "{t}"
            );
        }
        assert_eq!(hour_of(".hour-0006.ckpt.tmp"), None);
        assert_eq!(hour_of("hour-x.ckpt"), None);
    }

    #[test]
    fn the_interval_is_a_whole_number_of_ticks() {
        assert_eq!(every_ticks(6.0, 1.0).unwrap(), 360);
        assert_eq!(every_ticks(0.5, 6.0).unwrap(), 5);
        assert_eq!(every_ticks(0.1, 6.0).unwrap(), 1);
        for (h, m) in [
            (0.0, 1.0),
            (-1.0, 1.0),
            (f64::NAN, 1.0),
            (0.05, 6.0),
            (1e12, 1.0),
        ] {
            assert!(
                matches!(every_ticks(h, m), Err(RunError::Interval { .. })),
                "{h} h at {m} min"
            );
        }
    }

    #[test]
    fn the_in_progress_folder_is_hidden_beside_the_results() {
        assert_eq!(
            in_progress_folder(Path::new("runs/campus")).unwrap(),
            PathBuf::from("runs/.campus.partial")
        );
        assert!(matches!(
            in_progress_folder(Path::new("/")),
            Err(RunError::Unnamed { .. })
        ));
    }
}
