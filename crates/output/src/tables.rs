//! The CSV tables of a run folder: `timeseries.csv`, `zones.csv`, `events.csv` and
//! `characters.csv`. Their headers are part of the product (DESIGN §8) and are the
//! constants below.
//!
//! Empty fields mean "does not apply" (`NONE` in the engine). Times appear twice: as the
//! tick, and as minutes since the start written without needless decimals (`60`, `0.5`).

use std::fs::File;
use std::io::Write;
use std::path::Path;

use outbreak_engine::prelude::*;
use serde::Serialize;

use crate::error::OutputError;
use crate::fates::{when, Character};
use crate::names::{place_name, Names};
use crate::recorder::Recorder;
use outbreak_plot::scale::Clock;

/// Header of `timeseries.csv`: one row per tick, whole world; every row sums to the population.
pub const TIMESERIES_HEADER: [&str; 10] = [
    "tick",
    "minutes",
    "susceptible",
    "infected",
    "zombie",
    "hambie",
    "dead",
    "rescued",
    "quarantined",
    "reserve",
];

/// Header of `zones.csv`: one row per zone per tick, zones in id order, `zone` by name.
pub const ZONES_HEADER: [&str; 11] = [
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
    "reserve",
];

/// Header of `events.csv`: one row per event. `clock` is the time of day (`13:42`, or
/// `01:10 on day 2`). For `order` and `deploy` events `other` is the order's index in the
/// timeline and `other_name` its label; otherwise `other` is an agent.
pub const EVENTS_HEADER: [&str; 10] = [
    "tick",
    "minutes",
    "clock",
    "event",
    "agent",
    "agent_name",
    "other",
    "other_name",
    "place",
    "place_name",
];

/// Header of `characters.csv`: one row per named character, in naming order. `fate` is
/// `survived`, `cured`, `rescued`, `infected`, `turned`, `hambie`, `destroyed`, `killed`,
/// `died` or `quarantined`; `fate_by` who or what ended them; `*_clock` the time of day
/// (`13:42`, or `01:10 on day 2`); the bite and turn columns are empty if they never came.
pub const CHARACTERS_HEADER: [&str; 19] = [
    "name",
    "agent",
    "role",
    "fate",
    "fate_by",
    "fate_tick",
    "fate_minutes",
    "fate_clock",
    "place",
    "bitten_tick",
    "bitten_clock",
    "bitten_place",
    "bitten_by",
    "bitten_by_agent",
    "turned_tick",
    "turned_clock",
    "bites",
    "zombies_destroyed",
    "story",
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

/// A CSV writer on a new file (or, for a reader of a run still going, in memory), with
/// its header written.
struct Table<'p, W: Write = File> {
    path: &'p Path,
    writer: csv::Writer<W>,
}

impl<'p> Table<'p> {
    fn create(path: &'p Path, header: &[&str]) -> Result<Self, OutputError> {
        let file = File::create(path).map_err(OutputError::io("create", path))?;
        Table::on(file, path, header)
    }
}

