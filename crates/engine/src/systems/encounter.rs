//! Encounter: bites and kills in each place where awake zombies meet humans.
//!
//! In a place `p` with `Z` awake zombies and humans of total fighting strength `F`, the
//! tick is played out as the continuous-time process of mass action with competing events
//! (docs/tick.md): each susceptible person is bitten at rate `β·c_p·Z_free(τ)`, each zombie
//! destroyed at rate `κ·c_p·F(τ)`, where `c_p` is the place's contact scale and `τ` the time
//! within the tick. A zombie destroyed at `τ` bites no more after it; a person bitten at `τ`
//! fights no more after it, and one whose latent time is zero (and who will not be a hambie)
//! bites, and can be destroyed, from `τ` on. Each person and zombie draws one
//! unit-exponential threshold from its own stream and meets its event when the place's
//! accumulated hazard reaches it (the random-time-change form of the Markov process), so the
//! tick's outcome is exact for the process, whatever the tick's length, and each agent's
//! chances are independent of agent order. For one well-mixed place with `F = S` this is the
//! mass-action SZR model, with no bias from the tick.
//!
//! A bite takes time: after biting, a zombie is busy for the handling time `h`
//! ([`EncounterParams::handling_hours`]), carried across ticks; only free zombies bite
//! (`Z_free`). A zombie's mean rate in a crowd of `S` is Holling's type II, `β·c_p·S /
//! (1 + β·c_p·h·S)`, mass action where `β·c_p·h·S` is small, and no zombie ever bites two
//! people less than `h` apart. The biter is one of the place's free zombies at random; the
//! killer is one of its fighters at that moment, chosen in proportion to skill.
//!
//! In a world with [`World::neighbour_contact`] (Alemi's lattice) a place's contacts are
//! its own agents and those of its neighbours: Z counts the awake zombies of the place and
//! its neighbours, F the fighting strength there, so that each human–zombie pair across a
//! way meets as a pair within a place does. There every person and zombie draws once per
//! tick from the state at its start, `1 − exp(−rate·Δt)` (one person a site: rates per tick
//! are small), without handling time.

use crate::agents::{Health, Mode, Population};
use crate::ids::{AgentId, PlaceId, NONE};
use crate::params::{Latent, Params};
use crate::rng::{self, Stream};
use crate::systems::occupancy::Occupancy;
use crate::systems::sense::Senses;
use crate::world::World;
use rand::Rng;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// A bite or a kill: who, by whom, where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Strike {
    /// The person bitten, or the zombie destroyed.
    pub target: AgentId,
    /// The zombie that bit, or the fighter who destroyed the zombie (`AgentId::NONE` if no
    /// fighter's skill is above zero).
    pub by: AgentId,
    /// Where it happened.
    pub place: PlaceId,
}

/// Outcomes of the encounter system, plus its scratch.
#[derive(Clone, Debug, Default)]
pub struct Encounters {
    /// Susceptible people bitten, by victim id.
    pub bites: Vec<Strike>,
    /// Zombies destroyed, by zombie id.
    pub kills: Vec<Strike>,
    /// Zombies fought in each place this tick (they make noise).
    pub fought: Vec<f32>,
    /// Per place: its index in `places` this tick (`NONE`: not in it).
    slot: Vec<u32>,
    places: Vec<PlaceId>,
    /// (slot, agent) of everyone in the places of `places`.
    members: Vec<(u32, AgentId)>,
    here: Vec<AgentId>,
    zombies: Vec<AgentId>,
    fighters: Vec<(f32, AgentId)>,
    /// Zombies busy with a bite beyond the tick just simulated, by id: until when, in ticks
    /// (tick `t` spans `[t, t + 1)`). Carried to the next tick (and by checkpoints).
    handling: Vec<(AgentId, f64)>,
    /// Scratch: the zombies busy beyond this tick, as places find them.
    handled: Vec<(AgentId, f64)>,
    /// Scratch of the process within a tick (see [`Process`]).
    process: Process,
}

