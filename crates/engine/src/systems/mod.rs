//! The systems of one tick, in the order [`crate::Simulation::step`] runs them. Each is a
//! free function that borrows only the columns it reads and writes.

pub mod apply;
pub mod authorities;
pub mod barricade;
pub mod decide;
pub mod encounter;
pub mod fields;
pub mod groups;
pub mod health;
pub mod interventions;
pub mod occupancy;
pub mod rescue;
pub mod sense;
pub mod squads;
pub mod trips;
pub mod turn;

/// The key of a tick's random streams: the run's seed and the tick being simulated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tick {
    /// The run's master seed.
    pub seed: u64,
    /// The tick being simulated (0: the set-up before the first step).
    pub tick: u32,
}

impl Tick {
    /// Tick `tick` of the run with seed `seed`.
    pub fn new(seed: u64, tick: u32) -> Self {
        Self { seed, tick }
    }
}
