//! The agents reduce to the reference models where they should. Each test states its seed,
//! its ensemble size, its tolerance and why.
//!
//! All use one well-mixed place (contact scale 1) of people who stand their ground, in
//! groups of one, with fighting skill exactly 1, so that bites happen at β·S·Z and kills at
//! κ·S·Z. Rates are per hour; ticks are short enough that the per-tick chance
//! `1 − exp(−rate·Δt)` differs from `rate·Δt` by well under the tolerance.

use outbreak_engine::prelude::*;
use outbreak_reference::models::{Model, Values};
use outbreak_reference::{alemi, solve, ssa};
use rayon::prelude::*;

const ONE: Traits = Traits {
    walk_mps: 1.3,
    run_mps: 3.0,
    fight: 1.0,
    stealth: 0.0,
};

/// `s` susceptible people and `z` zombies in one place.
fn well_mixed(
    seed: u64,
    s: u32,
    z: u32,
    tick_minutes: f64,
    ticks: u32,
    virus: VirusParams,
) -> Simulation {
    well_mixed_with(seed, s, z, tick_minutes, ticks, virus, vec![])
}

/// As [`well_mixed`], with orders fired at the start.
fn well_mixed_with(
    seed: u64,
    s: u32,
    z: u32,
    tick_minutes: f64,
    ticks: u32,
    virus: VirusParams,
    actions: Vec<Action>,
) -> Simulation {
    let mut pop = Population::default();
    for k in 0..s + z {
        pop.push(AgentSpec {
            place: PlaceId(0),
            health: if k < z {
                Health::Zombie
            } else {
                Health::Susceptible
            },
            role: Role::Civilian,
            mode: Mode::Alert,
            traits: ONE,
            anchors: None,
            name: None,
        });
    }
    let mut params = Params::well_mixed(seed, tick_minutes, 0.0, 0.0, ticks);
    params.virus = virus;
    params.behaviour.max_group_size = 1;
    params.behaviour.stand_ground = true;
    let orders = actions
        .into_iter()
        .map(|action| Order {
            label: action.name().into(),
            trigger: Trigger::At { tick: 0 },
            action,
        })
        .collect();
    Simulation::new(well_mixed_world(1.0), pop, params, orders)
}

fn szr(beta: f64, kappa: f64) -> VirusParams {
    VirusParams {
        bite_rate_per_hour: beta,
        kill_rate_per_hour: kappa,
        rise_rate_per_hour: 0.0,
        death_rate_per_hour: 0.0,
        latent: Latent::Immediate,
        hambie_fraction: 0.0,
    }
}

fn count(sim: &Simulation, h: Health) -> u64 {
    sim.occupancy().total[h as usize]
}

#[test]
fn one_zombie_among_many_dies_out_with_probability_alpha() {
    // 1,000 people, β = 0.001 per pair-hour (one bite an hour per zombie at the start),
    // κ/β = 0.5, one zombie, one-minute ticks. A run ends when the zombie is destroyed or
    // when 30 zombies are about (from there extinction has chance 0.5^30). 2,000 runs; the
    // fraction that died out is binomial around α^Z0 = 0.5: tolerance 4 standard errors
    // (0.045). The finite population biases the chance upward by under 1 %.
    let (beta, kappa, runs) = (0.001, 0.0005, 2000u32);
    let died = (0..runs)
        .into_par_iter()
        .filter(|&k| {
            let mut sim = well_mixed(
                0xA1E + u64::from(k),
                1000,
                1,
                1.0,
                24 * 60 * 7,
                szr(beta, kappa),
            );
            while !sim.finished() {
                sim.step();
                let z = count(&sim, Health::Zombie);
                if z == 0 || z >= 30 {
                    return z == 0;
                }
            }
            false
        })
        .count() as f64;
    let p = alemi::extinction_probability(beta, kappa, 1);
    let sd = (p * (1.0 - p) / f64::from(runs)).sqrt();
    let got = died / f64::from(runs);
    assert!(
        (got - p).abs() < 4.0 * sd,
        "died out in {got} of runs, Alemi: {p} ± {:.3}",
        4.0 * sd
    );
}

