//! Run folders for outbreak (DESIGN §6, §8): a [`Recorder`] that keeps a simulation's
//! history tick by tick, [`write_run_folder`] that turns it into the files of a run folder,
//! and [`publish`] that makes the folder appear atomically; with [`write_atomic`] and
//! [`hidden_sibling`], the one atomic file write and the one naming rule for hidden
//! in-progress files and folders, which runs, checkpoints, ensembles and sweeps share.
//!
//! A run folder holds:
//!
//! | file | what |
//! | --- | --- |
//! | `scenario.toml` | the scenario as run, seed included (given by the caller, verbatim) |
//! | `timeseries.csv` | counts of each state per tick, whole world ([`TIMESERIES_HEADER`]) |
//! | `zones.csv` | counts of each state per zone per tick ([`ZONES_HEADER`]) |
//! | `events.csv` | every bite, kill, turn, rescue, strike, order … ([`EVENTS_HEADER`]) |
//! | `characters.csv` | the named characters' fates ([`CHARACTERS_HEADER`]) |
//! | `summary.json` | a [`RunSummary`] |
//! | `curves.svg` | the state curves against the clock, the orders marked |
//! | `places.parquet`, `ways.parquet`, `map.parquet` (and `streets.parquet` on map worlds) | worlds with positions: the data behind the maps ([`mapdata`]) |
//! | `map.svg` | worlds with positions: every place by the time of its first bite |
//! | `replay/`, `replay.json` | runs that record (`run.record`): where everyone is at every tick ([`replay`]) |
//! | `checkpoints/` | runs with checkpoints only: the run's state every few hours ([`checkpoint`]) |
//!
//! The crate does no printing and never exits; every failure is an [`OutputError`] naming
//! the file or folder concerned. Given the same run, every file is byte-identical.
//!
//! ```
//! use outbreak_engine::prelude::*;
//! use outbreak_output::{publish, write_run_folder, Recorder};
//!
//! let traits = Traits { walk_mps: 1.3, run_mps: 3.0, fight: 1.0, stealth: 0.0 };
//! let mut pop = Population::default();
//! for k in 0..50 {
//!     let health = if k < 2 { Health::Zombie } else { Health::Susceptible };
//!     let name = (k == 2).then(|| "Nam On-jo".to_string());
//!     pop.push(AgentSpec { place: PlaceId(0), health, role: Role::Student, mode: Mode::Alert,
//!                          traits, anchors: None, name });
//! }
//! let params = Params::well_mixed(42, 1.0, 0.05, 0.02, 120);
//! let mut sim = Simulation::new(well_mixed_world(1.0), pop, params, vec![]);
//! let mut rec = Recorder::new(&sim);
//! sim.run_to_end(|sim| rec.observe(sim));
//!
//! let dir = tempfile::tempdir().unwrap();
//! let out = dir.path().join("run");
//! let summary = publish(&out, false, |tmp| {
//!     write_run_folder(tmp, &rec, &sim, "[run]\nseed = 42\n", None)
//! })?;
//! assert_eq!(summary.population, 50);
//! assert!(out.join("timeseries.csv").is_file());
//! # Ok::<(), outbreak_output::OutputError>(())
//! ```

#![warn(missing_docs)]

mod atomic;
pub mod checkpoint;
mod error;
pub mod fates;
pub mod mapdata;
mod names;
pub mod orders;
pub mod outcome;
pub mod parquet;
mod publish;
mod recorder;
pub mod replay;
mod summary;
mod tables;

use std::path::Path;

use outbreak_engine::Simulation;

pub use atomic::{hidden_sibling, write_atomic};
pub use checkpoint::{read_checkpoint, write_checkpoint, Checkpoint, CheckpointError};
pub use error::OutputError;
pub use fates::{Character, Fate};
pub use mapdata::{MapSnapshots, Street, DEFAULT_MAP_HOURS};
pub use publish::{check_out, publish, publish_folder};
pub use recorder::Recorder;
pub use replay::Replay;
pub use summary::{
    r_by_hour, CharacterFate, CordonSummary, Counts, DeathsByCause, HourR, RunSummary, TripSummary,
    WorldSummary,
};
pub use tables::{
    events_csv, format_minutes, timeseries_csv, CHARACTERS_HEADER, EVENTS_HEADER,
    TIMESERIES_HEADER, ZONES_HEADER,
};

