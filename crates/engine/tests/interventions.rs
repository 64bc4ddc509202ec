//! Munz's interventions in the agents: quarantine (κ for the infected, σ for zombies, γ for
//! removal), cure (c) and impulsive eradication (k). With no bites and no kills each is a
//! set of independent per-agent clocks, so after `T` hours the fraction that moved is
//! binomial with mean `1 - exp(-rate · T)` (exactly: per-tick chances compose to it). Each
//! test allows 4 binomial standard errors.

use outbreak_engine::prelude::*;

const TRAITS: Traits = Traits {
    walk_mps: 1.3,
    run_mps: 3.0,
    fight: 1.0,
    stealth: 0.0,
};

/// A well-mixed place of `n` agents of one health, no bites and no kills, and the given
/// orders at tick 0.
fn run(seed: u64, n: u32, health: Health, hours: u32, orders: Vec<Action>) -> Simulation {
    run_in(well_mixed_world(1.0), 1.0, seed, n, health, hours, orders)
}

/// As [`run`], in a given world (agents spread over its places in turn) and tick length.
fn run_in(
    world: World,
    tick_minutes: f64,
    seed: u64,
    n: u32,
    health: Health,
    hours: u32,
    orders: Vec<Action>,
) -> Simulation {
    let mut pop = Population::default();
    let places = world.place_count() as u32;
    for k in 0..n {
        pop.push(AgentSpec {
            place: PlaceId(k % places),
            health,
            role: Role::Civilian,
            mode: Mode::Alert,
            traits: TRAITS,
            anchors: None,
            name: None,
        });
    }
    let ticks = (f64::from(hours) * 60.0 / tick_minutes).round() as u32;
    let mut params = Params::well_mixed(seed, tick_minutes, 0.0, 0.0, ticks);
    // A long latent time: the infected do not turn within the test.
    params.virus.latent = Latent::Fixed { minutes: 1e6 };
    let orders = orders
        .into_iter()
        .map(|action| Order {
            label: action.name().into(),
            trigger: Trigger::At { tick: 0 },
            action,
        })
        .collect();
    let mut sim = Simulation::new(world, pop, params, orders);
    sim.run_to_end(|_| {});
    sim
}

fn count(sim: &Simulation, h: Health) -> u64 {
    sim.occupancy().total[h as usize]
}

fn binomial(name: &str, got: u64, n: u64, p: f64) {
    let (mean, sd) = (n as f64 * p, (n as f64 * p * (1.0 - p)).sqrt());
    assert!(
        (got as f64 - mean).abs() < 4.0 * sd,
        "{name}: {got} of {n}, expected {mean:.1} ± {:.1}",
        4.0 * sd
    );
}

#[test]
fn quarantine_takes_the_infected_and_zombies_at_their_rates() {
    let q = |zombies_per_hour| Action::Quarantine {
        zone: None,
        infected_per_hour: 0.2,
        zombies_per_hour,
        removal_per_hour: 0.0,
    };
    let sim = run(11, 4000, Health::Infected, 3, vec![q(0.0)]);
    binomial(
        "infected quarantined",
        count(&sim, Health::Quarantined),
        4000,
        1.0 - (-0.2f64 * 3.0).exp(),
    );
    let sim = run(12, 4000, Health::Zombie, 3, vec![q(0.5)]);
    binomial(
        "zombies quarantined",
        count(&sim, Health::Quarantined),
        4000,
        1.0 - (-0.5f64 * 3.0).exp(),
    );
}

#[test]
fn the_quarantined_are_removed_at_gamma() {
    let action = Action::Quarantine {
        zone: None,
        infected_per_hour: 0.0,
        zombies_per_hour: 0.0,
        removal_per_hour: 0.3,
    };
    let sim = run(13, 4000, Health::Quarantined, 2, vec![action]);
    binomial(
        "removed",
        count(&sim, Health::Dead),
        4000,
        1.0 - (-0.3f64 * 2.0).exp(),
    );
    assert_eq!(
        sim.occupancy().total.iter().sum::<u64>(),
        4000,
        "population conserved"
    );
}

