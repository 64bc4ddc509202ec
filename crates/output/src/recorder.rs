//! The recorder: what a run folder needs from every tick, kept while the simulation runs.
//!
//! The engine keeps only the current state and the last tick's events, so the history
//! (counts per tick, world and zones, and the whole event log) is copied out here after
//! each tick. Zone counts are stored as `u32` in one flat array, row-major by tick: for
//! 60 zones × 4,321 ticks that is about 6 MB, small enough that every row is kept.

use outbreak_engine::prelude::*;
use serde::{Deserialize, Serialize};

use crate::mapdata::MapSnapshots;
use crate::replay::Replay;

/// The history of one run, fed tick by tick.
///
/// ```
/// use outbreak_engine::prelude::*;
/// use outbreak_output::Recorder;
/// let traits = Traits { walk_mps: 1.3, run_mps: 3.0, fight: 1.0, stealth: 0.0 };
/// let mut pop = Population::default();
/// for k in 0..20 {
///     let health = if k == 0 { Health::Zombie } else { Health::Susceptible };
///     pop.push(AgentSpec { place: PlaceId(0), health, role: Role::Civilian, mode: Mode::Alert,
///                          traits, anchors: None, name: None });
/// }
/// let params = Params::well_mixed(1, 1.0, 0.05, 0.02, 30);
/// let mut sim = Simulation::new(well_mixed_world(1.0), pop, params, vec![]);
/// let mut rec = Recorder::new(&sim);
/// sim.run_to_end(|sim| rec.observe(sim));
/// assert_eq!(rec.ticks().len(), 31);
/// assert!(rec.totals().iter().all(|row| row.iter().sum::<u64>() == 20));
/// ```
///
/// A recorder is saved whole in a checkpoint (it is `Serialize`), and a run resumed from it
/// goes on recording where it left off.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recorder {
    tick_minutes: f64,
    zone_count: usize,
    ticks: Vec<u32>,
    totals: Vec<[u64; STATES]>,
    zones: Vec<[u32; STATES]>,
    events: Vec<Event>,
    /// The label of each order event, in the order of the events: the timeline that fired
    /// it may not be the one the run ends with (a branch keeps its parent's history).
    order_labels: Vec<String>,
    missed: Option<(u32, u32)>,
    /// The counts by place at chosen ticks, when asked for ([`Recorder::with_map`]).
    map: Option<MapSnapshots>,
    /// Where everyone is at every tick, when asked for ([`Recorder::with_replay`]).
    replay: Option<Replay>,
}

impl Recorder {
    /// Starts recording a simulation and records its current tick (normally tick 0, whose
    /// events are the orders fired before the first step).
    pub fn new(sim: &Simulation) -> Self {
        let mut rec = Self {
            tick_minutes: sim.params.run.tick_minutes,
            zone_count: sim.world.zone_count(),
            ticks: Vec::new(),
            totals: Vec::new(),
            zones: Vec::new(),
            events: Vec::new(),
            order_labels: Vec::new(),
            missed: None,
            map: None,
            replay: None,
        };
        rec.observe(sim);
        rec
    }

    /// As [`Recorder::new`], also keeping the counts by place at these ticks (the run
    /// folder's map data; see [`crate::mapdata::map_ticks`]).
    pub fn with_map(sim: &Simulation, map_ticks: Vec<u32>) -> Self {
        let mut map = MapSnapshots::new(map_ticks);
        map.observe(sim);
        let mut rec = Self::new(sim);
        rec.map = Some(map);
        rec
    }

    /// This recorder, also keeping `replay` (which has seen the same tick) from now on.
    pub fn with_replay(mut self, replay: Replay) -> Self {
        self.replay = Some(replay);
        self
    }

    /// The replay kept so far, if asked for.
    pub fn replay(&self) -> Option<&Replay> {
        self.replay.as_ref()
    }

    /// The counts by place kept so far, if asked for.
    pub fn map_snapshots(&self) -> Option<&MapSnapshots> {
        self.map.as_ref()
    }

    /// Records the simulation's current tick: its counts and the events of its last tick.
    /// Call it after every [`Simulation::step`].
    ///
    /// A tick already recorded is ignored, so calling this twice is harmless. A tick skipped
    /// is remembered and makes [`write_run_folder`](crate::write_run_folder) fail with
    /// [`OutputError::MissedTicks`](crate::OutputError::MissedTicks), because its events are lost.
    pub fn observe(&mut self, sim: &Simulation) {
        let tick = sim.tick();
        if let Some(&last) = self.ticks.last() {
            if tick <= last {
                return;
            }
            if tick > last + 1 && self.missed.is_none() {
                self.missed = Some((last + 1, tick - 1));
            }
        }
        if let Some(map) = &mut self.map {
            map.observe(sim);
        }
        if let Some(replay) = &mut self.replay {
            replay.observe(sim);
        }
        let occ = sim.occupancy();
        self.ticks.push(tick);
        self.totals.push(occ.total);
        // The flat array must stay rectangular even if the caller swapped `sim.world`:
        // missing zones count as empty rather than panicking.
        for z in 0..self.zone_count {
            let counts = occ.zones.get(z).copied().unwrap_or_default();
            self.zones
                .push(counts.map(|c| u32::try_from(c).unwrap_or(u32::MAX)));
        }
        self.events.extend_from_slice(sim.events.as_slice());
        for e in sim.events.iter().filter(|e| e.kind == EventKind::Order) {
            let label = e
                .order()
                .and_then(|k| sim.orders.get(k.index()))
                .map(|o| o.label.clone());
            self.order_labels.push(label.unwrap_or_default());
        }
    }

    /// Ends the recording at the simulation's current tick, for a run cut short there: the
    /// map data then end as those of a run whose last tick it is (see
    /// [`MapSnapshots::end_at`]).
    pub fn end_at(&mut self, sim: &Simulation) {
        if let Some(map) = &mut self.map {
            map.end_at(sim);
        }
    }

    /// Minutes per tick of the recorded run.
    pub fn tick_minutes(&self) -> f64 {
        self.tick_minutes
    }

    /// Simulated minutes at a tick (the end of that tick).
    pub fn minutes(&self, tick: u32) -> f64 {
        f64::from(tick) * self.tick_minutes
    }

    /// Number of zones of the recorded world.
    pub fn zone_count(&self) -> usize {
        self.zone_count
    }

    /// The ticks recorded, ascending; row `r` of every table is tick `ticks()[r]`.
    pub fn ticks(&self) -> &[u32] {
        &self.ticks
    }

    /// Whole-world count of each state per recorded tick, in [`Health::ALL`] order.
    pub fn totals(&self) -> &[[u64; STATES]] {
        &self.totals
    }

    /// Count of each state in each zone at row `row`, indexed by zone id; empty when the
    /// row does not exist.
    pub fn zone_counts(&self, row: usize) -> &[[u32; STATES]] {
        let start = row.saturating_mul(self.zone_count);
        self.zones
            .get(start..start.saturating_add(self.zone_count))
            .unwrap_or(&[])
    }

    /// Every event recorded, in the order the engine emitted them (ascending tick).
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The labels of the order events, in the order of [`Recorder::events`]: the label of
    /// the order as it was when it fired.
    pub fn order_labels(&self) -> &[String] {
        &self.order_labels
    }

    /// The first run of ticks that was skipped (first, last), if any.
    pub fn missed_ticks(&self) -> Option<(u32, u32)> {
        self.missed
    }
}
