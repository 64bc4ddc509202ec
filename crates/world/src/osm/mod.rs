//! Imports an OpenStreetMap extract (`.osm.pbf`) as a world: its walkable streets, split at
//! their junctions, and its buildings, each joined to the nearest junction.
//!
//! - **Junctions.** A node of a walkable way (see [`OsmParams::walkable`]) is a junction if
//!   it ends a walkable way or is used by two or more of them (or twice by one). Each is a
//!   street place (capacity 200, no barricade) at its position, named "Kotkantie at node 123"
//!   after the first named way through it (by way id), or "node 123".
//! - **Street segments.** Each stretch of a walkable way between consecutive junctions is a
//!   way as long as the great-circle (haversine) distances along its nodes. A stretch that
//!   leaves and returns to one junction (a loop with no other junction) is left out.
//! - **Buildings.** Closed ways tagged `building=*`, and multipolygon relations tagged
//!   `building=*` (their outer rings less their inner ones), are rooms at their centroid,
//!   barricadable, named by `name`, else "`addr:street` `addr:housenumber`", else
//!   "building 456" ("building relation 789" for a relation). A building holds
//!   [`OsmParams::people_per_100m2`] per 100 m² of footprint per level (`building:levels`,
//!   1 when untagged), at least one person. Each is joined to the nearest junction (straight
//!   line, at least 1 m). Tagged buildings with no usable footprint (an open way, another kind
//!   of relation, too few nodes in the extract, `building=no`) are counted but not placed.
//! - **One network.** Only the largest connected set of junctions is kept; the others, and
//!   the buildings joined to them, are dropped and counted (see [`OsmSummary`]).
//!
//! Positions are longitude/latitude (the world is [`geographic`](WorldBuilder::geographic)).
//! Zones: `map` (everything but the staging place), `streets`, `buildings`, one zone per
//! distinct building `name`, and one per named area (a closed way or multipolygon with a
//! `name` and one of [`AREA_KEYS`], such as school grounds, a park or a neighbourhood)
//! holding the junctions and buildings inside it, so a scenario can cordon, strike or lure
//! there.
//!
//! Every junction is a routing cell of its own, and its gate; the buildings joined to it lie
//! in its cell. Routes between junctions are exact shortest paths on a map of any size: a
//! table up to [`EXACT_GATES`](outbreak_engine::world::EXACT_GATES) gates (junctions and the
//! staging place), a contraction hierarchy beyond. Ways are walked both ways (one-way tags
//! are for vehicles).
//!
//! Nothing here reads files: [`import`] takes any reader. Map data © OpenStreetMap
//! contributors, available under the Open Database License (ODbL); pictures and reports made
//! from an imported map must carry that credit.
//!
//! [`import`] assembles the world here from its parts: `read` (the PBF's elements and tags),
//! `geometry` (distances, projection, rings, multipolygons, footprint areas, point in
//! polygon), `network` (junctions, segments, the largest connected set), `buildings`
//! (footprints, capacities, names, nearest junctions), `zones` (named areas), `people`
//! (homes and day places, [`OsmWorld::day_places`] and [`OsmWorld::routine`]) and `summary` ([`OsmSummary`]).

mod buildings;
mod geometry;
mod network;
mod people;
mod read;
mod summary;
mod zones;

pub use geometry::haversine_m;
pub use people::{DayPlaces, DAY_RADIUS_M};
pub use read::AREA_KEYS;
pub use summary::OsmSummary;

use crate::add_staging;
use crate::draft::Draft;
use buildings::footprints;
use network::network;
use outbreak_engine::prelude::*;
use outbreak_engine::world::WorldError;
use people::{day_grid, golden_stride, GridCell};
use read::read;
use std::io::Read;
use zones::{is_reserved, zone_areas, ZONE_BUILDINGS, ZONE_MAP, ZONE_STREETS};

