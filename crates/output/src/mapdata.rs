//! The data behind a run's maps: the world's places and ways, the streets of a map world,
//! and the count of each state by place at chosen hours.
//!
//! | file | one row a … | columns |
//! | --- | --- | --- |
//! | `places.parquet` | place, in id order | `place, name, kind, x, y, capacity, zones` (x, y in metres, or longitude and latitude on map worlds; `zones` the names of the place's zones joined by `; `) |
//! | `ways.parquet` | way, in id order | `way, from, to, length_m` |
//! | `streets.parquet` | street piece (map worlds only) | `x0, y0, x1, y1` |
//! | `map.parquet` | place with someone in it, at each chosen hour | `tick, minutes, place`, then the count of each state |
//!
//! The chosen hours default to [`DEFAULT_MAP_HOURS`] within the run (and its last tick):
//! dense early, when an outbreak moves fastest, and sparse later, so that even a city of
//! half a million places stays a small file. Only places with someone in them are listed.

use std::path::Path;

use outbreak_engine::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::OutputError;
use crate::parquet::{Kind, Value, Writer};

/// The files of a run's map data.
pub mod files {
    /// The world's places.
    pub const PLACES: &str = "places.parquet";
    /// The world's ways.
    pub const WAYS: &str = "ways.parquet";
    /// The street geometry of a map world.
    pub const STREETS: &str = "streets.parquet";
    /// The counts by place at the chosen hours.
    pub const MAP: &str = "map.parquet";
}

/// The hours at which a run records its counts by place, unless told otherwise: hourly for
/// the first four hours, then ever further apart.
pub const DEFAULT_MAP_HOURS: &[f64] = &[
    0.0, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 18.0, 24.0, 36.0, 48.0, 72.0, 96.0, 144.0, 192.0,
    288.0, 384.0, 576.0, 768.0, 1152.0, 1536.0, 2304.0, 3072.0, 4608.0, 6144.0, 8760.0,
];

/// The ticks of the chosen hours within a run of `duration_ticks`, and its last tick.
pub fn map_ticks(hours: &[f64], tick_minutes: f64, duration_ticks: u32) -> Vec<u32> {
    let mut ticks: Vec<u32> = hours
        .iter()
        .filter(|h| h.is_finite() && **h >= 0.0)
        .map(|h| (h * 60.0 / tick_minutes).round())
        .filter(|&t| t <= f64::from(duration_ticks))
        .map(|t| t as u32)
        .chain(std::iter::once(duration_ticks))
        .collect();
    ticks.sort_unstable();
    ticks.dedup();
    ticks
}

/// Whether a world has a map: more than one place people can be in, with positions.
pub fn has_map(world: &World) -> bool {
    world
        .places
        .kind
        .iter()
        .filter(|k| !matches!(k, PlaceKind::Staging))
        .count()
        > 1
}

/// The counts by place at chosen ticks, kept as a run goes: for each tick taken, the
/// non-zero (place, state, count) entries in place order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MapSnapshots {
    /// The ticks wanted, ascending.
    wanted: Vec<u32>,
    /// The ticks taken, and where each one's entries start.
    taken: Vec<u32>,
    start: Vec<u32>,
    place: Vec<u32>,
    state: Vec<u8>,
    count: Vec<u32>,
}

impl MapSnapshots {
    /// Snapshots to take at these ticks.
    pub fn new(wanted: Vec<u32>) -> Self {
        Self {
            wanted,
            ..Self::default()
        }
    }

    /// Ends the snapshots at the simulation's tick, as for a run whose last tick it is:
    /// later ticks are no longer wanted, and this one is taken (a run cut short then has the
    /// map data of a run that ends there).
    pub fn end_at(&mut self, sim: &Simulation) {
        let tick = sim.tick();
        self.wanted.retain(|&t| t < tick);
        self.wanted.push(tick);
        self.observe(sim);
    }

