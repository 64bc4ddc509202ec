//! Turn: infected people whose latent time is up become zombies (or, by chance, hambies).
//! Also the slow processes of Munz's model: the dead rising (ζ) and natural deaths (δ) of
//! the susceptible and the infected. Every draw comes from the agent's own stream.

use crate::agents::{Health, Mode, Population};
use crate::events::{EventKind, EventLog, Other};
use crate::ids::{AgentId, GroupId, NONE};
use crate::params::Params;
use crate::rng::{self, Stream};
use crate::systems::occupancy::Occupancy;
use crate::systems::{health, Tick};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Infected people waiting to turn, earliest first (ties by agent id).
#[derive(Clone, Debug, Default)]
pub struct TurnQueue {
    heap: BinaryHeap<Reverse<(u32, AgentId)>>,
    /// Scratch: the agents due this tick.
    due: Vec<AgentId>,
}

impl TurnQueue {
    /// Schedules an agent to turn at a tick.
    pub fn push(&mut self, tick: u32, agent: AgentId) {
        self.heap.push(Reverse((tick, agent)));
    }
    /// Removes and returns the agents due at or before `tick`, in (tick, id) order, keeping
    /// only those still infected.
    pub fn due(&mut self, tick: u32, health: &[Health]) -> &[AgentId] {
        self.due.clear();
        while let Some(&Reverse((t, a))) = self.heap.peek() {
            if t > tick {
                break;
            }
            self.heap.pop();
            if health[a.index()] == Health::Infected {
                self.due.push(a);
            }
        }
        &self.due
    }
    /// Every (turn tick, agent) waiting, ascending: what a checkpoint saves. Entries of
    /// people no longer infected are kept, as they are in the queue.
    pub fn entries(&self) -> Vec<(u32, AgentId)> {
        let mut all: Vec<(u32, AgentId)> = self.heap.iter().map(|r| r.0).collect();
        all.sort_unstable();
        all
    }
    /// A queue holding these (turn tick, agent) entries. Entries are plain values, so the
    /// queue hands them out in the same order as the one they were read from.
    pub fn from_entries(entries: Vec<(u32, AgentId)>) -> Self {
        Self {
            heap: entries.into_iter().map(Reverse).collect(),
            due: Vec::new(),
        }
    }
    /// Number of agents waiting.
    pub fn len(&self) -> usize {
        self.heap.len()
    }
    /// Whether nobody is waiting.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

/// The tick at which `a`, bitten at tick `t`, turns: a latent time drawn from `a`'s own
/// stream, rounded up to whole ticks.
pub fn latent_ticks(params: &Params, t: u32, a: AgentId) -> u32 {
    let mut rng = rng::stream(params.run.seed, Stream::Turn, t, a.0);
    let minutes = params.virus.latent.sample_minutes(&mut rng);
    let ticks = (minutes / params.run.tick_minutes).ceil();
    t.saturating_add(ticks.clamp(0.0, f64::from(u32::MAX / 2)) as u32)
}

/// Infects `a`, bitten at tick `t`, and queues its turn.
pub fn infect(
    pop: &mut Population,
    occ: &mut Occupancy,
    turns: &mut TurnQueue,
    params: &Params,
    a: AgentId,
    t: u32,
) {
    health::set(pop, occ, a, Health::Infected, t);
    let i = a.index();
    pop.bitten_tick[i] = t;
    pop.turn_tick[i] = latent_ticks(params, t, a);
    turns.push(pop.turn_tick[i], a);
}

/// Queues the turns of the people infected at the start (tick 0), drawing a latent time
/// for those the population gives none.
pub fn queue_initial(pop: &mut Population, turns: &mut TurnQueue, params: &Params) {
    for a in (0..pop.len() as u32).map(AgentId) {
        let i = a.index();
        if pop.health[i] == Health::Infected {
            if pop.turn_tick[i] == NONE {
                pop.turn_tick[i] = latent_ticks(params, 0, a);
            }
            pop.bitten_tick[i] = 0;
            turns.push(pop.turn_tick[i], a);
        }
    }
}

/// Turns the infected whose time has come: each a hambie with chance `hambie_fraction`,
/// else a zombie. Either way they leave their group and are alert.
pub fn run(
    turns: &mut TurnQueue,
    pop: &mut Population,
    occ: &mut Occupancy,
    hambie_fraction: f64,
    log: &mut EventLog,
    now: Tick,
) {
    for &a in turns.due(now.tick, &pop.health) {
        let hambie = rng::unit(now.seed, Stream::Hambie, now.tick, a.0) < hambie_fraction;
        let (h, kind) = if hambie {
            (Health::Hambie, EventKind::TurnHambie)
        } else {
            (Health::Zombie, EventKind::Turn)
        };
        turn_into(pop, occ, log, a, h, kind, now.tick);
    }
}

/// Turns `a` into a zombie now, as [`run`] does (the encounter's turn at the bite).
pub fn become_zombie(
    pop: &mut Population,
    occ: &mut Occupancy,
    log: &mut EventLog,
    a: AgentId,
    t: u32,
) {
    turn_into(pop, occ, log, a, Health::Zombie, EventKind::Turn, t);
}

fn turn_into(
    pop: &mut Population,
    occ: &mut Occupancy,
    log: &mut EventLog,
    a: AgentId,
    h: Health,
    kind: EventKind,
    t: u32,
) {
    health::set(pop, occ, a, h, t);
    pop.group[a.index()] = GroupId::NONE;
    pop.mode[a.index()] = Mode::Alert;
    log.push(kind, a, Other::NONE, pop.place[a.index()]);
}

/// Munz's ζ: each dead body rises as a zombie with chance `rise_p` this tick.
pub fn rise(pop: &mut Population, occ: &mut Occupancy, rise_p: f64, log: &mut EventLog, now: Tick) {
    if rise_p <= 0.0 {
        return;
    }
    for a in (0..pop.len() as u32).map(AgentId) {
        let i = a.index();
        if pop.health[i] == Health::Dead
            && rng::unit(now.seed, Stream::Vital, now.tick, a.0) < rise_p
        {
            health::set(pop, occ, a, Health::Zombie, now.tick);
            log.push(EventKind::Rise, a, Other::NONE, pop.place[i]);
        }
    }
}

/// Munz's δ: each susceptible or infected person (SIZR's δI) dies of other causes with
/// chance `death_p` this tick, unless their fate already changed in it.
pub fn natural_deaths(
    pop: &mut Population,
    occ: &mut Occupancy,
    death_p: f64,
    log: &mut EventLog,
    now: Tick,
) {
    if death_p <= 0.0 {
        return;
    }
    for a in (0..pop.len() as u32).map(AgentId) {
        let i = a.index();
        if matches!(pop.health[i], Health::Susceptible | Health::Infected)
            && pop.fate_tick[i] != now.tick
            && rng::unit(now.seed, Stream::Vital, now.tick, a.0) < death_p
        {
            health::set(pop, occ, a, Health::Dead, now.tick);
            log.push(EventKind::NaturalDeath, a, Other::NONE, pop.place[i]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Latent;
    use crate::testing;

    #[test]
    fn a_due_turn_makes_a_zombie_or_a_hambie_and_skips_the_no_longer_infected() {
        let world = testing::line(1);
        let mut pop = testing::population(&[(0, Health::Susceptible, Mode::Hiding); 3]);
        let mut occ = testing::occupancy(&world, &pop);
        let mut params = testing::params();
        params.virus.latent = Latent::Fixed { minutes: 2.0 };
        let mut turns = TurnQueue::default();
        for a in 0..3 {
            infect(&mut pop, &mut occ, &mut turns, &params, AgentId(a), 1);
        }
        assert_eq!(pop.turn_tick, [3, 3, 3]);
        pop.group[0] = GroupId(0);
        // Agent 2 was cured meanwhile: its entry in the queue is stale.
        health::set(&mut pop, &mut occ, AgentId(2), Health::Susceptible, 2);
        let mut log = EventLog::new(2);
        run(
            &mut turns,
            &mut pop,
            &mut occ,
            0.0,
            &mut log,
            Tick::new(1, 2),
        );
        assert!(log.is_empty(), "not yet");
        log.begin(3);
        run(
            &mut turns,
            &mut pop,
            &mut occ,
            0.0,
            &mut log,
            Tick::new(1, 3),
        );
        assert_eq!(testing::kinds(&log), [EventKind::Turn, EventKind::Turn]);
        assert_eq!(
            pop.health[..],
            [Health::Zombie, Health::Zombie, Health::Susceptible]
        );
        assert!(pop.group[0].is_none() && pop.mode[0] == Mode::Alert);
        assert!(turns.is_empty());

        let mut hambie = testing::population(&[(0, Health::Susceptible, Mode::Hiding)]);
        let mut occ = testing::occupancy(&world, &hambie);
        infect(&mut hambie, &mut occ, &mut turns, &params, AgentId(0), 1);
        log.begin(3);
        run(
            &mut turns,
            &mut hambie,
            &mut occ,
            1.0,
            &mut log,
            Tick::new(1, 3),
        );
        assert_eq!(testing::kinds(&log), [EventKind::TurnHambie]);
        assert_eq!(
            (hambie.health[0], hambie.mode[0]),
            (Health::Hambie, Mode::Alert)
        );
        testing::flush(&mut occ, &world, &hambie);
        assert!(testing::tally_is_true(&occ, &world, &hambie));
    }

    #[test]
    fn the_infected_at_the_start_are_queued_with_their_own_turn_tick_or_a_drawn_one() {
        let mut pop = testing::population(&[(0, Health::Infected, Mode::Alert); 2]);
        pop.turn_tick[1] = 9;
        let mut params = testing::params();
        params.virus.latent = Latent::Fixed { minutes: 4.0 };
        let mut turns = TurnQueue::default();
        queue_initial(&mut pop, &mut turns, &params);
        assert_eq!(pop.turn_tick, [4, 9]);
        assert_eq!(pop.bitten_tick, [0, 0]);
        assert_eq!(turns.entries(), [(4, AgentId(0)), (9, AgentId(1))]);
    }

    #[test]
    fn the_dead_rise_and_the_living_die_at_their_chances() {
        use Health::{Dead, Infected, Susceptible, Zombie};
        let world = testing::line(1);
        let people =
            [Dead, Susceptible, Infected, Zombie, Susceptible].map(|h| (0, h, Mode::Alert));
        let mut pop = testing::population(&people);
        pop.fate_tick[4] = 5;
        let mut occ = testing::occupancy(&world, &pop);
        let mut log = EventLog::new(5);
        let now = Tick::new(1, 5);
        rise(&mut pop, &mut occ, 0.0, &mut log, now);
        natural_deaths(&mut pop, &mut occ, 0.0, &mut log, now);
        assert!(log.is_empty(), "no chance, no change");
        rise(&mut pop, &mut occ, 1.0, &mut log, now);
        natural_deaths(&mut pop, &mut occ, 1.0, &mut log, now);
        assert_eq!(
            testing::kinds(&log),
            [
                EventKind::Rise,
                EventKind::NaturalDeath,
                EventKind::NaturalDeath
            ]
        );
        assert_eq!(pop.health[..], [Zombie, Dead, Dead, Zombie, Susceptible]);
        assert_eq!(pop.fate_tick[..4], [5, 5, 5, 0]);
        testing::flush(&mut occ, &world, &pop);
        assert!(testing::tally_is_true(&occ, &world, &pop));
    }
}
