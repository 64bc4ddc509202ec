//! Validation: from the raw file to typed settings, with every default stated here and
//! every range checked.

use crate::error::{ErrorKind, FileProblem, Limit, Missing, NotAllowed, ScenarioError, Unknown};
use crate::locate;
use crate::overrides::{self, Override};
use crate::raw::*;
use outbreak_engine::params::{BehaviourParams, Latent, Params, RunParams, VirusParams};
use outbreak_world::campus::CampusParams;
use outbreak_world::districts::{District, DistrictParams};
use outbreak_world::osm::OsmParams;
use outbreak_world::school::SchoolParams;

/// The world generators and the `[world]` settings each takes (besides `generator`).
pub const GENERATORS: &[(&str, &[&str])] = &[
    (
        "campus",
        &[
            "academic_buildings",
            "floors",
            "rooms_per_floor",
            "dormitories",
            "dorm_floors",
            "dorm_rooms_per_floor",
            "path_spacing_m",
            "reference_capacity",
            "door_strength_zombie_hours",
        ],
    ),
    (
        "school",
        &[
            "floors",
            "classrooms_per_floor",
            "town_side",
            "reference_capacity",
            "door_strength_zombie_hours",
        ],
    ),
    (
        "city",
        &[
            "side",
            "rooms_per_building",
            "spacing_m",
            "districts",
            "people_per_block",
            "reference_capacity",
            "commuter_fraction",
            "student_fraction",
            "campus_district",
            "city_name",
        ],
    ),
    ("well-mixed", &["contact_scale"]),
    ("lattice", &["side", "spacing_m", "neighbour_contact"]),
    (
        "osm",
        &[
            "path",
            "walkable",
            "people_per_100m2",
            "reference_capacity",
            "door_strength_zombie_hours",
        ],
    ),
];

/// The OpenStreetMap extract built in: `path = "kotka-karhula"` (Karhula, Kotka, Finland;
/// map data © OpenStreetMap contributors, ODbL).
pub const KOTKA: &[u8] = include_bytes!("../../../data/osm/kotka-karhula.osm.pbf");

/// The settings of the `city` generator that only a city of districts takes.
pub const DISTRICT_SETTINGS: [&str; 6] = [
    "people_per_block",
    "reference_capacity",
    "commuter_fraction",
    "student_fraction",
    "campus_district",
    "city_name",
];

/// The world a scenario asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum WorldSpec {
    Campus(CampusParams),
    School(SchoolParams),
    /// An OpenStreetMap extract: its bytes, where they came from, and the import settings.
    Osm {
        pbf: std::sync::Arc<Vec<u8>>,
        path: String,
        params: OsmParams,
    },
    /// A city of districts (`[world] districts = ...`).
    Districts {
        districts: Vec<District>,
        params: DistrictParams,
    },
    WellMixed {
        contact_scale: f64,
    },
    Lattice {
        side: u32,
        spacing_m: f64,
        neighbour_contact: bool,
    },
    City {
        side: u32,
        rooms_per_building: u32,
        spacing_m: f64,
    },
}

/// A checked scenario, ready to build.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub name: String,
    /// The file as run: the raw scenario with overrides applied and the seed filled in.
    pub raw: RawScenario,
    pub world: WorldSpec,
    /// Number of ordinary people (after `population.scale`).
    pub people: u64,
    /// Things that are allowed but probably not meant, each a sentence naming the key
    /// (orders timed after the end of the run).
    pub warnings: Vec<String>,
    pub params: Params,
    pub(crate) ctx: Ctx,
}

/// What error messages need to point at the source.
#[derive(Clone, Debug)]
pub(crate) struct Ctx {
    pub file: String,
    pub src: String,
    pub sets: Vec<Override>,
}

impl Ctx {
    pub fn error(&self, key: &str, kind: impl Into<ErrorKind>) -> ScenarioError {
        let kind = kind.into();
        match self
            .sets
            .iter()
            .rev()
            .find(|o| key == o.key || key.starts_with(&format!("{}.", o.key)))
        {
            Some(o) => ScenarioError::in_set(&self.file, &o.arg, key, kind),
            None => ScenarioError::in_file(
                &self.file,
                &self.src,
                locate::span_of(&self.src, key),
                key,
                kind,
            ),
        }
    }
}

