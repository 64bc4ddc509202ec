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
//!   joins two districts. Beyond [`EXACT_GATES`](outbreak_engine::world::EXACT_GATES) gates
//!   (about 2,000 blocks) the engine routes by straight-line steps between gates, which stall
//!   wherever no neighbour is nearer the destination. Inside a full grid some neighbour
//!   always is; at a grid's edge these streets provide one (greedy routing never fails on a
//!   Delaunay triangulation, Bose & Morin 2004), so every route arrives.
//!
//! Ways between districts are as long as the straight line between their crossings (at least
//! a block). Every district has an office (a plaza, for rescue points and lures) and a
//! station on crossings near its centre. The campus district (Gwanak-gu) also holds a small
//! university campus, where the outbreak starts.
//!
//! Populations and centres are approximate (see `data/README.md`); capacities and door
//! strengths are plausible round numbers, not survey data.

use crate::draft::Draft;
use crate::{add_staging, dist2, GenError};
use outbreak_engine::agents::ANCHORS;
use outbreak_engine::prelude::*;
use outbreak_engine::rng::{self, Stream};
use rand::Rng;
use serde::Deserialize;
use std::collections::BTreeSet;

/// Seoul's 25 districts (`data/seoul_districts.csv`): approximate registered populations
/// (about 2023, rounded to the thousand; 9.46 million in all) and approximate centres (WGS84).
pub const SEOUL_CSV: &str = include_str!("../../../data/seoul_districts.csv");

/// One district as read from a file.
#[derive(Clone, Debug, PartialEq)]
pub struct District {
    /// English name, e.g. `Gwanak-gu`; also the name of its zone.
    pub name: String,
    pub name_ko: String,
    /// Residents.
    pub population: u64,
    /// Approximate centre, degrees (WGS84).
    pub lat: f64,
    pub lon: f64,
}

/// A district file that cannot be used: the 1-based line and what is wrong there.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct DistrictError {
    pub line: u64,
    pub message: String,
}

/// The columns a district file must have (in any order; others are ignored).
pub const COLUMNS: [&str; 5] = ["district", "name_ko", "population", "lat", "lon"];

#[derive(Deserialize)]
struct Row {
    district: String,
    name_ko: String,
    population: u64,
    lat: f64,
    lon: f64,
}

/// Reads districts from CSV text with the header `district,name_ko,population,lat,lon`.
///
/// ```
/// use outbreak_world::districts::{parse_csv, SEOUL_CSV};
/// let seoul = parse_csv(SEOUL_CSV).unwrap();
/// assert_eq!(seoul.len(), 25);
/// let err = parse_csv("district,name_ko,population,lat,lon\nA,가,0,37.5,127.0\n").unwrap_err();
/// assert_eq!(err.line, 2);
/// ```
pub fn parse_csv(text: &str) -> Result<Vec<District>, DistrictError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| csv_error(&e, 1))?.clone();
    for column in COLUMNS {
        if !headers.iter().any(|h| h == column) {
            return Err(DistrictError {
                line: 1,
                message: format!(
                    "missing column `{column}` (the header must name {})",
                    COLUMNS.join(",")
                ),
            });
        }
    }
    let mut out: Vec<District> = Vec::new();
    let mut lines: Vec<u64> = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let before = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(&e, before)),
        }
        let line = record.position().map_or(before, |p| p.line());
        let fail = |message: String| Err(DistrictError { line, message });
        let row: Row = match record.deserialize(Some(&headers)) {
            Ok(row) => row,
            Err(e) => return fail(field_error(&e, &headers, &record)),
        };
        if row.district.is_empty() {
            return fail("`district` is empty".into());
        }
        if row.population == 0 {
            return fail(format!(
                "`population` of {} must be at least 1 (got 0)",
                row.district
            ));
        }
        if !(-90.0..=90.0).contains(&row.lat) {
            return fail(format!(
                "`lat` of {} must be between -90 and 90 degrees (got {})",
                row.district, row.lat
            ));
        }
        if !(-180.0..=180.0).contains(&row.lon) {
            return fail(format!(
                "`lon` of {} must be between -180 and 180 degrees (got {})",
                row.district, row.lon
            ));
        }
        if let Some(i) = out.iter().position(|d| d.name == row.district) {
            return fail(format!(
                "district `{}` is listed twice (first on line {})",
                row.district, lines[i]
            ));
        }
        lines.push(line);
        out.push(District {
            name: row.district,
            name_ko: row.name_ko,
            population: row.population,
            lat: row.lat,
            lon: row.lon,
        });
    }
    if out.is_empty() {
        return Err(DistrictError {
            line: 1,
            message: "no districts: the file has no rows after its header".into(),
        });
    }
    Ok(out)
}

