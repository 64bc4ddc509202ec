//! Exact stochastic simulation (Gillespie 1977, the direct method) of the reference
//! models' reactions in one well-mixed population, and of Alemi's lattice: one person a
//! site, bites and kills across the bonds between neighbouring sites.

use crate::models::{Model, Values};
use outbreak_engine::rng::{self, Stream};
use rand::Rng;
use rand_pcg::Pcg64Mcg;

/// The generator of run `run` of a seed.
fn generator(seed: u64, run: u32) -> Pcg64Mcg {
    rng::stream(seed, Stream::Reference, 0, run)
}

/// One realisation of the well-mixed model to `t_end`: the state (in the model's column
/// order, whole numbers) at each of `times` (increasing).
pub fn well_mixed(v: &Values, times: &[f64], seed: u64, run: u32) -> Vec<Vec<f64>> {
    let mut rng = generator(seed, run);
    let mut y = v.initial();
    let g = |n| v.get(n);
    let (alpha, beta, zeta, delta, pi) = (g("alpha"), g("beta"), g("zeta"), g("delta"), g("pi"));
    let (rho, kappa, sigma, gamma, c) = (g("rho"), g("kappa"), g("sigma"), g("gamma"), g("c"));
    let model = v.model;
    // Column indices.
    let (s, i, z, r, q) = match model {
        Model::Basic | Model::Impulsive | Model::Alemi => (0, usize::MAX, 1, 2, usize::MAX),
        Model::Latent | Model::Treatment => (0, 1, 2, 3, usize::MAX),
        Model::Quarantine => (0, 1, 2, 3, 4),
    };
    let latent = i != usize::MAX;
    let kill = if model == Model::Alemi { kappa } else { alpha };
    let mut out = Vec::with_capacity(times.len());
    let attacks = v.attacks(times.last().copied().unwrap_or(0.0));
    let mut next_attack = 0;
    let mut t = 0.0;
    let mut k = 0;
    loop {
        let get = |col: usize, y: &[f64]| if col == usize::MAX { 0.0 } else { y[col] };
        let (sv, iv, zv, rv, qv) = (get(s, &y), get(i, &y), get(z, &y), get(r, &y), get(q, &y));
        // Each reaction: its rate and the change it makes, two (column, amount) pairs.
        let mut rates: Vec<(f64, [(usize, f64); 2])> = Vec::with_capacity(10);
        let to = if latent { i } else { z };
        rates.push((beta * sv * zv, [(s, -1.0), (to, 1.0)]));
        rates.push((kill * sv * zv, [(z, -1.0), (r, 1.0)]));
        rates.push((delta * sv, [(s, -1.0), (r, 1.0)]));
        rates.push((zeta * rv, [(r, -1.0), (z, 1.0)]));
        rates.push((pi, [(s, 1.0), (usize::MAX, 0.0)]));
        if latent {
            rates.push((rho * iv, [(i, -1.0), (z, 1.0)]));
            rates.push((delta * iv, [(i, -1.0), (r, 1.0)]));
        }
        if model == Model::Quarantine {
            rates.push((kappa * iv, [(i, -1.0), (q, 1.0)]));
            rates.push((sigma * zv, [(z, -1.0), (q, 1.0)]));
            rates.push((gamma * qv, [(q, -1.0), (r, 1.0)]));
        }
        if model == Model::Treatment {
            rates.push((c * zv, [(z, -1.0), (s, 1.0)]));
        }
        let total: f64 = rates.iter().map(|r| r.0).sum();
        let dt = if total > 0.0 {
            -(1.0 - rng.random::<f64>()).ln() / total
        } else {
            f64::INFINITY
        };
        let attack_at = attacks.get(next_attack).copied().unwrap_or(f64::INFINITY);
        // Record every output time passed before the next event or attack.
        while k < times.len() && times[k] < (t + dt).min(attack_at) {
            out.push(y.clone());
            k += 1;
        }
        if k == times.len() {
            return out;
        }
        if attack_at <= t + dt {
            // Memorylessness: the pending event is redrawn after the attack.
            t = attack_at;
            next_attack += 1;
            let fraction = (g("k") * next_attack as f64).min(1.0);
            let killed = (0..y[z] as u64)
                .filter(|_| rng.random::<f64>() < fraction)
                .count() as f64;
            y[z] -= killed;
            if g("kills_to_r") > 0.0 {
                y[r] += killed;
            }
            continue;
        }
        t += dt;
        let mut pick = rng.random::<f64>() * total;
        let chosen = rates
            .iter()
            .position(|r| {
                pick -= r.0;
                pick < 0.0
            })
            // Rounding can leave `pick` just above 0: take the last possible reaction.
            .unwrap_or_else(|| rates.iter().rposition(|r| r.0 > 0.0).unwrap_or(0));
        for &(col, d) in &rates[chosen].1 {
            if col != usize::MAX {
                y[col] += d;
            }
        }
    }
}

