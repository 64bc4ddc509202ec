//! Routine trips set out on: when the schedule names a new place, everyone in their
//! routine who is elsewhere sets out for it (counted), or, when no route leads there, stays
//! and is counted as unreachable (see [`crate::state::Trips`]). Arrivals are counted where
//! moves are committed (`apply::moves`).
//!
//! On maps routed by the contraction hierarchy, [`plan`] keeps each walker's [`TripPlan`]:
//! one shortest-path query when a trip leaves its first gate, then steps read the plan.

use crate::agents::{flags, Health, Mode, Population};
use crate::params::BehaviourParams;
use crate::state::Trips;
use crate::world::{TripPlan, World};
use rayon::prelude::*;

/// Per agent, the plan of the trip they are walking (`None` when not walking one).
pub type Plans = Vec<Option<Box<TripPlan>>>;

/// Brings every routine walker's plan up to date for this tick's step (see
/// [`World::plan`]); drops the plans of everyone who is not walking a routine trip, so
/// plans are kept only while people move. Runs in parallel; each agent's plan depends only
/// on their own place and destination, so the result is the same on any thread count.
pub fn plan(plans: &mut Plans, pop: &Population, world: &World, b: &BehaviourParams, hour: usize) {
    if !world.plans_trips() {
        return;
    }
    plans.resize(pop.len(), None);
    let slot = b.schedule[hour] as usize;
    plans
        .par_iter_mut()
        .enumerate()
        .with_min_len(4096)
        .for_each(|(i, plan)| {
            let at = pop.place[i];
            let to = pop.anchors[i][slot];
            if plan.is_none() && at == to {
                return;
            }
            let walking = pop.mode[i] == Mode::Routine
                && matches!(
                    pop.health[i],
                    Health::Susceptible | Health::Infected | Health::Hambie
                );
            if !walking {
                *plan = None;
            } else if pop.heading[i].is_none() {
                world.plan(at, to, plan);
            }
        });
}

/// Counts the trips set out on at this tick: at the first tick (everyone not at their
/// place), and whenever the hour of the day changes to one whose place differs.
pub fn start(
    pop: &mut Population,
    world: &World,
    b: &BehaviourParams,
    hour_before: usize,
    hour: usize,
    first: bool,
    trips: &mut Trips,
) {
    let (was, now) = (b.schedule[hour_before] as usize, b.schedule[hour] as usize);
    if !first && was == now {
        return;
    }
    for i in 0..pop.len() {
        let anchors = pop.anchors[i];
        if !matches!(
            pop.health[i],
            Health::Susceptible | Health::Infected | Health::Hambie
        ) || pop.mode[i] != Mode::Routine
            || (!first && anchors[was] == anchors[now])
        {
            continue;
        }
        let at = pop.place[i];
        let to = anchors[now];
        if at == to {
            pop.flags[i] &= !flags::ON_TRIP;
        } else if world.reachable(at, to) {
            pop.flags[i] |= flags::ON_TRIP;
            trips.started += 1;
        } else {
            pop.flags[i] &= !flags::ON_TRIP;
            trips.unreachable += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::agents::{AgentSpec, Health, Mode, Population, Role};
    use crate::authority::{Action, Order, Trigger};
    use crate::ids::PlaceId;
    use crate::state::Trips;
    use crate::testing::{params, traits};
    use crate::world::{PlaceKind, PlaceSpec, World, WorldBuilder};
    use crate::Simulation;

    /// Rooms 0–1–2 in a row, 10 m apart, and room 3 joined to nothing; each room a routing
    /// cell of its own, gated by itself.
    fn row_and_one_apart() -> World {
        let mut b = WorldBuilder::new();
        for k in 0..4 {
            let p = b.add_place(PlaceSpec {
                name: format!("room {k}"),
                kind: PlaceKind::Room,
                pos: [10.0 * k as f64, 0.0],
                capacity: 100,
                barricade_strength: 0.0,
                contact_scale: 1.0,
            });
            b.set_cell(p, k);
            b.set_gate(k, p);
        }
        b.add_way(PlaceId(0), PlaceId(1), 10.0);
        b.add_way(PlaceId(1), PlaceId(2), 10.0);
        b.build().unwrap()
    }

    #[test]
    fn trips_are_counted_and_unreachable_ones_never_set_out() {
        let world = row_and_one_apart();
        let mut pop = Population::default();
        for work in [2, 3] {
            pop.push(AgentSpec {
                place: PlaceId(0),
                health: Health::Susceptible,
                role: Role::Civilian,
                mode: Mode::Routine,
                traits: traits(),
                anchors: Some([PlaceId(0), PlaceId(work), PlaceId(work), PlaceId(work)]),
                name: None,
            });
        }
        let mut p = params();
        p.run.start_hour = 7.5;
        p.run.duration_ticks = 60;
        let mut sim = Simulation::new(world, pop, p, Vec::new());
        sim.run_to_end(|_| {});
        let trips = sim.counters.trips;
        assert_eq!(
            trips,
            Trips {
                started: 1,
                arrived: 1,
                unreachable: 1,
                ..Trips::default()
            }
        );
        assert_eq!(sim.pop.place, vec![PlaceId(2), PlaceId(0)]);
    }

    #[test]
    fn flights_to_a_rescue_point_are_counted_and_none_sets_out_for_one_out_of_reach() {
        // A rescue point opens in room 2.
        let world = row_and_one_apart();
        let mut pop = Population::default();
        for at in [0, 0, 3] {
            pop.push(AgentSpec {
                place: PlaceId(at),
                health: Health::Susceptible,
                role: Role::Civilian,
                mode: Mode::Alert,
                traits: traits(),
                anchors: None,
                name: None,
            });
        }
        let mut p = params();
        p.run.duration_ticks = 30;
        let open = Order {
            label: "rescue".into(),
            trigger: Trigger::At { tick: 0 },
            action: Action::OpenRescue {
                place: PlaceId(2),
                per_hour: 60.0,
            },
        };
        let mut sim = Simulation::new(world, pop, p, vec![open]);
        sim.run_to_end(|_| {});
        let trips = sim.counters.trips;
        assert_eq!((trips.flight_started, trips.flight_arrived), (2, 2));
        assert_eq!(
            sim.pop.health,
            vec![Health::Rescued, Health::Rescued, Health::Susceptible]
        );
        assert_eq!(sim.pop.place[2], PlaceId(3));
    }
}
