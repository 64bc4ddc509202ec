//! The walkable street network of an extract: junctions, the street segments between them,
//! and the connected sets of junctions, of which the largest is kept.

use super::geometry::{haversine_m, Projection};
use super::read::Extract;
use std::ops::Range;

/// The walkable street network of an extract, before it becomes places.
pub(super) struct Network<'x> {
    /// Node ids of the junctions, ascending; a junction's index is its place here.
    pub(super) junction_nodes: Vec<i64>,
    pub(super) junction_pos: Vec<[f64; 2]>,
    /// Name of the first named way (by id) through each junction.
    pub(super) street_name: Vec<Option<&'x str>>,
    pub(super) segments: Vec<Segment>,
    /// Positions of the segments' nodes (see [`Segment::points`]).
    pub(super) points: Vec<[f64; 2]>,
    /// Connected sets of junctions.
    pub(super) components: u64,
    /// Whether each junction is in the largest set.
    pub(super) kept: Vec<bool>,
    /// A projection to metres about the junctions' centre.
    pub(super) proj: Projection,
}

/// The junctions and street segments of the walkable ways; `None` if there are none (with
/// two located nodes).
pub(super) fn network(x: &Extract) -> Option<Network<'_>> {
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

/// A walkable way's run of located nodes.
struct Piece {
    way: usize,
    nodes: Vec<i64>,
}

/// A stretch of street between two junctions.
pub(super) struct Segment {
    pub(super) a: u32,
    pub(super) b: u32,
    pub(super) length_m: f64,
    /// Its nodes' positions in the shared list of points.
    pub(super) points: Range<usize>,
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
