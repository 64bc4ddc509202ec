//! Sense: what the zombies in each place perceive, and where the loudest sound is.
//!
//! For every place holding zombies, a Dijkstra search bounded by the hearing range finds
//! the noise sources around it. A source of loudness `L` at path distance `d` is heard at
//! `L · (1 - d / range)`; zombies also see the people in their own place (`sight_day` by
//! day, `sight_night` by night). Zombies wake when what they perceive reaches the wake
//! threshold; otherwise they stay dormant and cost nothing more this tick. Awake zombies head
//! for the loudest source (first step of the path to it), or stay if it is where they are.

use crate::ids::PlaceId;
use crate::params::BehaviourParams;
use crate::systems::occupancy::Occupancy;
use crate::world::{OrdF32, World};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// What the zombies of each place perceive.
#[derive(Clone, Debug, Default)]
pub struct Senses {
    /// Whether the zombies in the place are awake.
    pub awake: Vec<bool>,
    /// Where awake zombies head (`PlaceId::NONE`: stay).
    pub toward: Vec<PlaceId>,
    stamp: Vec<u32>,
    dist: Vec<f32>,
    first: Vec<PlaceId>,
    generation: u32,
    heap: BinaryHeap<(Reverse<OrdF32>, PlaceId)>,
    touched: Vec<PlaceId>,
}

impl Senses {
    /// Sized for a world.
    pub fn new(world: &World) -> Self {
        let n = world.place_count();
        Self {
            awake: vec![false; n],
            toward: vec![PlaceId::NONE; n],
            stamp: vec![0; n],
            dist: vec![0.0; n],
            first: vec![PlaceId::NONE; n],
            generation: 0,
            heap: BinaryHeap::new(),
            touched: Vec::new(),
        }
    }
}

/// Settings of the sense system and the sounds that are not people.
pub struct SenseParams<'a> {
    pub hearing_range_m: f32,
    pub wake_threshold: f32,
    pub sight: f32,
    /// Factor on the noise of people keeping their routine (lower at night).
    pub night_factor: f32,
    /// Noise of each zombie fought in a place during the last tick.
    pub fight_noise: f32,
    /// Loudness of lures by place.
    pub lure: &'a [f32],
    /// Zombies fought in each place during the last tick.
    pub fought: &'a [f32],
}

impl<'a> SenseParams<'a> {
    /// The settings of `behaviour`, by night or by day, with these lures and fights.
    pub fn new(
        behaviour: &BehaviourParams,
        night: bool,
        lure: &'a [f32],
        fought: &'a [f32],
    ) -> Self {
        let b = behaviour;
        Self {
            hearing_range_m: b.hearing_range_m as f32,
            wake_threshold: b.wake_threshold as f32,
            sight: if night { b.sight_night } else { b.sight_day } as f32,
            night_factor: if night {
                b.night_noise_factor as f32
            } else {
                1.0
            },
            fight_noise: b.fight_noise as f32,
            lure,
            fought,
        }
    }

    /// Everything heard at a place: people, fights, lures.
    #[inline]
    fn noise(&self, occ: &Occupancy, p: usize) -> f32 {
        occ.at[p].people_noise(self.night_factor) + self.lure[p] + self.fought[p] * self.fight_noise
    }
}

/// Computes `awake` and `toward` for every place holding zombies.
pub fn run(s: &mut Senses, world: &World, occ: &Occupancy, p: &SenseParams) {
    for &q in &s.touched {
        s.awake[q.index()] = false;
        s.toward[q.index()] = PlaceId::NONE;
    }
    s.touched.clear();
    let range = p.hearing_range_m.max(1e-3);
    for &origin in &occ.zombie_places {
        s.generation = s.generation.wrapping_add(1);
        if s.generation == 0 {
            s.stamp.iter_mut().for_each(|x| *x = 0);
            s.generation = 1;
        }
        let gen = s.generation;
        let o = origin.index();
        let own = p.noise(occ, o) + p.sight * occ.at[o].visible as f32;
        let mut best = own;
        let mut best_first = PlaceId::NONE;
        let mut best_place = usize::MAX;
        s.stamp[o] = gen;
        s.dist[o] = 0.0;
        s.first[o] = PlaceId::NONE;
        s.heap.clear();
        s.heap.push((Reverse(OrdF32(0.0)), origin));
        while let Some((Reverse(OrdF32(d)), u)) = s.heap.pop() {
            let ui = u.index();
            if d > s.dist[ui] {
                continue;
            }
            if ui != o {
                let heard = p.noise(occ, ui) * (1.0 - d / range);
                // Ties go to the lowest place id, whatever order the search visits them in.
                if heard > best || (heard == best && best_first.is_some() && ui < best_place) {
                    best = heard;
                    best_first = s.first[ui];
                    best_place = ui;
                }
            }
            for e in world.neighbours(u) {
                let nd = d + e.length_m;
                if nd >= range {
                    continue;
                }
                let v = e.to.index();
                if s.stamp[v] != gen || nd < s.dist[v] {
                    s.stamp[v] = gen;
                    s.dist[v] = nd;
                    s.first[v] = if ui == o { e.to } else { s.first[ui] };
                    s.heap.push((Reverse(OrdF32(nd)), e.to));
                }
            }
        }
        if best >= p.wake_threshold {
            s.awake[o] = true;
            s.toward[o] = best_first;
            s.touched.push(origin);
        }
    }
}
