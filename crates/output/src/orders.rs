//! What each order of the timeline did (`summary.json`'s `orders`): when it fired, where,
//! and its effect in numbers and in words — a cordon's tries held and leaked, a rescue
//! point's rescued per hour and the bitten it turned away, the zombies a lure drew, whom a
//! strike killed, a squad's kills and losses, the people an alarm warned.

use std::collections::{BTreeMap, BTreeSet};

use outbreak_engine::prelude::*;
use outbreak_engine::state::OrderEffect;
use outbreak_plot::scale::{self, Clock};
use serde::Serialize;

use crate::fates::when;
use crate::recorder::Recorder;
use crate::summary::round_minutes;

/// One order of the timeline and what it did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OrderSummary {
    /// Its index in the timeline (as `other` of its `order` event).
    pub index: u32,
    /// Its name in the event log: the scenario's `label`, or the action and its target
    /// (`rescue Main Gate`; a rescue's closing is `… (closes)`).
    pub label: String,
    /// Its action, as scenario files name it (`cordon`, `rescue`, `lure` …).
    pub action: &'static str,
    /// The place it acts at (a rescue point, a lure, a squad's entry), where it has one.
    pub place: Option<String>,
    /// The zone it acts in (a cordon, a strike, an alarm, a squad's zone …), where it has
    /// one.
    pub zone: Option<String>,
    /// The tick it fired at; `null` if its trigger was never reached.
    pub fired_tick: Option<u32>,
    /// Simulated minutes since the start when it fired.
    pub fired_minutes: Option<f64>,
    /// When it fired on the clock: `13:42`, or `01:10 on day 2`.
    pub fired_clock: Option<String>,
    /// Its effect in numbers; which keys it has depends on the action.
    pub counts: BTreeMap<&'static str, u64>,
    /// A rescue point's evacuations in each hour of the run (hour 0 first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rescued_by_hour: Option<Vec<u64>>,
    /// Its effect in words.
    pub effect: String,
}

/// The action's name as scenario files write it.
fn action_name(a: &Action) -> &'static str {
    match a {
        Action::OpenRescue { .. } => "rescue",
        other => other.name(),
    }
}

/// A number of tries: `once`, `twice`, `17 times`.
fn times(n: u64) -> String {
    match n {
        1 => "once".into(),
        2 => "twice".into(),
        n => format!("{} times", scale::count(n as f64)),
    }
}

fn people(n: u64, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        scale::count(n as f64),
        if n == 1 { one } else { many }
    )
}

/// Every order of the run's timeline, in timeline order.
pub(crate) fn orders(rec: &Recorder, sim: &Simulation) -> Vec<OrderSummary> {
    let world = &sim.world;
    let clock = Clock {
        start_hour: sim.params.run.start_hour,
    };
    let minutes = |t: u32| round_minutes(rec.minutes(t));
    let last = rec.ticks().last().copied().unwrap_or(0);
    let hours = (rec.minutes(last) / 60.0).ceil().max(1.0) as usize;
    let fired: Vec<Option<u32>> = (0..sim.orders.len())
        .map(|k| sim.fired_at(OrderId(k as u32)))
        .collect();
    let zone_name = |z: ZoneId| world.zone_name(z).to_string();
    let place_name = |p: PlaceId| {
        world
            .places
            .name
            .get(p.index())
            .cloned()
            .unwrap_or_default()
    };
    sim.orders
        .iter()
        .enumerate()
        .map(|(k, order)| {
            let e = sim.counters.orders.get(k).copied().unwrap_or_default();
            let (place, zone) = match &order.action {
                Action::Cordon { zone, .. }
                | Action::LiftCordon { zone }
                | Action::Strike { zone, .. }
                | Action::Alarm { zone } => (None, Some(zone_name(*zone))),
                Action::OpenRescue { place, .. }
                | Action::CloseRescue { place }
                | Action::Lure { place, .. } => (Some(place_name(*place)), None),
                Action::Squad { entry, zone, .. } => {
                    (Some(place_name(*entry)), Some(zone_name(*zone)))
                }
                Action::Quarantine { zone, .. }
                | Action::Cure { zone, .. }
                | Action::Eradicate { zone, .. } => (None, zone.map(zone_name)),
            };
            let mut s = OrderSummary {
                index: k as u32,
                label: order.label.clone(),
                action: action_name(&order.action),
                place,
                zone,
                fired_tick: fired[k],
                fired_minutes: fired[k].map(minutes),
                fired_clock: fired[k].map(|t| when(&clock, rec.minutes(t))),
                counts: BTreeMap::new(),
                rescued_by_hour: None,
                effect: String::new(),
            };
            match fired[k] {
                None => s.effect = "did not fire: its trigger was never reached".into(),
                Some(at) => effect(&mut s, order, &e, at, k, rec, sim, &fired, hours, &clock),
            }
            s
        })
        .collect()
}

