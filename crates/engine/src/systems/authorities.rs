//! Authorities: the timeline's orders fire at their tick or when their trigger's count is
//! reached (plus a delay), at the end of the tick, after everything else. Each order's
//! action changes the places (cordons, rescue points, lures), the people (squads, strikes,
//! alarms, eradications) or the interventions in force (quarantine, cure).

use crate::agents::{flags, Health, Mode, Population};
use crate::authority::{Action, Order, Trigger};
use crate::events::{EventKind, EventLog, Other};
use crate::ids::{AgentId, GroupId, OrderId, PlaceId, ZoneId, NONE};
use crate::params::{chance, BehaviourParams};
use crate::rng::{self, Stream};
use crate::state::{Counters, PlaceState, Trips};
use crate::systems::fields::Fields;
use crate::systems::groups::Groups;
use crate::systems::interventions::Interventions;
use crate::systems::occupancy::{self, Occupancy};
use crate::systems::{health, Tick};
use crate::world::World;

/// Which orders have fired or are scheduled.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Schedule {
    /// Tick at which each order fires (`NONE`: trigger not reached yet).
    pub due: Vec<u32>,
    /// Whether each order has fired (each fires once).
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

/// Counts the trip of fighter `a`, just deployed at an entry: into the zone (arrived at
/// once when the entry is `inside` it), or never set out on when no place of the zone is
/// reachable from the entry.
fn squad_trip(pop: &mut Population, trips: &mut Trips, a: AgentId, inside: bool, reaches: bool) {
    let f = &mut pop.flags[a.index()];
    *f &= !flags::ON_SQUAD_TRIP;
    if !reaches {
        trips.squad_unreachable += 1;
        return;
    }
    trips.squad_started += 1;
    if inside {
        trips.squad_arrived += 1;
    } else {
        *f |= flags::ON_SQUAD_TRIP;
    }
}

