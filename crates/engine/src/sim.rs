//! The simulation: the world, the population, the timeline, and the tick.

use crate::agents::{flags, Health, Mode, Population};
use crate::authority::{Action, Order};
use crate::events::Other;
use crate::ids::{AgentId, GroupId, OrderId, PlaceId, ZoneId, NONE};
use crate::params::{chance, Params, Rates};
use crate::rng::{self, Stream};
use crate::systems::authorities::{self, Schedule};
use crate::systems::decide::{self, DecideCtx, Intent};
use crate::systems::encounter::{self, EncounterParams, Encounters};
use crate::systems::fields::{self, Field};
use crate::systems::groups::{self, Groups};
use crate::systems::occupancy::{self, Occupancy};
use crate::systems::sense::{self, SenseParams, Senses};
use crate::systems::turn::TurnQueue;
use crate::world::World;
use serde::{Deserialize, Serialize};

pub mod snapshot;
// Downstream crates name the event types by their old home.
pub use crate::events::{Event, EventKind, EventLog};
use crate::stage::{Stage, Timings};
pub use snapshot::{RestoreError, Snapshot};

/// Running totals that are not states: attempts at the cordon, moves of zombies.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counters {
    /// Zombies that reached a closed cordon way, and those of them that got through.
    pub cordon_zombie_attempts: u64,
    pub cordon_zombie_leaks: u64,
    /// Humans that reached a closed cordon way, and those of them that got through.
    pub cordon_human_attempts: u64,
    pub cordon_human_leaks: u64,
    /// Steps taken by zombies from one place to another.
    pub zombie_steps: u64,
    /// Agent-ticks of agents that did something (not dormant, dead, rescued or in reserve).
    pub active_agent_ticks: u64,
}

/// Dynamic state of places and ways.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlaceState {
    /// Barricade integrity in zombie-hours (0: open door).
    pub barricade: Vec<f32>,
    pub rescue_open: Vec<bool>,
    /// Evacuations per tick at each rescue point, and what is left of this tick's.
    pub rescue_per_tick: Vec<f32>,
    rescue_left: Vec<f32>,
    pub lure: Vec<f32>,
    lure_until: Vec<u32>,
    /// Per way: chance per attempt to get through a cordon; negative when open.
    pub way_leak: Vec<f32>,
    /// Active cordons: zone and per-attempt leak chance.
    pub cordons: Vec<(ZoneId, f32)>,
}

/// Munz's continuous interventions in force: per-tick chances, and the zone each applies in
/// (`None`: everywhere).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Interventions {
    pub quarantine_zone: Option<ZoneId>,
    /// Chance per tick that an infected person is taken into quarantine, and that a
    /// quarantined one is removed.
    pub quarantine_infected_p: f64,
    pub removal_p: f64,
    /// Rates per hour at which a zombie is taken into quarantine (σ) or cured (c): they
    /// compete, so their chances are formed together.
    pub quarantine_zombie_rate: f64,
    pub cure_zone: Option<ZoneId>,
    pub cure_rate: f64,
}

impl Interventions {
    fn active(&self) -> bool {
        self.quarantine_infected_p > 0.0
            || self.quarantine_zombie_rate > 0.0
            || self.removal_p > 0.0
            || self.cure_rate > 0.0
    }
}

