//! Checkpoint files: the whole state of a run at the end of a tick, to resume it or to
//! branch a variant from it.
//!
//! A checkpoint holds the scenario as run (its TOML text, from which the world, the
//! parameters and the timeline are built again), the engine's [`Snapshot`], the
//! [`Recorder`]'s history up to that tick, the title of the run's chart and how often the
//! run writes checkpoints (so a resumed run writes the same ones). Nothing in it depends on
//! the machine, the path or the clock: the same run writes the same bytes.
//!
//! The file is a fixed header, then the body in [postcard](https://docs.rs/postcard):
//!
//! | bytes | what |
//! | --- | --- |
//! | 8 | magic: `OUTBRKCP` |
//! | 4 | format version, little-endian `u32` ([`FORMAT`]) |
//! | 2 + n | the version of outbreak that wrote it: length (`u16`, little-endian), then UTF-8 |
//! | 8 | length of the body in bytes, little-endian `u64` |
//! | 8 | FNV-1a (64-bit) checksum of the body, little-endian |
//! | … | the body |
//!
//! Reading checks each part in turn, so a file that is not a checkpoint, is cut short, was
//! written by another version or is damaged gets its own [`CheckpointError`]; none panics.
//!
//! ```
//! use outbreak_engine::prelude::*;
//! use outbreak_output::{read_checkpoint, write_checkpoint, Recorder};
//!
//! let traits = Traits { walk_mps: 1.3, run_mps: 3.0, fight: 1.0, stealth: 0.0 };
//! let mut pop = Population::default();
//! for k in 0..40 {
//!     let health = if k == 0 { Health::Zombie } else { Health::Susceptible };
//!     pop.push(AgentSpec { place: PlaceId(0), health, role: Role::Civilian, mode: Mode::Alert,
//!                          traits, anchors: None, name: None });
//! }
//! let params = Params::well_mixed(3, 1.0, 0.05, 0.02, 30);
//! let mut sim = Simulation::new(well_mixed_world(1.0), pop, params, vec![]);
//! let mut rec = Recorder::new(&sim);
//! for _ in 0..10 {
//!     sim.step();
//!     rec.observe(&sim);
//! }
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("hour-0000.ckpt");
//! write_checkpoint(&path, "[run]\nseed = 3\n", "arena", 10, &sim.snapshot(), &rec)?;
//! let back = read_checkpoint(&path).unwrap();
//! assert_eq!(back.tick(), 10);
//! assert_eq!(back.snapshot, sim.snapshot());
//! assert_eq!(back.recorder.ticks().len(), 11);
//! # Ok::<(), outbreak_output::OutputError>(())
//! ```

use std::fs;
use std::path::{Path, PathBuf};

use outbreak_engine::sim::Snapshot;
use serde::{Deserialize, Serialize};

use crate::error::OutputError;
use crate::recorder::Recorder;

/// The first bytes of every checkpoint file.
pub const MAGIC: &[u8; 8] = b"OUTBRKCP";

/// Version of the checkpoint layout; a file of another version is refused.
pub const FORMAT: u32 = 3;

/// The version of outbreak that writes checkpoints; a file written by another is refused,
/// as its engine may take other steps from the same state.
pub const PROGRAM: &str = env!("CARGO_PKG_VERSION");

/// A run at the end of a tick, as read from a checkpoint file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The scenario as run (`Scenario::to_toml`): the world, the population at tick 0, the
    /// parameters and the timeline are built again from it.
    pub scenario_toml: String,
    /// The title of the run's chart (the scenario's name).
    pub title: String,
    /// Ticks between the run's checkpoints.
    pub every_ticks: u32,
    /// The engine's state.
    pub snapshot: Snapshot,
    /// The history up to and including the snapshot's tick.
    pub recorder: Recorder,
}

/// The body as written: the same fields by reference, so writing copies nothing.
#[derive(Serialize)]
struct Body<'a> {
    scenario_toml: &'a str,
    title: &'a str,
    every_ticks: u32,
    snapshot: &'a Snapshot,
    recorder: &'a Recorder,
}

impl Checkpoint {
    /// The tick the checkpoint was taken at.
    pub fn tick(&self) -> u32 {
        self.snapshot.tick()
    }
}

/// Why a checkpoint file could not be read. Every message starts with the file's path.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CheckpointError {
    /// The file could not be read.
    #[error("{}: cannot read", path.display())]
    Io {
        /// The checkpoint file.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The file does not start with [`MAGIC`].
    #[error("{}: not an outbreak checkpoint", path.display())]
    NotACheckpoint {
        /// The file that was read.
        path: PathBuf,
    },
    /// The file ends before its header or body does.
    #[error("{}: truncated ({found} bytes, expected {expected})", path.display())]
    Truncated {
        /// The checkpoint file.
        path: PathBuf,
        /// Bytes the file needs to hold at least the part being read (`u64::MAX` if the
        /// lengths in the header overflow).
        expected: u64,
        /// Bytes the file holds.
        found: u64,
    },
    /// The file was written by another version of outbreak or in another layout.
    #[error(
        "{}: made by another version (outbreak {program}, checkpoint format {format}; this is outbreak {PROGRAM}, format {FORMAT})",
        path.display()
    )]
    OtherVersion {
        /// The checkpoint file.
        path: PathBuf,
        /// The version of outbreak that wrote it, as its header says (compared with [`PROGRAM`]).
        program: String,
        /// Its checkpoint layout version (compared with [`FORMAT`]).
        format: u32,
    },
    /// The body does not match its checksum or cannot be decoded.
    #[error("{}: damaged ({why})", path.display())]
    Damaged {
        /// The checkpoint file.
        path: PathBuf,
        /// What is wrong: "checksum mismatch", bytes after the end, or the decoder's message.
        why: String,
    },
}