/// What became of an outbreak on Alemi's lattice.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LatticeOutcome {
    /// A zombie reached a site on the lattice's edge.
    pub escaped: bool,
    /// Sites still held by a human at the end.
    pub humans: u64,
    /// Sites held by a zombie at the end.
    pub zombies: u64,
    /// Sites whose zombie was killed.
    pub removed: u64,
    /// Time of the last bite or kill, in the time unit of `beta` and `kappa` (0 if none).
    pub time: f64,
}

const HUMAN: u8 = 1;
const ZOMBIE: u8 = 2;
const REMOVED: u8 = 3;

/// One outbreak on a `side × side` lattice, one human a site but a zombie at the centre:
/// across each human–zombie bond, a bite (the human turns) at `beta` and a kill (the zombie
/// is removed) at `kappa`. Runs until no such bond is left or a zombie reaches the edge.
pub fn lattice(side: u32, beta: f64, kappa: f64, seed: u64, run: u32) -> LatticeOutcome {
    let n = side as usize;
    let mut rng = generator(seed, run);
    let mut site = vec![HUMAN; n * n];
    let centre = (n / 2) * n + n / 2;
    site[centre] = ZOMBIE;
    // Active bonds (human–zombie pairs), as (a, b) site pairs with a < b; `slot` finds a
    // bond's place in the list (bond id = 2·site + direction, 0 right, 1 down).
    let mut bonds: Vec<u32> = Vec::new();
    let mut slot = vec![u32::MAX; 2 * n * n];
    let ends = |id: usize| -> (usize, usize) {
        let a = id / 2;
        (a, if id.is_multiple_of(2) { a + 1 } else { a + n })
    };
    let bond_ids = |p: usize| -> [Option<usize>; 4] {
        let (x, y) = (p % n, p / n);
        [
            (x + 1 < n).then_some(2 * p),
            (y + 1 < n).then_some(2 * p + 1),
            (x > 0).then(|| 2 * (p - 1)),
            (y > 0).then(|| 2 * (p - n) + 1),
        ]
    };
    let refresh = |id: usize, site: &[u8], bonds: &mut Vec<u32>, slot: &mut Vec<u32>| {
        let (a, b) = ends(id);
        let active = matches!((site[a], site[b]), (HUMAN, ZOMBIE) | (ZOMBIE, HUMAN));
        let at = slot[id];
        if active && at == u32::MAX {
            slot[id] = bonds.len() as u32;
            bonds.push(id as u32);
        } else if !active && at != u32::MAX {
            let last = *bonds.last().unwrap_or(&0);
            bonds.swap_remove(at as usize);
            if last as usize != id {
                slot[last as usize] = at;
            }
            slot[id] = u32::MAX;
        }
    };
    for id in bond_ids(centre).into_iter().flatten() {
        refresh(id, &site, &mut bonds, &mut slot);
    }
    let on_edge = |p: usize| {
        let (x, y) = (p % n, p / n);
        x == 0 || y == 0 || x + 1 == n || y + 1 == n
    };
    let mut t = 0.0;
    let mut escaped = on_edge(centre);
    while !bonds.is_empty() && !escaped {
        let total = (beta + kappa) * bonds.len() as f64;
        t += -(1.0 - rng.random::<f64>()).ln() / total;
        let id = bonds[rng.random_range(0..bonds.len())] as usize;
        let (a, b) = ends(id);
        let (human, zombie) = if site[a] == HUMAN { (a, b) } else { (b, a) };
        let changed = if rng.random::<f64>() * (beta + kappa) < beta {
            site[human] = ZOMBIE;
            escaped = on_edge(human);
            human
        } else {
            site[zombie] = REMOVED;
            zombie
        };
        for id in bond_ids(changed).into_iter().flatten() {
            refresh(id, &site, &mut bonds, &mut slot);
        }
    }
    let count = |k: u8| site.iter().filter(|&&s| s == k).count() as u64;
    LatticeOutcome {
        escaped,
        humans: count(HUMAN),
        zombies: count(ZOMBIE),
        removed: count(REMOVED),
        time: t,
    }
}
