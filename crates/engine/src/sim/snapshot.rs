//! Snapshots: the state of a run between two ticks, to save and restore (DESIGN §7,
//! "Resumable").
//!
//! A [`Snapshot`] holds what carries over from one tick to the next and cannot be derived
//! from the rest: the population's columns, the dynamic state of places and ways, Munz's
//! interventions in force, the counters, the tick, the timeline's schedule (orders fired,
//! count triggers armed), the queue of people waiting to turn, the fights of the last tick
//! (their noise wakes zombies in the next) and the squads' sweep fields (refreshed only
//! every few ticks, so they hold an older picture of where the zombies are), and on maps
//! that plan trips each walker's plan as (origin gate, destination gate, gates walked): the
//! path itself is the hierarchy's answer for that pair, so it is queried again on restore
//! and the walker goes on along the very path they were taking.
//!
//! Everything else is rebuilt on restore, and gives the same ticks as the uninterrupted run:
//! - the per-place tally, counted afresh: its sums are integers (fixed-point noise and
//!   strength), so a fresh count equals the incrementally kept one, and its resident lists,
//!   whose order does differ, are read sorted by id by every system;
//! - the groups' leaders and sizes, which `groups::tidy` recomputes at the start of every
//!   tick from the population (the members list is everyone with a group);
//! - the rescue field, recomputed from the open rescue points and the cordons, which are
//!   the only inputs it was last computed from;
//! - what zombies sense, the intents, the encounters' bites and kills, hide counts (zero
//!   between ticks) and scratch, which every tick computes before reading;
//! - the per-tick rates, from the parameters; the stage timings start at zero.
//!
//! The random streams are keyed by (seed, system, tick, agent), so there is no generator
//! state to save. The world is not saved either: it is built again from the scenario.
//!
//! ```
//! use outbreak_engine::prelude::*;
//! let traits = Traits { walk_mps: 1.3, run_mps: 3.0, fight: 1.0, stealth: 0.0 };
//! let mut pop = Population::default();
//! for k in 0..200 {
//!     let health = if k < 3 { Health::Zombie } else { Health::Susceptible };
//!     pop.push(AgentSpec { place: PlaceId(0), health, role: Role::Civilian, mode: Mode::Alert,
//!                          traits, anchors: None, name: None });
//! }
//! let params = Params::well_mixed(7, 1.0, 0.05, 0.02, 60);
//! let mut sim = Simulation::new(well_mixed_world(1.0), pop, params.clone(), vec![]);
//! for _ in 0..20 {
//!     sim.step();
//! }
//! let saved = sim.snapshot();
//! let mut resumed = Simulation::restore(well_mixed_world(1.0), params, vec![], saved)?;
//! sim.run_to_end(|_| {});
//! resumed.run_to_end(|_| {});
//! assert_eq!(sim.snapshot(), resumed.snapshot());
//! # Ok::<(), outbreak_engine::sim::RestoreError>(())
//! ```

use serde::{Deserialize, Serialize};

use super::Simulation;
use crate::agents::Population;
use crate::authority::{Order, Trigger};
use crate::events::EventLog;
use crate::ids::{AgentId, OrderId, PlaceId, ZoneId};
use crate::params::{Params, Rates};
use crate::stage::Timings;
use crate::state::{Counters, OrderEffect, PlaceState};
use crate::systems::authorities::Schedule;
use crate::systems::encounter::Encounters;
use crate::systems::fields::{Field, Fields};
use crate::systems::groups::Groups;
use crate::systems::interventions::Interventions;
use crate::systems::occupancy::Occupancy;
use crate::systems::sense::Senses;
use crate::systems::trips::Plans;
use crate::systems::turn::TurnQueue;
use crate::world::World;

