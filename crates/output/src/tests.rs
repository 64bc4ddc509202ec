//! Tests of whole run folders written from a tiny well-mixed simulation.

use std::fs;
use std::path::Path;

use outbreak_engine::prelude::*;

use super::*;

const SCENARIO: &str = "[run]\nseed = 9\ntick_minutes = 0.5\n";

/// 60 people in one arena, 3 zombies, 3 named characters, a strike after 40 minutes.
fn tiny_sim(seed: u64) -> Simulation {
    let traits = Traits {
        walk_mps: 1.3,
        run_mps: 3.0,
        fight: 1.0,
        stealth: 0.0,
    };
    let mut pop = Population::default();
    let named = ["Nam On-jo", "Lee Cheong-san", "Choi Nam-ra"];
    for k in 0..60usize {
        let health = if k < 3 {
            Health::Zombie
        } else {
            Health::Susceptible
        };
        let name = named.get(k.wrapping_sub(3)).map(|n| n.to_string());
        pop.push(AgentSpec {
            place: PlaceId(0),
            health,
            role: Role::Student,
            mode: Mode::Alert,
            traits,
            anchors: None,
            name,
        });
    }
    let params = Params::well_mixed(seed, 0.5, 0.6, 0.2, 180);
    let orders = vec![Order {
        label: "air strike".into(),
        trigger: Trigger::At { tick: 80 },
        action: Action::Strike {
            zone: ZoneId(0),
            kill_fraction: 0.5,
        },
    }];
    Simulation::new(well_mixed_world(1.0), pop, params, orders)
}

fn recorded(seed: u64) -> (Simulation, Recorder) {
    let mut sim = tiny_sim(seed);
    let mut rec = Recorder::new(&sim);
    sim.run_to_end(|sim| rec.observe(sim));
    (sim, rec)
}

fn lines(path: &Path) -> Vec<String> {
    fs::read_to_string(path)
        .expect("file was written")
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_run_folder_has_every_file_with_the_documented_headers() {
    let (sim, rec) = recorded(9);
    let dir = tempfile::tempdir().expect("temp dir");
    let summary = write_run_folder(dir.path(), &rec, &sim, SCENARIO, None).expect("written");

    assert_eq!(
        fs::read_to_string(dir.path().join(files::SCENARIO)).expect("scenario"),
        SCENARIO
    );

    let ts = lines(&dir.path().join(files::TIMESERIES));
    assert_eq!(
        ts[0],
        "tick,minutes,susceptible,infected,zombie,hambie,dead,rescued,quarantined,reserve"
    );
    assert_eq!(ts.len(), 1 + 181);
    assert!(ts[1].starts_with("0,0,"));
    assert!(ts[2].starts_with("1,0.5,"), "{}", ts[2]);
    assert!(ts[3].starts_with("2,1,"), "{}", ts[3]);
    for row in &ts[1..] {
        let sum: u64 = row
            .split(',')
            .skip(2)
            .map(|x| x.parse::<u64>().expect("count"))
            .sum();
        assert_eq!(sum, 60, "row {row}");
    }

    let zones = lines(&dir.path().join(files::ZONES));
    assert_eq!(
        zones[0],
        "tick,minutes,zone,susceptible,infected,zombie,hambie,dead,rescued,quarantined,reserve"
    );
    assert_eq!(zones.len(), 1 + 181 * sim.world.zone_count());
    assert!(zones[1].starts_with("0,0,arena,"));

    let events = lines(&dir.path().join(files::EVENTS));
    assert_eq!(
        events[0],
        "tick,minutes,clock,event,agent,agent_name,other,other_name,place,place_name"
    );
    assert!(
        events.contains(&"80,40,12:40,order,,,0,air strike,,".to_string()),
        "no order row"
    );
    assert!(events.iter().any(|e| e.contains(",bite,")));
    assert_eq!(events.len() - 1, rec.events().len());

    let chars = lines(&dir.path().join(files::CHARACTERS));
    assert_eq!(chars[0], CHARACTERS_HEADER.join(","));
    assert_eq!(chars.len(), 4);
    assert!(chars[1].starts_with("Nam On-jo,3,student,"));

    let json: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(dir.path().join(files::SUMMARY)).expect("summary"),
    )
    .expect("valid JSON");
    assert_eq!(json["seed"], 9);
    assert_eq!(json["population"], 60);
    assert_eq!(json["ticks"], 180);
    assert_eq!(json["characters"].as_array().map(Vec::len), Some(3));
    assert_eq!(json["r_by_hour"].as_array().map(Vec::len), Some(2));
    assert!(json["deaths_by_cause"]["strike"]
        .as_u64()
        .is_some_and(|n| n > 0));

    let svg = fs::read_to_string(dir.path().join(files::CURVES)).expect("svg");
    assert!(svg.starts_with("<svg"));
    for text in [
        "time (day and time of day)",
        "people",
        "susceptible",
        "zombie",
        "1. day 1 12:40: air strike",
    ] {
        assert!(
            svg.contains(&format!(">{text}<")) || svg.contains(text),
            "chart lacks {text:?}"
        );
    }
    assert!(svg.contains("<text"));

    assert_eq!(summary.population, 60);
    let zombies = rec
        .totals()
        .iter()
        .map(|c| c[Health::Zombie as usize])
        .max();
    assert_eq!(Some(summary.peak_zombies), zombies);
    let last = sim.occupancy().total;
    assert_eq!(summary.final_counts, Counts::from(last));
    assert_eq!(summary.survivors, last[0] + last[3]);
    assert_eq!(
        summary.bites,
        rec.events()
            .iter()
            .filter(|e| e.kind == EventKind::Bite)
            .count() as u64
    );
}

