//! World generators for outbreak. Each builds a [`World`] and
//! knows how its people live in it (homes and day places), so it also places a population.
//!
//! - [`campus`]: a university of buildings (floors, corridors, stairwells, rooms), paths,
//!   gates, dormitories, a library, and the streets beyond its gates.
//! - [`school`]: Hyosan High School (floors of classrooms, stairwells, a rooftop, a gym
//!   across the schoolyard) in the town of Hyosan, with the road out to the Quarantine Zone.
//! - [`lattice`]: a square lattice, one site a person (Alemi et al. 2015).
//! - [`city`]: a synthetic city of blocks of buildings on a street grid, for scale tests.
//! - [`districts`]: a city of districts (Seoul's 25 gu), each a street grid sized to its
//!   population at its real centre, joined by streets; a campus where the outbreak starts.
//! - [`osm`]: an OpenStreetMap extract (`.osm.pbf`): its walkable streets split at junctions,
//!   its buildings holding people by footprint (map data © OpenStreetMap contributors, ODbL).
//! - well-mixed: one place; see [`outbreak_engine::world::well_mixed_world`].

#![warn(missing_docs)]

pub mod campus;
pub mod city;
pub mod districts;
mod draft;
pub mod lattice;
pub mod osm;
pub mod people;
pub mod school;

use outbreak_engine::prelude::*;

/// Name of the off-map place where squads wait before they are deployed.
pub const STAGING: &str = "staging (off-map)";

/// Adds the off-map staging place every generated world has.
pub fn add_staging(b: &mut WorldBuilder) -> PlaceId {
    b.add_place(PlaceSpec {
        name: STAGING.into(),
        kind: PlaceKind::Staging,
        pos: [0.0, 0.0],
        capacity: u32::MAX,
        barricade_strength: 0.0,
        contact_scale: 0.0,
    })
}

/// Contact scale of a place of this capacity: rates per pair fall with the room's size,
/// `min(1, reference / capacity)`.
pub fn contact_scale(capacity: u32, reference_capacity: f64) -> f32 {
    (reference_capacity / f64::from(capacity.max(1))).min(1.0) as f32
}

/// Squared straight-line distance between two points of the plane: comparing distances
/// needs no square root.
pub(crate) fn dist2(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)
}

/// A generator's description that cannot be built.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum GenError {
    /// The generated places and ways do not make a valid world.
    #[error("{0}")]
    World(#[from] outbreak_engine::world::WorldError),
    /// A setting out of its range.
    #[error("`{key}` must be {allowed} (got {value})")]
    Setting {
        /// The scenario key of the setting, such as `world.side`.
        key: &'static str,
        /// The values it may take, in words.
        allowed: &'static str,
        /// The value given.
        value: String,
    },
}

/// One well-mixed place (an arena) of the given contact scale, plus the staging place.
pub fn well_mixed(contact_scale: f32) -> World {
    let mut b = outbreak_engine::world::well_mixed_builder(contact_scale);
    add_staging(&mut b);
    b.build().expect("a one-place world is valid")
}
