//! The routing cost of a morning commute, on one core: builds a scenario (an OpenStreetMap
//! network from `scripts/tile-osm.sh`, say), then
//! 1. walks every person's trip from home to their morning place as the simulation does,
//!    one query at the trip's first gate and the plan after it (`World::trip`), and, for
//!    comparison, the first `COMPARE` trips asking the hierarchy at every gate
//!    (`World::route`, each answer a query then kept in the answer table);
//! 2. runs the scenario to its end on one thread and prints the time of each stage: `decide`
//!    (where plans are brought up to date and read) holds the routing.
//!
//! Run through `scripts/bench-commute.sh`; by hand:
//! `cargo run --release -p outbreak-scenario --example commute -- FILE.toml`.

use outbreak_engine::prelude::*;
use std::time::Instant;

mod common;

/// Trips walked step by step with a query at every gate, for the comparison.
const COMPARE: usize = 2_000;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: commute SCENARIO.toml");
        std::process::exit(2);
    };
    let src = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("cannot read {path}: {e}");
        std::process::exit(1);
    });
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build_global()
        .expect("the first pool");
    let scenario = outbreak_scenario::Scenario::from_str(&src, &path, &[]).unwrap_or_else(|e| {
        eprintln!("{}", e.render());
        std::process::exit(2);
    });
    let t0 = Instant::now();
    let mut sim = scenario.build().unwrap_or_else(|e| {
        eprintln!("{}", e.render());
        std::process::exit(2);
    });
    let world = &sim.world;
    println!(
        "built in {:.2} s: {} places, {} people, trips planned: {}; peak RSS {:.0} MiB",
        t0.elapsed().as_secs_f64(),
        world.place_count(),
        sim.pop.len(),
        world.plans_trips(),
        common::status_mib("VmHWM:")
    );

    // 1. Every home-to-morning trip, as one walker each.
    let trips: Vec<(PlaceId, PlaceId)> = sim
        .pop
        .anchors
        .iter()
        .map(|a| (a[0], a[1]))
        .filter(|&(a, b)| a != b && world.reachable(a, b))
        .collect();
    let max = world.place_count();
    let t0 = Instant::now();
    let steps: usize = trips
        .iter()
        .map(|&(a, b)| world.trip(a, b, max).expect("a planned trip arrives").len() - 1)
        .sum();
    let planned = t0.elapsed().as_secs_f64();
    println!(
        "{} trips of {:.1} steps on average: planned (one query a trip) {:.2} s, {:.1} µs a trip",
        trips.len(),
        steps as f64 / trips.len().max(1) as f64,
        planned,
        planned * 1e6 / trips.len().max(1) as f64
    );
    let some = &trips[..trips.len().min(COMPARE)];
    let t0 = Instant::now();
    let mut same = 0;
    for &(a, b) in some {
        let stepwise = world.route(a, b, max).expect("a route arrives");
        same += usize::from(world.trip(a, b, max).as_ref() == Some(&stepwise));
    }
    let stepwise = t0.elapsed().as_secs_f64();
    let per_trip = stepwise / some.len().max(1) as f64;
    println!(
        "first {} trips asking at every gate: {:.1} µs a trip (includes a planned walk each), \
         {:.1} s for all at that rate; {same} of them take the same path both ways",
        some.len(),
        per_trip * 1e6,
        per_trip * trips.len() as f64,
    );

    // 2. The run itself, on one thread.
    let t0 = Instant::now();
    sim.run_to_end(|_| {});
    let secs = t0.elapsed().as_secs_f64();
    let t = sim.timing();
    let stages: Vec<String> = t
        .iter()
        .map(|(s, d)| format!("{} {:.2} s", s.as_str(), d.as_secs_f64()))
        .collect();
    let trips = sim.counters.trips;
    println!(
        "run: {} ticks in {secs:.2} s on one thread; routing (decide) {:.2} s",
        sim.tick(),
        t[Stage::Decide].as_secs_f64()
    );
    println!("stages: {}", stages.join(", "));
    println!(
        "routine trips: {} started, {} arrived, {} unreachable; peak RSS {:.0} MiB",
        trips.started,
        trips.arrived,
        trips.unreachable,
        common::status_mib("VmHWM:")
    );
    // Those not at their place at the end: waiting outside because it is full, or not.
    let occ = sim.occupancy();
    let slot = sim.params.behaviour.schedule[sim.hour_of_day(sim.tick()) as usize % 24] as usize;
    let (mut away, mut outside_full) = (0, 0);
    for i in 0..sim.pop.len() {
        let to = sim.pop.anchors[i][slot];
        if sim.pop.place[i] == to {
            continue;
        }
        away += 1;
        let t = &occ.at[to.index()];
        let people = t.census[Health::Susceptible as usize]
            + t.census[Health::Infected as usize]
            + t.census[Health::Hambie as usize];
        let next_door = sim
            .world
            .neighbours(sim.pop.place[i])
            .iter()
            .any(|e| e.to == to);
        outside_full += usize::from(next_door && people >= t.holds);
    }
    println!(
        "at the end {away} people are not at their place; {outside_full} of them wait at the \
         door of their place, full"
    );
}