impl Scenario {
    /// Reads a scenario from its text. `file` names it in messages; `sets` are `--set`
    /// arguments (`KEY=VALUE`) applied on top of the file.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(src: &str, file: &str, sets: &[String]) -> Result<Scenario, ScenarioError> {
        let whole = |e: toml::de::Error, kind: ErrorKind| {
            // A value of the wrong type: name its key, found from where it is.
            let key = e
                .span()
                .and_then(|s| locate::key_at(src, s.start))
                .unwrap_or_default();
            ScenarioError::in_file(file, src, e.span(), &key, kind)
        };
        let mut doc: toml::Value = toml::from_str(src).map_err(|e| {
            let kind = ErrorKind::Syntax {
                message: e.message().to_string(),
            };
            whole(e, kind)
        })?;
        // The file alone must be a scenario (read from the text, so errors know their line);
        // then each override in turn.
        toml::from_str::<RawScenario>(src).map_err(|e| {
            let kind = form_error(e.message());
            whole(e, kind)
        })?;
        let ctx0 = Ctx {
            file: file.into(),
            src: src.into(),
            sets: Vec::new(),
        };
        let mut parsed = Vec::new();
        for arg in sets {
            let o = overrides::parse(arg, file)?;
            overrides::apply(&mut doc, &o, file)?;
            read_raw(doc.clone(), &ctx0, Some(&o))?;
            parsed.push(o);
        }
        let ctx = Ctx {
            file: file.into(),
            src: src.into(),
            sets: parsed,
        };
        let raw = read_raw(doc, &ctx, None)?;
        validate(raw, ctx)
    }

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

fn read_raw(
    doc: toml::Value,
    ctx: &Ctx,
    set: Option<&Override>,
) -> Result<RawScenario, ScenarioError> {
    use serde::Deserialize;
    RawScenario::deserialize(doc).map_err(|e| {
        let kind = form_error(e.message());
        match set {
            Some(o) => ScenarioError::in_set(&ctx.file, &o.arg, &o.key, kind),
            None => ScenarioError::in_file(&ctx.file, &ctx.src, None, "", kind),
        }
    })
}

/// The parser's refusal of the file's form (serde's words) as a kind, with Rust's type
/// names said in words.
fn form_error(message: &str) -> ErrorKind {
    let mut message = message.to_string();
    for (rust, words) in [
        ("expected u64", "expected a whole number, 0 or more"),
        ("expected u32", "expected a whole number, 0 or more"),
        ("expected u8", "expected a whole number from 0 to 255"),
        ("expected f64", "expected a number"),
    ] {
        message = message.replace(rust, words);
    }
    if let Some(kind) = unknown_key(&message) {
        return kind;
    }
    if message.starts_with("invalid type: ") || message.starts_with("invalid value: ") {
        return ErrorKind::WrongType { message };
    }
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        return Missing::Field {
            field: field.into(),
        }
        .into();
    }
    ErrorKind::Malformed { message }
}

/// Serde's "unknown field `x`, expected one of `a`, `b`" taken apart, with the key the
/// unknown one is closest to. `None` for other messages, and for one that does not read
/// back the same (a key with a backtick in it).
fn unknown_key(message: &str) -> Option<ErrorKind> {
    let rest = message.strip_prefix("unknown field `")?;
    let (key, expected) = rest.split_once('`')?;
    let expected: Vec<String> = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    let suggestion = crate::error::nearest(key, expected.iter().map(String::as_str));
    let plain = ErrorKind::UnknownKey {
        key: key.into(),
        expected: expected.clone(),
        suggestion: None,
    };
    if plain.to_string() != message {
        return None;
    }
    Some(ErrorKind::UnknownKey {
        key: key.into(),
        suggestion: suggestion.map(str::to_string),
        expected,
    })
}

struct V<'a> {
    ctx: &'a Ctx,
}