#[test]
fn the_characters_stories_agree_with_the_event_log() {
    for seed in 1..8 {
        let (sim, rec) = recorded(seed);
        for c in fates::characters(&rec, &sim) {
            let of = |kind: EventKind| {
                rec.events()
                    .iter()
                    .find(|e| e.kind == kind && e.agent.0 == c.agent)
            };
            let bite = of(EventKind::Bite);
            assert_eq!(c.bitten.as_ref().map(|b| b.tick), bite.map(|e| e.tick));
            assert_eq!(
                c.story.to_lowercase().contains("bitten by"),
                bite.is_some(),
                "{}",
                c.story
            );
            let bites = rec
                .events()
                .iter()
                .filter(|e| e.kind == EventKind::Bite && e.other.0 == c.agent)
                .count();
            assert_eq!(c.bites as usize, bites);
            let health = sim.pop.health[c.agent as usize];
            let expected = match health {
                Health::Susceptible => Fate::Survived,
                Health::Infected => Fate::Infected,
                Health::Zombie => Fate::Turned,
                Health::Hambie => Fate::Hambie,
                Health::Rescued => Fate::Rescued,
                Health::Quarantined => Fate::Quarantined,
                Health::Reserve if c.deployed.is_some() => Fate::Withdrew,
                Health::Reserve => Fate::Reserve,
                // The tiny arena's dead were destroyed as zombies or killed by the strike.
                Health::Dead if of(EventKind::Destroyed).is_some() => Fate::Destroyed,
                Health::Dead if c.turned.is_some() => Fate::Destroyed,
                Health::Dead => Fate::Killed,
            };
            assert_eq!(c.fate, expected, "{}", c.story);
            if c.fate == Fate::Killed {
                assert_eq!(c.fate_by.as_deref(), Some("a strike"));
                assert!(
                    c.story.contains("killed by a strike at 12:40"),
                    "{}",
                    c.story
                );
            }
            if c.fate == Fate::Survived {
                assert_eq!(c.fate_tick, 180, "survivors' fate is at the end");
            }
            assert!(c.story.ends_with('.') && c.story.starts_with(char::is_uppercase));
        }
    }
}

#[test]
fn the_same_run_writes_the_same_bytes() {
    let write = || {
        let (sim, rec) = recorded(5);
        let dir = tempfile::tempdir().expect("temp dir");
        write_run_folder(dir.path(), &rec, &sim, SCENARIO, None).expect("written");
        dir
    };
    let (a, b) = (write(), write());
    for name in [
        files::SCENARIO,
        files::TIMESERIES,
        files::ZONES,
        files::EVENTS,
        files::CHARACTERS,
        files::SUMMARY,
        files::CURVES,
    ] {
        let read = |d: &Path| fs::read(d.join(name)).expect("file");
        assert!(read(a.path()) == read(b.path()), "{name} differs");
    }
}

#[test]
fn half_infected_time_follows_the_bites() {
    let (sim, rec) = recorded(9);
    let summary = RunSummary::new(&rec, &sim);
    let start = rec.totals()[0];
    let half = start[0] + start[1];
    match summary.time_to_half_infected_minutes {
        Some(m) => {
            let tick = (m / rec.tick_minutes()).round() as u32;
            let bites_by = |t: u32| {
                rec.events()
                    .iter()
                    .filter(|e| e.kind == EventKind::Bite && e.tick <= t)
                    .count() as u64
            };
            assert!(2 * (start[1] + bites_by(tick)) >= half);
            assert!(tick == 0 || 2 * (start[1] + bites_by(tick - 1)) < half);
        }
        None => assert!(2 * (start[1] + summary.bites) < half),
    }
}

#[test]
fn a_skipped_tick_is_an_error() {
    let mut sim = tiny_sim(1);
    let mut rec = Recorder::new(&sim);
    sim.step();
    sim.step();
    rec.observe(&sim);
    let dir = tempfile::tempdir().expect("temp dir");
    let err =
        write_run_folder(dir.path(), &rec, &sim, SCENARIO, None).expect_err("tick 1 was missed");
    assert!(matches!(
        err,
        OutputError::MissedTicks { first: 1, last: 1 }
    ));

    let mut rec = Recorder::new(&tiny_sim(1));
    rec.observe(&tiny_sim(1));
    assert_eq!(rec.ticks(), &[0], "observing a tick twice records it once");
    let err =
        write_run_folder(dir.path(), &rec, &sim, SCENARIO, None).expect_err("recorder is behind");
    assert!(matches!(
        err,
        OutputError::MissedTicks { first: 1, last: 2 }
    ));
}

