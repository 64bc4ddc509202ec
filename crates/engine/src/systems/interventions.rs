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
    pub quarantine_zone: Option<ZoneId>,
    /// Chance per tick that an infected person is taken into quarantine, and that a
    /// quarantined one is removed.
    pub quarantine_infected_p: f64,
    pub removal_p: f64,
    /// Rates per hour at which a zombie is taken into quarantine (σ) or cured (c): they
    /// compete, so their chances are formed together.
    pub quarantine_zombie_rate: f64,
    pub cure_zone: Option<ZoneId>,
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