/// A running simulation.
///
/// ```
/// use outbreak_engine::prelude::*;
/// let world = well_mixed_world(1.0);
/// let mut pop = Population::default();
/// let traits = Traits { walk_mps: 1.3, run_mps: 3.0, fight: 1.0, stealth: 0.0 };
/// for k in 0..100 {
///     let health = if k == 0 { Health::Zombie } else { Health::Susceptible };
///     pop.push(AgentSpec { place: PlaceId(0), health, role: Role::Civilian, mode: Mode::Alert,
///                          traits, anchors: None, name: None });
/// }
/// let params = Params::well_mixed(7, 1.0, 0.05, 0.02, 100);
/// let mut sim = Simulation::new(world, pop, params, vec![]);
/// sim.run_to_end(|_| {});
/// assert_eq!(sim.occupancy().total.iter().sum::<u64>(), 100);
/// ```
#[derive(Clone, Debug)]
pub struct Simulation {
    pub world: World,
    pub pop: Population,
    pub params: Params,
    pub orders: Vec<Order>,
    pub places: PlaceState,
    pub interventions: Interventions,
    pub counters: Counters,
    /// Events of the last tick (the caller drains them).
    pub events: EventLog,
    rates: Rates,
    tick: u32,
    occ: Occupancy,
    senses: Senses,
    enc: Encounters,
    groups: Groups,
    intents: Vec<Intent>,
    turns: TurnQueue,
    schedule: Schedule,
    rescue: Field,
    rescue_dirty: bool,
    sweep: Vec<(ZoneId, Field)>,
    sweep_stale: bool,
    scratch: Vec<AgentId>,
    hide_count: Vec<u32>,
    timing: Timings,
}

impl Simulation {
    /// Sets up a run at tick 0: schedules the initially infected, fires orders due at tick 0
    /// and counts the initial state.
    pub fn new(world: World, pop: Population, params: Params, orders: Vec<Order>) -> Self {
        let rates = Rates::new(&params);
        let n = pop.len();
        let places = PlaceState {
            barricade: vec![0.0; world.place_count()],
            rescue_open: vec![false; world.place_count()],
            rescue_per_tick: vec![0.0; world.place_count()],
            rescue_left: vec![0.0; world.place_count()],
            lure: vec![0.0; world.place_count()],
            lure_until: vec![0; world.place_count()],
            way_leak: vec![-1.0; world.ways.len()],
            cordons: Vec::new(),
        };
        let mut sim = Self {
            occ: Occupancy::new(&world, &pop, &params.behaviour),
            senses: Senses::new(&world),
            enc: Encounters::new(&world),
            groups: Groups::new(n),
            rescue: Field::new(&world),
            hide_count: vec![0; world.place_count()],
            schedule: Schedule::new(&orders),
            world,
            pop,
            params,
            orders,
            places,
            interventions: Interventions::default(),
            counters: Counters::default(),
            events: EventLog::new(0),
            rates,
            tick: 0,
            intents: Vec::new(),
            turns: TurnQueue::default(),
            rescue_dirty: false,
            sweep: Vec::new(),
            sweep_stale: false,
            scratch: Vec::new(),
            timing: Default::default(),
        };
        for a in (0..n as u32).map(AgentId) {
            let i = a.index();
            if sim.pop.health[i] == Health::Infected {
                if sim.pop.turn_tick[i] == NONE {
                    sim.pop.turn_tick[i] = sim.latent_ticks(0, a);
                }
                sim.pop.bitten_tick[i] = 0;
                sim.turns.push(sim.pop.turn_tick[i], a);
            }
        }
        sim.authorities(0);
        sim.flush();
        sim
    }

    /// The last tick simulated (0 before the first step).
    pub fn tick(&self) -> u32 {
        self.tick
    }
    /// Simulated minutes since the start.
    pub fn minutes(&self) -> f64 {
        f64::from(self.tick) * self.params.run.tick_minutes
    }
    /// Per-place and per-zone counts at the end of the last tick.
    pub fn occupancy(&self) -> &Occupancy {
        &self.occ
    }
    /// Whether the run has reached its duration.
    pub fn finished(&self) -> bool {
        self.tick >= self.params.run.duration_ticks
    }
    /// Wall time spent in each stage so far.
    pub fn timing(&self) -> &Timings {
        &self.timing
    }
    /// Hour of the day (0–24) at a tick.
    pub fn hour_of_day(&self, tick: u32) -> f64 {
        (self.params.run.start_hour + f64::from(tick) * self.rates.dt_hours).rem_euclid(24.0)
    }

