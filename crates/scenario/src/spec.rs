//! A checked scenario: what [`validate`](crate::validate) makes of the file and what
//! [`build`](crate::build) turns into a simulation. Every value here is in range and every
//! default filled in; places and zones are still named, as they resolve only against the
//! generated world.

use crate::raw::RawScenario;
use crate::source::Source;
use outbreak_engine::params::Params;
use outbreak_engine::prelude::{Health, Role};
use outbreak_world::campus::CampusParams;
use outbreak_world::districts::{District, DistrictParams};
use outbreak_world::osm::OsmParams;
use outbreak_world::people::TraitSpread;
use outbreak_world::school::SchoolParams;

/// A checked scenario, ready to build.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// `name`, or the file's name.
    pub name: String,
    /// The file as run: the raw scenario with overrides applied and the seed filled in.
    pub raw: RawScenario,
    /// The world to generate.
    pub world: WorldSpec,
    /// Number of ordinary people (after `population.scale`).
    pub people: u64,
    /// Who they are and where the outbreak starts, and the named characters.
    pub population: PopulationSpec,
    /// The authorities' timeline, in file order.
    pub orders: Vec<OrderSpec>,
    /// Things that are allowed but probably not meant, each a sentence naming the key
    /// (orders timed after the end of the run).
    pub warnings: Vec<String>,
    /// The run, the virus and behaviour, as the engine takes them.
    pub params: Params,
    /// Whom the run's replay records: `None` for no replay, an empty list for everyone,
    /// else the people in these zones (`run.record`, `run.record_zones`).
    pub record: Option<Vec<String>>,
    pub(crate) source: Source,
}

/// The world a scenario asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum WorldSpec {
    /// A university campus.
    Campus(CampusParams),
    /// Hyosan High School and its town.
    School(SchoolParams),
    /// An OpenStreetMap extract: its bytes, where they came from, and the import settings.
    Osm {
        /// The `.osm.pbf` file's bytes.
        pbf: std::sync::Arc<Vec<u8>>,
        /// `world.path` as given.
        path: String,
        /// How the extract is imported.
        params: OsmParams,
    },
    /// A city of districts (`[world] districts = ...`).
    Districts {
        /// The districts read from their CSV.
        districts: Vec<District>,
        /// How each district is laid out.
        params: DistrictParams,
    },
    /// One place where everyone meets everyone.
    WellMixed {
        /// The place's contact scale.
        contact_scale: f64,
    },
    /// A square lattice, one person a site.
    Lattice {
        /// Sites along each side.
        side: u32,
        /// Distance between neighbouring sites.
        spacing_m: f64,
        /// Whether neighbouring sites meet as one place does.
        neighbour_contact: bool,
    },
    /// A street grid with a building at each crossing.
    City {
        /// Crossings along each side.
        side: u32,
        /// Rooms in each building.
        rooms_per_building: u32,
        /// Distance between crossings.
        spacing_m: f64,
    },
}

/// `[population]` besides its size: the outbreak, how campus and school people divide into
/// roles, and the named characters.
#[derive(Clone, Debug, PartialEq)]
pub struct PopulationSpec {
    /// Zombies at the outbreak place at the start (the first ordinary people).
    pub initial_zombies: u64,
    /// Bitten people at the outbreak place at the start (the next ones).
    pub initial_infected: u64,
    /// Where the outbreak starts; `None`: the generator's own place.
    pub outbreak_place: Option<String>,
    /// Campus and school: the fraction of people who are staff.
    pub staff_fraction: f64,
    /// Campus: the fraction of students who live in the dormitories, as beds allow.
    pub dorm_fraction: f64,
    /// School: the fraction of people who live and work in the town.
    pub town_fraction: f64,
    /// How ordinary people's traits are set (drawn per person, or all the same).
    pub traits: TraitSpread,
    /// The named characters, in file order (they come after the ordinary people).
    pub characters: Vec<CharacterSpec>,
}

/// One named character. Traits left out are drawn as for anyone.
#[derive(Clone, Debug, PartialEq)]
pub struct CharacterSpec {
    /// The name their fate is reported by.
    pub name: String,
    /// `None`: the role their routine gives them.
    pub role: Option<Role>,
    /// Where they are at the start; `None`: where their routine puts them.
    pub place: Option<String>,
    /// Health at the start.
    pub health: Health,
    /// Walking speed, m/s.
    pub walk_mps: Option<f64>,
    /// Running speed, m/s.
    pub run_mps: Option<f64>,
    /// Fighting skill (1 is an ordinary person's).
    pub fight: Option<f64>,
    /// How much quieter than an ordinary person (0–1).
    pub stealth: Option<f64>,
    /// The squad they serve in: off the map, a healthy fighter, until it is deployed.
    pub squad: Option<String>,
}

