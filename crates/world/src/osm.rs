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
//! in its cell. Up to [`EXACT_GATES`](outbreak_engine::world::EXACT_GATES) gates (junctions
//! and the staging place) routes are exact shortest paths; larger maps fall back to the
//! engine's greedy routing between gates, which can stall at dead ends of an irregular
//! street network (walkers then wait there).
//!
//! Nothing here reads files: [`import`] takes any reader. Map data © OpenStreetMap
//! contributors, available under the Open Database License (ODbL); pictures and reports made
//! from an imported map must carry that credit.

use crate::draft::Draft;
use crate::{add_staging, dist2};
use osmpbf::{BlobDecode, BlobReader, Element, RelMemberType};
use outbreak_engine::agents::ANCHORS;
use outbreak_engine::prelude::*;
use outbreak_engine::rng::{self, Stream};
use outbreak_engine::world::WorldError;
use rand::Rng;
use rstar::primitives::GeomWithData;
use rstar::RTree;
use std::io::Read;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

/// Settings of the importer.
#[derive(Clone, Debug, PartialEq)]
pub struct OsmParams {
    /// `highway=*` values people walk on (by default footway, path, pedestrian, steps,
    /// cycleway, living_street, residential, service, unclassified, track, tertiary,
    /// secondary, primary and their links, road; not motorway or trunk, nor their links).
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
    NotPbf { message: String },
    /// The reader itself failed.
    #[error("cannot read the extract: {message}")]
    Read { message: String },
    /// The file needs a feature this importer does not read (such as history).
    #[error(
        "the extract needs the PBF feature `{feature}`, which this importer does not read \
         (it reads OsmSchema-V0.6 and DenseNodes)"
    )]
    Unsupported { feature: String },
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
        highway_ways: u64,
        walkable_ways: u64,
        kinds: String,
    },
    /// No building stands by the kept street network, so no one has a home.
    #[error(
        "no buildings: of the extract's {buildings} ways and relations tagged building, \
         {with_footprint} have a footprint and none is joined to the largest street network"
    )]
    NoBuildings { buildings: u64, with_footprint: u64 },
    /// A setting out of range.
    #[error("`{key}` must be {allowed} (got {value})")]
    Setting {
        key: &'static str,
        allowed: &'static str,
        value: String,
    },
    #[error("{0}")]
    World(#[from] WorldError),
}

/// What the importer found and kept.
#[derive(Clone, Debug, PartialEq)]
pub struct OsmSummary {
    /// Elements in the extract.
    pub nodes: u64,
    pub ways: u64,
    pub relations: u64,
    /// Ways tagged `highway=*` (any value).
    pub highway_ways: u64,
    /// Ways of a walkable `highway` kind.
    pub walkable_ways: u64,
    /// Ways and relations tagged `building=*` (any value), as `osmium tags-filter
    /// w/building r/building` counts them.
    pub buildings: u64,
    /// Junctions kept (places).
    pub junctions: u64,
    /// Street segments kept (ways between junctions).
    pub street_segments: u64,
    /// Buildings placed.
    pub buildings_placed: u64,
    /// Connected sets of junctions before all but the largest were dropped.
    pub components: u64,
    /// Junctions in the smaller sets, dropped.
    pub dropped_junctions: u64,
    /// Buildings joined to a dropped junction, dropped.
    pub dropped_buildings: u64,
    /// Tagged buildings without a usable footprint, not placed:
    /// `buildings == buildings_placed + dropped_buildings + unusable_buildings`.
    pub unusable_buildings: u64,
    /// Named areas (see [`AREA_KEYS`]) with a kept place inside, each a zone.
    pub named_areas: u64,
    /// Minimum longitude, minimum latitude, maximum longitude, maximum latitude of what was
    /// kept (junctions, street nodes, buildings), degrees.
    pub bbox: [f64; 4],
    /// People the buildings placed hold.
    pub capacity: u64,
}

impl std::fmt::Display for OsmSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = thousands;
        writeln!(
            f,
            "elements:  {} nodes, {} ways, {} relations",
            n(self.nodes),
            n(self.ways),
            n(self.relations)
        )?;
        writeln!(
            f,
            "streets:   {} ways tagged highway, {} walkable",
            n(self.highway_ways),
            n(self.walkable_ways)
        )?;
        writeln!(
            f,
            "network:   {} junctions and {} street segments kept, the largest of {} connected \
             pieces ({} junctions dropped)",
            n(self.junctions),
            n(self.street_segments),
            n(self.components),
            n(self.dropped_junctions)
        )?;
        writeln!(
            f,
            "buildings: {} tagged, {} placed, {} dropped (off the kept network), {} without a \
             footprint",
            n(self.buildings),
            n(self.buildings_placed),
            n(self.dropped_buildings),
            n(self.unusable_buildings)
        )?;
        writeln!(
            f,
            "zones:     {} named areas (landuse, amenity, leisure, place, tourism) with places in them",
            n(self.named_areas)
        )?;
        writeln!(f, "capacity:  {} people", n(self.capacity))?;
        let [x0, y0, x1, y1] = self.bbox;
        let mid = (y0 + y1) / 2.0;
        let wide = haversine_m([x0, mid], [x1, mid]) / 1000.0;
        let high = haversine_m([x0, y0], [x0, y1]) / 1000.0;
        writeln!(
            f,
            "extent:    longitude {x0:.5} to {x1:.5}, latitude {y0:.5} to {y1:.5} \
             ({wide:.1} km × {high:.1} km)"
        )
    }
}

