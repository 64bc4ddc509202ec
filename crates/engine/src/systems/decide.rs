//! Decide: every agent chooses where to go this tick and what to do, reading only the state
//! at the start of the tick. Runs in parallel over agents; each agent draws from its own
//! stream, so the result does not depend on the thread count.
//!
//! - Dormant zombies stand still. Awake zombies head for the loudest sound, stay to attack
//!   the people they see, or now and then stumble to a neighbour.
//! - Unaware humans keep their daily routine until they see a zombie in or next to their
//!   place, or an aware person in their place alerts them.
//! - Aware humans with zombies in their place fight if the place's fighting strength is at
//!   least `fight_ratio` times the zombies, else flee to a neighbour without zombies
//!   (toward a rescue point if one is open). With zombies next door they barricade the room
//!   if its door allows and stay silent, else flee. With no zombies around they walk to the
//!   nearest open rescue point if it is within `rescue_reach_m`, or shelter where they are.
//! - Hiding humans stay until their barricade breaks or zombies get in, or until the way to
//!   an open rescue point looks clear.
//! - Nobody is turned away here: whether a place has room for those who reach it is
//!   settled where moves are committed ([`crate::systems::apply::Admission`]), counting the
//!   people in it then; those refused wait at the end of their way and decide again.
//! - Deployed fighters sweep: they stay to fight or walk toward the nearest zombies of their
//!   task zone. A withdrawing squad walks back to its entry, fighting only where it is.

use crate::agents::{Health, Mode, Population};
use crate::authority::{Action, Order};
use crate::ids::{PlaceId, ZoneId};
use crate::params::{BehaviourParams, Rates};
use crate::rng::{self, Stream};
use crate::systems::fields::Field;
use crate::systems::occupancy::Occupancy;
use crate::systems::sense::Senses;
use crate::systems::trips::Plans;
use crate::world::{TripPlan, World};
use rand::Rng;
use rayon::prelude::*;

/// An agent's choice for this tick.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Intent {
    /// Where to step (`PlaceId::NONE`: stay).
    pub next: PlaceId,
    /// What to be doing from this tick on (zombies keep theirs).
    pub mode: Mode,
    /// A human who sees zombies in or next to their place.
    pub threatened: bool,
}

/// What the decide system reads besides the population.
pub struct DecideCtx<'a> {
    /// Neighbours, routes and barricadable doors.
    pub world: &'a World,
    /// Who and what is in each place at the start of the tick.
    pub occ: &'a Occupancy,
    /// Which zombies are awake and where they head.
    pub senses: &'a Senses,
    /// The way to the nearest open rescue point.
    pub rescue: &'a Field,
    /// Sweep fields by zone id (zones without a deployed squad are absent).
    pub sweep: &'a [(ZoneId, Field)],
    /// Per-way cordon leak chance; negative when the way is open.
    pub way_leak: &'a [f32],
    /// Barricade integrity per place.
    pub barricade: &'a [f32],
    /// The timeline: a withdrawing squad heads for the entry of the order that deployed it.
    pub orders: &'a [Order],
    /// Fight ratio, rescue reach, wandering and the daily schedule.
    pub behaviour: &'a BehaviourParams,
    /// Per-tick chances (of being alerted).
    pub rates: &'a Rates,
    /// The run's master seed, key of the draws.
    pub seed: u64,
    /// The tick being decided, key of the draws.
    pub tick: u32,
    /// Hour of the day at this tick.
    pub hour: usize,
}

/// Fills `out` with every agent's intent. On maps routed by the contraction hierarchy, a
/// routine walker's trip plan in `plans` is brought up to date for the step it takes (see
/// [`World::plan`]) and everyone else's is dropped, so plans are kept only while people
/// walk; on other maps `plans` stays empty. Each agent's plan depends only on their own
/// place and destination, so the result is the same on any thread count.
pub fn run(out: &mut Vec<Intent>, plans: &mut Plans, pop: &Population, ctx: &DecideCtx) {
    out.resize(
        pop.len(),
        Intent {
            next: PlaceId::NONE,
            mode: Mode::Routine,
            threatened: false,
        },
    );
    if ctx.world.plans_trips() {
        plans.resize(pop.len(), None);
        out.par_iter_mut()
            .zip(plans.par_iter_mut())
            .enumerate()
            .with_min_len(4096)
            .for_each(|(i, (slot, plan))| *slot = decide(i, pop, ctx, plan));
    } else {
        plans.clear();
        out.par_iter_mut()
            .enumerate()
            .with_min_len(4096)
            .for_each(|(i, slot)| *slot = decide(i, pop, ctx, &mut None));
    }
}

