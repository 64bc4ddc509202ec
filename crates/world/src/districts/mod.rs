//! A city of districts: Seoul's 25 gu (or any list of districts with a population and a
//! centre), each a street grid of buildings sized to its population and placed at its real
//! centre, joined to its neighbours by streets. Built for the `seoul-city` scenario.
//!
//! Each district is a near-square grid of crossings `block_m` apart with one building (a
//! lobby and rooms) at every crossing, as in [`crate::city`]; a building is a routing cell
//! with its lobby as gate. A grid has about `people_per_block` residents per block, so at
//! full scale the grids are denser, and smaller, than the real districts. Each grid is
//! centred on its district's centre projected to metres; where two grids would overlap
//! (Jongno-gu and Jung-gu do at full scale) they are moved apart just enough to leave a block
//! between them.
//!
//! Districts are joined in two ways:
//! - **arterial roads**: from each district to its [`NEIGHBOURS`] nearest districts (by
//!   centre distance), between the two grids' nearest edge crossings;
//! - **border streets**: every edge of the Delaunay triangulation of all edge crossings that
//!   joins two districts, so that the districts make one network with short ways between
//!   neighbours (routes on it are exact shortest paths whatever its size).
//!
//! Ways between districts are as long as the straight line between their crossings (at least
//! a block). Every district has an office (a plaza, for rescue points and lures) and a
//! station on crossings near its centre. The campus district (Gwanak-gu) also holds a small
//! university campus, where the outbreak starts.
//!
//! Populations and centres are approximate (see `data/README.md`); capacities and door
//! strengths are plausible round numbers, not survey data.
//!
//! [`generate`] builds the city here from its parts: `read` (the districts' CSV), `layout`
//! (grid sizes, the projection, moving grids apart, the arterial roads and the Delaunay
//! border streets), `places` (a district's crossings, buildings, office and station; the
//! campus) and `routine` (homes, students and workplaces, [`DistrictCity::routine`]).

mod layout;
mod places;
mod read;
mod routine;

pub use layout::NEIGHBOURS;
pub use places::LECTURE_HALLS;
pub use read::{parse_csv, District, DistrictError, COLUMNS, SEOUL_CSV};

use crate::draft::Draft;
use crate::{add_staging, dist2, GenError};
use layout::{grid_size, join_districts, project, separate, unreachable_place};
use outbreak_engine::prelude::*;
use places::{campus_places, district_grid};

/// Settings of the district generator.
#[derive(Clone, Debug, PartialEq)]
pub struct DistrictParams {
    /// Residents per block (one building per block); sets each grid's size.
    pub people_per_block: u32,
    /// Rooms per building: even-numbered rooms are homes, odd-numbered ones workplaces.
    pub rooms_per_building: u32,
    /// Distance between crossings, metres.
    pub block_m: f32,
    /// Capacity of the place where bite and kill rates are as given (contact scale 1).
    pub reference_capacity: f64,
    /// Fraction of workers whose workplace is in another district.
    pub commuter_fraction: f64,
    /// Fraction of the campus district's residents who study on the campus (at most as
    /// many as it has seats).
    pub student_fraction: f64,
    /// The district that holds the campus.
    pub campus_district: String,
    /// Name of the zone holding everything but the staging place.
    pub city_name: String,
}

impl Default for DistrictParams {
    fn default() -> Self {
        Self {
            people_per_block: 400,
            rooms_per_building: 20,
            block_m: 100.0,
            reference_capacity: 40.0,
            commuter_fraction: 0.2,
            student_fraction: 0.02,
            campus_district: "Gwanak-gu".into(),
            city_name: "Seoul".into(),
        }
    }
}

/// Most blocks a city may have (as [`crate::city`]'s 2,000 × 2,000).
const MAX_BLOCKS: u64 = 4_000_000;
/// Most places a city may have.
const MAX_PLACES: u64 = 100_000_000;

