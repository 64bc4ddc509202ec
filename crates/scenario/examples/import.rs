//! Imports an OpenStreetMap extract and prints its elements (nodes, ways, relations), the
//! time taken and elements per second, what the importer kept, and memory: the resident
//! set before the import, the peak (VmHWM) after it, and what the import added per million
//! nodes; then the time to deal day places to as many people as the map holds. Run through
//! `scripts/bench-osm.sh`; `cargo run --release -p outbreak-scenario --example import --
//! FILE.osm.pbf` for one file.

use outbreak_world::osm::{import, OsmParams};
use std::io::BufReader;
use std::time::Instant;

mod common;
use common::status_mib;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: import FILE.osm.pbf");
        std::process::exit(2);
    };
    let file = std::fs::File::open(&path).unwrap_or_else(|e| {
        eprintln!("cannot open {path}: {e}");
        std::process::exit(1);
    });
    let baseline = status_mib("VmRSS:");
    let t0 = Instant::now();
    let map = import(BufReader::new(file), &OsmParams::default()).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    });
    let secs = t0.elapsed().as_secs_f64();
    let peak = status_mib("VmHWM:");
    let s = &map.summary;
    let elements = s.nodes + s.ways + s.relations;
    println!(
        "{path}: {elements} elements in {secs:.3} s, {:.2} M elements/s",
        elements as f64 / secs / 1e6
    );
    print!("{s}");
    println!(
        "memory: {baseline:.1} MiB before, peak {peak:.1} MiB, {:.1} MiB added per million nodes",
        (peak - baseline) / (s.nodes as f64 / 1e6)
    );
    // The worst case of dealing day places: as many people as the map holds, so that the
    // last find the buildings near home full and take the nearest with room.
    let people = s.capacity.min(u64::from(u32::MAX)) as u32;
    let t0 = Instant::now();
    let days = map.day_places(7, people);
    println!(
        "day places: {} people (the capacity) dealt in {:.3} s, peak {:.1} MiB",
        days.len(),
        t0.elapsed().as_secs_f64(),
        status_mib("VmHWM:")
    );
}