#[test]
fn cure_makes_zombies_susceptible_and_competes_with_quarantine() {
    let sim = run(
        14,
        4000,
        Health::Zombie,
        2,
        vec![Action::Cure {
            zone: None,
            per_hour: 0.4,
        }],
    );
    binomial(
        "cured",
        count(&sim, Health::Susceptible),
        4000,
        1.0 - (-0.4f64 * 2.0).exp(),
    );
    // Both at once: a zombie leaves Z at about σ + c; a share σ/(σ+c) of those leaving go
    // to quarantine.
    let both = vec![
        Action::Cure {
            zone: None,
            per_hour: 0.3,
        },
        Action::Quarantine {
            zone: None,
            infected_per_hour: 0.0,
            zombies_per_hour: 0.1,
            removal_per_hour: 0.0,
        },
    ];
    let sim = run(15, 8000, Health::Zombie, 2, both);
    let left = 8000 - count(&sim, Health::Zombie);
    binomial("left Z", left, 8000, 1.0 - (-0.4f64 * 2.0).exp());
    binomial("to Q", count(&sim, Health::Quarantined), left, 0.25);
}

#[test]
fn eradication_destroys_a_fraction_of_zombies_only() {
    // The order fires once, at tick 0, though the run lasts an hour.
    let sim = run(
        16,
        6000,
        Health::Zombie,
        1,
        vec![Action::Eradicate {
            zone: None,
            kill_fraction: 0.25,
        }],
    );
    binomial("eradicated", count(&sim, Health::Dead), 6000, 0.25);
    let sim = run(
        17,
        1000,
        Health::Susceptible,
        1,
        vec![Action::Eradicate {
            zone: None,
            kill_fraction: 1.0,
        }],
    );
    assert_eq!(count(&sim, Health::Susceptible), 1000, "humans are spared");
}

#[test]
fn quarantine_and_cure_split_by_their_rates_even_at_hour_long_ticks() {
    // σ = 2 and c = 3 per hour with one-hour ticks: nearly every zombie leaves Z in the
    // first tick, and two in five of those go to quarantine, whatever the tick length.
    let both = vec![
        Action::Cure {
            zone: None,
            per_hour: 3.0,
        },
        Action::Quarantine {
            zone: None,
            infected_per_hour: 0.0,
            zombies_per_hour: 2.0,
            removal_per_hour: 0.0,
        },
    ];
    let sim = run_in(
        well_mixed_world(1.0),
        60.0,
        18,
        6000,
        Health::Zombie,
        1,
        both,
    );
    let left = 6000 - count(&sim, Health::Zombie);
    binomial("left Z", left, 6000, 1.0 - (-5.0f64).exp());
    binomial("to Q", count(&sim, Health::Quarantined), left, 0.4);
}

#[test]
fn two_eradications_in_one_tick_are_independent() {
    let half = || Action::Eradicate {
        zone: None,
        kill_fraction: 0.5,
    };
    let sim = run(19, 6000, Health::Zombie, 1, vec![half(), half()]);
    binomial("destroyed", count(&sim, Health::Dead), 6000, 0.75);
}

#[test]
fn interventions_in_a_zone_act_only_there() {
    // Two places, a zone holding the first: half the agents are inside.
    let world = || {
        let mut b = WorldBuilder::new();
        let spec = |name: &str| PlaceSpec {
            name: name.into(),
            kind: PlaceKind::Plaza,
            pos: [0.0, 0.0],
            capacity: u32::MAX,
            barricade_strength: 0.0,
            contact_scale: 1.0,
        };
        let inside = b.add_place(spec("inside"));
        let outside = b.add_place(spec("outside"));
        b.add_way(inside, outside, 1000.0);
        let zone = b.zone("ward");
        b.put_in_zone(inside, zone);
        b.build().unwrap()
    };
    let outside = PlaceId(1);
    let zone = world().zone_by_name("ward");
    let orders = vec![
        Action::Quarantine {
            zone,
            infected_per_hour: 0.0,
            zombies_per_hour: 0.5,
            removal_per_hour: 0.0,
        },
        Action::Cure {
            zone,
            per_hour: 0.5,
        },
    ];
    let sim = run_in(world(), 1.0, 20, 4000, Health::Zombie, 1, orders);
    let moved_outside = sim
        .pop
        .health
        .iter()
        .zip(&sim.pop.place)
        .filter(|(h, p)| **h != Health::Zombie && **p == outside)
        .count();
    assert_eq!(
        moved_outside, 0,
        "nobody outside the zone is quarantined or cured"
    );
    binomial(
        "left Z inside",
        4000 - count(&sim, Health::Zombie),
        2000,
        1.0 - (-1.0f64).exp(),
    );

    let sim = run_in(
        world(),
        1.0,
        21,
        4000,
        Health::Zombie,
        1,
        vec![Action::Eradicate {
            zone,
            kill_fraction: 1.0,
        }],
    );
    assert_eq!(
        count(&sim, Health::Dead),
        2000,
        "every zombie in the zone, none outside"
    );
}
