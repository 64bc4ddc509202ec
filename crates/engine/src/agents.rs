//! The population: one column per attribute, indexed by [`AgentId`]. Agents are never
//! removed; every change of fate is a change of [`Health`].

use crate::ids::{AgentId, GroupId, PlaceId, ZoneId, NONE};
use serde::{Deserialize, Serialize};

/// Health states. Their sum over agents is always the population.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum Health {
    /// A healthy human, who can be bitten.
    Susceptible = 0,
    /// Bitten, turning at its `turn_tick`.
    Infected = 1,
    /// Turned: follows the loudest noise it hears, bites the susceptible, and can be
    /// destroyed.
    Zombie = 2,
    /// Half-zombie: keeps its mind, immune, ignored by zombies, a strong fighter.
    Hambie = 3,
    /// Killed: a destroyed zombie, a victim of a strike, a quarantined person removed, a
    /// natural death. The dead may rise as zombies (`rise_rate_per_hour`).
    Dead = 4,
    /// Evacuated out of the world.
    Rescued = 5,
    /// Held in quarantine (Munz's Q): out of every encounter until removed (dead).
    Quarantined = 6,
    /// A fighter of a squad held off the map: not yet deployed, or withdrawn with the
    /// squad. Healthy, but no civilian: out of every encounter, and counted apart from the
    /// susceptible so that those are the people at risk.
    Reserve = 7,
}

/// Number of health states.
pub const STATES: usize = 8;

impl Health {
    /// All states, in column order of the time series.
    pub const ALL: [Health; STATES] = [
        Health::Susceptible,
        Health::Infected,
        Health::Zombie,
        Health::Hambie,
        Health::Dead,
        Health::Rescued,
        Health::Quarantined,
        Health::Reserve,
    ];
    /// The lowercase name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Health::Susceptible => "susceptible",
            Health::Infected => "infected",
            Health::Zombie => "zombie",
            Health::Hambie => "hambie",
            Health::Dead => "dead",
            Health::Rescued => "rescued",
            Health::Quarantined => "quarantined",
            Health::Reserve => "reserve",
        }
    }
    /// Off the map: the evacuated and fighters in reserve. They count in the world's totals
    /// but in no place's or zone's tally (they are out of the world).
    #[inline]
    pub fn off_map(self) -> bool {
        matches!(self, Health::Rescued | Health::Reserve)
    }
    /// A person with a human mind who moves, hides and flees.
    #[inline]
    pub fn is_human(self) -> bool {
        matches!(
            self,
            Health::Susceptible | Health::Infected | Health::Hambie
        )
    }
}

/// What a person does in the world. A label the outputs report with the fates; how a
/// person behaves follows from their traits and mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum Role {
    /// Anyone who is not a student, a fighter or a medic: staff, workers, residents.
    Civilian,
    /// A student of the school or the university.
    Student,
    /// Soldier, police officer or NIS agent.
    Fighter,
    /// A doctor, a nurse or another carer of the sick.
    Medic,
}

impl Role {
    /// The lowercase name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Civilian => "civilian",
            Role::Student => "student",
            Role::Fighter => "fighter",
            Role::Medic => "medic",
        }
    }
}

/// What a human is doing; zombies ignore it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum Mode {
    /// Unaware of the outbreak: follows the daily routine.
    Routine,
    /// Aware: flees, seeks rescue, fights.
    Alert,
    /// Behind a barricade, silent.
    Hiding,
    /// A fighter sweeping its task zone for zombies.
    Sweep,
    /// Not yet deployed, or withdrawn (off-map, health [`Health::Reserve`]).
    Reserve,
    /// A fighter whose squad fell below its withdrawal strength: heading back to the
    /// squad's entry, where the healthy leave the map.
    Withdraw,
}

impl Mode {
    /// A deployed fighter's: sweeping with its squad, or withdrawing with it.
    #[inline]
    pub fn in_squad(self) -> bool {
        matches!(self, Mode::Sweep | Mode::Withdraw)
    }
}

/// Per-person traits.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Traits {
    /// Walking speed in metres per second: the pace of a daily routine.
    pub walk_mps: f32,
    /// Running speed in metres per second: the pace of an aware person (fleeing, heading
    /// for rescue, sweeping).
    pub run_mps: f32,
    /// Fighting skill: 1 for an average person.
    pub fight: f32,
    /// 0 (loud) to 1 (silent): a factor `1 - stealth` on the noise this person makes.
    pub stealth: f32,
}

