//! What the systems write besides the population and the tally: the dynamic state of
//! places and ways (barricades, rescue points, lures, cordons) and the running counters.

use crate::ids::ZoneId;
use crate::world::World;
use serde::{Deserialize, Serialize};

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
    pub(crate) rescue_left: Vec<f32>,
    pub lure: Vec<f32>,
    /// Tick at which each lure falls silent.
    pub(crate) lure_until: Vec<u32>,
    /// Per way: chance per attempt to get through a cordon; negative when open.
    pub way_leak: Vec<f32>,
    /// Active cordons: zone and per-attempt leak chance.
    pub cordons: Vec<(ZoneId, f32)>,
}

impl PlaceState {
    /// A world at rest: no barricades, rescue points, lures or cordons.
    pub fn new(world: &World) -> Self {
        let n = world.place_count();
        Self {
            barricade: vec![0.0; n],
            rescue_open: vec![false; n],
            rescue_per_tick: vec![0.0; n],
            rescue_left: vec![0.0; n],
            lure: vec![0.0; n],
            lure_until: vec![0; n],
            way_leak: vec![-1.0; world.ways.len()],
            cordons: Vec::new(),
        }
    }
}