impl<'p, W: Write> Table<'p, W> {
    /// A table written to `out`; `path` names it in errors.
    fn on(out: W, path: &'p Path, header: &[&str]) -> Result<Self, OutputError> {
        let mut table = Self {
            path,
            writer: csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(out),
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
    timeseries_rows(Table::create(path, &TIMESERIES_HEADER)?, rec)
}

/// `timeseries.csv` of the run so far, in memory.
pub fn timeseries_csv(rec: &Recorder) -> Vec<u8> {
    let path = Path::new(crate::files::TIMESERIES);
    let mut out = Vec::new();
    // Writing to memory fails only if a row does not serialise, which these cannot.
    if let Ok(t) = Table::on(&mut out, path, &TIMESERIES_HEADER) {
        let _ = timeseries_rows(t, rec);
    }
    out
}

fn timeseries_rows<W: Write>(mut t: Table<'_, W>, rec: &Recorder) -> Result<(), OutputError> {
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
            c[7],
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
                c[7],
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
    event_rows(Table::create(path, &EVENTS_HEADER)?, rec, sim, 0)
}

/// `events.csv` of the run so far from its `from`-th event on (header first), in memory:
/// for a reader that follows a run, taking only the events it has not seen.
pub fn events_csv(rec: &Recorder, sim: &Simulation, from: usize) -> Vec<u8> {
    let path = Path::new(crate::files::EVENTS);
    let mut out = Vec::new();
    // Writing to memory fails only if a row does not serialise, which these cannot.
    if let Ok(t) = Table::on(&mut out, path, &EVENTS_HEADER) {
        let _ = event_rows(t, rec, sim, from);
    }
    out
}

fn event_rows<W: Write>(
    mut t: Table<'_, W>,
    rec: &Recorder,
    sim: &Simulation,
    from: usize,
) -> Result<(), OutputError> {
    let names = Names::new(&sim.pop);
    let some = |id: u32| (id != NONE).then_some(id);
    let agent_name = |id: u32| names.get(id).unwrap_or("");
    let events = rec.events();
    let from = from.min(events.len());
    // The labels of the orders fired before `from` belong to events not written.
    let skipped = events[..from]
        .iter()
        .filter(|e| e.kind == EventKind::Order)
        .count();
    let mut labels = rec.order_labels().iter().skip(skipped);
    let clock = Clock {
        start_hour: sim.params.run.start_hour,
    };
    for e in &events[from..] {
        let other_name = match e.kind {
            EventKind::Order => labels.next().map_or("", String::as_str),
            EventKind::Deploy | EventKind::Withdraw | EventKind::LeaveMap => e
                .order()
                .and_then(|k| sim.orders.get(k.index()))
                .map_or("", |o| o.label.as_str()),
            _ => agent_name(e.other.0),
        };
        t.row((
            e.tick,
            format_minutes(rec.minutes(e.tick)),
            when(&clock, rec.minutes(e.tick)),
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
    sim: &Simulation,
    rows: &[Character],
) -> Result<(), OutputError> {
    let mut t = Table::create(path, &CHARACTERS_HEADER)?;
    let clock = Clock {
        start_hour: sim.params.run.start_hour,
    };
    let at = |tick: u32| when(&clock, rec.minutes(tick));
    /// One row, in header order.
    #[derive(Serialize)]
    struct Row<'a> {
        name: &'a str,
        agent: u32,
        role: &'a str,
        fate: &'a str,
        fate_by: &'a str,
        fate_tick: u32,
        fate_minutes: String,
        fate_clock: String,
        place: &'a str,
        bitten_tick: Option<u32>,
        bitten_clock: Option<String>,
        bitten_place: Option<&'a str>,
        bitten_by: Option<String>,
        bitten_by_agent: Option<u32>,
        turned_tick: Option<u32>,
        turned_clock: Option<String>,
        bites: u32,
        zombies_destroyed: u32,
        story: &'a str,
    }
    for c in rows {
        let bitten = c.bitten.as_ref();
        let biter = bitten.and_then(|b| b.by.as_ref());
        t.row(Row {
            name: &c.name,
            agent: c.agent,
            role: c.role,
            fate: c.fate.as_str(),
            fate_by: c.fate_by.as_deref().unwrap_or(""),
            fate_tick: c.fate_tick,
            fate_minutes: format_minutes(rec.minutes(c.fate_tick)),
            fate_clock: at(c.fate_tick),
            place: &c.place,
            bitten_tick: bitten.map(|b| b.tick),
            bitten_clock: bitten.map(|b| at(b.tick)),
            bitten_place: bitten.map(|b| place_name(&sim.world, b.place)),
            bitten_by: biter.map(|w| w.describe()),
            bitten_by_agent: biter.map(|w| w.agent),
            turned_tick: c.turned.as_ref().map(|m| m.tick),
            turned_clock: c.turned.as_ref().map(|m| at(m.tick)),
            bites: c.bites,
            zombies_destroyed: c.kills,
            story: &c.story,
        })?;
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
            "tick,minutes,susceptible,infected,zombie,hambie,dead,rescued,quarantined,reserve"
        );
        assert_eq!(
            ZONES_HEADER.join(","),
            "tick,minutes,zone,susceptible,infected,zombie,hambie,dead,rescued,quarantined,reserve"
        );
        assert_eq!(
            EVENTS_HEADER.join(","),
            "tick,minutes,clock,event,agent,agent_name,other,other_name,place,place_name"
        );
        assert_eq!(
            CHARACTERS_HEADER.join(","),
            "name,agent,role,fate,fate_by,fate_tick,fate_minutes,fate_clock,place,bitten_tick,bitten_clock,bitten_place,bitten_by,bitten_by_agent,turned_tick,turned_clock,bites,zombies_destroyed,story"
        );
        // The state columns follow the engine's column order.
        let states: Vec<&str> = Health::ALL.iter().map(|h| h.as_str()).collect();
        assert_eq!(TIMESERIES_HEADER[2..], states[..]);
        assert_eq!(ZONES_HEADER[3..], states[..]);
    }
}