/// The state of a run at the end of a tick: see the [module docs](self) for what it holds
/// and what is rebuilt instead.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    tick: u32,
    pop: Population,
    places: PlaceState,
    interventions: Interventions,
    counters: Counters,
    schedule: Schedule,
    /// (turn tick, agent), ascending.
    turns: Vec<(u32, AgentId)>,
    /// (place, zombies fought there) in the last tick.
    fought: Vec<(PlaceId, f32)>,
    /// (zombie, until when in ticks) of the zombies still busy with a bite, by id.
    handling: Vec<(AgentId, f64)>,
    /// Sweep fields of deployed squads, by zone, in deployment order.
    sweep: Vec<(ZoneId, Field)>,
    sweep_stale: bool,
    /// Trip plans as (agent, origin gate, destination gate, index of the last gate reached).
    plans: Vec<(AgentId, u32, u32, u32)>,
}

impl Snapshot {
    /// The tick the snapshot was taken at (the end of it).
    pub fn tick(&self) -> u32 {
        self.tick
    }
    /// The population at that tick.
    pub fn population(&self) -> &Population {
        &self.pop
    }
    /// Whether the order at this index of the timeline had fired.
    pub fn fired(&self, order: usize) -> Option<bool> {
        self.schedule.fired.get(order).copied()
    }
}

/// A snapshot that does not fit the world, timeline or parameters it is restored into.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RestoreError {
    /// A column or table has the wrong length: `what` has `found` entries where this world,
    /// population or timeline needs `expected`.
    Size {
        /// The column or table, such as `population.place` or `schedule.due`.
        what: &'static str,
        /// Entries this run needs.
        expected: usize,
        /// Entries the snapshot holds.
        found: usize,
    },
    /// An entry refers to a place, way, zone or agent that does not exist.
    OutOfRange {
        /// The column or table, such as `population.place`.
        what: &'static str,
        /// Position of the entry in it.
        index: usize,
        /// The id it holds, which names nothing in this run.
        value: u64,
    },
    /// The snapshot is past the end of the run it is restored into.
    PastTheEnd {
        /// The snapshot's tick.
        tick: u32,
        /// The length of the run, in ticks.
        duration_ticks: u32,
    },
}

impl std::fmt::Display for RestoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RestoreError::Size {
                what,
                expected,
                found,
            } => write!(
                f,
                "{what} has {found} entries where this run has {expected}: the snapshot is of another world, population or timeline"
            ),
            RestoreError::OutOfRange { what, index, value } => write!(
                f,
                "{what} #{index} refers to {value}, which does not exist in this run"
            ),
            RestoreError::PastTheEnd {
                tick,
                duration_ticks,
            } => write!(
                f,
                "the snapshot is at tick {tick}, after the run's end (tick {duration_ticks})"
            ),
        }
    }
}

impl std::error::Error for RestoreError {}

