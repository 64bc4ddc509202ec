//! The raw scenario: a struct that mirrors the TOML file key for key. Unknown keys are
//! errors; units are in key names. Nothing here is checked beyond types: see
//! [`crate::validate`]. Every key's range and default are listed in `docs/scenario.md`.

use serde::{Deserialize, Serialize};

/// A whole scenario file.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    /// Name of the scenario, the title of its pictures and report (absent: the file's
    /// name).
    pub name: Option<String>,
    /// One line saying what the scenario shows (printed in the report of a run or an
    /// ensemble).
    pub description: Option<String>,
    /// `[run]`: the seed and the clock.
    #[serde(default)]
    pub run: RawRun,
    /// `[world]`: the generator and its settings (required).
    pub world: RawWorld,
    /// `[population]`: who lives in the world (required).
    pub population: RawPopulation,
    /// `[virus]`: bites, kills, rising and turning.
    #[serde(default)]
    pub virus: RawVirus,
    /// `[behaviour]`: how people and zombies behave.
    #[serde(default)]
    pub behaviour: RawBehaviour,
    /// `[[authorities]]`: the authorities' timeline, in file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authorities: Vec<RawOrder>,
}

/// `[run]`
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawRun {
    /// The master seed: one seed fixes the run byte for byte (absent: 1; the scenario as
    /// run has it filled in).
    pub seed: Option<u64>,
    /// Simulated minutes a tick lasts (over 0, at most 60; absent: 1).
    pub tick_minutes: Option<f64>,
    /// Length of the run in simulated hours, a whole number of ticks (at most a year;
    /// absent: 48).
    pub duration_hours: Option<f64>,
    /// Hour of the day at the start (0–24).
    pub start_hour: Option<f64>,
    /// End the run once nothing can change anyone's state any more, before its duration
    /// (absent: false).
    pub stop_when_settled: Option<bool>,
    /// Write a replay of every person's place and state (`replay/`).
    pub record: Option<bool>,
    /// Record only the people in these zones (implies `record`).
    pub record_zones: Option<Vec<String>>,
}