    /// Steps until the duration, calling `each` after every tick. `events` holds that tick's
    /// events (each step clears them first; after [`Simulation::new`] they are tick 0's orders).
    pub fn run_to_end(&mut self, mut each: impl FnMut(&mut Self)) {
        while !self.finished() {
            self.step();
            each(self);
        }
    }

    /// Advances one tick. Never fails.
    pub fn step(&mut self) {
        let t = self.tick + 1;
        self.events.begin(t);
        let hour_f = self.hour_of_day(t);
        let night = !(6.0..22.0).contains(&hour_f);
        let b = self.params.behaviour.clone();
        let mut clock = std::time::Instant::now();

        // NOTE: groups are tidied first so that leaders are known before anyone decides.
        groups::tidy(&mut self.groups, &mut self.pop, &mut self.occ);
        let sense_params = SenseParams {
            hearing_range_m: b.hearing_range_m as f32,
            wake_threshold: b.wake_threshold as f32,
            sight: if night { b.sight_night } else { b.sight_day } as f32,
            night_factor: if night {
                b.night_noise_factor as f32
            } else {
                1.0
            },
            fight_noise: b.fight_noise as f32,
            lure: &self.places.lure,
            fought: &self.enc.fought,
        };
        sense::run(&mut self.senses, &self.world, &self.occ, &sense_params);
        self.refresh_fields(t);
        self.timing.lap(Stage::Sense, &mut clock);

        let ctx = DecideCtx {
            world: &self.world,
            occ: &self.occ,
            senses: &self.senses,
            rescue: &self.rescue,
            sweep: &self.sweep,
            way_leak: &self.places.way_leak,
            barricade: &self.places.barricade,
            behaviour: &self.params.behaviour,
            rates: &self.rates,
            seed: self.params.run.seed,
            tick: t,
            hour: hour_f as usize % 24,
        };
        decide::run(&mut self.intents, &self.pop, &ctx);
        groups::follow_leaders(&mut self.intents, &self.pop, &self.groups);
        self.timing.lap(Stage::Decide, &mut clock);

        let enc_params = EncounterParams {
            bite_rate_per_hour: self.params.virus.bite_rate_per_hour,
            kill_rate_per_hour: self.params.virus.kill_rate_per_hour,
            group_fight_bonus: b.group_fight_bonus as f32,
            dt_hours: self.rates.dt_hours,
            seed: self.params.run.seed,
            tick: t,
        };
        encounter::run(
            &mut self.enc,
            &self.world,
            &self.pop,
            &self.occ,
            &self.senses,
            &enc_params,
        );
        self.timing.lap(Stage::Encounter, &mut clock);

        self.apply(t);
        self.timing.lap(Stage::Apply, &mut clock);

        self.turn_and_vital(t);
        self.timing.lap(Stage::Turn, &mut clock);

        self.flush();
        self.timing.lap(Stage::Occupancy, &mut clock);

        groups::form(
            &mut self.groups,
            &mut self.pop,
            &mut self.occ,
            self.params.behaviour.max_group_size,
            self.rates.join_p,
            self.params.run.seed,
            t,
        );
        self.timing.lap(Stage::Groups, &mut clock);

        self.authorities(t);
        self.flush();
        self.timing.lap(Stage::Authorities, &mut clock);
        self.tick = t;
    }

    fn latent_ticks(&self, t: u32, agent: AgentId) -> u32 {
        let mut rng = rng::stream(self.params.run.seed, Stream::Turn, t, agent.0);
        let minutes = self.params.virus.latent.sample_minutes(&mut rng);
        let ticks = (minutes / self.params.run.tick_minutes).ceil();
        t.saturating_add(ticks.clamp(0.0, f64::from(u32::MAX / 2)) as u32)
    }

    /// Brings the per-place tally up to date with every agent changed since the last flush.
    fn flush(&mut self) {
        occupancy::flush(
            &mut self.occ,
            &self.world,
            &self.pop,
            &self.params.behaviour,
        );
    }

    /// Squads get a fresh picture of where the zombies are every this many ticks.
    const SWEEP_REFRESH_TICKS: u32 = 5;

