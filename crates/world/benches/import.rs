//! Importing the Kotka extract (14,222 nodes, 2,653 ways, 5 relations) from memory, in
//! elements (nodes, ways and relations) per second.
//! `cargo bench -p outbreak-world --bench import`
//!
//! Map data © OpenStreetMap contributors, ODbL.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use outbreak_world::osm::{import, OsmParams};

const KOTKA: &[u8] = include_bytes!("../../../data/osm/kotka-karhula.osm.pbf");

fn import_kotka(c: &mut Criterion) {
    let p = OsmParams::default();
    let s = import(KOTKA, &p)
        .expect("the Kotka extract imports")
        .summary;
    let mut g = c.benchmark_group("osm-import");
    g.throughput(Throughput::Elements(s.nodes + s.ways + s.relations));
    g.bench_function("kotka", |b| b.iter(|| import(KOTKA, &p).unwrap()));
    g.finish();
}

criterion_group!(benches, import_kotka);
criterion_main!(benches);