#[test]
fn the_mean_of_large_runs_follows_the_ode() {
    // 20,000 people, 1 % of them zombies at the start, β = 2.5·10⁻⁵ and κ = 10⁻⁵ per
    // pair-hour (α = 0.4), one-minute ticks (per-tick bite chance at most 0.005, bias
    // < 0.3 %), 24 hours. The mean of 6 runs of S and Z is within 2 % of N of Alemi's ODE
    // (Munz's basic model with ζ = δ = 0) at every hour: the run-to-run spread at this size
    // is about 0.3 % of N, the tick bias under 0.3 %.
    let (n, z0, beta, kappa) = (19_800u32, 200u32, 2.5e-5, 1e-5);
    let runs = 6u32;
    let hours: Vec<u32> = (1..=24).collect();
    let series: Vec<Vec<(f64, f64)>> = (0..runs)
        .into_par_iter()
        .map(|k| {
            let mut sim = well_mixed(0x0DE + u64::from(k), n, z0, 1.0, 24 * 60, szr(beta, kappa));
            let mut out = Vec::new();
            while !sim.finished() {
                sim.step();
                if sim.tick().is_multiple_of(60) {
                    out.push((
                        count(&sim, Health::Susceptible) as f64,
                        count(&sim, Health::Zombie) as f64,
                    ));
                }
            }
            out
        })
        .collect();
    let mut v = Values::defaults(Model::Alemi);
    v.set("N", f64::from(n + z0)).unwrap();
    v.set("Z0", f64::from(z0)).unwrap();
    v.set("beta", beta).unwrap();
    v.set("kappa", kappa).unwrap();
    let ode = solve(&v, 24.0, 1.0).unwrap();
    let total = f64::from(n + z0);
    for (h, &hour) in hours.iter().enumerate() {
        let s = series.iter().map(|r| r[h].0).sum::<f64>() / f64::from(runs);
        let z = series.iter().map(|r| r[h].1).sum::<f64>() / f64::from(runs);
        let e = &ode[hour as usize].1;
        assert!(
            (s - e[0]).abs() < 0.02 * total,
            "hour {hour}: S {s} vs ODE {}",
            e[0]
        );
        assert!(
            (z - e[1]).abs() < 0.02 * total,
            "hour {hour}: Z {z} vs ODE {}",
            e[1]
        );
    }
}

/// The two-sample Kolmogorov–Smirnov statistic of two samples.
fn ks(a: &mut [f64], b: &mut [f64]) -> f64 {
    a.sort_by(f64::total_cmp);
    b.sort_by(f64::total_cmp);
    let (mut i, mut j, mut d) = (0, 0, 0.0f64);
    while i < a.len() && j < b.len() {
        let x = a[i].min(b[j]);
        while i < a.len() && a[i] <= x {
            i += 1;
        }
        while j < b.len() && b[j] <= x {
            j += 1;
        }
        d = d.max((i as f64 / a.len() as f64 - j as f64 / b.len() as f64).abs());
    }
    d
}

#[test]
fn final_sizes_agree_with_the_exact_process() {
    // 100 people, 2 zombies, α = 0.6: the number of people ever bitten, from 1,500 agent
    // runs and 1,500 Gillespie runs of the same reactions. Two-sample Kolmogorov–Smirnov
    // test at level 0.001 (critical D = 1.95·√(2/1500) = 0.071); KS is conservative for
    // these discrete sizes. Each run lasts until no zombie or no human is left.
    let (beta, kappa, n, z0, runs) = (0.01, 0.006, 100u32, 2u32, 1500u32);
    let mut agents: Vec<f64> = (0..runs)
        .into_par_iter()
        .map(|k| {
            let mut sim = well_mixed(
                0xF5 + u64::from(k),
                n,
                z0,
                0.5,
                2 * 60 * 24 * 30,
                szr(beta, kappa),
            );
            while !sim.finished() {
                sim.step();
                if count(&sim, Health::Zombie) == 0 || count(&sim, Health::Susceptible) == 0 {
                    break;
                }
            }
            f64::from(n) - count(&sim, Health::Susceptible) as f64
        })
        .collect();
    let mut v = Values::defaults(Model::Alemi);
    v.set("N", f64::from(n + z0)).unwrap();
    v.set("Z0", f64::from(z0)).unwrap();
    v.set("beta", beta).unwrap();
    v.set("kappa", kappa).unwrap();
    let mut exact: Vec<f64> = (0..runs)
        .map(|k| f64::from(n) - ssa::well_mixed(&v, &[1e6], 0x55A, k)[0][0])
        .collect();
    let d = ks(&mut agents, &mut exact);
    let critical = 1.95 * (2.0 / f64::from(runs)).sqrt();
    assert!(d < critical, "KS distance {d:.3} ≥ {critical:.3}");
}

