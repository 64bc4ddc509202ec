//! The simulation: the world, the population, the timeline, and the tick that runs the
//! systems over them in a fixed order.

use crate::agents::Population;
use crate::authority::Order;
use crate::events::EventLog;
use crate::ids::{AgentId, OrderId};
use crate::params::{Params, Rates};
use crate::stage::{Stage, Timings};
use crate::state::{Counters, PlaceState};
use crate::systems::apply::{self, Admission, MoveCtx};
use crate::systems::authorities::{self, OrderCtx, Schedule};
use crate::systems::decide::{self, DecideCtx, Intent};
use crate::systems::encounter::{self, EncounterParams, Encounters};
use crate::systems::fields::{self, Fields};
use crate::systems::groups::{self, Groups};
use crate::systems::interventions::{self, Interventions};
use crate::systems::occupancy::{self, Occupancy};
use crate::systems::sense::{self, SenseParams, Senses};
use crate::systems::trips;
use crate::systems::turn::{self, TurnQueue};
use crate::systems::{barricade, rescue, squads, Tick};
use crate::world::World;
use std::time::Instant;

mod settled;
pub mod snapshot;
// Downstream crates name the event types by their old home.
pub use crate::events::{Event, EventKind};
pub use snapshot::{RestoreError, Snapshot};

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
    /// The places, ways and zones (never changed by a run).
    pub world: World,
    /// Everyone in the world, as columns.
    pub pop: Population,
    /// Seed, clock, virus and behaviour.
    pub params: Params,
    /// The authorities' timeline, in order.
    pub orders: Vec<Order>,
    /// Barricades, rescue points, lures and cordons as they stand.
    pub places: PlaceState,
    /// Munz's quarantine and cure in force.
    pub interventions: Interventions,
    /// Running totals: cordon attempts, zombie steps, active agents, each order's effect.
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
    fields: Fields,
    /// Scratch: who began hiding this tick, and per place how many of them.
    hiding: Vec<AgentId>,
    hide_count: Vec<u32>,
    /// Scratch: the line at the doors of places that may be full.
    door: Admission,
    /// Each walker's trip plan, on maps routed by the contraction hierarchy.
    plans: trips::Plans,
    timing: Timings,
}