fn decide(i: usize, pop: &Population, ctx: &DecideCtx, plan: &mut Option<Box<TripPlan>>) -> Intent {
    let mode = pop.mode[i];
    let stay = Intent {
        next: PlaceId::NONE,
        mode,
        threatened: false,
    };
    match pop.health[i] {
        Health::Zombie => {
            *plan = None;
            zombie(i, pop.place[i], ctx, stay)
        }
        Health::Dead | Health::Rescued | Health::Quarantined | Health::Reserve => {
            *plan = None;
            stay
        }
        Health::Susceptible | Health::Infected | Health::Hambie => human(i, pop, ctx, stay, plan),
    }
}

fn zombie(i: usize, at: PlaceId, ctx: &DecideCtx, stay: Intent) -> Intent {
    let p = at.index();
    if !ctx.senses.awake[p] {
        return stay;
    }
    let toward = ctx.senses.toward[p];
    if toward.is_some() {
        return Intent {
            next: toward,
            ..stay
        };
    }
    if ctx.occ.at[p].visible > 0 {
        return stay;
    }
    let mut rng = rng::stream(ctx.seed, Stream::Move, ctx.tick, i as u32);
    let ns = ctx.world.neighbours(at);
    if !ns.is_empty() && rng.random::<f64>() < ctx.behaviour.zombie_wander {
        return Intent {
            next: ns[rng.random_range(0..ns.len())].to,
            ..stay
        };
    }
    stay
}

/// A human's intent; `plan` is theirs, kept only while they walk a routine trip.
fn human(
    i: usize,
    pop: &Population,
    ctx: &DecideCtx,
    stay: Intent,
    plan: &mut Option<Box<TripPlan>>,
) -> Intent {
    let it = aware_or_walking(i, pop, ctx, stay, plan);
    if plan.is_some() && !(it.mode == Mode::Routine && it.next.is_some()) {
        // Arrived, waiting or no longer in their routine: the plan goes.
        *plan = None;
    }
    it
}

