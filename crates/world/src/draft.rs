//! A world as a generator lays it out: the engine's [`WorldBuilder`] and what every
//! generator adds to it, places whose contact scale follows from their capacity (see
//! [`contact_scale`]), routing cells numbered in turn, and the grids of ways that streets,
//! paths and lattices are.

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

    /// Joins a grid of `nx` × `ny` places, `at(x, y)`, each to its east and north
    /// neighbours by ways `length_m` long, row by row from the south-west.
    pub fn join_grid(&mut self, nx: u32, ny: u32, length_m: f32, at: impl Fn(u32, u32) -> PlaceId) {
        for y in 0..ny {
            for x in 0..nx {
                if x + 1 < nx {
                    self.b.add_way(at(x, y), at(x + 1, y), length_m);
                }
                if y + 1 < ny {
                    self.b.add_way(at(x, y), at(x, y + 1), length_m);
                }
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_take_their_contact_scale_from_their_capacity() {
        let mut g = Draft::new(40.0);
        let z = g.b.zone("hall");
        let room = g.place("room".into(), PlaceKind::Room, [0.0, 0.0], 10, 1.5);
        let hall = g.place_in("hall".into(), PlaceKind::Plaza, [9.0, 0.0], 400, 0.0, &[z]);
        g.b.add_way(room, hall, 9.0);
        let w = g.b.build().unwrap();
        assert_eq!(w.places.contact_scale[room.index()], 1.0);
        assert_eq!(w.places.contact_scale[hall.index()], 0.1);
        assert_eq!(w.places.barricade_strength[room.index()], 1.5);
        assert!(w.in_zone(hall, z) && !w.in_zone(room, z));
    }

    #[test]
    fn cells_are_numbered_in_turn_and_a_grid_joins_its_neighbours() {
        let mut g = Draft::new(40.0);
        let z = g.b.zone("grid");
        let at = |i: u32| [f64::from(i % 3), f64::from(i / 3)];
        let ids: Vec<PlaceId> = (0..6)
            .map(|i| g.place(format!("p{i}"), PlaceKind::Street, at(i), 10, 0.0))
            .collect();
        for (cell, &p) in ids.iter().enumerate() {
            assert_eq!(g.enclose(&[p], p, &[z]), cell as u32);
        }
        g.join_grid(3, 2, 7.0, |x, y| ids[(x + 3 * y) as usize]);
        let w = g.b.build().unwrap();
        // Two rows of two ways and three columns of one.
        assert_eq!(w.ways.len(), 7);
        assert_eq!(w.neighbours(ids[4]).len(), 3);
        assert!(w.neighbours(ids[0]).iter().all(|e| e.length_m == 7.0));
        assert_eq!(w.places_of(z).len(), 6);
        assert!(w.route(ids[0], ids[5], 10).is_some());
    }
}
