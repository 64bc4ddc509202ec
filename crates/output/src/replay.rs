//! The replay: where every recorded person is, and in what state, at every tick, compactly
//! enough to jump to any tick (`outbreak run --record`, read by `outbreak view`).
//!
//! The run is cut into chunks of one simulated hour (`chunk_ticks` ticks). Chunk `k` is
//! the file `replay/chunk-KKKKK.parquet`: first a *keyframe*, a row for every recorded
//! person as they are at tick `k · chunk_ticks`, then a row for every change in ticks
//! `k · chunk_ticks + 1 ..= (k + 1) · chunk_ticks` — a person who moved to another place,
//! set out along a way or changed state — in tick order, and by person within a tick. The
//! state at any tick `t` is the keyframe of its chunk with the changes up to `t` applied.
//!
//! | column | type | what |
//! | --- | --- | --- |
//! | `tick` | u32 | the tick at whose end the row holds |
//! | `agent` | u32 | the person's id (the row of `characters.csv` for a named one) |
//! | `place` | u32, null | where they are (`places.parquet`); null: they left the recorded zones |
//! | `heading` | u32, null | the place they are walking to along a way; null: not on a way |
//! | `state` | text | `susceptible`, `infected`, `zombie`, `hambie`, `dead`, `rescued`, `quarantined`, `reserve` |
//!
//! `replay.json`, beside the folder, says how to read them: the format, minutes a tick, ticks a chunk,
//! the number of chunks and of people, and the zones recorded (empty: everyone). A run that
//! records only some zones ([`Replay::new`] with zones) writes a person's rows while their
//! place is in one of them, and one row with a null place when they leave; the counts by
//! place everywhere are in `map.parquet`, taken at every chunk's start.
//!
//! Chunks are kept in memory as finished Parquet files (zstd), so a run's memory grows by
//! about the replay's size, and so does a checkpoint, which carries the replay so far.

use std::path::Path;

use outbreak_engine::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::OutputError;
use crate::parquet::{Borrowed, Kind, Writer};

/// The replay's folder and index file in a run folder.
pub mod files {
    /// The folder of chunks.
    pub const DIR: &str = "replay";
    /// The index, beside [`DIR`] (so that the folder holds only chunks, and readers such
    /// as pyarrow's datasets read it whole).
    pub const INDEX: &str = "replay.json";
}

/// Version of the replay's layout, in `replay.json`.
pub const FORMAT: u32 = 1;

/// The file name of chunk `k` inside the replay folder.
pub fn chunk_name(k: usize) -> String {
    format!("chunk-{k:05}.parquet")
}

/// Ticks in a chunk: one simulated hour, at least one tick.
pub fn chunk_ticks(tick_minutes: f64) -> u32 {
    ((60.0 / tick_minutes).round() as u32).max(1)
}

/// The columns of a chunk.
const SCHEMA: &[(&str, Kind)] = &[
    ("tick", Kind::U32),
    ("agent", Kind::U32),
    ("place", Kind::OptU32),
    ("heading", Kind::OptU32),
    ("state", Kind::Text),
];

/// The rows of the chunk being filled.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Rows {
    tick: Vec<u32>,
    agent: Vec<u32>,
    place: Vec<u32>,
    heading: Vec<u32>,
    /// The state, as its index in [`Health::ALL`].
    health: Vec<u8>,
}

impl Rows {
    fn push(&mut self, tick: u32, agent: u32, place: u32, heading: u32, health: Health) {
        self.tick.push(tick);
        self.agent.push(agent);
        self.place.push(place);
        self.heading.push(heading);
        self.health.push(health as u8);
    }

    /// Empties the rows, keeping their room for the next chunk.
    fn clear(&mut self) {
        self.tick.clear();
        self.agent.clear();
        self.place.clear();
        self.heading.clear();
        self.health.clear();
    }

    /// The rows as a Parquet file in memory.
    fn encode(&self, k: usize) -> Result<Vec<u8>, OutputError> {
        let label = Path::new(files::DIR).join(chunk_name(k));
        let mut w = Writer::in_memory(&label, "replay", SCHEMA)?;
        let labels = Health::ALL.map(Health::as_str);
        w.write_group(&[
            Borrowed::U32(&self.tick),
            Borrowed::U32(&self.agent),
            Borrowed::OptU32(&self.place),
            Borrowed::OptU32(&self.heading),
            Borrowed::Labels(&self.health, &labels),
        ])?;
        w.into_bytes()
    }
}

/// The replay of a run, fed tick by tick (see the module's documentation).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Replay {
    tick_minutes: f64,
    chunk_ticks: u32,
    /// The zones recorded, by name and id; empty: everyone.
    zone_names: Vec<String>,
    zones: Vec<ZoneId>,
    /// What was last written for each person: place (`NONE`: not recorded), heading, state.
    place: Vec<u32>,
    heading: Vec<u32>,
    health: Vec<Health>,
    /// The tick last observed (`NONE` before the first).
    last_tick: u32,
    rows: Rows,
    /// The rows of the chunk finished last, kept until the next one is (for a reader that
    /// follows the run, such as a live viewer; not saved in checkpoints).
    #[serde(skip)]
    closed: Rows,
    /// The chunks finished, as Parquet files.
    chunks: Vec<Vec<u8>>,
    /// Why a chunk could not be encoded, reported when the replay is written.
    failed: Option<String>,
}

