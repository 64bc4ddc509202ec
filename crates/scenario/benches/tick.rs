//! One tick of the engine at 10,000 and 1,000,000 people, mid-outbreak.
//! `cargo bench -p outbreak-scenario --bench tick`

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use outbreak_engine::Simulation;

fn warmed(mut sim: Simulation, ticks: u32) -> Simulation {
    for _ in 0..ticks {
        sim.step();
    }
    sim
}

fn tick(c: &mut Criterion) {
    let mut g = c.benchmark_group("tick");
    g.sample_size(20);
    let campus = outbreak_scenario::Scenario::from_str(
        outbreak_scenario::builtin("seoul-campus").unwrap(),
        "seoul-campus",
        &["population.size=10000".into()],
    )
    .unwrap();
    let cases = [
        ("campus-10k", campus.build().unwrap(), 300),
        (
            "city-10k",
            outbreak_scenario::bench::city(10_000, 1)
                .unwrap()
                .build()
                .unwrap(),
            120,
        ),
        (
            "city-1M",
            outbreak_scenario::bench::city(1_000_000, 1)
                .unwrap()
                .build()
                .unwrap(),
            120,
        ),
    ];
    for (name, sim, warm) in cases {
        let sim = warmed(sim, warm);
        g.throughput(Throughput::Elements(sim.pop.len() as u64));
        // NOTE: every sample steps a copy of the same warmed state, so the figure is one
        // tick at that moment of the outbreak, however many samples criterion takes.
        g.bench_function(name, |b| {
            b.iter_batched_ref(|| sim.clone(), |s| s.step(), BatchSize::LargeInput)
        });
    }
    g.finish();
}

criterion_group!(benches, tick);
criterion_main!(benches);