impl V<'_> {
    /// `world.reference_capacity`, for the generators that take it.
    fn reference_capacity(&self, w: &RawWorld, default: f64) -> Result<f64, ScenarioError> {
        self.pos(
            "world.reference_capacity",
            w.reference_capacity,
            default,
            1e6,
        )
    }
    /// `world.door_strength_zombie_hours`, for the generators with barricadable doors.
    fn door_strength(&self, w: &RawWorld, default: f32) -> Result<f32, ScenarioError> {
        let key = "world.door_strength_zombie_hours";
        let x = self.num(
            key,
            w.door_strength_zombie_hours,
            f64::from(default),
            0.0,
            1e4,
        )?;
        Ok(x as f32)
    }
    fn num(
        &self,
        key: &str,
        v: Option<f64>,
        default: f64,
        lo: f64,
        hi: f64,
    ) -> Result<f64, ScenarioError> {
        let x = v.unwrap_or(default);
        if !x.is_finite() || x < lo || x > hi {
            return Err(self.ctx.error(
                key,
                Limit::Between {
                    value: x,
                    min: lo,
                    max: hi,
                },
            ));
        }
        Ok(x)
    }
    fn pos(&self, key: &str, v: Option<f64>, default: f64, hi: f64) -> Result<f64, ScenarioError> {
        let x = self.num(key, v, default, 0.0, hi)?;
        if x <= 0.0 {
            return Err(self.ctx.error(key, Limit::Positive { value: x, max: hi }));
        }
        Ok(x)
    }
    fn whole(
        &self,
        key: &str,
        v: Option<u32>,
        default: u32,
        lo: u32,
        hi: u32,
    ) -> Result<u32, ScenarioError> {
        let x = v.unwrap_or(default);
        if x < lo || x > hi {
            return Err(self.ctx.error(
                key,
                Limit::Between {
                    value: f64::from(x),
                    min: f64::from(lo),
                    max: f64::from(hi),
                },
            ));
        }
        Ok(x)
    }
}

const MAX_RATE: f64 = 1e6;
/// The most people a run may have (not counting characters and squads).
const MAX_PEOPLE: u64 = 50_000_000;
/// The most places a generated world may have (memory: about 100 bytes a place).
const MAX_PLACES: u64 = 20_000_000;

