//! Conservation: over random small worlds, populations, parameters, timelines and seeds,
//! the counts sum to the population at every tick (those of zone `all` to everyone on the
//! map), the incrementally kept tally equals a fresh count (and the resident lists match
//! where everyone is), every change of state is one the model allows, and every infection
//! is logged by its bite.

use outbreak_engine::prelude::*;
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Case {
    places: usize,
    ways: Vec<(usize, usize, f32)>,
    doors: Vec<f32>,
    agents: Vec<(usize, u8, u8)>,
    beta: f64,
    kappa: f64,
    rise: f64,
    death: f64,
    hambie: f64,
    latent: f64,
    orders: Vec<(u8, usize, u32, f64)>,
    seed: u64,
}

fn case() -> impl Strategy<Value = Case> {
    (1usize..12).prop_flat_map(|n| {
        (
            Just(n),
            prop::collection::vec((0..n, 0..n, 1.0f32..80.0), 0..3 * n),
            prop::collection::vec(prop_oneof![Just(0.0f32), 0.1f32..3.0], n),
            prop::collection::vec((0..n, 0u8..5, 0u8..3), 1..120),
            (
                0.0f64..5.0,
                0.0f64..3.0,
                prop_oneof![Just(0.0), 0.0f64..0.5],
                prop_oneof![Just(0.0), 0.0f64..0.1],
            ),
            (0.0f64..0.3, 0.0f64..60.0),
            prop::collection::vec((0u8..11, 0..n, 0u32..40, 0.0f64..1.0), 0..6),
            any::<u64>(),
        )
            .prop_map(
                |(
                    places,
                    ways,
                    doors,
                    agents,
                    (beta, kappa, rise, death),
                    (hambie, latent),
                    orders,
                    seed,
                )| Case {
                    places,
                    ways,
                    doors,
                    agents,
                    beta,
                    kappa,
                    rise,
                    death,
                    hambie,
                    latent,
                    orders,
                    seed,
                },
            )
    })
}

fn build(c: &Case) -> Simulation {
    let mut b = WorldBuilder::new();
    // Half the worlds meet across ways too (Alemi's lattice contact).
    b.neighbour_contact(c.seed.is_multiple_of(2));
    let zone = b.zone("all");
    let half = b.zone("half");
    for p in 0..c.places {
        let id = b.add_place(PlaceSpec {
            name: format!("p{p}"),
            kind: PlaceKind::Room,
            pos: [p as f64, 0.0],
            capacity: 20,
            barricade_strength: c.doors[p],
            contact_scale: 1.0,
        });
        b.put_in_zone(id, zone);
        if p % 2 == 0 {
            b.put_in_zone(id, half);
        }
    }
    for &(a, d, len) in &c.ways {
        if a != d {
            b.add_way(PlaceId(a as u32), PlaceId(d as u32), len);
        }
    }
    let world = b.build().unwrap();
    let mut pop = Population::default();
    let traits = Traits {
        walk_mps: 1.3,
        run_mps: 3.0,
        fight: 1.0,
        stealth: 0.1,
    };
    for &(p, h, m) in &c.agents {
        let health = [
            Health::Susceptible,
            Health::Infected,
            Health::Zombie,
            Health::Hambie,
            Health::Reserve,
        ][h as usize];
        let mode = if health == Health::Reserve {
            Mode::Reserve
        } else {
            [Mode::Alert, Mode::Routine, Mode::Hiding][m as usize]
        };
        pop.push(AgentSpec {
            place: PlaceId(p as u32),
            health,
            role: Role::Civilian,
            mode,
            traits,
            anchors: None,
            name: None,
        });
    }
    let mut params = Params::well_mixed(c.seed, 1.0, c.beta, c.kappa, 60);
    params.virus.rise_rate_per_hour = c.rise;
    params.virus.death_rate_per_hour = c.death;
    params.virus.hambie_fraction = c.hambie;
    params.virus.latent = Latent::Exponential {
        mean_minutes: c.latent.max(0.5),
    };
    // Every fighter in reserve serves in the one squad, which the squad orders deploy.
    let reserve: Vec<AgentId> = (0..pop.len() as u32)
        .map(AgentId)
        .filter(|a| pop.health[a.index()] == Health::Reserve)
        .collect();
    let orders = c
        .orders
        .iter()
        .map(|&(kind, p, tick, x)| {
            let place = PlaceId(p as u32);
            let action = match kind {
                0 => Action::Cordon {
                    zone: half,
                    leak_per_hour: x,
                },
                1 => Action::OpenRescue {
                    place,
                    per_hour: 600.0 * x,
                },
                2 => Action::CloseRescue { place },
                3 => Action::Lure {
                    place,
                    loudness: 10.0 * x,
                    duration_ticks: 5,
                },
                4 => Action::Strike {
                    zone: half,
                    kill_fraction: x,
                },
                5 => Action::Alarm { zone },
                6 => Action::Quarantine {
                    zone: Some(half),
                    infected_per_hour: 2.0 * x,
                    zombies_per_hour: x,
                    removal_per_hour: x,
                },
                7 => Action::Cure {
                    zone: None,
                    per_hour: x,
                },
                8 => Action::Eradicate {
                    zone: Some(half),
                    kill_fraction: x,
                },
                9 => Action::Squad {
                    members: reserve.clone(),
                    entry: place,
                    zone,
                    withdraw_below: x,
                },
                _ => Action::LiftCordon { zone: half },
            };
            Order {
                label: format!("order {kind}"),
                trigger: Trigger::At { tick },
                action,
            }
        })
        .collect();
    Simulation::new(world, pop, params, orders)
}