/// What firing orders reads besides the state it changes.
pub struct OrderCtx<'a> {
    /// The zones and ways the orders act on.
    pub world: &'a World,
    /// The timeline.
    pub orders: &'a [Order],
    /// For the tally, brought up to date before an order reads who is in a zone.
    pub behaviour: &'a BehaviourParams,
    /// Length of the tick, to turn rates per hour into chances.
    pub dt_hours: f64,
    /// The tick at whose end the orders fire, and the key of their draws.
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
    groups: &mut Groups,
    counters: &mut Counters,
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
        let mut effect = counters.order(k).copied().unwrap_or_default();
        match *action {
            Action::Cordon {
                zone,
                leak_per_hour,
            } => {
                let leak = chance(leak_per_hour, ctx.dt_hours) as f32;
                places.cordons.push((zone, leak, k));
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
                places.rescue_order[place.index()] = k;
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
                places.lure_order[place.index()] = k;
            }
            Action::Squad {
                ref members,
                entry,
                zone,
                ..
            } => {
                // One group, named by its first fighter deployed (see `squads`).
                let mut unit = GroupId::NONE;
                let inside = ctx.world.in_zone(entry, zone);
                let reaches = inside
                    || ctx
                        .world
                        .places_of(zone)
                        .iter()
                        .any(|&p| ctx.world.reachable(entry, p));
                for &a in members {
                    let i = a.index();
                    if pop.health[i] == Health::Reserve {
                        if unit.is_none() {
                            unit = GroupId(a.0);
                        }
                        health::set(pop, occ, a, Health::Susceptible, t);
                        pop.place[i] = entry;
                        pop.heading[i] = PlaceId::NONE;
                        pop.progress_m[i] = 0.0;
                        pop.mode[i] = Mode::Sweep;
                        pop.task[i] = zone;
                        pop.group[i] = unit;
                        groups.enlist([a]);
                        effect.deployed += 1;
                        squad_trip(pop, &mut counters.trips, a, inside, reaches);
                        log.push(EventKind::Deploy, a, Other::order(k), entry);
                    }
                }
                fields.sweep_zone(zone, ctx.world);
            }
            Action::Strike {
                zone,
                kill_fraction,
            } => {
                // Each order draws from its own streams: two strikes in one tick are
                // independent.
                let seed = rng::seed_for(ctx.now.seed, Stream::Orders, k.0);
                for a in residents(occ, ctx.world, pop, ctx.behaviour, zone) {
                    let i = a.index();
                    let h = pop.health[i];
                    if h == Health::Dead || h.off_map() {
                        continue;
                    }
                    if rng::unit(seed, Stream::Orders, t, a.0) < kill_fraction {
                        effect.killed[h as usize] += 1;
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
                let seed = rng::seed_for(ctx.now.seed, Stream::Orders, k.0);
                let targets = match zone {
                    Some(z) => residents(occ, ctx.world, pop, ctx.behaviour, z),
                    None => (0..pop.len() as u32).map(AgentId).collect(),
                };
                for a in targets {
                    let i = a.index();
                    if pop.health[i] == Health::Zombie
                        && rng::unit(seed, Stream::Orders, t, a.0) < kill_fraction
                    {
                        effect.killed[Health::Zombie as usize] += 1;
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
                        effect.warned += 1;
                    }
                }
            }
        }
        if let Some(e) = counters.order(k) {
            *e = effect;
        }
    }
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
/// of the cordons it crosses (that cordon holds the way: its order counts the tries), and
/// opens the rest.
fn close_cordons(places: &mut PlaceState, world: &World) {
    places.way_leak.iter_mut().for_each(|l| *l = -1.0);
    places
        .way_cordon
        .iter_mut()
        .for_each(|o| *o = OrderId::NONE);
    for &(zone, leak, order) in &places.cordons {
        for (w, &(a, b)) in world.ways.iter().enumerate() {
            if world.in_zone(a, zone) != world.in_zone(b, zone) {
                let l = &mut places.way_leak[w];
                if *l < 0.0 || leak < *l {
                    *l = leak;
                    places.way_cordon[w] = order;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{self, room_zone};

    /// Everything firing orders reads and writes, for a row of three rooms.
    struct Scene {
        world: World,
        pop: Population,
        occ: Occupancy,
        places: PlaceState,
        interventions: Interventions,
        fields: Fields,
        groups: Groups,
        counters: Counters,
        log: EventLog,
    }

    impl Scene {
        fn new(people: &[(u32, Health, Mode)]) -> Self {
            let world = testing::line(3);
            let pop = testing::population(people);
            Self {
                occ: testing::occupancy(&world, &pop),
                places: PlaceState::new(&world),
                interventions: Interventions::default(),
                fields: Fields::new(&world),
                groups: Groups::for_population(&pop),
                counters: Counters::new(4),
                log: EventLog::new(0),
                world,
                pop,
            }
        }

        /// Fires the orders of `orders` due at the end of tick `t` (a fresh schedule).
        fn fire_at(&mut self, orders: &[Order], t: u32) {
            let mut schedule = Schedule::new(orders);
            self.run(&mut schedule, orders, t);
        }

        fn run(&mut self, schedule: &mut Schedule, orders: &[Order], t: u32) {
            self.log.begin(t);
            let b = BehaviourParams::default();
            let ctx = OrderCtx {
                world: &self.world,
                orders,
                behaviour: &b,
                dt_hours: 1.0 / 60.0,
                now: Tick::new(1, t),
            };
            run(
                schedule,
                &mut self.pop,
                &mut self.occ,
                &mut self.places,
                &mut self.interventions,
                &mut self.fields,
                &mut self.groups,
                &mut self.counters,
                &mut self.log,
                &ctx,
            );
            occupancy::flush(&mut self.occ, &self.world, &self.pop, &b);
            assert!(testing::tally_is_true(&self.occ, &self.world, &self.pop));
        }

        /// Fires one action at tick 1 and returns the events after its `Order`.
        fn fire(&mut self, action: Action) -> Vec<EventKind> {
            self.fire_at(&[at(1, action)], 1);
            let kinds = testing::kinds(&self.log);
            assert_eq!(kinds.first(), Some(&EventKind::Order), "logged first");
            assert_eq!(self.log.as_slice()[0].order(), Some(OrderId(0)));
            kinds[1..].to_vec()
        }
    }

    fn at(tick: u32, action: Action) -> Order {
        Order {
            label: action.name().into(),
            trigger: Trigger::At { tick },
            action,
        }
    }

    fn people(h: Health, mode: Mode) -> Vec<(u32, Health, Mode)> {
        (0..3).map(|p| (p, h, mode)).collect()
    }

    #[test]
    fn an_order_fires_at_its_tick_or_its_count_plus_delay_and_only_once() {
        let mut s = Scene::new(&people(Health::Zombie, Mode::Alert));
        let alarm = Action::Alarm { zone: ZoneId(0) };
        let orders = [
            at(2, alarm.clone()),
            Order {
                label: "on count".into(),
                trigger: Trigger::ZoneCount {
                    zone: ZoneId(0),
                    health: Health::Zombie,
                    at_least: 3,
                    delay_ticks: 2,
                },
                action: alarm,
            },
        ];
        let mut schedule = Schedule::new(&orders);
        let mut fired = Vec::new();
        for t in 1..=6 {
            s.run(&mut schedule, &orders, t);
            fired.extend(s.log.iter().filter_map(|e| e.order()).map(|k| (k.0, t)));
        }
        assert_eq!(fired, [(0, 2), (1, 3)], "the count was reached at tick 1");
    }

    #[test]
    fn a_cordon_closes_the_ways_out_of_its_zone_and_lifting_it_opens_them() {
        let mut s = Scene::new(&[]);
        let zone = room_zone(0);
        s.fields.rescue_dirty = false;
        assert!(s
            .fire(Action::Cordon {
                zone,
                leak_per_hour: 60.0
            })
            .is_empty());
        let leak = chance(60.0, 1.0 / 60.0) as f32;
        assert_eq!(
            s.places.way_leak,
            [leak, -1.0],
            "only the way out of room 0"
        );
        assert_eq!(
            s.places.way_cordon,
            [OrderId(0), OrderId::NONE],
            "the cordon's order holds its way and counts the tries there"
        );
        assert!(s.fields.rescue_dirty, "the rescue field avoids closed ways");
        s.fire(Action::LiftCordon { zone });
        assert_eq!(s.places.way_leak, [-1.0, -1.0]);
        assert_eq!(s.places.way_cordon, [OrderId::NONE; 2]);
        assert!(s.places.cordons.is_empty());
    }

    #[test]
    fn rescue_points_open_with_their_throughput_and_close() {
        let mut s = Scene::new(&[]);
        s.fields.rescue_dirty = false;
        s.fire(Action::OpenRescue {
            place: PlaceId(2),
            per_hour: 120.0,
        });
        assert!(s.places.rescue_open[2] && s.fields.rescue_dirty);
        assert_eq!(s.places.rescue_per_tick[2], 2.0);
        assert_eq!(
            s.places.rescue_order[2],
            OrderId(0),
            "its order counts the rescued"
        );
        s.fields.rescue_dirty = false;
        s.fire(Action::CloseRescue { place: PlaceId(2) });
        assert!(!s.places.rescue_open[2] && s.fields.rescue_dirty);
    }

    #[test]
    fn a_lure_sounds_for_its_duration() {
        let mut s = Scene::new(&[]);
        let lure = at(
            1,
            Action::Lure {
                place: PlaceId(1),
                loudness: 4.0,
                duration_ticks: 3,
            },
        );
        let orders = [lure];
        let mut schedule = Schedule::new(&orders);
        let mut heard = Vec::new();
        for t in 1..=5 {
            s.run(&mut schedule, &orders, t);
            heard.push(s.places.lure[1]);
        }
        assert_eq!(heard, [4.0, 4.0, 4.0, 0.0, 0.0]);
        assert_eq!(
            s.places.lure_order[1],
            OrderId(0),
            "its order counts the zombies drawn"
        );
    }

    #[test]
    fn a_squad_deploys_its_reserve_fighters_to_sweep_a_zone() {
        let mut s = Scene::new(&[
            (0, Health::Reserve, Mode::Reserve),
            (0, Health::Dead, Mode::Reserve),
            (0, Health::Susceptible, Mode::Alert),
            (0, Health::Reserve, Mode::Reserve),
        ]);
        assert_eq!(s.occ.total[Health::Reserve as usize], 2);
        assert_eq!(
            s.occ.total[Health::Susceptible as usize],
            1,
            "not the reserve"
        );
        let kinds = s.fire(Action::Squad {
            members: vec![AgentId(0), AgentId(1), AgentId(2), AgentId(3)],
            entry: PlaceId(2),
            zone: room_zone(1),
            withdraw_below: 0.5,
        });
        assert_eq!(kinds, [EventKind::Deploy; 2]);
        assert_eq!(s.occ.total[Health::Reserve as usize], 0);
        assert_eq!(
            s.occ.total[Health::Susceptible as usize],
            3,
            "deployed, at risk"
        );
        assert_eq!(
            (s.pop.group[0], s.pop.group[3]),
            (GroupId(0), GroupId(0)),
            "one unit, named by its first fighter"
        );
        assert_eq!(
            s.pop.anchors[3],
            [PlaceId(0); 4],
            "no tick changes a routine"
        );
        assert_eq!(
            s.log.as_slice()[1].order(),
            Some(OrderId(0)),
            "deployed by its order"
        );
        assert_eq!(s.counters.orders[0].deployed, 2);
        assert_eq!((s.pop.place[0], s.pop.mode[0]), (PlaceId(2), Mode::Sweep));
        assert_eq!(s.pop.task[0], room_zone(1));
        assert_eq!(
            s.pop.place[1..3],
            [PlaceId(0), PlaceId(0)],
            "only the reserve"
        );
        assert_eq!(s.fields.sweep.len(), 1);
        assert!(
            s.fields.sweep_stale,
            "its field is computed at the next refresh"
        );
    }

    #[test]
    fn a_strike_kills_everyone_in_its_zone_at_its_fraction() {
        use Health::{Dead, Rescued, Susceptible, Zombie};
        let mut s = Scene::new(&[
            (0, Susceptible, Mode::Alert),
            (0, Zombie, Mode::Alert),
            (0, Rescued, Mode::Alert),
            (0, Health::Reserve, Mode::Reserve),
            (1, Susceptible, Mode::Alert),
        ]);
        let zone = room_zone(0);
        let spared = s.fire(Action::Strike {
            zone,
            kill_fraction: 0.0,
        });
        assert!(spared.is_empty());
        let kinds = s.fire(Action::Strike {
            zone,
            kill_fraction: 1.0,
        });
        assert_eq!(kinds, [EventKind::StrikeDeath, EventKind::StrikeDeath]);
        assert_eq!(
            s.pop.health[..],
            [Dead, Dead, Rescued, Health::Reserve, Susceptible]
        );
        let killed = s.counters.orders[0].killed;
        assert_eq!(
            (
                killed[Susceptible as usize],
                killed[Zombie as usize],
                killed.iter().sum::<u64>()
            ),
            (1, 1, 2),
            "the order counts whom it killed by their state"
        );
    }

    #[test]
    fn an_eradication_destroys_zombies_only_in_its_zone_or_everywhere() {
        use Health::{Dead, Susceptible, Zombie};
        let mixed = [
            (0, Zombie, Mode::Alert),
            (0, Susceptible, Mode::Alert),
            (1, Zombie, Mode::Alert),
        ];
        let mut s = Scene::new(&mixed);
        let kinds = s.fire(Action::Eradicate {
            zone: Some(room_zone(0)),
            kill_fraction: 1.0,
        });
        assert_eq!(kinds, [EventKind::Eradicated]);
        assert_eq!(s.pop.health[..], [Dead, Susceptible, Zombie]);
        let mut s = Scene::new(&mixed);
        s.fire(Action::Eradicate {
            zone: None,
            kill_fraction: 1.0,
        });
        assert_eq!(s.pop.health[..], [Dead, Susceptible, Dead]);
    }

    #[test]
    fn an_alarm_alerts_the_people_of_its_zone_who_keep_their_routine() {
        let mut s = Scene::new(&people(Health::Susceptible, Mode::Routine));
        s.pop.health[1] = Health::Zombie;
        s.occ = testing::occupancy(&s.world, &s.pop);
        s.fire(Action::Alarm { zone: room_zone(0) });
        assert_eq!(s.counters.orders[0].warned, 1);
        s.fire(Action::Alarm { zone: room_zone(1) });
        assert_eq!(s.pop.mode[..], [Mode::Alert, Mode::Routine, Mode::Routine]);
        assert_eq!(s.counters.orders[0].warned, 1, "a zombie is not warned");
    }

    #[test]
    fn quarantine_and_cure_orders_put_munzs_interventions_in_force() {
        let mut s = Scene::new(&[]);
        s.fire(Action::Quarantine {
            zone: Some(room_zone(2)),
            infected_per_hour: 60.0,
            zombies_per_hour: 2.0,
            removal_per_hour: 30.0,
        });
        let iv = s.interventions;
        assert_eq!(iv.quarantine_zone, Some(room_zone(2)));
        assert_eq!(iv.quarantine_infected_p, chance(60.0, 1.0 / 60.0));
        assert_eq!(iv.quarantine_zombie_rate, 2.0);
        assert_eq!(iv.removal_p, chance(30.0, 1.0 / 60.0));
        s.fire(Action::Cure {
            zone: None,
            per_hour: 0.5,
        });
        assert_eq!(
            (s.interventions.cure_zone, s.interventions.cure_rate),
            (None, 0.5)
        );
        assert!(s.interventions.active());
    }
}