fn validate(mut raw: RawScenario, ctx: Ctx) -> Result<Scenario, ScenarioError> {
    let v = V { ctx: &ctx };
    // [run]
    let seed = raw.run.seed.unwrap_or(1);
    raw.run.seed = Some(seed);
    let tick_minutes = v.pos("run.tick_minutes", raw.run.tick_minutes, 1.0, 60.0)?;
    let duration_hours = v.pos(
        "run.duration_hours",
        raw.run.duration_hours,
        48.0,
        24.0 * 365.0,
    )?;
    let duration_ticks = whole_ticks(&ctx, "run.duration_hours", duration_hours, tick_minutes)?;
    let start_hour = v.num("run.start_hour", raw.run.start_hour, 10.0, 0.0, 24.0)?;
    // [world]
    let w = &raw.world;
    let generator = w.generator.as_str();
    let takes = GENERATORS
        .iter()
        .find(|g| g.0 == generator)
        .map(|g| g.1)
        .ok_or_else(|| {
            let names: Vec<&str> = GENERATORS.iter().map(|g| g.0).collect();
            ctx.error(
                "world.generator",
                Unknown::Choice {
                    what: "generator",
                    name: generator.into(),
                    allowed: names.join(", "),
                    suggestion: crate::error::nearest(generator, names.iter().copied())
                        .map(str::to_string),
                },
            )
        })?;
    if let Some(k) = w.settings().into_iter().find(|k| !takes.contains(k)) {
        return Err(ctx.error(
            &format!("world.{k}"),
            NotAllowed::GeneratorSetting {
                setting: k,
                generator: generator.into(),
                takes,
            },
        ));
    }
    // A districts file named by a relative path is recorded by its absolute path, so that
    // the scenario as run (written into the results folder) reads the same file.
    let mut districts_path = None;
    let mut osm_path = None;
    let world = match generator {
        "campus" => {
            let d = CampusParams::default();
            WorldSpec::Campus(CampusParams {
                academic_buildings: v.whole(
                    "world.academic_buildings",
                    w.academic_buildings,
                    d.academic_buildings,
                    1,
                    200,
                )?,
                floors: v.whole("world.floors", w.floors, d.floors, 1, 60)?,
                rooms_per_floor: v.whole(
                    "world.rooms_per_floor",
                    w.rooms_per_floor,
                    d.rooms_per_floor,
                    1,
                    100,
                )?,
                dormitories: v.whole("world.dormitories", w.dormitories, d.dormitories, 0, 100)?,
                dorm_floors: v.whole("world.dorm_floors", w.dorm_floors, d.dorm_floors, 1, 60)?,
                dorm_rooms_per_floor: v.whole(
                    "world.dorm_rooms_per_floor",
                    w.dorm_rooms_per_floor,
                    d.dorm_rooms_per_floor,
                    1,
                    200,
                )?,
                path_spacing_m: v.pos(
                    "world.path_spacing_m",
                    w.path_spacing_m,
                    d.path_spacing_m,
                    10_000.0,
                )?,
                reference_capacity: v.reference_capacity(w, d.reference_capacity)?,
                door_strength: v.door_strength(w, d.door_strength)?,
            })
        }
        "well-mixed" => WorldSpec::WellMixed {
            contact_scale: v.pos("world.contact_scale", w.contact_scale, 1.0, 1e6)?,
        },
        "lattice" => WorldSpec::Lattice {
            side: v.whole("world.side", w.side, 100, 1, 4000)?,
            spacing_m: v.pos("world.spacing_m", w.spacing_m, 2.0, 1e4)?,
            neighbour_contact: w.neighbour_contact.unwrap_or(true),
        },
        "osm" => {
            let d = OsmParams::default();
            let name = w.path.as_deref().ok_or_else(|| {
                ctx.error(
                    "world.path",
                    Missing::Setting {
                        what: "the `.osm.pbf` file to read (or `kotka-karhula`, the extract built in)",
                    },
                )
            })?;
            let (pbf, resolved) = read_pbf(&ctx, name)?;
            osm_path = resolved;
            let walkable = w.walkable.clone().unwrap_or(d.walkable);
            if walkable.is_empty() || walkable.iter().any(|k| k.trim().is_empty()) {
                return Err(ctx.error("world.walkable", Limit::HighwayKinds));
            }
            WorldSpec::Osm {
                pbf,
                path: name.to_string(),
                params: OsmParams {
                    walkable,
                    people_per_100m2: v.pos(
                        "world.people_per_100m2",
                        w.people_per_100m2,
                        d.people_per_100m2,
                        1e4,
                    )?,
                    reference_capacity: v.reference_capacity(w, d.reference_capacity)?,
                    door_strength: v.door_strength(w, d.door_strength)?,
                },
            }
        }
        "city" if w.districts.is_some() => {
            for k in ["side"] {
                if w.settings().contains(&k) {
                    return Err(ctx.error(
                        &format!("world.{k}"),
                        NotAllowed::GridCitySetting { setting: k },
                    ));
                }
            }
            let name = w.districts.as_deref().unwrap_or_default();
            let (districts, resolved) = read_districts(&ctx, name)?;
            districts_path = resolved;
            let d = DistrictParams::default();
            let fraction =
                |key: &str, x: Option<f64>, default: f64| v.num(key, x, default, 0.0, 1.0);
            WorldSpec::Districts {
                districts,
                params: DistrictParams {
                    people_per_block: v.whole(
                        "world.people_per_block",
                        w.people_per_block,
                        d.people_per_block,
                        1,
                        1_000_000,
                    )?,
                    rooms_per_building: v.whole(
                        "world.rooms_per_building",
                        w.rooms_per_building,
                        d.rooms_per_building,
                        1,
                        1000,
                    )?,
                    block_m: v.num(
                        "world.spacing_m",
                        w.spacing_m,
                        f64::from(d.block_m),
                        1.0,
                        1e4,
                    )? as f32,
                    reference_capacity: v.reference_capacity(w, d.reference_capacity)?,
                    commuter_fraction: fraction(
                        "world.commuter_fraction",
                        w.commuter_fraction,
                        d.commuter_fraction,
                    )?,
                    student_fraction: fraction(
                        "world.student_fraction",
                        w.student_fraction,
                        d.student_fraction,
                    )?,
                    campus_district: w.campus_district.clone().unwrap_or(d.campus_district),
                    city_name: w.city_name.clone().unwrap_or(d.city_name),
                },
            }
        }
        "city" => {
            for k in DISTRICT_SETTINGS {
                if w.settings().contains(&k) {
                    return Err(ctx.error(
                        &format!("world.{k}"),
                        NotAllowed::DistrictSetting { setting: k },
                    ));
                }
            }
            let side = v.whole("world.side", w.side, 50, 1, 2000)?;
            let rooms_per_building = v.whole(
                "world.rooms_per_building",
                w.rooms_per_building,
                20,
                1,
                1000,
            )?;
            let places = u64::from(side) * u64::from(side) * (u64::from(rooms_per_building) + 2);
            if places > MAX_PLACES {
                return Err(ctx.error(
                    "world.rooms_per_building",
                    Limit::TooManyPlaces {
                        side,
                        rooms_per_building,
                        places,
                        max: MAX_PLACES,
                    },
                ));
            }
            WorldSpec::City {
                side,
                rooms_per_building,
                spacing_m: v.pos("world.spacing_m", w.spacing_m, 100.0, 1e4)?,
            }
        }
        "school" => {
            let d = SchoolParams::default();
            WorldSpec::School(SchoolParams {
                floors: v.whole("world.floors", w.floors, d.floors, 1, 10)?,
                classrooms_per_floor: v.whole(
                    "world.classrooms_per_floor",
                    w.classrooms_per_floor,
                    d.classrooms_per_floor,
                    1,
                    30,
                )?,
                town_side: v.whole("world.town_side", w.town_side, d.town_side, 1, 60)?,
                reference_capacity: v.reference_capacity(w, d.reference_capacity)?,
                door_strength: v.door_strength(w, d.door_strength)?,
            })
        }
        _ => unreachable!("checked against GENERATORS above"),
    };
    // [population]
    let p = &raw.population;
    let size = p.size.ok_or_else(|| {
        ctx.error(
            "population.size",
            Missing::Setting {
                what: "how many people live in the world",
            },
        )
    })?;
    let scale = v.pos("population.scale", p.scale, 1.0, 1000.0)?;
    let people = (size as f64 * scale).round() as u64;
    if people == 0 {
        return Err(ctx.error("population.size", Limit::EmptyPopulation { size, scale }));
    }
    if people > MAX_PEOPLE {
        return Err(ctx.error(
            "population.size",
            Limit::TooManyPeople {
                people,
                max: MAX_PEOPLE,
            },
        ));
    }
    let seeded = p
        .initial_zombies
        .unwrap_or(1)
        .saturating_add(p.initial_infected.unwrap_or(0));
    if seeded > people {
        return Err(ctx.error(
            "population.initial_zombies",
            Limit::TooManySeeded { seeded, people },
        ));
    }
    v.num("population.staff_fraction", p.staff_fraction, 0.1, 0.0, 1.0)?;
    v.num("population.dorm_fraction", p.dorm_fraction, 0.25, 0.0, 1.0)?;
    v.num("population.town_fraction", p.town_fraction, 0.75, 0.0, 1.0)?;
    for (k, present) in [
        (
            "dorm_fraction",
            p.dorm_fraction.is_some() && generator != "campus",
        ),
        (
            "town_fraction",
            p.town_fraction.is_some() && generator != "school",
        ),
        (
            "staff_fraction",
            p.staff_fraction.is_some() && !matches!(generator, "campus" | "school"),
        ),
    ] {
        if present {
            return Err(ctx.error(
                &format!("population.{k}"),
                NotAllowed::PopulationSetting {
                    setting: k,
                    generator: generator.into(),
                },
            ));
        }
    }
    for (k, c) in p.characters.iter().enumerate() {
        let key = |f: &str| format!("population.characters.{k}.{f}");
        if c.name.trim().is_empty() {
            return Err(ctx.error(&key("name"), Missing::Name));
        }
        if let Some(first) = p.characters[..k].iter().position(|o| o.name == c.name) {
            return Err(ctx.error(
                &key("name"),
                NotAllowed::DuplicateName {
                    name: c.name.clone(),
                    first,
                },
            ));
        }
        if let Some(r) = &c.role {
            crate::build::role(r).ok_or_else(|| {
                ctx.error(
                    &key("role"),
                    Unknown::Choice {
                        what: "role",
                        name: r.clone(),
                        allowed: "civilian, student, fighter or medic".into(),
                        suggestion: None,
                    },
                )
            })?;
        }
        if let Some(h) = &c.health {
            if !matches!(h.as_str(), "susceptible" | "infected" | "zombie" | "hambie") {
                return Err(ctx.error(
                    &key("health"),
                    Unknown::Choice {
                        what: "health",
                        name: h.clone(),
                        allowed: "susceptible, infected, zombie or hambie".into(),
                        suggestion: None,
                    },
                ));
            }
        }
        v.num(&key("walk_mps"), c.walk_mps, 1.3, 0.0, 15.0)?;
        v.num(&key("run_mps"), c.run_mps, 3.0, 0.0, 15.0)?;
        v.num(&key("fight"), c.fight, 1.0, 0.0, 100.0)?;
        v.num(&key("stealth"), c.stealth, 0.1, 0.0, 1.0)?;
    }
    // [virus]
    let vr = &raw.virus;
    let latent = match &vr.latent {
        None => Latent::LogNormal {
            median_minutes: 15.0,
            sigma: 1.0,
        },
        Some(l) => {
            let k = |f: &str| format!("virus.latent.{f}");
            let extra = |allowed: &'static [&'static str]| -> Result<(), ScenarioError> {
                for (name, present) in [
                    ("minutes", l.minutes.is_some()),
                    ("mean_minutes", l.mean_minutes.is_some()),
                    ("median_minutes", l.median_minutes.is_some()),
                    ("sigma", l.sigma.is_some()),
                    ("shape", l.shape.is_some()),
                ] {
                    if present && !allowed.contains(&name) {
                        return Err(ctx.error(
                            &k(name),
                            NotAllowed::Parameter {
                                parameter: name,
                                distribution: l.distribution.clone(),
                                takes: allowed,
                            },
                        ));
                    }
                }
                Ok(())
            };
            let need = |name: &'static str, x: Option<f64>| {
                x.ok_or_else(|| {
                    ctx.error(
                        &k(name),
                        Missing::Parameter {
                            distribution: l.distribution.clone(),
                            parameter: name,
                        },
                    )
                })
            };
            match l.distribution.as_str() {
                "immediate" => {
                    extra(&[])?;
                    Latent::Immediate
                }
                "fixed" => {
                    extra(&["minutes"])?;
                    Latent::Fixed {
                        minutes: v.num(
                            &k("minutes"),
                            Some(need("minutes", l.minutes)?),
                            0.0,
                            0.0,
                            1e7,
                        )?,
                    }
                }
                "exponential" => {
                    extra(&["mean_minutes"])?;
                    Latent::Exponential {
                        mean_minutes: v.pos(
                            &k("mean_minutes"),
                            Some(need("mean_minutes", l.mean_minutes)?),
                            0.0,
                            1e7,
                        )?,
                    }
                }
                "lognormal" => {
                    extra(&["median_minutes", "sigma"])?;
                    Latent::LogNormal {
                        median_minutes: v.pos(
                            &k("median_minutes"),
                            Some(need("median_minutes", l.median_minutes)?),
                            0.0,
                            1e7,
                        )?,
                        sigma: v.pos(&k("sigma"), Some(need("sigma", l.sigma)?), 0.0, 10.0)?,
                    }
                }
                "gamma" => {
                    extra(&["mean_minutes", "shape"])?;
                    Latent::Gamma {
                        mean_minutes: v.pos(
                            &k("mean_minutes"),
                            Some(need("mean_minutes", l.mean_minutes)?),
                            0.0,
                            1e7,
                        )?,
                        shape: v.pos(&k("shape"), Some(need("shape", l.shape)?), 0.0, 1e4)?,
                    }
                }
                other => {
                    return Err(ctx.error(
                        &k("distribution"),
                        Unknown::Choice {
                            what: "distribution",
                            name: other.into(),
                            allowed: "immediate, fixed, exponential, lognormal or gamma".into(),
                            suggestion: None,
                        },
                    ))
                }
            }
        }
    };
    let virus = VirusParams {
        bite_rate_per_hour: v.num(
            "virus.bite_rate_per_hour",
            vr.bite_rate_per_hour,
            0.5,
            0.0,
            MAX_RATE,
        )?,
        kill_rate_per_hour: v.num(
            "virus.kill_rate_per_hour",
            vr.kill_rate_per_hour,
            0.1,
            0.0,
            MAX_RATE,
        )?,
        rise_rate_per_hour: v.num(
            "virus.rise_rate_per_hour",
            vr.rise_rate_per_hour,
            0.0,
            0.0,
            MAX_RATE,
        )?,
        death_rate_per_hour: v.num(
            "virus.death_rate_per_hour",
            vr.death_rate_per_hour,
            0.0,
            0.0,
            MAX_RATE,
        )?,
        latent,
        hambie_fraction: v.num("virus.hambie_fraction", vr.hambie_fraction, 0.002, 0.0, 1.0)?,
    };
    // [behaviour]
    let b = &raw.behaviour;
    let d = BehaviourParams::default();
    let behaviour = BehaviourParams {
        hearing_range_m: v.num(
            "behaviour.hearing_range_m",
            b.hearing_range_m,
            d.hearing_range_m,
            0.0,
            1e5,
        )?,
        wake_threshold: v.num(
            "behaviour.wake_threshold",
            b.wake_threshold,
            d.wake_threshold,
            0.0,
            1e6,
        )?,
        human_noise: v.num(
            "behaviour.human_noise",
            b.human_noise,
            d.human_noise,
            0.0,
            1e6,
        )?,
        night_noise_factor: v.num(
            "behaviour.night_noise_factor",
            b.night_noise_factor,
            d.night_noise_factor,
            0.0,
            1e3,
        )?,
        group_noise: v.num(
            "behaviour.group_noise",
            b.group_noise,
            d.group_noise,
            0.0,
            1e3,
        )?,
        hide_noise: v.num("behaviour.hide_noise", b.hide_noise, d.hide_noise, 0.0, 1.0)?,
        fight_noise: v.num(
            "behaviour.fight_noise",
            b.fight_noise,
            d.fight_noise,
            0.0,
            1e6,
        )?,
        sight_day: v.num("behaviour.sight_day", b.sight_day, d.sight_day, 0.0, 1e3)?,
        sight_night: v.num(
            "behaviour.sight_night",
            b.sight_night,
            d.sight_night,
            0.0,
            1e3,
        )?,
        zombie_speed_mps: v.num(
            "behaviour.zombie_speed_mps",
            b.zombie_speed_mps,
            d.zombie_speed_mps,
            0.0,
            15.0,
        )?,
        zombie_wander: v.num(
            "behaviour.zombie_wander",
            b.zombie_wander,
            d.zombie_wander,
            0.0,
            1.0,
        )?,
        max_group_size: v.whole(
            "behaviour.max_group_size",
            b.max_group_size,
            d.max_group_size,
            1,
            10_000,
        )?,
        group_fight_bonus: v.num(
            "behaviour.group_fight_bonus",
            b.group_fight_bonus,
            d.group_fight_bonus,
            0.0,
            100.0,
        )?,
        barricade_full_group: v.whole(
            "behaviour.barricade_full_group",
            b.barricade_full_group,
            d.barricade_full_group,
            1,
            1000,
        )?,
        fight_ratio: v.num(
            "behaviour.fight_ratio",
            b.fight_ratio,
            d.fight_ratio,
            0.0,
            1e6,
        )?,
        alert_spread_per_hour: v.num(
            "behaviour.alert_spread_per_hour",
            b.alert_spread_per_hour,
            d.alert_spread_per_hour,
            0.0,
            MAX_RATE,
        )?,
        group_join_per_hour: v.num(
            "behaviour.group_join_per_hour",
            b.group_join_per_hour,
            d.group_join_per_hour,
            0.0,
            MAX_RATE,
        )?,
        rescue_reach_m: v.num(
            "behaviour.rescue_reach_m",
            b.rescue_reach_m,
            d.rescue_reach_m,
            0.0,
            1e7,
        )?,
        stand_ground: b.stand_ground.unwrap_or(d.stand_ground),
        schedule: schedule(&ctx, b.schedule.as_deref(), d.schedule)?,
    };
    let params = Params {
        run: RunParams {
            seed,
            tick_minutes,
            duration_ticks,
            start_hour,
        },
        virus,
        behaviour,
    };
    if let Some(path) = districts_path {
        raw.world.districts = Some(path);
    }
    if let Some(path) = osm_path {
        raw.world.path = Some(path);
    }
    let mut warnings = Vec::new();
    for (i, o) in raw.authorities.iter().enumerate() {
        if let Some(h) = o.at_hours.filter(|h| *h > duration_hours) {
            warnings.push(format!(
                "`authorities.{i}.at_hours`: {h} hours is after the run ends ({duration_hours} hours): the `{}` order will not fire",
                o.action
            ));
        }
    }
    let name = raw.name.clone().unwrap_or_else(|| ctx.file.clone());
    Ok(Scenario {
        name,
        raw,
        world,
        people,
        warnings,
        params,
        ctx,
    })
}