    fn refresh_fields(&mut self, t: u32) {
        if self.rescue_dirty {
            let open = &self.places.rescue_open;
            let leak = &self.places.way_leak;
            let targets = (0..open.len() as u32)
                .map(PlaceId)
                .filter(|&p| open[p.index()]);
            fields::compute(&mut self.rescue, &self.world, targets, |w| leak[w] >= 0.0);
            self.rescue_dirty = false;
        }
        if !self.sweep_stale && !t.is_multiple_of(Self::SWEEP_REFRESH_TICKS) {
            return;
        }
        self.sweep_stale = false;
        for (zone, field) in &mut self.sweep {
            let z = *zone;
            let world = &self.world;
            let targets = self
                .occ
                .zombie_places
                .iter()
                .copied()
                .filter(|&p| world.in_zone(p, z));
            fields::compute(field, world, targets, |_| false);
        }
    }

    fn set_health(&mut self, a: AgentId, h: Health, t: u32) {
        self.occ.mark(a);
        let i = a.index();
        self.pop.health[i] = h;
        self.pop.fate_tick[i] = t;
        if !h.is_human() {
            // The dead and the undead keep no duty, group or heading.
            self.pop.mode[i] = Mode::Alert;
            self.pop.task[i] = ZoneId::NONE;
            self.pop.group[i] = GroupId::NONE;
        }
    }

    fn apply(&mut self, t: u32) {
        let seed = self.params.run.seed;
        // NOTE: kills before bites before moves: a destroyed zombie does not move, a
        // bitten person still does (they do not know yet).
        for k in 0..self.enc.kills.len() {
            let s = self.enc.kills[k];
            self.set_health(s.target, Health::Dead, t);
            self.events
                .push(EventKind::Destroyed, s.target, Other::agent(s.by), s.place);
        }
        for k in 0..self.enc.bites.len() {
            let s = self.enc.bites[k];
            self.set_health(s.target, Health::Infected, t);
            let a = s.target.index();
            self.pop.bitten_tick[a] = t;
            self.pop.turn_tick[a] = self.latent_ticks(t, s.target);
            self.turns.push(self.pop.turn_tick[a], s.target);
            self.events
                .push(EventKind::Bite, s.target, Other::agent(s.by), s.place);
        }
        let dt_s = self.rates.dt_seconds as f32;
        let dt_h = self.rates.dt_hours as f32;
        let zombie_speed = self.params.behaviour.zombie_speed_mps as f32;
        self.scratch.clear();
        let mut active = 0u64;
        for i in 0..self.pop.len() {
            let a = AgentId(i as u32);
            let h = self.pop.health[i];
            if matches!(h, Health::Dead | Health::Rescued | Health::Quarantined) {
                continue;
            }
            let it = self.intents[i];
            let human = h.is_human();
            if human {
                let mode = self.pop.mode[i];
                if it.next.is_none()
                    && it.mode == mode
                    && !it.threatened
                    && self.pop.heading[i].is_none()
                {
                    // Idle: nothing to change, nothing to read.
                    if mode != Mode::Routine && mode != Mode::Reserve {
                        active += 1;
                    }
                    continue;
                }
                active += 1;
                if it.threatened {
                    self.pop.flags[i] |= flags::THREATENED;
                }
                if it.mode != mode {
                    if it.mode == Mode::Hiding {
                        self.scratch.push(a);
                    }
                    self.pop.mode[i] = it.mode;
                    self.occ.mark(a);
                }
            } else if it.next.is_none() && self.pop.heading[i].is_none() {
                active += u64::from(self.senses.awake[self.pop.place[i].index()]);
                continue;
            } else {
                active += 1;
            }
            let at = self.pop.place[i];
            if it.next.is_none() || it.next == at {
                self.pop.heading[i] = PlaceId::NONE;
                self.pop.progress_m[i] = 0.0;
            } else if let Some(e) = self
                .world
                .neighbours(at)
                .iter()
                .find(|e| e.to == it.next)
                .copied()
            {
                let q = e.to.index();
                if !human && self.places.barricade[q] > 0.0 {
                    // One zombie breaks one zombie-hour of barricade per hour.
                    self.places.barricade[q] = (self.places.barricade[q] - dt_h).max(0.0);
                    self.pop.heading[i] = PlaceId::NONE;
                    self.pop.progress_m[i] = 0.0;
                } else {
                    let pace = if human { self.pace(i) } else { zombie_speed };
                    let walked = if self.pop.heading[i] == it.next {
                        self.pop.progress_m[i] + pace * dt_s
                    } else {
                        pace * dt_s
                    };
                    if walked < e.length_m {
                        self.pop.heading[i] = it.next;
                        self.pop.progress_m[i] = walked;
                    } else if self.cross(i, e.way.index(), human, t, seed) {
                        self.pop.heading[i] = PlaceId::NONE;
                        self.pop.progress_m[i] = 0.0;
                        self.pop.place[i] = e.to;
                        self.occ.mark(a);
                        if !human {
                            self.counters.zombie_steps += 1;
                        }
                    } else {
                        // Turned back at a cordon: wait at the end of the way and try again
                        // next tick, so the leak is a rate per hour of pushing.
                        self.pop.heading[i] = it.next;
                        self.pop.progress_m[i] = e.length_m;
                    }
                }
            }
        }
        self.counters.active_agent_ticks += active;
        self.evacuate(t);
        // Barricades: everyone who began hiding in a place this tick builds together.
        let full = self.params.behaviour.barricade_full_group.max(1) as f32;
        for k in 0..self.scratch.len() {
            let p = self.pop.place[self.scratch[k].index()].index();
            self.hide_count[p] += 1;
        }
        for k in 0..self.scratch.len() {
            let a = self.scratch[k].index();
            let p = self.pop.place[a].index();
            let n = self.hide_count[p];
            self.pop.flags[a] |= if n >= 2 {
                flags::HID_IN_GROUP
            } else {
                flags::HID_ALONE
            };
            let strength = self.world.places.barricade_strength[p] * (n as f32 / full).min(1.0);
            self.places.barricade[p] = self.places.barricade[p].max(strength);
        }
        for k in 0..self.scratch.len() {
            let p = self.pop.place[self.scratch[k].index()].index();
            self.hide_count[p] = 0;
        }
    }

