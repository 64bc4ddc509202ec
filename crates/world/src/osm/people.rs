//! How the people of an imported map live in it: homes dealt over the buildings by
//! capacity, and day places dealt near home from the capacity left.

use super::OsmWorld;
use crate::dist2;
use outbreak_engine::agents::ANCHORS;
use outbreak_engine::prelude::*;
use outbreak_engine::rng::{self, Stream};
use rand::Rng;
use std::ops::Range;

/// A day place lies within this straight distance of home whenever a building that near
/// has room left.
pub const DAY_RADIUS_M: f64 = 1_000.0;
/// Random draws of a day place before the buildings near home are listed.
const DAY_TRIES: u32 = 32;

/// The day places of the first people of an imported map, dealt in one pass by
/// [`OsmWorld::day_places`] and read by [`OsmWorld::routine`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DayPlaces {
    /// Index in `buildings` of each person's day place, by person.
    building: Vec<u32>,
}

impl DayPlaces {
    /// People dealt a day place.
    pub fn len(&self) -> usize {
        self.building.len()
    }

    /// Whether no one was dealt a day place.
    pub fn is_empty(&self) -> bool {
        self.building.is_empty()
    }
}

impl OsmWorld {
    /// Role and anchors (home, morning, lunch, afternoon) of person `k`, whose day place
    /// `days` holds (dealt by [`OsmWorld::day_places`]).
    ///
    /// Homes: the map's capacity is a row of slots, each building's slots together; person
    /// `k` takes slot `k·s mod C` (`C` the total capacity, `s ≈ 0.618·C` coprime to `C`). The
    /// first `C` people thus take distinct slots, so no home is over-full while the
    /// population is at most the capacity, and any number of people spreads over the
    /// buildings in proportion to capacity (a golden-ratio sequence); past `C` the deal
    /// starts again.
    ///
    /// # Panics
    ///
    /// If `days` holds fewer than `k + 1` people.
    pub fn routine(&self, days: &DayPlaces, k: u32) -> (Role, [PlaceId; ANCHORS]) {
        let home = self.home_of(k);
        let day = days
            .building
            .get(k as usize)
            .unwrap_or_else(|| panic!("person {k} has no day place: {} were dealt", days.len()));
        let work = self.buildings[*day as usize];
        (Role::Civilian, [self.buildings[home], work, work, work])
    }

    /// Deals the day places of persons `0..people`, one after another in that order, from
    /// the slots of capacity the persons before left (each building's capacity is its
    /// slots; at the start, every slot is free).
    ///
    /// Person `k` draws, from `rng::stream(seed, Stream::Setup, 0, k)`, another building
    /// within [`DAY_RADIUS_M`] of home (straight line) in proportion to its free slots (so
    /// the big buildings, where work and school are, fill by day), and takes one of its
    /// slots. When no other building that near has a free slot, the nearest other
    /// building with one anywhere on the map; home itself when no other has one. No
    /// building thus gets more day people than its capacity while `people` is at most the
    /// map's capacity; past it (once every slot is taken) the deal starts again with every
    /// slot free, as the homes' does. The pass is one thread's work whatever the run's
    /// thread count, and each person's draws come from their own stream: the same seed
    /// and `people` give the same day places.
    ///
    /// ```
    /// use outbreak_world::osm::{import, OsmParams};
    /// let pbf = include_bytes!(concat!(
    ///     env!("CARGO_MANIFEST_DIR"),
    ///     "/../../data/osm/kotka-karhula.osm.pbf"
    /// ));
    /// let map = import(&pbf[..], &OsmParams::default()).unwrap();
    /// let days = map.day_places(7, 1_000);
    /// let (_role, anchors) = map.routine(&days, 999);
    /// assert_ne!(anchors[0], anchors[1]);
    /// ```
    pub fn day_places(&self, seed: u64, people: u32) -> DayPlaces {
        let n = self.buildings.len();
        let mut slot_of = vec![0u32; n];
        for (i, &(_, b)) in self.grid.iter().enumerate() {
            slot_of[b as usize] = i as u32;
        }
        let fresh: Vec<u32> = self
            .grid
            .iter()
            .map(|&(_, b)| self.capacity_of(b as usize))
            .collect();
        let fresh_cells = Cells::new(&self.grid, &fresh);
        let mut cells = fresh_cells.clone();
        let mut room = Room::new(&fresh);
        let mut building = Vec::with_capacity(people as usize);
        for k in 0..people {
            if room.total == 0 {
                room = Room::new(&fresh);
                cells = fresh_cells.clone();
            }
            let home = self.home_of(k);
            let mut rng = rng::stream(seed, Stream::Setup, 0, k);
            let b = self.day_place(home, &room, &cells, &mut rng);
            let i = slot_of[b] as usize;
            room.take(i);
            cells.take(i);
            building.push(b as u32);
        }
        DayPlaces { building }
    }

