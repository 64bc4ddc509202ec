//! The places of a district (its grid of crossings and buildings, its office and station)
//! and of the campus.

use super::{District, DistrictGrid};
use crate::city;
use crate::draft::Draft;
use outbreak_engine::prelude::*;

/// Lecture halls on the campus.
pub const LECTURE_HALLS: u32 = 4;

const OFFICE_CAPACITY: u32 = 2_000;
const STATION_CAPACITY: u32 = 3_000;
const CAMPUS_GATE_CAPACITY: u32 = 1_000;
const HALL_CAPACITY: u32 = 500;
const LIBRARY_CAPACITY: u32 = 1_000;

/// The campus's door and the rooms where its students spend the day.
pub(super) struct CampusPlaces {
    /// The only way in: its routing cell's gate, on a crossing of the district.
    pub(super) gate: PlaceId,
    /// The lecture halls, then the library.
    pub(super) rooms: Vec<PlaceId>,
}

/// One district's grid of blocks, its office and its station.
#[allow(clippy::too_many_arguments)]
pub(super) fn district_grid(
    g: &mut Draft,
    d: &District,
    zone: ZoneId,
    city: ZoneId,
    (nx, ny): (u32, u32),
    centre: [f64; 2],
    block: f64,
    rooms: u32,
) -> DistrictGrid {
    let zones = [zone, city];
    let name = &d.name;
    let blocks = (nx * ny) as usize;
    let mut crossings = Vec::with_capacity(blocks);
    let mut lobbies = Vec::with_capacity(blocks);
    let origin = [
        centre[0] - f64::from(nx - 1) * block / 2.0,
        centre[1] - f64::from(ny - 1) * block / 2.0,
    ];
    for y in 0..ny {
        for x in 0..nx {
            let pos = [
                origin[0] + f64::from(x) * block,
                origin[1] + f64::from(y) * block,
            ];
            let (c, lobby) = city::block(g, &format!("{name} "), (x, y), pos, rooms, &zones);
            crossings.push(c);
            lobbies.push(lobby);
        }
    }
    let at = |x: u32, y: u32| (x + y * nx) as usize;
    g.join_grid(nx, ny, block as f32, |x, y| crossings[at(x, y)]);
    // Office at the middle crossing, station one block east of it (or west, or there).
    // Both stand exactly on their crossing, like lobbies.
    let (ox, oy) = (nx / 2, ny / 2);
    let sx = if ox + 1 < nx {
        ox + 1
    } else {
        ox.saturating_sub(1)
    };
    let office_at = crossings[at(ox, oy)];
    let office = g.place_in(
        format!("{name} office"),
        PlaceKind::Plaza,
        g.b.pos(office_at),
        OFFICE_CAPACITY,
        0.0,
        &zones,
    );
    g.b.add_way(office_at, office, 20.0);
    let station_at = crossings[at(sx, oy)];
    let station = g.place_in(
        format!("{name} station"),
        PlaceKind::Station,
        g.b.pos(station_at),
        STATION_CAPACITY,
        0.0,
        &zones,
    );
    g.b.add_way(station_at, station, 30.0);
    DistrictGrid {
        name: name.clone(),
        population: d.population,
        zone,
        nx,
        ny,
        centre_m: centre,
        moved_m: 0.0,
        crossings,
        lobbies,
        office,
        station,
    }
}

/// A small campus south of `crossing`: a gate on the crossing (one routing cell with
/// the gate as its door), lecture halls and a library.
pub(super) fn campus_places(
    g: &mut Draft,
    name: &str,
    crossing: PlaceId,
    zones: [ZoneId; 3],
) -> CampusPlaces {
    let at = g.b.pos(crossing);
    let cell = g.next_cell();
    let gate = g.place_in(
        format!("{name} gate"),
        PlaceKind::Gate,
        at,
        CAMPUS_GATE_CAPACITY,
        0.0,
        &zones,
    );
    g.b.add_way(crossing, gate, 50.0);
    g.b.set_cell(gate, cell);
    g.b.set_gate(cell, gate);
    let mut rooms = Vec::new();
    let mut room = |g: &mut Draft, label: String, kind, offset: [f64; 2], capacity| {
        let id = g.place_in(
            label,
            kind,
            [at[0] + offset[0], at[1] + offset[1]],
            capacity,
            2.0 * city::DOOR,
            &zones,
        );
        let length = (offset[0].powi(2) + offset[1].powi(2)).sqrt();
        g.b.add_way(gate, id, length as f32);
        g.b.set_cell(id, cell);
        rooms.push(id);
    };
    for k in 1..=LECTURE_HALLS {
        room(
            g,
            format!("{name} lecture hall {k}"),
            PlaceKind::LectureHall,
            [150.0 * (f64::from(k) - 2.5), -250.0],
            HALL_CAPACITY,
        );
    }
    room(
        g,
        format!("{name} library"),
        PlaceKind::Library,
        [0.0, -450.0],
        LIBRARY_CAPACITY,
    );
    // Neighbouring halls open into each other: a way to flee besides the gate.
    for k in 1..LECTURE_HALLS as usize {
        g.b.add_way(rooms[k - 1], rooms[k], 150.0);
    }
    CampusPlaces { gate, rooms }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::districts::fixtures::{one_percent, seoul, PEOPLE};

    #[test]
    fn the_city_has_its_districts_campus_and_named_places() {
        let city = one_percent();
        let w = &city.world;
        for d in seoul() {
            let z = w.zone_by_name(&d.name).expect("a zone per district");
            assert!(w.place_by_name(&format!("{} office", d.name)).is_some());
            assert!(w.place_by_name(&format!("{} station", d.name)).is_some());
            assert!(!w.places_of(z).is_empty());
        }
        let seoul_zone = w.zone_by_name("Seoul").unwrap();
        assert_eq!(w.places_of(seoul_zone).len(), w.place_count() - 1);
        assert!(!w.in_zone(city.staging, seoul_zone));
        let campus = w.zone_by_name("Gwanak campus").unwrap();
        assert_eq!(w.zone_count(), 27);
        assert_eq!(
            w.place_by_name("Gwanak campus lecture hall 1"),
            Some(city.campus_start)
        );
        for name in ["gate", "lecture hall 4", "library"] {
            let p = w.place_by_name(&format!("Gwanak campus {name}")).unwrap();
            assert!(w.in_zone(p, campus));
            assert!(w.in_zone(p, w.zone_by_name("Gwanak-gu").unwrap()));
        }
        let office = w.place_by_name("Gwanak-gu office").unwrap();
        assert_eq!(w.places.kind[office.index()], PlaceKind::Plaza);
        assert!(w.places.barricade_strength[city.campus_start.index()] > 0.0);
        // About 400 people a block.
        let blocks: usize = city.districts.iter().map(|d| d.lobbies.len()).sum();
        let per_block = PEOPLE as f64 / blocks as f64;
        assert!((300.0..=500.0).contains(&per_block), "{per_block}");
    }
}
