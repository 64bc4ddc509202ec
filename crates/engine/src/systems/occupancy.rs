//! Occupancy: per-place aggregates of the population, kept up to date incrementally.
//!
//! Every agent's contribution to its place (its health in the census, whether it is aware,
//! visible, how hard it fights, how much noise it makes) is cached. Systems that change an
//! agent mark it dirty; [`flush`] then swaps the old contribution for the new one, in agent
//! order. Idle agents are never visited. Strength and noise are fixed-point integers
//! (1/[`Q`]), so sums are exact and do not depend on the order of updates: the tally always
//! equals a fresh count ([`Occupancy::matches_recount`] checks it in tests).

use crate::agents::{Health, Mode, Population, STATES};
use crate::ids::{AgentId, PlaceId};
use crate::params::BehaviourParams;
use crate::world::World;

/// Fixed-point scale of noise and fighting strength.
pub const Q: f32 = 256.0;

/// What a place holds. The fields systems read together live in one record, so a person's
/// place costs one cache line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Count of each health state (never the rescued or the reserve: they are off the map).
    pub census: [u32; STATES],
    /// Noise of aware people here, ×[`Q`] (routine people's is kept apart: it drops at night).
    pub noise_q: u32,
    /// Noise of people keeping their routine here, ×[`Q`].
    pub routine_noise_q: u32,
    /// People zombies can see here (not hiding, not hambies).
    pub visible: u32,
    /// Fighting strength of the humans here, ×[`Q`].
    pub fight_q: u32,
    /// Aware humans here.
    pub aware: u32,
    /// Zombies in the neighbouring places.
    pub zombies_near: u32,
    /// Aware living people here who are in no group (they may band together).
    pub loners: u32,
    /// How many people the place holds before it turns more away (static, [`holds`]).
    pub holds: u32,
}

impl Tally {
    /// Fighting strength of the humans here.
    #[inline]
    pub fn fight(&self) -> f32 {
        self.fight_q as f32 / Q
    }
    /// Noise made by people here, with routine people's scaled by `night_factor`.
    #[inline]
    pub fn people_noise(&self, night_factor: f32) -> f32 {
        (self.noise_q as f32 + self.routine_noise_q as f32 * night_factor) / Q
    }
    /// Whether nothing here can disturb a routine: no zombies in or next to it, nobody aware.
    #[inline]
    pub fn calm(&self) -> bool {
        self.census[Health::Zombie as usize] == 0 && self.zombies_near == 0 && self.aware == 0
    }
}

/// What one agent adds to its place's tally.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Contribution {
    /// The place it counts in.
    pub place: PlaceId,
    /// The agent's health, as its index in the census.
    pub health: u8,
    /// A human out of their routine (counted in [`Tally::aware`]).
    pub aware: bool,
    /// An aware susceptible or infected person in no group (counted in [`Tally::loners`]).
    pub loner: bool,
    /// A person zombies can see: not hiding, not a hambie.
    pub visible: bool,
    /// A person keeping their routine, whose noise drops at night.
    pub routine: bool,
    /// Fighting strength (skill, with the group bonus), ×[`Q`]; 0 for all but the
    /// susceptible and hambies.
    pub fight_q: u32,
    /// Noise made, ×[`Q`] (stealth, group and hiding factors applied); 0 for hambies and
    /// zombies.
    pub noise_q: u32,
}

/// Per-place and per-zone aggregates, and each agent's cached contribution.
#[derive(Clone, Debug, Default)]
pub struct Occupancy {
    /// One record per place.
    pub at: Vec<Tally>,
    /// One byte per place: 1 when [`Tally::calm`]. Small enough to stay in cache, so an idle
    /// person's check costs no memory traffic.
    pub calm: Vec<u8>,
    /// Places holding at least one zombie, ascending.
    pub zombie_places: Vec<PlaceId>,
    /// Count of each health state per zone (the rescued and the reserve are in no zone).
    pub zones: Vec<[u64; STATES]>,
    /// Whole-world count of each health state.
    pub total: [u64; STATES],
    contrib: Vec<Contribution>,
    /// Who is where, as of the last flush: a linked list of agents per place (`head`), in
    /// no particular order; `next`/`prev` are per agent.
    head: Vec<AgentId>,
    next: Vec<AgentId>,
    prev: Vec<AgentId>,
    /// Agents changed since the last flush (any order, repeats allowed).
    dirty: Vec<AgentId>,
    touched: Vec<PlaceId>,
}

/// The factor on a person's fighting skill: a squad's in a deployed squad, a group's in a
/// civilian group, 1 alone.
#[inline]
pub fn fight_bonus(grouped: bool, mode: Mode, b: &BehaviourParams) -> f32 {
    match (grouped, mode.in_squad()) {
        (true, true) => b.squad_fight_bonus as f32,
        (true, false) => b.group_fight_bonus as f32,
        (false, _) => 1.0,
    }
}