    /// Evacuates the people waiting at open rescue points, up to each point's throughput.
    /// The line is drawn afresh every tick (a random order keyed by tick and agent), so
    /// nobody is always first. The bitten are screened out and stay where they are.
    fn evacuate(&mut self, t: u32) {
        if !self.places.rescue_open.iter().any(|&o| o) {
            return;
        }
        for p in 0..self.places.rescue_open.len() {
            if self.places.rescue_open[p] {
                // Unused capacity does not carry over beyond one tick's worth.
                let per = self.places.rescue_per_tick[p];
                self.places.rescue_left[p] = self.places.rescue_left[p].min(1.0) + per;
            }
        }
        // The residents lists must include this tick's arrivals.
        self.flush();
        let start = rng::mix64(self.params.run.seed ^ rng::mix64(u64::from(t)));
        let mut queue = Vec::new();
        for p in 0..self.places.rescue_open.len() {
            if !self.places.rescue_open[p] {
                continue;
            }
            let mut here = Vec::new();
            self.occ.residents(PlaceId(p as u32), &mut here);
            // A fair line: a fresh random order every tick, from a key per (tick, agent).
            here.sort_unstable_by_key(|&a| (rng::mix64(start ^ rng::mix64(u64::from(a.0))), a));
            queue.extend(here);
        }
        let mut rescued = Vec::new();
        for a in queue {
            let i = a.index();
            let p = self.pop.place[i].index();
            // NOTE: the army screens: the bitten are turned away (and wait at the gate).
            if self.places.rescue_left[p] < 1.0
                || !matches!(self.pop.health[i], Health::Susceptible | Health::Hambie)
                || matches!(self.pop.mode[i], Mode::Reserve | Mode::Sweep)
            {
                continue;
            }
            self.places.rescue_left[p] -= 1.0;
            self.set_health(a, Health::Rescued, t);
            rescued.push((a, self.pop.place[i]));
        }
        // NOTE: rescue events are logged by agent id within a tick, whatever order people
        // left in.
        rescued.sort_unstable();
        for (a, p) in rescued {
            self.events.push(EventKind::Rescue, a, Other::NONE, p);
        }
    }