fn csv_error(e: &csv::Error, fallback_line: u64) -> DistrictError {
    let line = e.position().map_or(fallback_line, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields, found {len}"),
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".into(),
        _ => e.to_string(),
    };
    DistrictError { line, message }
}

fn field_error(e: &csv::Error, headers: &csv::StringRecord, record: &csv::StringRecord) -> String {
    let csv::ErrorKind::Deserialize { err, .. } = e.kind() else {
        return e.to_string();
    };
    let field = err.field().map(|f| f as usize);
    let column = field.and_then(|f| headers.get(f)).unwrap_or("?");
    let value = field.and_then(|f| record.get(f)).unwrap_or("");
    match err.kind() {
        csv::DeserializeErrorKind::ParseInt(_) => {
            format!("`{column}` must be a whole number of people (got `{value}`)")
        }
        csv::DeserializeErrorKind::ParseFloat(_) => {
            format!("`{column}` must be a number of degrees (got `{value}`)")
        }
        _ => err.to_string(),
    }
}

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

/// How many nearest districts each district has an arterial road to.
pub const NEIGHBOURS: usize = 4;
/// Lecture halls on the campus.
pub const LECTURE_HALLS: u32 = 4;
/// A local workplace lies within this many blocks of home in each direction.
const LOCAL_REACH: i64 = 5;
/// Most blocks a city may have (as [`crate::city`]'s 2,000 × 2,000).
const MAX_BLOCKS: u64 = 4_000_000;
/// Most places a city may have.
const MAX_PLACES: u64 = 100_000_000;

const CROSSING_CAPACITY: u32 = 500;
const LOBBY_CAPACITY: u32 = 100;
const ROOM_CAPACITY: u32 = 40;
const DOOR: f32 = 1.5;
const OFFICE_CAPACITY: u32 = 2_000;
const STATION_CAPACITY: u32 = 3_000;
const CAMPUS_GATE_CAPACITY: u32 = 1_000;
const HALL_CAPACITY: u32 = 500;
const LIBRARY_CAPACITY: u32 = 1_000;

/// One district as generated.
#[derive(Clone, Debug)]
pub struct DistrictGrid {
    /// English name, also the name of its zone.
    pub name: String,
    /// Residents of the real district (people are shared out in proportion).
    pub population: u64,
    /// The district's zone: all its places (and the campus, in the campus district).
    pub zone: ZoneId,
    /// Crossings west to east and south to north.
    pub nx: u32,
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
    pub world: World,
    /// The off-map staging place (see [`crate::add_staging`]).
    pub staging: PlaceId,
    /// Where the outbreak starts: the campus's first lecture hall.
    pub campus_start: PlaceId,
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

