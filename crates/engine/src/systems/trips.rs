//! Routine trips set out on: when the schedule names a new place, everyone in their
//! routine who is elsewhere sets out for it (counted), or, when no route leads there, stays
//! and is counted as unreachable (see [`crate::state::Trips`]). Arrivals are counted where
//! moves are committed (`apply::moves`).

use crate::agents::{flags, Health, Mode, Population};
use crate::params::BehaviourParams;
use crate::state::Trips;
use crate::world::World;

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
    use crate::ids::PlaceId;
    use crate::state::Trips;
    use crate::testing::{params, traits};
    use crate::world::{PlaceKind, PlaceSpec, WorldBuilder};
    use crate::Simulation;

    #[test]
    fn trips_are_counted_and_unreachable_ones_never_set_out() {
        // Rooms 0–1–2 in a row, and room 3 joined to nothing; each its own routing cell.
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
        let world = b.build().unwrap();
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
                unreachable: 1
            }
        );
        assert_eq!(sim.pop.place, vec![PlaceId(2), PlaceId(0)]);
    }
}