/// `[world]`: the generator and its settings.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawWorld {
    /// The world generator: `campus`, `school`, `city`, `well-mixed`, `lattice` or `osm`. Each
    /// takes only its own settings below.
    pub generator: String,
    // campus
    /// Campus: academic halls (1–200).
    pub academic_buildings: Option<u32>,
    /// Campus: floors of each academic hall (1–60); school: floors of the main building
    /// (1–10).
    pub floors: Option<u32>,
    /// Campus: rooms on each floor of an academic hall (1–100).
    pub rooms_per_floor: Option<u32>,
    /// Campus: dormitory buildings (0–100).
    pub dormitories: Option<u32>,
    /// Campus: floors of each dormitory (1–60).
    pub dorm_floors: Option<u32>,
    /// Campus: two-person rooms on each floor of a dormitory (1–200).
    pub dorm_rooms_per_floor: Option<u32>,
    /// Campus: distance between neighbouring crossings of the footpath grid, metres.
    pub path_spacing_m: Option<f64>,
    /// Capacity of a place of contact scale 1: a place of capacity C has contact scale
    /// `min(1, reference_capacity / C)` (campus, school, osm, and a city of districts).
    pub reference_capacity: Option<f64>,
    /// Strength of an ordinary door barricaded by a full group, zombie-hours (campus,
    /// school, osm).
    pub door_strength_zombie_hours: Option<f64>,
    // lattice and city
    /// Grid city: crossings along each side (1–2000); lattice: sites along each side
    /// (1–4000).
    pub side: Option<u32>,
    /// City: distance between neighbouring crossings; lattice: between neighbouring sites;
    /// metres.
    pub spacing_m: Option<f64>,
    /// City: rooms in the building at each crossing (1–1000); even-numbered rooms are homes,
    /// odd-numbered ones workplaces.
    pub rooms_per_building: Option<u32>,
    // well-mixed
    /// Well-mixed: contact scale of the one place (1: rates as given).
    pub contact_scale: Option<f64>,
    // school
    /// School: classrooms on each floor that holds classes (1–30).
    pub classrooms_per_floor: Option<u32>,
    /// School: street crossings along each side of the town's grid (1–60).
    pub town_side: Option<u32>,
    // city of districts
    /// City: makes it a city of districts: `seoul` (Seoul's 25 districts, built in) or the
    /// path of a districts CSV, relative to the scenario file (the scenario as run holds
    /// the absolute path).
    pub districts: Option<String>,
    /// City of districts: residents per block, which sets each district's grid.
    pub people_per_block: Option<u32>,
    /// City of districts: fraction of workers whose workplace is in another district (0–1).
    pub commuter_fraction: Option<f64>,
    /// City of districts: fraction of the campus district's residents who study on its
    /// campus (0–1, at most as many as it has seats).
    pub student_fraction: Option<f64>,
    /// City of districts: the district that holds the university campus (absent:
    /// `Gwanak-gu`).
    pub campus_district: Option<String>,
    /// City of districts: name of the zone that holds the whole city (absent: `Seoul`).
    pub city_name: Option<String>,
    // lattice
    /// Lattice: whether humans and zombies on neighbouring sites meet as a pair in one place
    /// does (absent: yes); no: only within a site.
    pub neighbour_contact: Option<bool>,
    // osm
    /// Osm: the OpenStreetMap extract, `kotka-karhula` (built in) or the path of a
    /// `.osm.pbf` file, relative to the scenario file (the scenario as run holds the absolute
    /// path).
    pub path: Option<String>,
    /// Osm: the `highway=*` kinds people walk on; ways of other kinds are left out.
    pub walkable: Option<Vec<String>>,
    /// Osm: people a building holds per 100 m² of footprint, times `building:levels` where
    /// tagged (at least one a building).
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
    /// Ordinary people, before `scale` (required; 1 to 50 million after it). Named
    /// characters and squads come on top.
    pub size: Option<u64>,
    /// A factor on `size` (over 0, at most 1000; absent: 1), to run a large world at a
    /// fraction of its people.
    pub scale: Option<f64>,
    /// Zombies at the outbreak place at the start (absent: 1).
    pub initial_zombies: Option<u64>,
    /// Bitten people at the outbreak place at the start, who turn after their latent time
    /// (absent: 0).
    pub initial_infected: Option<u64>,
    /// The place where the outbreak starts.
    pub outbreak_place: Option<String>,
    /// Campus and school: fraction of people who are staff, in offices by day (0–1).
    pub staff_fraction: Option<f64>,
    /// Campus: fraction of students who live in the dormitories, as beds allow (0–1).
    pub dorm_fraction: Option<f64>,
    /// School worlds: the fraction of people who live and work in the town.
    pub town_fraction: Option<f64>,
    /// How ordinary people's traits are set: `varied` (drawn per person; the default) or
    /// `identical` (every one the middle of each range).
    pub traits: Option<String>,
    /// Named characters, reported by name, in file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub characters: Vec<RawCharacter>,
}

/// `[[population.characters]]`
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawCharacter {
    /// The name the character's fate is reported by (not empty, unique).
    pub name: String,
    /// Role: `civilian`, `student`, `fighter` or `medic` (absent: the routine's).
    pub role: Option<String>,
    /// Where the character is at the start (default: where their routine puts them).
    pub place: Option<String>,
    /// Health at the start: `susceptible` (default), `infected`, `zombie` or `hambie`.
    pub health: Option<String>,
    /// Walking speed, metres per second (0–15; absent: drawn as for anyone).
    pub walk_mps: Option<f64>,
    /// Running speed, metres per second (0–15; absent: drawn as for anyone).
    pub run_mps: Option<f64>,
    /// Fighting skill, where 1 is an ordinary person's (0–100; absent: drawn as for anyone).
    pub fight: Option<f64>,
    /// How much quieter than an ordinary person (0–1; absent: drawn as for anyone).
    pub stealth: Option<f64>,
    /// Name of a squad (a `squad` order's `squad`) the character serves in.
    pub squad: Option<String>,
}