    /// Index in `buildings` of person `k`'s home.
    fn home_of(&self, k: u32) -> usize {
        let total = u128::from(*self.cumulative.last().unwrap_or(&1)).max(1);
        let slot = (u128::from(k) % total * u128::from(self.stride) % total) as u64;
        self.cumulative
            .partition_point(|&c| c <= slot)
            .min(self.buildings.len() - 1)
    }

    /// The capacity of building `b` (index in `buildings`).
    fn capacity_of(&self, b: usize) -> u32 {
        let below = if b == 0 { 0 } else { self.cumulative[b - 1] };
        (self.cumulative[b] - below) as u32
    }

    /// Index in `buildings` of a day place with a free slot in `room` (whose free slots
    /// by grid cell `cells` holds) for someone living in building `home`.
    fn day_place<R: Rng>(&self, home: usize, room: &Room, cells: &Cells, rng: &mut R) -> usize {
        let at = self.building_m[home];
        let (cx, cy) = grid_cell(at);
        let nine: [Option<usize>; 9] =
            std::array::from_fn(|i| cells.find((cx + i as i64 % 3 - 1, cy + i as i64 / 3 - 1)));
        let ranges = nine.map(|c| c.map_or(0..0, |c| cells.range(c)));
        let weights = nine.map(|c| c.map_or(0, |c| cells.left[c]));
        let total: u64 = weights.iter().sum();
        let near = |i: usize| {
            let b = self.grid[i].1 as usize;
            b != home && room.left[i] > 0 && dist2(self.building_m[b], at) <= DAY_RADIUS_M.powi(2)
        };
        if total > 0 {
            for _ in 0..DAY_TRIES {
                // The free slot of the nine cells that `u` counts to.
                let mut u = rng.random_range(0..total);
                let mut slot = None;
                for (r, &w) in ranges.iter().zip(&weights) {
                    if u < w {
                        slot = Some(room.find(room.prefix(r.start) + u));
                        break;
                    }
                    u -= w;
                }
                if let Some(i) = slot.filter(|&i| near(i)) {
                    return self.grid[i].1 as usize;
                }
            }
            // Few free slots near home: list the buildings that have them and draw among
            // them by their free slots.
            let near_ones: Vec<usize> = ranges
                .iter()
                .zip(&weights)
                .filter(|(_, &w)| w > 0)
                .flat_map(|(r, _)| r.clone())
                .filter(|&i| near(i))
                .collect();
            let near_total: u64 = near_ones.iter().map(|&i| u64::from(room.left[i])).sum();
            if near_total > 0 {
                let mut u = rng.random_range(0..near_total);
                for &i in &near_ones {
                    let w = u64::from(room.left[i]);
                    if u < w {
                        return self.grid[i].1 as usize;
                    }
                    u -= w;
                }
            }
        }
        self.nearest_with_room(home, room, cells).unwrap_or(home)
    }

