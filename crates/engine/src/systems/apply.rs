//! Apply: commits what the read-only systems decided, in agent-id order. The encounter's
//! kills and bites, then every agent's step along its way: walking or running (a group at
//! its leader's pace), zombies battering barricades, people and zombies turned back at
//! cordons (or leaking through), and people starting to hide.

use crate::agents::{flags, Health, Mode, Population};
use crate::events::{EventKind, EventLog, Other};
use crate::ids::{AgentId, PlaceId};
use crate::params::Params;
use crate::rng::{self, Stream};
use crate::state::{Counters, PlaceState};
use crate::systems::decide::Intent;
use crate::systems::encounter::Strike;
use crate::systems::fields::Field;
use crate::systems::groups::Groups;
use crate::systems::occupancy::Occupancy;
use crate::systems::sense::Senses;
use crate::systems::turn::{self, TurnQueue};
use crate::systems::{health, Tick};
use crate::world::World;

/// Destroys the zombies the encounter killed. One bitten in this tick (still infected) was
/// destroyed after turning at the bite: it turns first, so its story reads bite, turn,
/// destroyed.
pub fn kills(
    kills: &[Strike],
    pop: &mut Population,
    occ: &mut Occupancy,
    log: &mut EventLog,
    t: u32,
) {
    for s in kills {
        if pop.health[s.target.index()] == Health::Infected {
            turn::become_zombie(pop, occ, log, s.target, t);
        }
        health::set(pop, occ, s.target, Health::Dead, t);
        log.push(EventKind::Destroyed, s.target, Other::agent(s.by), s.place);
    }
}

/// Infects the people the encounter's zombies bit, each with a latent time of its own.
pub fn bites(
    bites: &[Strike],
    pop: &mut Population,
    occ: &mut Occupancy,
    turns: &mut TurnQueue,
    params: &Params,
    log: &mut EventLog,
    t: u32,
) {
    for s in bites {
        turn::infect(pop, occ, turns, params, s.target, t);
        log.push(EventKind::Bite, s.target, Other::agent(s.by), s.place);
    }
}

/// What moves read besides the population.
pub struct MoveCtx<'a> {
    /// The ways walked and their lengths.
    pub world: &'a World,
    /// Every agent's intent for this tick.
    pub intents: &'a [Intent],
    /// Whether the zombies of each place are awake (only they count as active).
    pub senses: &'a Senses,
    /// Group leaders, whose pace their members keep (a squad keeps its slowest's).
    pub groups: &'a Groups,
    /// Length of the tick.
    pub dt_seconds: f32,
    /// Length of the tick in hours (one zombie wears this many zombie-hours off a
    /// barricade each tick).
    pub dt_hours: f32,
    /// Speed of zombies along ways, metres per second.
    pub zombie_speed_mps: f32,
    /// Key of the cordon draws.
    pub now: Tick,
    /// Which routine anchor the schedule names this hour (a trip to it arrives there).
    pub anchor_slot: usize,
    /// The way to the nearest open rescue point (a step along it is a flight there).
    pub rescue: &'a Field,
    /// Whether any rescue point is open (where `rescue` reaches nowhere, no way leads to one).
    pub rescue_any: bool,
}

