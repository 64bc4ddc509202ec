//! `[[authorities]]`: the timeline. Each order's trigger, the settings its action takes and
//! their defaults and ranges, the squads it deploys; and warnings for orders timed after
//! the end of the run.

use super::{Check, MAX_RATE};
use crate::error::{Limit, Missing, NotAllowed, ScenarioError, Unknown};
use crate::raw::RawOrder;
use crate::spec::{ActionSpec, CharacterSpec, OrderSpec, TriggerSpec};
use outbreak_engine::prelude::Health;

/// The actions an order may take, and the settings each takes (besides `action`, `label`,
/// `at_hours`, `when` and `delay_hours`).
pub const ACTIONS: &[(&str, &[&str])] = &[
    ("cordon", &["zone", "leak_per_hour"]),
    ("lift-cordon", &["zone"]),
    ("rescue", &["place", "people_per_hour", "duration_hours"]),
    ("close-rescue", &["place"]),
    ("lure", &["place", "loudness", "duration_hours"]),
    (
        "squad",
        &["squad", "size", "entry", "zone", "withdraw_below"],
    ),
    ("strike", &["zone", "kill_fraction"]),
    ("alarm", &["zone"]),
    ("quarantine", QUARANTINE),
    ("cure", &["zone", "cure_per_hour"]),
    ("eradicate", &["zone", "kill_fraction"]),
];

/// A quarantine's settings: its zone and its three rates, of which it needs one.
const QUARANTINE: &[&str] = &[
    "zone",
    "infected_per_hour",
    "zombies_per_hour",
    "removal_per_hour",
];

/// The most members a squad may have.
const MAX_SQUAD: u32 = 100_000;

/// The orders in file order, and a warning for each timed after the end of the run.
pub(super) fn check(
    c: &Check,
    orders: &[RawOrder],
    characters: &[CharacterSpec],
    tick_minutes: f64,
    duration_hours: f64,
) -> Result<(Vec<OrderSpec>, Vec<String>), ScenarioError> {
    let specs: Vec<OrderSpec> = orders
        .iter()
        .enumerate()
        .map(|(i, o)| order(c, i, o, tick_minutes))
        .collect::<Result<_, _>>()?;
    let deployed = |squad: &str| {
        specs
            .iter()
            .any(|o| matches!(&o.action, ActionSpec::Squad { squad: s, .. } if s == squad))
    };
    if let Some((i, squad)) = characters
        .iter()
        .enumerate()
        .find_map(|(i, ch)| ch.squad.as_deref().filter(|s| !deployed(s)).map(|s| (i, s)))
    {
        return Err(c.error(
            &format!("population.characters.{i}.squad"),
            Unknown::Squad {
                squad: squad.into(),
            },
        ));
    }
    let warnings = orders
        .iter()
        .enumerate()
        .filter_map(|(i, o)| {
            let h = o.at_hours.filter(|h| *h > duration_hours)?;
            Some(format!(
                "`authorities.{i}.at_hours`: {h} hours is after the run ends ({duration_hours} hours): the `{}` order will not fire",
                o.action
            ))
        })
        .collect();
    Ok((specs, warnings))
}

/// Order `i`: its trigger, then its action.
fn order(c: &Check, i: usize, o: &RawOrder, tick_minutes: f64) -> Result<OrderSpec, ScenarioError> {
    let key = |f: &str| format!("authorities.{i}.{f}");
    let trigger = match (&o.at_hours, &o.when) {
        (Some(h), None) => {
            let hours = c.non_negative(&key("at_hours"), Some(*h), 0.0)?;
            TriggerSpec::At {
                tick: c.ticks(&key("at_hours"), hours, tick_minutes)?,
            }
        }
        (None, Some(w)) => {
            // The rescued and the reserve are off the map, in no zone: not counted there.
            let counted = || Health::ALL.into_iter().filter(|h| !h.off_map());
            let health = counted().find(|h| h.as_str() == w.state).ok_or_else(|| {
                let states: Vec<&str> = counted().map(|h| h.as_str()).collect();
                c.error(
                    &key("when.state"),
                    Unknown::Choice {
                        what: "state",
                        name: w.state.clone(),
                        allowed: states.join(", "),
                        suggestion: None,
                    },
                )
            })?;
            let delay = c.non_negative(&key("delay_hours"), o.delay_hours, 0.0)?;
            TriggerSpec::ZoneCount {
                zone: w.zone.clone(),
                health,
                at_least: w.at_least,
                delay_ticks: c.ticks(&key("delay_hours"), delay, tick_minutes)?,
            }
        }
        (Some(_), Some(_)) => return Err(c.error(&key("when"), NotAllowed::TwoTriggers)),
        (None, None) => return Err(c.error(&key("action"), Missing::Trigger)),
    };
    let takes = ACTIONS
        .iter()
        .find(|a| a.0 == o.action)
        .map(|a| a.1)
        .ok_or_else(|| {
            let names: Vec<&str> = ACTIONS.iter().map(|a| a.0).collect();
            c.error(
                &key("action"),
                Unknown::Choice {
                    what: "action",
                    name: o.action.clone(),
                    allowed: names.join(", "),
                    suggestion: crate::error::nearest(&o.action, names.iter().copied())
                        .map(str::to_string),
                },
            )
        })?;
    if let Some(setting) = o.settings().into_iter().find(|k| !takes.contains(k)) {
        return Err(c.error(
            &key(setting),
            NotAllowed::OrderSetting {
                setting,
                action: o.action.clone(),
                takes,
            },
        ));
    }
    if o.delay_hours.is_some() && o.when.is_none() {
        return Err(c.error(&key("delay_hours"), NotAllowed::DelayWithoutWhen));
    }
    let label = o.label.clone().unwrap_or_else(|| {
        let target = o.zone.as_deref().or(o.place.as_deref()).unwrap_or("");
        format!("{} {}", o.action, target).trim().to_string()
    });
    Ok(OrderSpec {
        label,
        trigger,
        action: action(c, i, o, tick_minutes)?,
    })
}

