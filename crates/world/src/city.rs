//! A synthetic city for scale: a street grid, and at each crossing a block of buildings,
//! each a lobby and rooms. Buildings are routing cells, so routes stay cheap at millions of
//! people. Used by the benchmarks and by large generated scenarios. Its blocks (`block`) are
//! also the blocks of a [`crate::districts`] city.

use crate::draft::Draft;
use crate::{add_staging, GenError};
use outbreak_engine::agents::ANCHORS;
use outbreak_engine::prelude::*;
use outbreak_engine::rng::{self, Stream};
use rand::Rng;

/// A generated city.
#[derive(Clone, Debug)]
pub struct City {
    /// The street grid, its buildings and the staging place.
    pub world: World,
    /// Rooms where people live: the even-numbered rooms of every building.
    pub homes: Vec<PlaceId>,
    /// Rooms where people work: the odd-numbered rooms of every building.
    pub works: Vec<PlaceId>,
    /// The off-map staging place (see [`crate::add_staging`]).
    pub staging: PlaceId,
    /// Crossings along each side of the grid.
    pub side: u32,
}

/// People a crossing of a block holds.
const CROSSING_CAPACITY: u32 = 500;
/// People the lobby of a block's building holds.
const LOBBY_CAPACITY: u32 = 100;
/// People a room of a block's building holds.
const ROOM_CAPACITY: u32 = 40;
/// Strength of the door of a room of a block's building, zombie-hours.
pub(crate) const DOOR: f32 = 1.5;

/// One block of a street grid, in `zones`: crossing `(x, y)` at `pos` and, standing on it, a
/// building of a lobby (the gate of a new routing cell) and `rooms` rooms off it. Their names
/// start with `prefix`: `{prefix}crossing {x},{y}`, `{prefix}building {x},{y} lobby` and
/// `{prefix}building {x},{y} room {r}`. Returns the crossing and the lobby (see [`room`]).
pub(crate) fn block(
    g: &mut Draft,
    prefix: &str,
    (x, y): (u32, u32),
    pos: [f64; 2],
    rooms: u32,
    zones: &[ZoneId],
) -> (PlaceId, PlaceId) {
    let c = g.place_in(
        format!("{prefix}crossing {x},{y}"),
        PlaceKind::Street,
        pos,
        CROSSING_CAPACITY,
        0.0,
        zones,
    );
    // The lobby stands at its crossing, so that straight-line routing never prefers a lobby
    // over the street on the way elsewhere.
    let lobby = g.place_in(
        format!("{prefix}building {x},{y} lobby"),
        PlaceKind::Lobby,
        pos,
        LOBBY_CAPACITY,
        0.0,
        zones,
    );
    let cell = g.next_cell();
    g.b.add_way(c, lobby, 15.0);
    g.b.set_cell(lobby, cell);
    g.b.set_gate(cell, lobby);
    for r in 0..rooms {
        let room = g.place_in(
            format!("{prefix}building {x},{y} room {r}"),
            PlaceKind::Room,
            pos,
            ROOM_CAPACITY,
            DOOR,
            zones,
        );
        g.b.add_way(lobby, room, 10.0);
        g.b.set_cell(room, cell);
    }
    (c, lobby)
}

/// Room `r` of the building whose lobby is `lobby` (see [`block`]).
pub(crate) fn room(lobby: PlaceId, r: u32) -> PlaceId {
    PlaceId(lobby.0 + 1 + r)
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
            let (c, lobby) = block(&mut g, "", (x, y), pos, rooms, &[city]);
            crossing.push(c);
            for r in 0..rooms {
                if r % 2 == 0 {
                    homes.push(room(lobby, r))
                } else {
                    works.push(room(lobby, r))
                }
            }
        }
    }
    g.join_grid(side, side, block_m, |x, y| {
        crossing[(y * side + x) as usize]
    });
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
