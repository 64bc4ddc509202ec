//! Authorities: the timeline's orders fire at their tick or when their trigger's count is
//! reached (plus a delay), at the end of the tick, after everything else. Each order's
//! action changes the places (cordons, rescue points, lures), the people (squads, strikes,
//! alarms, eradications) or the interventions in force (quarantine, cure).

use crate::agents::{Health, Mode, Population};
use crate::authority::{Action, Order, Trigger};
use crate::events::{EventKind, EventLog, Other};
use crate::ids::{AgentId, OrderId, PlaceId, ZoneId, NONE};
use crate::params::{chance, BehaviourParams};
use crate::rng::{self, Stream};
use crate::state::PlaceState;
use crate::systems::fields::Fields;
use crate::systems::interventions::Interventions;
use crate::systems::occupancy::{self, Occupancy};
use crate::systems::{health, Tick};
use crate::world::World;

/// Which orders have fired or are scheduled.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Schedule {
    /// Tick at which each order fires (`NONE`: trigger not reached yet).
    pub due: Vec<u32>,
    pub fired: Vec<bool>,
}

impl Schedule {
    /// For a timeline.
    pub fn new(orders: &[Order]) -> Self {
        let due = orders
            .iter()
            .map(|o| match o.trigger {
                Trigger::At { tick } => tick,
                Trigger::ZoneCount { .. } => NONE,
            })
            .collect();
        Self {
            due,
            fired: vec![false; orders.len()],
        }
    }
}

/// Indices of the orders that fire at the end of `tick`, in timeline order.
pub fn due(s: &mut Schedule, orders: &[Order], occ: &Occupancy, tick: u32, out: &mut Vec<OrderId>) {
    out.clear();
    for (k, o) in orders.iter().enumerate() {
        if s.fired[k] {
            continue;
        }
        if let Trigger::ZoneCount {
            zone,
            health,
            at_least,
            delay_ticks,
        } = o.trigger
        {
            if s.due[k] == NONE && occ.zones[zone.index()][health as usize] >= at_least {
                s.due[k] = tick.saturating_add(delay_ticks);
            }
        }
        if s.due[k] != NONE && s.due[k] <= tick {
            s.fired[k] = true;
            out.push(OrderId(k as u32));
        }
    }
}

/// What firing orders reads besides the state it changes.
pub struct OrderCtx<'a> {
    pub world: &'a World,
    pub orders: &'a [Order],
    pub behaviour: &'a BehaviourParams,
    pub dt_hours: f64,
    pub now: Tick,
}

