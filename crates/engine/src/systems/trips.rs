//! Routine trips set out on: when the schedule names a new place, everyone in their
//! routine who is elsewhere sets out for it (counted), or, when no route leads there, stays
//! and is counted as unreachable (see [`crate::state::Trips`]). Arrivals are counted where
//! moves are committed (`apply::moves`).
//!
//! On maps routed by the contraction hierarchy, each walker keeps a [`TripPlan`] (brought
//! up to date where they decide, `decide::run`): one shortest-path query when a trip leaves
//! its first gate, then steps read the plan.

use crate::agents::{flags, Health, Mode, Population};
use crate::params::BehaviourParams;
use crate::state::Trips;
use crate::world::{TripPlan, World};

/// Per agent, the plan of the trip they are walking (`None` when not walking one).
pub type Plans = Vec<Option<Box<TripPlan>>>;

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
    use crate::ids::{AgentId, PlaceId, ZoneId};
    use crate::state::Trips;
    use crate::testing::{params, population, traits};
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
            let z = b.zone(&format!("room {k}"));
            b.put_in_zone(p, z);
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
        let alert = (0, Health::Susceptible, Mode::Alert);
        let pop = population(&[alert, alert, (3, Health::Susceptible, Mode::Alert)]);
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
        assert_eq!(trips.flight_unreachable, 1, "room 3's one, once");
        assert_eq!(
            sim.pop.health,
            vec![Health::Rescued, Health::Rescued, Health::Susceptible]
        );
        assert_eq!(sim.pop.place[2], PlaceId(3));
    }

    #[test]
    fn squads_trips_are_counted_into_the_zone_and_none_sets_out_for_a_zone_out_of_reach() {
        // Fighters wait off the map in room 3; all enter at room 0. Two sweep room 2 (a
        // zombie there), one room 3 (no way leads there), one room 0 (the entry itself).
        let world = row_and_one_apart();
        let fighter = (3, Health::Reserve, Mode::Reserve);
        let zombie = (2, Health::Zombie, Mode::Alert);
        let pop = population(&[fighter, fighter, fighter, fighter, zombie]);
        let mut p = params();
        p.run.duration_ticks = 10;
        // The zombie, awake, does not get out of room 2 in the run.
        p.behaviour.zombie_speed_mps = 0.001;
        let squad = |members: &[u32], zone: u32| Order {
            label: "squad".into(),
            trigger: Trigger::At { tick: 0 },
            action: Action::Squad {
                members: members.iter().map(|&a| AgentId(a)).collect(),
                entry: PlaceId(0),
                zone: ZoneId(zone),
                withdraw_below: 0.0,
            },
        };
        let orders = vec![squad(&[0, 1], 2), squad(&[2], 3), squad(&[3], 0)];
        let mut sim = Simulation::new(world, pop, p, orders);
        sim.run_to_end(|_| {});
        let trips = sim.counters.trips;
        assert_eq!(
            (
                trips.squad_started,
                trips.squad_arrived,
                trips.squad_unreachable
            ),
            (3, 3, 1),
            "two walked into room 2, one was in its zone at once, one never set out"
        );
        assert_eq!(
            sim.pop.place[2],
            PlaceId(0),
            "deployed, standing at the entry"
        );
    }
}