    /// Index in `buildings` of the nearest building other than `home` with a free slot in
    /// `room` (ties to the lower index), searched ring by ring of grid cells around home.
    fn nearest_with_room(&self, home: usize, room: &Room, cells: &Cells) -> Option<usize> {
        let (lo, hi) = cells.extent;
        let at = self.building_m[home];
        let (cx, cy) = grid_cell(at);
        let rings = (cx - lo.0)
            .max(hi.0 - cx)
            .max(cy - lo.1)
            .max(hi.1 - cy)
            .max(0);
        let mut best: Option<(f64, usize)> = None;
        let look = |key: GridCell, best: &mut Option<(f64, usize)>| {
            let Some(c) = cells.find(key).filter(|&c| cells.left[c] > 0) else {
                return;
            };
            for i in cells.range(c) {
                let b = self.grid[i].1 as usize;
                if b == home || room.left[i] == 0 {
                    continue;
                }
                let d = dist2(self.building_m[b], at);
                let better = match *best {
                    None => true,
                    Some((bd, bb)) => d.total_cmp(&bd).then(b.cmp(&bb)).is_lt(),
                };
                if better {
                    *best = Some((d, b));
                }
            }
        };
        for ring in 0..=rings {
            // Every point of ring `ring` lies at least `ring − 1` cells from home.
            if let Some((d, _)) = best {
                if ((ring - 1).max(0) as f64 * DAY_RADIUS_M).powi(2) > d {
                    break;
                }
            }
            if ring == 0 {
                look((cx, cy), &mut best);
                continue;
            }
            for x in cx - ring..=cx + ring {
                look((x, cy - ring), &mut best);
                look((x, cy + ring), &mut best);
            }
            for y in cy - ring + 1..cy + ring {
                look((cx - ring, y), &mut best);
                look((cx + ring, y), &mut best);
            }
        }
        best.map(|(_, b)| b)
    }
}

/// The grid cells that hold buildings, with their free slots of capacity.
#[derive(Clone)]
struct Cells {
    /// The cells, in `grid` order.
    keys: Vec<GridCell>,
    /// Where each cell's buildings start in `grid`, and the end of the last.
    start: Vec<usize>,
    /// Free slots of each cell's buildings.
    left: Vec<u64>,
    /// The lowest and highest cell in each direction.
    extent: (GridCell, GridCell),
}

impl Cells {
    /// The cells of `grid`, whose buildings have `left` free slots (in `grid` order).
    fn new(grid: &[(GridCell, u32)], left: &[u32]) -> Cells {
        let mut cells = Cells {
            keys: Vec::new(),
            start: Vec::new(),
            left: Vec::new(),
            extent: ((i64::MAX, i64::MAX), (i64::MIN, i64::MIN)),
        };
        for (i, &((x, y), _)) in grid.iter().enumerate() {
            if cells.keys.last() != Some(&(x, y)) {
                cells.keys.push((x, y));
                cells.start.push(i);
                cells.left.push(0);
            }
            *cells.left.last_mut().unwrap() += u64::from(left[i]);
            let (lo, hi) = cells.extent;
            cells.extent = ((lo.0.min(x), lo.1.min(y)), (hi.0.max(x), hi.1.max(y)));
        }
        cells.start.push(grid.len());
        cells
    }

    /// The number of cell `key`, if it holds buildings.
    fn find(&self, key: GridCell) -> Option<usize> {
        self.keys.binary_search(&key).ok()
    }

    /// Positions in `grid` of the buildings of cell `c`.
    fn range(&self, c: usize) -> Range<usize> {
        self.start[c]..self.start[c + 1]
    }

    /// Takes one free slot of the building at position `i` of `grid`.
    fn take(&mut self, i: usize) {
        let c = self.start.partition_point(|&s| s <= i) - 1;
        self.left[c] -= 1;
    }
}

