//! Where the districts' grids stand and how they join: their sizes, the centres projected
//! to metres and moved apart where grids would overlap, and the arterial roads and
//! Delaunay border streets between them.

use super::District;
use crate::dist2;
use outbreak_engine::prelude::*;
use outbreak_engine::rng;
use std::collections::BTreeSet;

/// How many nearest districts each district has an arterial road to.
pub const NEIGHBOURS: usize = 4;

/// Crossings west–east and south–north of a near-square grid of about `blocks` blocks.
pub(super) fn grid_size(blocks: f64) -> (u32, u32) {
    let blocks = blocks.round().max(1.0);
    let nx = blocks.sqrt().round().max(1.0);
    let ny = (blocks / nx).round().max(1.0);
    (nx as u32, ny as u32)
}

/// Centres in metres, east and north of the districts' mean centre (equirectangular).
pub(super) fn project(districts: &[District]) -> Vec<[f64; 2]> {
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
pub(super) fn separate(centres: &mut [[f64; 2]], half: &[[f64; 2]], gap: f64) -> bool {
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
pub(super) fn unreachable_place(world: &World, from: PlaceId, skip: PlaceId) -> Option<PlaceId> {
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

/// Joins the districts' grids: an arterial road from each district to its [`NEIGHBOURS`]
/// nearest districts (by `centres`), between the two grids' nearest crossings of
/// `edges_of`, then a border street along every edge of the Delaunay triangulation of all
/// `edge_points` (crossing, position, district) that joins two districts. A way is as long
/// as the straight line, at least a `block`. Returns the numbers of arterial roads and of
/// border streets (those not already a road).
pub(super) fn join_districts(
    b: &mut WorldBuilder,
    centres: &[[f64; 2]],
    edges_of: &[Vec<(PlaceId, [f64; 2])>],
    edge_points: &[(PlaceId, [f64; 2], usize)],
    block: f64,
) -> (usize, usize) {
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
    for a in 0..centres.len() {
        let mut others: Vec<usize> = (0..centres.len()).filter(|&o| o != a).collect();
        others.sort_by(|&i, &j| {
            dist2(centres[a], centres[i]).total_cmp(&dist2(centres[a], centres[j]))
        });
        for &o in others.iter().take(NEIGHBOURS) {
            pairs.insert((a.min(o), a.max(o)));
        }
    }
    for &(a, o) in &pairs {
        let (x, y) = nearest_pair(&edges_of[a], &edges_of[o]);
        if join(b, x, y) {
            arterial_roads += 1;
        }
    }
    let points: Vec<[f64; 2]> = edge_points.iter().map(|e| e.1).collect();
    let mut border_streets = 0;
    for (i, j) in delaunay_edges(&points, block) {
        let (x, y) = (edge_points[i as usize], edge_points[j as usize]);
        if x.2 != y.2 && join(b, x.0, y.0) {
            border_streets += 1;
        }
    }
    (arterial_roads, border_streets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::districts::fixtures::{district_of, one_percent, seoul, PEOPLE};
    use crate::districts::{generate, DistrictCity, DistrictGrid, DistrictParams};
    use outbreak_engine::world::EXACT_GATES;

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