/// `1234567` as `1,234,567`.
fn thousands(v: u64) -> String {
    let digits = v.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An imported map and how its people live in it.
#[derive(Clone, Debug)]
pub struct OsmWorld {
    pub world: World,
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
    grid: Vec<((i64, i64), u32)>,
    /// Running totals of the capacities of the buildings in `grid` order, from 0 (one more
    /// than `grid`), for drawing a day place in proportion to capacity.
    grid_weight: Vec<u64>,
}

/// A day place lies within this straight distance of home when any building does.
pub const DAY_RADIUS_M: f64 = 1_000.0;
/// Random draws of a day place before the buildings near home are listed.
const DAY_TRIES: u32 = 32;
const JUNCTION_CAPACITY: u32 = 200;
/// Levels counted at most, so a mistyped `building:levels` cannot fill a city.
const MAX_LEVELS: f64 = 200.0;
const MAX_BUILDING_CAPACITY: f64 = 1e8;
/// Mean Earth radius, metres (IUGG).
const EARTH_RADIUS_M: f64 = 6_371_008.8;
const ZONE_MAP: &str = "map";
const ZONE_STREETS: &str = "streets";
const ZONE_BUILDINGS: &str = "buildings";

impl OsmWorld {
    /// Role and anchors (home, morning, lunch, afternoon) of person `k`.
    ///
    /// Homes: the map's capacity is a row of slots, each building's slots together; person
    /// `k` takes slot `k·s mod C` (`C` the total capacity, `s ≈ 0.618·C` coprime to `C`). The
    /// first `C` people thus take distinct slots, so no home is over-full while the
    /// population is at most the capacity, and any number of people spreads over the
    /// buildings in proportion to capacity (a golden-ratio sequence); past `C` the deal
    /// starts again. Day place: another building within [`DAY_RADIUS_M`] of home (straight
    /// line), drawn in proportion to its capacity (so the big buildings, where work and
    /// school are, fill by day) from `rng::stream(seed, Stream::Setup, 0, k)`; the nearest
    /// other building in the 3 km square around home if none is that near, or home itself.
    pub fn routine(&self, seed: u64, k: u32) -> (Role, [PlaceId; ANCHORS]) {
        let home = self.home_of(k);
        let mut rng = rng::stream(seed, Stream::Setup, 0, k);
        let work = self.buildings[self.day_place(home, &mut rng)];
        (Role::Civilian, [self.buildings[home], work, work, work])
    }

    /// Index in `buildings` of person `k`'s home.
    fn home_of(&self, k: u32) -> usize {
        let total = u128::from(*self.cumulative.last().unwrap_or(&1)).max(1);
        let slot = (u128::from(k) % total * u128::from(self.stride) % total) as u64;
        self.cumulative
            .partition_point(|&c| c <= slot)
            .min(self.buildings.len() - 1)
    }

    /// Index in `buildings` of a day place for someone living in building `home`.
    fn day_place<R: Rng>(&self, home: usize, rng: &mut R) -> usize {
        let at = self.building_m[home];
        let (cx, cy) = grid_cell(at);
        let ranges: [Range<usize>; 9] = std::array::from_fn(|i| {
            let key = (cx + i as i64 % 3 - 1, cy + i as i64 / 3 - 1);
            let start = self.grid.partition_point(|e| e.0 < key);
            let end = self.grid.partition_point(|e| e.0 <= key);
            start..end
        });
        let gw = &self.grid_weight;
        let weight = |r: &Range<usize>| gw[r.end] - gw[r.start];
        let total: u64 = ranges.iter().map(weight).sum();
        let near = |b: usize| b != home && dist2(self.building_m[b], at) <= DAY_RADIUS_M.powi(2);
        // The building in the nine cells whose share of their capacity holds `u`.
        let pick = |mut u: u64| {
            for r in &ranges {
                if u < weight(r) {
                    let target = gw[r.start] + u;
                    let i = r.start + gw[r.start + 1..=r.end].partition_point(|&c| c <= target);
                    return self.grid[i].1 as usize;
                }
                u -= weight(r);
            }
            home
        };
        for _ in 0..DAY_TRIES {
            let b = pick(rng.random_range(0..total.max(1)));
            if near(b) {
                return b;
            }
        }
        // Few buildings near home: list them and draw among them by capacity.
        let around = || ranges.iter().flat_map(|r| r.clone());
        let near_ones: Vec<(usize, u64)> = around()
            .filter(|&i| near(self.grid[i].1 as usize))
            .map(|i| (self.grid[i].1 as usize, gw[i + 1] - gw[i]))
            .collect();
        let near_total: u64 = near_ones.iter().map(|n| n.1).sum();
        if near_total > 0 {
            let mut u = rng.random_range(0..near_total);
            for &(b, w) in &near_ones {
                if u < w {
                    return b;
                }
                u -= w;
            }
        }
        around()
            .map(|i| self.grid[i].1 as usize)
            .filter(|&b| b != home)
            .min_by(|&a, &b| {
                dist2(self.building_m[a], at)
                    .total_cmp(&dist2(self.building_m[b], at))
                    .then(a.cmp(&b))
            })
            .unwrap_or(home)
    }
}

fn grid_cell(p: [f64; 2]) -> (i64, i64) {
    (
        (p[0] / DAY_RADIUS_M).floor() as i64,
        (p[1] / DAY_RADIUS_M).floor() as i64,
    )
}

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
/// let (_role, anchors) = map.routine(7, 0);
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
    let Network {
        junction_nodes,
        junction_pos,
        street_name,
        segments,
        points,
        components,
        kept,
        proj,
    } = net;

    // The world: kept junctions, kept buildings, staging.
    let mut g = Draft::new(p.reference_capacity);
    g.b.geographic(true);
    let map_zone = g.b.zone(ZONE_MAP);
    let streets_zone = g.b.zone(ZONE_STREETS);
    let buildings_zone = g.b.zone(ZONE_BUILDINGS);
    let mut place_of_junction: Vec<Option<PlaceId>> = vec![None; junction_nodes.len()];
    let mut junctions = Vec::new();
    let mut cell_of_junction = vec![0u32; junction_nodes.len()];
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
    for (j, &node) in junction_nodes.iter().enumerate() {
        if !kept[j] {
            continue;
        }
        let name = match street_name[j] {
            Some(street) => format!("{street} at node {node}"),
            None => format!("node {node}"),
        };
        let id = g.place(
            name,
            PlaceKind::Street,
            junction_pos[j],
            JUNCTION_CAPACITY,
            0.0,
        );
        grow(junction_pos[j]);
        cell_of_junction[j] = g.enclose(&[id], id, &[map_zone, streets_zone]);
        place_of_junction[j] = Some(id);
        junctions.push(id);
    }
    let mut streets = Vec::new();
    let mut street_segments = 0u64;
    for s in &segments {
        let (Some(a), Some(c)) = (
            place_of_junction[s.a as usize],
            place_of_junction[s.b as usize],
        ) else {
            continue;
        };
        g.b.add_way(a, c, s.length_m as f32);
        street_segments += 1;
        let line = &points[s.points.clone()];
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
        if let Some(zone) = f
            .zone_name
            .filter(|z| ![ZONE_MAP, ZONE_STREETS, ZONE_BUILDINGS].contains(&z.as_str()))
        {
            let z = g.b.zone(&zone);
            g.b.put_in_zone(id, z);
        }
        let length = haversine_m(f.centroid, junction_pos[f.junction]).max(1.0);
        g.b.add_way(id, at, length as f32);
        // A building lies in its junction's cell: the junctions alone are gates, so the
        // exact route table stays small.
        g.b.set_cell(id, cell_of_junction[f.junction]);
        capacity += u64::from(f.capacity);
        cumulative.push(capacity);
        building_m.push(proj.to_m(f.centroid));
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
    let mut named_areas = 0u64;
    for (name, inside) in areas(&x, &kept_places) {
        if [ZONE_MAP, ZONE_STREETS, ZONE_BUILDINGS].contains(&name.as_str()) {
            continue;
        }
        named_areas += 1;
        let z = g.b.zone(&name);
        g.zone_all(&inside, &[z]);
    }
    let staging = add_staging(&mut g.b);
    let world = g.b.build()?;

    let mut grid: Vec<((i64, i64), u32)> = building_m
        .iter()
        .enumerate()
        .map(|(i, &q)| (grid_cell(q), i as u32))
        .collect();
    grid.sort_unstable();
    let mut grid_weight = vec![0u64];
    for &(_, i) in &grid {
        let i = i as usize;
        let below = if i == 0 { 0 } else { cumulative[i - 1] };
        grid_weight.push(grid_weight.last().unwrap() + cumulative[i] - below);
    }
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
        components,
        dropped_junctions: (junction_nodes.len() - junctions.len()) as u64,
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
        grid_weight,
    })
}

