//! Rescue: the people waiting at open rescue points are evacuated (Rescued), up to each
//! point's throughput. The line is drawn afresh every tick (a random order keyed by tick
//! and agent), so nobody is always first. The army screens: the bitten are turned away and
//! wait at the gate; so do fighters on duty or in reserve.

use crate::agents::{Health, Mode, Population};
use crate::events::{EventKind, EventLog, Other};
use crate::ids::PlaceId;
use crate::params::BehaviourParams;
use crate::rng;
use crate::state::PlaceState;
use crate::systems::occupancy::{self, Occupancy};
use crate::systems::{health, Tick};
use crate::world::World;

/// Evacuates the people at open rescue points this tick.
pub fn evacuate(
    pop: &mut Population,
    occ: &mut Occupancy,
    places: &mut PlaceState,
    world: &World,
    behaviour: &BehaviourParams,
    log: &mut EventLog,
    now: Tick,
) {
    if !places.rescue_open.iter().any(|&o| o) {
        return;
    }
    for p in 0..places.rescue_open.len() {
        if places.rescue_open[p] {
            // Unused capacity does not carry over beyond one tick's worth.
            let per = places.rescue_per_tick[p];
            places.rescue_left[p] = places.rescue_left[p].min(1.0) + per;
        }
    }
    // The residents lists must include this tick's arrivals.
    occupancy::flush(occ, world, pop, behaviour);
    let start = rng::mix64(now.seed ^ rng::mix64(u64::from(now.tick)));
    let mut queue = Vec::new();
    for p in 0..places.rescue_open.len() {
        if !places.rescue_open[p] {
            continue;
        }
        let mut here = Vec::new();
        occ.residents(PlaceId(p as u32), &mut here);
        // A fair line: a fresh random order every tick, from a key per (tick, agent).
        here.sort_unstable_by_key(|&a| (rng::mix64(start ^ rng::mix64(u64::from(a.0))), a));
        queue.extend(here);
    }
    let mut rescued = Vec::new();
    for a in queue {
        let i = a.index();
        let p = pop.place[i];
        // NOTE: the army screens: the bitten are turned away (and wait at the gate).
        if places.rescue_left[p.index()] < 1.0
            || !matches!(pop.health[i], Health::Susceptible | Health::Hambie)
            || matches!(pop.mode[i], Mode::Reserve | Mode::Sweep)
        {
            continue;
        }
        places.rescue_left[p.index()] -= 1.0;
        health::set(pop, occ, a, Health::Rescued, now.tick);
        rescued.push((a, p));
    }
    // NOTE: rescue events are logged by agent id within a tick, whatever order people
    // left in.
    rescued.sort_unstable();
    for (a, p) in rescued {
        log.push(EventKind::Rescue, a, Other::NONE, p);
    }
}