    // Ways between districts.
    let mut joined: BTreeSet<(PlaceId, PlaceId)> = BTreeSet::new();
    let mut join = |b: &mut WorldBuilder, x: PlaceId, y: PlaceId| -> bool {
        let key = (x.min(y), x.max(y));
        if !joined.insert(key) {
            return false;
        }
        let dist = dist2(b.pos(x), b.pos(y)).sqrt();
        b.add_way(x, y, dist.max(block) as f32);
        true
    };
    let mut arterial_roads = 0;
    let mut pairs = BTreeSet::new();
    for a in 0..districts.len() {
        let mut others: Vec<usize> = (0..districts.len()).filter(|&o| o != a).collect();
        others.sort_by(|&i, &j| {
            dist2(centres[a], centres[i]).total_cmp(&dist2(centres[a], centres[j]))
        });
        for &o in others.iter().take(NEIGHBOURS) {
            pairs.insert((a.min(o), a.max(o)));
        }
    }
    for &(a, o) in &pairs {
        let (x, y) = nearest_pair(&edges_of[a], &edges_of[o]);
        if join(&mut g.b, x, y) {
            arterial_roads += 1;
        }
    }
    let points: Vec<[f64; 2]> = edge_points.iter().map(|e| e.1).collect();
    let mut border_streets = 0;
    for (i, j) in delaunay_edges(&points, block) {
        let (x, y) = (edge_points[i as usize], edge_points[j as usize]);
        if x.2 != y.2 && join(&mut g.b, x.0, y.0) {
            border_streets += 1;
        }
    }

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

/// Crossings west–east and south–north of a near-square grid of about `blocks` blocks.
fn grid_size(blocks: f64) -> (u32, u32) {
    let blocks = blocks.round().max(1.0);
    let nx = blocks.sqrt().round().max(1.0);
    let ny = (blocks / nx).round().max(1.0);
    (nx as u32, ny as u32)
}

/// Centres in metres, east and north of the districts' mean centre (equirectangular).
fn project(districts: &[District]) -> Vec<[f64; 2]> {
    let n = districts.len() as f64;
    let lat0 = districts.iter().map(|d| d.lat).sum::<f64>() / n;
    let lon0 = districts.iter().map(|d| d.lon).sum::<f64>() / n;
    let east = lat0.to_radians().cos() * 111_320.0;
    districts
        .iter()
        .map(|d| [(d.lon - lon0) * east, (d.lat - lat0) * 110_540.0])
        .collect()
}

/// Moves grids (centres, half extents) apart until any two are at least `gap` apart along
/// one axis, each pair along the axis where they overlap least. False if that does not
/// settle.
fn separate(centres: &mut [[f64; 2]], half: &[[f64; 2]], gap: f64) -> bool {
    let n = centres.len();
    for _ in 0..10_000 {
        let mut moved = false;
        for i in 0..n {
            for j in i + 1..n {
                let d = [centres[j][0] - centres[i][0], centres[j][1] - centres[i][1]];
                let overlap = [
                    half[i][0] + half[j][0] + gap - d[0].abs(),
                    half[i][1] + half[j][1] + gap - d[1].abs(),
                ];
                if overlap[0] <= 0.0 || overlap[1] <= 0.0 {
                    continue;
                }
                let axis = usize::from(overlap[1] < overlap[0]);
                let sign = if d[axis] < 0.0 { -1.0 } else { 1.0 };
                // A little extra so that rounding never leaves a pair touching.
                let push = overlap[axis] / 2.0 + gap * 1e-3;
                centres[i][axis] -= sign * push;
                centres[j][axis] += sign * push;
                moved = true;
            }
        }
        if !moved {
            return true;
        }
    }
    false
}

/// The nearest pair of crossings, one from each list.
fn nearest_pair(a: &[(PlaceId, [f64; 2])], b: &[(PlaceId, [f64; 2])]) -> (PlaceId, PlaceId) {
    let mut best = (a[0].0, b[0].0, f64::INFINITY);
    for &(x, px) in a {
        for &(y, py) in b {
            let d = dist2(px, py);
            if d < best.2 {
                best = (x, y, d);
            }
        }
    }
    (best.0, best.1)
}

/// Edges `(i, j)`, `i < j`, of the Delaunay triangulation of `points` (Bowyer–Watson,
/// inserting from west to east so that only triangles whose circumcircle reaches the
/// current point are examined). Points are shifted by at most a thousandth of `scale` first,
/// by a fixed hash ([`rng::mix64`] of their index), so that the grids' cocircular crossings
/// triangulate consistently.
fn delaunay_edges(points: &[[f64; 2]], scale: f64) -> Vec<(u32, u32)> {
    let n = points.len();
    if n < 3 {
        return if n == 2 { vec![(0, 1)] } else { Vec::new() };
    }
    let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for p in points {
        for a in 0..2 {
            lo[a] = lo[a].min(p[a]);
            hi[a] = hi[a].max(p[a]);
        }
    }
    let span = (hi[0] - lo[0]).max(hi[1] - lo[1]).max(scale);
    let mid = [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0];
    let jitter = 1e-3 * scale / span;
    let mut v: Vec<[f64; 2]> = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let h = rng::mix64(i as u64);
            let u = |bits: u64| (bits & 0xFFFF_FFFF) as f64 / 4_294_967_296.0 - 0.5;
            [
                (p[0] - mid[0]) / span + jitter * u(h),
                (p[1] - mid[1]) / span + jitter * u(h >> 32),
            ]
        })
        .collect();
    // A triangle far around the unit square holding every point.
    let m = 1e4;
    v.extend([[-3.0 * m, -3.0 * m], [3.0 * m, -3.0 * m], [0.0, 3.0 * m]]);
    let n32 = n as u32;
    let tri = |v: &[[f64; 2]], t: [u32; 3]| -> Tri {
        let [a, b, c] = t.map(|i| v[i as usize]);
        let (bx, by, cx, cy) = (b[0] - a[0], b[1] - a[1], c[0] - a[0], c[1] - a[1]);
        let d = 2.0 * (bx * cy - by * cx);
        let (b2, c2) = (bx * bx + by * by, cx * cx + cy * cy);
        let (ux, uy) = ((cy * b2 - by * c2) / d, (bx * c2 - cx * b2) / d);
        let r2 = ux * ux + uy * uy;
        Tri {
            v: t,
            c: [a[0] + ux, a[1] + uy],
            r2,
            east: a[0] + ux + r2.sqrt(),
        }
    };
    let mut open = vec![tri(&v, [n32, n32 + 1, n32 + 2])];
    let mut done: Vec<[u32; 3]> = Vec::new();
    let mut order: Vec<u32> = (0..n32).collect();
    order.sort_by(|&a, &b| {
        let (pa, pb) = (v[a as usize], v[b as usize]);
        pa[0].total_cmp(&pb[0]).then(pa[1].total_cmp(&pb[1]))
    });
    let mut hole: Vec<(u32, u32)> = Vec::new();
    for &i in &order {
        let p = v[i as usize];
        hole.clear();
        open.retain(|t| {
            if t.east < p[0] {
                // No later point (all lie further east) can fall in this circle.
                done.push(t.v);
                return false;
            }
            if dist2(p, t.c) < t.r2 {
                let [a, b, c] = t.v;
                for (x, y) in [(a, b), (b, c), (c, a)] {
                    hole.push((x.min(y), x.max(y)));
                }
                return false;
            }
            true
        });
        // The hole's boundary: edges of exactly one removed triangle.
        hole.sort_unstable();
        let mut k = 0;
        while k < hole.len() {
            let mut m = k + 1;
            while m < hole.len() && hole[m] == hole[k] {
                m += 1;
            }
            if m == k + 1 {
                open.push(tri(&v, [hole[k].0, hole[k].1, i]));
            }
            k = m;
        }
    }
    done.extend(open.iter().map(|t| t.v));
    let mut edges: Vec<(u32, u32)> = done
        .iter()
        .flat_map(|&[a, b, c]| [(a, b), (b, c), (c, a)])
        .filter(|&(x, y)| x < n32 && y < n32)
        .map(|(x, y)| (x.min(y), x.max(y)))
        .collect();
    edges.sort_unstable();
    edges.dedup();
    edges
}