/// Scratch of one place's process within the tick, reused from place to place.
#[derive(Clone, Debug, Default)]
struct Process {
    /// (threshold, agent, fighter index or `NONE`) of the susceptible who may be bitten,
    /// ascending.
    victims: Vec<(f64, AgentId, u32)>,
    /// Zombies taking part: agent, whether destroyed, draws of its stream already taken.
    zombies: Vec<(AgentId, bool, u8)>,
    /// Local indices of the free zombies, and each zombie's position in it (`NONE`: busy or
    /// destroyed).
    free: Vec<u32>,
    slot: Vec<u32>,
    /// (time free again, local index), earliest first.
    busy: VecDeque<(f64, u32)>,
    /// (threshold, local index) of the zombies that may be destroyed, least first.
    doomed: BinaryHeap<Reverse<(Threshold, u32)>>,
    /// Fighters' skill weights, as a Fenwick tree (bitten fighters drop to zero).
    weights: Fenwick,
}

/// A unit-exponential threshold, ordered (never NaN).
#[derive(Clone, Copy, Debug)]
struct Threshold(f64);
impl PartialEq for Threshold {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}
impl Eq for Threshold {}
impl PartialOrd for Threshold {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Threshold {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Prefix sums of non-negative weights with point updates and sampling, O(log n) each.
#[derive(Clone, Debug, Default)]
struct Fenwick {
    tree: Vec<f64>,
    value: Vec<f64>,
}

impl Fenwick {
    fn reset(&mut self, weights: impl Iterator<Item = f64>) {
        self.value.clear();
        self.value.extend(weights);
        let n = self.value.len();
        self.tree.clear();
        self.tree.resize(n + 1, 0.0);
        for i in 0..n {
            let j = i + 1;
            self.tree[j] += self.value[i];
            let up = j + (j & j.wrapping_neg());
            if up <= n {
                let t = self.tree[j];
                self.tree[up] += t;
            }
        }
    }
    fn total(&self) -> f64 {
        let mut j = self.value.len();
        let mut sum = 0.0;
        while j > 0 {
            sum += self.tree[j];
            j &= j - 1;
        }
        sum
    }
    fn clear(&mut self, i: usize) {
        let w = std::mem::take(&mut self.value[i]);
        let mut j = i + 1;
        while j < self.tree.len() {
            self.tree[j] -= w;
            j += j & j.wrapping_neg();
        }
    }
    /// The index at which the prefix sum first exceeds `x` (clamped to the last non-zero).
    fn find(&self, mut x: f64) -> usize {
        let n = self.value.len();
        let mut pos = 0;
        let mut step = n.next_power_of_two();
        while step > 0 {
            let j = pos + step;
            if j <= n && self.tree[j] <= x {
                pos = j;
                x -= self.tree[j];
            }
            step >>= 1;
        }
        // Rounding may land on a cleared weight or past the end: take the nearest live one.
        let mut i = pos.min(n.saturating_sub(1));
        while i > 0 && self.value[i] <= 0.0 {
            i -= 1;
        }
        i
    }
}

impl Encounters {
    /// Sized for a world.
    pub fn new(world: &World) -> Self {
        Self {
            fought: vec![0.0; world.place_count()],
            slot: vec![NONE; world.place_count()],
            ..Self::default()
        }
    }

    /// Places where zombies were fought in the last tick, with how many: the one output of
    /// this system that the next tick reads (the noise of fights, in `sense`).
    pub fn fought_places(&self) -> Vec<(PlaceId, f32)> {
        (0..self.fought.len() as u32)
            .map(PlaceId)
            .zip(self.fought.iter().copied())
            .filter(|f| f.1 != 0.0)
            .collect()
    }

    /// Zombies still busy with a bite after the last tick, by id, with until when (in
    /// ticks): the other output of this system that the next tick reads.
    pub fn handling(&self) -> &[(AgentId, f64)] {
        &self.handling
    }