/// How many people place `p` holds before it turns more away (zombies take no room): a room
/// its capacity; a place people pass through its capacity plus `per_way_m` people a metre
/// of the nearer half of each of its ways (the crowd stands along them); the well-mixed
/// arena, a lattice site and the staging area everyone (`u32::MAX`).
pub fn holds(world: &World, p: PlaceId, per_way_m: f64) -> u32 {
    use crate::world::PlaceKind::{Arena, Site, Staging};
    let i = p.index();
    let kind = world.places.kind[i];
    let capacity = world.places.capacity[i];
    if kind.is_room() {
        return capacity;
    }
    if matches!(kind, Arena | Site | Staging) {
        return u32::MAX;
    }
    let half: f64 = world
        .neighbours(p)
        .iter()
        .map(|e| f64::from(e.length_m) / 2.0)
        .sum();
    let along = (per_way_m * half).round().min(f64::from(u32::MAX));
    capacity.saturating_add(along as u32)
}

/// One agent's contribution under the current behaviour settings.
pub fn contribution(i: usize, pop: &Population, b: &BehaviourParams) -> Contribution {
    let h = pop.health[i];
    let mut c = Contribution {
        place: pop.place[i],
        health: h as u8,
        ..Contribution::default()
    };
    let mode = pop.mode[i];
    if !h.is_human() || mode == Mode::Reserve {
        // Zombies, the dead and the off-map are counted by health alone.
        return c;
    }
    let grouped = pop.group[i].is_some();
    c.aware = mode != Mode::Routine;
    c.loner = !grouped
        && matches!(h, Health::Susceptible | Health::Infected)
        && matches!(mode, Mode::Alert | Mode::Hiding);
    if matches!(h, Health::Susceptible | Health::Hambie) {
        // NOTE: every susceptible person and hambie in a place fights at full strength,
        // whatever they are doing (fleeing, hiding): whoever can be bitten there fights back.
        let bonus = fight_bonus(grouped, mode, b);
        c.fight_q = (pop.traits[i].fight * bonus * Q).round() as u32;
    }
    if h == Health::Hambie {
        // Zombies ignore hambies: they neither hear nor see them.
        return c;
    }
    let mut noise = b.human_noise as f32 * (1.0 - pop.traits[i].stealth);
    if grouped {
        noise *= 1.0 + b.group_noise as f32;
    }
    if mode == Mode::Hiding {
        noise *= b.hide_noise as f32;
    }
    c.noise_q = (noise * Q).round() as u32;
    c.routine = mode == Mode::Routine;
    c.visible = mode != Mode::Hiding;
    c
}

impl Occupancy {
    /// Counts a whole population into a world.
    pub fn new(world: &World, pop: &Population, b: &BehaviourParams) -> Self {
        let at: Vec<Tally> = (0..world.place_count())
            .map(|p| Tally {
                holds: holds(world, PlaceId(p as u32), b.crowd_per_way_m),
                ..Tally::default()
            })
            .collect();
        let mut occ = Self {
            head: vec![AgentId::NONE; at.len()],
            next: vec![AgentId::NONE; pop.len()],
            prev: vec![AgentId::NONE; pop.len()],
            calm: vec![1; at.len()],
            at,
            zones: vec![[0; STATES]; world.zone_count()],
            contrib: Vec::with_capacity(pop.len()),
            ..Self::default()
        };
        for i in 0..pop.len() {
            let c = contribution(i, pop, b);
            occ.apply(world, c, true);
            occ.contrib.push(c);
            occ.link(AgentId(i as u32), c.place);
        }
        occ.refresh(world, true);
        occ
    }

    fn link(&mut self, a: AgentId, p: PlaceId) {
        let h = self.head[p.index()];
        self.next[a.index()] = h;
        self.prev[a.index()] = AgentId::NONE;
        if h.is_some() {
            self.prev[h.index()] = a;
        }
        self.head[p.index()] = a;
    }

    fn unlink(&mut self, a: AgentId, p: PlaceId) {
        let (n, pr) = (self.next[a.index()], self.prev[a.index()]);
        if pr.is_none() {
            self.head[p.index()] = n;
        } else {
            self.next[pr.index()] = n;
        }
        if n.is_some() {
            self.prev[n.index()] = pr;
        }
    }

    /// Appends the agents at place `p` (as of the last flush) to `out`, in no particular
    /// order: callers that need an order sort.
    pub fn residents(&self, p: PlaceId, out: &mut Vec<AgentId>) {
        let mut a = self.head[p.index()];
        while a.is_some() {
            out.push(a);
            a = self.next[a.index()];
        }
    }

    /// Marks an agent as changed.
    #[inline]
    pub fn mark(&mut self, agent: AgentId) {
        self.dirty.push(agent);
    }