impl Simulation {
    /// Sets up a run at tick 0: schedules the initially infected, fires orders due at tick 0
    /// and counts the initial state.
    pub fn new(world: World, pop: Population, params: Params, orders: Vec<Order>) -> Self {
        let mut sim = Self {
            occ: Occupancy::new(&world, &pop, &params.behaviour),
            senses: Senses::new(&world),
            enc: Encounters::new(&world),
            groups: Groups::new(pop.len()),
            fields: Fields::new(&world),
            places: PlaceState::new(&world),
            hide_count: vec![0; world.place_count()],
            schedule: Schedule::new(&orders),
            counters: Counters::new(orders.len()),
            rates: Rates::new(&params),
            world,
            pop,
            params,
            orders,
            interventions: Interventions::default(),
            events: EventLog::new(0),
            tick: 0,
            intents: Vec::new(),
            turns: TurnQueue::default(),
            hiding: Vec::new(),
            door: Admission::default(),
            plans: Vec::new(),
            timing: Timings::default(),
        };
        turn::queue_initial(&mut sim.pop, &mut sim.turns, &sim.params);
        let b = &sim.params.behaviour;
        let orders = OrderCtx {
            world: &sim.world,
            orders: &sim.orders,
            behaviour: b,
            dt_hours: sim.rates.dt_hours,
            now: Tick::new(sim.params.run.seed, 0),
        };
        authorities::run(
            &mut sim.schedule,
            &mut sim.pop,
            &mut sim.occ,
            &mut sim.places,
            &mut sim.interventions,
            &mut sim.fields,
            &mut sim.groups,
            &mut sim.counters,
            &mut sim.events,
            &orders,
        );
        occupancy::flush(&mut sim.occ, &sim.world, &sim.pop, b);
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
    /// Whether the run has reached its duration, or, with `stop_when_settled`, has
    /// [`settled`](Self::settled).
    pub fn finished(&self) -> bool {
        self.tick >= self.params.run.duration_ticks
            || self.params.run.stop_when_settled && self.settled()
    }
    /// Whether the run has simulated its whole duration (a settled run stopped early has
    /// not).
    pub fn reached_duration(&self) -> bool {
        self.tick >= self.params.run.duration_ticks
    }
    /// The tick at whose end order `k` of the timeline fired, if it has.
    pub fn fired_at(&self, k: OrderId) -> Option<u32> {
        let i = k.index();
        (*self.schedule.fired.get(i)?).then(|| self.schedule.due[i])
    }
    /// How many walkers keep a trip plan now (on maps that plan trips; none elsewhere):
    /// plans are kept only while people walk a routine trip.
    pub fn planned_trips(&self) -> usize {
        self.plans.iter().filter(|p| p.is_some()).count()
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
    ///
    /// Trips are counted first (the schedule's hour turns before anyone decides).
    pub fn step(&mut self) {
        let t = self.tick + 1;
        let hour = self.hour_of_day(t);
        let before = self.hour_of_day(t - 1) as usize % 24;
        let Simulation {
            world,
            pop,
            params,
            orders,
            places,
            interventions: iv,
            counters,
            events: log,
            rates,
            occ,
            senses,
            enc,
            groups,
            intents,
            turns,
            schedule,
            fields,
            hiding,
            hide_count,
            door,
            plans,
            timing,
            ..
        } = self;
        let (world, params, rates) = (&*world, &*params, &*rates);
        let b = &params.behaviour;
        let now = Tick::new(params.run.seed, t);
        log.begin(t);
        let mut clock = Instant::now();
        trips::start(
            pop,
            world,
            b,
            before,
            hour as usize % 24,
            t == 1,
            &mut counters.trips,
        );

        // NOTE: sense, decide and encounter read only the state at the start of the tick;
        // apply commits what they decided.
        // NOTE: groups are tidied first so that leaders are known before anyone decides.
        groups::tidy(groups, pop, occ);
        let night = !(6.0..22.0).contains(&hour);
        let heard = SenseParams::new(b, night, &places.lure, &enc.fought);
        sense::run(senses, world, occ, &heard);
        fields::refresh(fields, world, occ, places, t);
        timing.lap(Stage::Sense, &mut clock);

        let ctx = DecideCtx {
            world,
            occ,
            senses,
            rescue: &fields.rescue,
            sweep: &fields.sweep,
            way_leak: &places.way_leak,
            barricade: &places.barricade,
            orders,
            behaviour: b,
            rates,
            seed: now.seed,
            tick: t,
            hour: hour as usize % 24,
        };
        decide::run(intents, plans, pop, &ctx);
        groups::follow_leaders(intents, pop, groups);
        timing.lap(Stage::Decide, &mut clock);

        let contact = EncounterParams::new(params, rates.dt_hours, t);
        encounter::run(enc, world, pop, occ, senses, &contact);
        timing.lap(Stage::Encounter, &mut clock);

        // NOTE: bites before kills before moves: one bitten and turned at once may be
        // destroyed in the same tick (the encounter's events are in time order within it);
        // a destroyed zombie does not move, a bitten person still does (they do not know yet).
        apply::bites(&enc.bites, pop, occ, turns, params, log, t);
        apply::kills(&enc.kills, pop, occ, log, t);
        let walk = MoveCtx {
            world,
            intents,
            senses,
            groups,
            dt_seconds: rates.dt_seconds as f32,
            dt_hours: rates.dt_hours as f32,
            zombie_speed_mps: b.zombie_speed_mps as f32,
            now,
            anchor_slot: b.schedule[hour as usize % 24] as usize,
            rescue: &fields.rescue,
            rescue_any: fields.rescue_any,
        };
        hiding.clear();
        apply::moves(pop, occ, places, counters, log, hiding, door, &walk);
        rescue::evacuate(pop, occ, places, counters, world, b, log, now);
        let full = b.barricade_full_group;
        barricade::build(
            hiding,
            pop,
            &mut places.barricade,
            hide_count,
            world,
            occ,
            full,
        );
        timing.lap(Stage::Apply, &mut clock);

        turn::run(turns, pop, occ, params.virus.hambie_fraction, log, now);
        // NOTE: rising is checked before natural deaths so nobody dies and rises in one tick.
        turn::rise(pop, occ, rates.rise_p, log, now);
        turn::natural_deaths(pop, occ, rates.death_p, log, now);
        interventions::run(iv, pop, occ, world, rates.dt_hours, log, now);
        timing.lap(Stage::Turn, &mut clock);

        occupancy::flush(occ, world, pop, b);
        timing.lap(Stage::Occupancy, &mut clock);

        let size = b.max_group_size;
        groups::form(groups, pop, occ, size, rates.join_p, now.seed, t);
        // NOTE: squads count their losses of this tick, after everything that can cause one.
        squads::run(orders, counters, pop, occ, log, t);
        timing.lap(Stage::Groups, &mut clock);

        let ctx = OrderCtx {
            world,
            orders,
            behaviour: b,
            dt_hours: rates.dt_hours,
            now,
        };
        authorities::run(
            schedule, pop, occ, places, iv, fields, groups, counters, log, &ctx,
        );
        occupancy::flush(occ, world, pop, b);
        timing.lap(Stage::Authorities, &mut clock);
        self.tick = t;
    }
}