/// Bits of the `flags` column: facts about a person's history.
pub mod flags {
    /// Was ever in a group.
    pub const GROUPED: u16 = 1;
    /// Ever hid behind a barricade with at least one other person.
    pub const HID_IN_GROUP: u16 = 2;
    /// Ever saw a zombie in or next to their place.
    pub const THREATENED: u16 = 4;
    /// Ever hid behind a barricade alone.
    pub const HID_ALONE: u16 = 8;
    /// Was turned away at a rescue point, bitten (counted once by that point's order).
    pub const TURNED_AWAY: u16 = 16;
    /// Reached a sounding lure as a zombie (counted once by that lure's order).
    pub const LURED: u16 = 32;
    /// On a routine trip not yet arrived (see [`crate::state::Trips`]).
    pub const ON_TRIP: u16 = 64;
    /// Walking to an open rescue point, not yet at one (see [`crate::state::Trips`]).
    pub const ON_FLIGHT: u16 = 128;
    /// Sheltered, aware, while rescue points were open but none could be reached from where
    /// they were (counted once, see [`crate::state::Trips::flight_unreachable`]).
    pub const NO_WAY_TO_RESCUE: u16 = 256;
    /// A deployed fighter on the way into their squad's zone, or withdrawing to its entry,
    /// not yet there (see [`crate::state::Trips::squad_started`]).
    pub const ON_SQUAD_TRIP: u16 = 512;
}

/// Number of routine anchors (home, morning, lunch, afternoon).
pub const ANCHORS: usize = 4;

/// The population's columns.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Population {
    /// Where each person is (while on a way, the place they are walking from).
    pub place: Vec<PlaceId>,
    /// Each person's state in the outbreak; the counts always sum to the population.
    pub health: Vec<Health>,
    /// What each person does in the world (reported with a named character's fate).
    pub role: Vec<Role>,
    /// What each human is doing (everyone else is kept `Alert`).
    pub mode: Vec<Mode>,
    /// Group (`GroupId::NONE`: in none).
    pub group: Vec<GroupId>,
    /// Each person's speeds, fighting skill and stealth.
    pub traits: Vec<Traits>,
    /// Tick of the bite, or `NONE`.
    pub bitten_tick: Vec<u32>,
    /// Tick at which an infected person turns.
    pub turn_tick: Vec<u32>,
    /// Tick of the last change of health.
    pub fate_tick: Vec<u32>,
    /// Place the person is walking to (`PlaceId::NONE`: not on a way).
    pub heading: Vec<PlaceId>,
    /// Metres walked so far along the way to `heading` (0 when not on a way).
    pub progress_m: Vec<f32>,
    /// Routine anchors: places for home, morning, lunch and afternoon (a squad's fighter's
    /// are all the off-map staging place it waits at, and goes back to).
    pub anchors: Vec<[PlaceId; ANCHORS]>,
    /// Task zone of a fighter (`ZoneId::NONE`: none).
    pub task: Vec<ZoneId>,
    /// Facts about each person's history, as bits of [`flags`].
    pub flags: Vec<u16>,
    /// Named characters, in the order they were named.
    pub names: Vec<(AgentId, String)>,
}

impl Population {
    /// Number of agents.
    pub fn len(&self) -> usize {
        self.health.len()
    }
    /// Whether there are no agents.
    pub fn is_empty(&self) -> bool {
        self.health.is_empty()
    }
    /// Adds one agent and returns its id.
    pub fn push(&mut self, spec: AgentSpec) -> AgentId {
        let id = AgentId(self.len() as u32);
        self.place.push(spec.place);
        self.health.push(spec.health);
        self.role.push(spec.role);
        self.mode.push(spec.mode);
        self.group.push(GroupId::NONE);
        self.traits.push(spec.traits);
        self.bitten_tick.push(NONE);
        self.turn_tick.push(NONE);
        self.fate_tick.push(0);
        self.heading.push(PlaceId::NONE);
        self.progress_m.push(0.0);
        self.anchors
            .push(spec.anchors.unwrap_or([spec.place; ANCHORS]));
        self.task.push(ZoneId::NONE);
        self.flags.push(0);
        if let Some(name) = spec.name {
            self.names.push((id, name));
        }
        id
    }
    /// The name of an agent, if it is a named character.
    pub fn name_of(&self, a: AgentId) -> Option<&str> {
        self.names
            .iter()
            .find(|(id, _)| *id == a)
            .map(|(_, n)| n.as_str())
    }
    /// Counts of each health state, in [`Health::ALL`] order.
    pub fn census(&self) -> [u64; STATES] {
        let mut c = [0u64; STATES];
        for &h in &self.health {
            c[h as usize] += 1;
        }
        c
    }
}

/// One agent as a population builder describes it.
#[derive(Clone, Debug)]
pub struct AgentSpec {
    /// Where the person starts.
    pub place: PlaceId,
    /// Health at the start (an infected person's latent time is drawn at tick 0).
    pub health: Health,
    /// What the person does in the world.
    pub role: Role,
    /// What the person is doing at the start (`Reserve` for a squad's fighters, off the map,
    /// with health [`Health::Reserve`]).
    pub mode: Mode,
    /// Speeds, fighting skill and stealth.
    pub traits: Traits,
    /// Routine places for home, morning, lunch and afternoon (`None`: all four at `place`).
    pub anchors: Option<[PlaceId; ANCHORS]>,
    /// The name of a named character, whose fate is reported by name; `None` for everyone
    /// else.
    pub name: Option<String>,
}
