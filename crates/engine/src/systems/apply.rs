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
use crate::systems::groups::Groups;
use crate::systems::occupancy::Occupancy;
use crate::systems::sense::Senses;
use crate::systems::turn::{self, TurnQueue};
use crate::systems::{health, Tick};
use crate::world::World;

/// Destroys the zombies the encounter killed.
pub fn kills(
    kills: &[Strike],
    pop: &mut Population,
    occ: &mut Occupancy,
    log: &mut EventLog,
    t: u32,
) {
    for s in kills {
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
    pub world: &'a World,
    pub intents: &'a [Intent],
    pub senses: &'a Senses,
    pub groups: &'a Groups,
    pub dt_seconds: f32,
    pub dt_hours: f32,
    pub zombie_speed_mps: f32,
    pub now: Tick,
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
        if matches!(h, Health::Dead | Health::Rescued | Health::Quarantined) {
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
            if !human && places.barricade[q] > 0.0 {
                // One zombie breaks one zombie-hour of barricade per hour.
                places.barricade[q] = (places.barricade[q] - ctx.dt_hours).max(0.0);
                pop.heading[i] = PlaceId::NONE;
                pop.progress_m[i] = 0.0;
            } else {
                let pace = if human {
                    pace(pop, ctx.groups, a)
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
                    if !human {
                        counters.zombie_steps += 1;
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

/// Walking or running speed; group members keep their leader's pace.
#[inline]
fn pace(pop: &Population, groups: &Groups, a: AgentId) -> f32 {
    let tr = pop.traits[groups.leader_of(pop, a).index()];
    if pop.mode[a.index()] == Mode::Routine {
        tr.walk_mps
    } else {
        tr.run_mps
    }
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
    if leak < 0.0 || pop.mode[a.index()] == Mode::Sweep {
        return true;
    }
    let through = rng::unit(now.seed, Stream::Cordon, now.tick, a.0) < f64::from(leak);
    if human {
        counters.cordon_human_attempts += 1;
        counters.cordon_human_leaks += u64::from(through);
    } else {
        counters.cordon_zombie_attempts += 1;
        counters.cordon_zombie_leaks += u64::from(through);
    }
    if through {
        log.push(EventKind::CordonLeak, a, Other::NONE, pop.place[a.index()]);
    }
    through
}
