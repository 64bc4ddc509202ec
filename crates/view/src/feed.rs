//! The event feed: the rows of `events.csv` as plain values, and the JSON the page reads
//! for a range of ticks. The JSON is built from rows alone, so events held in memory (a run
//! still going) are served the same way as those read from a finished run's file.

use std::path::Path;

/// The most rows one request of the feed answers.
pub const MAX_ROWS: usize = 500;

/// The longest range of ticks one request of the feed may ask for.
pub const MAX_SPAN_TICKS: u32 = 10_000;

/// One event, as a row of `events.csv` holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct EventRow {
    /// The tick at whose end it happened.
    pub tick: u32,
    /// The time of day it happened, as the run folder writes it.
    pub clock: String,
    /// What happened (`bite`, `turn`, `order`, …).
    pub event: String,
    /// Who it happened to.
    pub agent: Option<u32>,
    /// Their name, for a named character.
    pub agent_name: String,
    /// The other one involved (the biter, an order's index …).
    pub other: Option<u32>,
    /// Their name (a named character's, an order's label).
    pub other_name: String,
    /// Where.
    pub place: Option<u32>,
    /// The place's name.
    pub place_name: String,
}

/// Reads `events.csv`; its rows are in ascending tick.
pub fn read_events(path: &Path) -> Result<Vec<EventRow>, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    parse_events(std::io::BufReader::new(file))
}

/// Reads the rows of `events.csv` text (a file, or a live run's new events in memory).
pub fn parse_events(text: impl std::io::Read) -> Result<Vec<EventRow>, String> {
    let mut reader = csv::Reader::from_reader(text);
    let head = reader.headers().map_err(|e| e.to_string())?.clone();
    let column = |name: &str| {
        head.iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("no column `{name}`"))
    };
    let [tick, clock, event, agent, agent_name, other, other_name, place, place_name] = [
        "tick",
        "clock",
        "event",
        "agent",
        "agent_name",
        "other",
        "other_name",
        "place",
        "place_name",
    ]
    .map(column);
    let (tick, clock, event, agent, agent_name) = (tick?, clock?, event?, agent?, agent_name?);
    let (other, other_name, place, place_name) = (other?, other_name?, place?, place_name?);
    let mut rows = Vec::new();
    for (line, record) in reader.records().enumerate() {
        let record = record.map_err(|e| e.to_string())?;
        let text = |k: usize| record.get(k).unwrap_or("").to_string();
        let id = |k: usize| -> Result<Option<u32>, String> {
            match record.get(k).unwrap_or("") {
                "" => Ok(None),
                v => v
                    .parse()
                    .map(Some)
                    .map_err(|_| format!("row {}: `{v}` is not an id", line + 2)),
            }
        };
        rows.push(EventRow {
            tick: id(tick)?.ok_or_else(|| format!("row {}: no tick", line + 2))?,
            clock: text(clock),
            event: text(event),
            agent: id(agent)?,
            agent_name: text(agent_name),
            other: id(other)?,
            other_name: text(other_name),
            place: id(place)?,
            place_name: text(place_name),
        });
    }
    Ok(rows)
}

/// What a request of the feed asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeedRange {
    /// The first tick, included.
    pub from: u32,
    /// The last tick, included.
    pub to: u32,
    /// The most rows wanted.
    pub limit: usize,
}

