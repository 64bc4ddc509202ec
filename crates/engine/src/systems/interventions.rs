//! Munz's continuous interventions, once ordered: quarantine of the infected and of zombies
//! (I and Z → Q), removal of the quarantined (Q → dead) and a cure (Z → S), each in its zone
//! or everywhere. Every agent draws once a tick from its own stream; a zombie's one draw
//! decides between quarantine and cure, whose chances compete.

use crate::agents::{Health, Population};
use crate::events::{EventKind, EventLog, Other};
use crate::ids::{AgentId, PlaceId, ZoneId};
use crate::params::chance;
use crate::rng::{self, Stream};
use crate::systems::occupancy::Occupancy;
use crate::systems::{health, Tick};
use crate::world::World;
use serde::{Deserialize, Serialize};

/// Munz's continuous interventions in force: per-tick chances, and the zone each applies in
/// (`None`: everywhere).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Interventions {
    /// Where the quarantine applies.
    pub quarantine_zone: Option<ZoneId>,
    /// Chance per tick that an infected person is taken into quarantine (from κ).
    pub quarantine_infected_p: f64,
    /// Chance per tick that a quarantined one is removed (dies; from γ).
    pub removal_p: f64,
    /// σ: rate per hour at which a zombie is taken into quarantine. It competes with the
    /// cure, so the two chances are formed together each tick.
    pub quarantine_zombie_rate: f64,
    /// Where the cure applies.
    pub cure_zone: Option<ZoneId>,
    /// c: rate per hour at which a zombie is cured (becomes susceptible again).
    pub cure_rate: f64,
}

impl Interventions {
    /// Whether any intervention is in force.
    pub fn active(&self) -> bool {
        self.quarantine_infected_p > 0.0
            || self.quarantine_zombie_rate > 0.0
            || self.removal_p > 0.0
            || self.cure_rate > 0.0
    }
}

/// Carries out the interventions in force for one tick of `dt_hours`. People whose fate
/// already changed in this tick are left alone.
pub fn run(
    iv: &Interventions,
    pop: &mut Population,
    occ: &mut Occupancy,
    world: &World,
    dt_hours: f64,
    log: &mut EventLog,
    now: Tick,
) {
    if !iv.active() {
        return;
    }
    let within = |p: PlaceId, zone: Option<ZoneId>| zone.is_none_or(|z| world.in_zone(p, z));
    for a in (0..pop.len() as u32).map(AgentId) {
        let i = a.index();
        let h = pop.health[i];
        if !matches!(h, Health::Infected | Health::Zombie | Health::Quarantined)
            || pop.fate_tick[i] == now.tick
        {
            continue;
        }
        let place = pop.place[i];
        let quarantine = within(place, iv.quarantine_zone);
        let u = rng::unit(now.seed, Stream::Intervention, now.tick, a.0);
        let change = match h {
            Health::Infected if quarantine && u < iv.quarantine_infected_p => {
                Some((Health::Quarantined, EventKind::Quarantine))
            }
            Health::Zombie => {
                // Competing clocks: leave Z at σ + c, then go to Q with odds σ : c.
                let q = if quarantine {
                    iv.quarantine_zombie_rate
                } else {
                    0.0
                };
                let c = if within(place, iv.cure_zone) {
                    iv.cure_rate
                } else {
                    0.0
                };
                let leave = chance(q + c, dt_hours);
                if u < leave * q / (q + c).max(f64::MIN_POSITIVE) {
                    Some((Health::Quarantined, EventKind::Quarantine))
                } else if u < leave {
                    Some((Health::Susceptible, EventKind::Cure))
                } else {
                    None
                }
            }
            Health::Quarantined if u < iv.removal_p => {
                Some((Health::Dead, EventKind::QuarantineDeath))
            }
            _ => None,
        };
        if let Some((to, kind)) = change {
            health::set(pop, occ, a, to, now.tick);
            log.push(kind, a, Other::NONE, place);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agents::Mode;
    use crate::testing;

    fn run_once(iv: &Interventions, people: &[(u32, Health)]) -> (Vec<Health>, Vec<EventKind>) {
        let world = testing::line(2);
        let people: Vec<_> = people.iter().map(|&(p, h)| (p, h, Mode::Alert)).collect();
        let mut pop = testing::population(&people);
        let mut occ = testing::occupancy(&world, &pop);
        let mut log = EventLog::new(3);
        run(
            iv,
            &mut pop,
            &mut occ,
            &world,
            1.0 / 60.0,
            &mut log,
            Tick::new(1, 3),
        );
        testing::flush(&mut occ, &world, &pop);
        assert!(testing::tally_is_true(&occ, &world, &pop));
        (pop.health, testing::kinds(&log))
    }

    #[test]
    fn quarantine_takes_the_infected_and_zombies_in_its_zone_and_removes_the_quarantined() {
        use Health::{Dead, Infected, Quarantined, Zombie};
        let iv = Interventions {
            quarantine_zone: Some(testing::room_zone(0)),
            quarantine_infected_p: 1.0,
            removal_p: 1.0,
            quarantine_zombie_rate: 1e9,
            ..Interventions::default()
        };
        let people = [
            (0, Infected),
            (0, Zombie),
            (0, Quarantined),
            (1, Infected),
            (1, Zombie),
        ];
        let (health, kinds) = run_once(&iv, &people);
        assert_eq!(health, [Quarantined, Quarantined, Dead, Infected, Zombie]);
        assert_eq!(
            kinds,
            [
                EventKind::Quarantine,
                EventKind::Quarantine,
                EventKind::QuarantineDeath
            ]
        );
    }

    #[test]
    fn a_cure_makes_zombies_susceptible_and_nothing_happens_without_an_order() {
        use Health::{Infected, Susceptible, Zombie};
        let cure = Interventions {
            cure_rate: 1e9,
            ..Interventions::default()
        };
        let people = [(0, Zombie), (1, Zombie), (0, Infected)];
        let (health, kinds) = run_once(&cure, &people);
        assert_eq!(health, [Susceptible, Susceptible, Infected]);
        assert_eq!(kinds, [EventKind::Cure, EventKind::Cure]);
        let (health, kinds) = run_once(&Interventions::default(), &people);
        assert_eq!(health, [Zombie, Zombie, Infected]);
        assert!(kinds.is_empty());
    }
}