/// The districts of a city: `seoul` (the copy built in, from `data/seoul_districts.csv`) or
/// a CSV file with the same columns, its path relative to the scenario file.
fn read_districts(ctx: &Ctx, name: &str) -> Result<(Vec<District>, Option<String>), ScenarioError> {
    let key = "world.districts";
    let (text, shown, resolved) = if name == "seoul" {
        let text = outbreak_world::districts::SEOUL_CSV.to_string();
        (text, "seoul".to_string(), None)
    } else {
        let path = std::path::Path::new(&ctx.file)
            .parent()
            .unwrap_or(std::path::Path::new("."))
            .join(name);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            ctx.error(
                key,
                FileProblem::Unreadable {
                    what: "districts file",
                    path: path.display().to_string(),
                    error: e.to_string(),
                },
            )
        })?;
        let absolute = std::path::absolute(&path).unwrap_or(path.clone());
        let shown = path.display().to_string();
        (text, shown, Some(absolute.display().to_string()))
    };
    let districts = outbreak_world::districts::parse_csv(&text).map_err(|e| {
        ctx.error(
            key,
            FileProblem::Unusable {
                path: shown,
                error: e.to_string(),
            },
        )
    })?;
    Ok((districts, resolved))
}

/// The bytes of an OpenStreetMap extract: `kotka-karhula` (built in) or a file, its path
/// relative to the scenario file; with the absolute path of a file.
fn read_pbf(
    ctx: &Ctx,
    name: &str,
) -> Result<(std::sync::Arc<Vec<u8>>, Option<String>), ScenarioError> {
    if name == "kotka-karhula" {
        return Ok((std::sync::Arc::new(KOTKA.to_vec()), None));
    }
    let path = std::path::Path::new(&ctx.file)
        .parent()
        .unwrap_or(std::path::Path::new("."))
        .join(name);
    let bytes = std::fs::read(&path).map_err(|e| {
        ctx.error(
            "world.path",
            FileProblem::Unreadable {
                what: "map",
                path: path.display().to_string(),
                error: e.to_string(),
            },
        )
    })?;
    let absolute = std::path::absolute(&path).unwrap_or(path);
    Ok((
        std::sync::Arc::new(bytes),
        Some(absolute.display().to_string()),
    ))
}