impl FeedRange {
    /// Parses a query string `from=T0&to=T1[&limit=N]`, refusing anything else: unknown or
    /// repeated keys, numbers that are not whole ticks, `from` after `to`, a range longer
    /// than [`MAX_SPAN_TICKS`], a limit of 0 or above [`MAX_ROWS`].
    pub fn parse(query: &str) -> Result<FeedRange, String> {
        let (mut from, mut to, mut limit) = (None, None, None);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let slot = match key {
                "from" => &mut from,
                "to" => &mut to,
                "limit" => &mut limit,
                other => return Err(format!("unknown parameter `{other}` (from, to, limit)")),
            };
            if slot.is_some() {
                return Err(format!("`{key}` given twice"));
            }
            let n: u32 = value
                .parse()
                .map_err(|_| format!("`{key}` must be a whole number, not `{value}`"))?;
            *slot = Some(n);
        }
        let from = from.ok_or("`from` is missing")?;
        let to = to.ok_or("`to` is missing")?;
        if from > to {
            return Err(format!("`from` ({from}) is after `to` ({to})"));
        }
        if to - from > MAX_SPAN_TICKS {
            return Err(format!(
                "{} ticks asked for; at most {MAX_SPAN_TICKS} a request",
                to - from
            ));
        }
        let limit = limit.map_or(MAX_ROWS, |l| l as usize);
        if limit == 0 || limit > MAX_ROWS {
            return Err(format!("`limit` must be 1 to {MAX_ROWS}, not {limit}"));
        }
        Ok(FeedRange { from, to, limit })
    }
}

/// The feed's JSON for `range`: the events of those ticks, newest first, at most
/// `range.limit` of them; `more` says whether older ones in the range were left out.
/// `rows` are in ascending tick.
pub fn events_json(rows: &[EventRow], range: FeedRange) -> serde_json::Value {
    let start = rows.partition_point(|r| r.tick < range.from);
    let end = rows.partition_point(|r| r.tick <= range.to);
    let within = &rows[start..end.max(start)];
    let text = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let events: Vec<serde_json::Value> = within
        .iter()
        .rev()
        .take(range.limit)
        .map(|r| {
            serde_json::json!({
                "tick": r.tick, "clock": r.clock, "event": r.event,
                "agent": r.agent, "agent_name": text(&r.agent_name),
                "other": r.other, "other_name": text(&r.other_name),
                "place": r.place, "place_name": text(&r.place_name),
            })
        })
        .collect();
    serde_json::json!({
        "from": range.from,
        "to": range.to,
        "more": within.len() > range.limit,
        "events": events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(tick: u32, event: &str) -> EventRow {
        EventRow {
            tick,
            clock: String::new(),
            event: event.to_string(),
            agent: Some(tick),
            agent_name: String::new(),
            other: None,
            other_name: String::new(),
            place: None,
            place_name: String::new(),
        }
    }

    #[test]
    fn the_feed_gives_the_newest_of_its_range_first_and_says_when_it_left_some_out() {
        let rows: Vec<EventRow> = [1, 3, 3, 5, 8].iter().map(|&t| row(t, "bite")).collect();
        let all = events_json(&rows, FeedRange::parse("from=2&to=5").unwrap());
        let ticks: Vec<u64> = all["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["tick"].as_u64().unwrap())
            .collect();
        assert_eq!(ticks, [5, 3, 3]);
        assert_eq!(all["more"], false);
        let some = events_json(&rows, FeedRange::parse("from=0&to=9&limit=2").unwrap());
        assert_eq!(some["events"].as_array().unwrap().len(), 2);
        assert_eq!(some["events"][0]["tick"], 8);
        assert_eq!(some["more"], true);
        assert_eq!(some["events"][0]["agent_name"], serde_json::Value::Null);
    }

    #[test]
    fn bad_ranges_are_refused_with_a_reason() {
        for (query, why) in [
            ("", "`from` is missing"),
            ("from=3", "`to` is missing"),
            ("from=a&to=3", "whole number"),
            ("from=-1&to=3", "whole number"),
            ("from=5&to=3", "after"),
            ("from=0&to=20000", "at most"),
            ("from=0&to=3&limit=0", "`limit`"),
            ("from=0&to=3&limit=501", "`limit`"),
            ("from=0&to=3&from=1", "twice"),
            ("from=0&to=3&path=x", "unknown"),
        ] {
            let e = FeedRange::parse(query).unwrap_err();
            assert!(e.contains(why), "{query}: {e}");
        }
    }
}
