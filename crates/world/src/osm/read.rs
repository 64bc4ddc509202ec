//! Reading the PBF: its elements (located nodes, ways, building relations, named areas)
//! and the tags the importer uses, with malformed input returned as an error.

use super::geometry::closed_ring;
use super::OsmError;
use osmpbf::{BlobDecode, BlobReader, Element, RelMemberType};
use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};

/// What the importer keeps of an extract's elements.
#[derive(Default)]
pub(super) struct Extract {
    /// Located nodes, sorted by id.
    nodes: Vec<(i64, [f64; 2])>,
    /// Every way (their nodes may be members of building relations), sorted by id.
    pub(super) ways: Vec<WayRec>,
    /// Relations tagged `building`, sorted by id.
    pub(super) relations: Vec<RelationRec>,
    /// Named areas (see [`AREA_KEYS`]): closed ways, then multipolygon relations.
    pub(super) areas: Vec<AreaRec>,
    pub(super) counts: Counts,
}

/// Keys that make a closed way or a multipolygon with a `name` a named area, whose name
/// becomes a zone of the places inside it (buildings and highways are not areas).
pub const AREA_KEYS: [&str; 5] = ["landuse", "amenity", "leisure", "place", "tourism"];

/// A named area as read: its name and outline.
pub(super) struct AreaRec {
    /// Way or relation id, for a stable order.
    id: i64,
    pub(super) is_relation: bool,
    pub(super) name: String,
    /// A way's node ids, or a relation's outer member way ids.
    pub(super) outer: Vec<i64>,
    /// A relation's inner member way ids.
    pub(super) inner: Vec<i64>,
}

/// Elements counted as read (see [`OsmSummary`](super::OsmSummary)).
#[derive(Default)]
pub(super) struct Counts {
    pub(super) nodes: u64,
    pub(super) ways: u64,
    pub(super) relations: u64,
    pub(super) highway_ways: u64,
    pub(super) walkable_ways: u64,
    pub(super) buildings: u64,
}

/// A way: its nodes, and its tags if it is walkable or a building.
pub(super) struct WayRec {
    pub(super) id: i64,
    pub(super) refs: Vec<i64>,
    pub(super) street: Option<StreetTags>,
    pub(super) building: Option<BuildingTags>,
}

/// The tags of a walkable way.
pub(super) struct StreetTags {
    pub(super) name: Option<String>,
}

/// The tags of a building, way or relation.
#[derive(Default)]
pub(super) struct BuildingTags {
    /// `building=no`: tagged, but not a building.
    pub(super) is_no: bool,
    pub(super) name: Option<String>,
    pub(super) street: Option<String>,
    pub(super) housenumber: Option<String>,
    pub(super) levels: f64,
}

/// A relation tagged `building`.
pub(super) struct RelationRec {
    pub(super) id: i64,
    pub(super) building: BuildingTags,
    pub(super) multipolygon: bool,
    /// Member ways by role (an empty role counts as outer, as in old multipolygons).
    pub(super) outer: Vec<i64>,
    pub(super) inner: Vec<i64>,
}

impl Extract {
    /// The position of a located node.
    pub(super) fn node(&self, id: i64) -> Option<[f64; 2]> {
        self.nodes
            .binary_search_by_key(&id, |n| n.0)
            .ok()
            .map(|i| self.nodes[i].1)
    }

    /// The node lists of these member ways (those in the extract).
    pub(super) fn member_refs(&self, ways: &[i64]) -> Vec<Vec<i64>> {
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
                let mut access = FootAccess::default();
                let mut building = BuildingTags::default();
                let (mut is_building, mut is_area) = (false, false);
                for (k, v) in w.tags() {
                    match k {
                        "highway" => highway = Some(v),
                        "building" => is_building = true,
                        "name" => name = Some(v.to_string()),
                        "foot" => access.foot = Some(v),
                        "access" => access.access = Some(v),
                        "motorroad" => access.motorroad = v == "yes",
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
                    .filter(|h| walkable.iter().any(|k| k == h) && access.on_foot())
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

/// Levels counted at most, so a mistyped `building:levels` cannot fill a city.
const MAX_LEVELS: f64 = 200.0;

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

pub(super) fn read<R: Read + Send>(reader: R, walkable: &[String]) -> Result<Extract, OsmError> {
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
}

/// The tags of a way that say whether people may walk on it.
#[derive(Default)]
struct FootAccess<'t> {
    foot: Option<&'t str>,
    access: Option<&'t str>,
    motorroad: bool,
}

impl FootAccess<'_> {
    /// Whether pedestrians may use the way: not `foot=no` (nor `foot=use_sidepath`, a road
    /// whose walkers keep to a sidewalk mapped beside it), and neither `access=no` nor
    /// `motorroad=yes` (a road for motor vehicles only) unless `foot` allows walking
    /// (`yes`, `designated`, `permissive`).
    fn on_foot(&self) -> bool {
        match self.foot {
            Some("no" | "use_sidepath") => false,
            Some("yes" | "designated" | "permissive") => true,
            _ => !self.motorroad && self.access != Some("no"),
        }
    }
}
