//! `[world]`: the generator, the settings it takes and their defaults, and the files it
//! reads (a districts CSV, an OpenStreetMap extract).

use super::Check;
use crate::error::{FileProblem, Limit, Missing, NotAllowed, ScenarioError, Unknown};
use crate::raw::RawWorld;
use crate::spec::WorldSpec;
use outbreak_world::campus::CampusParams;
use outbreak_world::districts::{District, DistrictParams};
use outbreak_world::osm::OsmParams;
use outbreak_world::school::SchoolParams;
use std::path::Path;
use std::sync::Arc;

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
pub const KOTKA: &[u8] = include_bytes!("../../../../data/osm/kotka-karhula.osm.pbf");

/// The settings of the `city` generator that only a city of districts takes.
pub const DISTRICT_SETTINGS: [&str; 6] = [
    "people_per_block",
    "reference_capacity",
    "commuter_fraction",
    "student_fraction",
    "campus_district",
    "city_name",
];

/// The most places a generated world may have (memory: about 100 bytes a place).
const MAX_PLACES: u64 = 20_000_000;

/// The world asked for. A districts file or map named by a relative path is recorded in
/// `w` by its absolute path, so that the scenario as run (written into the results folder)
/// reads the same file.
pub(super) fn check(c: &Check, w: &mut RawWorld) -> Result<WorldSpec, ScenarioError> {
    let (spec, absolute) = spec(c, w)?;
    if let Some(path) = absolute {
        match spec {
            WorldSpec::Osm { .. } => w.path = Some(path),
            _ => w.districts = Some(path),
        }
    }
    Ok(spec)
}