    /// Takes the simulation's counts by place if its tick is one of the wanted.
    pub fn observe(&mut self, sim: &Simulation) {
        let tick = sim.tick();
        if self.taken.last().is_some_and(|&t| t >= tick)
            || self.wanted.binary_search(&tick).is_err()
        {
            return;
        }
        self.taken.push(tick);
        self.start.push(self.place.len() as u32);
        for (p, tally) in sim.occupancy().at.iter().enumerate() {
            for (s, &n) in tally.census.iter().enumerate() {
                if n > 0 {
                    self.place.push(p as u32);
                    self.state.push(s as u8);
                    self.count.push(n);
                }
            }
        }
    }

    /// The ticks taken so far.
    pub fn ticks(&self) -> &[u32] {
        &self.taken
    }

    /// Writes `map.parquet`: a row a place with someone in it, a snapshot after another.
    fn write(&self, path: &Path, tick_minutes: f64) -> Result<(), OutputError> {
        let mut schema: Vec<(&str, Kind)> = vec![
            ("tick", Kind::U32),
            ("minutes", Kind::F64),
            ("place", Kind::U32),
        ];
        let names: Vec<&str> = Health::ALL.iter().map(|h| h.as_str()).collect();
        schema.extend(names.iter().map(|n| (*n, Kind::U32)));
        let mut w = Writer::create(path, "map", &schema)?;
        let ends = self
            .start
            .iter()
            .skip(1)
            .copied()
            .chain(std::iter::once(self.place.len() as u32));
        for ((&tick, &from), to) in self.taken.iter().zip(&self.start).zip(ends) {
            let minutes = crate::summary::round_minutes(f64::from(tick) * tick_minutes);
            let mut k = from as usize;
            while k < to as usize {
                let p = self.place[k];
                let mut counts = [0u32; STATES];
                while k < to as usize && self.place[k] == p {
                    counts[self.state[k] as usize] = self.count[k];
                    k += 1;
                }
                let mut row = vec![Value::U32(tick), Value::F64(minutes), Value::U32(p)];
                row.extend(counts.iter().map(|&c| Value::U32(c)));
                w.push(&row)?;
            }
        }
        w.finish()
    }
}

/// A street piece: its two ends, (longitude, latitude) each.
pub type Street = ([f64; 2], [f64; 2]);

/// Writes the map data of a run into `dir`: the world's places and ways, the streets of a
/// map world, and the snapshots.
pub fn write_map_data(
    dir: &Path,
    world: &World,
    streets: Option<&[Street]>,
    snapshots: &MapSnapshots,
    tick_minutes: f64,
) -> Result<(), OutputError> {
    let path = dir.join(files::PLACES);
    let mut w = Writer::create(
        &path,
        "places",
        &[
            ("place", Kind::U32),
            ("name", Kind::Text),
            ("kind", Kind::Text),
            ("x", Kind::F64),
            ("y", Kind::F64),
            ("capacity", Kind::U32),
            ("zones", Kind::Text),
        ],
    )?;
    let p = &world.places;
    for i in 0..world.place_count() {
        let zones: Vec<&str> = world
            .zones_of(PlaceId(i as u32))
            .iter()
            .map(|&z| world.zone_name(z))
            .collect();
        w.push(&[
            Value::U32(i as u32),
            Value::Text(&p.name[i]),
            Value::Text(p.kind[i].as_str()),
            Value::F64(p.pos[i][0]),
            Value::F64(p.pos[i][1]),
            Value::U32(p.capacity[i]),
            Value::Text(&zones.join("; ")),
        ])?;
    }
    w.finish()?;

    let path = dir.join(files::WAYS);
    let mut w = Writer::create(
        &path,
        "ways",
        &[
            ("way", Kind::U32),
            ("from", Kind::U32),
            ("to", Kind::U32),
            ("length_m", Kind::F64),
        ],
    )?;
    for (i, &(a, b)) in world.ways.iter().enumerate() {
        let length = world
            .neighbours(a)
            .iter()
            .find(|e| e.way.index() == i)
            .map_or(f64::NAN, |e| f64::from(e.length_m));
        w.push(&[
            Value::U32(i as u32),
            Value::U32(a.0),
            Value::U32(b.0),
            Value::F64(length),
        ])?;
    }
    w.finish()?;

    if let Some(streets) = streets {
        let path = dir.join(files::STREETS);
        let mut w = Writer::create(
            &path,
            "streets",
            &[
                ("x0", Kind::F64),
                ("y0", Kind::F64),
                ("x1", Kind::F64),
                ("y1", Kind::F64),
            ],
        )?;
        for (a, b) in streets {
            w.push(&[
                Value::F64(a[0]),
                Value::F64(a[1]),
                Value::F64(b[0]),
                Value::F64(b[1]),
            ])?;
        }
        w.finish()?;
    }
    snapshots.write(&dir.join(files::MAP), tick_minutes)
}

