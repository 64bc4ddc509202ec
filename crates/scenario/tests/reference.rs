//! `docs/scenario.md` is kept in step with the code: every key of the file format is
//! documented, every documented key exists, the generators and actions said to take a key
//! are those that do, and every numeric or yes/no default written for `[run]`, `[world]`,
//! `[population]`, `[virus]`, `[behaviour]` and `[[authorities]]` is the one the program
//! uses.
//!
//! The keys of each table come from the parser itself: a file with an unknown key in that
//! table is refused with the list of the keys it expected.

use outbreak_scenario::{ErrorKind, Scenario, ACTIONS, DISTRICT_SETTINGS, GENERATORS};
use std::collections::{BTreeMap, BTreeSet};

const DOC: &str = include_str!("../../../docs/scenario.md");

/// Documented rows: table path → key → the row's cells.
fn documented() -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let mut out: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    let mut section = None;
    for line in DOC.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            section = Some(if h == "(top level)" {
                String::new()
            } else {
                h.trim_matches('`').to_string()
            });
            continue;
        }
        let (Some(s), Some(row)) = (&section, line.strip_prefix("| `")) else {
            continue;
        };
        let cells: Vec<String> = row.split('|').map(|c| c.trim().to_string()).collect();
        let key = cells[0].trim_end_matches('`').to_string();
        out.entry(s.clone()).or_default().insert(key, cells);
    }
    out
}

/// The keys the parser accepts in the table at `path`, from its refusal of an unknown key.
fn accepted(path: &str) -> BTreeSet<String> {
    let head = "[world]\ngenerator = \"well-mixed\"\n[population]\nsize = 1\n";
    let src = match path {
        "" => format!("zzz = 1\n{head}"),
        "virus.latent" => format!("{head}[virus]\nlatent = {{ zzz = 1, distribution = \"fixed\" }}\n"),
        "authorities.when" => format!(
            "{head}[[authorities]]\naction = \"alarm\"\nwhen = {{ zzz = 1, zone = \"a\", state = \"zombie\", at_least = 1 }}\n"
        ),
        "population.characters" => format!("{head}[[population.characters]]\nzzz = 1\nname = \"x\"\n"),
        "authorities" => format!("{head}[[authorities]]\nzzz = 1\naction = \"alarm\"\n"),
        "world" => "[world]\nzzz = 1\ngenerator = \"well-mixed\"\n[population]\nsize = 1\n".into(),
        "population" => "[world]\ngenerator = \"well-mixed\"\n[population]\nzzz = 1\nsize = 1\n".into(),
        other => format!("[{other}]\nzzz = 1\n{head}"),
    };
    let e = Scenario::from_str(&src, "probe.toml", &[]).expect_err("an unknown key is refused");
    match *e.kind {
        ErrorKind::UnknownKey { expected, .. } => expected.into_iter().collect(),
        other => panic!("{path}: {other}"),
    }
}

#[test]
fn every_key_is_documented_and_every_documented_key_exists() {
    let doc = documented();
    let tables = [
        "",
        "run",
        "world",
        "population",
        "population.characters",
        "virus",
        "virus.latent",
        "behaviour",
        "authorities",
        "authorities.when",
    ];
    assert_eq!(
        doc.keys().map(String::as_str).collect::<BTreeSet<_>>(),
        tables.into_iter().collect::<BTreeSet<_>>(),
        "sections of docs/scenario.md"
    );
    for t in tables {
        let have: BTreeSet<String> = doc[t].keys().cloned().collect();
        assert_eq!(have, accepted(t), "keys of `{t}` in docs/scenario.md");
    }
}

/// The names in a "generators" or "actions" cell (`all` for every one).
fn names(cell: &str, all: &[&str]) -> BTreeSet<String> {
    if cell == "all" {
        return all.iter().map(|s| s.to_string()).collect();
    }
    cell.split(", ").map(str::to_string).collect()
}

#[test]
fn generators_and_actions_take_the_documented_settings() {
    let doc = documented();
    let generators: Vec<&str> = GENERATORS.iter().map(|g| g.0).collect();
    for (key, cells) in &doc["world"] {
        let want: BTreeSet<String> = GENERATORS
            .iter()
            .filter(|g| key == "generator" || g.1.contains(&key.as_str()))
            .map(|g| g.0.to_string())
            .collect();
        assert_eq!(
            names(&cells[4], &generators),
            want,
            "generators of world.{key}"
        );
    }
    let actions: Vec<&str> = ACTIONS.iter().map(|a| a.0).collect();
    let common = ["action", "label", "at_hours", "when", "delay_hours"];
    for (key, cells) in &doc["authorities"] {
        let want: BTreeSet<String> = ACTIONS
            .iter()
            .filter(|a| common.contains(&key.as_str()) || a.1.contains(&key.as_str()))
            .map(|a| a.0.to_string())
            .collect();
        assert_eq!(
            names(&cells[4], &actions),
            want,
            "actions of authorities.{key}"
        );
    }
    let allowed_actions = doc["authorities"]["action"][3].clone();
    assert_eq!(names(&allowed_actions, &[]), names("all", &actions));
    let allowed_generators = doc["world"]["generator"][3].clone();
    assert_eq!(names(&allowed_generators, &[]), names("all", &generators));
}

fn minimal(generator: &str, key: &str) -> String {
    let districts = if generator == "city" && DISTRICT_SETTINGS.contains(&key) {
        "districts = \"seoul\"\n"
    } else {
        ""
    };
    let path = if generator == "osm" {
        "path = \"kotka-karhula\"\n"
    } else {
        ""
    };
    format!("[world]\ngenerator = \"{generator}\"\n{districts}{path}[population]\nsize = 100\n")
}