/// Moves everyone toward the next place of their intent and sets their mode. Appends to
/// `hiding` those who began hiding (they build a barricade together, in
/// [`crate::systems::barricade::build`]).
///
/// A way is walked over as many ticks as it takes; a zombie stepping into a barricaded
/// place stops at the door and wears the barricade down instead, one zombie-hour per hour.
/// Reaching the end of a way closed by a cordon, a person or a zombie gets through with the
/// way's leak chance and otherwise waits there to try again next tick; deployed fighters
/// pass.
pub fn moves(
    pop: &mut Population,
    occ: &mut Occupancy,
    places: &mut PlaceState,
    counters: &mut Counters,
    log: &mut EventLog,
    hiding: &mut Vec<AgentId>,
    ctx: &MoveCtx,
) {
    let dt_s = ctx.dt_seconds;
    let mut active = 0u64;
    for i in 0..pop.len() {
        let a = AgentId(i as u32);
        let h = pop.health[i];
        if matches!(
            h,
            Health::Dead | Health::Rescued | Health::Quarantined | Health::Reserve
        ) {
            continue;
        }
        let it = ctx.intents[i];
        let human = h.is_human();
        if human {
            let mode = pop.mode[i];
            if it.next.is_none() && it.mode == mode && !it.threatened && pop.heading[i].is_none() {
                // Idle: nothing to change, nothing to read.
                if mode != Mode::Routine && mode != Mode::Reserve {
                    active += 1;
                }
                if mode == Mode::Alert
                    && ctx.rescue_any
                    && pop.flags[i] & flags::NO_WAY_TO_RESCUE == 0
                    && !ctx.rescue.reaches(pop.place[i])
                {
                    // Sheltering: a flight to rescue never set out on, no way leading there.
                    pop.flags[i] |= flags::NO_WAY_TO_RESCUE;
                    counters.trips.flight_unreachable += 1;
                }
                continue;
            }
            active += 1;
            if it.threatened {
                pop.flags[i] |= flags::THREATENED;
            }
            if it.mode != mode {
                if it.mode == Mode::Hiding {
                    hiding.push(a);
                }
                pop.mode[i] = it.mode;
                occ.mark(a);
            }
        } else if it.next.is_none() && pop.heading[i].is_none() {
            active += u64::from(ctx.senses.awake[pop.place[i].index()]);
            continue;
        } else {
            active += 1;
        }
        let at = pop.place[i];
        if it.next.is_none() || it.next == at {
            pop.heading[i] = PlaceId::NONE;
            pop.progress_m[i] = 0.0;
        } else if let Some(e) = ctx
            .world
            .neighbours(at)
            .iter()
            .find(|e| e.to == it.next)
            .copied()
        {
            let q = e.to.index();
            if human
                && pop.mode[i] == Mode::Alert
                && ctx.rescue.next[at.index()] == e.to
                && pop.flags[i] & flags::ON_FLIGHT == 0
            {
                pop.flags[i] |= flags::ON_FLIGHT;
                counters.trips.flight_started += 1;
            }
            if !human && places.barricade[q] > 0.0 {
                // One zombie breaks one zombie-hour of barricade per hour.
                places.barricade[q] = (places.barricade[q] - ctx.dt_hours).max(0.0);
                pop.heading[i] = PlaceId::NONE;
                pop.progress_m[i] = 0.0;
            } else {
                let pace = if human {
                    ctx.groups.pace(pop, a)
                } else {
                    ctx.zombie_speed_mps
                };
                let walked = if pop.heading[i] == it.next {
                    pop.progress_m[i] + pace * dt_s
                } else {
                    pace * dt_s
                };
                if walked < e.length_m {
                    pop.heading[i] = it.next;
                    pop.progress_m[i] = walked;
                } else if cross(pop, places, counters, log, a, e.way.index(), human, ctx.now) {
                    pop.heading[i] = PlaceId::NONE;
                    pop.progress_m[i] = 0.0;
                    pop.place[i] = e.to;
                    occ.mark(a);
                    if human
                        && pop.flags[i] & flags::ON_TRIP != 0
                        && pop.mode[i] == Mode::Routine
                        && pop.anchors[i][ctx.anchor_slot] == e.to
                    {
                        pop.flags[i] &= !flags::ON_TRIP;
                        counters.trips.arrived += 1;
                    }
                    if human && pop.flags[i] & flags::ON_FLIGHT != 0 && places.rescue_open[q] {
                        pop.flags[i] &= !flags::ON_FLIGHT;
                        counters.trips.flight_arrived += 1;
                    }
                    if human
                        && pop.flags[i] & flags::ON_SQUAD_TRIP != 0
                        && pop.mode[i] == Mode::Sweep
                        && ctx.world.in_zone(e.to, pop.task[i])
                    {
                        pop.flags[i] &= !flags::ON_SQUAD_TRIP;
                        counters.trips.squad_arrived += 1;
                    }
                    if !human {
                        counters.zombie_steps += 1;
                        let q = e.to.index();
                        // A zombie that reaches a sounding lure was drawn by it (once).
                        if places.lure[q] > 0.0 && pop.flags[i] & flags::LURED == 0 {
                            pop.flags[i] |= flags::LURED;
                            if let Some(effect) = counters.order(places.lure_order[q]) {
                                effect.zombies_drawn += 1;
                            }
                        }
                    }
                } else {
                    // Turned back at a cordon: wait at the end of the way and try again
                    // next tick, so the leak is a rate per hour of pushing.
                    pop.heading[i] = it.next;
                    pop.progress_m[i] = e.length_m;
                }
            }
        }
    }
    counters.active_agent_ticks += active;
}

