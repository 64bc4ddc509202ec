//! The raw scenario: a struct that mirrors the TOML file key for key. Unknown keys are
//! errors; units are in key names. Nothing here is checked beyond types: see
//! [`crate::validate`].

use serde::{Deserialize, Serialize};

/// A whole scenario file.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub run: RawRun,
    pub world: RawWorld,
    pub population: RawPopulation,
    #[serde(default)]
    pub virus: RawVirus,
    #[serde(default)]
    pub behaviour: RawBehaviour,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authorities: Vec<RawOrder>,
}

/// `[run]`
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawRun {
    pub seed: Option<u64>,
    pub tick_minutes: Option<f64>,
    pub duration_hours: Option<f64>,
    /// Hour of the day at the start (0–24).
    pub start_hour: Option<f64>,
    /// Write a replay of every person's place and state (`replay/`).
    pub record: Option<bool>,
    /// Record only the people in these zones (implies `record`).
    pub record_zones: Option<Vec<String>>,
}

/// `[world]`: the generator and its settings.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawWorld {
    pub generator: String,
    // campus
    pub academic_buildings: Option<u32>,
    pub floors: Option<u32>,
    pub rooms_per_floor: Option<u32>,
    pub dormitories: Option<u32>,
    pub dorm_floors: Option<u32>,
    pub dorm_rooms_per_floor: Option<u32>,
    pub path_spacing_m: Option<f64>,
    pub reference_capacity: Option<f64>,
    pub door_strength_zombie_hours: Option<f64>,
    // lattice and city
    pub side: Option<u32>,
    pub spacing_m: Option<f64>,
    pub rooms_per_building: Option<u32>,
    // well-mixed
    pub contact_scale: Option<f64>,
    // school
    pub classrooms_per_floor: Option<u32>,
    pub town_side: Option<u32>,
    // city of districts
    pub districts: Option<String>,
    pub people_per_block: Option<u32>,
    pub commuter_fraction: Option<f64>,
    pub student_fraction: Option<f64>,
    pub campus_district: Option<String>,
    pub city_name: Option<String>,
    // lattice
    pub neighbour_contact: Option<bool>,
    // osm
    pub path: Option<String>,
    pub walkable: Option<Vec<String>>,
    pub people_per_100m2: Option<f64>,
}

impl RawWorld {
    /// The settings given, by name (not `generator`).
    pub fn settings(&self) -> Vec<&'static str> {
        [
            ("academic_buildings", self.academic_buildings.is_some()),
            ("floors", self.floors.is_some()),
            ("rooms_per_floor", self.rooms_per_floor.is_some()),
            ("dormitories", self.dormitories.is_some()),
            ("dorm_floors", self.dorm_floors.is_some()),
            ("dorm_rooms_per_floor", self.dorm_rooms_per_floor.is_some()),
            ("path_spacing_m", self.path_spacing_m.is_some()),
            ("reference_capacity", self.reference_capacity.is_some()),
            (
                "door_strength_zombie_hours",
                self.door_strength_zombie_hours.is_some(),
            ),
            ("side", self.side.is_some()),
            ("spacing_m", self.spacing_m.is_some()),
            ("rooms_per_building", self.rooms_per_building.is_some()),
            ("contact_scale", self.contact_scale.is_some()),
            ("classrooms_per_floor", self.classrooms_per_floor.is_some()),
            ("town_side", self.town_side.is_some()),
            ("districts", self.districts.is_some()),
            ("people_per_block", self.people_per_block.is_some()),
            ("commuter_fraction", self.commuter_fraction.is_some()),
            ("student_fraction", self.student_fraction.is_some()),
            ("campus_district", self.campus_district.is_some()),
            ("city_name", self.city_name.is_some()),
            ("neighbour_contact", self.neighbour_contact.is_some()),
            ("path", self.path.is_some()),
            ("walkable", self.walkable.is_some()),
            ("people_per_100m2", self.people_per_100m2.is_some()),
        ]
        .into_iter()
        .filter(|k| k.1)
        .map(|k| k.0)
        .collect()
    }
}

/// `[population]`
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawPopulation {
    pub size: Option<u64>,
    pub scale: Option<f64>,
    pub initial_zombies: Option<u64>,
    pub initial_infected: Option<u64>,
    /// The place where the outbreak starts.
    pub outbreak_place: Option<String>,
    pub staff_fraction: Option<f64>,
    pub dorm_fraction: Option<f64>,
    /// School worlds: the fraction of people who live and work in the town.
    pub town_fraction: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub characters: Vec<RawCharacter>,
}

