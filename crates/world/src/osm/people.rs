//! How the people of an imported map live in it: homes dealt over the buildings by
//! capacity, and day places drawn near home.

use super::OsmWorld;
use crate::dist2;
use outbreak_engine::agents::ANCHORS;
use outbreak_engine::prelude::*;
use outbreak_engine::rng::{self, Stream};
use rand::Rng;
use std::ops::Range;

/// A day place lies within this straight distance of home when any building does.
pub const DAY_RADIUS_M: f64 = 1_000.0;
/// Random draws of a day place before the buildings near home are listed.
const DAY_TRIES: u32 = 32;

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

/// A [`DAY_RADIUS_M`] square of the map: columns east and rows north of the projection's
/// origin.
pub(super) type GridCell = (i64, i64);

/// The buildings (by their positions in metres and running capacity totals, in
/// `buildings` order) sorted by grid cell, and the running totals of their capacities in
/// that order: [`OsmWorld`]'s `grid` and `grid_weight`.
pub(super) fn day_grid(
    building_m: &[[f64; 2]],
    cumulative: &[u64],
) -> (Vec<(GridCell, u32)>, Vec<u64>) {
    let mut grid: Vec<(GridCell, u32)> = building_m
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
    (grid, grid_weight)
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
