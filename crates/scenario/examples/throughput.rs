//! Prints agent-steps per second and peak memory for the campus and a million-person city,
//! and (`seoul`, about 8 minutes) for the full-scale `seoul-city` of 9.46 million people.
//! Run through `scripts/bench.sh`. Peak memory is the process's high-water mark (VmHWM).

use outbreak_engine::Simulation;
use std::time::Instant;

mod common;

fn peak_rss_mib() -> f64 {
    common::status_mib("VmHWM:")
}

fn measure(name: &str, mut sim: Simulation, ticks: u32) {
    let n = sim.pop.len() as f64;
    let active0 = sim.counters.active_agent_ticks;
    let t0 = Instant::now();
    for _ in 0..ticks {
        sim.step();
    }
    let secs = t0.elapsed().as_secs_f64();
    let active = (sim.counters.active_agent_ticks - active0) as f64;
    println!(
        "{name:<12} {:>9} agents {:>5} ticks {:>7.2} s  {:>7.1} M agent-steps/s  {:>7.1} M active agent-steps/s  ({:.0}% active)  peak RSS {:.0} MiB",
        n,
        ticks,
        secs,
        n * f64::from(ticks) / secs / 1e6,
        active / secs / 1e6,
        100.0 * active / (n * f64::from(ticks)),
        peak_rss_mib()
    );
    let total = sim.timing().total().as_secs_f64();
    let stages: Vec<String> = sim
        .timing()
        .iter()
        .map(|(s, d)| format!("{} {:.0}%", s.as_str(), 100.0 * d.as_secs_f64() / total))
        .collect();
    println!("             stages: {}", stages.join(", "));
}

fn main() {
    let which = std::env::args().nth(1).unwrap_or_else(|| "all".into());
    if which == "all" || which == "campus" {
        let s = outbreak_scenario::Scenario::from_str(
            outbreak_scenario::builtin("seoul-campus").unwrap(),
            "seoul-campus",
            &[],
        )
        .unwrap();
        let ticks = s.params.run.duration_ticks;
        measure("campus", s.build().unwrap(), ticks);
    }
    if which == "all" || which == "city" {
        let s = outbreak_scenario::bench::city(1_000_000, 1).unwrap();
        measure("city-1M", s.build().unwrap(), 360);
    }
    if which == "seoul" {
        let s = outbreak_scenario::Scenario::from_str(
            outbreak_scenario::builtin("seoul-city").unwrap(),
            "seoul-city",
            &[],
        )
        .unwrap();
        let ticks = s.params.run.duration_ticks;
        measure("seoul-city", s.build().unwrap(), ticks);
    }
}