    /// Sized for a world, with the fights of the last tick as [`Encounters::fought_places`]
    /// gave them and the zombies busy with a bite as [`Encounters::handling`] gave them (the
    /// caller checks that the places and agents exist).
    pub fn with_fought(
        world: &World,
        fought: &[(PlaceId, f32)],
        handling: &[(AgentId, f64)],
    ) -> Self {
        let mut enc = Self::new(world);
        enc.handling = handling.to_vec();
        enc.handling.sort_by_key(|h| h.0);
        for &(q, n) in fought {
            enc.fought[q.index()] = n;
            // Listed so that the next run clears it, as it clears every place it fought in.
            enc.places.push(q);
        }
        enc
    }
}

/// Rates the encounter system needs.
pub struct EncounterParams {
    /// β: bites per zombie–susceptible pair per hour, at contact scale 1.
    pub bite_rate_per_hour: f64,
    /// κ: zombies destroyed per zombie–human pair per hour, for fighting skill 1.
    pub kill_rate_per_hour: f64,
    /// Factor on a group member's fighting skill.
    pub group_fight_bonus: f32,
    /// Factor on a deployed squad member's fighting skill.
    pub squad_fight_bonus: f32,
    /// Length of the tick in hours.
    pub dt_hours: f64,
    /// The run's master seed, key of the draws.
    pub seed: u64,
    /// The tick being simulated, key of the draws.
    pub tick: u32,
    /// Handling time `h` of a bite, in hours: a zombie that bites is busy this long.
    pub handling_hours: f64,
    /// Whether the bitten turn at once (a latent time of zero): they then bite, and can be
    /// destroyed, in the rest of the tick.
    pub turn_at_once: bool,
    /// Fraction of the bitten who turn into hambies (these never bite).
    pub hambie_fraction: f64,
}

impl EncounterParams {
    /// The virus's rates and the group bonus of `params`, for tick `tick` of `dt_hours`.
    pub fn new(params: &Params, dt_hours: f64, tick: u32) -> Self {
        Self {
            bite_rate_per_hour: params.virus.bite_rate_per_hour,
            kill_rate_per_hour: params.virus.kill_rate_per_hour,
            group_fight_bonus: params.behaviour.group_fight_bonus as f32,
            squad_fight_bonus: params.behaviour.squad_fight_bonus as f32,
            dt_hours,
            seed: params.run.seed,
            tick,
            handling_hours: params.virus.bite_handling_minutes / 60.0,
            turn_at_once: match params.virus.latent {
                Latent::Immediate => true,
                Latent::Fixed { minutes } => minutes <= 0.0,
                _ => false,
            },
            hambie_fraction: params.virus.hambie_fraction,
        }
    }
}

/// Decides the bites and kills of this tick from the state at its start.
pub fn run(
    enc: &mut Encounters,
    world: &World,
    pop: &Population,
    occ: &Occupancy,
    senses: &Senses,
    p: &EncounterParams,
) {
    enc.bites.clear();
    enc.kills.clear();
    // Bites handled up to the start of this tick are done; the destroyed and cured are free.
    let now = f64::from(p.tick);
    enc.handling
        .retain(|&(a, until)| until > now && pop.health[a.index()] == Health::Zombie);
    enc.handled.clear();
    for &q in &enc.places {
        enc.fought[q.index()] = 0.0;
        enc.slot[q.index()] = NONE;
    }
    enc.places.clear();
    let humans = |q: PlaceId| {
        let t = &occ.at[q.index()];
        t.census[Health::Susceptible as usize] > 0 || t.fight_q > 0
    };
    let add = |q: PlaceId, enc: &mut Encounters| {
        if enc.slot[q.index()] == NONE {
            enc.slot[q.index()] = enc.places.len() as u32;
            enc.places.push(q);
        }
    };
    for &q in &occ.zombie_places {
        if !senses.awake[q.index()] {
            continue;
        }
        if humans(q) {
            add(q, enc);
        }
        if world.neighbour_contact {
            for e in world.neighbours(q) {
                if humans(e.to) {
                    add(q, enc);
                    add(e.to, enc);
                }
            }
        }
    }
    // NOTE: places in id order, so the members below (grouped by place) are too.
    enc.places.sort_unstable();
    for (s, &q) in enc.places.iter().enumerate() {
        enc.slot[q.index()] = s as u32;
    }
    if enc.places.is_empty() {
        enc.handling.retain(|h| h.1 > now + 1.0);
        return;
    }
    // Gather the agents of these places, grouped by place, in id order within each place.
    // NOTE: members are grouped by place and in id order within a place, so draws and
    // picks do not depend on how the residents lists happen to be ordered.
    enc.members.clear();
    for (s, &q) in enc.places.iter().enumerate() {
        enc.here.clear();
        occ.residents(q, &mut enc.here);
        enc.here.sort_unstable();
        for &a in &enc.here {
            if pop.mode[a.index()] != Mode::Reserve {
                enc.members.push((s as u32, a));
            }
        }
    }
    let mut start = 0;
    while start < enc.members.len() {
        let s = enc.members[start].0;
        let end = start + enc.members[start..].iter().take_while(|m| m.0 == s).count();
        let q = enc.places[s as usize];
        place_encounter(enc, world, pop, occ, senses, p, q, start, end);
        start = end;
    }
    enc.bites.sort_by_key(|b| b.target);
    enc.kills.sort_by_key(|k| k.target);
    // Zombies that took part carry what the process left of their handling; the others,
    // away from any fight, carry theirs on.
    enc.handling.retain(|h| h.1 > now + 1.0);
    enc.handling.append(&mut enc.handled);
    enc.handling.sort_unstable_by_key(|h| h.0);
}

#[allow(clippy::too_many_arguments)]
fn place_encounter(
    enc: &mut Encounters,
    world: &World,
    pop: &Population,
    occ: &Occupancy,
    senses: &Senses,
    p: &EncounterParams,
    q: PlaceId,
    start: usize,
    end: usize,
) {
    let qi = q.index();
    let scale = f64::from(world.places.contact_scale[qi]);
    // The places whose agents meet this place's: itself, and its neighbours if the world
    // says so (their zombies only if awake), each's agents in id order.
    enc.zombies.clear();
    enc.fighters.clear();
    let mut total = 0.0f32;
    let mut strength = 0.0f32;
    // Awake zombies of this place itself: they make the fight's noise here.
    let mut own = 0u32;
    let contacts: &[crate::world::Edge] = if world.neighbour_contact {
        world.neighbours(q)
    } else {
        &[]
    };
    for r in std::iter::once(q).chain(contacts.iter().map(|e| e.to)) {
        let ri = r.index();
        strength += occ.at[ri].fight();
        let awake = senses.awake[ri];
        enc.here.clear();
        if r == q {
            enc.here.extend(enc.members[start..end].iter().map(|m| m.1));
        } else {
            occ.residents(r, &mut enc.here);
            enc.here.sort_unstable();
            enc.here.retain(|&a| pop.mode[a.index()] != Mode::Reserve);
        }
        for &a in &enc.here {
            let i = a.index();
            match pop.health[i] {
                Health::Zombie if awake => {
                    own += u32::from(r == q);
                    enc.zombies.push(a);
                }
                Health::Susceptible | Health::Hambie => {
                    // As the tally counts it (`occupancy::fight_bonus`).
                    let bonus = match (pop.group[i].is_some(), pop.mode[i].in_squad()) {
                        (true, true) => p.squad_fight_bonus,
                        (true, false) => p.group_fight_bonus,
                        (false, _) => 1.0,
                    };
                    let w = pop.traits[i].fight * bonus;
                    if w > 0.0 {
                        total += w;
                        enc.fighters.push((total, a));
                    }
                }
                _ => {}
            }
        }
    }
    enc.fought[qi] = own as f32;
    if !world.neighbour_contact {
        within_tick(enc, pop, p, q, start, end, scale, f64::from(strength));
        return;
    }
    let zombies = enc.zombies.len();
    let bite_p = -(-p.bite_rate_per_hour * scale * zombies as f64 * p.dt_hours).exp_m1();
    let kill_p = -(-p.kill_rate_per_hour * scale * f64::from(strength) * p.dt_hours).exp_m1();
    let members = &enc.members[start..end];
    for &(_, a) in members {
        let h = pop.health[a.index()];
        if h == Health::Susceptible && bite_p > 0.0 {
            let mut rng = rng::stream(p.seed, Stream::Encounter, p.tick, a.0);
            if rng.random::<f64>() < bite_p {
                let by = enc.zombies[rng.random_range(0..enc.zombies.len())];
                enc.bites.push(Strike {
                    target: a,
                    by,
                    place: q,
                });
            }
        } else if h == Health::Zombie && kill_p > 0.0 && senses.awake[qi] {
            // NOTE: a dormant zombie beside a fight (neighbour contact) is not fought.
            let mut rng = rng::stream(p.seed, Stream::Encounter, p.tick, a.0);
            if rng.random::<f64>() < kill_p {
                let pick = rng.random::<f32>() * total;
                let k = enc
                    .fighters
                    .partition_point(|f| f.0 <= pick)
                    .min(enc.fighters.len().saturating_sub(1));
                let by = enc.fighters.get(k).map_or(AgentId::NONE, |f| f.1);
                enc.kills.push(Strike {
                    target: a,
                    by,
                    place: q,
                });
            }
        }
    }
}

/// A unit-exponential draw.
#[inline]
fn exp1(rng: &mut impl Rng) -> f64 {
    -(1.0 - rng.random::<f64>()).ln()
}

/// The stream of agent `a` in this tick, past its first `skip` draws.
fn stream_after(p: &EncounterParams, a: AgentId, skip: u32) -> rand_pcg::Pcg64Mcg {
    let mut rng = rng::stream(p.seed, Stream::Encounter, p.tick, a.0);
    for _ in 0..skip {
        let _ = rng.random::<f64>();
    }
    rng
}

/// Plays out the tick in one well-mixed place as the continuous-time process of bites and
/// kills (the module docs): events in time order, each agent meeting its own at the
/// accumulated hazard of its own threshold. `strength` is the place's fighting strength at
/// the start; it falls in proportion to the skill of the fighters bitten.
#[allow(clippy::too_many_arguments)]
fn within_tick(
    enc: &mut Encounters,
    pop: &Population,
    p: &EncounterParams,
    q: PlaceId,
    start: usize,
    end: usize,
    scale: f64,
    strength: f64,
) {
    let Encounters {
        bites,
        kills,
        members,
        zombies,
        fighters,
        handling,
        handled,
        process: pr,
        ..
    } = enc;
    let dt = p.dt_hours;
    let beta = p.bite_rate_per_hour * scale;
    let kappa = p.kill_rate_per_hour * scale;
    let tick = f64::from(p.tick);
    let mut below = 0.0f32;
    pr.weights.reset(fighters.iter().map(|f| {
        let w = f.0 - below;
        below = f.0;
        f64::from(w.max(0.0))
    }));
    let w0 = pr.weights.total();
    let mut w_left = w0;
    // Strength only falls within the tick, so no zombie can be destroyed whose threshold is
    // above what the start's strength accumulates over the whole tick.
    let kill_bound = kappa * strength * dt;
    pr.zombies.clear();
    pr.free.clear();
    pr.slot.clear();
    pr.busy.clear();
    pr.doomed.clear();
    for &z in zombies.iter() {
        let j = pr.zombies.len() as u32;
        pr.zombies.push((z, false, 1));
        let free_at = match handling.binary_search_by_key(&z, |h| h.0) {
            Ok(k) => {
                let until = handling[k].1;
                // Taken up here: what is left of it is carried on below.
                handling[k].1 = f64::NEG_INFINITY;
                (until - tick) * dt
            }
            Err(_) => 0.0,
        };
        if free_at > 0.0 {
            pr.slot.push(NONE);
            pr.busy.push_back((free_at, j));
        } else {
            pr.slot.push(pr.free.len() as u32);
            pr.free.push(j);
        }
        if kill_bound > 0.0 {
            let k = exp1(&mut rng::stream(p.seed, Stream::Encounter, p.tick, z.0));
            if k < kill_bound {
                pr.doomed.push(Reverse((Threshold(k), j)));
            }
        }
    }
    pr.busy
        .make_contiguous()
        .sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    // Likewise no one can be bitten above what the most zombies there can be accumulate.
    let members = &members[start..end];
    let susceptible = members
        .iter()
        .filter(|m| pop.health[m.1.index()] == Health::Susceptible)
        .count();
    let most = zombies.len() + if p.turn_at_once { susceptible } else { 0 };
    let bite_bound = beta * most as f64 * dt;
    pr.victims.clear();
    let mut f = 0usize;
    for &(_, a) in members {
        let fighter = if fighters.get(f).is_some_and(|x| x.1 == a) {
            f += 1;
            (f - 1) as u32
        } else {
            NONE
        };
        if pop.health[a.index()] == Health::Susceptible && bite_bound > 0.0 {
            let e = exp1(&mut rng::stream(p.seed, Stream::Encounter, p.tick, a.0));
            if e < bite_bound {
                pr.victims.push((e, a, fighter));
            }
        }
    }
    pr.victims
        .sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    // NOTE: the events of the tick in time order; hazards are constant between events.
    let (mut tau, mut bitten, mut destroyed) = (0.0f64, 0.0f64, 0.0f64);
    let mut next = 0usize;
    loop {
        let bite_rate = beta * pr.free.len() as f64;
        let kill_rate = if w0 > 0.0 {
            kappa * strength * (w_left / w0).max(0.0)
        } else {
            kappa * strength
        };
        let tb = match pr.victims.get(next) {
            Some(v) if bite_rate > 0.0 => tau + (v.0 - bitten).max(0.0) / bite_rate,
            _ => f64::INFINITY,
        };
        let tk = match pr.doomed.peek() {
            Some(Reverse((k, _))) if kill_rate > 0.0 => {
                tau + (k.0 - destroyed).max(0.0) / kill_rate
            }
            _ => f64::INFINITY,
        };
        let tr = pr.busy.front().map_or(f64::INFINITY, |b| b.0);
        let at = tb.min(tk).min(tr);
        if at >= dt {
            break;
        }
        bitten += bite_rate * (at - tau);
        destroyed += kill_rate * (at - tau);
        tau = at;
        if tr <= tb && tr <= tk {
            // A zombie done with its bite is free again.
            let Some((_, j)) = pr.busy.pop_front() else {
                break;
            };
            if !pr.zombies[j as usize].1 {
                pr.slot[j as usize] = pr.free.len() as u32;
                pr.free.push(j);
            }
        } else if tb <= tk {
            let (_, a, fighter) = pr.victims[next];
            next += 1;
            let mut rng = stream_after(p, a, 1);
            let j = pr.free[rng.random_range(0..pr.free.len())];
            bites.push(Strike {
                target: a,
                by: pr.zombies[j as usize].0,
                place: q,
            });
            if p.handling_hours > 0.0 {
                unfree(pr, j);
                pr.busy.push_back((tau + p.handling_hours, j));
            }
            if fighter != NONE {
                w_left -= pr.weights.value[fighter as usize];
                pr.weights.clear(fighter as usize);
            }
            if p.turn_at_once && rng::unit(p.seed, Stream::Hambie, p.tick, a.0) >= p.hambie_fraction
            {
                // Turned at the bite: a zombie for the rest of the tick.
                let jn = pr.zombies.len() as u32;
                pr.zombies.push((a, false, 3));
                pr.slot.push(pr.free.len() as u32);
                pr.free.push(jn);
                let k = destroyed + exp1(&mut rng);
                if k < kill_bound {
                    pr.doomed.push(Reverse((Threshold(k), jn)));
                }
            }
        } else {
            let Some(Reverse((_, j))) = pr.doomed.pop() else {
                break;
            };
            let (z, _, skip) = pr.zombies[j as usize];
            pr.zombies[j as usize].1 = true;
            unfree(pr, j);
            let mut rng = stream_after(p, z, u32::from(skip));
            let by = if w_left > 0.0 {
                fighters[pr.weights.find(rng.random::<f64>() * w_left)].1
            } else {
                AgentId::NONE
            };
            kills.push(Strike {
                target: z,
                by,
                place: q,
            });
        }
    }
    // Zombies still busy at the end of the tick carry their bite into the next.
    for &(free_at, j) in &pr.busy {
        let (z, dead, _) = pr.zombies[j as usize];
        if !dead && free_at > dt {
            handled.push((z, tick + free_at / dt));
        }
    }
}

/// Takes local zombie `j` out of the free list (if in it).
fn unfree(pr: &mut Process, j: u32) {
    let s = pr.slot[j as usize];
    if s == NONE {
        return;
    }
    pr.free.swap_remove(s as usize);
    if let Some(&moved) = pr.free.get(s as usize) {
        pr.slot[moved as usize] = s;
    }
    pr.slot[j as usize] = NONE;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    /// The encounter in room 0 of `people`, with zombies awake or not.
    fn meet(people: &[(u32, Health, Mode)], awake: bool, bite: f64, kill: f64) -> Encounters {
        let world = testing::line(2);
        let pop = testing::population(people);
        let occ = testing::occupancy(&world, &pop);
        let mut senses = Senses::new(&world);
        senses.awake[0] = awake;
        let mut params = testing::params();
        params.virus.bite_rate_per_hour = bite;
        params.virus.kill_rate_per_hour = kill;
        let mut enc = Encounters::new(&world);
        let p = EncounterParams::new(&params, 1.0 / 60.0, 1);
        run(&mut enc, &world, &pop, &occ, &senses, &p);
        enc
    }

    fn crowd() -> Vec<(u32, Health, Mode)> {
        let mut people = vec![(0, Health::Zombie, Mode::Alert); 2];
        people.extend([(0, Health::Susceptible, Mode::Alert); 3]);
        people.push((0, Health::Hambie, Mode::Alert));
        people.push((1, Health::Susceptible, Mode::Alert));
        people
    }

    #[test]
    fn awake_zombies_bite_the_susceptible_of_their_place_by_agent() {
        let enc = meet(&crowd(), true, 1e6, 0.0);
        let bitten: Vec<u32> = enc.bites.iter().map(|b| b.target.0).collect();
        assert_eq!(
            bitten,
            [2, 3, 4],
            "every susceptible here, by id; not the hambie"
        );
        assert!(enc
            .bites
            .iter()
            .all(|b| b.by.0 < 2 && b.place == PlaceId(0)));
        assert!(enc.kills.is_empty());
        assert_eq!(
            enc.fought[0], 2.0,
            "two zombies fought: the next tick hears it"
        );
    }

    #[test]
    fn those_hiding_or_about_to_flee_fight_at_full_strength() {
        // At the start of the tick everyone here is in the encounter, whatever they then do:
        // a hider and an alert person (who may flee this tick) are bitten as anyone is, and
        // fight back as anyone does.
        let people = [
            (0, Health::Zombie, Mode::Alert),
            (0, Health::Susceptible, Mode::Hiding),
            (0, Health::Susceptible, Mode::Alert),
            (0, Health::Susceptible, Mode::Routine),
        ];
        let world = testing::line(2);
        let pop = testing::population(&people);
        let occ = testing::occupancy(&world, &pop);
        assert_eq!(occ.at[0].fight(), 3.0, "each counts their whole skill");
        let enc = meet(&people, true, 0.0, 1e6);
        assert_eq!(enc.kills.len(), 1);
        assert!((1..4).contains(&enc.kills[0].by.0));
        let only_hiders = [people[0], people[1]];
        let enc = meet(&only_hiders, true, 0.0, 1e6);
        assert_eq!(
            enc.kills[0].by,
            AgentId(1),
            "a hider alone destroys the zombie"
        );
        let enc = meet(&only_hiders, true, 1e6, 0.0);
        assert_eq!(enc.bites[0].target, AgentId(1), "as it can be bitten");
    }

    #[test]
    fn a_deployed_squad_fights_with_its_bonus() {
        // Two fighters of one squad and a civilian: the squad's skill counts twice over (the
        // default bonus), a lone fighter's once.
        let mut pop = testing::population(&[
            (0, Health::Zombie, Mode::Alert),
            (0, Health::Susceptible, Mode::Sweep),
            (0, Health::Susceptible, Mode::Sweep),
            (0, Health::Susceptible, Mode::Alert),
        ]);
        let world = testing::line(2);
        pop.group[1] = crate::ids::GroupId(1);
        pop.group[2] = crate::ids::GroupId(1);
        let occ = testing::occupancy(&world, &pop);
        let bonus = crate::params::BehaviourParams::default().squad_fight_bonus as f32;
        assert_eq!(occ.at[0].fight(), 2.0 * bonus + 1.0);
        pop.group[2] = crate::ids::GroupId::NONE;
        let occ = testing::occupancy(&world, &pop);
        assert_eq!(occ.at[0].fight(), bonus + 2.0);
    }

    #[test]
    fn fighters_destroy_zombies_and_dormant_zombies_meet_nobody() {
        let enc = meet(&crowd(), true, 0.0, 1e6);
        let killed: Vec<u32> = enc.kills.iter().map(|k| k.target.0).collect();
        assert_eq!(killed, [0, 1]);
        assert!(
            enc.kills.iter().all(|k| (2..6).contains(&k.by.0)),
            "by the fighters here"
        );
        let asleep = meet(&crowd(), false, 1e6, 1e6);
        assert!(asleep.bites.is_empty() && asleep.kills.is_empty());
    }
}