impl Simulation {
    /// The state of the run now (at the end of the last tick): restoring it with
    /// [`Simulation::restore`] continues exactly as this run does.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            tick: self.tick,
            pop: self.pop.clone(),
            places: self.places.clone(),
            interventions: self.interventions,
            counters: self.counters.clone(),
            schedule: self.schedule.clone(),
            turns: self.turns.entries(),
            fought: self.enc.fought_places(),
            handling: self.enc.handling().to_vec(),
            sweep: self.fields.sweep.clone(),
            sweep_stale: self.fields.sweep_stale,
            plans: self
                .plans
                .iter()
                .enumerate()
                .filter_map(|(i, p)| {
                    let (origin, destination, at) = p.as_ref()?.parts();
                    Some((AgentId(i as u32), origin, destination, at))
                })
                .collect(),
        }
    }

    /// Continues a run from a snapshot. `world`, `params` and `orders` must be those of the
    /// run the snapshot was taken from (built again from its scenario); the next
    /// [`step`](Simulation::step) is then the tick the original run took next, with the same
    /// outcome. The event list starts empty (the snapshot's tick was already reported).
    ///
    /// Fails if the snapshot does not fit: columns of another size, places, zones or agents
    /// that do not exist, a timeline of another length.
    pub fn restore(
        world: World,
        params: Params,
        orders: Vec<Order>,
        snapshot: Snapshot,
    ) -> Result<Self, RestoreError> {
        check(&snapshot, &world, orders.len(), &params)?;
        let plans = plans_of(&snapshot, &world)?;
        Ok(Self::assemble(world, params, orders, snapshot, plans))
    }

    /// Starts a variant of a run from a snapshot of it ("what if the strike came earlier"):
    /// the variant's parameters and timeline apply from the snapshot's tick on. `world`
    /// must be the run's (as must the population, which comes from the snapshot);
    /// `parent_orders` is the timeline of the run the snapshot was taken from.
    ///
    /// Which of the variant's orders fire:
    /// - an order at a time (`Trigger::At`) due at or before the snapshot's tick is taken as
    ///   fired: the snapshot already holds whatever the original run did by then. Later
    ///   ones fire at their tick.
    /// - an order on a count (`Trigger::ZoneCount`) with the same trigger and action as one
    ///   of the original timeline (paired in order) carries over its state: fired, armed
    ///   with its due tick, or waiting for its count. A count order new in the variant
    ///   waits for its count from the next tick on (if the count is already reached, it is
    ///   due at the end of the next tick plus its delay).
    pub fn branch(
        world: World,
        params: Params,
        orders: Vec<Order>,
        snapshot: Snapshot,
        parent_orders: &[Order],
    ) -> Result<Self, RestoreError> {
        check(&snapshot, &world, parent_orders.len(), &params)?;
        let mut snapshot = snapshot;
        snapshot.schedule =
            branch_schedule(&orders, parent_orders, &snapshot.schedule, snapshot.tick);
        branch_effects(&mut snapshot, &orders, parent_orders);
        let plans = plans_of(&snapshot, &world)?;
        Ok(Self::assemble(world, params, orders, snapshot, plans))
    }

    /// The simulation from a checked snapshot, its derived state rebuilt.
    fn assemble(
        world: World,
        params: Params,
        orders: Vec<Order>,
        s: Snapshot,
        plans: Plans,
    ) -> Self {
        let n = s.pop.len();
        Self {
            occ: Occupancy::new(&world, &s.pop, &params.behaviour),
            senses: Senses::new(&world),
            enc: Encounters::with_fought(&world, &s.fought, &s.handling),
            groups: Groups::for_population(&s.pop),
            fields: Fields::restored(&world, s.sweep, s.sweep_stale),
            hide_count: vec![0; world.place_count()],
            intents: Vec::with_capacity(n),
            turns: TurnQueue::from_entries(s.turns),
            schedule: s.schedule,
            rates: Rates::new(&params),
            tick: s.tick,
            pop: s.pop,
            places: s.places,
            interventions: s.interventions,
            counters: s.counters,
            events: EventLog::new(s.tick),
            world,
            params,
            orders,
            hiding: Vec::new(),
            door: Default::default(),
            plans,
            timing: Timings::default(),
        }
    }
}

/// The snapshot's trip plans rebuilt on this world (each path queried again); an entry
/// naming no agent, or a trip this world cannot plan, is refused.
fn plans_of(s: &Snapshot, world: &World) -> Result<Plans, RestoreError> {
    if s.plans.is_empty() {
        return Ok(Vec::new());
    }
    let mut plans: Plans = vec![None; s.pop.len()];
    for (index, &(agent, origin, destination, at)) in s.plans.iter().enumerate() {
        let out_of_range = |value: u32| RestoreError::OutOfRange {
            what: "plans",
            index,
            value: u64::from(value),
        };
        let slot = plans.get_mut(agent.index()).ok_or(out_of_range(agent.0))?;
        *slot = Some(
            world
                .plan_from(origin, destination, at)
                .ok_or(out_of_range(origin))?,
        );
    }
    Ok(plans)
}