    /// Walking or running speed; group members keep their leader's pace.
    fn pace(&self, i: usize) -> f32 {
        let who = self.groups.leader_of(&self.pop, AgentId(i as u32));
        let tr = self.pop.traits[who.index()];
        if self.pop.mode[i] == Mode::Routine {
            tr.walk_mps
        } else {
            tr.run_mps
        }
    }

    /// Whether agent `i` gets across way `w` (closed ways leak; deployed fighters pass).
    fn cross(&mut self, i: usize, w: usize, human: bool, t: u32, seed: u64) -> bool {
        let leak = self.places.way_leak[w];
        if leak < 0.0 || self.pop.mode[i] == Mode::Sweep {
            return true;
        }
        let through = rng::unit(seed, Stream::Cordon, t, i as u32) < f64::from(leak);
        let c = &mut self.counters;
        if human {
            c.cordon_human_attempts += 1;
            c.cordon_human_leaks += u64::from(through);
        } else {
            c.cordon_zombie_attempts += 1;
            c.cordon_zombie_leaks += u64::from(through);
        }
        if through {
            let place = self.pop.place[i];
            self.events
                .push(EventKind::CordonLeak, AgentId(i as u32), Other::NONE, place);
        }
        through
    }

    fn turn_and_vital(&mut self, t: u32) {
        let seed = self.params.run.seed;
        let mut due = std::mem::take(&mut self.scratch);
        self.turns.due(t, &self.pop.health, &mut due);
        for &a in &due {
            let hambie =
                rng::unit(seed, Stream::Hambie, t, a.0) < self.params.virus.hambie_fraction;
            let (h, kind) = if hambie {
                (Health::Hambie, EventKind::TurnHambie)
            } else {
                (Health::Zombie, EventKind::Turn)
            };
            self.set_health(a, h, t);
            self.pop.group[a.index()] = GroupId::NONE;
            self.pop.mode[a.index()] = Mode::Alert;
            let place = self.pop.place[a.index()];
            self.events.push(kind, a, Other::NONE, place);
        }
        self.scratch = due;
        // NOTE: rising is checked before natural deaths so nobody dies and rises in one tick.
        if self.rates.rise_p > 0.0 {
            for i in 0..self.pop.len() {
                if self.pop.health[i] == Health::Dead
                    && rng::unit(seed, Stream::Vital, t, i as u32) < self.rates.rise_p
                {
                    let a = AgentId(i as u32);
                    self.set_health(a, Health::Zombie, t);
                    let place = self.pop.place[i];
                    self.events.push(EventKind::Rise, a, Other::NONE, place);
                }
            }
        }
        if self.rates.death_p > 0.0 {
            for i in 0..self.pop.len() {
                // Munz's δ takes the susceptible and the infected (SIZR's δI) alike.
                if matches!(self.pop.health[i], Health::Susceptible | Health::Infected)
                    && self.pop.fate_tick[i] != t
                    && rng::unit(seed, Stream::Vital, t, i as u32) < self.rates.death_p
                {
                    let a = AgentId(i as u32);
                    self.set_health(a, Health::Dead, t);
                    let place = self.pop.place[i];
                    self.events
                        .push(EventKind::NaturalDeath, a, Other::NONE, place);
                }
            }
        }
        if self.interventions.active() {
            self.intervene(t);
        }
    }