/// Whether agent `a` gets across way `w` (closed ways leak; deployed fighters pass), counting
/// the attempts at a cordon and logging those who get through.
#[allow(clippy::too_many_arguments)]
fn cross(
    pop: &Population,
    places: &PlaceState,
    counters: &mut Counters,
    log: &mut EventLog,
    a: AgentId,
    w: usize,
    human: bool,
    now: Tick,
) -> bool {
    let leak = places.way_leak[w];
    if leak < 0.0 || pop.mode[a.index()].in_squad() {
        return true;
    }
    let through = rng::unit(now.seed, Stream::Cordon, now.tick, a.0) < f64::from(leak);
    let leaked = u64::from(through);
    let order = places.way_cordon[w];
    if human {
        counters.cordon_human_attempts += 1;
        counters.cordon_human_leaks += leaked;
        if let Some(e) = counters.order(order) {
            e.human_attempts += 1;
            e.human_leaks += leaked;
        }
    } else {
        counters.cordon_zombie_attempts += 1;
        counters.cordon_zombie_leaks += leaked;
        if let Some(e) = counters.order(order) {
            e.zombie_attempts += 1;
            e.zombie_leaks += leaked;
        }
    }
    if through {
        log.push(EventKind::CordonLeak, a, Other::NONE, pop.place[a.index()]);
    }
    through
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::EventKind;
    use crate::systems::groups;
    use crate::testing::{self, WAY_M};

    /// Everything moves reads and writes, for a row of rooms.
    struct Scene {
        world: World,
        pop: Population,
        occ: Occupancy,
        places: PlaceState,
        counters: Counters,
        log: EventLog,
        senses: Senses,
        groups: Groups,
        intents: Vec<Intent>,
    }

    impl Scene {
        fn new(rooms: usize, people: &[(u32, Health, Mode)]) -> Self {
            let world = testing::line(rooms);
            let pop = testing::population(people);
            let intents = pop
                .mode
                .iter()
                .map(|&mode| Intent {
                    next: PlaceId::NONE,
                    mode,
                    threatened: false,
                })
                .collect();
            Self {
                occ: testing::occupancy(&world, &pop),
                places: PlaceState::new(&world),
                counters: Counters::new(1),
                log: EventLog::new(1),
                senses: Senses::new(&world),
                groups: Groups::for_population(&pop),
                world,
                pop,
                intents,
            }
        }

        /// Agent `a` heads for room `next`.
        fn head(&mut self, a: u32, next: u32) {
            self.intents[a as usize].next = PlaceId(next);
        }

        /// One tick of `dt_seconds`; returns who began hiding.
        fn moves(&mut self, dt_seconds: f32, t: u32) -> Vec<AgentId> {
            let ctx = MoveCtx {
                world: &self.world,
                intents: &self.intents,
                senses: &self.senses,
                groups: &self.groups,
                dt_seconds,
                dt_hours: dt_seconds / 3600.0,
                zombie_speed_mps: 2.5,
                now: Tick::new(1, t),
                anchor_slot: 0,
                rescue: &Field::new(&self.world),
                rescue_any: false,
            };
            let mut hiding = Vec::new();
            moves(
                &mut self.pop,
                &mut self.occ,
                &mut self.places,
                &mut self.counters,
                &mut self.log,
                &mut hiding,
                &ctx,
            );
            testing::flush(&mut self.occ, &self.world, &self.pop);
            hiding
        }
    }

    #[test]
    fn bites_come_before_kills_and_moves_so_the_destroyed_stay_and_the_bitten_walk() {
        use Health::{Susceptible, Zombie};
        let mut s = Scene::new(
            2,
            &[
                (0, Zombie, Mode::Alert),
                (0, Susceptible, Mode::Alert),
                (0, Susceptible, Mode::Alert),
            ],
        );
        let (z, h, t) = (AgentId(0), AgentId(1), AgentId(2));
        let here = PlaceId(0);
        let strike = |target, by| Strike {
            target,
            by,
            place: here,
        };
        let mut turns = TurnQueue::default();
        let params = testing::params();
        bites(
            &[strike(h, z), strike(t, z)],
            &mut s.pop,
            &mut s.occ,
            &mut turns,
            &params,
            &mut s.log,
            1,
        );
        // Agent 2 turned at its bite and was destroyed later in the tick.
        kills(
            &[strike(z, h), strike(t, h)],
            &mut s.pop,
            &mut s.occ,
            &mut s.log,
            1,
        );
        assert_eq!(
            testing::kinds(&s.log),
            vec![
                EventKind::Bite,
                EventKind::Bite,
                EventKind::Destroyed,
                EventKind::Turn,
                EventKind::Destroyed
            ],
            "one turned at the bite and destroyed reads bite, turn, destroyed"
        );
        assert_eq!(s.log.as_slice()[0].by(), Some(z));
        assert_eq!(
            (s.pop.health[0], s.pop.health[1], s.pop.health[2]),
            (Health::Dead, Health::Infected, Health::Dead)
        );
        assert_eq!(s.pop.bitten_tick[1], 1);
        assert_eq!(
            turns.due(1, &s.pop.health),
            [h],
            "the bitten wait to turn; the destroyed do not"
        );
        s.head(0, 1);
        s.head(1, 1);
        s.moves(60.0, 1);
        assert_eq!(s.pop.place[0], here, "a destroyed zombie does not move");
        assert_eq!(s.pop.place[1], PlaceId(1), "a bitten person still does");
        assert!(testing::tally_is_true(&s.occ, &s.world, &s.pop));
    }

    #[test]
    fn a_way_takes_as_many_ticks_as_it_is_long_and_a_group_keeps_its_leaders_pace() {
        let alert = (0, Health::Susceptible, Mode::Alert);
        let mut s = Scene::new(2, &[alert, alert, alert]);
        // Agents 0 and 1 are a group; its leader (0) runs at 1 m/s.
        s.pop.traits[0].run_mps = 1.0;
        s.pop.group[0] = crate::ids::GroupId(0);
        s.pop.group[1] = crate::ids::GroupId(0);
        s.groups = Groups::for_population(&s.pop);
        groups::tidy(&mut s.groups, &mut s.pop, &mut s.occ);
        for a in 0..3 {
            s.head(a, 1);
        }
        s.moves(2.0, 1);
        assert_eq!(s.pop.progress_m[..], [2.0, 2.0, 6.0]);
        assert!(s.pop.heading.iter().all(|&p| p == PlaceId(1)));
        assert!(s.pop.place.iter().all(|&p| p == PlaceId(0)));
        s.moves(2.0, 2);
        assert_eq!(s.pop.place[2], PlaceId(1), "12 m run: across the 10 m way");
        assert_eq!(
            (s.pop.heading[2], s.pop.progress_m[2]),
            (PlaceId::NONE, 0.0)
        );
        assert_eq!(
            s.pop.progress_m[..2],
            [4.0, 4.0],
            "the member waits for the leader"
        );
    }

    #[test]
    fn a_barricade_stops_a_zombie_and_wears_down_at_one_zombie_hour_an_hour() {
        let mut s = Scene::new(2, &[(0, Health::Zombie, Mode::Alert)]);
        s.places.barricade[1] = 0.5;
        s.head(0, 1);
        for t in 1..=30 {
            s.moves(60.0, t);
            assert_eq!(s.pop.place[0], PlaceId(0), "held at the door at minute {t}");
            assert!(s.pop.heading[0].is_none());
        }
        assert!(
            s.places.barricade[1].abs() < 1e-5,
            "half an hour breaks 0.5"
        );
        s.moves(60.0, 31);
        assert_eq!(s.pop.place[0], PlaceId(1));
        assert_eq!(s.counters.zombie_steps, 1);
    }

    #[test]
    fn a_cordon_way_turns_people_back_counts_the_attempt_and_lets_leaks_and_squads_through() {
        let alert = (0, Health::Susceptible, Mode::Alert);
        let mut s = Scene::new(
            2,
            &[
                alert,
                (0, Health::Zombie, Mode::Alert),
                (0, Health::Susceptible, Mode::Sweep),
            ],
        );
        s.places.way_leak[0] = 0.0;
        s.places.way_cordon[0] = crate::ids::OrderId(0);
        for a in 0..3 {
            s.head(a, 1);
        }
        s.moves(60.0, 1);
        assert_eq!(s.pop.place[..2], [PlaceId(0), PlaceId(0)], "turned back");
        assert_eq!(s.pop.place[2], PlaceId(1), "a deployed fighter passes");
        assert_eq!((s.pop.heading[0], s.pop.progress_m[0]), (PlaceId(1), WAY_M));
        let c = &s.counters;
        assert_eq!(
            (c.cordon_human_attempts, c.cordon_human_leaks),
            (1, 0),
            "the fighter is not counted"
        );
        assert_eq!((c.cordon_zombie_attempts, c.cordon_zombie_leaks), (1, 0));
        s.places.way_leak[0] = 1.0;
        s.moves(60.0, 2);
        assert_eq!(
            s.pop.place[..2],
            [PlaceId(1), PlaceId(1)],
            "through at the next try"
        );
        assert_eq!(s.counters.cordon_human_leaks, 1);
        let order = s.counters.orders[0];
        assert_eq!(
            (
                order.human_attempts,
                order.human_leaks,
                order.zombie_attempts,
                order.zombie_leaks
            ),
            (2, 1, 2, 1),
            "the cordon's order counts the tries at its way"
        );
        assert_eq!(
            testing::kinds(&s.log),
            vec![EventKind::CordonLeak, EventKind::CordonLeak]
        );
        assert!(
            s.log.iter().all(|e| e.place == PlaceId(0)),
            "logged where they left"
        );
    }

    #[test]
    fn a_zombie_that_reaches_a_sounding_lure_is_drawn_by_it_once() {
        let mut s = Scene::new(
            3,
            &[
                (0, Health::Zombie, Mode::Alert),
                (2, Health::Zombie, Mode::Alert),
            ],
        );
        s.places.lure[1] = 5.0;
        s.places.lure_order[1] = crate::ids::OrderId(0);
        s.head(0, 1);
        s.head(1, 1);
        s.moves(60.0, 1);
        assert_eq!(s.pop.place[..], [PlaceId(1), PlaceId(1)]);
        assert_eq!(s.counters.orders[0].zombies_drawn, 2);
        // Back and forth: still drawn once each.
        s.head(0, 0);
        s.moves(60.0, 2);
        s.head(0, 1);
        s.moves(60.0, 3);
        assert_eq!(s.counters.orders[0].zombies_drawn, 2);
    }

    #[test]
    fn those_who_begin_hiding_are_handed_on_and_the_threatened_remembered() {
        let mut s = Scene::new(1, &[(0, Health::Susceptible, Mode::Alert); 2]);
        s.intents[0].mode = Mode::Hiding;
        s.intents[1].threatened = true;
        let hiding = s.moves(60.0, 1);
        assert_eq!(hiding, vec![AgentId(0)]);
        assert_eq!(s.pop.mode[0], Mode::Hiding);
        assert_ne!(s.pop.flags[1] & flags::THREATENED, 0);
        assert_eq!(s.counters.active_agent_ticks, 2);
    }
}
