//! What became of each named character, in words a person reads: the fate (survived,
//! rescued, turned, destroyed, killed …), who bit them and who destroyed them (by name where
//! they are named characters, else by role), when on the clock, where, and what they did
//! (bites made, zombies destroyed).

use std::collections::HashMap;

use outbreak_engine::prelude::*;
use outbreak_plot::scale::Clock;
use serde::Serialize;

use crate::names::{place_name, Names};
use crate::recorder::Recorder;

/// How a named character's run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Fate {
    /// Alive and human at the end, never turned.
    Survived,
    /// A zombie once, cured, human at the end.
    Cured,
    /// Evacuated at a rescue point.
    Rescued,
    /// Bitten, and still turning at the end.
    Infected,
    /// A zombie at the end.
    Turned,
    /// A half-zombie at the end.
    Hambie,
    /// Destroyed as a zombie (by people, a strike or an eradication).
    Destroyed,
    /// Killed as a human (by a strike).
    Killed,
    /// Died as a human of other causes, or in quarantine.
    Died,
    /// In quarantine at the end.
    Quarantined,
    /// A fighter whose squad was never deployed: off the map all along.
    Reserve,
    /// A fighter who withdrew with their squad and left the map.
    Withdrew,
}

impl Fate {
    /// The word in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Fate::Survived => "survived",
            Fate::Cured => "cured",
            Fate::Rescued => "rescued",
            Fate::Infected => "infected",
            Fate::Turned => "turned",
            Fate::Hambie => "hambie",
            Fate::Destroyed => "destroyed",
            Fate::Killed => "killed",
            Fate::Died => "died",
            Fate::Quarantined => "quarantined",
            Fate::Reserve => "reserve",
            Fate::Withdrew => "withdrew",
        }
    }
}

/// Someone who did something to a character: a named character, or a person of a role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Who {
    /// Their agent id (the index into the population's columns).
    pub agent: u32,
    /// Their name, if they are a named character.
    pub name: Option<String>,
    /// Their role (a civilian if the id is not in the population).
    pub role: Role,
}

impl Who {
    fn of(agent: u32, pop: &Population, names: &Names) -> Who {
        Who {
            agent,
            name: names.get(agent).map(str::to_owned),
            role: pop
                .role
                .get(agent as usize)
                .copied()
                .unwrap_or(Role::Civilian),
        }
    }

    /// The name, or the role with an article (`a student`).
    pub fn describe(&self) -> String {
        match &self.name {
            Some(n) => n.clone(),
            None => format!("a {}", self.role.as_str()),
        }
    }
}

/// Something that happened to a character at a tick, in a place.
#[derive(Clone, Debug, PartialEq)]
pub struct Moment {
    /// The tick of the event.
    pub tick: u32,
    /// The place's id (`NONE` where there is none).
    pub place: u32,
    /// Whose doing, when someone's.
    pub by: Option<Who>,
}

/// A named character's story.
#[derive(Clone, Debug, PartialEq)]
pub struct Character {
    /// The character's name, as the scenario gives it.
    pub name: String,
    /// Their agent id.
    pub agent: u32,
    /// Their role as written in files (`Role::as_str`, e.g. `student`).
    pub role: &'static str,
    /// How their run ended.
    pub fate: Fate,
    /// When the fate came (for those still as they were, the last recorded tick).
    pub fate_tick: u32,
    /// The name of the place they were in at the end.
    pub place: String,
    /// Who or what ended them (a destroyer, a strike), if anyone.
    pub fate_by: Option<String>,
    /// The agent id of the one who destroyed them, when a person did (not for a strike or an
    /// eradication).
    pub fate_by_agent: Option<u32>,
    /// When and where they were first deployed onto the map, if they were.
    pub deployed: Option<Moment>,
    /// Their first bite, with the biter.
    pub bitten: Option<Moment>,
    /// When and where they first turned (into a zombie or a hambie).
    pub turned: Option<Moment>,
    /// Turned into a hambie rather than a zombie.
    pub hambie: bool,
    /// Bites this character made.
    pub bites: u32,
    /// Zombies this character destroyed.
    pub kills: u32,
    /// The story in words.
    pub story: String,
}