/// `[virus]`
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawVirus {
    /// β: bites per zombie–susceptible pair per hour, at contact scale 1.
    pub bite_rate_per_hour: Option<f64>,
    /// κ (Munz's α): zombies destroyed per zombie–human pair per hour, for fighting skill 1.
    pub kill_rate_per_hour: Option<f64>,
    /// ζ: rate per hour at which each dead body rises as a zombie.
    pub rise_rate_per_hour: Option<f64>,
    /// δ: rate per hour at which each susceptible or infected person dies of other causes.
    pub death_rate_per_hour: Option<f64>,
    /// Fraction of the bitten who turn into hambies instead of zombies (0–1).
    pub hambie_fraction: Option<f64>,
    /// Minutes a zombie is busy with one bite (Holling's handling time; 0–60, absent: 1).
    pub bite_handling_minutes: Option<f64>,
    /// `virus.latent`: time from bite to turning (absent: lognormal, median 15 minutes,
    /// σ 1).
    pub latent: Option<RawLatent>,
}

/// `virus.latent`
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawLatent {
    /// `immediate` (turns in the tick of the bite), `fixed`, `exponential`, `lognormal` or
    /// `gamma`; each takes only its own parameters below.
    pub distribution: String,
    /// Fixed: the latent time, minutes.
    pub minutes: Option<f64>,
    /// Exponential (Munz's ρ = 1 / mean) and gamma: the mean, minutes.
    pub mean_minutes: Option<f64>,
    /// Lognormal: the median, minutes.
    pub median_minutes: Option<f64>,
    /// Lognormal: the standard deviation of the logarithm.
    pub sigma: Option<f64>,
    /// Gamma: the shape (Erlang when whole).
    pub shape: Option<f64>,
}

/// `[behaviour]`
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawBehaviour {
    /// Zombies hear noise up to this path distance, metres; loudness falls linearly to zero
    /// there.
    pub hearing_range_m: Option<f64>,
    /// A dormant zombie wakes when what it hears and sees reaches this level.
    pub wake_threshold: Option<f64>,
    /// Noise of one person going about their day.
    pub human_noise: Option<f64>,
    /// Factor on human noise at night (22:00–06:00), when people sleep.
    pub night_noise_factor: Option<f64>,
    /// Extra noise of each group member, as a fraction of one person's.
    pub group_noise: Option<f64>,
    /// Noise of a person hiding behind a barricade, as a fraction of one person's (0–1).
    pub hide_noise: Option<f64>,
    /// Noise of a fight, per zombie fought.
    pub fight_noise: Option<f64>,
    /// How strongly zombies perceive each person they can see in their own place, by day.
    pub sight_day: Option<f64>,
    /// The same by night.
    pub sight_night: Option<f64>,
    /// Zombies' speed, metres per second (0–15).
    pub zombie_speed_mps: Option<f64>,
    /// Chance per tick that an awake zombie with nothing to follow stumbles to a neighbouring
    /// place (0–1).
    pub zombie_wander: Option<f64>,
    /// Largest group survivors form (1: no groups).
    pub max_group_size: Option<u32>,
    /// Factor on each member's fighting skill in a group.
    pub group_fight_bonus: Option<f64>,
    /// Factor on each fighter's skill in a deployed squad of two or more.
    pub squad_fight_bonus: Option<f64>,
    /// People needed to barricade a door at full strength.
    pub barricade_full_group: Option<u32>,
    /// A group fights instead of fleeing when its strength is at least this many times the
    /// zombies present.
    pub fight_ratio: Option<f64>,
    /// Rate per hour at which each aware person alerts each unaware one in the same place.
    pub alert_spread_per_hour: Option<f64>,
    /// Rate per hour at which an aware person joins others in a place without zombies.
    pub group_join_per_hour: Option<f64>,
    /// Aware people walk to an open rescue point at most this far away (metres of path);
    /// farther, they shelter where they are.
    pub rescue_reach_m: Option<f64>,
    /// People stay where they are: no routine, no fleeing, hiding or walking to rescue; they
    /// fight what comes (Munz's and Alemi's static humans; absent: no).
    pub stand_ground: Option<bool>,
    /// People a passage (corridor, street, station) holds per metre of the nearer half of
    /// each of its ways, beyond its capacity (0–100).
    pub crowd_per_way_m: Option<f64>,
    /// Which routine anchor (0 home, 1 morning, 2 lunch, 3 afternoon) each hour uses.
    pub schedule: Option<Vec<u8>>,
}

