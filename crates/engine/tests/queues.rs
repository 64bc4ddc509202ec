//! Queues: a crowd beyond what a place holds does not pack it but waits along the ways
//! around it. A room holds its capacity; a place people pass through holds its capacity and
//! 4 people a metre of the nearer half of each of its ways (`behaviour.crowd_per_way_m`,
//! default 4). Full places whose crowds wait to enter one another do not freeze, and the
//! line does not depend on the thread count.

use outbreak_engine::prelude::*;
use std::collections::VecDeque;

/// What a place holds by the documented rule, at the default of 4 people a metre.
fn holds(world: &World, p: PlaceId) -> u64 {
    let i = p.index();
    let capacity = u64::from(world.places.capacity[i]);
    if world.places.kind[i].is_room() {
        return capacity;
    }
    let half: f64 = world
        .neighbours(p)
        .iter()
        .map(|e| f64::from(e.length_m) / 2.0)
        .sum();
    capacity + (4.0 * half).round() as u64
}

/// People (not zombies) in each place now.
fn people(sim: &Simulation) -> Vec<u64> {
    sim.occupancy()
        .at
        .iter()
        .map(|t| {
            u64::from(
                t.census[Health::Susceptible as usize]
                    + t.census[Health::Infected as usize]
                    + t.census[Health::Hambie as usize],
            )
        })
        .collect()
}

fn person(place: PlaceId, mode: Mode, anchors: Option<[PlaceId; ANCHORS]>) -> AgentSpec {
    AgentSpec {
        place,
        health: Health::Susceptible,
        role: Role::Civilian,
        mode,
        traits: Traits {
            walk_mps: 1.3,
            run_mps: 3.0,
            fight: 1.0,
            stealth: 0.0,
        },
        anchors,
        name: None,
    }
}

/// A grid of `n × n` street crossings 20 m apart (capacity 10 each), a station of room for
/// 100 beside crossing (0, 0), opened as a rescue point taking 10 people a minute, and a
/// hall of room for 5,000 beside the far corner holding `crowd` aware people, who set out
/// for the rescue point at once.
fn evacuation(seed: u64, n: u32, crowd: u32, ticks: u32) -> (Simulation, PlaceId) {
    let mut b = WorldBuilder::new();
    let zone = b.zone("all");
    let spec = |name: String, kind, pos, capacity| PlaceSpec {
        name,
        kind,
        pos,
        capacity,
        barricade_strength: 0.0,
        contact_scale: 1.0,
    };
    for y in 0..n {
        for x in 0..n {
            let pos = [20.0 * f64::from(x), 20.0 * f64::from(y)];
            let c = b.add_place(spec(
                format!("crossing {x},{y}"),
                PlaceKind::Street,
                pos,
                10,
            ));
            b.put_in_zone(c, zone);
            if x > 0 {
                b.add_way(PlaceId(c.0 - 1), c, 20.0);
            }
            if y > 0 {
                b.add_way(PlaceId(c.0 - n), c, 20.0);
            }
        }
    }
    let station = b.add_place(spec(
        "station".into(),
        PlaceKind::Station,
        [-30.0, 0.0],
        100,
    ));
    b.put_in_zone(station, zone);
    b.add_way(station, PlaceId(0), 30.0);
    let far = 20.0 * f64::from(n);
    let hall = b.add_place(spec("hall".into(), PlaceKind::Gym, [far, far], 5_000));
    b.put_in_zone(hall, zone);
    b.add_way(PlaceId(n * n - 1), hall, 20.0);
    let world = b.build().expect("a street grid");
    let mut pop = Population::default();
    for _ in 0..crowd {
        pop.push(person(hall, Mode::Alert, None));
    }
    let mut params = Params::well_mixed(seed, 1.0, 0.0, 0.0, ticks);
    params.behaviour.rescue_reach_m = 1e6;
    let orders = vec![Order {
        label: "rescue at the station".into(),
        trigger: Trigger::At { tick: 0 },
        action: Action::OpenRescue {
            place: station,
            per_hour: 600.0,
        },
    }];
    (Simulation::new(world, pop, params, orders), station)
}

/// Steps from the station outward: 0 at the station, 1 its neighbour, ...
fn steps_from(world: &World, from: PlaceId) -> Vec<u32> {
    let mut d = vec![u32::MAX; world.place_count()];
    d[from.index()] = 0;
    let mut q = VecDeque::from([from]);
    while let Some(p) = q.pop_front() {
        for e in world.neighbours(p) {
            if d[e.to.index()] == u32::MAX {
                d[e.to.index()] = d[p.index()] + 1;
                q.push_back(e.to);
            }
        }
    }
    d
}