#[test]
fn publish_and_write_run_folder_compose() {
    let (sim, rec) = recorded(3);
    let root = tempfile::tempdir().expect("temp dir");
    let out = root.path().join("run");
    let summary = publish(&out, false, |tmp| {
        write_run_folder(tmp, &rec, &sim, SCENARIO, None)
    })
    .expect("published");
    assert_eq!(summary.seed, 3);
    let mut names: Vec<String> = fs::read_dir(&out)
        .expect("out")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "characters.csv",
            "curves.svg",
            "events.csv",
            "scenario.toml",
            "summary.json",
            "timeseries.csv",
            "zones.csv"
        ]
    );
    let again = publish(&out, false, |tmp| {
        write_run_folder(tmp, &rec, &sim, SCENARIO, None)
    });
    assert!(matches!(again, Err(OutputError::Exists { .. })));
}

/// A row of three places a kilometre apart (a map world), zombies in the first.
fn row_of_places() -> Simulation {
    let mut b = WorldBuilder::new();
    b.geographic(true);
    let z = b.zone("town");
    let places: Vec<PlaceId> = (0..3)
        .map(|k| {
            let p = b.add_place(PlaceSpec {
                name: format!("square {k}"),
                kind: PlaceKind::Plaza,
                pos: [26.9 + 0.018 * k as f64, 60.5],
                capacity: 1000,
                barricade_strength: 0.0,
                contact_scale: 1.0,
            });
            b.put_in_zone(p, z);
            p
        })
        .collect();
    b.add_way(places[0], places[1], 1000.0);
    b.add_way(places[1], places[2], 1000.0);
    let world = b.build().expect("a row of places");
    let traits = Traits {
        walk_mps: 1.3,
        run_mps: 3.0,
        fight: 1.0,
        stealth: 0.0,
    };
    let mut pop = Population::default();
    for k in 0..30usize {
        let health = if k < 2 {
            Health::Zombie
        } else {
            Health::Susceptible
        };
        pop.push(AgentSpec {
            place: places[k % 3],
            health,
            role: Role::Civilian,
            mode: Mode::Alert,
            traits,
            anchors: None,
            name: None,
        });
    }
    Simulation::new(
        world,
        pop,
        Params::well_mixed(4, 1.0, 0.5, 0.1, 120),
        vec![],
    )
}

#[test]
fn a_world_with_positions_gets_its_map_data_and_map() {
    let mut sim = row_of_places();
    let ticks = mapdata::map_ticks(DEFAULT_MAP_HOURS, 1.0, 120);
    assert_eq!(ticks, vec![0, 60, 120]);
    let mut rec = Recorder::with_map(&sim, ticks);
    sim.run_to_end(|sim| rec.observe(sim));
    let dir = tempfile::tempdir().expect("temp dir");
    let streets = [([26.9, 60.5], [26.936, 60.5])];
    write_run_folder(dir.path(), &rec, &sim, SCENARIO, Some(&streets)).expect("written");
    for f in [
        mapdata::files::PLACES,
        mapdata::files::WAYS,
        mapdata::files::STREETS,
        mapdata::files::MAP,
        files::MAP,
    ] {
        assert!(dir.path().join(f).is_file(), "{f} missing");
    }
    // Every snapshot's rows add up to the population.
    use ::parquet::file::reader::{FileReader, SerializedFileReader};
    use ::parquet::record::RowAccessor;
    let file = fs::File::open(dir.path().join(mapdata::files::MAP)).expect("map.parquet");
    let reader = SerializedFileReader::new(file).expect("Parquet");
    let mut per_tick = std::collections::BTreeMap::new();
    for row in reader.get_row_iter(None).expect("rows") {
        let row = row.expect("row");
        let people: u32 = (3..3 + STATES)
            .map(|c| row.get_uint(c).expect("count"))
            .sum();
        *per_tick.entry(row.get_uint(0).expect("tick")).or_insert(0) += people;
    }
    assert_eq!(
        per_tick.into_iter().collect::<Vec<_>>(),
        vec![(0, 30), (60, 30), (120, 30)]
    );
    let svg = fs::read_to_string(dir.path().join(files::MAP)).expect("map.svg");
    assert!(
        svg.contains(OSM_CREDIT),
        "a map world's map carries the credit"
    );
    assert!(svg.contains("class=\"sign-start\""), "the start is marked");
    assert!(svg.contains("class=\"scale-bar\""));
}

#[test]
fn a_world_of_one_place_has_no_map() {
    let (sim, rec) = recorded(9);
    let dir = tempfile::tempdir().expect("temp dir");
    write_run_folder(dir.path(), &rec, &sim, SCENARIO, None).expect("written");
    assert!(!dir.path().join(files::MAP).exists());
    assert!(!dir.path().join(mapdata::files::PLACES).exists());
}