fn allowed(from: Health, to: Health) -> bool {
    use Health::*;
    from == to
        || matches!(
            (from, to),
            (Susceptible, Infected | Dead | Rescued | Reserve)
                // (a squad deployed, and struck by a strike of the same tick)
                | (Reserve, Susceptible | Dead)
                | (Infected, Zombie | Hambie | Dead | Rescued | Quarantined)
                | (Zombie, Dead | Quarantined | Susceptible)
                | (Quarantined, Dead)
                | (Hambie, Dead | Rescued)
                | (Dead, Zombie)
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn states_sum_to_the_population_at_every_tick(c in case()) {
        let mut sim = build(&c);
        let n = sim.pop.len() as u64;
        prop_assert_eq!(sim.occupancy().total.iter().sum::<u64>(), n);
        while !sim.finished() {
            let before = sim.pop.health.clone();
            sim.step();
            let occ = sim.occupancy();
            prop_assert!(occ.matches_recount(&sim.world, &sim.pop, &sim.params.behaviour), "the kept tally differs from a fresh count at tick {}", sim.tick());
            prop_assert_eq!(occ.total.iter().sum::<u64>(), n, "tick {}", sim.tick());
            let census = sim.pop.census();
            prop_assert_eq!(occ.total, census);
            // The rescued and the reserve are off the map, in no zone.
            let in_zone: u64 = occ.zones[0].iter().sum();
            let off_map: u64 = Health::ALL.iter().filter(|h| h.off_map()).map(|&h| census[h as usize]).sum();
            prop_assert_eq!(in_zone + off_map, n, "everyone on the map is in zone `all`");
            let t = sim.tick();
            let bitten: Vec<AgentId> = sim.events.iter().filter(|e| e.kind == EventKind::Bite).map(|e| e.agent).collect();
            for &a in &bitten {
                prop_assert_eq!(before[a.index()], Health::Susceptible, "only the susceptible are bitten");
                prop_assert_eq!(sim.pop.bitten_tick[a.index()], t);
            }
            for (i, (&a, &b)) in before.iter().zip(&sim.pop.health).enumerate() {
                prop_assert!(allowed(a, b) || (a == Health::Susceptible && matches!(b, Health::Zombie | Health::Hambie)),
                    "agent {} went {:?} -> {:?}", i, a, b);
                if a == Health::Susceptible && matches!(b, Health::Infected | Health::Zombie | Health::Hambie) {
                    prop_assert!(bitten.contains(&AgentId(i as u32)), "agent {} turned without a logged bite", i);
                }
            }
        }
    }
}
