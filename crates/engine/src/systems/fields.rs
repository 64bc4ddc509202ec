//! Distance fields: for every place, the next step toward the nearest of a set of targets
//! (open rescue points; places holding zombies in a squad's zone). Multi-source Dijkstra
//! over open ways; recomputed when the targets change (rescue points, cordons) and every few
//! ticks while a squad is deployed.

use crate::ids::{PlaceId, ZoneId};
use crate::state::PlaceState;
use crate::systems::occupancy::Occupancy;
use crate::world::{OrdF32, World};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Next step toward the nearest target (`PlaceId::NONE`: unreachable or already there).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Field {
    /// Per place: the neighbour to step to.
    pub next: Vec<PlaceId>,
    /// Per place: metres of path to the nearest target (infinite: unreachable).
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

/// Squads get a fresh picture of where the zombies are every this many ticks.
pub const SWEEP_REFRESH_TICKS: u32 = 5;

/// The fields the tick keeps: toward the open rescue points (over open ways), and for each
/// deployed squad toward the zombies in its zone.
#[derive(Clone, Debug, Default)]
pub struct Fields {
    /// Toward the nearest open rescue point.
    pub rescue: Field,
    /// Whether any rescue point was open when `rescue` was computed.
    pub rescue_any: bool,
    /// Rescue points or cordons changed since `rescue` was computed.
    pub(crate) rescue_dirty: bool,
    /// Sweep fields by zone, in deployment order.
    pub sweep: Vec<(ZoneId, Field)>,
    /// A squad was deployed since the sweep fields were computed.
    pub(crate) sweep_stale: bool,
}

impl Fields {
    /// No rescue point open, no squad deployed.
    pub fn new(world: &World) -> Self {
        Self {
            rescue: Field::new(world),
            ..Self::default()
        }
    }
    /// The fields of a restored run: its squads' sweep fields as saved (they are older
    /// than the state), and the rescue field due at the next refresh.
    pub fn restored(world: &World, sweep: Vec<(ZoneId, Field)>, sweep_stale: bool) -> Self {
        Self {
            rescue: Field::new(world),
            rescue_any: false,
            // NOTE: recomputed at the next tick from the open rescue points and cordons,
            // which are what it was last computed from (changing either marks it dirty).
            rescue_dirty: true,
            sweep,
            sweep_stale,
        }
    }
    /// The rescue points or the cordons changed: recompute the rescue field.
    pub fn rescue_changed(&mut self) {
        self.rescue_dirty = true;
    }
    /// A squad now sweeps `zone`: give it a field (if the zone has none) at the next refresh.
    pub fn sweep_zone(&mut self, zone: ZoneId, world: &World) {
        if !self.sweep.iter().any(|s| s.0 == zone) {
            self.sweep.push((zone, Field::new(world)));
        }
        self.sweep_stale = true;
    }
}

/// Brings the fields up to date at the start of tick `t`: the rescue field if rescue points
/// or cordons changed, the sweep fields when a squad was deployed or every
/// [`SWEEP_REFRESH_TICKS`].
pub fn refresh(f: &mut Fields, world: &World, occ: &Occupancy, places: &PlaceState, t: u32) {
    if f.rescue_dirty {
        let open = &places.rescue_open;
        let leak = &places.way_leak;
        let targets = (0..open.len() as u32)
            .map(PlaceId)
            .filter(|&p| open[p.index()]);
        compute(&mut f.rescue, world, targets, |w| leak[w] >= 0.0);
        f.rescue_any = open.iter().any(|&o| o);
        f.rescue_dirty = false;
    }
    if !f.sweep_stale && !t.is_multiple_of(SWEEP_REFRESH_TICKS) {
        return;
    }
    f.sweep_stale = false;
    for (zone, field) in &mut f.sweep {
        let z = *zone;
        let targets = occ
            .zombie_places
            .iter()
            .copied()
            .filter(|&p| world.in_zone(p, z));
        compute(field, world, targets, |_| false);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agents::{Health, Mode};
    use crate::testing::{self, WAY_M};

    #[test]
    fn the_rescue_field_leads_to_the_nearest_open_point_over_open_ways() {
        let world = testing::line(4);
        let pop = testing::population(&[]);
        let occ = testing::occupancy(&world, &pop);
        let mut places = PlaceState::new(&world);
        let mut f = Fields::new(&world);
        places.rescue_open[3] = true;
        f.rescue_changed();
        refresh(&mut f, &world, &occ, &places, 1);
        assert_eq!(f.rescue.next[..3], [PlaceId(1), PlaceId(2), PlaceId(3)]);
        assert_eq!(f.rescue.dist[0], 3.0 * WAY_M);
        assert!(f.rescue.next[3].is_none(), "already there");
        places.way_leak[1] = 0.5;
        refresh(&mut f, &world, &occ, &places, 2);
        assert!(
            f.rescue.reaches(PlaceId(0)),
            "only a change of points or cordons recomputes"
        );
        f.rescue_changed();
        refresh(&mut f, &world, &occ, &places, 3);
        assert!(!f.rescue.reaches(PlaceId(0)) && f.rescue.reaches(PlaceId(2)));
    }

    #[test]
    fn a_sweep_field_leads_to_the_zombies_of_its_zone() {
        let world = testing::line(3);
        let pop = testing::population(&[(2, Health::Zombie, Mode::Alert)]);
        let occ = testing::occupancy(&world, &pop);
        let places = PlaceState::new(&world);
        let mut f = Fields::new(&world);
        f.sweep_zone(ZoneId(0), &world);
        refresh(&mut f, &world, &occ, &places, 1);
        assert_eq!(f.sweep[0].1.next[0], PlaceId(1));
        assert!(!f.sweep_stale);
    }
}