/// The walkable street network of an extract, before it becomes places.
struct Network<'x> {
    /// Node ids of the junctions, ascending; a junction's index is its place here.
    junction_nodes: Vec<i64>,
    junction_pos: Vec<[f64; 2]>,
    /// Name of the first named way (by id) through each junction.
    street_name: Vec<Option<&'x str>>,
    segments: Vec<Segment>,
    /// Positions of the segments' nodes (see [`Segment::points`]).
    points: Vec<[f64; 2]>,
    /// Connected sets of junctions.
    components: u64,
    /// Whether each junction is in the largest set.
    kept: Vec<bool>,
    /// A projection to metres about the junctions' centre.
    proj: Projection,
}

/// The junctions and street segments of the walkable ways; `None` if there are none (with
/// two located nodes).
fn network(x: &Extract) -> Option<Network<'_>> {
    // Walkable ways, in order of id, cut where the extract lacks a node.
    let mut pieces: Vec<Piece> = Vec::new();
    for (w, way) in x.ways.iter().enumerate() {
        if way.street.is_none() {
            continue;
        }
        let mut run: Vec<i64> = Vec::new();
        for &r in &way.refs {
            if x.node(r).is_some() {
                if run.last() != Some(&r) {
                    run.push(r);
                }
            } else if run.len() >= 2 {
                pieces.push(Piece {
                    way: w,
                    nodes: std::mem::take(&mut run),
                });
            } else {
                run.clear();
            }
        }
        if run.len() >= 2 {
            pieces.push(Piece { way: w, nodes: run });
        }
    }
    if pieces.is_empty() {
        return None;
    }

    // Junctions: ends of pieces and nodes used more than once.
    let mut uses: Vec<i64> = Vec::new();
    for piece in &pieces {
        uses.extend_from_slice(&piece.nodes);
        // An end counts twice, so it is a junction whatever else passes.
        uses.extend([piece.nodes[0], piece.nodes[piece.nodes.len() - 1]]);
    }
    uses.sort_unstable();
    let mut junction_nodes: Vec<i64> = uses
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| w[0])
        .collect();
    junction_nodes.dedup();
    drop(uses);
    let junction_of = |n: i64| junction_nodes.binary_search(&n).ok();
    let mut street_name: Vec<Option<&str>> = vec![None; junction_nodes.len()];

    // Street segments between consecutive junctions of each piece.
    let mut segments: Vec<Segment> = Vec::new();
    let mut points: Vec<[f64; 2]> = Vec::new();
    for piece in &pieces {
        let name = x.ways[piece.way]
            .street
            .as_ref()
            .and_then(|s| s.name.as_deref());
        for &n in &piece.nodes {
            if let Some(j) = junction_of(n) {
                street_name[j] = street_name[j].or(name);
            }
        }
        let mut from = junction_of(piece.nodes[0]).expect("a piece starts at a junction");
        let mut length = 0.0;
        let mut start = points.len();
        let mut prev = x.node(piece.nodes[0]).expect("pieces hold located nodes");
        points.push(prev);
        for &n in &piece.nodes[1..] {
            let here = x.node(n).expect("pieces hold located nodes");
            length += haversine_m(prev, here);
            points.push(here);
            prev = here;
            if let Some(to) = junction_of(n) {
                if to != from {
                    segments.push(Segment {
                        a: from as u32,
                        b: to as u32,
                        length_m: length,
                        points: start..points.len(),
                    });
                }
                from = to;
                length = 0.0;
                start = points.len() - 1;
            }
        }
    }

    // The largest connected set of junctions (on a tie, the one with the lowest node id:
    // a set's root is its lowest member).
    let mut sets = UnionFind::new(junction_nodes.len());
    for s in &segments {
        sets.union(s.a as usize, s.b as usize);
    }
    let mut size = vec![0u64; junction_nodes.len()];
    for j in 0..junction_nodes.len() {
        size[sets.find(j)] += 1;
    }
    let components = size.iter().filter(|&&s| s > 0).count() as u64;
    let mut largest = 0;
    for j in 0..junction_nodes.len() {
        let root = sets.find(j);
        if size[root] > size[largest] {
            largest = root;
        }
    }
    let kept: Vec<bool> = (0..junction_nodes.len())
        .map(|j| sets.find(j) == largest)
        .collect();
    let junction_pos: Vec<[f64; 2]> = junction_nodes
        .iter()
        .map(|&n| x.node(n).expect("junctions are located nodes"))
        .collect();
    let proj = Projection::around(&junction_pos);
    Some(Network {
        junction_nodes,
        junction_pos,
        street_name,
        segments,
        points,
        components,
        kept,
        proj,
    })
}

