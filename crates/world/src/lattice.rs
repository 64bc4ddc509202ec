//! A square lattice of sites, one person a site (Alemi et al. 2015): each site joined to its
//! four neighbours by a way of one lattice spacing. Every site is its own routing cell; the
//! lattice has no routes (its people have no routine). With `neighbour_contact`, humans and
//! zombies on neighbouring sites meet as a pair in one place does: Alemi's bites and kills
//! across the lattice's bonds.

use crate::draft::Draft;
use crate::{add_staging, GenError};
use outbreak_engine::prelude::*;

/// A generated lattice.
#[derive(Clone, Debug)]
pub struct Lattice {
    /// The sites (named `site {x},{y}`, one person each) and the staging place.
    pub world: World,
    /// Sites along each side of the lattice.
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
    // One person a site: every site is the reference place (contact scale 1).
    let mut g = Draft::new(1.0);
    g.b.neighbour_contact(neighbour_contact);
    let all = g.b.zone("lattice");
    let edge = g.b.zone("edge");
    for y in 0..side {
        for x in 0..side {
            let pos = [
                f64::from(x) * f64::from(spacing_m),
                f64::from(y) * f64::from(spacing_m),
            ];
            let p = g.place_in(
                format!("site {x},{y}"),
                PlaceKind::Site,
                pos,
                1,
                0.0,
                &[all],
            );
            if x == 0 || y == 0 || x + 1 == side || y + 1 == side {
                g.b.put_in_zone(p, edge);
            }
        }
    }
    g.join_grid(side, side, spacing_m, |x, y| PlaceId(y * side + x));
    add_staging(&mut g.b);
    Ok(Lattice {
        world: g.b.build()?,
        side,
        edge,
    })
}