/// What the orders did carries over to the variant's orders that are the same (trigger and
/// action, paired in order) as the original's; the others start from nothing, and the
/// places and ways the original's orders hold point to their pair, or to none.
fn branch_effects(s: &mut Snapshot, orders: &[Order], parent: &[Order]) {
    let mut pair = vec![OrderId::NONE; parent.len()];
    let mut effects = vec![OrderEffect::default(); orders.len()];
    for (k, o) in orders.iter().enumerate() {
        let same = (0..parent.len()).find(|&j| {
            pair[j].is_none() && parent[j].trigger == o.trigger && parent[j].action == o.action
        });
        if let Some(j) = same {
            pair[j] = OrderId(k as u32);
            effects[k] = s.counters.orders.get(j).copied().unwrap_or_default();
        }
    }
    let to = |o: OrderId| pair.get(o.index()).copied().unwrap_or(OrderId::NONE);
    s.counters.orders = effects;
    let p = &mut s.places;
    for o in p
        .way_cordon
        .iter_mut()
        .chain(p.rescue_order.iter_mut())
        .chain(p.lure_order.iter_mut())
        .chain(p.cordons.iter_mut().map(|c| &mut c.2))
    {
        *o = to(*o);
    }
}

/// The variant's schedule under the branching rule of [`Simulation::branch`].
fn branch_schedule(orders: &[Order], parent: &[Order], was: &Schedule, tick: u32) -> Schedule {
    let mut s = Schedule::new(orders);
    let mut paired = vec![false; parent.len()];
    for (k, o) in orders.iter().enumerate() {
        match o.trigger {
            Trigger::At { tick: at } => s.fired[k] = at <= tick,
            Trigger::ZoneCount { .. } => {
                let same = (0..parent.len()).find(|&j| {
                    !paired[j] && parent[j].trigger == o.trigger && parent[j].action == o.action
                });
                if let Some(j) = same {
                    paired[j] = true;
                    s.due[k] = was.due[j];
                    s.fired[k] = was.fired[j];
                }
            }
        }
    }
    s
}

