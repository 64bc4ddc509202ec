//! Rescue: the people waiting at open rescue points are evacuated (Rescued), up to each
//! point's throughput. The line is drawn afresh every tick (a random order keyed by tick
//! and agent), so nobody is always first. The army screens: the bitten are turned away and
//! wait at the gate; so do fighters on duty or in reserve.

use crate::agents::{flags, Health, Mode, Population};
use crate::events::{EventKind, EventLog, Other};
use crate::ids::PlaceId;
use crate::params::BehaviourParams;
use crate::rng::{self, Stream};
use crate::state::{Counters, PlaceState};
use crate::systems::occupancy::{self, Occupancy};
use crate::systems::{health, Tick};
use crate::world::World;

/// Evacuates the people at open rescue points this tick; each point's order counts those
/// it rescued and the bitten it turned away.
#[allow(clippy::too_many_arguments)]
pub fn evacuate(
    pop: &mut Population,
    occ: &mut Occupancy,
    places: &mut PlaceState,
    counters: &mut Counters,
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
    let mut queue = Vec::new();
    for p in 0..places.rescue_open.len() {
        if !places.rescue_open[p] {
            continue;
        }
        let mut here = Vec::new();
        occ.residents(PlaceId(p as u32), &mut here);
        // A fair line: a fresh random order every tick, from a key per (tick, agent).
        here.sort_unstable_by_key(|&a| (rng::key(now.seed, Stream::Evacuation, now.tick, a.0), a));
        queue.extend(here);
    }
    let mut rescued = Vec::new();
    for a in queue {
        let i = a.index();
        let p = pop.place[i];
        let order = places.rescue_order[p.index()];
        // NOTE: the army screens: the bitten are turned away (and wait at the gate).
        if pop.health[i] == Health::Infected && pop.flags[i] & flags::TURNED_AWAY == 0 {
            pop.flags[i] |= flags::TURNED_AWAY;
            if let Some(e) = counters.order(order) {
                e.turned_away += 1;
            }
        }
        if places.rescue_left[p.index()] < 1.0
            || !matches!(pop.health[i], Health::Susceptible | Health::Hambie)
            || matches!(pop.mode[i], Mode::Reserve | Mode::Sweep | Mode::Withdraw)
        {
            continue;
        }
        places.rescue_left[p.index()] -= 1.0;
        if let Some(e) = counters.order(order) {
            e.rescued += 1;
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::AgentId;
    use crate::testing;

    struct Scene {
        world: World,
        pop: Population,
        occ: Occupancy,
        places: PlaceState,
        counters: Counters,
        log: EventLog,
    }

    impl Scene {
        fn new(people: &[(u32, Health, Mode)], per_tick: f32) -> Self {
            let world = testing::line(2);
            let pop = testing::population(people);
            let mut places = PlaceState::new(&world);
            places.rescue_open[0] = true;
            places.rescue_per_tick[0] = per_tick;
            places.rescue_order[0] = crate::ids::OrderId(0);
            Self {
                occ: testing::occupancy(&world, &pop),
                world,
                pop,
                places,
                counters: Counters::new(1),
                log: EventLog::new(1),
            }
        }
        /// Evacuates at tick `t` and returns who left.
        fn evacuate(&mut self, t: u32) -> Vec<AgentId> {
            self.log.begin(t);
            let b = BehaviourParams::default();
            evacuate(
                &mut self.pop,
                &mut self.occ,
                &mut self.places,
                &mut self.counters,
                &self.world,
                &b,
                &mut self.log,
                Tick::new(7, t),
            );
            self.log.iter().map(|e| e.agent).collect()
        }
    }

    #[test]
    fn a_rescue_point_evacuates_up_to_its_throughput_and_screens_the_bitten() {
        use Health::{Hambie, Infected, Susceptible};
        let mut people = vec![(0, Susceptible, Mode::Alert); 4];
        people.extend([
            (0, Infected, Mode::Alert),
            (0, Susceptible, Mode::Sweep),
            (0, Hambie, Mode::Alert),
            (1, Susceptible, Mode::Alert),
        ]);
        let mut s = Scene::new(&people, 2.0);
        let mut left = Vec::new();
        for t in 1..=4 {
            let now = s.evacuate(t);
            assert!(now.len() <= 2, "tick {t}: {now:?}");
            assert!(now.windows(2).all(|w| w[0] < w[1]), "logged by id");
            assert!(s
                .log
                .iter()
                .all(|e| e.kind == EventKind::Rescue && e.place == PlaceId(0)));
            left.extend(now);
        }
        left.sort_unstable();
        assert_eq!(
            left,
            [0, 1, 2, 3, 6].map(AgentId),
            "the people and the hambie"
        );
        for (a, h) in [(4, Infected), (5, Susceptible), (7, Susceptible)] {
            assert_eq!(s.pop.health[a], h, "agent {a} stays");
        }
        // The point's order counts the five it rescued, and the bitten one once however
        // many ticks they waited.
        let effect = s.counters.orders[0];
        assert_eq!((effect.rescued, effect.turned_away), (5, 1));
        testing::flush(&mut s.occ, &s.world, &s.pop);
        assert!(testing::tally_is_true(&s.occ, &s.world, &s.pop));
    }

    #[test]
    fn the_rescued_leave_their_rescue_place_and_its_zones_counts_but_not_the_world_s() {
        let mut s = Scene::new(&[(0, Health::Susceptible, Mode::Alert); 3], 2.0);
        let rescued = Health::Rescued as usize;
        let susceptible = Health::Susceptible as usize;
        s.evacuate(1);
        testing::flush(&mut s.occ, &s.world, &s.pop);
        assert!(testing::tally_is_true(&s.occ, &s.world, &s.pop));
        assert_eq!(s.occ.total[rescued], 2, "the world counts them");
        assert_eq!(s.occ.total[susceptible], 1);
        for zone in [0, testing::room_zone(0).index()] {
            assert_eq!(
                (s.occ.zones[zone][rescued], s.occ.zones[zone][susceptible]),
                (0, 1),
                "evacuated out of zone {zone}"
            );
        }
        assert_eq!(
            (s.occ.at[0].census[rescued], s.occ.at[0].census[susceptible]),
            (0, 1),
            "and out of the place they left from"
        );
        assert_eq!(
            s.pop.place[..2],
            [PlaceId(0); 2],
            "which their column keeps"
        );
    }

    #[test]
    fn unused_throughput_carries_over_one_tick_at_most_and_the_line_changes_every_tick() {
        let mut s = Scene::new(&[(0, Health::Susceptible, Mode::Alert); 12], 0.5);
        assert!(s.evacuate(1).is_empty(), "half a person's worth");
        assert_eq!(s.evacuate(2).len(), 1, "two halves make one");
        s.places.rescue_open[0] = false;
        s.evacuate(3);
        s.places.rescue_left[0] = 5.0;
        s.places.rescue_open[0] = true;
        assert_eq!(
            s.evacuate(4).len(),
            1,
            "what was left is capped at one tick's worth"
        );
        let first: Vec<AgentId> = (5..10).flat_map(|t| s.evacuate(t)).collect();
        assert!(
            first.windows(2).any(|w| w[0] > w[1]),
            "a fresh order every tick, not by id: {first:?}"
        );
    }
}
