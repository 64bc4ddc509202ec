//! The CSV tables of a run folder: `timeseries.csv`, `zones.csv`, `events.csv` and
//! `characters.csv`. Their headers are part of the product (DESIGN §8) and are the
//! constants below.
//!
//! Empty fields mean "does not apply" (`NONE` in the engine). Times appear twice: as the
//! tick, and as minutes since the start written without needless decimals (`60`, `0.5`).

use std::fs::File;
use std::path::Path;

use outbreak_engine::prelude::*;
use serde::Serialize;

use crate::error::OutputError;
use crate::names::{place_name, Names};
use crate::recorder::Recorder;
use crate::summary::CharacterRow;

/// Header of `timeseries.csv`: one row per tick, whole world; every row sums to the population.
pub const TIMESERIES_HEADER: [&str; 9] = [
    "tick",
    "minutes",
    "susceptible",
    "infected",
    "zombie",
    "hambie",
    "dead",
    "rescued",
    "quarantined",
];

/// Header of `zones.csv`: one row per zone per tick, zones in id order, `zone` by name.
pub const ZONES_HEADER: [&str; 10] = [
    "tick",
    "minutes",
    "zone",
    "susceptible",
    "infected",
    "zombie",
    "hambie",
    "dead",
    "rescued",
    "quarantined",
];

/// Header of `events.csv`: one row per event. For `order` events `other` is the order's
/// index in the timeline and `other_name` its label; otherwise `other` is an agent.
pub const EVENTS_HEADER: [&str; 9] = [
    "tick",
    "minutes",
    "event",
    "agent",
    "agent_name",
    "other",
    "other_name",
    "place",
    "place_name",
];

/// Header of `characters.csv`: one row per named character, in naming order.
pub const CHARACTERS_HEADER: [&str; 9] = [
    "name",
    "agent",
    "role",
    "fate",
    "fate_tick",
    "fate_minutes",
    "place",
    "bitten_tick",
    "bitten_by",
];

/// Minutes as written in the tables: at most six decimals, trailing zeros and a trailing
/// point removed, so `60.0` is `60`, `0.5` stays `0.5` and `3 × 0.1` is `0.3`.
///
/// ```
/// assert_eq!(outbreak_output::format_minutes(60.0), "60");
/// assert_eq!(outbreak_output::format_minutes(0.5), "0.5");
/// ```
pub fn format_minutes(minutes: f64) -> String {
    format_trimmed(minutes, 6)
}

/// A number with at most `decimals` decimals, without trailing zeros or point.
pub(crate) fn format_trimmed(x: f64, decimals: usize) -> String {
    let mut s = format!("{x:.decimals$}");
    if s.contains('.') {
        let kept = s.trim_end_matches('0').trim_end_matches('.').len();
        s.truncate(kept);
    }
    if s == "-0" {
        s = "0".to_owned();
    }
    s
}

/// A CSV writer on a new file, with its header written.
struct Table<'p> {
    path: &'p Path,
    writer: csv::Writer<File>,
}

impl<'p> Table<'p> {
    fn create(path: &'p Path, header: &[&str]) -> Result<Self, OutputError> {
        let file = File::create(path).map_err(OutputError::io("create", path))?;
        let mut table = Self {
            path,
            writer: csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(file),
        };
        table
            .writer
            .write_record(header)
            .map_err(|e| table.csv(e))?;
        Ok(table)
    }

    fn row(&mut self, record: impl Serialize) -> Result<(), OutputError> {
        self.writer.serialize(record).map_err(|e| self.csv(e))
    }

    fn finish(mut self) -> Result<(), OutputError> {
        self.writer
            .flush()
            .map_err(OutputError::io("write", self.path))
    }

    fn csv(&self, source: csv::Error) -> OutputError {
        OutputError::Csv {
            path: self.path.to_path_buf(),
            source,
        }
    }
}

/// Writes `timeseries.csv`.
pub(crate) fn write_timeseries(path: &Path, rec: &Recorder) -> Result<(), OutputError> {
    let mut t = Table::create(path, &TIMESERIES_HEADER)?;
    for (&tick, c) in rec.ticks().iter().zip(rec.totals()) {
        t.row((
            tick,
            format_minutes(rec.minutes(tick)),
            c[0],
            c[1],
            c[2],
            c[3],
            c[4],
            c[5],
            c[6],
        ))?;
    }
    t.finish()
}

