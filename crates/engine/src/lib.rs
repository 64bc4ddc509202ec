//! The outbreak engine: a world of places and ways, a population stored as columns, and a
//! tick made of a fixed list of systems ([`systems`], timed in the [`stage::Stage`]s sense,
//! decide, encounter, apply, turn, occupancy, groups and authorities). No I/O: callers build
//! a [`Simulation`], call [`Simulation::step`], and read its columns, counts and events.
//!
//! Determinism: every random draw comes from a stream keyed by (seed, system, tick, agent)
//! (see [`rng`]); parallel stages write only their own agent's slot; conflicts are settled
//! by agent id. A run is therefore identical whatever the thread count.

#![warn(missing_docs)]

pub mod agents;
pub mod authority;
pub mod events;
mod hierarchy;
pub mod ids;
pub mod params;
pub mod rng;
pub mod sim;
pub mod stage;
pub mod state;
pub mod systems;
#[cfg(test)]
mod testing;
pub mod world;

pub use sim::Simulation;

/// The names most callers need.
pub mod prelude {
    pub use crate::agents::{AgentSpec, Health, Mode, Population, Role, Traits, ANCHORS, STATES};
    pub use crate::authority::{Action, Order, Trigger};
    pub use crate::events::{Event, EventKind, EventLog, Other};
    pub use crate::ids::{AgentId, GroupId, OrderId, PlaceId, WayId, ZoneId, NONE};
    pub use crate::params::{BehaviourParams, Latent, Params, RunParams, VirusParams};
    pub use crate::sim::{RestoreError, Simulation, Snapshot};
    pub use crate::stage::{Stage, Timings};
    pub use crate::world::{well_mixed_world, PlaceKind, PlaceSpec, World, WorldBuilder};
}
