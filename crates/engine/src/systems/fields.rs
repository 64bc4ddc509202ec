//! Distance fields: for every place, the next step toward the nearest of a set of targets
//! (open rescue points; places holding zombies in a squad's zone). Multi-source Dijkstra
//! over open ways; recomputed when the targets change (rescue points, cordons) and every few
//! ticks while a squad is deployed.

use crate::ids::PlaceId;
use crate::world::{OrdF32, World};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Next step toward the nearest target (`PlaceId::NONE`: unreachable or already there).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Field {
    pub next: Vec<PlaceId>,
    pub dist: Vec<f32>,
}

impl Field {
    /// An empty field for a world: nothing reachable.
    pub fn new(world: &World) -> Self {
        Self {
            next: vec![PlaceId::NONE; world.place_count()],
            dist: vec![f32::INFINITY; world.place_count()],
        }
    }
    /// Whether any target is reachable from `p`.
    pub fn reaches(&self, p: PlaceId) -> bool {
        self.dist[p.index()].is_finite()
    }
}

/// Recomputes `field` toward `targets`, not crossing ways for which `closed(way)` is true.
pub fn compute(
    field: &mut Field,
    world: &World,
    targets: impl Iterator<Item = PlaceId>,
    closed: impl Fn(usize) -> bool,
) {
    field.next.iter_mut().for_each(|x| *x = PlaceId::NONE);
    field.dist.iter_mut().for_each(|x| *x = f32::INFINITY);
    let mut heap = BinaryHeap::new();
    for t in targets {
        field.dist[t.index()] = 0.0;
        heap.push((Reverse(OrdF32(0.0)), t));
    }
    while let Some((Reverse(OrdF32(d)), u)) = heap.pop() {
        if d > field.dist[u.index()] {
            continue;
        }
        for e in world.neighbours(u) {
            if closed(e.way.index()) {
                continue;
            }
            let nd = d + e.length_m;
            let v = e.to.index();
            if nd < field.dist[v] {
                field.dist[v] = nd;
                field.next[v] = u;
                heap.push((Reverse(OrdF32(nd)), e.to));
            }
        }
    }
}