impl Replay {
    /// A replay of everyone (`zones` empty) or of the people in the named zones, starting
    /// at the simulation's current tick. A zone name the world does not have is returned
    /// as the error.
    pub fn new(sim: &Simulation, zones: &[String]) -> Result<Replay, String> {
        let ids = zones
            .iter()
            .map(|z| sim.world.zone_by_name(z).ok_or_else(|| z.clone()))
            .collect::<Result<Vec<_>, _>>()?;
        let n = sim.pop.len();
        let mut replay = Replay {
            tick_minutes: sim.params.run.tick_minutes,
            chunk_ticks: chunk_ticks(sim.params.run.tick_minutes),
            zone_names: zones.to_vec(),
            zones: ids,
            place: vec![NONE; n],
            heading: vec![NONE; n],
            health: vec![Health::Susceptible; n],
            last_tick: NONE,
            rows: Rows::default(),
            closed: Rows::default(),
            chunks: Vec::new(),
            failed: None,
        };
        replay.observe(sim);
        Ok(replay)
    }

    /// Ticks in a chunk.
    pub fn chunk_ticks(&self) -> u32 {
        self.chunk_ticks
    }

    /// The chunks finished so far (the one being filled is the next).
    pub fn finished_chunks(&self) -> usize {
        self.chunks.len()
    }

    /// The rows of chunk `k` while they are in memory: the chunk being filled
    /// ([`finished_chunks`](Replay::finished_chunks)) and the one finished last. A reader
    /// that follows a run takes the rows it has not seen after every tick.
    pub fn rows(&self, k: usize) -> Option<ChunkRows<'_>> {
        let rows = if k == self.chunks.len() {
            &self.rows
        } else if k + 1 == self.chunks.len() {
            &self.closed
        } else {
            return None;
        };
        Some(ChunkRows {
            tick: &rows.tick,
            agent: &rows.agent,
            place: &rows.place,
            heading: &rows.heading,
            state: &rows.health,
        })
    }

    /// `replay.json` of the replay so far, when it holds `chunks` chunks.
    pub fn index(&self, chunks: usize) -> serde_json::Value {
        serde_json::json!({
            "format": FORMAT,
            "tick_minutes": self.tick_minutes,
            "chunk_ticks": self.chunk_ticks,
            "chunks": chunks,
            "last_tick": self.last_tick,
            "agents": self.place.len(),
            "zones": self.zone_names,
        })
    }

    /// Records the people who moved, set out along a way or changed state since the last
    /// tick, when everyone is recorded: one pass over the columns, writing only the changes.
    fn observe_changes(&mut self, pop: &Population, tick: u32) {
        let was = self
            .place
            .iter_mut()
            .zip(self.heading.iter_mut())
            .zip(self.health.iter_mut());
        let now = pop.place.iter().zip(&pop.heading).zip(&pop.health);
        for (i, (((place, heading), health), ((p, h), s))) in was.zip(now).enumerate() {
            if *place != p.0 || *heading != h.0 || *health != *s {
                (*place, *heading, *health) = (p.0, h.0, *s);
                self.rows.push(tick, i as u32, p.0, h.0, *s);
            }
        }
    }

    /// Whether a person at `place` is recorded, when only some zones are.
    fn recorded(&self, world: &World, place: PlaceId) -> bool {
        world.zones_of(place).iter().any(|z| self.zones.contains(z))
    }

    /// Records the simulation's current tick; a tick already observed is ignored. Call it
    /// after every step, as [`crate::Recorder::observe`] does.
    pub fn observe(&mut self, sim: &Simulation) {
        let tick = sim.tick();
        if self.last_tick != NONE && tick <= self.last_tick {
            return;
        }
        let keyframe = self.last_tick == NONE;
        self.last_tick = tick;
        let pop = &sim.pop;
        if self.zones.is_empty() && !keyframe {
            self.observe_changes(pop, tick);
        } else {
            for i in 0..pop.len() {
                let here = pop.place[i];
                let place = if self.zones.is_empty() || self.recorded(&sim.world, here) {
                    here.0
                } else {
                    NONE
                };
                let heading = if place == NONE {
                    NONE
                } else {
                    pop.heading[i].0
                };
                let health = pop.health[i];
                let changed = place != self.place[i]
                    || heading != self.heading[i]
                    || health != self.health[i];
                if keyframe && place != NONE || !keyframe && changed {
                    self.rows.push(tick, i as u32, place, heading, health);
                }
                self.place[i] = place;
                self.heading[i] = heading;
                self.health[i] = health;
            }
        }
        if tick > 0 && tick.is_multiple_of(self.chunk_ticks) {
            self.close_chunk(sim);
        }
    }

    /// Finishes the chunk being filled and starts the next with its keyframe.
    fn close_chunk(&mut self, sim: &Simulation) {
        // Encoding into memory fails only if the rows do not fit the schema; should it, the
        // error is reported when the replay is written, and the chunk stays empty.
        match self.rows.encode(self.chunks.len()) {
            Ok(bytes) => self.chunks.push(bytes),
            Err(e) => {
                self.failed.get_or_insert_with(|| e.to_string());
                self.chunks.push(Vec::new());
            }
        }
        std::mem::swap(&mut self.rows, &mut self.closed);
        self.rows.clear();
        let tick = sim.tick();
        for i in 0..sim.pop.len() {
            if self.place[i] != NONE {
                self.rows.push(
                    tick,
                    i as u32,
                    self.place[i],
                    self.heading[i],
                    self.health[i],
                );
            }
        }
    }

    /// Writes `replay/` into the run folder `dir` (the chunks finished and the one being
    /// filled) and `replay.json` beside it.
    pub fn write(&self, dir: &Path) -> Result<(), OutputError> {
        let folder = dir.join(files::DIR);
        if let Some(why) = &self.failed {
            return Err(OutputError::write(&folder, why.clone()));
        }
        std::fs::create_dir_all(&folder).map_err(OutputError::io("create", &folder))?;
        let mut count = self.chunks.len();
        for (k, bytes) in self.chunks.iter().enumerate() {
            let path = folder.join(chunk_name(k));
            std::fs::write(&path, bytes).map_err(OutputError::io("write", &path))?;
        }
        // The chunk being filled covers ticks after the last one finished, unless the run
        // ended on a chunk's boundary.
        if self.chunks.is_empty() || !self.last_tick.is_multiple_of(self.chunk_ticks) {
            let path = folder.join(chunk_name(count));
            let bytes = self.rows.encode(count)?;
            std::fs::write(&path, bytes).map_err(OutputError::io("write", &path))?;
            count += 1;
        }
        let index = self.index(count);
        let path = dir.join(files::INDEX);
        let mut text =
            serde_json::to_string_pretty(&index).map_err(|source| OutputError::Json {
                path: path.clone(),
                source,
            })?;
        text.push('\n');
        std::fs::write(&path, text).map_err(OutputError::io("write", &path))
    }
}