    /// Munz's quarantine and cure, for one tick. Each agent draws once from its own stream;
    /// a zombie's one draw decides between quarantine and cure (competing chances).
    fn intervene(&mut self, t: u32) {
        let seed = self.params.run.seed;
        let iv = self.interventions;
        let within = |world: &World, p: PlaceId, zone: Option<ZoneId>| {
            zone.is_none_or(|z| world.in_zone(p, z))
        };
        for i in 0..self.pop.len() {
            let h = self.pop.health[i];
            if !matches!(h, Health::Infected | Health::Zombie | Health::Quarantined)
                || self.pop.fate_tick[i] == t
            {
                continue;
            }
            let place = self.pop.place[i];
            let quarantine = within(&self.world, place, iv.quarantine_zone);
            let u = rng::unit(seed, Stream::Intervention, t, i as u32);
            let change = match h {
                Health::Infected if quarantine && u < iv.quarantine_infected_p => {
                    Some((Health::Quarantined, EventKind::Quarantine))
                }
                Health::Zombie => {
                    // Competing clocks: leave Z at σ + c, then go to Q with odds σ : c.
                    let q = if quarantine {
                        iv.quarantine_zombie_rate
                    } else {
                        0.0
                    };
                    let c = if within(&self.world, place, iv.cure_zone) {
                        iv.cure_rate
                    } else {
                        0.0
                    };
                    let leave = chance(q + c, self.rates.dt_hours);
                    if u < leave * q / (q + c).max(f64::MIN_POSITIVE) {
                        Some((Health::Quarantined, EventKind::Quarantine))
                    } else if u < leave {
                        Some((Health::Susceptible, EventKind::Cure))
                    } else {
                        None
                    }
                }
                Health::Quarantined if u < iv.removal_p => {
                    Some((Health::Dead, EventKind::QuarantineDeath))
                }
                _ => None,
            };
            if let Some((to, kind)) = change {
                let a = AgentId(i as u32);
                self.set_health(a, to, t);
                self.events.push(kind, a, Other::NONE, place);
            }
        }
    }

    /// Fires the orders due at the end of tick `t`; returns whether any changed who is where.
    fn authorities(&mut self, t: u32) -> bool {
        let mut fire = Vec::new();
        authorities::due(&mut self.schedule, &self.orders, &self.occ, t, &mut fire);
        for p in 0..self.places.lure.len() {
            if self.places.lure[p] > 0.0 && self.places.lure_until[p] <= t {
                self.places.lure[p] = 0.0;
            }
        }
        let mut moved = false;
        for k in fire {
            self.events.push(
                EventKind::Order,
                AgentId::NONE,
                Other::order(k),
                PlaceId::NONE,
            );
            let action = self.orders[k.index()].action.clone();
            moved |= self.fire(action, t, k);
        }
        moved
    }

