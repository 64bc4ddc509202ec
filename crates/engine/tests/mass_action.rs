//! Mass action: in one well-mixed place the expected number of bites per tick is β·S·Z·Δt
//! and of kills κ·S·Z·Δt. This is what ties the agents to the SZR models.
//!
//! Each trial is one tick of a fresh run with its own seed. The engine's per-person chance
//! is `1 - exp(-β Z Δt)`, whose expectation differs from `β S Z Δt` by about
//! `S (β Z Δt)² / 2`; the rates below make that bias (< 0.5 %) far smaller than the
//! sampling error allowed (4 standard errors of the ensemble mean, ≈ 5 %).

use outbreak_engine::prelude::*;

fn one_tick(seed: u64, s: u32, z: u32, beta: f64, kappa: f64) -> (usize, usize) {
    let world = well_mixed_world(1.0);
    let mut pop = Population::default();
    let traits = Traits {
        walk_mps: 1.3,
        run_mps: 3.0,
        fight: 1.0,
        stealth: 0.0,
    };
    for k in 0..s + z {
        let health = if k < z {
            Health::Zombie
        } else {
            Health::Susceptible
        };
        pop.push(AgentSpec {
            place: PlaceId(0),
            health,
            role: Role::Civilian,
            mode: Mode::Alert,
            traits,
            anchors: None,
            name: None,
        });
    }
    let mut sim = Simulation::new(
        world,
        pop,
        Params::well_mixed(seed, 1.0, beta, kappa, 1),
        vec![],
    );
    sim.step();
    let count = |k| sim.events.iter().filter(|e| e.kind == k).count();
    (count(EventKind::Bite), count(EventKind::Destroyed))
}

fn check(name: &str, samples: &[f64], expected: f64) {
    let n = samples.len() as f64;
    let mean = samples.iter().sum::<f64>() / n;
    let var = samples.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let se = (var / n).sqrt();
    assert!(
        (mean - expected).abs() < 4.0 * se,
        "{name}: mean {mean:.4} per tick, expected {expected:.4} (standard error {se:.4})"
    );
}

#[test]
fn bites_and_kills_per_tick_follow_mass_action() {
    let (s, z) = (1000u32, 50u32);
    let (beta, kappa) = (0.002, 0.0005);
    let dt = 1.0 / 60.0;
    let trials = 3000u64;
    let (mut bites, mut kills) = (Vec::new(), Vec::new());
    for seed in 0..trials {
        let (b, k) = one_tick(0xB17E + seed, s, z, beta, kappa);
        bites.push(b as f64);
        kills.push(k as f64);
    }
    let (sf, zf) = (f64::from(s), f64::from(z));
    check("bites", &bites, beta * sf * zf * dt);
    check("kills", &kills, kappa * sf * zf * dt);
}

#[test]
fn doubling_zombies_doubles_bites() {
    // The same test at twice the zombies: bites scale with Z, not with a fixed per-person chance.
    let (s, z) = (1000u32, 100u32);
    let beta = 0.002;
    let trials = 2000u64;
    let bites: Vec<f64> = (0..trials)
        .map(|seed| one_tick(0xD0 + seed, s, z, beta, 0.0).0 as f64)
        .collect();
    check("bites", &bites, beta * f64::from(s) * f64::from(z) / 60.0);
}