/// Runs `runs` agent simulations of 20,000 people (1 % zombies) for 24 hours and compares
/// the mean count of each state in `states` at every hour with the ODE's column of the same
/// index in `columns`: within 2 % of N (see the large-N test above for why).
fn follows_ode(
    name: &str,
    virus: VirusParams,
    actions: Vec<Action>,
    v: &Values,
    pairs: &[(Health, usize)],
) {
    let (n, z0, runs) = (19_800u32, 200u32, 4u32);
    let series: Vec<Vec<Vec<f64>>> = (0..runs)
        .into_par_iter()
        .map(|k| {
            let mut sim = well_mixed_with(
                0x51 + u64::from(k),
                n,
                z0,
                1.0,
                24 * 60,
                virus.clone(),
                actions.clone(),
            );
            let mut out = Vec::new();
            while !sim.finished() {
                sim.step();
                if sim.tick().is_multiple_of(60) {
                    out.push(pairs.iter().map(|p| count(&sim, p.0) as f64).collect());
                }
            }
            out
        })
        .collect();
    let ode = solve(v, 24.0, 1.0).unwrap();
    let total = f64::from(n + z0);
    for hour in 1..=24usize {
        for (c, &(health, column)) in pairs.iter().enumerate() {
            let mean = series.iter().map(|r| r[hour - 1][c]).sum::<f64>() / f64::from(runs);
            let e = ode[hour].1[column];
            assert!(
                (mean - e).abs() < 0.02 * total,
                "{name}, hour {hour}: {} {mean:.0} vs ODE {e:.0}",
                health.as_str()
            );
        }
    }
}

/// Munz's parameters in per-hour units for the large-N tests: β = 2.5·10⁻⁵, α = 10⁻⁵.
fn munz(model: Model, extra: &[(&str, f64)]) -> Values {
    let mut v = Values::defaults(model);
    for (name, x) in [
        ("N", 20_000.0),
        ("Z0", 200.0),
        ("beta", 2.5e-5),
        ("alpha", 1e-5),
        ("zeta", 0.0),
        ("delta", 0.0),
    ]
    .iter()
    .chain(extra)
    {
        v.set(name, *x).unwrap();
    }
    v
}

fn latent_virus(mean_minutes: f64) -> VirusParams {
    VirusParams {
        latent: Latent::Exponential { mean_minutes },
        ..szr(2.5e-5, 1e-5)
    }
}

#[test]
fn with_a_latent_time_agents_follow_sizr() {
    // ρ = 0.5 per hour: an exponential latent time of mean 120 minutes (whole ticks: the
    // mean shifts by under half a minute, 0.4 %).
    let v = munz(Model::Latent, &[("rho", 0.5)]);
    let pairs = [
        (Health::Susceptible, 0),
        (Health::Infected, 1),
        (Health::Zombie, 2),
    ];
    follows_ode("SIZR", latent_virus(120.0), vec![], &v, &pairs);
}

#[test]
fn with_quarantine_agents_follow_sizrq() {
    // κ = 0.1, σ = 0.05, γ = 0.2 per hour, in force from the start.
    let v = munz(
        Model::Quarantine,
        &[
            ("rho", 0.5),
            ("kappa", 0.1),
            ("sigma", 0.05),
            ("gamma", 0.2),
        ],
    );
    let q = Action::Quarantine {
        zone: None,
        infected_per_hour: 0.1,
        zombies_per_hour: 0.05,
        removal_per_hour: 0.2,
    };
    let pairs = [
        (Health::Susceptible, 0),
        (Health::Infected, 1),
        (Health::Zombie, 2),
        (Health::Quarantined, 4),
    ];
    follows_ode("SIZRQ", latent_virus(120.0), vec![q], &v, &pairs);
}

#[test]
fn with_a_cure_agents_follow_the_treatment_model() {
    // c = 0.1 per hour, in force from the start: the cured become susceptible again.
    let v = munz(Model::Treatment, &[("rho", 0.5), ("c", 0.1)]);
    let cure = Action::Cure {
        zone: None,
        per_hour: 0.1,
    };
    let pairs = [
        (Health::Susceptible, 0),
        (Health::Infected, 1),
        (Health::Zombie, 2),
    ];
    follows_ode("treatment", latent_virus(120.0), vec![cure], &v, &pairs);
}