#[test]
fn a_crowd_fleeing_to_a_small_rescue_point_queues_along_the_streets_instead_of_packing_it() {
    let (mut sim, station) = evacuation(0x0EE5, 8, 3_000, 120);
    let hold: Vec<u64> = (0..sim.world.place_count() as u32)
        .map(|p| holds(&sim.world, PlaceId(p)))
        .collect();
    let steps = steps_from(&sim.world, station);
    let mut deepest_full = 0;
    let mut most_in_station = 0;
    while !sim.finished() {
        sim.step();
        let now = people(&sim);
        for (p, (&n, &h)) in now.iter().zip(&hold).enumerate() {
            assert!(
                n <= h,
                "tick {}: {} holds {n} people, more than its {h}",
                sim.tick(),
                sim.world.places.name[p]
            );
            if n == h {
                deepest_full = deepest_full.max(steps[p]);
            }
        }
        most_in_station = most_in_station.max(now[station.index()]);
    }
    // At the end of a tick the station has let out the minute's 10 rescued.
    assert_eq!(
        most_in_station,
        hold[station.index()] - 10,
        "the station fills to what it holds"
    );
    assert!(
        deepest_full >= 3,
        "the queue fills the crossings beyond the station's neighbour: the farthest full \
         place is {deepest_full} steps from it"
    );
    let rescued = sim.occupancy().total[Health::Rescued as usize];
    assert!(
        (1_000..=1_200).contains(&rescued),
        "10 a minute for 2 hours, less the walk there: {rescued} rescued"
    );
}

#[test]
fn the_line_is_the_same_on_one_and_two_threads() {
    let run = |threads| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let (mut sim, _) = evacuation(0x7E4D, 8, 3_000, 60);
            let mut events = Vec::new();
            while !sim.finished() {
                sim.step();
                events.extend(
                    sim.events
                        .iter()
                        .map(|e| (e.tick, e.kind, e.agent, e.place)),
                );
            }
            (
                sim.pop.place.clone(),
                sim.pop.heading.clone(),
                sim.pop.progress_m.clone(),
                events,
            )
        })
    };
    let one = run(1);
    assert!(!one.3.is_empty(), "people were rescued");
    assert!(one == run(2), "the same run on one and two threads");
}

/// Rooms of room for 10 in a ring (`rooms` of them, each joined to the next), each full of
/// people whose every routine place is the next room round.
fn ring(rooms: u32) -> Simulation {
    let mut b = WorldBuilder::new();
    let zone = b.zone("all");
    for k in 0..rooms {
        let p = b.add_place(PlaceSpec {
            name: format!("room {k}"),
            kind: PlaceKind::Room,
            pos: [10.0 * f64::from(k), 0.0],
            capacity: 10,
            barricade_strength: 0.0,
            contact_scale: 1.0,
        });
        b.put_in_zone(p, zone);
        // Each room a routing cell of its own.
        b.set_cell(p, k);
        b.set_gate(k, p);
        if k > 0 {
            b.add_way(PlaceId(k - 1), p, 10.0);
        }
    }
    if rooms > 2 {
        b.add_way(PlaceId(rooms - 1), PlaceId(0), 10.0);
    }
    let world = b.build().expect("a ring of rooms");
    let mut pop = Population::default();
    for k in 0..rooms {
        let next = PlaceId((k + 1) % rooms);
        for _ in 0..10 {
            pop.push(person(PlaceId(k), Mode::Routine, Some([next; ANCHORS])));
        }
    }
    Simulation::new(world, pop, Params::well_mixed(3, 1.0, 0.0, 0.0, 10), vec![])
}

#[test]
fn full_rooms_whose_crowds_wait_to_enter_one_another_swap_them_instead_of_freezing() {
    for rooms in [2, 3, 4] {
        let mut sim = ring(rooms);
        sim.run_to_end(|sim| {
            assert!(
                people(sim).iter().all(|&n| n <= 10),
                "{rooms} rooms: none holds more than 10"
            );
        });
        let home = |i: usize| sim.pop.anchors[i][0];
        let arrived = (0..sim.pop.len())
            .filter(|&i| sim.pop.place[i] == home(i))
            .count();
        assert_eq!(
            arrived,
            sim.pop.len(),
            "{rooms} full rooms in a ring: everyone reaches the next one round"
        );
    }
}
