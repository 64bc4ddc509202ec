//! The buildings of an extract that have a footprint: their capacity (by area and levels),
//! centroid, name and nearest junction.

use super::geometry::{area_and_centroid, closed_ring};
use super::network::Network;
use super::read::{Extract, RelationRec};
use super::OsmParams;
use rstar::primitives::GeomWithData;
use rstar::RTree;

/// People a building holds at most, well within a place's `u32` capacity.
const MAX_BUILDING_CAPACITY: f64 = 1e8;

/// The buildings with a footprint (capacity, centroid, nearest junction), and the number
/// of tagged buildings without one.
pub(super) fn footprints(x: &Extract, p: &OsmParams, net: &Network) -> (Vec<Footprint>, u64) {
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

/// Where a building's outline comes from: a closed way's nodes, or a relation's member ways.
enum Outline<'a> {
    Way(&'a [i64]),
    Relation(&'a RelationRec),
}

/// A building to place.
pub(super) struct Footprint {
    pub(super) name: String,
    /// The building's `name`, for its zone.
    pub(super) zone_name: Option<String>,
    pub(super) centroid: [f64; 2],
    pub(super) capacity: u32,
    /// Nearest junction (index among all junctions).
    pub(super) junction: usize,
}