/// The buildings with a footprint (capacity, centroid, nearest junction), and the number
/// of tagged buildings without one.
fn footprints(x: &Extract, p: &OsmParams, net: &Network) -> (Vec<Footprint>, u64) {
    let tree = RTree::bulk_load(
        net.junction_pos
            .iter()
            .enumerate()
            .map(|(j, &q)| GeomWithData::new(net.proj.to_m(q), j as u32))
            .collect(),
    );
    let mut out: Vec<Footprint> = Vec::new();
    let mut unusable = 0u64;
    let tagged = x
        .ways
        .iter()
        .filter_map(|w| {
            w.building
                .as_ref()
                .map(|b| (b, Outline::Way(&w.refs), w.id))
        })
        .chain(
            x.relations
                .iter()
                .map(|r| (&r.building, Outline::Relation(r), r.id)),
        );
    for (tags, outline, id) in tagged {
        let rings = match outline {
            _ if tags.is_no => None,
            Outline::Way(refs) => closed_ring(refs).map(|r| (vec![r], Vec::new())),
            Outline::Relation(r) if r.multipolygon => {
                let (outer, inner) = x.multipolygon(&r.outer, &r.inner);
                (!outer.is_empty()).then_some((outer, inner))
            }
            Outline::Relation(_) => None,
        };
        let shape = rings
            .and_then(|(outer, inner)| area_and_centroid(&x.locate(&outer), &x.locate(&inner)));
        let Some((area_m2, centroid)) = shape else {
            unusable += 1;
            continue;
        };
        let persons = area_m2 * tags.levels * p.people_per_100m2 / 100.0;
        let capacity = persons.round().clamp(1.0, MAX_BUILDING_CAPACITY) as u32;
        let nearest = tree
            .nearest_neighbor(&net.proj.to_m(centroid))
            .map_or(0, |g| g.data as usize);
        let name = match (&tags.name, &tags.street, &tags.housenumber) {
            (Some(name), _, _) => name.clone(),
            (None, Some(street), Some(number)) => format!("{street} {number}"),
            _ if matches!(outline, Outline::Relation(_)) => format!("building relation {id}"),
            _ => format!("building {id}"),
        };
        out.push(Footprint {
            name,
            zone_name: tags.name.clone(),
            centroid,
            capacity,
            junction: nearest,
        });
    }
    (out, unusable)
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

/// The step of the golden-ratio deal of `total` home slots: near `0.618·total` and coprime
/// to it, so that `k ↦ k·stride mod total` visits every slot once.
fn golden_stride(total: u64) -> u64 {
    if total <= 2 {
        return 1;
    }
    let mut s = ((total as f64) * 0.618_033_988_749_895).round() as u64;
    s = s.clamp(1, total - 1);
    // total − 1 is coprime to total, so this stops by then.
    while gcd(s, total) != 1 {
        s += 1;
    }
    s
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

// ---------------------------------------------------------------------------------------
// Reading the PBF.

#[derive(Default)]
struct Extract {
    /// Located nodes, sorted by id.
    nodes: Vec<(i64, [f64; 2])>,
    /// Every way (their nodes may be members of building relations), sorted by id.
    ways: Vec<WayRec>,
    /// Relations tagged `building`, sorted by id.
    relations: Vec<RelationRec>,
    /// Named areas (see [`AREA_KEYS`]): closed ways, then multipolygon relations.
    areas: Vec<AreaRec>,
    counts: Counts,
}

/// Keys that make a closed way or a multipolygon with a `name` a named area, whose name
/// becomes a zone of the places inside it (buildings and highways are not areas).
pub const AREA_KEYS: [&str; 5] = ["landuse", "amenity", "leisure", "place", "tourism"];

struct AreaRec {
    /// Way or relation id, for a stable order.
    id: i64,
    is_relation: bool,
    name: String,
    /// A way's node ids, or a relation's outer member way ids.
    outer: Vec<i64>,
    /// A relation's inner member way ids.
    inner: Vec<i64>,
}

#[derive(Default)]
struct Counts {
    nodes: u64,
    ways: u64,
    relations: u64,
    highway_ways: u64,
    walkable_ways: u64,
    buildings: u64,
}

struct WayRec {
    id: i64,
    refs: Vec<i64>,
    street: Option<StreetTags>,
    building: Option<BuildingTags>,
}

struct StreetTags {
    name: Option<String>,
}

#[derive(Default)]
struct BuildingTags {
    /// `building=no`: tagged, but not a building.
    is_no: bool,
    name: Option<String>,
    street: Option<String>,
    housenumber: Option<String>,
    levels: f64,
}

struct RelationRec {
    id: i64,
    building: BuildingTags,
    multipolygon: bool,
    /// Member ways by role (an empty role counts as outer, as in old multipolygons).
    outer: Vec<i64>,
    inner: Vec<i64>,
}

impl Extract {
    fn node(&self, id: i64) -> Option<[f64; 2]> {
        self.nodes
            .binary_search_by_key(&id, |n| n.0)
            .ok()
            .map(|i| self.nodes[i].1)
    }

    /// The outer and inner rings (node ids) of a multipolygon from its member ways.
    fn multipolygon(&self, outer: &[i64], inner: &[i64]) -> (Vec<Vec<i64>>, Vec<Vec<i64>>) {
        (
            assemble_rings(self.member_refs(outer)),
            assemble_rings(self.member_refs(inner)),
        )
    }

    /// Rings of node ids as positions. Nodes the extract lacks (a shape cut by its edge)
    /// are skipped; a ring needs three distinct located points.
    fn locate(&self, rings: &[Vec<i64>]) -> Vec<Vec<[f64; 2]>> {
        rings
            .iter()
            .map(|ring| ring.iter().filter_map(|&n| self.node(n)).collect())
            .filter(|ring: &Vec<[f64; 2]>| distinct_points(ring) >= 3)
            .collect()
    }

    /// The node lists of these member ways (those in the extract).
    fn member_refs(&self, ways: &[i64]) -> Vec<Vec<i64>> {
        ways.iter()
            .filter_map(|&id| self.ways.binary_search_by_key(&id, |w| w.id).ok())
            .map(|i| self.ways[i].refs.clone())
            .collect()
    }

    fn add(&mut self, e: Element<'_>, walkable: &[String]) {
        match e {
            Element::Node(n) => self.add_node(n.id(), n.lon(), n.lat()),
            Element::DenseNode(n) => self.add_node(n.id(), n.lon(), n.lat()),
            Element::Way(w) => {
                self.counts.ways += 1;
                let mut highway = None;
                let mut name = None;
                let mut building = BuildingTags::default();
                let (mut is_building, mut is_area) = (false, false);
                for (k, v) in w.tags() {
                    match k {
                        "highway" => highway = Some(v),
                        "building" => is_building = true,
                        "name" => name = Some(v.to_string()),
                        _ if AREA_KEYS.contains(&k) => is_area = true,
                        _ => {}
                    }
                    building.tag(k, v);
                }
                let refs: Vec<i64> = w.refs().collect();
                if let Some(n) = name.as_ref().filter(|_| {
                    is_area && !is_building && highway.is_none() && closed_ring(&refs).is_some()
                }) {
                    self.areas.push(AreaRec {
                        id: w.id(),
                        is_relation: false,
                        name: n.clone(),
                        outer: refs.clone(),
                        inner: Vec::new(),
                    });
                }
                if highway.is_some() {
                    self.counts.highway_ways += 1;
                }
                let street = highway
                    .filter(|h| walkable.iter().any(|k| k == h))
                    .map(|_| StreetTags { name });
                if street.is_some() {
                    self.counts.walkable_ways += 1;
                }
                if is_building {
                    self.counts.buildings += 1;
                }
                self.ways.push(WayRec {
                    id: w.id(),
                    refs,
                    street,
                    building: is_building.then(|| building.finish()),
                });
            }
            Element::Relation(r) => {
                self.counts.relations += 1;
                let mut building = BuildingTags::default();
                let (mut is_building, mut multipolygon, mut is_area) = (false, false, false);
                let mut name = None;
                for (k, v) in r.tags() {
                    match (k, v) {
                        ("building", _) => is_building = true,
                        ("type", "multipolygon") => multipolygon = true,
                        ("name", _) => name = Some(v.to_string()),
                        _ if AREA_KEYS.contains(&k) => is_area = true,
                        _ => {}
                    }
                    building.tag(k, v);
                }
                let area_name = name.filter(|_| is_area && multipolygon && !is_building);
                if !is_building && area_name.is_none() {
                    return;
                }
                let (mut outer, mut inner) = (Vec::new(), Vec::new());
                for m in r.members() {
                    if m.member_type != RelMemberType::Way {
                        continue;
                    }
                    match m.role() {
                        Ok("outer") | Ok("") => outer.push(m.member_id),
                        Ok("inner") => inner.push(m.member_id),
                        _ => {}
                    }
                }
                if let Some(name) = area_name {
                    self.areas.push(AreaRec {
                        id: r.id(),
                        is_relation: true,
                        name,
                        outer,
                        inner,
                    });
                    return;
                }
                self.counts.buildings += 1;
                self.relations.push(RelationRec {
                    id: r.id(),
                    building: building.finish(),
                    multipolygon,
                    outer,
                    inner,
                });
            }
        }
    }

    fn add_node(&mut self, id: i64, lon: f64, lat: f64) {
        self.counts.nodes += 1;
        if lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0 {
            self.nodes.push((id, [lon, lat]));
        }
    }

    /// Sorts everything by id (files are usually sorted already) and keeps the first of any
    /// element listed twice.
    fn sort(&mut self) {
        self.nodes.sort_by_key(|n| n.0);
        self.nodes.dedup_by_key(|n| n.0);
        self.ways.sort_by_key(|w| w.id);
        self.ways.dedup_by_key(|w| w.id);
        self.relations.sort_by_key(|r| r.id);
        self.relations.dedup_by_key(|r| r.id);
        self.areas.sort_by_key(|a| (a.is_relation, a.id));
        self.areas.dedup_by_key(|a| (a.is_relation, a.id));
    }
}

impl BuildingTags {
    fn tag(&mut self, k: &str, v: &str) {
        match k {
            "building" => self.is_no = v == "no",
            "name" => self.name = Some(v.to_string()),
            "addr:street" => self.street = Some(v.to_string()),
            "addr:housenumber" => self.housenumber = Some(v.to_string()),
            "building:levels" => self.levels = parse_levels(v),
            _ => {}
        }
    }

    fn finish(mut self) -> Self {
        if self.levels < 1.0 {
            self.levels = 1.0;
        }
        self
    }
}

/// Levels from a `building:levels` value ("3", "2.5", "2;3" → the first); 0 when unusable
/// (then 1 is counted).
fn parse_levels(v: &str) -> f64 {
    let first = v.split([';', ',']).next().unwrap_or("").trim();
    match first.parse::<f64>() {
        Ok(l) if l.is_finite() && l > 0.0 => l.min(MAX_LEVELS),
        _ => 0.0,
    }
}

fn read<R: Read + Send>(reader: R, walkable: &[String]) -> Result<Extract, OsmError> {
    let mut x = Extract::default();
    let mut blocks = 0u64;
    let consumed = AtomicU64::new(0);
    // Where the last whole block ended: osmpbf takes one to three bytes after it for a
    // clean end of file, so those are checked here.
    let mut block_end = 0;
    let counting = Counting {
        inner: reader,
        count: &consumed,
    };
    for blob in BlobReader::new(counting) {
        let decoded = blob.and_then(|b| match b.decode() {
            Ok(BlobDecode::OsmHeader(h)) => Ok(Decoded::Header(
                h.required_features()
                    .iter()
                    .find(|f| !["OsmSchema-V0.6", "DenseNodes"].contains(&f.as_str()))
                    .cloned(),
            )),
            Ok(BlobDecode::OsmData(block)) => Ok(Decoded::Data(block)),
            Ok(BlobDecode::Unknown(_)) => Ok(Decoded::Unknown),
            Err(e) => Err(e),
        });
        let decoded = decoded.map_err(pbf_error)?;
        block_end = consumed.load(Ordering::Relaxed);
        match decoded {
            Decoded::Header(Some(feature)) => return Err(OsmError::Unsupported { feature }),
            Decoded::Header(None) => {}
            _ if blocks == 0 => {
                return Err(OsmError::NotPbf {
                    message: "the first block is not an OSMHeader block".into(),
                })
            }
            Decoded::Data(block) => {
                // osmpbf panics on a few malformed blocks (an unknown relation member type);
                // bad input must come back as an error, not a crash.
                quietly(|| block.for_each_element(|e| x.add(e, walkable))).map_err(|_| {
                    OsmError::NotPbf {
                        message: format!("data block {blocks} is malformed"),
                    }
                })?;
            }
            Decoded::Unknown => {}
        }
        blocks += 1;
    }
    let total = consumed.load(Ordering::Relaxed);
    if total > block_end {
        return Err(OsmError::NotPbf {
            message: format!(
                "the input ends {} byte(s) into a block, after {blocks} whole block(s)",
                total - block_end
            ),
        });
    }
    if blocks == 0 {
        return Err(OsmError::NotPbf {
            message: "the input is empty".into(),
        });
    }
    x.sort();
    Ok(x)
}

thread_local! {
    /// Set while [`quietly`] runs on this thread.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, turning a panic into an `Err` without the panic message on stderr: the
/// process's panic hook is wrapped once so that it stays silent on a thread inside
/// `quietly` (a malformed file is the user's input, reported as an error, not a crash);
/// panics elsewhere reach the previous hook as before.
fn quietly<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(|q| q.get()) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result
}

/// A reader that counts the bytes it hands out.
struct Counting<'a, R> {
    inner: R,
    count: &'a AtomicU64,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

enum Decoded {
    /// A header and the first required feature not read here, if any.
    Header(Option<String>),
    Data(osmpbf::PrimitiveBlock),
    /// A block of a kind this importer skips, as the format asks.
    Unknown,
}

fn pbf_error(e: osmpbf::Error) -> OsmError {
    use osmpbf::ErrorKind;
    let message = e.to_string();
    match e.into_kind() {
        ErrorKind::Io(io) if io.kind() != std::io::ErrorKind::UnexpectedEof => {
            OsmError::Read { message }
        }
        ErrorKind::Io(_) => OsmError::NotPbf {
            message: format!("the input ends inside a block ({message})"),
        },
        _ => OsmError::NotPbf { message },
    }
}

// ---------------------------------------------------------------------------------------
// Geometry.

/// A walkable way's run of located nodes.
struct Piece {
    way: usize,
    nodes: Vec<i64>,
}

/// A stretch of street between two junctions.
struct Segment {
    a: u32,
    b: u32,
    length_m: f64,
    /// Its nodes' positions in the shared list of points.
    points: Range<usize>,
}

enum Outline<'a> {
    Way(&'a [i64]),
    Relation(&'a RelationRec),
}

struct Footprint {
    name: String,
    /// The building's `name`, for its zone.
    zone_name: Option<String>,
    centroid: [f64; 2],
    capacity: u32,
    /// Nearest junction (index among all junctions).
    junction: usize,
}

/// Great-circle distance between two (longitude, latitude) points, metres.
pub fn haversine_m(a: [f64; 2], b: [f64; 2]) -> f64 {
    let (la, lb) = (a[1].to_radians(), b[1].to_radians());
    let dlat = lb - la;
    let dlon = (b[0] - a[0]).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la.cos() * lb.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// An equirectangular projection to metres east and north of an origin; accurate to a
/// fraction of a percent over a city.
#[derive(Clone, Copy, Debug)]
struct Projection {
    origin: [f64; 2],
    /// Metres per degree of longitude and of latitude.
    scale: [f64; 2],
}

impl Projection {
    fn at(origin: [f64; 2]) -> Self {
        let m = EARTH_RADIUS_M.to_radians();
        Self {
            origin,
            scale: [m * origin[1].to_radians().cos(), m],
        }
    }

    /// About the centre of the points' bounding box.
    fn around(points: &[[f64; 2]]) -> Self {
        let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
        for q in points {
            for a in 0..2 {
                lo[a] = lo[a].min(q[a]);
                hi[a] = hi[a].max(q[a]);
            }
        }
        if lo[0] > hi[0] {
            return Self::at([0.0, 0.0]);
        }
        Self::at([(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0])
    }

    fn to_m(self, q: [f64; 2]) -> [f64; 2] {
        [
            (q[0] - self.origin[0]) * self.scale[0],
            (q[1] - self.origin[1]) * self.scale[1],
        ]
    }

    fn to_lon_lat(self, m: [f64; 2]) -> [f64; 2] {
        [
            self.origin[0] + m[0] / self.scale[0],
            self.origin[1] + m[1] / self.scale[1],
        ]
    }
}

/// The named areas with places inside: each area's name and the places whose position lies
/// in it (inside an outer ring and not in an inner one), in area order.
fn areas(x: &Extract, places: &[([f64; 2], PlaceId)]) -> Vec<(String, Vec<PlaceId>)> {
    let tree = RTree::bulk_load(
        places
            .iter()
            .map(|&(q, id)| GeomWithData::new(q, id))
            .collect(),
    );
    let mut out = Vec::new();
    for a in &x.areas {
        let (outer, inner) = if a.is_relation {
            x.multipolygon(&a.outer, &a.inner)
        } else {
            (vec![a.outer.clone()], Vec::new())
        };
        let (outer, inner) = (x.locate(&outer), x.locate(&inner));
        let corners = outer.iter().flatten().fold(
            ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]),
            |(lo, hi), q| {
                (
                    [lo[0].min(q[0]), lo[1].min(q[1])],
                    [hi[0].max(q[0]), hi[1].max(q[1])],
                )
            },
        );
        if outer.is_empty() {
            continue;
        }
        let envelope = rstar::AABB::from_corners(corners.0, corners.1);
        let mut inside: Vec<PlaceId> = tree
            .locate_in_envelope(&envelope)
            .filter(|g| {
                let q = *g.geom();
                outer.iter().any(|r| in_ring(q, r)) && !inner.iter().any(|r| in_ring(q, r))
            })
            .map(|g| g.data)
            .collect();
        if !inside.is_empty() {
            inside.sort_unstable();
            out.push((a.name.clone(), inside));
        }
    }
    out
}

/// Whether point `q` lies inside a ring (even–odd rule; the ring may or may not repeat its
/// first point).
fn in_ring(q: [f64; 2], ring: &[[f64; 2]]) -> bool {
    let mut inside = false;
    let n = ring.len();
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + 1) % n]);
        if (a[1] > q[1]) != (b[1] > q[1]) {
            let x = a[0] + (q[1] - a[1]) / (b[1] - a[1]) * (b[0] - a[0]);
            if q[0] < x {
                inside = !inside;
            }
        }
    }
    inside
}