/// Fills in the counts and the words of an order that fired at tick `at`.
#[allow(clippy::too_many_arguments)]
fn effect(
    s: &mut OrderSummary,
    order: &Order,
    e: &OrderEffect,
    at: u32,
    k: usize,
    rec: &Recorder,
    sim: &Simulation,
    fired: &[Option<u32>],
    hours: usize,
    clock: &Clock,
) {
    let zone = s.zone.clone().unwrap_or_else(|| "the whole world".into());
    let place = s.place.clone().unwrap_or_default();
    let c = &mut s.counts;
    s.effect = match &order.action {
        Action::Alarm { .. } => {
            c.insert("warned", e.warned);
            match e.warned {
                0 => format!("warned no one: everyone in {zone} was already alert, or gone"),
                n => format!("warned {} in {zone}", people(n, "person", "people")),
            }
        }
        Action::Cordon { leak_per_hour, .. } => {
            c.insert("human_attempts", e.human_attempts);
            c.insert("human_leaks", e.human_leaks);
            c.insert("zombie_attempts", e.zombie_attempts);
            c.insert("zombie_leaks", e.zombie_leaks);
            let tried = |who: &str, n: u64, through: u64| match (n, through) {
                (0, _) => format!("no {who} tried to cross"),
                (n, 0) => format!("{who}s tried {} and none got through", times(n)),
                (n, l) => format!(
                    "{who}s tried {} and {} got through",
                    times(n),
                    scale::count(l as f64)
                ),
            };
            if e.human_attempts + e.zombie_attempts == 0 {
                format!("closed the ways out of {zone}; no one pushed against them")
            } else {
                format!(
                    "held {zone} (a leak of {} an hour of pushing): {}; {}",
                    scale::round_label(*leak_per_hour, 3),
                    tried("zombie", e.zombie_attempts, e.zombie_leaks),
                    tried("human", e.human_attempts, e.human_leaks)
                )
            }
        }
        Action::LiftCordon { .. } => format!("opened the ways out of {zone}"),
        Action::OpenRescue {
            place: at_place, ..
        } => {
            c.insert("rescued", e.rescued);
            c.insert("turned_away", e.turned_away);
            let mut by_hour = vec![0u64; hours];
            for ev in rec.events() {
                if ev.kind == EventKind::Rescue && ev.place == *at_place && ev.tick >= at {
                    let h =
                        ((rec.minutes(ev.tick.saturating_sub(1)) / 60.0) as usize).min(hours - 1);
                    by_hour[h] += 1;
                }
            }
            let busiest = (0..hours).max_by(|&a, &b| by_hour[a].cmp(&by_hour[b]).then(b.cmp(&a)));
            s.rescued_by_hour = Some(by_hour.clone());
            let away = match e.turned_away {
                0 => String::new(),
                n => format!(
                    "; turned away {}",
                    people(n, "bitten person", "bitten people")
                ),
            };
            match (e.rescued, busiest) {
                (0, _) | (_, None) => format!("rescued no one at {place}{away}"),
                (n, Some(h)) => format!(
                    "rescued {} at {place} (the busiest hour, {}–{}: {}){away}",
                    people(n, "person", "people"),
                    when(clock, h as f64 * 60.0),
                    clock.time((h + 1) as f64 * 60.0),
                    scale::count(by_hour[h] as f64)
                ),
            }
        }
        Action::CloseRescue { .. } => format!("closed the rescue point at {place}"),
        Action::Lure { .. } => {
            c.insert("zombies_drawn", e.zombies_drawn);
            match e.zombies_drawn {
                0 => format!("drew no zombie to {place}"),
                n => format!("drew {} to {place}", people(n, "zombie", "zombies")),
            }
        }
        Action::Squad { .. } => {
            let members: BTreeSet<AgentId> = rec
                .events()
                .iter()
                .filter(|ev| ev.kind == EventKind::Deploy && ev.order() == Some(OrderId(k as u32)))
                .map(|ev| ev.agent)
                .collect();
            let kills = rec
                .events()
                .iter()
                .filter(|ev| {
                    ev.kind == EventKind::Destroyed && ev.by().is_some_and(|a| members.contains(&a))
                })
                .count() as u64;
            let lost: BTreeSet<AgentId> = rec
                .events()
                .iter()
                .filter(|ev| {
                    ev.tick >= at
                        && matches!(
                            ev.kind,
                            EventKind::Bite | EventKind::StrikeDeath | EventKind::NaturalDeath
                        )
                        && members.contains(&ev.agent)
                })
                .map(|ev| ev.agent)
                .collect();
            let ours = |kind: EventKind| {
                rec.events()
                    .iter()
                    .filter(|ev| ev.kind == kind && ev.order() == Some(OrderId(k as u32)))
                    .count() as u64
            };
            let (turned_back, left) = (ours(EventKind::Withdraw), ours(EventKind::LeaveMap));
            let withdrew = rec
                .events()
                .iter()
                .find(|ev| ev.kind == EventKind::Withdraw && ev.order() == Some(OrderId(k as u32)))
                .map(|ev| ev.tick);
            c.insert("deployed", e.deployed);
            c.insert("zombies_destroyed", kills);
            c.insert("losses", lost.len() as u64);
            c.insert("withdrew", turned_back);
            c.insert("left_map", left);
            if e.deployed == 0 {
                format!("deployed no one at {place}: its fighters were gone")
            } else {
                let mut s = format!(
                    "deployed {} at {place} to sweep {zone}: they destroyed {}; {} of them {} bitten or killed",
                    people(e.deployed, "fighter", "fighters"),
                    people(kills, "zombie", "zombies"),
                    scale::count(lost.len() as f64),
                    if lost.len() == 1 { "was" } else { "were" }
                );
                if let Some(t) = withdrew {
                    s += &format!(
                        "; below its strength at {}, {} withdrew and {} left the map",
                        when(clock, rec.minutes(t)),
                        scale::count(turned_back as f64),
                        scale::count(left as f64)
                    );
                }
                s
            }
        }
        Action::Strike { .. } | Action::Eradicate { .. } => {
            let total: u64 = e.killed.iter().sum();
            let mut parts = Vec::new();
            for (h, &n) in Health::ALL.iter().zip(&e.killed) {
                // The dead and the rescued are out of a strike's reach.
                if matches!(h, Health::Dead | Health::Rescued) {
                    continue;
                }
                c.insert(h.as_str(), n);
                if n > 0 {
                    let (one, many) = match h {
                        Health::Zombie => ("zombie", "zombies"),
                        Health::Hambie => ("hambie", "hambies"),
                        Health::Infected => ("infected person", "infected people"),
                        Health::Quarantined => ("quarantined person", "quarantined people"),
                        _ => ("susceptible person", "susceptible people"),
                    };
                    parts.push(people(n, one, many));
                }
            }
            c.insert("killed", total);
            let verb = if matches!(order.action, Action::Strike { .. }) {
                "killed"
            } else {
                "destroyed"
            };
            match total {
                0 => format!("{verb} no one in {zone}"),
                n => format!(
                    "{verb} {} in {zone}: {}",
                    scale::count(n as f64),
                    parts.join(", ")
                ),
            }
        }
        Action::Quarantine { .. } | Action::Cure { .. } => {
            // Its events run until a later order of the same action replaces it.
            let same = |j: usize| {
                std::mem::discriminant(&sim.orders[j].action)
                    == std::mem::discriminant(&order.action)
            };
            let until = (0..sim.orders.len())
                .filter(|&j| j != k && same(j))
                .filter_map(|j| fired[j].filter(|&t| t > at || (t == at && j > k)))
                .min()
                .unwrap_or(u32::MAX);
            let count = |kind: EventKind| {
                rec.events()
                    .iter()
                    .filter(|ev| ev.kind == kind && ev.tick > at && ev.tick <= until)
                    .count() as u64
            };
            if matches!(order.action, Action::Cure { .. }) {
                let n = count(EventKind::Cure);
                c.insert("cured", n);
                format!("cured {} in {zone}", people(n, "zombie", "zombies"))
            } else {
                let (q, d) = (
                    count(EventKind::Quarantine),
                    count(EventKind::QuarantineDeath),
                );
                c.insert("quarantined", q);
                c.insert("died_in_quarantine", d);
                format!(
                    "took {} into quarantine in {zone}; {} died there",
                    people(q, "person", "people"),
                    scale::count(d as f64)
                )
            }
        }
    };
}
