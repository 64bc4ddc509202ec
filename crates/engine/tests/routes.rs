//! Routes are shortest paths: on random irregular networks (trees with long dead ends,
//! grids with holes, buildings whose rooms form a chain, several components), every route
//! between connected places is as short as Dijkstra's, whether taken a step at a time or as
//! a planned trip (one query, then the plan), a walker following the next steps arrives, and a place that cannot be reached is never set out for. Networks are drawn
//! both below and above the size at which the all-pairs table gives way to the hierarchy.

use outbreak_engine::prelude::*;
use outbreak_engine::world::EXACT_GATES;
use proptest::prelude::*;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A small deterministic generator (splitmix64) so that a case is fixed by its seed.
struct Mix(u64);
impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 > 1.0 - p
    }
    /// A way's length in metres, with a fractional part (ties are rare but possible).
    fn length(&mut self) -> f32 {
        1.0 + self.below(20_000) as f32 / 100.0
    }
}

/// A network: the world and its ways with their lengths, for Dijkstra.
struct Net {
    world: World,
    adj: Vec<Vec<(usize, f64)>>,
    gates: usize,
}

struct Draft {
    b: WorldBuilder,
    ways: Vec<(usize, usize, f32)>,
    outdoor: Vec<PlaceId>,
    cells: u32,
}

impl Draft {
    fn place(&mut self, kind: PlaceKind, outdoor: bool) -> PlaceId {
        let n = self.b.place_count();
        let p = self.b.add_place(PlaceSpec {
            name: format!("p{n}"),
            kind,
            pos: [n as f64, 0.0],
            capacity: 1_000,
            barricade_strength: 0.0,
            contact_scale: 1.0,
        });
        if outdoor {
            self.outdoor.push(p);
        }
        p
    }
    fn way(&mut self, a: PlaceId, c: PlaceId, len: f32) {
        self.b.add_way(a, c, len);
        self.ways.push((a.index(), c.index(), len));
    }
}

/// Draws a network of about `size` gates from `seed`.
fn network(seed: u64, size: usize) -> Net {
    let mut r = Mix(seed);
    let mut d = Draft {
        b: WorldBuilder::new(),
        ways: Vec::new(),
        outdoor: Vec::new(),
        cells: 0,
    };
    // A tree of streets with long dead ends: most junctions continue the newest branch.
    let tree = size * 2 / 5;
    let root = d.place(PlaceKind::Street, true);
    let mut tips = vec![root];
    for _ in 1..tree {
        let parent = if r.chance(0.7) {
            *tips.last().unwrap()
        } else {
            tips[r.below(tips.len())]
        };
        let p = d.place(PlaceKind::Street, true);
        let len = r.length();
        d.way(parent, p, len);
        tips.push(p);
    }
    // A grid with holes: missing junctions and missing blocks' sides (it may fall apart).
    let side = ((size * 2 / 5) as f64).sqrt() as usize;
    let mut grid = vec![None; side * side];
    for slot in grid.iter_mut() {
        if !r.chance(0.15) {
            *slot = Some(d.place(PlaceKind::Street, true));
        }
    }
    for y in 0..side {
        for x in 0..side {
            let Some(p) = grid[y * side + x] else {
                continue;
            };
            for (dx, dy) in [(1, 0), (0, 1)] {
                if x + dx < side && y + dy < side && !r.chance(0.1) {
                    if let Some(q) = grid[(y + dy) * side + x + dx] {
                        let len = r.length();
                        d.way(p, q, len);
                    }
                }
            }
        }
    }
    // A few footways between the tree and the grid, sometimes none (two components).
    for _ in 0..r.below(3) {
        let a = tips[r.below(tips.len())];
        if let Some(g) = grid[r.below(grid.len())] {
            let len = r.length();
            d.way(a, g, len);
        }
    }
    // Buildings: a lobby (the cell's gate) on a street, and a chain of rooms behind it.
    let buildings = size / 10;
    for _ in 0..buildings {
        let lobby = d.place(PlaceKind::Lobby, false);
        let cell = d.cells;
        d.cells += 1;
        d.b.set_cell(lobby, cell);
        d.b.set_gate(cell, lobby);
        let mut last = lobby;
        for _ in 0..1 + r.below(6) {
            let room = d.place(PlaceKind::Room, false);
            d.b.set_cell(room, cell);
            let len = r.length() / 10.0;
            d.way(last, room, len);
            last = room;
        }
        // On a street of the network, or (rarely) standing alone.
        if !r.chance(0.02) {
            let street = d.outdoor[r.below(d.outdoor.len())];
            let len = r.length();
            d.way(lobby, street, len);
        }
    }
    // A separate hamlet: a short ring of streets.
    let ring: Vec<PlaceId> = (0..5 + r.below(20))
        .map(|_| d.place(PlaceKind::Street, true))
        .collect();
    for i in 0..ring.len() {
        let len = r.length();
        d.way(ring[i], ring[(i + 1) % ring.len()], len);
    }
    let n = d.b.place_count();
    let mut adj = vec![Vec::new(); n];
    for &(a, c, len) in &d.ways {
        adj[a].push((c, f64::from(len)));
        adj[c].push((a, f64::from(len)));
    }
    let gates = d.outdoor.len() + buildings;
    Net {
        world: d.b.build().expect("a valid network"),
        adj,
        gates,
    }
}

