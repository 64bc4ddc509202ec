//! Tiny worlds and populations for the systems' unit tests, built with the engine's own
//! [`WorldBuilder`].

use crate::agents::{AgentSpec, Health, Mode, Population, Role, Traits};
use crate::events::{EventKind, EventLog};
use crate::ids::{PlaceId, ZoneId};
use crate::params::{BehaviourParams, Params};
use crate::systems::occupancy::{self, Occupancy};
use crate::world::{PlaceKind, PlaceSpec, World, WorldBuilder};

/// Length of every way of [`line`], in metres.
pub const WAY_M: f32 = 10.0;

/// Strength of the barricade every room of [`line`] can take, in zombie-hours.
pub const BARRICADE: f32 = 2.0;

/// `n` rooms in a row, each joined to the next by a way of [`WAY_M`] (way `k` joins rooms
/// `k` and `k + 1`). Zone 0 holds every room; zone `k + 1` holds room `k` alone.
pub fn line(n: usize) -> World {
    let mut b = WorldBuilder::new();
    let all = b.zone("all");
    for k in 0..n {
        let p = b.add_place(PlaceSpec {
            name: format!("room {k}"),
            kind: PlaceKind::Room,
            pos: [f64::from(WAY_M) * k as f64, 0.0],
            capacity: 1000,
            barricade_strength: BARRICADE,
            contact_scale: 1.0,
        });
        b.put_in_zone(p, all);
        let own = b.zone(&format!("room {k}"));
        b.put_in_zone(p, own);
        if k > 0 {
            b.add_way(PlaceId(k as u32 - 1), p, WAY_M);
        }
    }
    b.build().expect("a row of rooms is a valid world")
}

/// The zone holding room `k` of [`line`] alone.
pub fn room_zone(k: u32) -> ZoneId {
    ZoneId(k + 1)
}

/// Average traits: walks at 1.3 m/s, runs at 3 m/s, fights with skill 1, not stealthy.
pub fn traits() -> Traits {
    Traits {
        walk_mps: 1.3,
        run_mps: 3.0,
        fight: 1.0,
        stealth: 0.0,
    }
}

/// One person for each `(place, health, mode)`, in order, with [`traits`].
pub fn population(people: &[(u32, Health, Mode)]) -> Population {
    let mut pop = Population::default();
    for &(place, health, mode) in people {
        pop.push(AgentSpec {
            place: PlaceId(place),
            health,
            role: Role::Civilian,
            mode,
            traits: traits(),
            anchors: None,
            name: None,
        });
    }
    pop
}

/// Parameters of a one-minute tick, seed 1, an hour long, with everything that is not
/// being tested switched off.
pub fn params() -> Params {
    Params::well_mixed(1, 1.0, 0.0, 0.0, 60)
}

/// The tally of a population under the default behaviour.
pub fn occupancy(world: &World, pop: &Population) -> Occupancy {
    Occupancy::new(world, pop, &BehaviourParams::default())
}

/// Brings the tally up to date under the default behaviour.
pub fn flush(occ: &mut Occupancy, world: &World, pop: &Population) {
    occupancy::flush(occ, world, pop, &BehaviourParams::default());
}

/// Whether the tally equals a fresh count under the default behaviour.
pub fn tally_is_true(occ: &Occupancy, world: &World, pop: &Population) -> bool {
    occ.matches_recount(world, pop, &BehaviourParams::default())
}

/// The kinds of the events logged, in order.
pub fn kinds(log: &EventLog) -> Vec<EventKind> {
    log.iter().map(|e| e.kind).collect()
}