struct Tri {
    v: [u32; 3],
    /// Circumcentre, squared circumradius, and the circle's easternmost x.
    c: [f64; 2],
    r2: f64,
    east: f64,
}

/// A place (other than `skip`) that cannot be reached from `from`, if any.
fn unreachable_place(world: &World, from: PlaceId, skip: PlaceId) -> Option<PlaceId> {
    let mut seen = vec![false; world.place_count()];
    let mut stack = vec![from];
    seen[from.index()] = true;
    while let Some(p) = stack.pop() {
        for e in world.neighbours(p) {
            if !seen[e.to.index()] {
                seen[e.to.index()] = true;
                stack.push(e.to);
            }
        }
    }
    (0..world.place_count() as u32)
        .map(PlaceId)
        .find(|&p| p != skip && !seen[p.index()])
}

struct CampusPlaces {
    gate: PlaceId,
    rooms: Vec<PlaceId>,
}

/// One district's grid of blocks, its office and its station.
#[allow(clippy::too_many_arguments)]
fn district_grid(
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
            let c = g.place_in(
                format!("{name} crossing {x},{y}"),
                PlaceKind::Street,
                pos,
                CROSSING_CAPACITY,
                0.0,
                &zones,
            );
            // The lobby stands at its crossing, so that straight-line routing never
            // prefers a lobby over the street on the way elsewhere.
            let lobby = g.place_in(
                format!("{name} building {x},{y} lobby"),
                PlaceKind::Lobby,
                pos,
                LOBBY_CAPACITY,
                0.0,
                &zones,
            );
            let cell = g.next_cell();
            g.b.add_way(c, lobby, 15.0);
            g.b.set_cell(lobby, cell);
            g.b.set_gate(cell, lobby);
            for r in 0..rooms {
                let room = g.place_in(
                    format!("{name} building {x},{y} room {r}"),
                    PlaceKind::Room,
                    pos,
                    ROOM_CAPACITY,
                    DOOR,
                    &zones,
                );
                g.b.add_way(lobby, room, 10.0);
                g.b.set_cell(room, cell);
            }
            crossings.push(c);
            lobbies.push(lobby);
        }
    }
    let at = |x: u32, y: u32| (x + y * nx) as usize;
    for y in 0..ny {
        for x in 0..nx {
            if x + 1 < nx {
                g.b.add_way(crossings[at(x, y)], crossings[at(x + 1, y)], block as f32);
            }
            if y + 1 < ny {
                g.b.add_way(crossings[at(x, y)], crossings[at(x, y + 1)], block as f32);
            }
        }
    }
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
fn campus_places(g: &mut Draft, name: &str, crossing: PlaceId, zones: [ZoneId; 3]) -> CampusPlaces {
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
            2.0 * DOOR,
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

impl DistrictCity {
    /// The district person `k` of `people` lives in, and their number among its residents.
    /// Residents are dealt to districts in order of `k`, in proportion to population.
    pub fn home_district(&self, k: u32, people: u64) -> (usize, u64) {
        let total = u128::from(*self.cumulative.last().unwrap_or(&1));
        let people = u128::from(people.max(1));
        let k = u64::from(k);
        // District d holds k < ⌊people·cumulative[d] / total⌋.
        let d = self
            .cumulative
            .partition_point(|&c| u128::from(k + 1) * total > people * u128::from(c))
            .min(self.cumulative.len() - 1);
        let start = if d == 0 {
            0
        } else {
            (people * u128::from(self.cumulative[d - 1]) / total) as u64
        };
        (d, k.saturating_sub(start))
    }

    /// Residents of district `d` when the city holds `people`.
    pub fn residents(&self, d: usize, people: u64) -> u64 {
        let total = u128::from(*self.cumulative.last().unwrap_or(&1));
        let end = |i: usize| (u128::from(people) * u128::from(self.cumulative[i]) / total) as u64;
        end(d) - if d == 0 { 0 } else { end(d - 1) }
    }

    /// Students of the campus when the city holds `people`: a fraction of the campus
    /// district's residents, at most as many as the campus seats.
    pub fn students(&self, people: u64) -> u64 {
        let residents = self.residents(self.campus_district, people);
        let seats: u64 = self
            .campus_rooms
            .iter()
            .map(|p| u64::from(self.world.places.capacity[p.index()]))
            .sum();
        ((residents as f64 * self.student_fraction).round() as u64).min(seats)
    }

    /// Role and anchors (home, morning, lunch, afternoon) of person `k` of `people`.
    ///
    /// Homes are dealt out in turn over the blocks and home rooms of the person's district,
    /// so that none is over-full. The campus district's first [`DistrictCity::students`]
    /// residents study on the campus (a lecture hall or the library, in proportion to
    /// seats). Everyone else works in a workplace room: with chance `commuter_fraction` in
    /// another district (chosen in proportion to population, a random block), otherwise
    /// within five blocks of home in each direction.
    pub fn routine(&self, seed: u64, k: u32, people: u64) -> (Role, [PlaceId; ANCHORS]) {
        let (d, rank) = self.home_district(k, people);
        let grid = &self.districts[d];
        let blocks = grid.lobbies.len() as u64;
        let home_rooms = u64::from(self.rooms_per_building.div_ceil(2));
        let work_rooms = self.rooms_per_building / 2;
        let home_block = (rank % blocks) as usize;
        let home = room(
            grid.lobbies[home_block],
            2 * ((rank / blocks) % home_rooms) as u32,
        );
        let mut rng = rng::stream(seed, Stream::Setup, 0, k);
        if d == self.campus_district && rank < self.students(people) {
            let morning = self.campus_seat(&mut rng);
            let afternoon = self.campus_seat(&mut rng);
            return (Role::Student, [home, morning, morning, afternoon]);
        }
        if work_rooms == 0 {
            return (Role::Civilian, [home; ANCHORS]);
        }
        let commute = self.districts.len() > 1 && rng.random::<f64>() < self.commuter_fraction;
        let (wd, wb) = if commute {
            let wd = self.other_district(&mut rng, d);
            (wd, rng.random_range(0..self.districts[wd].lobbies.len()))
        } else {
            let (nx, ny) = (i64::from(grid.nx), i64::from(grid.ny));
            let (x, y) = (home_block as i64 % nx, home_block as i64 / nx);
            let wx = (x + rng.random_range(-LOCAL_REACH..=LOCAL_REACH)).clamp(0, nx - 1);
            let wy = (y + rng.random_range(-LOCAL_REACH..=LOCAL_REACH)).clamp(0, ny - 1);
            (d, (wx + wy * nx) as usize)
        };
        let work = room(
            self.districts[wd].lobbies[wb],
            1 + 2 * rng.random_range(0..work_rooms),
        );
        (Role::Civilian, [home, work, work, work])
    }

    /// A district other than `d`, in proportion to population.
    fn other_district<R: Rng>(&self, rng: &mut R, d: usize) -> usize {
        let total = *self.cumulative.last().unwrap_or(&0);
        let own = self.districts[d].population;
        let mut left = rng.random_range(0..total - own);
        for (i, g) in self.districts.iter().enumerate() {
            if i == d {
                continue;
            }
            if left < g.population {
                return i;
            }
            left -= g.population;
        }
        d
    }

    /// A campus room, in proportion to its seats.
    fn campus_seat<R: Rng>(&self, rng: &mut R) -> PlaceId {
        let capacity = |p: &PlaceId| u64::from(self.world.places.capacity[p.index()]);
        let seats: u64 = self.campus_rooms.iter().map(capacity).sum();
        let mut left = rng.random_range(0..seats.max(1));
        for p in &self.campus_rooms {
            if left < capacity(p) {
                return *p;
            }
            left -= capacity(p);
        }
        self.campus_start
    }
}

/// Room `r` of the building whose lobby is `lobby`.
fn room(lobby: PlaceId, r: u32) -> PlaceId {
    PlaceId(lobby.0 + 1 + r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use outbreak_engine::world::EXACT_GATES;

    const HEADER: &str = "district,name_ko,population,lat,lon\n";

    fn seoul() -> Vec<District> {
        parse_csv(SEOUL_CSV).unwrap()
    }

    fn parse_error(body: &str) -> DistrictError {
        parse_csv(&format!("{HEADER}{body}")).unwrap_err()
    }

    #[test]
    fn seoul_has_25_districts_and_9_4_million_people() {
        let s = seoul();
        assert_eq!(s.len(), 25);
        let sum: u64 = s.iter().map(|d| d.population).sum();
        assert!(sum.abs_diff(9_400_000) <= 100_000, "{sum}");
        let gwanak = s.iter().find(|d| d.name == "Gwanak-gu").unwrap();
        assert_eq!(gwanak.name_ko, "관악구");
        assert!(gwanak.population > 400_000);
    }

    #[test]
    fn a_missing_column_is_named() {
        let e = parse_csv("district,name_ko,population,lat\nA,가,1,37.5\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("missing column `lon`"), "{e}");
        assert_eq!(parse_csv("").unwrap_err().line, 1);
    }

    #[test]
    fn a_bad_number_is_named_with_its_line() {
        let e = parse_error("A,가,1000,37.5,127.0\nB,나,12x,37.5,127.0\n");
        assert_eq!(e.line, 3);
        assert!(
            e.message.contains("`population`") && e.message.contains("12x"),
            "{e}"
        );
        let e = parse_error("A,가,1000,north,127.0\n");
        assert_eq!(e.line, 2);
        assert!(
            e.message.contains("`lat`") && e.message.contains("north"),
            "{e}"
        );
        let e = parse_error("A,가,1000,37.5\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("expected 5 fields, found 4"), "{e}");
    }

    #[test]
    fn an_empty_district_is_refused() {
        let e = parse_error("A,가,1000,37.5,127.0\nB,나,0,37.5,127.0\n");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("at least 1"), "{e}");
    }

    #[test]
    fn a_centre_off_the_globe_is_refused() {
        let e = parse_error("A,가,1000,137.5,127.0\n");
        assert_eq!(e.line, 2);
        assert!(
            e.message.contains("`lat`") && e.message.contains("137.5"),
            "{e}"
        );
        let e = parse_error("A,가,1000,37.5,227.0\n");
        assert!(e.message.contains("`lon`"), "{e}");
        let e = parse_error("A,가,1000,NaN,127.0\n");
        assert!(e.message.contains("`lat`"), "{e}");
    }

    #[test]
    fn a_district_listed_twice_is_refused() {
        let e = parse_error("A,가,1000,37.5,127.0\nB,나,10,37.5,127.0\nA,다,5,37.6,127.1\n");
        assert_eq!(e.line, 4);
        assert!(
            e.message.contains("`A` is listed twice (first on line 2)"),
            "{e}"
        );
    }

    #[test]
    fn a_file_without_rows_is_refused() {
        let e = parse_csv(HEADER).unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("no districts"), "{e}");
    }

    #[test]
    fn columns_may_come_in_any_order() {
        let d =
            parse_csv("lon,lat,population,district,name_ko,note\n127,37.5,10, A ,가,x\n").unwrap();
        assert_eq!(d[0].name, "A");
        assert_eq!(d[0].population, 10);
        assert_eq!(d[0].lon, 127.0);
    }

    const PEOPLE: u64 = 94_000;

    fn one_percent() -> DistrictCity {
        generate(&seoul(), PEOPLE, &DistrictParams::default()).unwrap()
    }

    /// The district zone a place belongs to.
    fn district_of(city: &DistrictCity, p: PlaceId) -> usize {
        let zones = city.world.zones_of(p);
        city.districts
            .iter()
            .position(|d| zones.contains(&d.zone))
            .expect("every street place is in a district")
    }

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

    #[test]
    fn routes_from_homes_reach_work_within_the_exact_table() {
        let city = one_percent();
        assert!(city.world.place_count() < 20 * EXACT_GATES);
        routes_arrive(&city, PEOPLE, 400);
    }

    #[test]
    fn routes_reach_their_destination_beyond_the_exact_table() {
        // 20 people a block: about 4,700 blocks and 9,500 gates, so routes between gates
        // are straight-line steps, across the border streets.
        let p = DistrictParams {
            people_per_block: 20,
            rooms_per_building: 2,
            ..Default::default()
        };
        let city = generate(&seoul(), PEOPLE, &p).unwrap();
        let blocks: usize = city.districts.iter().map(|d| d.lobbies.len()).sum();
        assert!(2 * blocks > EXACT_GATES, "{blocks} blocks");
        routes_arrive(&city, PEOPLE, 600);
        // Between far corners of districts, in both directions.
        let corners: Vec<PlaceId> = city
            .districts
            .iter()
            .flat_map(|d| [d.lobbies[0], *d.lobbies.last().unwrap(), d.office])
            .collect();
        for &a in &corners {
            for &b in corners.iter().step_by(4) {
                assert!(
                    city.world.route(a, b, 5_000).is_some(),
                    "no route from {} to {}",
                    city.world.places.name[a.index()],
                    city.world.places.name[b.index()]
                );
            }
        }
        let hall = city.campus_start;
        assert!(city.world.route(corners[0], hall, 5_000).is_some());
        assert!(city.world.route(hall, corners[40], 5_000).is_some());
    }

    fn routes_arrive(city: &DistrictCity, people: u64, samples: u32) {
        let step = (people / u64::from(samples)) as u32;
        let mut commuters = 0;
        for k in (0..people as u32).step_by(step as usize) {
            let (_, a) = city.routine(3, k, people);
            if district_of(city, a[0]) != district_of(city, a[1]) {
                commuters += 1;
            }
            for (from, to) in [(a[0], a[1]), (a[3], a[0])] {
                assert!(
                    city.world.route(from, to, 5_000).is_some(),
                    "person {k}: no route from {} to {}",
                    city.world.places.name[from.index()],
                    city.world.places.name[to.index()]
                );
            }
        }
        assert!(commuters > samples / 10, "{commuters} commuters");
    }

    #[test]
    fn grids_keep_a_block_apart() {
        let p = DistrictParams {
            people_per_block: 20,
            rooms_per_building: 1,
            ..Default::default()
        };
        let city = generate(&seoul(), PEOPLE, &p).unwrap();
        let b = f64::from(p.block_m);
        let half =
            |d: &DistrictGrid| [f64::from(d.nx - 1) * b / 2.0, f64::from(d.ny - 1) * b / 2.0];
        for (i, a) in city.districts.iter().enumerate() {
            for c in &city.districts[i + 1..] {
                let (ha, hc) = (half(a), half(c));
                let apart =
                    (0..2).any(|x| (a.centre_m[x] - c.centre_m[x]).abs() >= ha[x] + hc[x] + b);
                assert!(apart, "{} and {} overlap", a.name, c.name);
            }
        }
        assert!(city.districts.iter().any(|d| d.moved_m > 0.0));
        assert!(city.border_streets > city.arterial_roads);
    }

    #[test]
    fn residents_follow_population_and_a_fifth_commute() {
        let city = one_percent();
        let seoul = seoul();
        let total: u64 = seoul.iter().map(|d| d.population).sum();
        let mut homes = vec![0u64; seoul.len()];
        let (mut workers, mut commuters, mut students) = (0u32, 0u32, 0u32);
        for k in 0..PEOPLE as u32 {
            let (role, a) = city.routine(11, k, PEOPLE);
            let home = district_of(&city, a[0]);
            homes[home] += 1;
            if role == Role::Student {
                students += 1;
                assert_eq!(home, city.campus_district);
                assert!(city.world.in_zone(a[1], city.campus_zone));
                continue;
            }
            assert_eq!(city.world.places.kind[a[0].index()], PlaceKind::Room);
            workers += 1;
            if district_of(&city, a[1]) != home {
                commuters += 1;
            }
        }
        for (d, n) in seoul.iter().zip(&homes) {
            let expected = PEOPLE as f64 * d.population as f64 / total as f64;
            assert!(
                (*n as f64 - expected).abs() <= 0.01 * expected,
                "{}: {n} residents, expected {expected:.0}",
                d.name
            );
        }
        for (d, n) in homes.iter().enumerate() {
            assert_eq!(*n, city.residents(d, PEOPLE));
        }
        let share = f64::from(commuters) / f64::from(workers);
        assert!((0.19..=0.21).contains(&share), "{share}");
        assert_eq!(u64::from(students), city.students(PEOPLE));
        assert!(students > 50, "{students} students");
    }

    #[test]
    fn homes_are_filled_evenly() {
        let city = one_percent();
        let mut at_home = vec![0u64; city.world.place_count()];
        for k in 0..PEOPLE as u32 {
            at_home[city.routine(5, k, PEOPLE).1[0].index()] += 1;
        }
        for (d, grid) in city.districts.iter().enumerate() {
            let rooms = grid.lobbies.len() as u64 * 10;
            let most = city.residents(d, PEOPLE).div_ceil(rooms);
            for &lobby in &grid.lobbies {
                for r in (0..20).step_by(2) {
                    let n = at_home[room(lobby, r).index()];
                    assert!(n <= most && n + 1 >= most, "{n} in a home of {}", grid.name);
                }
            }
        }
    }

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

    #[test]
    fn a_tiny_city_still_has_every_district() {
        let city = generate(&seoul(), 25, &DistrictParams::default()).unwrap();
        assert!(city.districts.iter().all(|d| d.lobbies.len() == 1));
        for k in 0..25 {
            let (_, a) = city.routine(1, k, 25);
            assert!(city.world.route(a[0], a[1], 1_000).is_some());
        }
    }

    #[test]
    fn delaunay_of_a_square_and_its_centre() {
        let e = delaunay_edges(
            &[[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.5, 0.5]],
            1.0,
        );
        // Four sides and four spokes.
        assert_eq!(e.len(), 8, "{e:?}");
        assert!((0..4).all(|i| e.contains(&(i, 4))));
    }
}
