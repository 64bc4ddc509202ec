//! Encounter: bites and kills in each place where awake zombies meet humans.
//!
//! In a place `p` with `Z` zombies (all of them take part once any is awake) and humans of
//! total fighting strength `F`, each susceptible person is bitten in the tick with chance
//! `1 - exp(-β·c_p·Z·Δt)` and each zombie is destroyed with chance `1 - exp(-κ·c_p·F·Δt)`,
//! where `c_p` is the place's contact scale. Every person and zombie draws from its own
//! stream, so each pair's chances are independent of agent order. For one well-mixed place
//! with `F = S` this is mass action: `E[bites] = S(1 - e^{-βZΔt}) = βSZΔt + O((βZΔt)²)`, and
//! likewise for kills. The biter is one of the place's zombies at random; the killer is one
//! of its fighters, chosen in proportion to skill.
//!
//! In a world with [`World::neighbour_contact`] (Alemi's lattice) a place's contacts are
//! its own agents and those of its neighbours: Z counts the awake zombies of the place and
//! its neighbours, F the fighting strength there, so that each human–zombie pair across a
//! way meets as a pair within a place does.

use crate::agents::{Health, Mode, Population};
use crate::ids::{AgentId, PlaceId, NONE};
use crate::params::Params;
use crate::rng::{self, Stream};
use crate::systems::occupancy::Occupancy;
use crate::systems::sense::Senses;
use crate::world::World;
use rand::Rng;

/// A bite or a kill: who, by whom, where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Strike {
    /// The person bitten, or the zombie destroyed.
    pub target: AgentId,
    /// The zombie that bit, or the fighter who destroyed the zombie (`AgentId::NONE` if no
    /// fighter's skill is above zero).
    pub by: AgentId,
    /// Where it happened.
    pub place: PlaceId,
}

/// Outcomes of the encounter system, plus its scratch.
#[derive(Clone, Debug, Default)]
pub struct Encounters {
    /// Susceptible people bitten, by victim id.
    pub bites: Vec<Strike>,
    /// Zombies destroyed, by zombie id.
    pub kills: Vec<Strike>,
    /// Zombies fought in each place this tick (they make noise).
    pub fought: Vec<f32>,
    /// Per place: its index in `places` this tick (`NONE`: not in it).
    slot: Vec<u32>,
    places: Vec<PlaceId>,
    /// (slot, agent) of everyone in the places of `places`.
    members: Vec<(u32, AgentId)>,
    here: Vec<AgentId>,
    zombies: Vec<AgentId>,
    fighters: Vec<(f32, AgentId)>,
}

impl Encounters {
    /// Sized for a world.
    pub fn new(world: &World) -> Self {
        Self {
            fought: vec![0.0; world.place_count()],
            slot: vec![NONE; world.place_count()],
            ..Self::default()
        }
    }

    /// Places where zombies were fought in the last tick, with how many: the one output of
    /// this system that the next tick reads (the noise of fights, in `sense`).
    pub fn fought_places(&self) -> Vec<(PlaceId, f32)> {
        (0..self.fought.len() as u32)
            .map(PlaceId)
            .zip(self.fought.iter().copied())
            .filter(|f| f.1 != 0.0)
            .collect()
    }

    /// Sized for a world, with the fights of the last tick as [`Encounters::fought_places`]
    /// gave them (the caller checks that the places exist).
    pub fn with_fought(world: &World, fought: &[(PlaceId, f32)]) -> Self {
        let mut enc = Self::new(world);
        for &(q, n) in fought {
            enc.fought[q.index()] = n;
            // Listed so that the next run clears it, as it clears every place it fought in.
            enc.places.push(q);
        }
        enc
    }
}