/// Settings of the importer.
#[derive(Clone, Debug, PartialEq)]
pub struct OsmParams {
    /// `highway=*` values people walk on (by default footway, path, pedestrian, steps,
    /// cycleway, living_street, residential, service, unclassified, track, tertiary,
    /// secondary, primary and their links, road; not motorway or trunk, nor their links).
    /// Whatever the value, a way tagged `foot=no` or `foot=use_sidepath`, or `access=no`
    /// or `motorroad=yes` without `foot=yes`, `designated` or `permissive`, is left out.
    pub walkable: Vec<String>,
    /// People a building holds per 100 m² of footprint, times `building:levels` when tagged
    /// (1 level otherwise); every building holds at least one.
    pub people_per_100m2: f64,
    /// Capacity of the place where bite and kill rates are as given (contact scale 1).
    pub reference_capacity: f64,
    /// Strength of a building's barricaded door, zombie-hours.
    pub door_strength: f32,
}

impl Default for OsmParams {
    fn default() -> Self {
        let walkable = [
            "footway",
            "path",
            "pedestrian",
            "steps",
            "cycleway",
            "living_street",
            "residential",
            "service",
            "unclassified",
            "track",
            "tertiary",
            "secondary",
            "primary",
            "tertiary_link",
            "secondary_link",
            "primary_link",
            "road",
        ];
        Self {
            walkable: walkable.iter().map(|s| s.to_string()).collect(),
            people_per_100m2: 2.0,
            reference_capacity: 40.0,
            door_strength: 1.5,
        }
    }
}

/// An extract that cannot be imported.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum OsmError {
    /// The bytes are not a PBF file, or it ends early.
    #[error("not an OpenStreetMap PBF file or truncated: {message}")]
    NotPbf {
        /// What the reader found wrong.
        message: String,
    },
    /// The reader itself failed.
    #[error("cannot read the extract: {message}")]
    Read {
        /// The reader's error, as text.
        message: String,
    },
    /// The file needs a feature this importer does not read (such as history).
    #[error(
        "the extract needs the PBF feature `{feature}`, which this importer does not read \
         (it reads OsmSchema-V0.6 and DenseNodes)"
    )]
    Unsupported {
        /// The first required feature of the file's header that is not read.
        feature: String,
    },
    /// No way of a walkable kind with two or more nodes in the extract.
    #[error(
        "no walkable streets: {}",
        if *walkable_ways == 0 {
            format!("none of the extract's {highway_ways} ways tagged highway is of a kind looked for (highway={kinds})")
        } else {
            format!("the extract's {walkable_ways} walkable ways have fewer than two of their nodes in it (is it cut from a larger file without its ways' nodes?)")
        }
    )]
    NoWalkable {
        /// Ways tagged `highway=*` in the extract.
        highway_ways: u64,
        /// Of those, ways of a walkable kind.
        walkable_ways: u64,
        /// The walkable kinds looked for, comma-separated.
        kinds: String,
    },
    /// No building stands by the kept street network, so no one has a home.
    #[error(
        "no buildings: of the extract's {buildings} ways and relations tagged building, \
         {with_footprint} have a footprint and none is joined to the largest street network"
    )]
    NoBuildings {
        /// Ways and relations tagged `building=*` in the extract.
        buildings: u64,
        /// Of those, buildings with a usable footprint.
        with_footprint: u64,
    },
    /// A setting out of range.
    #[error("`{key}` must be {allowed} (got {value})")]
    Setting {
        /// The scenario key of the setting, such as `world.people_per_100m2`.
        key: &'static str,
        /// The values it may take, in words.
        allowed: &'static str,
        /// The value given.
        value: String,
    },
    /// The imported places and ways do not make a valid world.
    #[error("{0}")]
    World(#[from] WorldError),
}

