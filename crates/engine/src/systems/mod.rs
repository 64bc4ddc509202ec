//! The systems of one tick, in the order [`crate::Simulation::step`] runs them. Each is a
//! free function that borrows only the columns it reads and writes.

pub mod authorities;
pub mod decide;
pub mod encounter;
pub mod fields;
pub mod groups;
pub mod occupancy;
pub mod sense;
pub mod turn;
