//! Crowds: a bite takes time. In a place packed far beyond its capacity a zombie is busy
//! for the handling time `h` after each bite, so no zombie bites two people less than `h`
//! apart, whatever the tick (the handling carries over from tick to tick), and a zombie's
//! mean rate is Holling's type II, `β·S / (1 + β·h·S)`.

use outbreak_engine::prelude::*;
use std::collections::BTreeMap;

/// One place of room for 50, holding `s` people who stand their ground and `z` zombies
/// (the zombies first), bites at `beta` per pair-hour, no kills, turning after 10 hours (so
/// the zombies are the same throughout), handling `h_minutes`.
fn crowd(
    seed: u64,
    (s, z): (u32, u32),
    beta: f64,
    h_minutes: f64,
    tick: f64,
    ticks: u32,
) -> Simulation {
    let mut b = WorldBuilder::new();
    let p = b.add_place(PlaceSpec {
        name: "station".into(),
        kind: PlaceKind::Station,
        pos: [0.0, 0.0],
        capacity: 50,
        barricade_strength: 0.0,
        contact_scale: 1.0,
    });
    let zone = b.zone("station");
    b.put_in_zone(p, zone);
    let world = b.build().expect("a one-place world");
    let mut pop = Population::default();
    for k in 0..s + z {
        pop.push(AgentSpec {
            place: p,
            health: if k < z {
                Health::Zombie
            } else {
                Health::Susceptible
            },
            role: Role::Civilian,
            mode: Mode::Alert,
            traits: Traits {
                walk_mps: 1.3,
                run_mps: 3.0,
                fight: 1.0,
                stealth: 0.0,
            },
            anchors: None,
            name: None,
        });
    }
    let mut params = Params::well_mixed(seed, tick, beta, 0.0, ticks);
    params.virus.latent = Latent::Fixed { minutes: 600.0 };
    params.virus.bite_handling_minutes = h_minutes;
    params.behaviour.max_group_size = 1;
    params.behaviour.stand_ground = true;
    Simulation::new(world, pop, params, vec![])
}

/// Every tick's bites by biter: (tick, zombie) → bites, and the susceptible at each tick's
/// start.
fn bites(mut sim: Simulation) -> (BTreeMap<(u32, u32), u32>, Vec<u64>) {
    let mut by = BTreeMap::new();
    let mut start = Vec::new();
    while !sim.finished() {
        start.push(sim.occupancy().total[Health::Susceptible as usize]);
        sim.step();
        for e in sim.events.iter().filter(|e| e.kind == EventKind::Bite) {
            let z = e.by().expect("a bite has a biter");
            *by.entry((e.tick, z.0)).or_insert(0) += 1;
        }
    }
    (by, start)
}

/// The most bites one zombie made in any `window` consecutive ticks.
fn most_in_window(by: &BTreeMap<(u32, u32), u32>, window: u32) -> u32 {
    let mut per_zombie: BTreeMap<u32, BTreeMap<u32, u32>> = BTreeMap::new();
    for (&(t, z), &n) in by {
        per_zombie.entry(z).or_default().insert(t, n);
    }
    per_zombie
        .values()
        .flat_map(|ticks| {
            ticks
                .keys()
                .map(|&t| ticks.range(t..t + window).map(|x| x.1).sum::<u32>())
        })
        .max()
        .unwrap_or(0)
}

#[test]
fn no_zombie_in_a_packed_place_bites_faster_than_its_handling_time_allows() {
    // 20,000 people where 50 fit, β·S = 1,000 bites an hour per zombie by mass action
    // (about 17 a minute): with h = 2.5 minutes, at most one bite a tick of one minute,
    // and at most ⌈W·Δt / h⌉ in any W ticks, as the handling runs on across ticks.
    let (by, _) = bites(crowd(0xC20D, (20_000, 40), 0.05, 2.5, 1.0, 60));
    assert!(!by.is_empty());
    for (window, most) in [(1, 1), (2, 1), (3, 2), (5, 2), (10, 4), (60, 24)] {
        let got = most_in_window(&by, window);
        assert!(
            got <= most,
            "{got} bites by one zombie in {window} one-minute ticks; h = 2.5 min allows {most}"
        );
    }
    // Saturated: each zombie bites about every 2.5 minutes (24 an hour, the bound).
    let total: u32 = by.values().sum();
    assert!(
        total > 40 * 22,
        "{total} bites by 40 saturated zombies in an hour"
    );

    // Ten-minute ticks, h = 1 minute: at most 10 bites a tick, where mass action would give
    // about 170.
    let (by, _) = bites(crowd(0xC20E, (20_000, 40), 0.05, 1.0, 10.0, 6));
    let got = most_in_window(&by, 1);
    assert!(
        (9..=10).contains(&got),
        "at most 10 bites by one zombie in a tick of 10 minutes with h = 1 min, and the busiest near it: {got}"
    );
}

#[test]
fn a_zombies_mean_rate_in_a_crowd_is_hollings_type_two() {
    // β·h·S = 1 at the start: half the mass-action rate. 100 zombies for an hour of
    // one-minute ticks bite about 3,000 of 50,000 people; the expected count follows from
    // each tick's S by Holling's formula (S falls 6 % over the hour, so the rate by 3 %).
    let (beta, h, tick) = (0.0012, 1.0, 1.0);
    let z = 100.0;
    let (by, start) = bites(crowd(0x4011, (50_000, 100), beta, h, tick, 60));
    let got = f64::from(by.values().sum::<u32>());
    let expected: f64 = start
        .iter()
        .map(|&s| {
            let s = s as f64;
            z * (tick / 60.0) * beta * s / (1.0 + beta * (h / 60.0) * s)
        })
        .sum();
    let mass_action = start[0] as f64 * beta * z;
    // Bites of one zombie are a renewal process: less variable than Poisson, whose
    // standard error bounds it.
    let tolerance = 4.0 * expected.sqrt();
    assert!(
        (got - expected).abs() < tolerance,
        "{got} bites in an hour; Holling's type II gives {expected:.0} ± {tolerance:.0} (mass action {mass_action:.0})"
    );
}