/// An imported map and how its people live in it.
#[derive(Clone, Debug)]
pub struct OsmWorld {
    /// The junctions, buildings and named areas as places and zones, and the staging place.
    pub world: World,
    /// What the import found and kept.
    pub summary: OsmSummary,
    /// Buildings placed, in order of way id and then relation id.
    pub buildings: Vec<PlaceId>,
    /// Junctions kept, in order of node id.
    pub junctions: Vec<PlaceId>,
    /// The off-map staging place (see [`crate::add_staging`]).
    pub staging: PlaceId,
    /// The kept street segments for drawing: each straight piece between consecutive nodes,
    /// as (longitude, latitude) ends, so curves draw as they are (at least one piece a
    /// segment).
    pub streets: Vec<([f64; 2], [f64; 2])>,
    /// Building positions in metres, in the import's projection, for day places.
    building_m: Vec<[f64; 2]>,
    /// Running totals of building capacities (the last is the map's).
    cumulative: Vec<u64>,
    /// Step between consecutive people's home slots; coprime to the total capacity.
    stride: u64,
    /// Buildings (index in `buildings`) sorted by the [`DAY_RADIUS_M`] grid cell they stand
    /// in, for finding day places near home.
    grid: Vec<(GridCell, u32)>,
}

/// People a junction holds.
const JUNCTION_CAPACITY: u32 = 200;

