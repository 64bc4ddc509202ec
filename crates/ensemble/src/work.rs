//! The work folder of an ensemble or sweep: where finished members wait until the last one
//! is done, so that a job killed half-way and run again with the same arguments continues
//! where it stopped.
//!
//! It is `.{name}.work` beside the output folder `name`. It holds `job.json` (everything
//! that fixes the results: scenario as run, members, seeds, grid, what is kept, program
//! version) and one `units/NNNNNNNN.json` per finished member, each written atomically
//! ([`outbreak_output::write_atomic`]), so a file that is there is whole. A job run again
//! reads `job.json`: the same job continues, another job is refused (or, with `force`,
//! started afresh). The folder is removed once the outputs are published.

use std::fs;
use std::path::{Path, PathBuf};

use outbreak_output::write_atomic;

use crate::error::EnsembleError;
use crate::member::Member;

/// An open work folder.
#[derive(Debug)]
pub struct Work {
    dir: PathBuf,
    /// Members finished elsewhere and given whole (the shards being collected), by unit.
    given: std::collections::HashMap<u32, Member>,
}

/// The work folder of output folder `out`: its hidden sibling `.{name}.work`.
pub fn work_dir(out: &Path) -> Result<PathBuf, EnsembleError> {
    outbreak_output::hidden_sibling(out, "work")
        .map_err(|_| EnsembleError::BadOut(out.to_path_buf()))
}

impl Work {
    /// Opens the work folder of `out` for the job described by `job` (JSON): continues it
    /// if it holds the same job, starts it if there is none. Another job's folder is an
    /// error unless `force`, which clears it.
    pub fn open(out: &Path, job: &str, force: bool) -> Result<Work, EnsembleError> {
        let dir = work_dir(out)?;
        let job_file = dir.join("job.json");
        if dir.exists() {
            match fs::read_to_string(&job_file) {
                Ok(j) if j == job => return Ok(Work::at(dir)),
                // Another job's work is kept unless forced.
                Ok(_) if !force => return Err(EnsembleError::OtherJob { work: dir }),
                // No job written yet (killed as it started): nothing to keep.
                _ => fs::remove_dir_all(&dir).map_err(EnsembleError::io("remove", &dir))?,
            }
        }
        // The job first, then the folder of units: a folder with units has its job.
        fs::create_dir_all(&dir).map_err(EnsembleError::io("create", &dir))?;
        let units = dir.join("units");
        let started = write_atomic(&job_file, job.as_bytes())
            .map_err(EnsembleError::from)
            .and_then(|()| fs::create_dir_all(&units).map_err(EnsembleError::io("create", &units)));
        if let Err(e) = started {
            // Nothing of the job is saved yet (a full disk): leave no folder behind.
            let _ = fs::remove_dir_all(&dir);
            return Err(e);
        }
        Ok(Work::at(dir))
    }

    fn at(dir: PathBuf) -> Work {
        Work {
            dir,
            given: std::collections::HashMap::new(),
        }
    }

    /// This folder, with `members` taken as finished (finished elsewhere: the shards being
    /// collected; they are not written again).
    pub fn with_given(mut self, members: Vec<Member>) -> Work {
        self.given = members.into_iter().map(|m| (m.unit, m)).collect();
        self
    }

    fn unit_path(&self, unit: u32) -> PathBuf {
        self.dir.join("units").join(format!("{unit:08}.json"))
    }

    /// The finished member `unit`, if it was saved (a file that does not read back as a
    /// member is taken as not done and run again).
    pub fn done(&self, unit: u32) -> Option<Member> {
        if let Some(m) = self.given.get(&unit) {
            return Some(m.clone());
        }
        let text = fs::read(self.unit_path(unit)).ok()?;
        serde_json::from_slice::<Member>(&text)
            .ok()
            .filter(|m| m.unit == unit)
    }

    /// Saves a finished member.
    pub fn save(&self, m: &Member) -> Result<(), EnsembleError> {
        let path = self.unit_path(m.unit);
        let json = serde_json::to_vec(m).map_err(|e| EnsembleError::Io {
            what: "encode",
            path: path.clone(),
            source: std::io::Error::other(e),
        })?;
        Ok(write_atomic(&path, &json)?)
    }

    /// Removes the folder (after the outputs are published).
    pub fn finish(self) -> Result<(), EnsembleError> {
        fs::remove_dir_all(&self.dir).map_err(EnsembleError::io("remove", &self.dir))
    }

    /// Where the folder is.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}