/// FNV-1a, 64 bits: a checksum with no dependency, enough to catch damaged bytes.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The bytes of a checkpoint file.
pub fn encode_checkpoint(
    scenario_toml: &str,
    title: &str,
    every_ticks: u32,
    snapshot: &Snapshot,
    recorder: &Recorder,
) -> Vec<u8> {
    let body = Body {
        scenario_toml,
        title,
        every_ticks,
        snapshot,
        recorder,
    };
    // NOTE: serialising plain structs and vectors into memory cannot fail.
    let body = postcard::to_stdvec(&body).unwrap_or_default();
    let mut out = Vec::with_capacity(body.len() + 64);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.extend_from_slice(&(PROGRAM.len() as u16).to_le_bytes());
    out.extend_from_slice(PROGRAM.as_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&fnv1a(&body).to_le_bytes());
    out.extend_from_slice(&body);
    out
}

/// Reads a checkpoint from its bytes; `path` names it in errors.
pub fn decode_checkpoint(path: &Path, bytes: &[u8]) -> Result<Checkpoint, CheckpointError> {
    let total = bytes.len() as u64;
    let truncated = |expected: usize| CheckpointError::Truncated {
        path: path.to_path_buf(),
        expected: expected as u64,
        found: total,
    };
    if bytes.get(..MAGIC.len()) != Some(MAGIC.as_slice()) {
        // A file shorter than the magic that agrees with it so far was cut short.
        return Err(if !bytes.is_empty() && MAGIC.starts_with(bytes) {
            truncated(MAGIC.len())
        } else {
            CheckpointError::NotACheckpoint {
                path: path.to_path_buf(),
            }
        });
    }
    let mut at = MAGIC.len();
    let mut take = |n: usize| -> Result<&[u8], CheckpointError> {
        let end = at.checked_add(n).ok_or_else(|| truncated(usize::MAX))?;
        let part = bytes.get(at..end).ok_or_else(|| truncated(end))?;
        at = end;
        Ok(part)
    };
    let mut word = [0u8; 8];
    let format = u32::from_le_bytes(take(4)?.try_into().unwrap_or_default());
    let n = usize::from(u16::from_le_bytes(take(2)?.try_into().unwrap_or_default()));
    let program = String::from_utf8_lossy(take(n)?).into_owned();
    if format != FORMAT || program != PROGRAM {
        return Err(CheckpointError::OtherVersion {
            path: path.to_path_buf(),
            program,
            format,
        });
    }
    word.copy_from_slice(take(8)?);
    let len = usize::try_from(u64::from_le_bytes(word)).unwrap_or(usize::MAX);
    word.copy_from_slice(take(8)?);
    let sum = u64::from_le_bytes(word);
    let body = take(len)?;
    let damaged = |why: String| CheckpointError::Damaged {
        path: path.to_path_buf(),
        why,
    };
    let extra = bytes.len() - at;
    if extra > 0 {
        return Err(damaged(format!("{extra} bytes after the end")));
    }
    if fnv1a(body) != sum {
        return Err(damaged("checksum mismatch".into()));
    }
    postcard::from_bytes(body).map_err(|e| damaged(e.to_string()))
}