/// The ring of a closed way (first node = last, at least three others); `None` if open.
fn closed_ring(refs: &[i64]) -> Option<Vec<i64>> {
    (refs.len() >= 4 && refs.first() == refs.last()).then(|| refs.to_vec())
}

/// Closed rings from member ways: closed ways as they are, open ones joined end to end.
/// Chains that do not close are left out.
fn assemble_rings(ways: Vec<Vec<i64>>) -> Vec<Vec<i64>> {
    let mut rings = Vec::new();
    let mut open: Vec<Vec<i64>> = Vec::new();
    for w in ways {
        if closed_ring(&w).is_some() {
            rings.push(w);
        } else if w.len() >= 2 {
            open.push(w);
        }
    }
    open.reverse();
    while let Some(mut chain) = open.pop() {
        loop {
            let (first, last) = (chain[0], chain[chain.len() - 1]);
            if first == last && chain.len() >= 4 {
                rings.push(chain);
                break;
            }
            if let Some(i) = open
                .iter()
                .position(|w| w[0] == last || w[w.len() - 1] == last)
            {
                let mut next = open.remove(i);
                if next[0] != last {
                    next.reverse();
                }
                chain.extend_from_slice(&next[1..]);
            } else if let Some(i) = open
                .iter()
                .position(|w| w[0] == first || w[w.len() - 1] == first)
            {
                let mut before = open.remove(i);
                if before[before.len() - 1] != first {
                    before.reverse();
                }
                before.extend_from_slice(&chain[1..]);
                chain = before;
            } else {
                break;
            }
        }
    }
    rings
}