    /// Carries out order number `k` at the end of tick `t`.
    fn fire(&mut self, action: Action, t: u32, k: OrderId) -> bool {
        // Each order draws from its own streams: two strikes in one tick are independent.
        let seed = rng::mix64(self.params.run.seed ^ rng::mix64(u64::from(k.0) + 1));
        match action {
            Action::Cordon {
                zone,
                leak_per_hour,
            } => {
                let leak = chance(leak_per_hour, self.rates.dt_hours) as f32;
                self.places.cordons.push((zone, leak));
                self.reset_cordons();
                false
            }
            Action::LiftCordon { zone } => {
                self.places.cordons.retain(|c| c.0 != zone);
                self.reset_cordons();
                false
            }
            Action::OpenRescue { place, per_hour } => {
                self.places.rescue_open[place.index()] = true;
                self.places.rescue_per_tick[place.index()] =
                    (per_hour * self.rates.dt_hours) as f32;
                self.places.rescue_left[place.index()] = 0.0;
                self.rescue_dirty = true;
                false
            }
            Action::CloseRescue { place } => {
                self.places.rescue_open[place.index()] = false;
                self.rescue_dirty = true;
                false
            }
            Action::Lure {
                place,
                loudness,
                duration_ticks,
            } => {
                self.places.lure[place.index()] = loudness as f32;
                self.places.lure_until[place.index()] = t.saturating_add(duration_ticks);
                false
            }
            Action::Squad {
                members,
                entry,
                zone,
            } => {
                for a in members {
                    let i = a.index();
                    if self.pop.mode[i] == Mode::Reserve && self.pop.health[i].is_human() {
                        self.pop.place[i] = entry;
                        self.pop.mode[i] = Mode::Sweep;
                        self.occ.mark(a);
                        self.pop.task[i] = zone;
                        self.events.push(EventKind::Deploy, a, Other::NONE, entry);
                    }
                }
                if !self.sweep.iter().any(|s| s.0 == zone) {
                    self.sweep.push((zone, Field::new(&self.world)));
                }
                self.sweep_stale = true;
                true
            }
            Action::Strike {
                zone,
                kill_fraction,
            } => {
                for a in self.zone_residents(zone) {
                    let i = a.index();
                    let h = self.pop.health[i];
                    if matches!(h, Health::Dead | Health::Rescued)
                        || self.pop.mode[i] == Mode::Reserve
                    {
                        continue;
                    }
                    let p = self.pop.place[i];
                    if rng::unit(seed, Stream::Authorities, t, a.0) < kill_fraction {
                        self.set_health(a, Health::Dead, t);
                        self.events.push(EventKind::StrikeDeath, a, Other::NONE, p);
                    }
                }
                true
            }
            Action::Quarantine {
                zone,
                infected_per_hour,
                zombies_per_hour,
                removal_per_hour,
            } => {
                let dt = self.rates.dt_hours;
                let iv = &mut self.interventions;
                iv.quarantine_zone = zone;
                iv.quarantine_infected_p = chance(infected_per_hour, dt);
                iv.quarantine_zombie_rate = zombies_per_hour;
                iv.removal_p = chance(removal_per_hour, dt);
                false
            }
            Action::Cure { zone, per_hour } => {
                self.interventions.cure_zone = zone;
                self.interventions.cure_rate = per_hour;
                false
            }
            Action::Eradicate {
                zone,
                kill_fraction,
            } => {
                let targets = match zone {
                    Some(z) => self.zone_residents(z),
                    None => (0..self.pop.len() as u32).map(AgentId).collect(),
                };
                for a in targets {
                    let i = a.index();
                    if self.pop.health[i] != Health::Zombie {
                        continue;
                    }
                    if rng::unit(seed, Stream::Authorities, t, a.0) < kill_fraction {
                        self.set_health(a, Health::Dead, t);
                        self.events
                            .push(EventKind::Eradicated, a, Other::NONE, self.pop.place[i]);
                    }
                }
                true
            }
            Action::Alarm { zone } => {
                for a in self.zone_residents(zone) {
                    let i = a.index();
                    if self.pop.mode[i] == Mode::Routine && self.pop.health[i].is_human() {
                        self.pop.mode[i] = Mode::Alert;
                        self.occ.mark(a);
                    }
                }
                true
            }
        }
    }

    /// Everyone in a zone now, in id order.
    fn zone_residents(&mut self, zone: ZoneId) -> Vec<AgentId> {
        self.flush();
        let mut all = Vec::new();
        for &p in self.world.places_of(zone) {
            self.occ.residents(p, &mut all);
        }
        all.sort_unstable();
        all
    }

    fn reset_cordons(&mut self) {
        self.places.way_leak.iter_mut().for_each(|l| *l = -1.0);
        for &(zone, leak) in &self.places.cordons {
            for (w, &(a, b)) in self.world.ways.iter().enumerate() {
                if self.world.in_zone(a, zone) != self.world.in_zone(b, zone) {
                    let l = &mut self.places.way_leak[w];
                    *l = if *l < 0.0 { leak } else { l.min(leak) };
                }
            }
        }
        self.rescue_dirty = true;
    }
}
