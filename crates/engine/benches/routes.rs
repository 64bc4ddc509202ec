//! Routing on street networks of 10,000, 100,000 and 1,000,000 junctions (a square grid of
//! random block lengths with one junction in ten and one block side in ten missing, so
//! that routes detour round holes and dead ends): the cost of one whole trip between two
//! random junctions as walkers take it (`World::trip`: one query at the first gate, then
//! the trip's plan), printed once and measured by criterion, and for comparison with a
//! query at every step (`World::route`), printed once for new trips. Before each size
//! the preparation (building the world and its routes) is timed once and its memory
//! (resident set added) printed. `BENCH_JUNCTIONS=10000,100000` picks the sizes.
//! `cargo bench -p outbreak-engine --bench routes`

use criterion::{criterion_group, criterion_main, Criterion};
use outbreak_engine::prelude::*;
use std::time::Instant;

/// splitmix64: a fixed network and fixed trips for every run of the bench.
struct Mix(u64);
impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn grid(junctions: usize, r: &mut Mix) -> World {
    let side = (junctions as f64).sqrt().round() as usize;
    let mut b = WorldBuilder::new();
    let mut id = vec![None; side * side];
    for (k, slot) in id.iter_mut().enumerate() {
        if r.below(10) != 0 {
            let p = b.add_place(PlaceSpec {
                name: format!("j{k}"),
                kind: PlaceKind::Street,
                pos: [(k % side) as f64 * 100.0, (k / side) as f64 * 100.0],
                capacity: 200,
                barricade_strength: 0.0,
                contact_scale: 1.0,
            });
            b.set_cell(p, p.0);
            b.set_gate(p.0, p);
            *slot = Some(p);
        }
    }
    for y in 0..side {
        for x in 0..side {
            let Some(p) = id[y * side + x] else { continue };
            if x + 1 < side && r.below(10) != 0 {
                if let Some(q) = id[y * side + x + 1] {
                    b.add_way(p, q, 50.0 + r.below(10_000) as f32 / 100.0);
                }
            }
            if y + 1 < side && r.below(10) != 0 {
                if let Some(q) = id[(y + 1) * side + x] {
                    b.add_way(p, q, 50.0 + r.below(10_000) as f32 / 100.0);
                }
            }
        }
    }
    b.build().expect("a grid is a valid world")
}

fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .unwrap_or(0.0)
        / 1024.0
}

fn routes(c: &mut Criterion) {
    let sizes: Vec<usize> = std::env::var("BENCH_JUNCTIONS")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000, 1_000_000]);
    let mut g = c.benchmark_group("route-trip");
    g.sample_size(20);
    for n in sizes {
        let mut r = Mix(n as u64);
        let before = rss_mib();
        let t0 = Instant::now();
        let world = grid(n, &mut r);
        let secs = t0.elapsed().as_secs_f64();
        let added = rss_mib() - before;
        let places = world.place_count();
        eprintln!(
            "{places} junctions: world and routes built in {secs:.2} s, {added:.1} MiB \
             ({:.0} bytes a junction)",
            added * 1024.0 * 1024.0 / places as f64
        );
        // Trips between random connected junctions, each new to the answer table.
        let mut trips = Vec::new();
        while trips.len() < 4_096 {
            let (a, b) = (
                PlaceId(r.below(places) as u32),
                PlaceId(r.below(places) as u32),
            );
            if a != b && world.reachable(a, b) {
                trips.push((a, b));
            }
        }
        // As walkers take them: one query at the first gate, then the plan (`World::trip`).
        let t0 = Instant::now();
        let steps: usize = trips
            .iter()
            .map(|&(a, b)| world.trip(a, b, places).expect("a trip arrives").len())
            .sum();
        let secs = t0.elapsed().as_secs_f64();
        eprintln!(
            "{places} junctions: {} trips of {:.0} steps on average, {:.1} µs a trip planned \
             (one query a trip)",
            trips.len(),
            steps as f64 / trips.len() as f64,
            secs * 1e6 / trips.len() as f64,
        );
        // For comparison, a query at every step (nothing in the answer table yet), on the
        // first 512 trips.
        let some = &trips[..512];
        let t0 = Instant::now();
        let steps: usize = some
            .iter()
            .map(|&(a, b)| world.route(a, b, places).expect("a route arrives").len())
            .sum();
        let secs = t0.elapsed().as_secs_f64();
        eprintln!(
            "{places} junctions: {} trips of {:.0} steps on average, {:.1} µs a trip with a \
             query a step ({:.2} µs a step)",
            some.len(),
            steps as f64 / some.len() as f64,
            secs * 1e6 / some.len() as f64,
            secs * 1e6 / steps as f64
        );
        // Criterion then measures planned trips (each a query and its walk).
        let mut k = 0;
        g.bench_function(format!("{places}-junctions"), |bench| {
            bench.iter(|| {
                let (a, b) = trips[k % trips.len()];
                k += 1;
                world.trip(a, b, places).expect("a trip arrives").len()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, routes);
criterion_main!(benches);