/// The preposition a place's kind takes: on a path, at a gate, in a room.
fn at_place(world: &World, place: u32) -> String {
    let name = place_name(world, place);
    let kind = world.places.kind.get(place as usize).copied();
    let word = match kind {
        Some(PlaceKind::Path | PlaceKind::Street) => "on",
        Some(
            PlaceKind::Gate
            | PlaceKind::Station
            | PlaceKind::Plaza
            | PlaceKind::Checkpoint
            | PlaceKind::Site,
        ) => "at",
        _ => "in",
    };
    format!("{word} {name}")
}

/// A time as the story says it: `13:42`, or `01:10 on day 2`.
pub(crate) fn when(clock: &Clock, minutes: f64) -> String {
    let (day, time) = clock.day_time(minutes);
    if day == 1 {
        time
    } else {
        format!("{time} on day {day}")
    }
}

/// The named characters in naming order, each with the story the event log tells.
pub fn characters(rec: &Recorder, sim: &Simulation) -> Vec<Character> {
    let pop = &sim.pop;
    let world = &sim.world;
    let names = Names::new(pop);
    let clock = Clock {
        start_hour: sim.params.run.start_hour,
    };
    // Each named agent's first slot in naming order (a lookup only; never iterated).
    let slot: HashMap<u32, usize> = pop
        .names
        .iter()
        .enumerate()
        .rev()
        .map(|(k, (id, _))| (id.0, k))
        .collect();
    let mut chars: Vec<Character> = pop
        .names
        .iter()
        .map(|(id, name)| {
            let a = id.index();
            Character {
                name: name.clone(),
                agent: id.0,
                role: pop.role.get(a).map_or("", |r| r.as_str()),
                fate: Fate::Survived,
                fate_tick: pop.fate_tick.get(a).copied().unwrap_or(0),
                place: pop
                    .place
                    .get(a)
                    .map_or("", |p| place_name(world, p.0))
                    .to_owned(),
                fate_by: None,
                fate_by_agent: None,
                deployed: None,
                bitten: None,
                turned: None,
                hambie: false,
                bites: 0,
                kills: 0,
                story: String::new(),
            }
        })
        .collect();
    let mut end: Vec<Option<(EventKind, Moment)>> = vec![None; chars.len()];
    let mut cured = vec![false; chars.len()];
    let moment = |e: &Event, by: Option<Who>| Moment {
        tick: e.tick,
        place: e.place.0,
        by,
    };
    for e in rec.events() {
        if let Some(&k) = e.other.get().and_then(|o| slot.get(&o)) {
            match e.kind {
                EventKind::Bite => chars[k].bites += 1,
                EventKind::Destroyed => chars[k].kills += 1,
                _ => {}
            }
        }
        let Some(&k) = slot.get(&e.agent.0) else {
            continue;
        };
        let c = &mut chars[k];
        match e.kind {
            EventKind::Deploy => {
                c.deployed.get_or_insert_with(|| moment(e, None));
            }
            EventKind::Bite => {
                c.bitten
                    .get_or_insert_with(|| moment(e, Some(Who::of(e.other.0, pop, &names))));
            }
            EventKind::Turn | EventKind::TurnHambie if c.turned.is_none() => {
                c.turned = Some(moment(e, None));
                c.hambie = e.kind == EventKind::TurnHambie;
            }
            EventKind::Cure => cured[k] = true,
            EventKind::Destroyed => {
                end[k] = Some((e.kind, moment(e, Some(Who::of(e.other.0, pop, &names)))))
            }
            EventKind::Rescue
            | EventKind::StrikeDeath
            | EventKind::NaturalDeath
            | EventKind::QuarantineDeath
            | EventKind::Eradicated
            | EventKind::Quarantine
            | EventKind::LeaveMap => end[k] = Some((e.kind, moment(e, None))),
            _ => {}
        }
    }
    for (k, c) in chars.iter_mut().enumerate() {
        let health = pop
            .health
            .get(c.agent as usize)
            .copied()
            .unwrap_or(Health::Susceptible);
        let last = end[k].as_ref();
        c.fate = match health {
            Health::Susceptible if cured[k] => Fate::Cured,
            Health::Susceptible => Fate::Survived,
            Health::Infected => Fate::Infected,
            Health::Zombie => Fate::Turned,
            Health::Hambie => Fate::Hambie,
            Health::Rescued => Fate::Rescued,
            Health::Quarantined => Fate::Quarantined,
            Health::Reserve if c.deployed.is_some() => Fate::Withdrew,
            Health::Reserve => Fate::Reserve,
            Health::Dead => match last.map(|l| l.0) {
                Some(EventKind::Destroyed | EventKind::Eradicated) => Fate::Destroyed,
                Some(EventKind::StrikeDeath) if c.turned.is_some() => Fate::Destroyed,
                Some(EventKind::StrikeDeath) => Fate::Killed,
                _ => Fate::Died,
            },
        };
        // The tick of the fate: when it came, or, for those still as they are, the end.
        c.fate_tick = match c.fate {
            Fate::Destroyed | Fate::Killed | Fate::Died | Fate::Rescued | Fate::Withdrew => {
                last.map_or(c.fate_tick, |l| l.1.tick)
            }
            _ => rec.ticks().last().copied().unwrap_or(0),
        };
        if let Some((kind, m)) = last.filter(|_| health == Health::Dead) {
            c.fate_by = match kind {
                EventKind::Destroyed => m.by.as_ref().map(Who::describe),
                EventKind::StrikeDeath => Some("a strike".into()),
                EventKind::Eradicated => Some("an eradication".into()),
                _ => None,
            };
            c.fate_by_agent = m.by.as_ref().map(|w| w.agent);
        }
        c.story = story(c, last.map(|l| &l.1), world, &clock, rec.tick_minutes());
    }
    chars
}