/// One district as generated.
#[derive(Clone, Debug)]
pub struct DistrictGrid {
    /// English name, also the name of its zone.
    pub name: String,
    /// Residents of the real district (people are shared out in proportion).
    pub population: u64,
    /// The district's zone: all its places (and the campus, in the campus district).
    pub zone: ZoneId,
    /// Crossings west to east.
    pub nx: u32,
    /// Crossings south to north.
    pub ny: u32,
    /// Centre of the grid, metres east and north of the districts' mean centre.
    pub centre_m: [f64; 2],
    /// How far the grid was moved from the district's projected centre to clear its
    /// neighbours, metres.
    pub moved_m: f64,
    /// Crossing of each block, row by row from the south-west (`x + y·nx`).
    pub crossings: Vec<PlaceId>,
    /// Lobby of each block's building, in the same order. Room `r` of a building is
    /// `PlaceId(lobby.0 + 1 + r)`.
    pub lobbies: Vec<PlaceId>,
    /// `{name} office`: a plaza on the middle crossing, for rescue points and lures.
    pub office: PlaceId,
    /// `{name} station`, a block east of the office (or west, in a narrow grid).
    pub station: PlaceId,
}

/// A generated city of districts and the places its people use.
#[derive(Clone, Debug)]
pub struct DistrictCity {
    /// The districts' grids, the ways between them, the campus and the staging place.
    pub world: World,
    /// The off-map staging place (see [`crate::add_staging`]).
    pub staging: PlaceId,
    /// Where the outbreak starts: the campus's first lecture hall.
    pub campus_start: PlaceId,
    /// The districts, in the order given to [`generate`].
    pub districts: Vec<DistrictGrid>,
    /// Index of the campus district in `districts`.
    pub campus_district: usize,
    /// `Gwanak campus gate`, the campus's only door, on a crossing of its district.
    pub campus_gate: PlaceId,
    /// The campus's lecture halls and library, where its students spend the day.
    pub campus_rooms: Vec<PlaceId>,
    /// Zone of everything but the staging place.
    pub city_zone: ZoneId,
    /// `Gwanak campus`: its gate, lecture halls and library.
    pub campus_zone: ZoneId,
    /// Number of ways between districts that are arterial roads.
    pub arterial_roads: usize,
    /// Number of border streets (those not already an arterial road).
    pub border_streets: usize,
    rooms_per_building: u32,
    commuter_fraction: f64,
    student_fraction: f64,
    /// Running totals of district populations (the last is the city's).
    cumulative: Vec<u64>,
}

