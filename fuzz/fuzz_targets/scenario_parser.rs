//! The scenario parser on arbitrary input: any text, with any `--set` overrides, gives a
//! scenario or an error, never a panic. Lines of the input that start with `#set ` are
//! passed as overrides. Scenarios that parse and are small are also built and stepped.
//!
//! Run: `cargo +nightly fuzz run scenario_parser fuzz/corpus/scenario_parser scenarios
//! crates/cli/tests/bad -- -max_total_time=600`

#![no_main]

use libfuzzer_sys::fuzz_target;
use outbreak_scenario::{Scenario, WorldSpec};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let sets: Vec<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("#set "))
        .map(str::to_string)
        .collect();
    let Ok(s) = Scenario::from_str(text, "fuzz.toml", &sets) else {
        return;
    };
    // Building generates the world and places everyone: only for small ones, so that each
    // input stays fast.
    let small_world = match &s.world {
        WorldSpec::WellMixed { .. } => true,
        WorldSpec::Lattice { side, .. } => *side <= 30,
        WorldSpec::City { side, rooms_per_building, .. } => side * side * rooms_per_building <= 2000,
        _ => false,
    };
    if s.people <= 2000 && small_world && s.params.run.duration_ticks <= 2000 {
        if let Ok(mut sim) = s.build() {
            for _ in 0..20 {
                sim.step();
            }
        }
    }
});