    fn apply(&mut self, world: &World, c: Contribution, add: bool) {
        let p = c.place.index();
        let op = |x: &mut u32, v: u32| {
            *x = if add {
                x.wrapping_add(v)
            } else {
                x.wrapping_sub(v)
            }
        };
        let d: i64 = if add { 1 } else { -1 };
        let h = c.health as usize;
        self.total[h] = (self.total[h] as i64 + d) as u64;
        if Health::ALL[h].off_map() {
            // NOTE: the evacuated and the reserve are out of the world: in the totals only,
            // in no place's census and no zone's count (they contribute nothing else).
            return;
        }
        let t = &mut self.at[p];
        op(&mut t.census[h], 1);
        op(&mut t.aware, u32::from(c.aware));
        op(&mut t.loners, u32::from(c.loner));
        op(&mut t.visible, u32::from(c.visible));
        op(&mut t.fight_q, c.fight_q);
        if c.routine {
            op(&mut t.routine_noise_q, c.noise_q);
        } else {
            op(&mut t.noise_q, c.noise_q);
        }
        for z in world.zones_of(c.place) {
            let v = &mut self.zones[z.index()][h];
            *v = (*v as i64 + d) as u64;
        }
        if c.health == Health::Zombie as u8 {
            for e in world.neighbours(c.place) {
                op(&mut self.at[e.to.index()].zombies_near, 1);
                self.touched.push(e.to);
            }
        }
        self.touched.push(c.place);
    }

    /// Recomputes `calm` and `zombie_places` for the places touched since the last refresh
    /// (or for all places).
    fn refresh(&mut self, world: &World, all: bool) {
        if all {
            self.touched = (0..world.place_count() as u32).map(PlaceId).collect();
            self.zombie_places.clear();
        }
        for &p in &self.touched {
            self.calm[p.index()] = u8::from(self.at[p.index()].calm());
        }
        let zombie = Health::Zombie as usize;
        let at = &self.at;
        self.zombie_places
            .retain(|&p| at[p.index()].census[zombie] > 0);
        let before = self.zombie_places.len();
        for &p in &self.touched {
            if at[p.index()].census[zombie] > 0
                && self.zombie_places[..before].binary_search(&p).is_err()
            {
                self.zombie_places.push(p);
            }
        }
        if self.zombie_places.len() > before {
            self.zombie_places.sort_unstable();
            self.zombie_places.dedup();
        }
        self.touched.clear();
    }

    /// Whether the tally equals a fresh count of the population (for tests).
    pub fn matches_recount(&self, world: &World, pop: &Population, b: &BehaviourParams) -> bool {
        let fresh = Occupancy::new(world, pop, b);
        let mut listed = 0;
        let mut here = Vec::new();
        for p in (0..self.at.len() as u32).map(PlaceId) {
            here.clear();
            self.residents(p, &mut here);
            listed += here.len();
            if here.iter().any(|&a| pop.place[a.index()] != p) {
                return false;
            }
        }
        listed == pop.len()
            && self.at == fresh.at
            && self.calm == fresh.calm
            && self.zombie_places == fresh.zombie_places
            && self.zones == fresh.zones
            && self.total == fresh.total
    }
}

/// Brings the tally up to date with every agent marked since the last flush. The sums are
/// integers, so the order of updates does not matter; an agent marked twice is a no-op the
/// second time. (Resident lists do come out in marking order, which is itself fixed; every
/// reader sorts them anyway.)
pub fn flush(occ: &mut Occupancy, world: &World, pop: &Population, b: &BehaviourParams) {
    let mut dirty = std::mem::take(&mut occ.dirty);
    for &a in &dirty {
        let i = a.index();
        let old = occ.contrib[i];
        let new = contribution(i, pop, b);
        if old != new {
            occ.apply(world, old, false);
            occ.apply(world, new, true);
            occ.contrib[i] = new;
            if old.place != new.place {
                occ.unlink(a, old.place);
                occ.link(a, new.place);
            }
        }
    }
    dirty.clear();
    occ.dirty = dirty;
    occ.refresh(world, false);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    #[test]
    fn a_flush_counts_the_marked_agents_where_they_are_now() {
        let world = testing::line(3);
        let mut pop = testing::population(&[
            (0, Health::Zombie, Mode::Alert),
            (2, Health::Susceptible, Mode::Routine),
        ]);
        let mut occ = testing::occupancy(&world, &pop);
        assert_eq!(occ.zombie_places, [PlaceId(0)]);
        assert_eq!(
            (occ.at[1].zombies_near, occ.calm[1], occ.calm[2]),
            (1, 0, 1)
        );
        pop.place[0] = PlaceId(1);
        pop.mode[1] = Mode::Alert;
        occ.mark(AgentId(0));
        occ.mark(AgentId(1));
        occ.mark(AgentId(0));
        testing::flush(&mut occ, &world, &pop);
        assert!(testing::tally_is_true(&occ, &world, &pop));
        assert_eq!(occ.zombie_places, [PlaceId(1)]);
        assert_eq!(occ.at[2].zombies_near, 1);
        assert_eq!((occ.at[2].aware, occ.at[2].loners), (1, 1));
        assert_eq!(occ.calm[..], [0, 0, 0]);
        let mut here = Vec::new();
        occ.residents(PlaceId(1), &mut here);
        assert_eq!(here, [AgentId(0)]);
        assert_eq!(occ.total[Health::Zombie as usize], 1);
    }
}
