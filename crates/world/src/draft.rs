//! A world as a generator lays it out: the engine's [`WorldBuilder`] and the two things
//! every generator adds to it, places whose contact scale follows from their capacity (see
//! [`contact_scale`]) and routing cells numbered in turn.

use crate::contact_scale;
use outbreak_engine::prelude::*;

/// A world under construction.
pub(crate) struct Draft {
    /// The engine's builder: ways, zones, cells and gates go to it directly.
    pub b: WorldBuilder,
    /// Capacity of the place where bite and kill rates are as given (contact scale 1).
    reference_capacity: f64,
    /// Routing cells numbered so far.
    cells: u32,
}

impl Draft {
    /// An empty world whose places have contact scale 1 at `reference_capacity`.
    pub fn new(reference_capacity: f64) -> Self {
        Self {
            b: WorldBuilder::new(),
            reference_capacity,
            cells: 0,
        }
    }

    /// Adds a place holding `capacity` people whose door can be barricaded to strength
    /// `door` (0: it cannot).
    pub fn place(
        &mut self,
        name: String,
        kind: PlaceKind,
        pos: [f64; 2],
        capacity: u32,
        door: f32,
    ) -> PlaceId {
        self.b.add_place(PlaceSpec {
            name,
            kind,
            pos,
            capacity,
            barricade_strength: door,
            contact_scale: contact_scale(capacity, self.reference_capacity),
        })
    }

    /// Adds a place as [`Draft::place`] does and puts it in `zones`.
    pub fn place_in(
        &mut self,
        name: String,
        kind: PlaceKind,
        pos: [f64; 2],
        capacity: u32,
        door: f32,
        zones: &[ZoneId],
    ) -> PlaceId {
        let id = self.place(name, kind, pos, capacity, door);
        for &z in zones {
            self.b.put_in_zone(id, z);
        }
        id
    }

    /// The number of a new routing cell.
    pub fn next_cell(&mut self) -> u32 {
        self.cells += 1;
        self.cells - 1
    }

    /// Puts `places` in a new routing cell whose gate is `gate`, and in `zones`; returns the
    /// cell.
    pub fn enclose(&mut self, places: &[PlaceId], gate: PlaceId, zones: &[ZoneId]) -> u32 {
        let cell = self.next_cell();
        for &x in places {
            self.b.set_cell(x, cell);
        }
        self.b.set_gate(cell, gate);
        self.zone_all(places, zones);
        cell
    }

    /// Puts each of `places` in each of `zones`.
    pub fn zone_all(&mut self, places: &[PlaceId], zones: &[ZoneId]) {
        for &x in places {
            for &z in zones {
                self.b.put_in_zone(x, z);
            }
        }
    }
}