fn distinct_points(ring: &[[f64; 2]]) -> usize {
    let mut v = ring.to_vec();
    v.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
    v.dedup();
    v.len()
}

/// Footprint area (m², outer rings less inner ones, shoelace formula on locally projected
/// metres) and centroid (longitude, latitude). `None` without an outer ring; the mean of
/// the outer vertices when the area vanishes.
fn area_and_centroid(outer: &[Vec<[f64; 2]>], inner: &[Vec<[f64; 2]>]) -> Option<(f64, [f64; 2])> {
    let proj = Projection::at(*outer.first()?.first()?);
    let (mut area, mut mx, mut my) = (0.0, 0.0, 0.0);
    for (rings, sign) in [(outer, 1.0), (inner, -1.0)] {
        for ring in rings {
            let m: Vec<[f64; 2]> = ring.iter().map(|&q| proj.to_m(q)).collect();
            let (a, c) = ring_area_centroid(&m);
            area += sign * a;
            mx += sign * a * c[0];
            my += sign * a * c[1];
        }
    }
    if area > 1e-6 {
        return Some((area, proj.to_lon_lat([mx / area, my / area])));
    }
    let all: Vec<[f64; 2]> = outer.iter().flatten().copied().collect();
    let n = all.len() as f64;
    let mean = [
        all.iter().map(|q| q[0]).sum::<f64>() / n,
        all.iter().map(|q| q[1]).sum::<f64>() / n,
    ];
    Some((0.0, mean))
}