/// One order of the timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct OrderSpec {
    /// Its name in the event log (given, or the action and its target).
    pub label: String,
    /// When it fires.
    pub trigger: TriggerSpec,
    /// What it does.
    pub action: ActionSpec,
}

/// When an order fires.
#[derive(Clone, Debug, PartialEq)]
pub enum TriggerSpec {
    /// At the end of this tick.
    At {
        /// The tick (0: before the first).
        tick: u32,
    },
    /// `delay_ticks` after the count of `health` in the zone first reaches `at_least`.
    ZoneCount {
        /// The zone counted.
        zone: String,
        /// The state counted.
        health: Health,
        /// The threshold.
        at_least: u64,
        /// Ticks from the threshold to the order.
        delay_ticks: u32,
    },
}

/// What an order does, naming its places and zones (the engine's `Action` before names
/// are resolved; rates are per hour).
#[derive(Clone, Debug, PartialEq)]
pub enum ActionSpec {
    /// Close the ways across the zone's boundary.
    Cordon {
        /// The zone cordoned.
        zone: String,
        /// Rate at which each one pushing at the cordon gets through.
        leak_per_hour: f64,
    },
    /// Reopen the ways a cordon closed.
    LiftCordon {
        /// The zone cordoned.
        zone: String,
    },
    /// Open a rescue point, closed again `open_ticks` later when given.
    Rescue {
        /// The rescue point.
        place: String,
        /// People evacuated an hour at most.
        per_hour: f64,
        /// How long it stays open; `None`: until a `close-rescue` order.
        open_ticks: Option<u32>,
    },
    /// Close a rescue point.
    CloseRescue {
        /// The rescue point.
        place: String,
    },
    /// Sound a lure at a place.
    Lure {
        /// Where it sounds.
        place: String,
        /// Its loudness (one person is 1).
        loudness: f64,
        /// How long it sounds.
        duration_ticks: u32,
    },
    /// Deploy the squad of this name: its characters, then ordinary fighters up to `size`.
    Squad {
        /// The squad's name (its characters' `squad`).
        squad: String,
        /// Members in all.
        size: u32,
        /// Where it enters.
        entry: String,
        /// The zone it sweeps.
        zone: String,
        /// Fraction of the fighters deployed still fit to fight below which it withdraws.
        withdraw_below: f64,
    },
    /// Kill each person and zombie in the zone with a chance.
    Strike {
        /// The zone struck.
        zone: String,
        /// The chance each one dies.
        kill_fraction: f64,
    },
    /// Warn everyone in the zone.
    Alarm {
        /// The zone warned.
        zone: String,
    },
    /// Munz's quarantine, from then on.
    Quarantine {
        /// The zone, or everywhere when `None`.
        zone: Option<String>,
        /// κ: rate at which each infected person is taken in.
        infected_per_hour: f64,
        /// σ: rate at which each zombie is taken in.
        zombies_per_hour: f64,
        /// γ: rate at which each quarantined one is removed.
        removal_per_hour: f64,
    },
    /// Munz's treatment, from then on.
    Cure {
        /// The zone, or everywhere when `None`.
        zone: Option<String>,
        /// c: rate at which each zombie is cured.
        per_hour: f64,
    },
    /// Munz's impulsive eradication, once.
    Eradicate {
        /// The zone, or everywhere when `None`.
        zone: Option<String>,
        /// The chance each zombie is destroyed.
        kill_fraction: f64,
    },
}

impl Scenario {
    /// The same scenario under another seed, as `--set run.seed=SEED` would give.
    pub fn with_seed(&self, seed: u64) -> Scenario {
        let mut s = self.clone();
        s.params.run.seed = seed;
        s.raw.run.seed = Some(seed);
        s
    }

    /// The scenario as run, as TOML (seed included): running it again gives the same run.
    pub fn to_toml(&self) -> String {
        let head = format!(
            "# Scenario as run by outbreak {}.\n",
            env!("CARGO_PKG_VERSION")
        );
        head + &toml::to_string_pretty(&self.raw).unwrap_or_default()
    }
}