/// `[[population.characters]]`
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawCharacter {
    pub name: String,
    pub role: Option<String>,
    /// Where the character is at the start (default: where their routine puts them).
    pub place: Option<String>,
    /// Health at the start: `susceptible` (default), `infected`, `zombie` or `hambie`.
    pub health: Option<String>,
    pub walk_mps: Option<f64>,
    pub run_mps: Option<f64>,
    pub fight: Option<f64>,
    pub stealth: Option<f64>,
    /// Name of a squad (a `squad` order's `squad`) the character serves in.
    pub squad: Option<String>,
}

/// `[virus]`
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawVirus {
    pub bite_rate_per_hour: Option<f64>,
    pub kill_rate_per_hour: Option<f64>,
    pub rise_rate_per_hour: Option<f64>,
    pub death_rate_per_hour: Option<f64>,
    pub hambie_fraction: Option<f64>,
    pub latent: Option<RawLatent>,
}

/// `virus.latent`
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawLatent {
    pub distribution: String,
    pub minutes: Option<f64>,
    pub mean_minutes: Option<f64>,
    pub median_minutes: Option<f64>,
    pub sigma: Option<f64>,
    pub shape: Option<f64>,
}

/// `[behaviour]`
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawBehaviour {
    pub hearing_range_m: Option<f64>,
    pub wake_threshold: Option<f64>,
    pub human_noise: Option<f64>,
    pub night_noise_factor: Option<f64>,
    pub group_noise: Option<f64>,
    pub hide_noise: Option<f64>,
    pub fight_noise: Option<f64>,
    pub sight_day: Option<f64>,
    pub sight_night: Option<f64>,
    pub zombie_speed_mps: Option<f64>,
    pub zombie_wander: Option<f64>,
    pub max_group_size: Option<u32>,
    pub group_fight_bonus: Option<f64>,
    pub barricade_full_group: Option<u32>,
    pub fight_ratio: Option<f64>,
    pub alert_spread_per_hour: Option<f64>,
    pub group_join_per_hour: Option<f64>,
    pub rescue_reach_m: Option<f64>,
    pub stand_ground: Option<bool>,
    /// Which routine anchor (0 home, 1 morning, 2 lunch, 3 afternoon) each hour uses.
    pub schedule: Option<Vec<u8>>,
}

/// `[[authorities]]`: one order.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawOrder {
    pub action: String,
    pub label: Option<String>,
    pub at_hours: Option<f64>,
    pub when: Option<RawTrigger>,
    pub delay_hours: Option<f64>,
    pub zone: Option<String>,
    pub place: Option<String>,
    pub leak_per_hour: Option<f64>,
    pub loudness: Option<f64>,
    pub duration_hours: Option<f64>,
    pub kill_fraction: Option<f64>,
    /// Throughput of a rescue point.
    pub people_per_hour: Option<f64>,
    pub squad: Option<String>,
    pub size: Option<u32>,
    pub entry: Option<String>,
    /// Quarantine (Munz's κ, σ, γ) and cure (c) rates.
    pub infected_per_hour: Option<f64>,
    pub zombies_per_hour: Option<f64>,
    pub removal_per_hour: Option<f64>,
    pub cure_per_hour: Option<f64>,
}

impl RawOrder {
    /// The settings given, by name (not `action`, `label` or the trigger).
    pub fn settings(&self) -> Vec<&'static str> {
        [
            ("zone", self.zone.is_some()),
            ("place", self.place.is_some()),
            ("leak_per_hour", self.leak_per_hour.is_some()),
            ("loudness", self.loudness.is_some()),
            ("duration_hours", self.duration_hours.is_some()),
            ("kill_fraction", self.kill_fraction.is_some()),
            ("people_per_hour", self.people_per_hour.is_some()),
            ("squad", self.squad.is_some()),
            ("size", self.size.is_some()),
            ("entry", self.entry.is_some()),
            ("infected_per_hour", self.infected_per_hour.is_some()),
            ("zombies_per_hour", self.zombies_per_hour.is_some()),
            ("removal_per_hour", self.removal_per_hour.is_some()),
            ("cure_per_hour", self.cure_per_hour.is_some()),
        ]
        .into_iter()
        .filter(|k| k.1)
        .map(|k| k.0)
        .collect()
    }
}

/// `when = { zone = "...", state = "zombie", at_least = 100 }`
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawTrigger {
    pub zone: String,
    pub state: String,
    pub at_least: u64,
}
