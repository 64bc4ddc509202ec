//! A synthetic city for scale: a street grid, and at each crossing a block of buildings,
//! each a lobby and rooms. Buildings are routing cells, so routes stay cheap at millions of
//! people. Used by the benchmarks and by large generated scenarios.

use crate::draft::Draft;
use crate::{add_staging, GenError};
use outbreak_engine::agents::ANCHORS;
use outbreak_engine::prelude::*;
use outbreak_engine::rng::{self, Stream};
use rand::Rng;

/// A generated city.
#[derive(Clone, Debug)]
pub struct City {
    pub world: World,
    /// Rooms where people live, and rooms where they work.
    pub homes: Vec<PlaceId>,
    pub works: Vec<PlaceId>,
    pub staging: PlaceId,
    /// Crossings along each side of the grid.
    pub side: u32,
}

/// Generates a `side × side` street grid with one building of `rooms` rooms at each crossing.
pub fn generate(side: u32, rooms: u32, block_m: f32) -> Result<City, GenError> {
    if !(1..=2000).contains(&side) {
        return Err(GenError::Setting {
            key: "world.side",
            allowed: "between 1 and 2000",
            value: side.to_string(),
        });
    }
    let mut g = Draft::new(40.0);
    let city = g.b.zone("city");
    let mut homes = Vec::new();
    let mut works = Vec::new();
    let mut crossing = Vec::with_capacity((side * side) as usize);
    for y in 0..side {
        for x in 0..side {
            let pos = [f64::from(x * 100), f64::from(y * 100)];
            let c = g.place_in(
                format!("crossing {x},{y}"),
                PlaceKind::Street,
                pos,
                500,
                0.0,
                &[city],
            );
            crossing.push(c);
            let cell = g.next_cell();
            let lobby = g.place_in(
                format!("building {x},{y} lobby"),
                PlaceKind::Lobby,
                pos,
                100,
                0.0,
                &[city],
            );
            g.b.add_way(c, lobby, 15.0);
            g.b.set_cell(lobby, cell);
            g.b.set_gate(cell, lobby);
            for r in 0..rooms {
                let room = g.place_in(
                    format!("building {x},{y} room {r}"),
                    PlaceKind::Room,
                    pos,
                    40,
                    1.5,
                    &[city],
                );
                g.b.add_way(lobby, room, 10.0);
                g.b.set_cell(room, cell);
                if r % 2 == 0 {
                    homes.push(room)
                } else {
                    works.push(room)
                }
            }
        }
    }
    for y in 0..side {
        for x in 0..side {
            let c = crossing[(y * side + x) as usize];
            if x + 1 < side {
                g.b.add_way(c, crossing[(y * side + x + 1) as usize], block_m);
            }
            if y + 1 < side {
                g.b.add_way(c, crossing[((y + 1) * side + x) as usize], block_m);
            }
        }
    }
    let staging = add_staging(&mut g.b);
    Ok(City {
        world: g.b.build()?,
        homes,
        works,
        staging,
        side,
    })
}

impl City {
    /// Anchors of person number `k`: a home anywhere, and a workplace within five blocks of
    /// it in each direction (so a commute is up to about a kilometre and a half).
    pub fn routine(&self, seed: u64, k: u32) -> (Role, [PlaceId; ANCHORS]) {
        let mut rng = rng::stream(seed, Stream::Setup, 0, k);
        let buildings = self.side * self.side;
        let b = rng.random_range(0..buildings);
        let rooms_home = self.homes.len() as u32 / buildings;
        let rooms_work = self.works.len() as u32 / buildings;
        let home = self.homes[(b * rooms_home + rng.random_range(0..rooms_home.max(1))) as usize];
        if rooms_work == 0 {
            return (Role::Civilian, [home; ANCHORS]);
        }
        let s = i64::from(self.side);
        let (x, y) = (i64::from(b % self.side), i64::from(b / self.side));
        let wx = (x + rng.random_range(-5..=5)).clamp(0, s - 1);
        let wy = (y + rng.random_range(-5..=5)).clamp(0, s - 1);
        let wb = (wy * s + wx) as u32;
        let work = self.works[(wb * rooms_work + rng.random_range(0..rooms_work)) as usize];
        (Role::Civilian, [home, work, work, work])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_reach_their_destination_beyond_the_exact_table() {
        // 60 × 60 crossings and as many buildings: 7,200 gates, past the exact table's limit.
        let city = generate(60, 2, 100.0).unwrap();
        const { assert!(2 * 60 * 60 > outbreak_engine::world::EXACT_GATES) };
        let w = &city.world;
        for k in 0..200u32 {
            let (role, anchors) = city.routine(9, k);
            assert_eq!(role, Role::Civilian);
            assert!(
                w.route(anchors[0], anchors[1], 400).is_some(),
                "route {k} does not arrive"
            );
        }
    }
}