/// What order `i` does, its settings checked and their defaults filled in.
fn action(
    c: &Check,
    i: usize,
    o: &RawOrder,
    tick_minutes: f64,
) -> Result<ActionSpec, ScenarioError> {
    let key = |f: &str| format!("authorities.{i}.{f}");
    let need = |setting: &'static str, v: &Option<String>| {
        v.clone().ok_or_else(|| {
            c.error(
                &key(setting),
                Missing::OrderSetting {
                    action: o.action.clone(),
                    setting,
                },
            )
        })
    };
    let non_negative = |f: &str, v: Option<f64>, default: f64| c.non_negative(&key(f), v, default);
    let fraction = |f: &str, v: Option<f64>, default: f64| c.num(&key(f), v, default, 0.0, 1.0);
    let rate = |f: &str, v: Option<f64>| -> Result<f64, ScenarioError> {
        let value = non_negative(f, v, 0.0)?;
        if value > MAX_RATE {
            return Err(c.error(
                &key(f),
                Limit::Between {
                    value,
                    min: 0.0,
                    max: MAX_RATE,
                },
            ));
        }
        Ok(value)
    };
    Ok(match o.action.as_str() {
        "cordon" => ActionSpec::Cordon {
            zone: need("zone", &o.zone)?,
            leak_per_hour: non_negative("leak_per_hour", o.leak_per_hour, 0.0)?,
        },
        "lift-cordon" => ActionSpec::LiftCordon {
            zone: need("zone", &o.zone)?,
        },
        "rescue" => {
            let place = need("place", &o.place)?;
            if o.duration_hours.is_some() && o.when.is_some() {
                return Err(c.error(&key("duration_hours"), NotAllowed::TriggeredRescueDuration));
            }
            let open_ticks = o
                .duration_hours
                .map(|d| {
                    let hours = non_negative("duration_hours", Some(d), 0.0)?;
                    c.duration_ticks(&key("duration_hours"), hours, tick_minutes)
                })
                .transpose()?;
            ActionSpec::Rescue {
                place,
                per_hour: non_negative("people_per_hour", o.people_per_hour, 600.0)?,
                open_ticks,
            }
        }
        "close-rescue" => ActionSpec::CloseRescue {
            place: need("place", &o.place)?,
        },
        "lure" => {
            let hours = non_negative("duration_hours", o.duration_hours, 1.0)?;
            ActionSpec::Lure {
                place: need("place", &o.place)?,
                loudness: non_negative("loudness", o.loudness, 50.0)?,
                duration_ticks: c.duration_ticks(&key("duration_hours"), hours, tick_minutes)?,
            }
        }
        "strike" => ActionSpec::Strike {
            zone: need("zone", &o.zone)?,
            kill_fraction: fraction("kill_fraction", o.kill_fraction, 0.9)?,
        },
        "alarm" => ActionSpec::Alarm {
            zone: need("zone", &o.zone)?,
        },
        "squad" => {
            let squad = need("squad", &o.squad)?;
            let zone = need("zone", &o.zone)?;
            let entry = need("entry", &o.entry)?;
            let size = o.size.unwrap_or(8);
            if size > MAX_SQUAD {
                return Err(c.error(
                    &key("size"),
                    Limit::Between {
                        value: f64::from(size),
                        min: 0.0,
                        max: f64::from(MAX_SQUAD),
                    },
                ));
            }
            ActionSpec::Squad {
                squad,
                size,
                entry,
                zone,
                withdraw_below: fraction("withdraw_below", o.withdraw_below, 0.5)?,
            }
        }
        "quarantine" => {
            if o.infected_per_hour.is_none()
                && o.zombies_per_hour.is_none()
                && o.removal_per_hour.is_none()
            {
                return Err(c.error(
                    &key("action"),
                    Missing::OneOf {
                        action: o.action.clone(),
                        settings: &QUARANTINE[1..],
                    },
                ));
            }
            ActionSpec::Quarantine {
                zone: o.zone.clone(),
                infected_per_hour: rate("infected_per_hour", o.infected_per_hour)?,
                zombies_per_hour: rate("zombies_per_hour", o.zombies_per_hour)?,
                removal_per_hour: rate("removal_per_hour", o.removal_per_hour)?,
            }
        }
        "cure" => {
            if o.cure_per_hour.is_none() {
                return Err(c.error(
                    &key("action"),
                    Missing::OrderSetting {
                        action: o.action.clone(),
                        setting: "cure_per_hour",
                    },
                ));
            }
            ActionSpec::Cure {
                zone: o.zone.clone(),
                per_hour: rate("cure_per_hour", o.cure_per_hour)?,
            }
        }
        "eradicate" => ActionSpec::Eradicate {
            zone: o.zone.clone(),
            kill_fraction: fraction("kill_fraction", o.kill_fraction, 0.25)?,
        },
        _ => unreachable!("checked against ACTIONS above"),
    })
}