/// Silences the lures whose time is up, then fires the orders due at the end of this tick,
/// in timeline order, each logged before its effects.
#[allow(clippy::too_many_arguments)]
pub fn run(
    schedule: &mut Schedule,
    pop: &mut Population,
    occ: &mut Occupancy,
    places: &mut PlaceState,
    interventions: &mut Interventions,
    fields: &mut Fields,
    log: &mut EventLog,
    ctx: &OrderCtx,
) {
    let t = ctx.now.tick;
    let mut fire = Vec::new();
    due(schedule, ctx.orders, occ, t, &mut fire);
    for p in 0..places.lure.len() {
        if places.lure[p] > 0.0 && places.lure_until[p] <= t {
            places.lure[p] = 0.0;
        }
    }
    for k in fire {
        log.push(
            EventKind::Order,
            AgentId::NONE,
            Other::order(k),
            PlaceId::NONE,
        );
        let action = &ctx.orders[k.index()].action;
        match *action {
            Action::Cordon {
                zone,
                leak_per_hour,
            } => {
                let leak = chance(leak_per_hour, ctx.dt_hours) as f32;
                places.cordons.push((zone, leak));
                close_cordons(places, ctx.world);
                fields.rescue_changed();
            }
            Action::LiftCordon { zone } => {
                places.cordons.retain(|c| c.0 != zone);
                close_cordons(places, ctx.world);
                fields.rescue_changed();
            }
            Action::OpenRescue { place, per_hour } => {
                places.rescue_open[place.index()] = true;
                places.rescue_per_tick[place.index()] = (per_hour * ctx.dt_hours) as f32;
                places.rescue_left[place.index()] = 0.0;
                fields.rescue_changed();
            }
            Action::CloseRescue { place } => {
                places.rescue_open[place.index()] = false;
                fields.rescue_changed();
            }
            Action::Lure {
                place,
                loudness,
                duration_ticks,
            } => {
                places.lure[place.index()] = loudness as f32;
                places.lure_until[place.index()] = t.saturating_add(duration_ticks);
            }
            Action::Squad {
                ref members,
                entry,
                zone,
            } => {
                for &a in members {
                    let i = a.index();
                    if pop.mode[i] == Mode::Reserve && pop.health[i].is_human() {
                        pop.place[i] = entry;
                        pop.mode[i] = Mode::Sweep;
                        occ.mark(a);
                        pop.task[i] = zone;
                        log.push(EventKind::Deploy, a, Other::NONE, entry);
                    }
                }
                fields.sweep_zone(zone, ctx.world);
            }
            Action::Strike {
                zone,
                kill_fraction,
            } => {
                let seed = order_seed(ctx.now.seed, k);
                for a in residents(occ, ctx.world, pop, ctx.behaviour, zone) {
                    let i = a.index();
                    let h = pop.health[i];
                    if matches!(h, Health::Dead | Health::Rescued) || pop.mode[i] == Mode::Reserve {
                        continue;
                    }
                    if rng::unit(seed, Stream::Authorities, t, a.0) < kill_fraction {
                        health::set(pop, occ, a, Health::Dead, t);
                        log.push(EventKind::StrikeDeath, a, Other::NONE, pop.place[i]);
                    }
                }
            }
            Action::Quarantine {
                zone,
                infected_per_hour,
                zombies_per_hour,
                removal_per_hour,
            } => {
                interventions.quarantine_zone = zone;
                interventions.quarantine_infected_p = chance(infected_per_hour, ctx.dt_hours);
                interventions.quarantine_zombie_rate = zombies_per_hour;
                interventions.removal_p = chance(removal_per_hour, ctx.dt_hours);
            }
            Action::Cure { zone, per_hour } => {
                interventions.cure_zone = zone;
                interventions.cure_rate = per_hour;
            }
            Action::Eradicate {
                zone,
                kill_fraction,
            } => {
                let seed = order_seed(ctx.now.seed, k);
                let targets = match zone {
                    Some(z) => residents(occ, ctx.world, pop, ctx.behaviour, z),
                    None => (0..pop.len() as u32).map(AgentId).collect(),
                };
                for a in targets {
                    let i = a.index();
                    if pop.health[i] == Health::Zombie
                        && rng::unit(seed, Stream::Authorities, t, a.0) < kill_fraction
                    {
                        health::set(pop, occ, a, Health::Dead, t);
                        log.push(EventKind::Eradicated, a, Other::NONE, pop.place[i]);
                    }
                }
            }
            Action::Alarm { zone } => {
                for a in residents(occ, ctx.world, pop, ctx.behaviour, zone) {
                    let i = a.index();
                    if pop.mode[i] == Mode::Routine && pop.health[i].is_human() {
                        pop.mode[i] = Mode::Alert;
                        occ.mark(a);
                    }
                }
            }
        }
    }
}

/// The seed of order `k`'s own streams: two strikes in one tick are independent.
fn order_seed(seed: u64, k: OrderId) -> u64 {
    rng::mix64(seed ^ rng::mix64(u64::from(k.0) + 1))
}

/// Everyone in a zone now, in id order (the tally is brought up to date first, so earlier
/// orders of the same tick count).
fn residents(
    occ: &mut Occupancy,
    world: &World,
    pop: &Population,
    behaviour: &BehaviourParams,
    zone: ZoneId,
) -> Vec<AgentId> {
    occupancy::flush(occ, world, pop, behaviour);
    let mut all = Vec::new();
    for &p in world.places_of(zone) {
        occ.residents(p, &mut all);
    }
    all.sort_unstable();
    all
}

/// Closes every way that crosses the boundary of a cordoned zone, at the lowest leak chance
/// of the cordons it crosses, and opens the rest.
fn close_cordons(places: &mut PlaceState, world: &World) {
    places.way_leak.iter_mut().for_each(|l| *l = -1.0);
    for &(zone, leak) in &places.cordons {
        for (w, &(a, b)) in world.ways.iter().enumerate() {
            if world.in_zone(a, zone) != world.in_zone(b, zone) {
                let l = &mut places.way_leak[w];
                *l = if *l < 0.0 { leak } else { l.min(leak) };
            }
        }
    }
}