fn aware_or_walking(
    i: usize,
    pop: &Population,
    ctx: &DecideCtx,
    stay: Intent,
    plan: &mut Option<Box<TripPlan>>,
) -> Intent {
    let at = pop.place[i];
    let p = at.index();
    if stay.mode == Mode::Routine
        && pop.heading[i].is_none()
        && ctx.occ.calm[p] == 1
        && pop.anchors[i][ctx.behaviour.schedule[ctx.hour] as usize] == at
    {
        // Idle: at their routine place, nothing around. Reads no per-place record.
        return stay;
    }
    let occ = ctx.occ;
    let here = &occ.at[p];
    let z_here = here.census[Health::Zombie as usize];
    let z_near = here.zombies_near;
    let stay = Intent {
        threatened: z_here > 0 || z_near > 0,
        ..stay
    };
    if ctx.behaviour.stand_ground && !stay.mode.in_squad() {
        return stay;
    }
    let mut mode = stay.mode;
    match mode {
        Mode::Reserve => return stay,
        Mode::Sweep => {
            if z_here > 0 {
                return stay;
            }
            let task = pop.task[i];
            let next = ctx
                .sweep
                .iter()
                .find(|(z, _)| *z == task)
                .map(|(_, f)| f.next[p])
                .unwrap_or(PlaceId::NONE);
            return Intent { next, mode, ..stay };
        }
        Mode::Withdraw => {
            // Back to the squad's entry, through zombies or not.
            let entry = squad_entry(i, pop, ctx.orders).unwrap_or(at);
            let next = ctx.world.next_hop(at, entry);
            return Intent {
                next: if next == at { PlaceId::NONE } else { next },
                mode,
                ..stay
            };
        }
        Mode::Routine => {
            if z_here > 0 || z_near > 0 {
                mode = Mode::Alert;
            } else if here.aware > 0 {
                let chance = -(-ctx.rates.alert_per_aware * f64::from(here.aware)).exp_m1();
                if rng::unit(ctx.seed, Stream::Alarm, ctx.tick, i as u32) < chance {
                    mode = Mode::Alert;
                }
            }
            if mode == Mode::Routine {
                if pop.heading[i].is_some() && !at_the_door(i, pop, ctx.world) {
                    // Half-way along a way: finish it before thinking about the route again.
                    return Intent {
                        next: pop.heading[i],
                        mode,
                        ..stay
                    };
                }
                let anchor = pop.anchors[i][ctx.behaviour.schedule[ctx.hour] as usize];
                ctx.world.plan(at, anchor, plan);
                let next = ctx.world.next_hop_planned(at, anchor, plan.as_deref());
                return Intent {
                    next: if next == at { PlaceId::NONE } else { next },
                    mode,
                    ..stay
                };
            }
        }
        Mode::Hiding => {
            if ctx.barricade[p] > 0.0 && z_here == 0 {
                let clear = z_near == 0
                    && ctx.rescue.dist[p] <= ctx.behaviour.rescue_reach_m as f32
                    && ctx.rescue.next[p].is_some()
                    && occ.at[ctx.rescue.next[p].index()].census[Health::Zombie as usize] == 0;
                if !clear {
                    return stay;
                }
                return Intent {
                    next: ctx.rescue.next[p],
                    mode: Mode::Alert,
                    ..stay
                };
            }
            mode = Mode::Alert;
        }
        Mode::Alert => {}
    }
    // Aware from here on.
    let hambie = pop.health[i] == Health::Hambie;
    if z_here > 0 {
        if hambie || occ.at[p].fight() >= ctx.behaviour.fight_ratio as f32 * z_here as f32 {
            return Intent {
                next: PlaceId::NONE,
                mode,
                ..stay
            };
        }
        return Intent {
            next: flee(i, at, ctx),
            mode,
            ..stay
        };
    }
    if z_near > 0 && !hambie {
        if ctx.world.places.barricade_strength[p] > 0.0 {
            return Intent {
                next: PlaceId::NONE,
                mode: Mode::Hiding,
                ..stay
            };
        }
        return Intent {
            next: flee(i, at, ctx),
            mode,
            ..stay
        };
    }
    let next = if ctx.rescue.dist[p] <= ctx.behaviour.rescue_reach_m as f32 {
        ctx.rescue.next[p]
    } else {
        PlaceId::NONE
    };
    Intent { next, mode, ..stay }
}

/// Whether agent `i` waits at the end of its way (turned away by a full place or a
/// cordon): then it thinks about its route again, and may turn elsewhere.
fn at_the_door(i: usize, pop: &Population, world: &World) -> bool {
    let to = pop.heading[i];
    world
        .neighbours(pop.place[i])
        .iter()
        .any(|e| e.to == to && pop.progress_m[i] >= e.length_m)
}

/// The entry of the latest squad order that deployed fighter `i` to its task zone.
fn squad_entry(i: usize, pop: &Population, orders: &[Order]) -> Option<PlaceId> {
    let a = crate::ids::AgentId(i as u32);
    orders.iter().rev().find_map(|o| match &o.action {
        Action::Squad {
            members,
            entry,
            zone,
            ..
        } if *zone == pop.task[i] && members.contains(&a) => Some(*entry),
        _ => None,
    })
}