/// `value` as a TOML value: a number or yes/no as is, anything else as text.
fn toml_value(value: &str) -> Option<String> {
    if value.parse::<f64>().is_ok() || value == "true" || value == "false" {
        Some(value.to_string())
    } else if value.chars().all(|c| c.is_alphanumeric() || c == '-') && !value.is_empty() {
        Some(format!("\"{value}\""))
    } else {
        None
    }
}

/// A default cell as (name, value) pairs: "5" for each name of the `names` cell, or
/// "campus 5, school 4".
fn by_name(default: &str, names_cell: &str, all: &[&str]) -> Vec<(String, String)> {
    if default.contains(' ') {
        default
            .split(", ")
            .map(|p| {
                let (n, v) = p
                    .split_once(' ')
                    .unwrap_or_else(|| panic!("default `{default}`: `{p}` names nothing"));
                (n.to_string(), v.to_string())
            })
            .collect()
    } else {
        names(names_cell, all)
            .into_iter()
            .map(|n| (n, default.to_string()))
            .collect()
    }
}

#[test]
fn documented_defaults_are_the_defaults() {
    let doc = documented();
    let mut checked = 0;
    for section in ["run", "virus", "behaviour"] {
        for (key, cells) in &doc[section] {
            let default = cells[2].as_str();
            if default.parse::<f64>().is_err() && default != "true" && default != "false" {
                continue;
            }
            let src = minimal("well-mixed", key);
            let plain = Scenario::from_str(&src, "min.toml", &[]).unwrap();
            let set = format!("{section}.{key}={default}");
            let given = Scenario::from_str(&src, "min.toml", std::slice::from_ref(&set))
                .unwrap_or_else(|e| panic!("{set}: {e}"));
            assert_eq!(
                plain.params, given.params,
                "documented default of {section}.{key}"
            );
            checked += 1;
        }
    }
    for (key, cells) in &doc["world"] {
        if ["generator", "districts", "path", "walkable"].contains(&key.as_str()) {
            continue;
        }
        for (g, v) in by_name(&cells[2], &cells[4], &[]) {
            let Some(value) = toml_value(&v) else {
                panic!("world.{key}: default `{v}` is neither a number nor a name");
            };
            let src = minimal(&g, key);
            let plain = Scenario::from_str(&src, "min.toml", &[]).unwrap();
            let set = format!("world.{key}={value}");
            let given = Scenario::from_str(&src, "min.toml", std::slice::from_ref(&set))
                .unwrap_or_else(|e| panic!("{set} ({g}): {e}"));
            assert_eq!(
                plain.world, given.world,
                "documented default of world.{key} for {g}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 40, "only {checked} defaults checked");
}

/// A well-mixed world with one order of `action`, given what it needs besides `key`.
fn minimal_order(action: &str, key: &str) -> String {
    let needs: &[&str] = match action {
        "rescue" | "close-rescue" | "lure" => &["place = \"arena\""],
        "squad" => &["squad = \"s\"", "entry = \"arena\"", "zone = \"z\""],
        "quarantine" if key == "infected_per_hour" => &["zombies_per_hour = 1"],
        "quarantine" => &["infected_per_hour = 1"],
        "cure" => &["cure_per_hour = 1"],
        "eradicate" => &[],
        _ => &["zone = \"z\""],
    };
    let trigger = if key == "delay_hours" {
        "when = { zone = \"z\", state = \"zombie\", at_least = 1 }"
    } else {
        "at_hours = 0"
    };
    format!(
        "{}[[authorities]]\naction = \"{action}\"\n{}\n{trigger}\n",
        minimal("well-mixed", key),
        needs.join("\n")
    )
}

#[test]
fn documented_defaults_of_the_population_and_the_orders_are_the_defaults() {
    let doc = documented();
    let mut checked = 0;
    let given = |src: &str, set: String| {
        Scenario::from_str(src, "min.toml", std::slice::from_ref(&set))
            .unwrap_or_else(|e| panic!("{set}: {e}"))
    };
    for (key, cells) in &doc["population"] {
        let default = cells[2].as_str();
        if default.parse::<f64>().is_err() {
            continue;
        }
        // "campus, school: fraction of ..." names the worlds a setting is for.
        let generators = cells[4]
            .split_once(": ")
            .map(|(g, _)| names(g, &[]))
            .filter(|g| g.iter().all(|g| GENERATORS.iter().any(|x| x.0 == g)))
            .unwrap_or_else(|| ["well-mixed".to_string()].into());
        for g in generators {
            let src = minimal(&g, key);
            let plain = Scenario::from_str(&src, "min.toml", &[]).unwrap();
            let set = given(&src, format!("population.{key}={default}"));
            assert_eq!(
                (plain.people, &plain.population),
                (set.people, &set.population),
                "documented default of population.{key} for {g}"
            );
            checked += 1;
        }
    }
    let actions: Vec<&str> = ACTIONS.iter().map(|a| a.0).collect();
    for (key, cells) in &doc["authorities"] {
        for (action, v) in by_name(&cells[2], &cells[4], &actions) {
            if v.parse::<f64>().is_err() {
                continue;
            }
            let src = minimal_order(&action, key);
            let plain = Scenario::from_str(&src, "min.toml", &[])
                .unwrap_or_else(|e| panic!("{action} without {key}: {e}"));
            let set = given(&src, format!("authorities.0.{key}={v}"));
            assert_eq!(
                plain.orders, set.orders,
                "documented default of authorities.{key} for {action}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 25, "only {checked} defaults checked");
}