/// Rates the encounter system needs.
pub struct EncounterParams {
    /// β: bites per zombie–susceptible pair per hour, at contact scale 1.
    pub bite_rate_per_hour: f64,
    /// κ: zombies destroyed per zombie–human pair per hour, for fighting skill 1.
    pub kill_rate_per_hour: f64,
    /// Factor on a group member's fighting skill.
    pub group_fight_bonus: f32,
    /// Factor on a deployed squad member's fighting skill.
    pub squad_fight_bonus: f32,
    /// Length of the tick in hours.
    pub dt_hours: f64,
    /// The run's master seed, key of the draws.
    pub seed: u64,
    /// The tick being simulated, key of the draws.
    pub tick: u32,
}

impl EncounterParams {
    /// The virus's rates and the group bonus of `params`, for tick `tick` of `dt_hours`.
    pub fn new(params: &Params, dt_hours: f64, tick: u32) -> Self {
        Self {
            bite_rate_per_hour: params.virus.bite_rate_per_hour,
            kill_rate_per_hour: params.virus.kill_rate_per_hour,
            group_fight_bonus: params.behaviour.group_fight_bonus as f32,
            squad_fight_bonus: params.behaviour.squad_fight_bonus as f32,
            dt_hours,
            seed: params.run.seed,
            tick,
        }
    }
}

/// Decides the bites and kills of this tick from the state at its start.
pub fn run(
    enc: &mut Encounters,
    world: &World,
    pop: &Population,
    occ: &Occupancy,
    senses: &Senses,
    p: &EncounterParams,
) {
    enc.bites.clear();
    enc.kills.clear();
    for &q in &enc.places {
        enc.fought[q.index()] = 0.0;
        enc.slot[q.index()] = NONE;
    }
    enc.places.clear();
    let humans = |q: PlaceId| {
        let t = &occ.at[q.index()];
        t.census[Health::Susceptible as usize] > 0 || t.fight_q > 0
    };
    let add = |q: PlaceId, enc: &mut Encounters| {
        if enc.slot[q.index()] == NONE {
            enc.slot[q.index()] = enc.places.len() as u32;
            enc.places.push(q);
        }
    };
    for &q in &occ.zombie_places {
        if !senses.awake[q.index()] {
            continue;
        }
        if humans(q) {
            add(q, enc);
        }
        if world.neighbour_contact {
            for e in world.neighbours(q) {
                if humans(e.to) {
                    add(q, enc);
                    add(e.to, enc);
                }
            }
        }
    }
    // NOTE: places in id order, so the members below (grouped by place) are too.
    enc.places.sort_unstable();
    for (s, &q) in enc.places.iter().enumerate() {
        enc.slot[q.index()] = s as u32;
    }
    if enc.places.is_empty() {
        return;
    }
    // Gather the agents of these places, grouped by place, in id order within each place.
    // NOTE: members are grouped by place and in id order within a place, so draws and
    // picks do not depend on how the residents lists happen to be ordered.
    enc.members.clear();
    for (s, &q) in enc.places.iter().enumerate() {
        enc.here.clear();
        occ.residents(q, &mut enc.here);
        enc.here.sort_unstable();
        for &a in &enc.here {
            if pop.mode[a.index()] != Mode::Reserve {
                enc.members.push((s as u32, a));
            }
        }
    }
    let mut start = 0;
    while start < enc.members.len() {
        let s = enc.members[start].0;
        let end = start + enc.members[start..].iter().take_while(|m| m.0 == s).count();
        let q = enc.places[s as usize];
        place_encounter(enc, world, pop, occ, senses, p, q, start, end);
        start = end;
    }
    enc.bites.sort_by_key(|b| b.target);
    enc.kills.sort_by_key(|k| k.target);
}

