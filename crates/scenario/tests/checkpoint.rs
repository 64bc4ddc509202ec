//! Checkpoint round trip (DESIGN §7, "Resumable"): a run snapshotted at tick T, written to
//! checkpoint bytes, read back and restored into a fresh simulation built from the same
//! scenario continues exactly as the uninterrupted run: every column of the population,
//! the place state, the counters, the schedule, the per-place tally and the events are
//! identical at every tick to the end. Run on the built-in scenarios at reduced size, with
//! snapshots taken where the state is hardest to rebuild: mid-way between two refreshes of a
//! squad's sweep field, while a lure sounds, right after fights, with people waiting to turn,
//! in quarantine, and with count triggers armed but not yet due.

use outbreak_engine::prelude::*;
use outbreak_output::checkpoint::{decode_checkpoint, encode_checkpoint};
use outbreak_output::Recorder;
use outbreak_scenario::Scenario;
use std::path::Path;

fn scenario(name: &str, sets: &[&str]) -> Scenario {
    let text = outbreak_scenario::builtin(name).expect("a built-in");
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    Scenario::from_str(text, name, &sets).expect("the scenario is valid")
}

/// Runs the scenario, snapshots it at each of `at`, restores each snapshot through the
/// checkpoint bytes into a fresh build, and steps both to the end, comparing every tick.
fn resumes_exactly(name: &str, sets: &[&str], at: &[u32]) {
    let s = scenario(name, sets);
    let mut original = s.build().expect("builds");
    let end = original.params.run.duration_ticks;
    assert!(
        at.iter().all(|&t| t < end),
        "{name}: snapshots before the end"
    );
    let mut rec = Recorder::new(&original);
    let mut resumed: Vec<(Simulation, Recorder)> = Vec::new();
    while !original.finished() {
        original.step();
        rec.observe(&original);
        let t = original.tick();
        for (sim, r) in &mut resumed {
            sim.step();
            r.observe(sim);
            same_state(name, &original, sim);
            assert_eq!(&rec, r, "{name}: recorders differ at tick {t}");
        }
        if at.contains(&t) {
            assert!(
                original.occupancy().matches_recount(
                    &original.world,
                    &original.pop,
                    &original.params.behaviour
                ),
                "{name}: the tally is a fresh count at tick {t}"
            );
            let bytes = encode_checkpoint(&s.to_toml(), &s.name, 0, &original.snapshot(), &rec);
            let back = decode_checkpoint(Path::new("test.ckpt"), &bytes).expect("reads back");
            assert_eq!(back.tick(), t);
            let fresh = s.build().expect("builds again");
            let sim = Simulation::restore(fresh.world, fresh.params, fresh.orders, back.snapshot)
                .expect("the snapshot fits its own scenario");
            assert!(
                sim.events.is_empty(),
                "{name}: the snapshot's tick was reported"
            );
            let mut reported = original.clone();
            reported.events.clear();
            same_state(name, &reported, &sim);
            resumed.push((sim, back.recorder));
        }
    }
    assert_eq!(resumed.len(), at.len(), "{name}: every snapshot taken");
    for (sim, _) in &resumed {
        assert!(sim.finished());
    }
}

fn same_state(name: &str, a: &Simulation, b: &Simulation) {
    let t = a.tick();
    assert_eq!(t, b.tick(), "{name}: ticks");
    assert_eq!(a.events, b.events, "{name}: events at tick {t}");
    let (sa, sb) = (a.snapshot(), b.snapshot());
    let (pa, pb) = (sa.population(), sb.population());
    for (column, same) in [
        ("place", pa.place == pb.place),
        ("health", pa.health == pb.health),
        ("role", pa.role == pb.role),
        ("mode", pa.mode == pb.mode),
        ("group", pa.group == pb.group),
        ("traits", pa.traits == pb.traits),
        ("bitten_tick", pa.bitten_tick == pb.bitten_tick),
        ("turn_tick", pa.turn_tick == pb.turn_tick),
        ("fate_tick", pa.fate_tick == pb.fate_tick),
        ("heading", pa.heading == pb.heading),
        ("progress_m", pa.progress_m == pb.progress_m),
        ("anchors", pa.anchors == pb.anchors),
        ("task", pa.task == pb.task),
        ("flags", pa.flags == pb.flags),
        ("names", pa.names == pb.names),
    ] {
        assert!(
            same,
            "{name}: population column {column} differs at tick {t}"
        );
    }
    assert_eq!(a.places, b.places, "{name}: place state at tick {t}");
    assert_eq!(
        a.interventions, b.interventions,
        "{name}: interventions at tick {t}"
    );
    assert_eq!(a.counters, b.counters, "{name}: counters at tick {t}");
    assert!(
        sa == sb,
        "{name}: schedule, turn queue, fights or sweep fields at tick {t}"
    );
    let (oa, ob) = (a.occupancy(), b.occupancy());
    assert!(oa.at == ob.at, "{name}: per-place tally at tick {t}");
    assert_eq!(oa.calm, ob.calm, "{name}: calm places at tick {t}");
    assert_eq!(
        oa.zombie_places, ob.zombie_places,
        "{name}: zombie places at tick {t}"
    );
    assert_eq!(oa.zones, ob.zones, "{name}: zone counts at tick {t}");
    assert_eq!(oa.total, ob.total, "{name}: totals at tick {t}");
}

#[test]
fn the_campus_resumes_exactly() {
    // The NIS squad deploys at 6 h (tick 360) and sweeps, its field refreshed every 5 ticks:
    // tick 363 is between refreshes. The lure sounds from 8 h (tick 480) for 2 hours.
    resumes_exactly(
        "seoul-campus",
        &["population.size=3000", "run.duration_hours=9"],
        &[97, 200, 363, 481],
    );
}

#[test]
fn hyosan_high_resumes_exactly() {
    // Cordon and bombing brought forward so a short run holds them.
    resumes_exactly(
        "hyosan-high",
        &[
            "run.duration_hours=14",
            "authorities.3.at_hours=8",
            "authorities.4.at_hours=12",
        ],
        &[45, 500, 719, 721],
    );
}

#[test]
fn the_well_mixed_quarantine_resumes_exactly() {
    resumes_exactly(
        "munz-quarantine",
        &["run.duration_hours=120"],
        &[1, 333, 777],
    );
}

#[test]
fn munz_latent_treatment_and_eradication_resume_exactly() {
    resumes_exactly("munz-latent", &["run.duration_hours=120"], &[250, 600]);
    resumes_exactly("munz-treatment", &["run.duration_hours=120"], &[250, 600]);
    resumes_exactly("munz-impulsive", &["run.duration_hours=120"], &[250, 600]);
}

#[test]
fn kotka_karhula_resumes_exactly() {
    resumes_exactly("kotka-karhula", &["run.duration_hours=8"], &[61, 250, 370]);
}

#[test]
fn the_lattice_resumes_exactly() {
    // Neighbour contact: fights across ways make noise heard in the next tick.
    resumes_exactly(
        "alemi-lattice",
        &[
            "population.size=2500",
            "world.side=50",
            "run.duration_hours=6",
        ],
        &[90, 201],
    );
}

#[test]
fn the_city_resumes_exactly_with_count_triggers_armed() {
    resumes_exactly(
        "seoul-city",
        &["population.scale=0.001", "run.duration_hours=7"],
        &[150, 301],
    );
}