/// The daily schedule: 24 anchors, one an hour, each 0 (home), 1 (morning), 2 (lunch) or
/// 3 (afternoon).
fn schedule(ctx: &Ctx, given: Option<&[u8]>, default: [u8; 24]) -> Result<[u8; 24], ScenarioError> {
    let Some(given) = given else {
        return Ok(default);
    };
    let key = "behaviour.schedule";
    let s: [u8; 24] = given
        .try_into()
        .map_err(|_| ctx.error(key, Limit::ScheduleLength { given: given.len() }))?;
    if let Some(&anchor) = s.iter().find(|&&a| a > 3) {
        return Err(ctx.error(key, Limit::ScheduleAnchor { anchor }));
    }
    Ok(s)
}

/// Converts hours to ticks, refusing durations that are not a whole number of ticks.
pub(crate) fn whole_ticks(
    ctx: &Ctx,
    key: &str,
    hours: f64,
    tick_minutes: f64,
) -> Result<u32, ScenarioError> {
    let ticks = hours * 60.0 / tick_minutes;
    if (ticks - ticks.round()).abs() > 1e-6 {
        return Err(ctx.error(
            key,
            Limit::WholeTicks {
                hours,
                tick_minutes,
            },
        ));
    }
    if ticks > f64::from(u32::MAX / 2) {
        return Err(ctx.error(key, Limit::TooManyTicks { hours }));
    }
    Ok(ticks.round() as u32)
}