/// A neighbour without zombies, toward rescue if that way is clear, else the one with the
/// fewest zombies next to it (ties at random); `PlaceId::NONE` if every neighbour holds
/// zombies.
fn flee(i: usize, at: PlaceId, ctx: &DecideCtx) -> PlaceId {
    let occ = ctx.occ;
    let p = at.index();
    let r = ctx.rescue.next[p];
    if r.is_some() && occ.at[r.index()].census[Health::Zombie as usize] == 0 {
        return r;
    }
    let mut rng = rng::stream(ctx.seed, Stream::Move, ctx.tick, i as u32);
    let mut best = PlaceId::NONE;
    let mut best_score = u32::MAX;
    let mut ties = 0u32;
    for e in ctx.world.neighbours(at) {
        let q = e.to.index();
        if ctx.way_leak[e.way.index()] >= 0.0 || occ.at[q].census[Health::Zombie as usize] > 0 {
            continue;
        }
        let score = occ.at[q].zombies_near;
        if score < best_score {
            best_score = score;
            best = e.to;
            ties = 1;
        } else if score == best_score {
            ties += 1;
            if rng.random_range(0..ties) == 0 {
                best = e.to;
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use crate::world::{PlaceKind, PlaceSpec, WorldBuilder};

    /// The intents of `people` in a row of `rooms` (room 0 alone can be barricaded), with
    /// zombies awake wherever they are.
    fn intents(rooms: usize, people: &[(u32, Health, Mode)]) -> Vec<Intent> {
        let mut b = WorldBuilder::new();
        let zone = b.zone("all");
        for k in 0..rooms {
            let p = b.add_place(PlaceSpec {
                name: format!("room {k}"),
                kind: PlaceKind::Room,
                pos: [10.0 * k as f64, 0.0],
                capacity: 1000,
                barricade_strength: if k == 0 { testing::BARRICADE } else { 0.0 },
                contact_scale: 1.0,
            });
            b.put_in_zone(p, zone);
            if k > 0 {
                b.add_way(PlaceId(k as u32 - 1), p, testing::WAY_M);
            }
        }
        let world = b.build().unwrap();
        let pop = testing::population(people);
        let occ = testing::occupancy(&world, &pop);
        let mut senses = Senses::new(&world);
        senses.awake.iter_mut().for_each(|a| *a = true);
        let params = testing::params();
        let rates = Rates::new(&params);
        let ctx = DecideCtx {
            world: &world,
            occ: &occ,
            senses: &senses,
            rescue: &Field::new(&world),
            sweep: &[],
            way_leak: &vec![-1.0; world.ways.len()],
            barricade: &vec![0.0; rooms],
            orders: &[],
            behaviour: &params.behaviour,
            rates: &rates,
            seed: 1,
            tick: 1,
            hour: 12,
        };
        let mut out = Vec::new();
        run(&mut out, &mut Vec::new(), &pop, &ctx);
        out
    }

    #[test]
    fn the_unaware_keep_their_routine_until_they_see_a_zombie_then_flee() {
        use Health::{Susceptible, Zombie};
        let calm = intents(3, &[(1, Susceptible, Mode::Routine)]);
        assert_eq!(calm[0].next, PlaceId::NONE);
        assert_eq!((calm[0].mode, calm[0].threatened), (Mode::Routine, false));
        let seen = intents(
            3,
            &[(1, Susceptible, Mode::Routine), (1, Zombie, Mode::Alert)],
        );
        assert_eq!(seen[0].mode, Mode::Alert);
        assert!(seen[0].threatened);
        assert!(
            matches!(seen[0].next.0, 0 | 2),
            "away from the zombie: {:?}",
            seen[0]
        );
    }

    #[test]
    fn with_zombies_next_door_people_barricade_a_room_that_allows_it() {
        use Health::{Susceptible, Zombie};
        let it = intents(
            2,
            &[(0, Susceptible, Mode::Alert), (1, Zombie, Mode::Alert)],
        );
        assert_eq!((it[0].mode, it[0].next), (Mode::Hiding, PlaceId::NONE));
        // Room 1 cannot be barricaded: they flee instead, and room 0 holds a zombie.
        let it = intents(
            3,
            &[(1, Susceptible, Mode::Alert), (0, Zombie, Mode::Alert)],
        );
        assert_eq!(it[0].next, PlaceId(2));
    }

    #[test]
    fn a_strong_place_fights_and_zombies_stay_with_the_people_they_see() {
        use Health::{Susceptible, Zombie};
        let mut people = vec![(1, Susceptible, Mode::Alert); 3];
        people.push((1, Zombie, Mode::Alert));
        let it = intents(3, &people);
        assert!(
            it[..3].iter().all(|i| i.next.is_none() && i.threatened),
            "3 ≥ 3 × 1: fight"
        );
        assert!(it[3].next.is_none(), "the zombie stays to attack");
    }
}
