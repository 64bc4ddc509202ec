//! The zones of an imported map besides its own (`map`, `streets`, `buildings`): one per
//! named area, holding the places inside it (see [`AREA_KEYS`](super::AREA_KEYS)).

use super::geometry::in_ring;
use super::read::Extract;
use crate::draft::Draft;
use outbreak_engine::prelude::*;
use rstar::primitives::GeomWithData;
use rstar::RTree;

/// The zone of everything on the map (all but the staging place).
pub(super) const ZONE_MAP: &str = "map";
/// The zone of the junctions.
pub(super) const ZONE_STREETS: &str = "streets";
/// The zone of the buildings.
pub(super) const ZONE_BUILDINGS: &str = "buildings";

/// Whether `name` is one of the map's own zones, which no building or area of that name
/// joins.
pub(super) fn is_reserved(name: &str) -> bool {
    [ZONE_MAP, ZONE_STREETS, ZONE_BUILDINGS].contains(&name)
}

/// Adds a zone for each named area (but those named as the map's own zones) holding the
/// `places` (position, id) inside it; returns how many.
pub(super) fn zone_areas(g: &mut Draft, x: &Extract, places: &[([f64; 2], PlaceId)]) -> u64 {
    let mut named_areas = 0u64;
    for (name, inside) in areas(x, places) {
        if is_reserved(&name) {
            continue;
        }
        named_areas += 1;
        let z = g.b.zone(&name);
        g.zone_all(&inside, &[z]);
    }
    named_areas
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