/// The rows of a Parquet file of the map data, as the record API gives them.
fn rows(path: &Path) -> Result<Vec<parquet::record::Row>, OutputError> {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let bad = |e: parquet::errors::ParquetError| OutputError::Unreadable {
        path: path.to_path_buf(),
        message: format!("not a readable Parquet file: {e}"),
    };
    let file = std::fs::File::open(path).map_err(OutputError::io("open", path))?;
    let reader = SerializedFileReader::new(file).map_err(&bad)?;
    let rows = reader.get_row_iter(None).map_err(&bad)?;
    rows.map(|r| r.map_err(bad)).collect()
}

/// The error of a cell of `path` that does not read as `what` ("places") of a run has it.
fn not_the(path: &Path, what: &str) -> impl Fn(parquet::errors::ParquetError) -> OutputError {
    let path = path.to_path_buf();
    let what = what.to_string();
    move |e| OutputError::Unreadable {
        path: path.clone(),
        message: format!("not the {what} of a run: {e}"),
    }
}

/// Reads back the places of a run folder's `places.parquet`: position and kind, in id order.
pub fn read_places(dir: &Path) -> Result<Vec<([f64; 2], String)>, OutputError> {
    use parquet::record::RowAccessor;
    let path = dir.join(files::PLACES);
    let bad = not_the(&path, "places");
    rows(&path)?
        .iter()
        .map(|r| {
            let xy = [
                r.get_double(3).map_err(&bad)?,
                r.get_double(4).map_err(&bad)?,
            ];
            Ok((xy, r.get_string(2).map_err(&bad)?.clone()))
        })
        .collect()
}

/// Reads back the ways of a run folder's `ways.parquet`: the places each joins, in id order.
pub fn read_ways(dir: &Path) -> Result<Vec<(u32, u32)>, OutputError> {
    use parquet::record::RowAccessor;
    let path = dir.join(files::WAYS);
    let bad = not_the(&path, "ways");
    rows(&path)?
        .iter()
        .map(|r| Ok((r.get_uint(1).map_err(&bad)?, r.get_uint(2).map_err(&bad)?)))
        .collect()
}

/// A place as `places.parquet` holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct PlaceRow {
    /// Its name.
    pub name: String,
    /// Its kind, as the engine names it.
    pub kind: String,
    /// Its position: metres, or longitude and latitude on a map world.
    pub pos: [f64; 2],
    /// How many people it holds.
    pub capacity: u32,
    /// The names of its zones.
    pub zones: Vec<String>,
}

/// Reads back every column of a run folder's `places.parquet`, in id order.
pub fn read_place_rows(dir: &Path) -> Result<Vec<PlaceRow>, OutputError> {
    use parquet::record::RowAccessor;
    let path = dir.join(files::PLACES);
    let bad = |e: parquet::errors::ParquetError| OutputError::Unreadable {
        path: path.clone(),
        message: format!("not the places of a run: {e}"),
    };
    rows(&path)?
        .iter()
        .map(|r| {
            let zones = r.get_string(6).map_err(bad)?;
            Ok(PlaceRow {
                name: r.get_string(1).map_err(bad)?.clone(),
                kind: r.get_string(2).map_err(bad)?.clone(),
                pos: [r.get_double(3).map_err(bad)?, r.get_double(4).map_err(bad)?],
                capacity: r.get_uint(5).map_err(bad)?,
                zones: zones
                    .split("; ")
                    .filter(|z| !z.is_empty())
                    .map(str::to_string)
                    .collect(),
            })
        })
        .collect()
}