#[allow(clippy::too_many_arguments)]
fn place_encounter(
    enc: &mut Encounters,
    world: &World,
    pop: &Population,
    occ: &Occupancy,
    senses: &Senses,
    p: &EncounterParams,
    q: PlaceId,
    start: usize,
    end: usize,
) {
    let qi = q.index();
    let scale = f64::from(world.places.contact_scale[qi]);
    // The places whose agents meet this place's: itself, and its neighbours if the world
    // says so (their zombies only if awake), each's agents in id order.
    enc.zombies.clear();
    enc.fighters.clear();
    let mut total = 0.0f32;
    let mut strength = 0.0f32;
    // Awake zombies of this place itself: they make the fight's noise here.
    let mut own = 0u32;
    let contacts: &[crate::world::Edge] = if world.neighbour_contact {
        world.neighbours(q)
    } else {
        &[]
    };
    for r in std::iter::once(q).chain(contacts.iter().map(|e| e.to)) {
        let ri = r.index();
        strength += occ.at[ri].fight();
        let awake = senses.awake[ri];
        enc.here.clear();
        if r == q {
            enc.here.extend(enc.members[start..end].iter().map(|m| m.1));
        } else {
            occ.residents(r, &mut enc.here);
            enc.here.sort_unstable();
            enc.here.retain(|&a| pop.mode[a.index()] != Mode::Reserve);
        }
        for &a in &enc.here {
            let i = a.index();
            match pop.health[i] {
                Health::Zombie if awake => {
                    own += u32::from(r == q);
                    enc.zombies.push(a);
                }
                Health::Susceptible | Health::Hambie => {
                    // As the tally counts it (`occupancy::fight_bonus`).
                    let bonus = match (pop.group[i].is_some(), pop.mode[i].in_squad()) {
                        (true, true) => p.squad_fight_bonus,
                        (true, false) => p.group_fight_bonus,
                        (false, _) => 1.0,
                    };
                    let w = pop.traits[i].fight * bonus;
                    if w > 0.0 {
                        total += w;
                        enc.fighters.push((total, a));
                    }
                }
                _ => {}
            }
        }
    }
    let zombies = enc.zombies.len();
    let bite_p = -(-p.bite_rate_per_hour * scale * zombies as f64 * p.dt_hours).exp_m1();
    let kill_p = -(-p.kill_rate_per_hour * scale * f64::from(strength) * p.dt_hours).exp_m1();
    enc.fought[qi] = own as f32;
    let members = &enc.members[start..end];
    for &(_, a) in members {
        let h = pop.health[a.index()];
        if h == Health::Susceptible && bite_p > 0.0 {
            let mut rng = rng::stream(p.seed, Stream::Encounter, p.tick, a.0);
            if rng.random::<f64>() < bite_p {
                let by = enc.zombies[rng.random_range(0..enc.zombies.len())];
                enc.bites.push(Strike {
                    target: a,
                    by,
                    place: q,
                });
            }
        } else if h == Health::Zombie && kill_p > 0.0 && senses.awake[qi] {
            // NOTE: a dormant zombie beside a fight (neighbour contact) is not fought.
            let mut rng = rng::stream(p.seed, Stream::Encounter, p.tick, a.0);
            if rng.random::<f64>() < kill_p {
                let pick = rng.random::<f32>() * total;
                let k = enc
                    .fighters
                    .partition_point(|f| f.0 <= pick)
                    .min(enc.fighters.len().saturating_sub(1));
                let by = enc.fighters.get(k).map_or(AgentId::NONE, |f| f.1);
                enc.kills.push(Strike {
                    target: a,
                    by,
                    place: q,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    /// The encounter in room 0 of `people`, with zombies awake or not.
    fn meet(people: &[(u32, Health, Mode)], awake: bool, bite: f64, kill: f64) -> Encounters {
        let world = testing::line(2);
        let pop = testing::population(people);
        let occ = testing::occupancy(&world, &pop);
        let mut senses = Senses::new(&world);
        senses.awake[0] = awake;
        let mut params = testing::params();
        params.virus.bite_rate_per_hour = bite;
        params.virus.kill_rate_per_hour = kill;
        let mut enc = Encounters::new(&world);
        let p = EncounterParams::new(&params, 1.0 / 60.0, 1);
        run(&mut enc, &world, &pop, &occ, &senses, &p);
        enc
    }

    fn crowd() -> Vec<(u32, Health, Mode)> {
        let mut people = vec![(0, Health::Zombie, Mode::Alert); 2];
        people.extend([(0, Health::Susceptible, Mode::Alert); 3]);
        people.push((0, Health::Hambie, Mode::Alert));
        people.push((1, Health::Susceptible, Mode::Alert));
        people
    }

    #[test]
    fn awake_zombies_bite_the_susceptible_of_their_place_by_agent() {
        let enc = meet(&crowd(), true, 1e6, 0.0);
        let bitten: Vec<u32> = enc.bites.iter().map(|b| b.target.0).collect();
        assert_eq!(
            bitten,
            [2, 3, 4],
            "every susceptible here, by id; not the hambie"
        );
        assert!(enc
            .bites
            .iter()
            .all(|b| b.by.0 < 2 && b.place == PlaceId(0)));
        assert!(enc.kills.is_empty());
        assert_eq!(
            enc.fought[0], 2.0,
            "two zombies fought: the next tick hears it"
        );
    }

    #[test]
    fn those_hiding_or_about_to_flee_fight_at_full_strength() {
        // At the start of the tick everyone here is in the encounter, whatever they then do:
        // a hider and an alert person (who may flee this tick) are bitten as anyone is, and
        // fight back as anyone does.
        let people = [
            (0, Health::Zombie, Mode::Alert),
            (0, Health::Susceptible, Mode::Hiding),
            (0, Health::Susceptible, Mode::Alert),
            (0, Health::Susceptible, Mode::Routine),
        ];
        let world = testing::line(2);
        let pop = testing::population(&people);
        let occ = testing::occupancy(&world, &pop);
        assert_eq!(occ.at[0].fight(), 3.0, "each counts their whole skill");
        let enc = meet(&people, true, 0.0, 1e6);
        assert_eq!(enc.kills.len(), 1);
        assert!((1..4).contains(&enc.kills[0].by.0));
        let only_hiders = [people[0], people[1]];
        let enc = meet(&only_hiders, true, 0.0, 1e6);
        assert_eq!(
            enc.kills[0].by,
            AgentId(1),
            "a hider alone destroys the zombie"
        );
        let enc = meet(&only_hiders, true, 1e6, 0.0);
        assert_eq!(enc.bites[0].target, AgentId(1), "as it can be bitten");
    }

    #[test]
    fn a_deployed_squad_fights_with_its_bonus() {
        // Two fighters of one squad and a civilian: the squad's skill counts twice over (the
        // default bonus), a lone fighter's once.
        let mut pop = testing::population(&[
            (0, Health::Zombie, Mode::Alert),
            (0, Health::Susceptible, Mode::Sweep),
            (0, Health::Susceptible, Mode::Sweep),
            (0, Health::Susceptible, Mode::Alert),
        ]);
        let world = testing::line(2);
        pop.group[1] = crate::ids::GroupId(1);
        pop.group[2] = crate::ids::GroupId(1);
        let occ = testing::occupancy(&world, &pop);
        let bonus = crate::params::BehaviourParams::default().squad_fight_bonus as f32;
        assert_eq!(occ.at[0].fight(), 2.0 * bonus + 1.0);
        pop.group[2] = crate::ids::GroupId::NONE;
        let occ = testing::occupancy(&world, &pop);
        assert_eq!(occ.at[0].fight(), bonus + 2.0);
    }

    #[test]
    fn fighters_destroy_zombies_and_dormant_zombies_meet_nobody() {
        let enc = meet(&crowd(), true, 0.0, 1e6);
        let killed: Vec<u32> = enc.kills.iter().map(|k| k.target.0).collect();
        assert_eq!(killed, [0, 1]);
        assert!(
            enc.kills.iter().all(|k| (2..6).contains(&k.by.0)),
            "by the fighters here"
        );
        let asleep = meet(&crowd(), false, 1e6, 1e6);
        assert!(asleep.bites.is_empty() && asleep.kills.is_empty());
    }
}