/// The story of a character in one sentence.
fn story(
    c: &Character,
    end: Option<&Moment>,
    world: &World,
    clock: &Clock,
    tick_minutes: f64,
) -> String {
    let t = |tick: u32| when(clock, f64::from(tick) * tick_minutes);
    let there = |m: &Moment| at_place(world, m.place);
    let mut parts: Vec<String> = Vec::new();
    if let Some(d) = &c.deployed {
        parts.push(format!("deployed at {} {}", t(d.tick), there(d)));
    }
    if c.kills > 0 && c.bitten.is_none() {
        parts.push(destroyed_count(c.kills));
    }
    if let Some(b) = &c.bitten {
        if c.kills > 0 {
            parts.push(destroyed_count(c.kills));
        }
        let by =
            b.by.as_ref()
                .map(Who::describe)
                .unwrap_or_else(|| "a zombie".into());
        parts.push(format!("bitten by {by} at {} {}", t(b.tick), there(b)));
    }
    if let Some(turn) = &c.turned {
        if c.hambie {
            parts.push(format!(
                "turned into a hambie (a half-zombie who keeps their mind) at {}",
                t(turn.tick)
            ));
        } else {
            parts.push(format!("turned at {}", t(turn.tick)));
        }
    }
    if c.bites > 0 {
        parts.push(match c.bites {
            1 => "bit one person".into(),
            n => format!("bit {n} people"),
        });
    }
    let at = |m: &Moment| format!("at {} {}", t(m.tick), there(m));
    parts.push(match (c.fate, end) {
        (Fate::Survived, _) if c.bitten.is_none() => {
            format!("never bitten; alive at the end in {}", c.place)
        }
        (Fate::Survived, _) => format!("alive at the end in {}", c.place),
        (Fate::Cured, _) => format!("cured, alive at the end in {}", c.place),
        (Fate::Rescued, Some(m)) => format!("rescued {}", at(m)),
        (Fate::Infected, _) => format!("still turning at the end, in {}", c.place),
        (Fate::Turned, _) => format!("still a zombie at the end, in {}", c.place),
        (Fate::Hambie, _) => format!("a hambie at the end, in {}", c.place),
        (Fate::Destroyed | Fate::Killed, Some(m)) => {
            let verb = if c.fate == Fate::Killed {
                "killed"
            } else {
                "destroyed"
            };
            format!(
                "{verb} by {} {}",
                c.fate_by.clone().unwrap_or_else(|| "someone".into()),
                at(m)
            )
        }
        (Fate::Died, Some(m)) => format!("died {}", at(m)),
        (Fate::Quarantined, _) => format!("in quarantine at the end, in {}", c.place),
        (Fate::Reserve, _) => "held in reserve off the map; never deployed".into(),
        (Fate::Withdrew, Some(m)) => format!("withdrew with the squad and left the map {}", at(m)),
        (_, None) => format!("{} at the end, in {}", c.fate.as_str(), c.place),
    });
    let mut s = parts.join("; ");
    if let Some(first) = s.get(..1) {
        s = first.to_uppercase() + &s[1..];
    }
    s.push('.');
    s
}

fn destroyed_count(n: u32) -> String {
    match n {
        1 => "destroyed one zombie".into(),
        n => format!("destroyed {n} zombies"),
    }
}