/// Reads back a run folder's `streets.parquet`; none when the world is not from a map.
pub fn read_streets(dir: &Path) -> Result<Option<Vec<Street>>, OutputError> {
    use parquet::record::RowAccessor;
    let path = dir.join(files::STREETS);
    if !path.is_file() {
        return Ok(None);
    }
    let bad = |e: parquet::errors::ParquetError| OutputError::Unreadable {
        path: path.clone(),
        message: format!("not the streets of a run: {e}"),
    };
    let streets = rows(&path)?
        .iter()
        .map(|r| {
            let v = |k| r.get_double(k).map_err(bad);
            Ok(([v(0)?, v(1)?], [v(2)?, v(3)?]))
        })
        .collect::<Result<_, OutputError>>()?;
    Ok(Some(streets))
}

/// Reads back a run folder's `map.parquet`: tick, place and the count of each state (in
/// the order of `Health::ALL`), one row a place a snapshot.
pub fn read_map(dir: &Path) -> Result<Vec<(u32, u32, Vec<u32>)>, OutputError> {
    use parquet::record::RowAccessor;
    let path = dir.join(files::MAP);
    let bad = |e: parquet::errors::ParquetError| OutputError::Unreadable {
        path: path.clone(),
        message: format!("not the map of a run: {e}"),
    };
    rows(&path)?
        .iter()
        .map(|r| {
            let counts = (3..r.len())
                .map(|k| r.get_uint(k).map_err(bad))
                .collect::<Result<_, _>>()?;
            Ok((
                r.get_uint(0).map_err(bad)?,
                r.get_uint(2).map_err(bad)?,
                counts,
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_ticks_stay_in_the_run_and_end_with_its_last_tick() {
        assert_eq!(
            map_ticks(DEFAULT_MAP_HOURS, 1.0, 180),
            vec![0, 60, 120, 180]
        );
        assert_eq!(map_ticks(&[0.0, 0.5, 1.0], 6.0, 100), vec![0, 5, 10, 100]);
        assert_eq!(map_ticks(&[f64::NAN, -1.0, 2.0], 60.0, 2), vec![2]);
        let campus = map_ticks(DEFAULT_MAP_HOURS, 1.0, 48 * 60);
        assert_eq!(campus.len(), 12);
    }

    #[test]
    fn snapshots_hold_the_counts_of_occupied_places() {
        let traits = Traits {
            walk_mps: 1.3,
            run_mps: 3.0,
            fight: 1.0,
            stealth: 0.0,
        };
        let mut pop = Population::default();
        for k in 0..30 {
            let health = if k < 3 {
                Health::Zombie
            } else {
                Health::Susceptible
            };
            pop.push(AgentSpec {
                place: PlaceId(0),
                health,
                role: Role::Civilian,
                mode: Mode::Alert,
                traits,
                anchors: None,
                name: None,
            });
        }
        let params = Params::well_mixed(3, 1.0, 0.05, 0.02, 20);
        let mut sim = Simulation::new(well_mixed_world(1.0), pop, params, vec![]);
        let mut snaps = MapSnapshots::new(vec![0, 10, 20]);
        snaps.observe(&sim);
        while !sim.finished() {
            sim.step();
            snaps.observe(&sim);
            snaps.observe(&sim);
        }
        assert_eq!(snaps.ticks(), &[0, 10, 20]);
        // At tick 0 the arena holds 27 susceptible and 3 zombies: two entries.
        assert_eq!(snaps.start[1], 2);
        let total: u32 = snaps.count[..2].iter().sum();
        assert_eq!(total, 30);
    }
}