/// The world, and the absolute path of a file it names by a relative one.
fn spec(c: &Check, w: &RawWorld) -> Result<(WorldSpec, Option<String>), ScenarioError> {
    let generator = w.generator.as_str();
    let takes = GENERATORS
        .iter()
        .find(|g| g.0 == generator)
        .map(|g| g.1)
        .ok_or_else(|| {
            let names: Vec<&str> = GENERATORS.iter().map(|g| g.0).collect();
            c.error(
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
        return Err(c.error(
            &format!("world.{k}"),
            NotAllowed::GeneratorSetting {
                setting: k,
                generator: generator.into(),
                takes,
            },
        ));
    }
    let mut absolute = None;
    let world = match generator {
        "campus" => {
            let d = CampusParams::default();
            WorldSpec::Campus(CampusParams {
                academic_buildings: c.whole(
                    "world.academic_buildings",
                    w.academic_buildings,
                    d.academic_buildings,
                    1,
                    200,
                )?,
                floors: c.whole("world.floors", w.floors, d.floors, 1, 60)?,
                rooms_per_floor: c.whole(
                    "world.rooms_per_floor",
                    w.rooms_per_floor,
                    d.rooms_per_floor,
                    1,
                    100,
                )?,
                dormitories: c.whole("world.dormitories", w.dormitories, d.dormitories, 0, 100)?,
                dorm_floors: c.whole("world.dorm_floors", w.dorm_floors, d.dorm_floors, 1, 60)?,
                dorm_rooms_per_floor: c.whole(
                    "world.dorm_rooms_per_floor",
                    w.dorm_rooms_per_floor,
                    d.dorm_rooms_per_floor,
                    1,
                    200,
                )?,
                path_spacing_m: c.pos(
                    "world.path_spacing_m",
                    w.path_spacing_m,
                    d.path_spacing_m,
                    10_000.0,
                )?,
                reference_capacity: reference_capacity(c, w, d.reference_capacity)?,
                door_strength: door_strength(c, w, d.door_strength)?,
            })
        }
        "well-mixed" => WorldSpec::WellMixed {
            contact_scale: c.pos("world.contact_scale", w.contact_scale, 1.0, 1e6)?,
        },
        "lattice" => WorldSpec::Lattice {
            side: c.whole("world.side", w.side, 100, 1, 4000)?,
            spacing_m: c.pos("world.spacing_m", w.spacing_m, 2.0, 1e4)?,
            neighbour_contact: w.neighbour_contact.unwrap_or(true),
        },
        "osm" => {
            let d = OsmParams::default();
            let name = w.path.as_deref().ok_or_else(|| {
                c.error(
                    "world.path",
                    Missing::Setting {
                        what: "the `.osm.pbf` file to read (or `kotka-karhula`, the extract built in)",
                    },
                )
            })?;
            let (pbf, resolved) = read_pbf(c, name)?;
            absolute = resolved;
            let walkable = w.walkable.clone().unwrap_or(d.walkable);
            if walkable.is_empty() || walkable.iter().any(|k| k.trim().is_empty()) {
                return Err(c.error("world.walkable", Limit::HighwayKinds));
            }
            WorldSpec::Osm {
                pbf,
                path: name.to_string(),
                params: OsmParams {
                    walkable,
                    people_per_100m2: c.pos(
                        "world.people_per_100m2",
                        w.people_per_100m2,
                        d.people_per_100m2,
                        1e4,
                    )?,
                    reference_capacity: reference_capacity(c, w, d.reference_capacity)?,
                    door_strength: door_strength(c, w, d.door_strength)?,
                },
            }
        }
        "city" if w.districts.is_some() => {
            if w.settings().contains(&"side") {
                return Err(c.error(
                    "world.side",
                    NotAllowed::GridCitySetting { setting: "side" },
                ));
            }
            let name = w.districts.as_deref().unwrap_or_default();
            let (districts, resolved) = read_districts(c, name)?;
            absolute = resolved;
            let d = DistrictParams::default();
            let fraction =
                |key: &str, x: Option<f64>, default: f64| c.num(key, x, default, 0.0, 1.0);
            WorldSpec::Districts {
                districts,
                params: DistrictParams {
                    people_per_block: c.whole(
                        "world.people_per_block",
                        w.people_per_block,
                        d.people_per_block,
                        1,
                        1_000_000,
                    )?,
                    rooms_per_building: c.whole(
                        "world.rooms_per_building",
                        w.rooms_per_building,
                        d.rooms_per_building,
                        1,
                        1000,
                    )?,
                    block_m: c.num(
                        "world.spacing_m",
                        w.spacing_m,
                        f64::from(d.block_m),
                        1.0,
                        1e4,
                    )? as f32,
                    reference_capacity: reference_capacity(c, w, d.reference_capacity)?,
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
            if let Some(k) = DISTRICT_SETTINGS
                .into_iter()
                .find(|k| w.settings().contains(k))
            {
                return Err(c.error(
                    &format!("world.{k}"),
                    NotAllowed::DistrictSetting { setting: k },
                ));
            }
            let side = c.whole("world.side", w.side, 50, 1, 2000)?;
            let rooms_per_building = c.whole(
                "world.rooms_per_building",
                w.rooms_per_building,
                20,
                1,
                1000,
            )?;
            let places = u64::from(side) * u64::from(side) * (u64::from(rooms_per_building) + 2);
            if places > MAX_PLACES {
                return Err(c.error(
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
                spacing_m: c.pos("world.spacing_m", w.spacing_m, 100.0, 1e4)?,
            }
        }
        "school" => {
            let d = SchoolParams::default();
            WorldSpec::School(SchoolParams {
                floors: c.whole("world.floors", w.floors, d.floors, 1, 10)?,
                classrooms_per_floor: c.whole(
                    "world.classrooms_per_floor",
                    w.classrooms_per_floor,
                    d.classrooms_per_floor,
                    1,
                    30,
                )?,
                town_side: c.whole("world.town_side", w.town_side, d.town_side, 1, 60)?,
                reference_capacity: reference_capacity(c, w, d.reference_capacity)?,
                door_strength: door_strength(c, w, d.door_strength)?,
            })
        }
        _ => unreachable!("checked against GENERATORS above"),
    };
    Ok((world, absolute))
}

/// `world.reference_capacity`, for the generators that take it.
fn reference_capacity(c: &Check, w: &RawWorld, default: f64) -> Result<f64, ScenarioError> {
    c.pos(
        "world.reference_capacity",
        w.reference_capacity,
        default,
        1e6,
    )
}

/// `world.door_strength_zombie_hours`, for the generators with barricadable doors.
fn door_strength(c: &Check, w: &RawWorld, default: f32) -> Result<f32, ScenarioError> {
    let x = c.num(
        "world.door_strength_zombie_hours",
        w.door_strength_zombie_hours,
        f64::from(default),
        0.0,
        1e4,
    )?;
    Ok(x as f32)
}

/// A path named in the scenario, relative to the scenario file.
fn beside(c: &Check, name: &str) -> std::path::PathBuf {
    Path::new(&c.source.file)
        .parent()
        .unwrap_or(Path::new("."))
        .join(name)
}

/// The districts of a city: `seoul` (the copy built in, from `data/seoul_districts.csv`) or
/// a CSV file with the same columns, its path relative to the scenario file; with the
/// absolute path of a file.
fn read_districts(c: &Check, name: &str) -> Result<(Vec<District>, Option<String>), ScenarioError> {
    let key = "world.districts";
    let (text, shown, resolved) = if name == "seoul" {
        let text = outbreak_world::districts::SEOUL_CSV.to_string();
        (text, "seoul".to_string(), None)
    } else {
        let path = beside(c, name);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            c.error(
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
        c.error(
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
fn read_pbf(c: &Check, name: &str) -> Result<(Arc<Vec<u8>>, Option<String>), ScenarioError> {
    if name == "kotka-karhula" {
        return Ok((Arc::new(KOTKA.to_vec()), None));
    }
    let path = beside(c, name);
    let bytes = std::fs::read(&path).map_err(|e| {
        c.error(
            "world.path",
            FileProblem::Unreadable {
                what: "map",
                path: path.display().to_string(),
                error: e.to_string(),
            },
        )
    })?;
    let absolute = std::path::absolute(&path).unwrap_or(path);
    Ok((Arc::new(bytes), Some(absolute.display().to_string())))
}
