//! A square lattice of sites, one person a site (Alemi et al. 2015): each site joined to its
//! four neighbours by a way of one lattice spacing. Every site is its own routing cell; the
//! lattice has no routes (its people have no routine). With `neighbour_contact`, humans and
//! zombies on neighbouring sites meet as a pair in one place does: Alemi's bites and kills
//! across the lattice's bonds.

use crate::{add_staging, GenError};
use outbreak_engine::prelude::*;

/// A generated lattice.
#[derive(Clone, Debug)]
pub struct Lattice {
    pub world: World,
    pub side: u32,
    /// The zone of the sites on the lattice's edge.
    pub edge: ZoneId,
}

impl Lattice {
    /// The site at column `x`, row `y`.
    pub fn site(&self, x: u32, y: u32) -> PlaceId {
        PlaceId(y * self.side + x)
    }
}

/// Generates a `side × side` lattice with ways `spacing_m` long.
pub fn generate(side: u32, spacing_m: f32, neighbour_contact: bool) -> Result<Lattice, GenError> {
    if !(1..=4000).contains(&side) {
        return Err(GenError::Setting {
            key: "world.side",
            allowed: "between 1 and 4000",
            value: side.to_string(),
        });
    }
    let mut b = WorldBuilder::new();
    b.neighbour_contact(neighbour_contact);
    let all = b.zone("lattice");
    let edge = b.zone("edge");
    for y in 0..side {
        for x in 0..side {
            let p = b.add_place(PlaceSpec {
                name: format!("site {x},{y}"),
                kind: PlaceKind::Site,
                pos: [
                    f64::from(x) * f64::from(spacing_m),
                    f64::from(y) * f64::from(spacing_m),
                ],
                capacity: 1,
                barricade_strength: 0.0,
                contact_scale: 1.0,
            });
            b.put_in_zone(p, all);
            if x == 0 || y == 0 || x + 1 == side || y + 1 == side {
                b.put_in_zone(p, edge);
            }
        }
    }
    for y in 0..side {
        for x in 0..side {
            let p = PlaceId(y * side + x);
            if x + 1 < side {
                b.add_way(p, PlaceId(p.0 + 1), spacing_m);
            }
            if y + 1 < side {
                b.add_way(p, PlaceId(p.0 + side), spacing_m);
            }
        }
    }
    add_staging(&mut b);
    Ok(Lattice {
        world: b.build()?,
        side,
        edge,
    })
}