/// The credit every picture and file of OpenStreetMap data carries.
pub const OSM_CREDIT: &str = "Map data © OpenStreetMap contributors (ODbL)";

/// The file names of a run folder.
pub mod files {
    /// The scenario as run.
    pub const SCENARIO: &str = "scenario.toml";
    /// World counts per tick.
    pub const TIMESERIES: &str = "timeseries.csv";
    /// Zone counts per tick.
    pub const ZONES: &str = "zones.csv";
    /// The event log.
    pub const EVENTS: &str = "events.csv";
    /// Named characters' fates.
    pub const CHARACTERS: &str = "characters.csv";
    /// The summary.
    pub const SUMMARY: &str = "summary.json";
    /// The chart of the curves, the orders marked.
    pub const CURVES: &str = "curves.svg";
    /// The map of the spread: every place by the time of its first bite (worlds with
    /// positions).
    pub const MAP: &str = "map.svg";
    /// The folder of a run's checkpoints ([`crate::checkpoint`]); only for runs that write them.
    pub const CHECKPOINTS: &str = "checkpoints";
}

/// Writes every file of a run folder into `dir` (created if missing) and returns the
/// summary it wrote to `summary.json`.
///
/// `sim` must be the simulation `rec` recorded, at its last recorded tick;
/// `scenario_toml` is written verbatim as `scenario.toml`; `streets` is the street geometry
/// of a map world, for its map data. The map data is written when the recorder kept
/// snapshots ([`Recorder::with_map`]) and the world has positions; the pictures
/// (`curves.svg`, `map.svg`) are drawn from the tables by the report. Files are written in
/// place: wrap the call in [`publish`] to make the folder appear atomically.
pub fn write_run_folder(
    dir: &Path,
    rec: &Recorder,
    sim: &Simulation,
    scenario_toml: &str,
    streets: Option<&[Street]>,
) -> Result<RunSummary, OutputError> {
    if let Some((first, last)) = rec.missed_ticks() {
        return Err(OutputError::MissedTicks { first, last });
    }
    let recorded = rec.ticks().last().copied().unwrap_or(0);
    if recorded < sim.tick() {
        return Err(OutputError::MissedTicks {
            first: recorded + 1,
            last: sim.tick(),
        });
    }
    std::fs::create_dir_all(dir).map_err(OutputError::io("create", dir))?;

    let path = dir.join(files::SCENARIO);
    std::fs::write(&path, scenario_toml).map_err(OutputError::io("write", &path))?;
    tables::write_timeseries(&dir.join(files::TIMESERIES), rec)?;
    tables::write_zones(&dir.join(files::ZONES), rec, &sim.world)?;
    tables::write_events(&dir.join(files::EVENTS), rec, sim)?;
    let characters = fates::characters(rec, sim);
    tables::write_characters(&dir.join(files::CHARACTERS), rec, sim, &characters)?;
    let map = rec.map_snapshots().filter(|_| mapdata::has_map(&sim.world));
    if let Some(snapshots) = map {
        mapdata::write_map_data(dir, &sim.world, streets, snapshots, rec.tick_minutes())?;
    }
    if let Some(replay) = rec.replay() {
        replay.write(dir)?;
    }

    let summary = RunSummary::with_characters(rec, sim, characters);
    let path = dir.join(files::SUMMARY);
    let mut json = serde_json::to_string_pretty(&summary).map_err(|source| OutputError::Json {
        path: path.clone(),
        source,
    })?;
    json.push('\n');
    std::fs::write(&path, json).map_err(OutputError::io("write", &path))?;

    outbreak_report::write_run_pictures(dir).map_err(|e| OutputError::Chart {
        path: dir.join(files::CURVES),
        source: Box::new(e),
    })?;
    Ok(summary)
}

#[cfg(test)]
mod tests;