/// Unsigned area and centroid of one ring of points in metres (closing point optional).
fn ring_area_centroid(m: &[[f64; 2]]) -> (f64, [f64; 2]) {
    let n = if m.len() > 1 && m[0] == m[m.len() - 1] {
        m.len() - 1
    } else {
        m.len()
    };
    let (mut twice, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (p, q) = (m[i], m[(i + 1) % n]);
        let cross = p[0] * q[1] - q[0] * p[1];
        twice += cross;
        cx += (p[0] + q[0]) * cross;
        cy += (p[1] + q[1]) * cross;
    }
    if twice.abs() < 1e-12 {
        return (0.0, m.first().copied().unwrap_or([0.0, 0.0]));
    }
    (twice.abs() / 2.0, [cx / (3.0 * twice), cy / (3.0 * twice)])
}

/// Disjoint sets of junctions.
struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        Self {
            parent: (0..n as u32).collect(),
        }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] as usize != i {
            let up = self.parent[self.parent[i] as usize];
            self.parent[i] = up;
            i = up as usize;
        }
        i
    }

    /// Joins two sets under the smaller root, so a set's root is its lowest member.
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        let (lo, hi) = (ra.min(rb), ra.max(rb));
        self.parent[hi] = lo as u32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_the_decoder_comes_back_as_an_error() {
        assert!(quietly(|| panic!("a malformed block")).is_err());
        assert_eq!(quietly(|| 7).ok(), Some(7));
        // Outside `quietly`, panics are caught by tests as usual.
        assert!(std::panic::catch_unwind(|| panic!("elsewhere")).is_err());
    }

    #[test]
    fn points_in_rings_by_the_even_odd_rule() {
        let square = [[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0], [0.0, 0.0]];
        assert!(in_ring([1.0, 1.0], &square));
        assert!(in_ring([1.0, 1.0], &square[..4]));
        assert!(!in_ring([3.0, 1.0], &square));
        assert!(!in_ring([1.0, -0.5], &square));
        // A U shape: the notch is outside.
        let u = [
            [0.0, 0.0],
            [3.0, 0.0],
            [3.0, 3.0],
            [2.0, 3.0],
            [2.0, 1.0],
            [1.0, 1.0],
            [1.0, 3.0],
            [0.0, 3.0],
        ];
        assert!(in_ring([0.5, 2.0], &u) && in_ring([2.5, 2.0], &u) && in_ring([1.5, 0.5], &u));
        assert!(!in_ring([1.5, 2.0], &u));
    }

    #[test]
    fn haversine_of_a_degree_of_latitude() {
        let d = haversine_m([26.95, 60.0], [26.95, 61.0]);
        assert!((d - 111_195.0).abs() < 1.0, "{d}");
        // A degree of longitude at 60° N is half as long.
        let d = haversine_m([26.0, 60.0], [27.0, 60.0]);
        assert!((d - 55_597.0).abs() < 100.0, "{d}");
        assert_eq!(haversine_m([1.0, 2.0], [1.0, 2.0]), 0.0);
    }

    #[test]
    fn a_square_footprint_has_its_area_and_centre() {
        // About 20 m × 20 m at 60.5° N.
        let (lon, lat): (f64, f64) = (26.95, 60.5);
        let dlat = 20.0 / 111_195.0;
        let dlon = dlat / lat.to_radians().cos();
        let ring = vec![
            [lon, lat],
            [lon + dlon, lat],
            [lon + dlon, lat + dlat],
            [lon, lat + dlat],
            [lon, lat],
        ];
        let (area, c) = area_and_centroid(std::slice::from_ref(&ring), &[]).unwrap();
        assert!((area - 400.0).abs() < 1.0, "{area}");
        assert!((c[0] - (lon + dlon / 2.0)).abs() < 1e-9);
        assert!((c[1] - (lat + dlat / 2.0)).abs() < 1e-9);
        // Clockwise gives the same; a hole of a quarter takes a quarter away.
        let mut cw = ring.clone();
        cw.reverse();
        assert!((area_and_centroid(&[cw], &[]).unwrap().0 - 400.0).abs() < 1.0);
        let hole = vec![
            [lon, lat],
            [lon + dlon / 2.0, lat],
            [lon + dlon / 2.0, lat + dlat / 2.0],
            [lon, lat + dlat / 2.0],
        ];
        let (area, c) = area_and_centroid(&[ring], &[hole]).unwrap();
        assert!((area - 300.0).abs() < 1.0, "{area}");
        assert!(c[0] > lon + dlon / 2.0 && c[1] > lat + dlat / 2.0);
    }

    #[test]
    fn a_flat_footprint_stands_at_its_mean() {
        let line = vec![[1.0, 1.0], [2.0, 1.0], [3.0, 1.0], [1.0, 1.0]];
        let (area, c) = area_and_centroid(&[line], &[]).unwrap();
        assert_eq!(area, 0.0);
        assert!((c[0] - 1.75).abs() < 1e-12 && c[1] == 1.0);
    }

    #[test]
    fn rings_are_joined_from_pieces() {
        // A square in three pieces, one reversed, and a closed triangle.
        let rings = assemble_rings(vec![
            vec![1, 2],
            vec![4, 3, 2],
            vec![10, 11, 12, 10],
            vec![4, 1],
            vec![20, 21],
        ]);
        assert_eq!(rings.len(), 2, "{rings:?}");
        assert_eq!(rings[0], vec![10, 11, 12, 10]);
        let square = &rings[1];
        assert_eq!(square.first(), square.last());
        let mut nodes = square[1..].to_vec();
        nodes.sort_unstable();
        assert_eq!(nodes, vec![1, 2, 3, 4]);
    }

    #[test]
    fn levels_are_read_leniently() {
        assert_eq!(parse_levels("3"), 3.0);
        assert_eq!(parse_levels(" 2.5 "), 2.5);
        assert_eq!(parse_levels("2;3"), 2.0);
        assert_eq!(parse_levels("many"), 0.0);
        assert_eq!(parse_levels("-1"), 0.0);
        assert_eq!(parse_levels("1e9"), MAX_LEVELS);
        let mut t = BuildingTags::default();
        t.tag("building:levels", "0");
        assert_eq!(t.finish().levels, 1.0);
    }

    #[test]
    fn the_golden_stride_visits_every_slot() {
        for total in [1u64, 2, 3, 10, 12, 97, 100, 360, 6_700] {
            let s = golden_stride(total);
            assert_eq!(gcd(s, total), 1, "{total}");
            let mut seen = vec![false; total as usize];
            for k in 0..total {
                seen[(k * s % total) as usize] = true;
            }
            assert!(seen.iter().all(|&x| x), "{total}");
        }
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(14_222), "14,222");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn union_find_roots_at_the_lowest_member() {
        let mut u = UnionFind::new(6);
        u.union(4, 5);
        u.union(5, 2);
        u.union(0, 1);
        assert_eq!(u.find(4), 2);
        assert_eq!(u.find(1), 0);
        assert_ne!(u.find(3), u.find(2));
    }
}