/// Generates a city of `districts` for `people` residents in all.
///
/// ```
/// use outbreak_world::districts::{generate, parse_csv, DistrictParams, SEOUL_CSV};
/// let seoul = parse_csv(SEOUL_CSV).unwrap();
/// let city = generate(&seoul, 94_000, &DistrictParams::default()).unwrap();
/// assert!(city.world.place_by_name("Gwanak-gu office").is_some());
/// assert_eq!(city.world.zone_by_name("Gwanak campus"), Some(city.campus_zone));
/// let (_role, anchors) = city.routine(7, 0, 94_000);
/// assert!(city.world.route(anchors[0], anchors[1], 1_000).is_some());
/// ```
pub fn generate(
    districts: &[District],
    people: u64,
    p: &DistrictParams,
) -> Result<DistrictCity, GenError> {
    let campus_district = check(districts, people, p)?;
    let campus_name = campus_name(&p.campus_district);
    let total: u64 = districts.iter().map(|d| d.population).sum();
    let block = f64::from(p.block_m);
    let sizes: Vec<(u32, u32)> = districts
        .iter()
        .map(|d| {
            let residents = people as f64 * d.population as f64 / total as f64;
            grid_size(residents / f64::from(p.people_per_block))
        })
        .collect();
    let blocks: u64 = sizes
        .iter()
        .map(|&(x, y)| u64::from(x) * u64::from(y))
        .sum();
    if blocks > MAX_BLOCKS || blocks * u64::from(p.rooms_per_building + 2) > MAX_PLACES {
        return Err(setting(
            "world.people_per_block",
            "large enough for at most 4 million blocks and 100 million places",
            p.people_per_block,
        ));
    }
    // Grid centres: projected, then moved apart where grids would overlap.
    let projected = project(districts);
    let half: Vec<[f64; 2]> = sizes
        .iter()
        .map(|&(x, y)| {
            [
                f64::from(x - 1) * block / 2.0,
                f64::from(y - 1) * block / 2.0,
            ]
        })
        .collect();
    let mut centres = projected.clone();
    if !separate(&mut centres, &half, block) {
        return Err(setting(
            "world.people_per_block",
            "large enough that the districts' grids fit side by side",
            p.people_per_block,
        ));
    }

    let mut g = Draft::new(p.reference_capacity);
    let city_zone = g.b.zone(&p.city_name);
    let zones: Vec<ZoneId> = districts.iter().map(|d| g.b.zone(&d.name)).collect();
    let campus_zone = g.b.zone(&campus_name);
    let mut grids = Vec::with_capacity(districts.len());
    let mut edge_points: Vec<(PlaceId, [f64; 2], usize)> = Vec::new();
    let mut edges_of: Vec<Vec<(PlaceId, [f64; 2])>> = Vec::with_capacity(districts.len());
    for (d, district) in districts.iter().enumerate() {
        let grid = district_grid(
            &mut g,
            district,
            zones[d],
            city_zone,
            sizes[d],
            centres[d],
            block,
            p.rooms_per_building,
        );
        let mut edge = Vec::new();
        let (nx, ny) = (grid.nx, grid.ny);
        for y in 0..ny {
            for x in 0..nx {
                if x == 0 || y == 0 || x + 1 == nx || y + 1 == ny {
                    let c = grid.crossings[(x + y * nx) as usize];
                    edge.push((c, g.b.pos(c)));
                    edge_points.push((c, g.b.pos(c), d));
                }
            }
        }
        edges_of.push(edge);
        grids.push(DistrictGrid {
            moved_m: dist2(centres[d], projected[d]).sqrt(),
            ..grid
        });
    }

    // The campus, on the middle crossing of the campus district's southern edge.
    let home = &grids[campus_district];
    let at_crossing = home.crossings[(home.nx / 2) as usize];
    let campus = campus_places(
        &mut g,
        &campus_name,
        at_crossing,
        [zones[campus_district], city_zone, campus_zone],
    );

    let (arterial_roads, border_streets) =
        join_districts(&mut g.b, &centres, &edges_of, &edge_points, block);

    let staging = add_staging(&mut g.b);
    let world = g.b.build()?;
    if let Some(lost) = unreachable_place(&world, grids[0].crossings[0], staging) {
        return Err(GenError::Setting {
            key: "world.districts",
            allowed: "districts whose streets join up",
            value: format!("`{}` cannot be reached", world.places.name[lost.index()]),
        });
    }
    let mut cumulative = Vec::with_capacity(districts.len());
    let mut sum = 0;
    for d in districts {
        sum += d.population;
        cumulative.push(sum);
    }
    Ok(DistrictCity {
        world,
        staging,
        campus_start: campus.rooms[0],
        districts: grids,
        campus_district,
        campus_gate: campus.gate,
        campus_rooms: campus.rooms,
        city_zone,
        campus_zone,
        arterial_roads,
        border_streets,
        rooms_per_building: p.rooms_per_building,
        commuter_fraction: p.commuter_fraction,
        student_fraction: p.student_fraction,
        cumulative,
    })
}

/// The campus's name: its district's name without the `-gu` (`Gwanak campus`).
fn campus_name(district: &str) -> String {
    format!(
        "{} campus",
        district.strip_suffix("-gu").unwrap_or(district)
    )
}

fn setting(key: &'static str, allowed: &'static str, value: impl ToString) -> GenError {
    GenError::Setting {
        key,
        allowed,
        value: value.to_string(),
    }
}

