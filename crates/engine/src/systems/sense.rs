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
    /// Path distance in metres at which noise fades to nothing.
    pub hearing_range_m: f32,
    /// What zombies must perceive to wake.
    pub wake_threshold: f32,
    /// What each visible person in the zombies' own place adds (by day or by night).
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agents::{Health, Mode};
    use crate::testing::{self, WAY_M};

    /// What the zombie in room 0 senses with a person in room `person` and a lure of
    /// `lure` in the last room.
    fn sense_from(rooms: usize, person: Option<u32>, lure: f32) -> Senses {
        let world = testing::line(rooms);
        let mut people = vec![(0, Health::Zombie, Mode::Alert)];
        people.extend(person.map(|p| (p, Health::Susceptible, Mode::Routine)));
        let pop = testing::population(&people);
        let occ = testing::occupancy(&world, &pop);
        let mut lures = vec![0.0; rooms];
        lures[rooms - 1] = lure;
        let fought = vec![0.0; rooms];
        let b = BehaviourParams::default();
        let p = SenseParams::new(&b, false, &lures, &fought);
        let mut s = Senses::new(&world);
        run(&mut s, &world, &occ, &p);
        s
    }

    #[test]
    fn zombies_wake_to_what_they_hear_and_head_for_the_loudest() {
        let quiet = sense_from(3, None, 0.0);
        assert!(!quiet.awake[0], "nothing heard: dormant");
        // One person's noise 1 at 2 ways is heard at 1 − 20/120 ≥ the wake threshold 0.5.
        let near = sense_from(3, Some(2), 0.0);
        assert!(near.awake[0]);
        assert_eq!(near.toward[0], PlaceId(1), "first step toward the sound");
        // At 10 ways (100 m) it is heard at 1/6: too faint.
        let far = sense_from(11, Some(10), 0.0);
        assert!(!far.awake[0]);
        let lured = sense_from(11, Some(10), 20.0);
        assert!(lured.awake[0], "a loud lure carries");
        let range = BehaviourParams::default().hearing_range_m as f32;
        assert!(10.0 * WAY_M < range, "within range, only faint");
    }

    #[test]
    fn zombies_see_the_people_in_their_own_place_and_stay() {
        let here = sense_from(2, Some(0), 0.0);
        assert!(here.awake[0]);
        assert!(here.toward[0].is_none(), "the loudest is where they are");
    }
}