/// Imports an extract read from `reader`.
///
/// ```
/// use outbreak_world::osm::{import, OsmError, OsmParams};
/// let pbf = include_bytes!(concat!(
///     env!("CARGO_MANIFEST_DIR"),
///     "/../../data/osm/kotka-karhula.osm.pbf"
/// ));
/// let map = import(&pbf[..], &OsmParams::default()).unwrap();
/// assert!(map.summary.buildings_placed > 1_000);
/// let days = map.day_places(7, 1);
/// let (_role, anchors) = map.routine(&days, 0);
/// assert!(map.world.route(anchors[0], anchors[1], 10_000).is_some());
/// assert!(matches!(
///     import(&b"hello"[..], &OsmParams::default()),
///     Err(OsmError::NotPbf { .. })
/// ));
/// ```
pub fn import<R: Read + Send>(reader: R, p: &OsmParams) -> Result<OsmWorld, OsmError> {
    check(p)?;
    let x = read(reader, &p.walkable)?;
    let Some(net) = network(&x) else {
        return Err(OsmError::NoWalkable {
            highway_ways: x.counts.highway_ways,
            walkable_ways: x.counts.walkable_ways,
            kinds: p.walkable.join(", "),
        });
    };
    let (footprints, unusable) = footprints(&x, p, &net);
    let with_footprint = footprints.len() as u64;

    // The world: kept junctions, kept buildings, staging.
    let mut g = Draft::new(p.reference_capacity);
    g.b.geographic(true);
    let map_zone = g.b.zone(ZONE_MAP);
    let streets_zone = g.b.zone(ZONE_STREETS);
    let buildings_zone = g.b.zone(ZONE_BUILDINGS);
    let mut place_of_junction: Vec<Option<PlaceId>> = vec![None; net.junction_nodes.len()];
    let mut junctions = Vec::new();
    let mut cell_of_junction = vec![0u32; net.junction_nodes.len()];
    let mut bbox = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    let mut grow = |q: [f64; 2]| {
        bbox = [
            bbox[0].min(q[0]),
            bbox[1].min(q[1]),
            bbox[2].max(q[0]),
            bbox[3].max(q[1]),
        ];
    };
    for (j, &node) in net.junction_nodes.iter().enumerate() {
        if !net.kept[j] {
            continue;
        }
        let name = match net.street_name[j] {
            Some(street) => format!("{street} at node {node}"),
            None => format!("node {node}"),
        };
        let id = g.place(
            name,
            PlaceKind::Street,
            net.junction_pos[j],
            JUNCTION_CAPACITY,
            0.0,
        );
        grow(net.junction_pos[j]);
        cell_of_junction[j] = g.enclose(&[id], id, &[map_zone, streets_zone]);
        place_of_junction[j] = Some(id);
        junctions.push(id);
    }
    let mut streets = Vec::new();
    let mut street_segments = 0u64;
    for s in &net.segments {
        let (Some(a), Some(c)) = (
            place_of_junction[s.a as usize],
            place_of_junction[s.b as usize],
        ) else {
            continue;
        };
        g.b.add_way(a, c, s.length_m as f32);
        street_segments += 1;
        let line = &net.points[s.points.clone()];
        for pair in line.windows(2) {
            streets.push((pair[0], pair[1]));
            grow(pair[1]);
        }
    }
    let mut buildings = Vec::new();
    let mut building_m = Vec::new();
    let mut cumulative = Vec::new();
    let mut capacity = 0u64;
    let mut dropped_buildings = 0u64;
    for f in footprints {
        let Some(at) = place_of_junction[f.junction] else {
            dropped_buildings += 1;
            continue;
        };
        let id = g.place_in(
            f.name,
            PlaceKind::Room,
            f.centroid,
            f.capacity,
            p.door_strength,
            &[map_zone, buildings_zone],
        );
        grow(f.centroid);
        if let Some(zone) = f.zone_name.filter(|z| !is_reserved(z)) {
            let z = g.b.zone(&zone);
            g.b.put_in_zone(id, z);
        }
        let length = haversine_m(f.centroid, net.junction_pos[f.junction]).max(1.0);
        g.b.add_way(id, at, length as f32);
        // A building lies in its junction's cell: the junctions alone are gates, so the
        // exact route table stays small.
        g.b.set_cell(id, cell_of_junction[f.junction]);
        capacity += u64::from(f.capacity);
        cumulative.push(capacity);
        building_m.push(net.proj.to_m(f.centroid));
        buildings.push(id);
    }
    if buildings.is_empty() {
        return Err(OsmError::NoBuildings {
            buildings: x.counts.buildings,
            with_footprint,
        });
    }
    let kept_places: Vec<([f64; 2], PlaceId)> = junctions
        .iter()
        .chain(&buildings)
        .map(|&id| (g.b.pos(id), id))
        .collect();
    let named_areas = zone_areas(&mut g, &x, &kept_places);
    let staging = add_staging(&mut g.b);
    let world = g.b.build()?;
    let grid = day_grid(&building_m);
    let summary = OsmSummary {
        nodes: x.counts.nodes,
        ways: x.counts.ways,
        relations: x.counts.relations,
        highway_ways: x.counts.highway_ways,
        walkable_ways: x.counts.walkable_ways,
        buildings: x.counts.buildings,
        junctions: junctions.len() as u64,
        street_segments,
        buildings_placed: buildings.len() as u64,
        components: net.components,
        dropped_junctions: (net.junction_nodes.len() - junctions.len()) as u64,
        dropped_buildings,
        unusable_buildings: unusable,
        named_areas,
        bbox,
        capacity,
    };
    Ok(OsmWorld {
        world,
        summary,
        buildings,
        junctions,
        staging,
        streets,
        building_m,
        stride: golden_stride(capacity),
        cumulative,
        grid,
    })
}

fn check(p: &OsmParams) -> Result<(), OsmError> {
    let setting = |key, allowed, value: String| {
        Err(OsmError::Setting {
            key,
            allowed,
            value,
        })
    };
    if p.walkable.is_empty() {
        return setting("world.walkable", "at least one highway kind", "none".into());
    }
    if !(p.people_per_100m2.is_finite() && p.people_per_100m2 > 0.0 && p.people_per_100m2 <= 1e4) {
        return setting(
            "world.people_per_100m2",
            "over 0 and at most 10000",
            p.people_per_100m2.to_string(),
        );
    }
    if !(p.reference_capacity.is_finite() && p.reference_capacity > 0.0) {
        return setting(
            "world.reference_capacity",
            "a positive number",
            p.reference_capacity.to_string(),
        );
    }
    if !(p.door_strength.is_finite() && p.door_strength >= 0.0) {
        return setting(
            "world.door_strength_zombie_hours",
            "a number of at least 0",
            p.door_strength.to_string(),
        );
    }
    Ok(())
}
