//! Geometry of an extract's shapes: great-circle distances, a local projection to metres,
//! rings and multipolygons assembled from ways, footprint areas and centroids, and points in
//! polygons.

use super::read::Extract;

/// Mean Earth radius, metres (IUGG).
const EARTH_RADIUS_M: f64 = 6_371_008.8;

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
pub(super) struct Projection {
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
    pub(super) fn around(points: &[[f64; 2]]) -> Self {
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

    pub(super) fn to_m(self, q: [f64; 2]) -> [f64; 2] {
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

// The shapes of an extract: rings of node ids assembled from member ways, then located.
impl Extract {
    /// The outer and inner rings (node ids) of a multipolygon from its member ways.
    pub(super) fn multipolygon(
        &self,
        outer: &[i64],
        inner: &[i64],
    ) -> (Vec<Vec<i64>>, Vec<Vec<i64>>) {
        (
            assemble_rings(self.member_refs(outer)),
            assemble_rings(self.member_refs(inner)),
        )
    }

    /// Rings of node ids as positions. Nodes the extract lacks (a shape cut by its edge)
    /// are skipped; a ring needs three distinct located points.
    pub(super) fn locate(&self, rings: &[Vec<i64>]) -> Vec<Vec<[f64; 2]>> {
        rings
            .iter()
            .map(|ring| ring.iter().filter_map(|&n| self.node(n)).collect())
            .filter(|ring: &Vec<[f64; 2]>| distinct_points(ring) >= 3)
            .collect()
    }
}

/// Whether point `q` lies inside a ring (even–odd rule; the ring may or may not repeat its
/// first point).
pub(super) fn in_ring(q: [f64; 2], ring: &[[f64; 2]]) -> bool {
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
pub(super) fn closed_ring(refs: &[i64]) -> Option<Vec<i64>> {
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
pub(super) fn area_and_centroid(
    outer: &[Vec<[f64; 2]>],
    inner: &[Vec<[f64; 2]>],
) -> Option<(f64, [f64; 2])> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