/// Reads a checkpoint file.
pub fn read_checkpoint(path: &Path) -> Result<Checkpoint, CheckpointError> {
    let bytes = fs::read(path).map_err(|source| CheckpointError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    decode_checkpoint(path, &bytes)
}

/// Writes a checkpoint file atomically ([`write_atomic`](crate::write_atomic)): a process
/// killed part-way leaves at most a hidden temporary file beside it (`.NAME.tmp`), never a
/// cut-short checkpoint under the final name.
pub fn write_checkpoint(
    path: &Path,
    scenario_toml: &str,
    title: &str,
    every_ticks: u32,
    snapshot: &Snapshot,
    recorder: &Recorder,
) -> Result<(), OutputError> {
    let bytes = encode_checkpoint(scenario_toml, title, every_ticks, snapshot, recorder);
    crate::atomic::write_atomic(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use outbreak_engine::prelude::*;

    fn small_run() -> (Simulation, Recorder) {
        let traits = Traits {
            walk_mps: 1.3,
            run_mps: 3.0,
            fight: 1.0,
            stealth: 0.0,
        };
        let mut pop = Population::default();
        for k in 0..60 {
            let health = if k < 2 {
                Health::Zombie
            } else {
                Health::Susceptible
            };
            let name = (k == 5).then(|| "Lee Cheong-san".to_string());
            pop.push(AgentSpec {
                place: PlaceId(0),
                health,
                role: Role::Student,
                mode: Mode::Alert,
                traits,
                anchors: None,
                name,
            });
        }
        let orders = vec![Order {
            label: "eradicate".into(),
            trigger: Trigger::At { tick: 4 },
            action: Action::Eradicate {
                zone: None,
                kill_fraction: 0.5,
            },
        }];
        let params = Params::well_mixed(9, 1.0, 0.1, 0.05, 40);
        let mut sim = Simulation::new(well_mixed_world(1.0), pop, params, orders);
        let mut rec = Recorder::new(&sim);
        for _ in 0..12 {
            sim.step();
            rec.observe(&sim);
        }
        (sim, rec)
    }

    fn bytes() -> Vec<u8> {
        let (sim, rec) = small_run();
        encode_checkpoint("[run]\n", "arena", 6, &sim.snapshot(), &rec)
    }

    #[test]
    fn a_checkpoint_reads_back_as_written() {
        let (sim, rec) = small_run();
        let b = encode_checkpoint("[run]\nseed = 9\n", "arena", 6, &sim.snapshot(), &rec);
        let c = decode_checkpoint(Path::new("x.ckpt"), &b).expect("decodes");
        assert_eq!(c.scenario_toml, "[run]\nseed = 9\n");
        assert_eq!(c.title, "arena");
        assert_eq!(c.every_ticks, 6);
        assert_eq!(c.tick(), 12);
        assert_eq!(c.snapshot, sim.snapshot());
        assert_eq!(c.recorder.ticks(), rec.ticks());
        assert_eq!(c.recorder.events(), rec.events());
        assert_eq!(c.recorder.totals(), rec.totals());
        // The same state gives the same bytes.
        assert_eq!(
            b,
            encode_checkpoint("[run]\nseed = 9\n", "arena", 6, &c.snapshot, &c.recorder)
        );
    }

    #[test]
    fn garbage_is_not_a_checkpoint() {
        let p = Path::new("runs/x/garbage.ckpt");
        for junk in [&b"hello, world: not a checkpoint"[..], b"", b"\x00\x01"] {
            let e = decode_checkpoint(p, junk).unwrap_err();
            assert!(matches!(e, CheckpointError::NotACheckpoint { .. }), "{e}");
            assert_eq!(
                e.to_string(),
                "runs/x/garbage.ckpt: not an outbreak checkpoint"
            );
        }
    }

    #[test]
    fn every_cut_is_reported_as_truncated() {
        let b = bytes();
        for cut in [3, 8, 11, 13, 20, 30, 40, b.len() / 2, b.len() - 1] {
            let e = decode_checkpoint(Path::new("c.ckpt"), &b[..cut]).unwrap_err();
            assert!(
                matches!(e, CheckpointError::Truncated { .. }),
                "cut at {cut}: {e}"
            );
            assert!(e.to_string().starts_with("c.ckpt: truncated"), "{e}");
        }
    }

    #[test]
    fn another_format_or_program_is_refused() {
        let mut b = bytes();
        b[8] = 99;
        let e = decode_checkpoint(Path::new("c.ckpt"), &b).unwrap_err();
        assert!(
            matches!(e, CheckpointError::OtherVersion { format: 99, .. }),
            "{e}"
        );
        assert!(e.to_string().contains("made by another version"), "{e}");
        let mut b = bytes();
        let at = MAGIC.len() + 4 + 2;
        b[at] = b'9';
        let e = decode_checkpoint(Path::new("c.ckpt"), &b).unwrap_err();
        assert!(matches!(e, CheckpointError::OtherVersion { .. }), "{e}");
    }

    #[test]
    fn a_changed_byte_is_damage() {
        let mut b = bytes();
        let last = b.len() - 1;
        b[last] ^= 0x40;
        let e = decode_checkpoint(Path::new("c.ckpt"), &b).unwrap_err();
        assert!(matches!(e, CheckpointError::Damaged { .. }), "{e}");
        let mut b = bytes();
        b.push(0);
        let e = decode_checkpoint(Path::new("c.ckpt"), &b).unwrap_err();
        assert!(matches!(e, CheckpointError::Damaged { .. }), "{e}");
    }

    #[test]
    fn writing_leaves_no_temporary_file() {
        let (sim, rec) = small_run();
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("hour-0001.ckpt");
        write_checkpoint(&path, "[run]\n", "arena", 6, &sim.snapshot(), &rec).expect("write");
        let names: Vec<String> = fs::read_dir(dir.path())
            .expect("read")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["hour-0001.ckpt"]);
        assert_eq!(read_checkpoint(&path).expect("reads").tick(), 12);
        let missing = read_checkpoint(&dir.path().join("none.ckpt")).unwrap_err();
        assert!(matches!(missing, CheckpointError::Io { .. }), "{missing}");
    }
}