/// Checks that a snapshot fits a world, a timeline of `orders` orders and parameters, so
/// that no system indexes out of bounds later.
fn check(s: &Snapshot, world: &World, orders: usize, params: &Params) -> Result<(), RestoreError> {
    let places = world.place_count();
    let ways = world.ways.len();
    let zones = world.zone_count();
    let pop = &s.pop;
    let n = pop.len();
    let size = |what, expected: usize, found: usize| {
        if expected == found {
            Ok(())
        } else {
            Err(RestoreError::Size {
                what,
                expected,
                found,
            })
        }
    };
    let range = |what, values: &mut dyn Iterator<Item = u32>, limit: usize, none_ok: bool| {
        for (index, v) in values.enumerate() {
            if (v as usize) >= limit && !(none_ok && v == u32::MAX) {
                return Err(RestoreError::OutOfRange {
                    what,
                    index,
                    value: u64::from(v),
                });
            }
        }
        Ok(())
    };
    for (what, len) in [
        ("population.place", pop.place.len()),
        ("population.role", pop.role.len()),
        ("population.mode", pop.mode.len()),
        ("population.group", pop.group.len()),
        ("population.traits", pop.traits.len()),
        ("population.bitten_tick", pop.bitten_tick.len()),
        ("population.turn_tick", pop.turn_tick.len()),
        ("population.fate_tick", pop.fate_tick.len()),
        ("population.heading", pop.heading.len()),
        ("population.progress_m", pop.progress_m.len()),
        ("population.anchors", pop.anchors.len()),
        ("population.task", pop.task.len()),
        ("population.flags", pop.flags.len()),
    ] {
        size(what, n, len)?;
    }
    range(
        "population.place",
        &mut pop.place.iter().map(|p| p.0),
        places,
        false,
    )?;
    range(
        "population.anchors",
        &mut pop.anchors.iter().flat_map(|a| a.map(|p| p.0)),
        places,
        false,
    )?;
    range(
        "population.heading",
        &mut pop.heading.iter().map(|p| p.0),
        places,
        true,
    )?;
    range(
        "population.group",
        &mut pop.group.iter().map(|g| g.0),
        n,
        true,
    )?;
    range(
        "population.task",
        &mut pop.task.iter().map(|z| z.0),
        zones,
        true,
    )?;
    range(
        "population.names",
        &mut pop.names.iter().map(|x| x.0 .0),
        n,
        false,
    )?;
    let p = &s.places;
    for (what, len) in [
        ("places.barricade", p.barricade.len()),
        ("places.rescue_open", p.rescue_open.len()),
        ("places.rescue_per_tick", p.rescue_per_tick.len()),
        ("places.rescue_left", p.rescue_left.len()),
        ("places.lure", p.lure.len()),
        ("places.lure_until", p.lure_until.len()),
    ] {
        size(what, places, len)?;
    }
    size("places.way_leak", ways, p.way_leak.len())?;
    range(
        "places.cordons",
        &mut p.cordons.iter().map(|c| c.0 .0),
        zones,
        false,
    )?;
    let iv = &s.interventions;
    range(
        "interventions",
        &mut [iv.quarantine_zone, iv.cure_zone]
            .into_iter()
            .flatten()
            .map(|z| z.0),
        zones,
        false,
    )?;
    size("schedule.due", orders, s.schedule.due.len())?;
    size("schedule.fired", orders, s.schedule.fired.len())?;
    size("counters.orders", orders, s.counters.orders.len())?;
    size("places.way_cordon", ways, p.way_cordon.len())?;
    size("places.rescue_order", places, p.rescue_order.len())?;
    size("places.lure_order", places, p.lure_order.len())?;
    range(
        "places' orders",
        &mut p
            .way_cordon
            .iter()
            .chain(&p.rescue_order)
            .chain(&p.lure_order)
            .chain(p.cordons.iter().map(|c| &c.2))
            .map(|o| o.0),
        orders,
        true,
    )?;
    range("turns", &mut s.turns.iter().map(|t| t.1 .0), n, false)?;
    range(
        "fought",
        &mut s.fought.iter().map(|f| f.0 .0),
        places,
        false,
    )?;
    range("handling", &mut s.handling.iter().map(|h| h.0 .0), n, false)?;
    range("sweep", &mut s.sweep.iter().map(|f| f.0 .0), zones, false)?;
    for (_, field) in &s.sweep {
        size("sweep.next", places, field.next.len())?;
        size("sweep.dist", places, field.dist.len())?;
        range(
            "sweep.next",
            &mut field.next.iter().map(|p| p.0),
            places,
            true,
        )?;
    }
    if s.tick > params.run.duration_ticks {
        return Err(RestoreError::PastTheEnd {
            tick: s.tick,
            duration_ticks: params.run.duration_ticks,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::RestoreError;
    use crate::prelude::*;

    fn crowd(n: usize, zombies: usize) -> Population {
        let traits = Traits {
            walk_mps: 1.3,
            run_mps: 3.0,
            fight: 1.0,
            stealth: 0.0,
        };
        let mut pop = Population::default();
        for k in 0..n {
            let health = if k < zombies {
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
        pop
    }

    fn eradicate_at(tick: u32) -> Order {
        Order {
            label: format!("eradicate at {tick}"),
            trigger: Trigger::At { tick },
            action: Action::Eradicate {
                zone: None,
                kill_fraction: 0.5,
            },
        }
    }

    fn on_count(at_least: u64) -> Order {
        Order {
            label: format!("cure on {at_least}"),
            trigger: Trigger::ZoneCount {
                zone: ZoneId(0),
                health: Health::Zombie,
                at_least,
                delay_ticks: 3,
            },
            action: Action::Cure {
                zone: None,
                per_hour: 0.5,
            },
        }
    }

    #[test]
    fn a_restored_run_continues_tick_for_tick() {
        let params = Params::well_mixed(11, 1.0, 0.08, 0.03, 90);
        let orders = vec![eradicate_at(50), on_count(40)];
        let world = well_mixed_world(1.0);
        let mut sim = Simulation::new(world.clone(), crowd(300, 4), params.clone(), orders.clone());
        for _ in 0..30 {
            sim.step();
        }
        let mut resumed = Simulation::restore(world, params, orders, sim.snapshot()).unwrap();
        assert_eq!(resumed.tick(), 30);
        while !sim.finished() {
            sim.step();
            resumed.step();
            assert_eq!(sim.events, resumed.events, "tick {}", sim.tick());
            assert_eq!(sim.snapshot(), resumed.snapshot(), "tick {}", sim.tick());
        }
        assert!(resumed.finished());
    }

    #[test]
    fn a_branch_with_the_same_timeline_is_a_restore() {
        let params = Params::well_mixed(3, 1.0, 0.08, 0.03, 80);
        let orders = vec![eradicate_at(10), on_count(30), eradicate_at(60)];
        let world = well_mixed_world(1.0);
        let mut sim = Simulation::new(world.clone(), crowd(250, 3), params.clone(), orders.clone());
        for _ in 0..40 {
            sim.step();
        }
        let snap = sim.snapshot();
        let restored =
            Simulation::restore(world.clone(), params.clone(), orders.clone(), snap.clone())
                .unwrap();
        let branched = Simulation::branch(world, params, orders.clone(), snap, &orders).unwrap();
        assert_eq!(restored.snapshot(), branched.snapshot());
    }

    #[test]
    fn a_branch_takes_orders_due_by_its_tick_as_fired() {
        let params = Params::well_mixed(5, 1.0, 0.08, 0.03, 80);
        let world = well_mixed_world(1.0);
        let parent = vec![eradicate_at(10), on_count(1)];
        let mut sim = Simulation::new(world.clone(), crowd(100, 3), params.clone(), parent.clone());
        for _ in 0..20 {
            sim.step();
        }
        let snap = sim.snapshot();
        assert_eq!(snap.fired(1), Some(true), "the count was reached at once");
        // The variant moves the eradication to 15 (already past), adds one at 25, keeps the
        // count order and adds a new one.
        let variant = vec![eradicate_at(15), eradicate_at(25), on_count(1), on_count(2)];
        let b = Simulation::branch(world, params, variant, snap, &parent).unwrap();
        let s = b.snapshot();
        assert_eq!(
            (0..4).map(|k| s.fired(k).unwrap()).collect::<Vec<_>>(),
            vec![true, false, true, false]
        );
    }

    #[test]
    fn a_snapshot_of_another_run_is_refused() {
        let params = Params::well_mixed(5, 1.0, 0.08, 0.03, 20);
        let world = well_mixed_world(1.0);
        let sim = Simulation::new(
            world.clone(),
            crowd(50, 1),
            params.clone(),
            vec![eradicate_at(5)],
        );
        let snap = sim.snapshot();
        let err =
            Simulation::restore(world.clone(), params.clone(), vec![], snap.clone()).unwrap_err();
        assert!(
            matches!(
                err,
                RestoreError::Size {
                    what: "schedule.due",
                    ..
                }
            ),
            "{err}"
        );
        let mut lattice = WorldBuilder::new();
        lattice.add_place(PlaceSpec {
            name: "a".into(),
            kind: PlaceKind::Room,
            pos: [0.0, 0.0],
            capacity: 10,
            barricade_strength: 0.0,
            contact_scale: 1.0,
        });
        lattice.add_place(PlaceSpec {
            name: "b".into(),
            kind: PlaceKind::Room,
            pos: [1.0, 0.0],
            capacity: 10,
            barricade_strength: 0.0,
            contact_scale: 1.0,
        });
        let other = lattice.build().unwrap();
        let err = Simulation::restore(other, params.clone(), vec![eradicate_at(5)], snap.clone())
            .unwrap_err();
        assert!(
            matches!(
                err,
                RestoreError::Size {
                    what: "places.barricade",
                    ..
                }
            ),
            "{err}"
        );
        let short = Params::well_mixed(5, 1.0, 0.08, 0.03, 0);
        let mut later = Simulation::new(world.clone(), crowd(50, 1), params, vec![eradicate_at(5)]);
        later.step();
        let err =
            Simulation::restore(world, short, vec![eradicate_at(5)], later.snapshot()).unwrap_err();
        assert!(matches!(err, RestoreError::PastTheEnd { .. }), "{err}");
    }
}
