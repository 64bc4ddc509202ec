//! Apply: commits what the read-only systems decided, in agent-id order. The encounter's
//! kills and bites, then every agent's step along its way: walking or running (a group at
//! its leader's pace), zombies battering barricades, people and zombies turned back at
//! cordons (or leaking through), people let into a place only while it has room (in a line
//! drawn afresh every tick), and people starting to hide.

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
use std::collections::VecDeque;

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
/// pass. A person reaching a place is let in while it has room ([`Admission`]); the others
/// wait at the end of their way.
#[allow(clippy::too_many_arguments)]
pub fn moves(
    pop: &mut Population,
    occ: &mut Occupancy,
    places: &mut PlaceState,
    counters: &mut Counters,
    log: &mut EventLog,
    hiding: &mut Vec<AgentId>,
    door: &mut Admission,
    ctx: &MoveCtx,
) {
    let dt_s = ctx.dt_seconds;
    let mut active = 0u64;
    door.begin(occ.at.len());
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
                    if human && !pop.mode[i].in_squad() && occ.at[q].holds != u32::MAX {
                        // At the door of a place that may be full: wait at the end of the
                        // way until let in, below, once everyone else has moved.
                        pop.heading[i] = it.next;
                        pop.progress_m[i] = e.length_m;
                        door.queue(pop, a, e.to, ctx.now);
                        continue;
                    }
                    if human {
                        door.left(occ, at, e.to);
                    }
                    pop.heading[i] = PlaceId::NONE;
                    pop.progress_m[i] = 0.0;
                    pop.place[i] = e.to;
                    occ.mark(a);
                    if human {
                        arrived(pop, places, counters, ctx, i, e.to);
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
    door.admit(pop, occ, places, counters, ctx);
}

/// A person who stepped into place `to`: a routine trip to the hour's anchor, a flight to
/// an open rescue point or a squad's way into its zone has arrived.
fn arrived(
    pop: &mut Population,
    places: &PlaceState,
    counters: &mut Counters,
    ctx: &MoveCtx,
    i: usize,
    to: PlaceId,
) {
    if pop.flags[i] & flags::ON_TRIP != 0
        && pop.mode[i] == Mode::Routine
        && pop.anchors[i][ctx.anchor_slot] == to
    {
        pop.flags[i] &= !flags::ON_TRIP;
        counters.trips.arrived += 1;
    }
    if pop.flags[i] & flags::ON_FLIGHT != 0 && places.rescue_open[to.index()] {
        pop.flags[i] &= !flags::ON_FLIGHT;
        counters.trips.flight_arrived += 1;
    }
    if pop.flags[i] & flags::ON_SQUAD_TRIP != 0
        && pop.mode[i] == Mode::Sweep
        && ctx.world.in_zone(to, pop.task[i])
    {
        pop.flags[i] &= !flags::ON_SQUAD_TRIP;
        counters.trips.squad_arrived += 1;
    }
}

/// One person at the door of a place that may be full.
#[derive(Clone, Copy, Debug)]
struct Arrival {
    /// The place they step into.
    to: PlaceId,
    /// Their place in this tick's line.
    key: u64,
    /// Who queues as one: the group (`1 << 32 | group id`) or the person alone (agent id).
    unit: u64,
    agent: AgentId,
}

/// A person or the members of a group who arrived together, who get in whole or not at all.
#[derive(Clone, Copy, Debug)]
struct Unit {
    from: PlaceId,
    to: PlaceId,
    /// Their arrivals, `arrivals[start..start + len]`.
    start: u32,
    len: u32,
    admitted: bool,
}

/// The line at the door of one place: `units[first..end]`, those before `first` all let in.
#[derive(Clone, Copy, Debug)]
struct Line {
    to: PlaceId,
    first: u32,
    end: u32,
    queued: bool,
}

/// Marks "none" in the per-place index columns.
const NO: u32 = u32::MAX;

/// The door of every place that may be full (rooms at their capacity, places people pass
/// through at theirs and the crowd their ways hold, [`occupancy::holds`]): people who reach
/// it this tick are let in while there is room, counting the people in it now (as the tally
/// last counted them, less those who left this tick, plus those let in), so those leaving a
/// place free room in the same tick.
///
/// The line is drawn afresh every tick from [`Stream::Admission`], one key a person alone
/// or a group (a group gets in whole or not at all; a later, smaller unit may pass one that
/// does not fit), never in agent order, so nobody is always first and the result is the
/// same on any thread count. Those refused wait at the end of their way and try again next
/// tick (their heading kept), so a queue fills the place behind them and spills back along
/// the ways. When someone is let out of a full place, the line at its door moves on in the
/// same tick. Full places whose crowds wait to enter one another in a ring (two crowds
/// crossing in opposite directions, or around a block) swap one person for one person
/// along the ring, which leaves every count where it was. Zombies take no room; deployed
/// fighters push through.
///
/// Scratch kept from tick to tick, so a tick allocates nothing; its work is a sort of the
/// tick's arrivals, not a pass over the places.
///
/// [`occupancy::holds`]: crate::systems::occupancy::holds
#[derive(Clone, Debug, Default)]
pub struct Admission {
    arrivals: Vec<Arrival>,
    units: Vec<Unit>,
    lines: Vec<Line>,
    /// Per place: people in it less the tally's count (zero outside `touched`).
    change: Vec<i32>,
    touched: Vec<PlaceId>,
    /// Per place: its line in `lines` (`NO` outside this tick's lines).
    line_of: Vec<u32>,
    work: VecDeque<u32>,
    /// Rings: the single people still waiting, as (from, to, unit), and each place's first
    /// of them that is not yet let in (`NO`: none).
    waiting: Vec<(PlaceId, PlaceId, u32)>,
    first_waiting: Vec<u32>,
    walk: Vec<(PlaceId, u32)>,
    /// Per place: 0 not yet walked, 1 on the walk, 2 walked (zero outside `waiting`).
    seen: Vec<u8>,
}

impl Admission {
    fn begin(&mut self, places: usize) {
        if self.change.len() != places {
            self.change = vec![0; places];
            self.line_of = vec![NO; places];
            self.first_waiting = vec![NO; places];
            self.seen = vec![0; places];
        }
        self.arrivals.clear();
    }

    /// Person `a`, at the end of the way to `to`, joins its line.
    fn queue(&mut self, pop: &Population, a: AgentId, to: PlaceId, now: Tick) {
        let g = pop.group[a.index()];
        let (unit, id) = if g.is_some() {
            (1 << 32 | u64::from(g.0), g.0)
        } else {
            (u64::from(a.0), a.0)
        };
        self.arrivals.push(Arrival {
            to,
            key: rng::key(now.seed, Stream::Admission, now.tick, id),
            unit,
            agent: a,
        });
    }

    fn add(&mut self, occ: &Occupancy, p: PlaceId, n: i32) {
        if occ.at[p.index()].holds == u32::MAX {
            return;
        }
        if self.change[p.index()] == 0 {
            self.touched.push(p);
        }
        self.change[p.index()] += n;
    }

    /// A person went from `from` into `to` without queueing.
    fn left(&mut self, occ: &Occupancy, from: PlaceId, to: PlaceId) {
        self.add(occ, from, -1);
        self.add(occ, to, 1);
    }

    /// Room left in `p` now.
    fn room(&self, occ: &Occupancy, p: PlaceId) -> i64 {
        let t = &occ.at[p.index()];
        let people = t.census[Health::Susceptible as usize]
            + t.census[Health::Infected as usize]
            + t.census[Health::Hambie as usize];
        i64::from(t.holds) - i64::from(people) - i64::from(self.change[p.index()])
    }

    /// Lets unit `k` in.
    fn enter(
        &mut self,
        k: usize,
        pop: &mut Population,
        occ: &mut Occupancy,
        places: &PlaceState,
        counters: &mut Counters,
        ctx: &MoveCtx,
    ) {
        let u = self.units[k];
        self.units[k].admitted = true;
        for r in u.start..u.start + u.len {
            let a = self.arrivals[r as usize].agent;
            let i = a.index();
            pop.heading[i] = PlaceId::NONE;
            pop.progress_m[i] = 0.0;
            pop.place[i] = u.to;
            occ.mark(a);
            arrived(pop, places, counters, ctx, i, u.to);
        }
        self.add(occ, u.from, -(u.len as i32));
        self.add(occ, u.to, u.len as i32);
    }

    /// Lets in, place by place, who fits; a place someone left is looked at again.
    fn admit(
        &mut self,
        pop: &mut Population,
        occ: &mut Occupancy,
        places: &PlaceState,
        counters: &mut Counters,
        ctx: &MoveCtx,
    ) {
        if !self.arrivals.is_empty() {
            self.lines_up(pop);
            self.work.extend(0..self.lines.len() as u32);
            while let Some(l) = self.work.pop_front() {
                self.lines[l as usize].queued = false;
                let line = self.lines[l as usize];
                let mut room = self.room(occ, line.to);
                let mut k = line.first;
                let mut all_in = true;
                while k < line.end && room > 0 {
                    let u = self.units[k as usize];
                    if !u.admitted && i64::from(u.len) <= room {
                        room -= i64::from(u.len);
                        self.enter(k as usize, pop, occ, places, counters, ctx);
                        // Room freed where they came from: its line moves on.
                        let behind = self.line_of[u.from.index()];
                        if behind != NO && !self.lines[behind as usize].queued {
                            self.lines[behind as usize].queued = true;
                            self.work.push_back(behind);
                        }
                    }
                    if all_in && self.units[k as usize].admitted {
                        self.lines[l as usize].first = k + 1;
                    } else {
                        all_in = false;
                    }
                    k += 1;
                }
            }
            self.rings(pop, occ, places, counters, ctx);
            for line in &self.lines {
                self.line_of[line.to.index()] = NO;
            }
        }
        for p in self.touched.drain(..) {
            self.change[p.index()] = 0;
        }
    }

    /// Sorts the arrivals into units and lines.
    fn lines_up(&mut self, pop: &Population) {
        self.arrivals
            .sort_unstable_by_key(|a| (a.to, a.key, a.unit, a.agent));
        self.units.clear();
        self.lines.clear();
        for (r, a) in self.arrivals.iter().enumerate() {
            let same = r > 0 && {
                let b = &self.arrivals[r - 1];
                b.to == a.to && b.unit == a.unit
            };
            if same {
                self.units.last_mut().expect("a unit begun").len += 1;
                continue;
            }
            let k = self.units.len() as u32;
            self.units.push(Unit {
                from: pop.place[a.agent.index()],
                to: a.to,
                start: r as u32,
                len: 1,
                admitted: false,
            });
            match self.lines.last_mut() {
                Some(line) if line.to == a.to => line.end = k + 1,
                _ => {
                    self.line_of[a.to.index()] = self.lines.len() as u32;
                    self.lines.push(Line {
                        to: a.to,
                        first: k,
                        end: k + 1,
                        queued: true,
                    });
                }
            }
        }
    }

    /// Full places whose waiting people want into one another in a ring swap them one for
    /// one along it. Each place follows its single waiting person with the lowest
    /// destination id, then line order; a ring found goes round as many times as every one
    /// of its steps has people for, and the rings are sought again until none is left.
    fn rings(
        &mut self,
        pop: &mut Population,
        occ: &mut Occupancy,
        places: &PlaceState,
        counters: &mut Counters,
        ctx: &MoveCtx,
    ) {
        self.waiting.clear();
        for (k, u) in self.units.iter().enumerate() {
            if !u.admitted && u.len == 1 && u.from != u.to {
                self.waiting.push((u.from, u.to, k as u32));
            }
        }
        if self.waiting.len() < 2 {
            return;
        }
        // Units are in line order within a destination, so this is (from, to, line).
        self.waiting.sort_unstable();
        for (w, &(from, ..)) in self.waiting.iter().enumerate().rev() {
            self.first_waiting[from.index()] = w as u32;
        }
        loop {
            let mut turned = false;
            for w in 0..self.waiting.len() {
                let start = self.waiting[w].0;
                if self.seen[start.index()] != 0 || self.first_waiting[start.index()] == NO {
                    continue;
                }
                self.walk.clear();
                let mut v = start;
                // Follow each place's first waiting person until the walk ends or meets
                // itself.
                let ring_at = loop {
                    let f = self.first_waiting[v.index()];
                    if f == NO || self.seen[v.index()] == 2 {
                        break None;
                    }
                    if self.seen[v.index()] == 1 {
                        break self.walk.iter().position(|&(p, _)| p == v);
                    }
                    self.seen[v.index()] = 1;
                    self.walk.push((v, f));
                    v = self.waiting[f as usize].1;
                };
                if let Some(r) = ring_at {
                    turned = true;
                    // How many times it can go round: the people on its shortest step.
                    let times = self.walk[r..]
                        .iter()
                        .map(|&(p, f)| {
                            let to = self.waiting[f as usize].1;
                            self.waiting[f as usize..]
                                .iter()
                                .take_while(|x| x.0 == p && x.1 == to)
                                .count()
                        })
                        .min()
                        .unwrap_or(0);
                    for s in r..self.walk.len() {
                        let (p, f) = self.walk[s];
                        for x in f as usize..f as usize + times {
                            let k = self.waiting[x].2 as usize;
                            self.enter(k, pop, occ, places, counters, ctx);
                        }
                        let next = f as usize + times;
                        self.first_waiting[p.index()] =
                            if next < self.waiting.len() && self.waiting[next].0 == p {
                                next as u32
                            } else {
                                NO
                            };
                    }
                }
                for &(p, _) in &self.walk {
                    self.seen[p.index()] = 2;
                }
            }
            for &(p, ..) in &self.waiting {
                self.seen[p.index()] = 0;
            }
            if !turned {
                break;
            }
        }
        for &(p, ..) in &self.waiting {
            self.first_waiting[p.index()] = NO;
        }
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
        door: Admission,
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
                door: Admission::default(),
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
                &mut self.door,
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

    /// `movers`, then room 1 of a row of rooms (room for 1,000 each) filled but for `room`
    /// with people who stand still.
    fn nearly_full(rooms: usize, room: u32, movers: &[(u32, Health, Mode)]) -> Scene {
        let mut people = movers.to_vec();
        people.extend(vec![
            (1, Health::Susceptible, Mode::Alert);
            1000 - room as usize
        ]);
        Scene::new(rooms, &people)
    }

    #[test]
    fn a_group_gets_into_a_room_whole_or_not_at_all() {
        let alert = (0, Health::Susceptible, Mode::Alert);
        // Agents 0–4 a group, 5–7 alone, all for room 1, which has room for 3.
        let mut s = nearly_full(3, 3, &[alert; 8]);
        let g = crate::ids::GroupId(0);
        for a in 0..5 {
            s.pop.group[a] = g;
        }
        s.groups = Groups::for_population(&s.pop);
        groups::tidy(&mut s.groups, &mut s.pop, &mut s.occ);
        for a in 0..8 {
            s.head(a, 1);
        }
        for t in 1..=3 {
            s.moves(60.0, t);
            assert!(
                s.pop.place[..5].iter().all(|&p| p == PlaceId(0)),
                "tick {t}: five do not fit where three do"
            );
            assert!(
                (0..5).all(|a| s.pop.heading[a] == PlaceId(1) && s.pop.progress_m[a] == WAY_M),
                "they wait at the end of the way"
            );
            assert_eq!(s.pop.place[5..8], [PlaceId(1); 3], "the three alone get in");
            assert_eq!(s.occ.at[1].census[Health::Susceptible as usize], 1000);
        }
        // Five who stood in room 1 leave for room 2 (let in after the group's line was
        // looked at): room for five in the same tick.
        for a in 8..13 {
            s.head(a, 2);
        }
        for a in 5..8 {
            s.head(a, 1);
        }
        s.moves(60.0, 4);
        assert_eq!(
            s.pop.place[..5],
            [PlaceId(1); 5],
            "room for five: in, whole"
        );
        assert!(testing::tally_is_true(&s.occ, &s.world, &s.pop));
    }

    #[test]
    fn those_leaving_a_full_room_make_room_for_others_in_the_same_tick_whatever_their_ids() {
        let alert = (0, Health::Susceptible, Mode::Alert);
        // Agent 0 in room 0 wants into room 1, full; agent 1 (a later id) leaves it for
        // room 2.
        let mut s = nearly_full(3, 1, &[alert, (1, Health::Susceptible, Mode::Alert)]);
        s.head(0, 1);
        s.head(1, 2);
        s.moves(60.0, 1);
        assert_eq!(s.pop.place[..2], [PlaceId(1), PlaceId(2)]);
        assert_eq!(s.occ.at[1].census[Health::Susceptible as usize], 1000);
        // Zombies take no room.
        let mut s = nearly_full(2, 0, &[(0, Health::Zombie, Mode::Alert)]);
        s.head(0, 1);
        s.moves(60.0, 1);
        assert_eq!(s.pop.place[0], PlaceId(1), "a zombie gets into a full room");
    }
}