/// Rows of a chunk in memory, column by column, as [`Chunk`] holds them.
#[derive(Clone, Copy, Debug)]
pub struct ChunkRows<'a> {
    /// The tick of each row.
    pub tick: &'a [u32],
    /// The person of each row.
    pub agent: &'a [u32],
    /// Where they are (`NONE`: out of the recorded zones).
    pub place: &'a [u32],
    /// The place they walk to along a way (`NONE`: not on a way).
    pub heading: &'a [u32],
    /// Their state, as its index in [`Health::ALL`].
    pub state: &'a [u8],
}

/// One chunk of a replay read back: its rows, column by column (`NONE` for null).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Chunk {
    /// The tick of each row.
    pub tick: Vec<u32>,
    /// The person of each row.
    pub agent: Vec<u32>,
    /// Where they are (`NONE`: out of the recorded zones).
    pub place: Vec<u32>,
    /// The place they walk to along a way (`NONE`: not on a way).
    pub heading: Vec<u32>,
    /// Their state, as its index in [`Health::ALL`].
    pub state: Vec<u8>,
}

/// Reads a chunk file back. A file that is not a chunk of a replay is an error naming it.
pub fn read_chunk(path: &Path) -> Result<Chunk, OutputError> {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;
    let file = std::fs::File::open(path).map_err(OutputError::io("open", path))?;
    let bad = |why: String| OutputError::Unreadable {
        path: path.to_path_buf(),
        message: format!("not a chunk of a replay: {why}"),
    };
    let reader = SerializedFileReader::new(file).map_err(|e| bad(e.to_string()))?;
    let names: Vec<String> = reader
        .metadata()
        .file_metadata()
        .schema_descr()
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    let expected: Vec<&str> = SCHEMA.iter().map(|(n, _)| *n).collect();
    if names != expected {
        return Err(bad(format!("columns {names:?}")));
    }
    let mut chunk = Chunk::default();
    for row in reader.get_row_iter(None).map_err(|e| bad(e.to_string()))? {
        let row = row.map_err(|e| bad(e.to_string()))?;
        let mut fields = row.get_column_iter().map(|(_, f)| f);
        let mut id = || match fields.next() {
            Some(Field::UInt(v)) => Ok(*v),
            Some(Field::Null) => Ok(NONE),
            other => Err(bad(format!("{other:?} where an id was expected"))),
        };
        chunk.tick.push(id()?);
        chunk.agent.push(id()?);
        chunk.place.push(id()?);
        chunk.heading.push(id()?);
        let state = match fields.next() {
            Some(Field::Str(s)) => Health::ALL.iter().position(|h| h.as_str() == s),
            _ => None,
        };
        chunk
            .state
            .push(state.ok_or_else(|| bad("a row without a state".into()))? as u8);
    }
    Ok(chunk)
}
