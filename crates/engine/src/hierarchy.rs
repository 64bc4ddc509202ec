//! Exact routes between gates on networks too large for the all-pairs table: a contraction
//! hierarchy (the `fast_paths` crate) answers "shortest path from gate `g` to gate `h`" in
//! microseconds to a millisecond after a preprocessing of seconds per 100,000 gates (see
//! `params` and ARCHITECTURE.md for the figures).
//!
//! The next gate from `g` toward `h` is the second gate of the hierarchy's shortest path
//! from `g` to `h`. That is a function of `(g, h)` alone: the preparation and the query are
//! deterministic (no hashing, no randomness), so a route does not depend on thread count or
//! on the order in which agents ask. Every step lies on a shortest path, and the remaining
//! distance falls strictly at each step (every way is at least 0.1 m long), so a walker
//! following the steps arrives along a shortest path. Lengths are whole millimetres in the
//! hierarchy; where two routes differ by less than that, either may be taken.
//!
//! Answers are kept in a bounded table keyed by `(g, h)`: agents with the same destination
//! (a lure, a rescue point, a squad's target, a workplace shared by many) then pay for a
//! query once per gate. Because each answer is a pure function of its key, the table only
//! saves time; clearing it when full changes nothing else. Query workspaces (two arrays
//! over the gates each) are pooled, one per thread that is routing at a time.

use fast_paths::{FastGraph, InputGraph, PathCalculator};
use std::collections::HashMap;
use std::sync::Mutex;

/// Answers kept before the table is cleared (about 16 bytes each).
const CACHE_LIMIT: usize = 1 << 20;

/// A contraction hierarchy over the gate graph, with its query workspaces and answers.
pub(crate) struct Hierarchy {
    graph: Option<FastGraph>,
    gates: usize,
    calculators: Mutex<Vec<PathCalculator>>,
    answers: Mutex<HashMap<(u32, u32), u32>>,
}

/// Sentinel answer: no path from the gate to the destination.
const UNREACHABLE: u32 = u32::MAX;

impl Hierarchy {
    /// Prepares the hierarchy of `gates` gates joined by undirected `ways` (gate, gate,
    /// length in metres). Pedestrians walk either way along every way.
    pub(crate) fn new(gates: usize, ways: &[(u32, u32, f32)]) -> Self {
        let mut input = InputGraph::new();
        for &(a, b, len) in ways {
            if a != b {
                input.add_edge_bidir(a as usize, b as usize, millimetres(len));
            }
        }
        input.freeze();
        // The hierarchy numbers gates up to the highest one a way touches; gates above it
        // (and every gate, when there is no way) reach nothing.
        let graph = (input.get_num_edges() > 0)
            .then(|| fast_paths::prepare_with_params(&input, &params(gates)));
        Self::from_graph(graph, gates)
    }

    fn from_graph(graph: Option<FastGraph>, gates: usize) -> Self {
        Hierarchy {
            graph,
            gates,
            calculators: Mutex::new(Vec::new()),
            answers: Mutex::new(HashMap::new()),
        }
    }

    /// The gate after `from` on a shortest path to `to` (`to` itself when `from == to`);
    /// `None` when `to` cannot be reached from `from`.
    pub(crate) fn next_gate(&self, from: u32, to: u32) -> Option<u32> {
        if from == to {
            return Some(to);
        }
        if let Some(&next) = lock(&self.answers).get(&(from, to)) {
            return (next != UNREACHABLE).then_some(next);
        }
        let next = self.query(from, to);
        let mut answers = lock(&self.answers);
        if answers.len() >= CACHE_LIMIT {
            answers.clear();
        }
        answers.insert((from, to), next.unwrap_or(UNREACHABLE));
        next
    }

    /// The gates of a shortest path from `from` to `to`, both included; `None` when `to`
    /// cannot be reached. (Uncached: for tests and whole-path callers.)
    pub(crate) fn path(&self, from: u32, to: u32) -> Option<Vec<u32>> {
        let graph = self.graph.as_ref()?;
        let known = graph.get_num_nodes();
        if from as usize >= known || to as usize >= known {
            return (from == to).then(|| vec![from]);
        }
        let mut calc = lock(&self.calculators)
            .pop()
            .unwrap_or_else(|| fast_paths::create_calculator(graph));
        let path = calc.calc_path(graph, from as usize, to as usize);
        lock(&self.calculators).push(calc);
        path.map(|p| p.get_nodes().iter().map(|&n| n as u32).collect())
    }

    /// Upward and downward edges of the hierarchy (ways and shortcuts).
    pub(crate) fn edge_counts(&self) -> (usize, usize) {
        self.graph
            .as_ref()
            .map_or((0, 0), |g| (g.get_num_out_edges(), g.get_num_in_edges()))
    }

    fn query(&self, from: u32, to: u32) -> Option<u32> {
        let path = self.path(from, to)?;
        path.get(1).copied()
    }
}

/// Gates up to which the preparation uses the lower bounds of [`params`].
const LOW_BOUNDS_UP_TO: usize = 100_000;

/// The preparation's parameters. Up to [`LOW_BOUNDS_UP_TO`] gates: `fast_paths`' defaults
/// (0.1, 500, 100, 500) but for a hierarchy depth factor of 0.01 and witness searches
/// after each contraction bounded at 5 settled gates for the neighbours' priorities and 100
/// for the contraction. On the bench's 89,903-junction grid on a quiet machine this
/// prepares in 4.3 s of CPU instead of 9.2 s, with 6 % more shortcuts and queries of
/// 170 µs instead of 119 µs. Beyond, the defaults: the extra shortcuts then make the top of
/// the hierarchy dense, and on a 300,000-junction grid the lower bounds prepare in 30.8 s
/// of CPU against 33.0 s with queries of 2.1 ms against 351 µs; at 1 M junctions they had
/// not finished after 16 minutes of CPU, where the defaults build the world and its routes
/// in 134 s. Either way the
/// witness searches only decide which shortcuts are added, so routes stay exact; the
/// preparation stays single-threaded and deterministic.
fn params(gates: usize) -> fast_paths::Params {
    if gates <= LOW_BOUNDS_UP_TO {
        fast_paths::Params::new(0.01, 500, 5, 100)
    } else {
        fast_paths::Params::default()
    }
}

/// A way's length in whole millimetres (at least one).
fn millimetres(len_m: f32) -> usize {
    ((f64::from(len_m) * 1000.0).round() as usize).max(1)
}

/// Locks a mutex; a panic elsewhere cannot leave these tables inconsistent (each entry is
/// written whole), so a poisoned lock is used as it is.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Clone for Hierarchy {
    fn clone(&self) -> Self {
        Self::from_graph(self.graph.clone(), self.gates)
    }
}

impl std::fmt::Debug for Hierarchy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hierarchy")
            .field("gates", &self.gates)
            .field("edges", &self.edge_counts())
            .finish()
    }
}

/// Two hierarchies built from equal gate graphs are equal (the preparation is
/// deterministic); the gate graph itself is compared by the owner of the hierarchy.
impl PartialEq for Hierarchy {
    fn eq(&self, other: &Self) -> bool {
        self.gates == other.gates && self.edge_counts() == other.edge_counts()
    }
}