/// Distances in metres from `s` to every place (infinite where unreachable).
fn dijkstra(adj: &[Vec<(usize, f64)>], s: usize) -> Vec<f64> {
    let mut dist = vec![f64::INFINITY; adj.len()];
    let mut heap = BinaryHeap::new();
    dist[s] = 0.0;
    heap.push(Reverse((0u64, s)));
    while let Some(Reverse((dk, u))) = heap.pop() {
        let du = f64::from_bits(dk);
        if du > dist[u] {
            continue;
        }
        for &(v, len) in &adj[u] {
            let nd = du + len;
            if nd < dist[v] {
                dist[v] = nd;
                heap.push(Reverse((nd.to_bits(), v)));
            }
        }
    }
    dist
}

/// Checks routes from a few sources to many targets; returns how many were reachable.
fn check(net: &Net, seed: u64) -> Result<usize, TestCaseError> {
    let n = net.world.place_count();
    let mut r = Mix(seed ^ 0x5EED);
    let mut reached = 0;
    for _ in 0..12 {
        let from = r.below(n);
        let dist = dijkstra(&net.adj, from);
        for _ in 0..40 {
            let to = r.below(n);
            let (a, b) = (PlaceId(from as u32), PlaceId(to as u32));
            if dist[to].is_infinite() {
                prop_assert!(!net.world.reachable(a, b), "{from} → {to} is cut off");
                prop_assert_eq!(
                    net.world.next_hop(a, b),
                    a,
                    "sets out for {} from {}",
                    to,
                    from
                );
                continue;
            }
            prop_assert!(net.world.reachable(a, b));
            // Step by step (a query a step) and as walkers take it (a planned trip).
            for (how, route) in [
                ("route", net.world.route(a, b, n)),
                ("trip", net.world.trip(a, b, n)),
            ] {
                prop_assert!(route.is_some(), "no {} {} → {}", how, from, to);
                let route = route.unwrap();
                let mut length = 0.0;
                for w in route.windows(2) {
                    let step = net.adj[w[0].index()]
                        .iter()
                        .filter(|&&(v, _)| v == w[1].index())
                        .map(|&(_, len)| len)
                        .fold(f64::INFINITY, f64::min);
                    length += step;
                }
                // Way lengths are f32 and count in whole millimetres in the hierarchy.
                let slack = 1e-3 * route.len() as f64 + 1e-6 * dist[to];
                prop_assert!(
                    length <= dist[to] + slack,
                    "{} → {}: {} {} m, shortest {} m",
                    from,
                    to,
                    how,
                    length,
                    dist[to]
                );
            }
            reached += 1;
        }
    }
    Ok(reached)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn routes_on_large_networks_are_shortest(seed in any::<u64>(), extra in 0usize..2_000) {
        let net = network(seed, EXACT_GATES * 5 / 4 + extra);
        prop_assert!(net.gates > EXACT_GATES, "{} gates", net.gates);
        let reached = check(&net, seed)?;
        prop_assert!(reached > 0);
    }

    #[test]
    fn routes_on_small_networks_are_shortest(seed in any::<u64>(), size in 40usize..2_000) {
        let net = network(seed, size);
        prop_assert!(net.gates <= EXACT_GATES);
        check(&net, seed)?;
    }
}

/// Walkers on a network routed by the hierarchy, each from a home to a reachable work
/// place, setting out at 8:00.
fn commute(net: &Net, seed: u64, ticks: u32) -> Simulation {
    let n = net.world.place_count();
    let mut r = Mix(seed);
    let mut pop = Population::default();
    while pop.len() < 300 {
        let (home, work) = (PlaceId(r.below(n) as u32), PlaceId(r.below(n) as u32));
        if home == work || !net.world.reachable(home, work) {
            continue;
        }
        pop.push(AgentSpec {
            place: home,
            health: Health::Susceptible,
            role: Role::Civilian,
            mode: Mode::Routine,
            traits: Traits {
                walk_mps: 10.0,
                run_mps: 10.0,
                fight: 1.0,
                stealth: 0.0,
            },
            anchors: Some([home, work, work, work]),
            name: None,
        });
    }
    let mut params = Params::well_mixed(seed, 1.0, 0.0, 0.0, ticks);
    params.run.start_hour = 7.5;
    Simulation::new(net.world.clone(), pop, params, Vec::new())
}

#[test]
fn walkers_on_a_large_network_arrive_on_any_thread_count_and_after_a_restore() {
    let net = network(14, EXACT_GATES * 5 / 4);
    assert!(net.world.plans_trips(), "{} gates", net.gates);
    // From 7:30 to 17:30: out at 8:00, at work until 18:00.
    let ticks = 10 * 60;
    let mut sim = commute(&net, 3, ticks);
    for _ in 0..45 {
        sim.step();
    }
    assert!(
        sim.planned_trips() > 100,
        "{} walkers with a plan",
        sim.planned_trips()
    );
    let saved = sim.snapshot();
    let params = sim.params.clone();
    let mut resumed = Simulation::restore(net.world.clone(), params, Vec::new(), saved).unwrap();
    assert_eq!(resumed.planned_trips(), sim.planned_trips());
    sim.run_to_end(|_| {});
    resumed.run_to_end(|_| {});
    assert_eq!(resumed.snapshot(), sim.snapshot());
    let trips = sim.counters.trips;
    assert_eq!(trips.started, 300);
    assert_eq!(trips.arrived, 300, "{trips:?}");
    assert_eq!(
        sim.planned_trips(),
        0,
        "plans are kept only while people walk"
    );
    let homes_to_work: Vec<PlaceId> = sim.pop.anchors.iter().map(|a| a[1]).collect();
    assert_eq!(sim.pop.place, homes_to_work);
    // The same run on one thread and on three.
    for threads in [1, 3] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let other = pool.install(|| {
            let mut s = commute(&net, 3, ticks);
            s.run_to_end(|_| {});
            s
        });
        assert_eq!(other.snapshot(), sim.snapshot(), "{threads} threads");
    }
}