/// Checks the settings; returns the campus district's index.
fn check(districts: &[District], people: u64, p: &DistrictParams) -> Result<usize, GenError> {
    if districts.is_empty() {
        return Err(setting("world.districts", "at least one district", "none"));
    }
    let campus_name = campus_name(&p.campus_district);
    for (i, d) in districts.iter().enumerate() {
        if d.population == 0 {
            return Err(setting(
                "world.districts",
                "districts of at least one resident each",
                format!("{} with 0", d.name),
            ));
        }
        if !(d.lat.is_finite() && d.lon.is_finite() && d.lat.abs() <= 90.0 && d.lon.abs() <= 180.0)
        {
            return Err(setting(
                "world.districts",
                "centres with latitude within ±90° and longitude within ±180°",
                format!("{} at {}, {}", d.name, d.lat, d.lon),
            ));
        }
        if d.name == p.city_name
            || d.name == campus_name
            || districts[..i].iter().any(|e| e.name == d.name)
        {
            return Err(setting(
                "world.districts",
                "districts with distinct names, unlike the city's and the campus's",
                &d.name,
            ));
        }
    }
    if p.city_name == campus_name {
        return Err(setting(
            "world.city_name",
            "a name other than the campus's",
            &p.city_name,
        ));
    }
    if people > u64::from(u32::MAX) {
        return Err(setting("population.size", "at most 4,294,967,295", people));
    }
    if p.people_per_block == 0 {
        return Err(setting("world.people_per_block", "at least 1", 0));
    }
    if !(1..=1000).contains(&p.rooms_per_building) {
        return Err(setting(
            "world.rooms_per_building",
            "between 1 and 1000",
            p.rooms_per_building,
        ));
    }
    if !(1.0..=10_000.0).contains(&p.block_m) {
        return Err(setting(
            "world.block_m",
            "between 1 and 10000 metres",
            p.block_m,
        ));
    }
    if !(p.reference_capacity.is_finite() && p.reference_capacity > 0.0) {
        return Err(setting(
            "world.reference_capacity",
            "a positive number",
            p.reference_capacity,
        ));
    }
    for (key, v) in [
        ("world.commuter_fraction", p.commuter_fraction),
        ("world.student_fraction", p.student_fraction),
    ] {
        if !(0.0..=1.0).contains(&v) {
            return Err(setting(key, "between 0 and 1", v));
        }
    }
    districts
        .iter()
        .position(|d| d.name == p.campus_district)
        .ok_or_else(|| {
            setting(
                "world.campus_district",
                "one of the districts",
                &p.campus_district,
            )
        })
}

/// The cities the tests of this generator share.
#[cfg(test)]
mod fixtures {
    use super::*;

    /// People in the one-percent city.
    pub(super) const PEOPLE: u64 = 94_000;

    /// Seoul's districts.
    pub(super) fn seoul() -> Vec<District> {
        parse_csv(SEOUL_CSV).unwrap()
    }

    /// Seoul at one percent, with the default settings.
    pub(super) fn one_percent() -> DistrictCity {
        generate(&seoul(), PEOPLE, &DistrictParams::default()).unwrap()
    }

    /// The district zone a place belongs to.
    pub(super) fn district_of(city: &DistrictCity, p: PlaceId) -> usize {
        let zones = city.world.zones_of(p);
        city.districts
            .iter()
            .position(|d| zones.contains(&d.zone))
            .expect("every street place is in a district")
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::seoul;
    use super::*;

    #[test]
    fn bad_settings_are_refused() {
        let s = seoul();
        let p = DistrictParams::default();
        let key = |r: Result<DistrictCity, GenError>| match r {
            Err(GenError::Setting { key, .. }) => key,
            other => panic!("expected a setting error, got {other:?}"),
        };
        assert_eq!(key(generate(&[], 10, &p)), "world.districts");
        let zero = DistrictParams {
            people_per_block: 0,
            ..p.clone()
        };
        assert_eq!(key(generate(&s, 10, &zero)), "world.people_per_block");
        let elsewhere = DistrictParams {
            campus_district: "Haeundae-gu".into(),
            ..p.clone()
        };
        assert_eq!(key(generate(&s, 10, &elsewhere)), "world.campus_district");
        let twice = [s[20].clone(), s[20].clone()];
        assert_eq!(key(generate(&twice, 10, &p)), "world.districts");
    }
}