#[cfg(test)]
mod tests {
    use crate::spec::{ActionSpec, TriggerSpec};
    use crate::Scenario;

    /// A well-mixed world with one order (`order`'s lines).
    fn order(order: &str) -> Result<Scenario, crate::ScenarioError> {
        let src = format!(
            "[run]\ntick_minutes = 10\n[world]\ngenerator = \"well-mixed\"\n[population]\nsize = 10\n[[authorities]]\n{order}\n"
        );
        Scenario::from_str(&src, "t.toml", &[])
    }

    #[test]
    fn an_orders_ranges_are_checked_before_the_world_is_built() {
        // The zone does not exist, but the fraction is refused first: no world is needed.
        let e = order("action = \"strike\"\nzone = \"nowhere\"\nkill_fraction = 1.5\nat_hours = 1")
            .unwrap_err();
        assert_eq!(e.key, "authorities.0.kill_fraction");
        assert_eq!(e.message(), "1.5 is out of range: allowed 0 to 1");
        let e = order("action = \"lure\"\nplace = \"arena\"\nduration_hours = 0.25\nat_hours = 1")
            .unwrap_err();
        assert_eq!(
            e.message(),
            "0.25 hours is not a whole number of 10-minute ticks"
        );
        let e = order("action = \"cure\"\ncure_per_hour = 2e6\nat_hours = 1").unwrap_err();
        assert_eq!(e.message(), "2000000 is out of range: allowed 0 to 1000000");
        let e = order("action = \"squad\"\nsquad = \"s\"\nzone = \"z\"\nentry = \"e\"\nsize = 100001\nat_hours = 1")
            .unwrap_err();
        assert_eq!(e.message(), "100001 is out of range: allowed 0 to 100000");
        let e = order("action = \"alarm\"\nzone = \"z\"\nwhen = { zone = \"z\", state = \"asleep\", at_least = 1 }")
            .unwrap_err();
        assert_eq!(
            e.message(),
            "unknown state `asleep`: expected susceptible, infected, zombie, hambie, dead, quarantined"
        );
    }

    #[test]
    fn defaults_are_filled_in_once() {
        let s = order("action = \"lure\"\nplace = \"arena\"\nat_hours = 1").unwrap();
        assert_eq!(
            s.orders[0].action,
            ActionSpec::Lure {
                place: "arena".into(),
                loudness: 50.0,
                duration_ticks: 6
            }
        );
        assert_eq!(s.orders[0].trigger, TriggerSpec::At { tick: 6 });
        assert_eq!(s.orders[0].label, "lure arena");
        let s = order("action = \"rescue\"\nplace = \"arena\"\nduration_hours = 2\nat_hours = 0")
            .unwrap();
        assert_eq!(
            s.orders[0].action,
            ActionSpec::Rescue {
                place: "arena".into(),
                per_hour: 600.0,
                open_ticks: Some(12)
            }
        );
        let s = order("action = \"eradicate\"\nat_hours = 0").unwrap();
        assert_eq!(
            s.orders[0].action,
            ActionSpec::Eradicate {
                zone: None,
                kill_fraction: 0.25
            }
        );
        let s =
            order("action = \"squad\"\nsquad = \"s\"\nzone = \"z\"\nentry = \"e\"\nat_hours = 0")
                .unwrap();
        assert!(matches!(
            s.orders[0].action,
            ActionSpec::Squad { size: 8, .. }
        ));
    }
}