/// Writes `zones.csv`.
pub(crate) fn write_zones(path: &Path, rec: &Recorder, world: &World) -> Result<(), OutputError> {
    let mut t = Table::create(path, &ZONES_HEADER)?;
    let zone_names: Vec<&str> = (0..rec.zone_count())
        .map(|z| {
            if z < world.zone_count() {
                world.zone_name(ZoneId(z as u32))
            } else {
                ""
            }
        })
        .collect();
    for (row, &tick) in rec.ticks().iter().enumerate() {
        let minutes = format_minutes(rec.minutes(tick));
        for (name, c) in zone_names.iter().zip(rec.zone_counts(row)) {
            t.row((
                tick,
                minutes.as_str(),
                name,
                c[0],
                c[1],
                c[2],
                c[3],
                c[4],
                c[5],
                c[6],
            ))?;
        }
    }
    t.finish()
}

/// Writes `events.csv`.
pub(crate) fn write_events(
    path: &Path,
    rec: &Recorder,
    sim: &Simulation,
) -> Result<(), OutputError> {
    let mut t = Table::create(path, &EVENTS_HEADER)?;
    let names = Names::new(&sim.pop);
    let some = |id: u32| (id != NONE).then_some(id);
    let agent_name = |id: u32| names.get(id).unwrap_or("");
    let mut labels = rec.order_labels().iter();
    for e in rec.events() {
        let other_name = match e.kind {
            EventKind::Order => labels.next().map_or("", String::as_str),
            _ => agent_name(e.other.0),
        };
        t.row((
            e.tick,
            format_minutes(rec.minutes(e.tick)),
            e.kind.as_str(),
            some(e.agent.0),
            agent_name(e.agent.0),
            some(e.other.0),
            other_name,
            some(e.place.0),
            place_name(&sim.world, e.place.0),
        ))?;
    }
    t.finish()
}

/// Writes `characters.csv`.
pub(crate) fn write_characters(
    path: &Path,
    rec: &Recorder,
    rows: &[CharacterRow],
) -> Result<(), OutputError> {
    let mut t = Table::create(path, &CHARACTERS_HEADER)?;
    for c in rows {
        t.row((
            c.name.as_str(),
            c.agent,
            c.role,
            c.fate,
            c.fate_tick,
            format_minutes(rec.minutes(c.fate_tick)),
            c.place.as_str(),
            c.bitten_tick,
            c.bitten_by.as_str(),
        ))?;
    }
    t.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_drop_needless_decimals() {
        assert_eq!(format_minutes(0.0), "0");
        assert_eq!(format_minutes(60.0), "60");
        assert_eq!(format_minutes(0.5), "0.5");
        assert_eq!(format_minutes(1440.25), "1440.25");
        assert_eq!(format_minutes(3.0 * 0.1), "0.3");
        assert_eq!(format_minutes(100.0), "100");
        assert_eq!(format_minutes(-0.0), "0");
        assert_eq!(format_minutes(f64::from(4320u32) * 1.0), "4320");
    }

    #[test]
    fn headers_are_the_documented_ones() {
        assert_eq!(
            TIMESERIES_HEADER.join(","),
            "tick,minutes,susceptible,infected,zombie,hambie,dead,rescued,quarantined"
        );
        assert_eq!(
            ZONES_HEADER.join(","),
            "tick,minutes,zone,susceptible,infected,zombie,hambie,dead,rescued,quarantined"
        );
        assert_eq!(
            EVENTS_HEADER.join(","),
            "tick,minutes,event,agent,agent_name,other,other_name,place,place_name"
        );
        assert_eq!(
            CHARACTERS_HEADER.join(","),
            "name,agent,role,fate,fate_tick,fate_minutes,place,bitten_tick,bitten_by"
        );
        // The state columns follow the engine's column order.
        let states: Vec<&str> = Health::ALL.iter().map(|h| h.as_str()).collect();
        assert_eq!(TIMESERIES_HEADER[2..], states[..]);
        assert_eq!(ZONES_HEADER[3..], states[..]);
    }
}