/// The free slots of capacity of the buildings in `grid` order, with running totals (a
/// Fenwick tree) to draw a slot and take it in logarithmic time.
struct Room {
    /// Free slots of each building, in `grid` order.
    left: Vec<u32>,
    /// The Fenwick tree of `left`, from 1: entry `i` sums `left` over `i − lowbit(i)..i`.
    tree: Vec<u64>,
    /// Free slots in all.
    total: u64,
}

impl Room {
    fn new(left: &[u32]) -> Room {
        let n = left.len();
        let mut tree = vec![0u64; n + 1];
        for i in 1..=n {
            tree[i] += u64::from(left[i - 1]);
            let j = i + (i & i.wrapping_neg());
            if j <= n {
                tree[j] += tree[i];
            }
        }
        Room {
            left: left.to_vec(),
            tree,
            total: left.iter().map(|&c| u64::from(c)).sum(),
        }
    }

    /// Free slots of the buildings before position `end`.
    fn prefix(&self, mut end: usize) -> u64 {
        let mut s = 0;
        while end > 0 {
            s += self.tree[end];
            end &= end - 1;
        }
        s
    }

    /// The position whose free slots hold slot `target` of them all, counted from 0 in
    /// position order (`target` below `total`).
    fn find(&self, mut target: u64) -> usize {
        let n = self.left.len();
        let mut pos = 0;
        let mut step = if n == 0 { 0 } else { 1 << n.ilog2() };
        while step > 0 {
            if pos + step <= n && self.tree[pos + step] <= target {
                pos += step;
                target -= self.tree[pos];
            }
            step >>= 1;
        }
        pos
    }

    /// Takes one free slot of the building at position `i`.
    fn take(&mut self, i: usize) {
        self.left[i] -= 1;
        self.total -= 1;
        let mut j = i + 1;
        while j < self.tree.len() {
            self.tree[j] -= 1;
            j += j & j.wrapping_neg();
        }
    }
}

/// A [`DAY_RADIUS_M`] square of the map: columns east and rows north of the projection's
/// origin.
pub(super) type GridCell = (i64, i64);

/// The buildings (index in `buildings`, from their positions in metres in `buildings`
/// order) sorted by grid cell: [`OsmWorld`]'s `grid`.
pub(super) fn day_grid(building_m: &[[f64; 2]]) -> Vec<(GridCell, u32)> {
    let mut grid: Vec<(GridCell, u32)> = building_m
        .iter()
        .enumerate()
        .map(|(i, &q)| (grid_cell(q), i as u32))
        .collect();
    grid.sort_unstable();
    grid
}

/// The grid cell a point in metres stands in.
fn grid_cell(p: [f64; 2]) -> GridCell {
    (
        (p[0] / DAY_RADIUS_M).floor() as i64,
        (p[1] / DAY_RADIUS_M).floor() as i64,
    )
}

/// The step of the golden-ratio deal of `total` home slots: near `0.618·total` and coprime
/// to it, so that `k ↦ k·stride mod total` visits every slot once.
pub(super) fn golden_stride(total: u64) -> u64 {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_room_finds_and_takes_the_slots_it_counts() {
        let left = [3u32, 0, 1, 5, 0, 0, 2, 4, 1];
        let mut room = Room::new(&left);
        let mut naive = left.to_vec();
        // Take every slot, always the middle one left, checking each against a plain count.
        while room.total > 0 {
            let total: u64 = naive.iter().map(|&c| u64::from(c)).sum();
            assert_eq!(room.total, total);
            for end in 0..=naive.len() {
                let below: u64 = naive[..end].iter().map(|&c| u64::from(c)).sum();
                assert_eq!(room.prefix(end), below);
            }
            let target = total / 2;
            let mut seen = 0;
            let expect = naive
                .iter()
                .position(|&c| {
                    seen += u64::from(c);
                    seen > target
                })
                .unwrap();
            let i = room.find(target);
            assert_eq!(i, expect);
            room.take(i);
            naive[i] -= 1;
        }
        assert!(room.left.iter().all(|&c| c == 0));
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
}