/// `[[authorities]]`: one order.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawOrder {
    /// What the order does: `cordon`, `lift-cordon`, `rescue`, `close-rescue`, `lure`,
    /// `squad`, `strike`, `alarm`, `quarantine`, `cure` or `eradicate`. Each takes only its own
    /// settings below.
    pub action: String,
    /// Name of the order in the event log (absent: the action and its target).
    pub label: Option<String>,
    /// Fire this many hours after the start, at the end of the tick ending then (a whole
    /// number of ticks); either this or `when`.
    pub at_hours: Option<f64>,
    /// Fire when a count in a zone first reaches a threshold; either this or `at_hours`.
    pub when: Option<RawTrigger>,
    /// With `when`: fire this many hours after the threshold is reached (a whole number of
    /// ticks; absent: 0).
    pub delay_hours: Option<f64>,
    /// The zone acted on (cordon, lift-cordon, squad, strike, alarm; quarantine, cure and
    /// eradicate: everywhere when absent).
    pub zone: Option<String>,
    /// The place acted on (rescue, close-rescue, lure).
    pub place: Option<String>,
    /// Cordon: rate per hour at which each one pushing at it gets through (absent: 0).
    pub leak_per_hour: Option<f64>,
    /// Lure: its loudness (one person is 1; absent: 50).
    pub loudness: Option<f64>,
    /// Lure: how long it sounds (absent: 1); rescue: how long the point stays open (not
    /// with `when`; absent: until a `close-rescue`). A whole number of ticks.
    pub duration_hours: Option<f64>,
    /// Strike: the chance that each person and zombie in the zone dies (absent: 0.9);
    /// eradicate: that each zombie does (absent: 0.25).
    pub kill_fraction: Option<f64>,
    /// Throughput of a rescue point.
    pub people_per_hour: Option<f64>,
    /// Squad: its name, which characters give as their `squad`.
    pub squad: Option<String>,
    /// Squad: members in all, named characters first, then ordinary fighters (absent: 8).
    pub size: Option<u32>,
    /// Squad: the place where it enters the map.
    pub entry: Option<String>,
    /// Squad: it withdraws when fewer than this fraction of the fighters it deployed are
    /// still fit to fight (0–1; 0: never; absent: 0.5).
    pub withdraw_below: Option<f64>,
    /// Quarantine, Munz's κ: rate per hour at which each infected person is taken in (a
    /// quarantine needs at least one of its three rates).
    pub infected_per_hour: Option<f64>,
    /// Quarantine, Munz's σ: rate per hour at which each zombie is taken in.
    pub zombies_per_hour: Option<f64>,
    /// Quarantine, Munz's γ: rate per hour at which each quarantined one is removed (dies).
    pub removal_per_hour: Option<f64>,
    /// Cure, Munz's c: rate per hour at which each zombie is cured, becoming susceptible
    /// again (required).
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
            ("withdraw_below", self.withdraw_below.is_some()),
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
    /// The zone counted.
    pub zone: String,
    /// The state counted: `susceptible`, `infected`, `zombie`, `hambie`, `dead` or
    /// `quarantined` (the rescued and the reserve are off the map, in no zone).
    pub state: String,
    /// The threshold: the order fires (after `delay_hours`) when the count first reaches
    /// it.
    pub at_least: u64,
}
