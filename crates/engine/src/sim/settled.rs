//! Whether a run has settled (nothing can change anyone's state any more) and how many of
//! its zombies are awake: what `run.stop_when_settled` and the outcomes of a run read.

use super::Simulation;
use crate::agents::{Health, Mode};
use crate::authority::Trigger;
use crate::ids::{PlaceId, NONE};
use crate::systems::sense::{self, SenseParams, Senses};

impl Simulation {
    /// Whether no state can change any more, at the end of the last tick: the test behind
    /// `run.stop_when_settled` (docs/outputs.md, "When a run has settled"). All of:
    ///
    /// - nobody is infected or quarantined (no one left to turn, or to die in quarantine);
    /// - no dead body can rise (ζ = 0, or nobody is dead) and no natural death can happen
    ///   (δ = 0, or nobody is susceptible or infected);
    /// - the timeline is done: every order has fired, except count triggers not yet
    ///   reached that count zombies, the dead, the quarantined or the rescued (counts that
    ///   cannot change any more); no rescue point is open while someone is left to
    ///   evacuate; no cure or quarantine of zombies is in force while zombies are left;
    /// - no zombie can meet a human: there is no zombie, or no human (susceptible or hambie),
    ///   or the zombies are inert: they cannot move (`zombie_speed_mps = 0`), the humans
    ///   cannot either (`stand_ground`, none on a way, none sweeping), and no zombie has a
    ///   human in its place or a neighbouring one.
    ///
    /// People may still walk their routines in a settled run (after the last zombie is
    /// gone): a settled run's counts of each state are final, not where everyone is.
    pub fn settled(&self) -> bool {
        let total = &self.occ.total;
        let count = |h: Health| total[h as usize];
        let humans = count(Health::Susceptible) + count(Health::Hambie);
        let zombies = count(Health::Zombie);
        if count(Health::Infected) + count(Health::Quarantined) > 0 {
            return false;
        }
        if self.rates.rise_p > 0.0 && count(Health::Dead) > 0 {
            return false;
        }
        if self.rates.death_p > 0.0 && count(Health::Susceptible) > 0 {
            return false;
        }
        if !self.timeline_done(humans, zombies) {
            return false;
        }
        zombies == 0 || humans == 0 || self.zombies_inert()
    }

    /// Every order fired, or one that cannot fire any more; nothing in force that changes
    /// states while there is someone for it to act on.
    fn timeline_done(&self, humans: u64, zombies: u64) -> bool {
        let pending = self.orders.iter().enumerate().any(|(k, o)| {
            if self.schedule.fired[k] {
                return false;
            }
            match o.trigger {
                Trigger::At { .. } => true,
                Trigger::ZoneCount { health, .. } => {
                    // Armed (due set) or counting people who can still walk into the zone.
                    self.schedule.due[k] != NONE
                        || matches!(health, Health::Susceptible | Health::Hambie)
                }
            }
        });
        if pending {
            return false;
        }
        if humans > 0 && self.places.rescue_open.iter().any(|&open| open) {
            return false;
        }
        let iv = &self.interventions;
        let acts_on_zombies =
            (iv.cure_zone.is_some() && iv.cure_rate > 0.0) || iv.quarantine_zombie_rate > 0.0;
        !(zombies > 0 && acts_on_zombies)
    }

    /// Zombies and humans that cannot move, none of them in reach of the other.
    fn zombies_inert(&self) -> bool {
        let b = &self.params.behaviour;
        if b.zombie_speed_mps > 0.0 || !b.stand_ground {
            return false;
        }
        let pop = &self.pop;
        let moving = (0..pop.len()).any(|i| {
            matches!(pop.health[i], Health::Susceptible | Health::Hambie)
                && (pop.heading[i].is_some() || pop.mode[i] == Mode::Sweep)
        });
        if moving {
            return false;
        }
        let occ = &self.occ;
        let human = |q: PlaceId| {
            let c = &occ.at[q.index()].census;
            c[Health::Susceptible as usize] + c[Health::Hambie as usize] > 0
        };
        !occ.zombie_places
            .iter()
            .any(|&q| human(q) || self.world.neighbours(q).iter().any(|e| human(e.to)))
    }

    /// Zombies that are awake at the end of the last tick: those in places where what they
    /// hear and see of people and lures (by day or by night as at that moment) reaches the
    /// wake threshold. The rest are dormant. The noise of the last tick's fights is left
    /// out: those fights are over, and a zombie they woke with nothing else to hear is
    /// dormant again in the next tick.
    pub fn zombies_awake(&self) -> u64 {
        let hour = self.hour_of_day(self.tick);
        let night = !(6.0..22.0).contains(&hour);
        let quiet = vec![0.0; self.world.place_count()];
        let heard = SenseParams::new(&self.params.behaviour, night, &self.places.lure, &quiet);
        let mut senses = Senses::new(&self.world);
        sense::run(&mut senses, &self.world, &self.occ, &heard);
        self.occ
            .zombie_places
            .iter()
            .filter(|q| senses.awake[q.index()])
            .map(|q| u64::from(self.occ.at[q.index()].census[Health::Zombie as usize]))
            .sum()
    }
}
