//! The orders as the page draws them: each order of the run's timeline (`scenario.toml`)
//! with where it acts (a place resolved to its index, a zone by name) and when (the tick its
//! `order` event fired, and the tick it stops acting, where it stops).

use std::collections::HashMap;

use crate::feed::EventRow;

/// An order of the timeline, placed and timed.
#[derive(Clone, Debug, PartialEq)]
pub struct OrderRow {
    /// Its index in the timeline.
    pub index: u32,
    /// Its label (as the event log names it).
    pub label: String,
    /// Its action, as scenario files name it.
    pub action: String,
    /// The place it acts on (a rescue point, a lure, a squad's entry).
    pub place: Option<u32>,
    /// The zone it acts on.
    pub zone: Option<String>,
    /// When it fired; none if it never did.
    pub fired_tick: Option<u32>,
    /// The first tick it no longer acts at (a cordon lifted, a rescue point closed, a lure
    /// silent); none if it acts to the end or only once.
    pub until_tick: Option<u32>,
    /// How far a lure is heard, metres of path.
    pub radius_m: Option<f64>,
}

/// The orders of the timeline of `scenario` (the text of a run's `scenario.toml`), fired as
/// the `order` rows of `events` say, places named as in `place_names`.
pub fn orders(
    scenario: &str,
    events: &[EventRow],
    place_names: &[String],
    tick_minutes: f64,
) -> Result<Vec<OrderRow>, String> {
    let doc: toml::Table = scenario.parse().map_err(|e| format!("{e}"))?;
    let hearing = doc
        .get("behaviour")
        .and_then(|b| b.get("hearing_range_m"))
        .and_then(number)
        .unwrap_or(outbreak_engine::params::BehaviourParams::default().hearing_range_m);
    let mut fired: HashMap<u32, u32> = HashMap::new();
    for e in events.iter().filter(|e| e.event == "order") {
        if let Some(i) = e.other {
            fired.entry(i).or_insert(e.tick);
        }
    }
    let by_name: HashMap<&str, u32> = place_names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i as u32))
        .collect();
    let ticks = |hours: f64| (hours * 60.0 / tick_minutes).round() as u32;
    let timeline = doc
        .get("authorities")
        .and_then(|a| a.as_array())
        .cloned()
        .unwrap_or_default();
    let mut rows = Vec::new();
    for (i, order) in timeline.iter().enumerate() {
        let text = |key: &str| order.get(key).and_then(|v| v.as_str()).map(str::to_string);
        let action = text("action").ok_or(format!("order {i} has no action"))?;
        let place_name = text(if action == "squad" { "entry" } else { "place" });
        let place = match &place_name {
            Some(name) => Some(
                *by_name
                    .get(name.as_str())
                    .ok_or(format!("order {i}: no place named `{name}`"))?,
            ),
            None => None,
        };
        let fired_tick = fired.get(&(i as u32)).copied();
        let label = text("label")
            .or_else(|| {
                events
                    .iter()
                    .find(|e| e.event == "order" && e.other == Some(i as u32))
                    .map(|e| e.other_name.clone())
            })
            .unwrap_or_else(|| action.clone());
        let duration = order.get("duration_hours").and_then(number);
        let until_tick = fired_tick.and_then(|f| match action.as_str() {
            "lure" => Some(f + ticks(duration.unwrap_or(1.0))),
            "rescue" => duration.map(|d| f + ticks(d)),
            _ => None,
        });
        rows.push(OrderRow {
            index: i as u32,
            label,
            radius_m: (action == "lure").then_some(hearing),
            action,
            place,
            zone: text("zone"),
            fired_tick,
            until_tick,
        });
    }
    // A cordon stops at the lifting of its zone's, a rescue point at its closing.
    for k in 0..rows.len() {
        let (ender, same_zone) = match rows[k].action.as_str() {
            "cordon" => ("lift-cordon", true),
            "rescue" => ("close-rescue", false),
            _ => continue,
        };
        let Some(from) = rows[k].fired_tick else {
            continue;
        };
        let end = rows
            .iter()
            .filter(|r| r.action == ender && r.fired_tick.is_some_and(|t| t >= from))
            .filter(|r| {
                if same_zone {
                    r.zone == rows[k].zone
                } else {
                    r.place == rows[k].place
                }
            })
            .filter_map(|r| r.fired_tick)
            .min();
        if let Some(end) = end {
            rows[k].until_tick = Some(rows[k].until_tick.map_or(end, |u| u.min(end)));
        }
    }
    Ok(rows)
}

fn number(v: &toml::Value) -> Option<f64> {
    v.as_float().or_else(|| v.as_integer().map(|i| i as f64))
}

/// The orders as the page reads them.
pub fn orders_json(rows: &[OrderRow]) -> serde_json::Value {
    rows.iter()
        .map(|r| {
            serde_json::json!({
                "index": r.index, "label": r.label, "action": r.action, "place": r.place,
                "zone": r.zone, "fired_tick": r.fired_tick, "until_tick": r.until_tick,
                "radius_m": r.radius_m,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fired(index: u32, tick: u32) -> EventRow {
        EventRow {
            tick,
            clock: String::new(),
            event: "order".to_string(),
            agent: None,
            agent_name: String::new(),
            other: Some(index),
            other_name: format!("order {index}"),
            place: None,
            place_name: String::new(),
        }
    }

    #[test]
    fn orders_are_placed_by_name_and_timed_by_their_events() {
        let scenario = r#"
[behaviour]
hearing_range_m = 90.0
[[authorities]]
action = "cordon"
zone = "campus"
at_hours = 1.0
[[authorities]]
action = "rescue"
place = "Gate"
at_hours = 1.0
duration_hours = 2.0
[[authorities]]
action = "lure"
label = "siren"
place = "Plaza"
at_hours = 2.0
[[authorities]]
action = "lift-cordon"
zone = "campus"
at_hours = 3.0
[[authorities]]
action = "squad"
squad = "team"
zone = "campus"
entry = "Gate"
at_hours = 9.0
"#;
        let names = ["Plaza".to_string(), "Gate".to_string()];
        let events = [fired(0, 60), fired(1, 60), fired(2, 120), fired(3, 180)];
        let rows = orders(scenario, &events, &names, 1.0).unwrap();
        assert_eq!(rows[0].until_tick, Some(180), "cordon lifted");
        assert_eq!((rows[1].place, rows[1].until_tick), (Some(1), Some(180)));
        assert_eq!(rows[2].label, "siren");
        assert_eq!(
            (rows[2].until_tick, rows[2].radius_m),
            (Some(180), Some(90.0))
        );
        assert_eq!(rows[0].label, "order 0", "the event log's label");
        assert_eq!((rows[4].place, rows[4].fired_tick), (Some(1), None));
        let bad = scenario.replace("\"Plaza\"", "\"Nowhere\"");
        assert!(orders(&bad, &events, &names, 1.0)
            .unwrap_err()
            .contains("Nowhere"));
    }
}
