//! Every order of every built-in visibly acts: over seeds 1–10, each order of a built-in's
//! timeline has an effect in at least 8 of the 10 runs, read from `summary.json`'s `orders`
//! (a cordon pushed against, a rescue point that rescued someone, a lure that drew a zombie,
//! ...). An order that cannot act by design says so in its scenario's header, on a line
//! `# inert: LABEL — reason`; this test reads those lines, checks that each names an order of
//! the timeline, and that the order indeed does not act (else the line is stale).
//!
//! Each built-in runs at its own size, except `seoul-city`, which runs at 1 % (as its header
//! says to run it) for its first 10 hours; `seoul-campus` runs its first 12 hours (its last
//! order fires at 8). Every count an order has only grows as a run goes on, so an order that
//! acts within a shortened run acts in the whole one.

use std::collections::BTreeMap;
use std::path::Path;

mod common;
use common::{outbreak, stderr, text};

/// Seeds each built-in runs under.
const SEEDS: std::ops::RangeInclusive<u64> = 1..=10;
/// Of the runs, how many an order must act in.
const ACTS_IN: usize = 8;

/// What an order of a run did: its label, its action and whether that visibly acted.
struct Outcome {
    label: String,
    action: String,
    acted: bool,
}

/// Whether an order's summary shows an effect, by its action.
fn acted(order: &serde_json::Value) -> bool {
    let action = order["action"].as_str().expect("an action");
    if order["fired_tick"].is_null() {
        return false;
    }
    let count = |key: &str| {
        order["counts"][key]
            .as_u64()
            .unwrap_or_else(|| panic!("a {action} order counts `{key}`: {order}"))
    };
    match action {
        "alarm" => count("warned") > 0,
        "cordon" => count("human_attempts") + count("zombie_attempts") > 0,
        "rescue" => count("rescued") > 0,
        "lure" => count("zombies_drawn") > 0,
        "squad" => count("zombies_destroyed") > 0,
        "strike" | "eradicate" => count("killed") > 0,
        "quarantine" => count("quarantined") > 0,
        "cure" => count("cured") > 0,
        // Opening the ways or closing a rescue point is the whole of their effect.
        "lift-cordon" | "close-rescue" => true,
        other => panic!("an order of action `{other}`: say here what it is for it to act"),
    }
}

/// The orders of one run of `name` under `seed`, in timeline order.
fn run(name: &str, seed: u64, sets: &[&str], tmp: &Path) -> Vec<Outcome> {
    let out = tmp.join(format!("{name}-{seed}"));
    let seed = seed.to_string();
    let out_s = out.display().to_string();
    let mut args = vec![
        "run",
        name,
        "--seed",
        &seed,
        "--quiet",
        "--threads",
        "1",
        "--out",
        &out_s,
    ];
    for s in sets {
        args.extend(["--set", s]);
    }
    let o = outbreak(&args);
    assert!(o.status.success(), "outbreak {args:?}: {}", stderr(&o));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    summary["orders"]
        .as_array()
        .expect("summary.json lists the orders")
        .iter()
        .map(|o| Outcome {
            label: o["label"].as_str().unwrap().to_string(),
            action: o["action"].as_str().unwrap().to_string(),
            acted: acted(o),
        })
        .collect()
}

/// The `# inert: LABEL — reason` lines of a scenario's header, label to reason.
fn inert(toml: &str) -> BTreeMap<String, String> {
    toml.lines()
        .take_while(|l| l.starts_with('#'))
        .filter_map(|l| l.strip_prefix("# inert: "))
        .map(|rest| {
            let (label, reason) = rest
                .split_once(" — ")
                .unwrap_or_else(|| panic!("`# inert: {rest}` has no ` — reason`"));
            assert!(
                !reason.trim().is_empty(),
                "`# inert: {label}` gives a reason"
            );
            (label.trim().to_string(), reason.trim().to_string())
        })
        .collect()
}

/// Runs `name` under every seed and checks each order of its timeline.
fn every_order_acts(name: &str, sets: &[&str]) {
    let shown = outbreak(&["scenarios", "show", name]);
    assert!(shown.status.success(), "scenarios show {name}");
    let inert = inert(&text(&shown.stdout));
    let tmp = tempfile::tempdir().unwrap();
    let runs: Vec<Vec<Outcome>> = SEEDS.map(|s| run(name, s, sets, tmp.path())).collect();
    let orders = &runs[0];
    for label in inert.keys() {
        assert!(
            orders.iter().any(|o| &o.label == label),
            "{name}'s header calls `{label}` inert, but no order of its timeline has that label"
        );
    }
    let mut failures = Vec::new();
    for (k, order) in orders.iter().enumerate() {
        let acted: Vec<u64> = SEEDS
            .zip(&runs)
            .filter(|(_, r)| r[k].acted)
            .map(|(s, _)| s)
            .collect();
        let acts = acted.len() >= ACTS_IN;
        match (inert.get(&order.label), acts) {
            (None, false) => failures.push(format!(
                "{name}: {} order `{}` acted in {} of {} seeds ({acted:?}); make it act, or say why \
                 it cannot on a `# inert: {} — reason` line of the header",
                order.action,
                order.label,
                acted.len(),
                runs.len(),
                order.label
            )),
            (Some(_), true) => failures.push(format!(
                "{name}: `{}` is called inert in the header but acted in {} of {} seeds: drop the line",
                order.label,
                acted.len(),
                runs.len()
            )),
            _ => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_builtin_is_checked_here() {
    let list = outbreak(&["scenarios"]);
    assert!(list.status.success());
    let names: Vec<String> = text(&list.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    let here = [
        "seoul-campus",
        "hyosan-high",
        "seoul-city",
        "kotka-karhula",
        "munz-basic",
        "munz-latent",
        "munz-quarantine",
        "munz-treatment",
        "munz-impulsive",
        "alemi-lattice",
    ];
    for n in &names {
        assert!(
            here.contains(&n.as_str()),
            "{n} has a test of its orders here"
        );
    }
}

#[test]
fn seoul_campus_orders_act() {
    every_order_acts("seoul-campus", &["run.duration_hours=12"]);
}

#[test]
fn hyosan_high_orders_act() {
    every_order_acts("hyosan-high", &[]);
}

#[test]
fn seoul_city_orders_act() {
    every_order_acts(
        "seoul-city",
        &["population.scale=0.01", "run.duration_hours=10"],
    );
}

#[test]
fn kotka_karhula_orders_act() {
    every_order_acts("kotka-karhula", &[]);
}

#[test]
fn munz_models_orders_act() {
    for name in [
        "munz-basic",
        "munz-latent",
        "munz-quarantine",
        "munz-treatment",
        "munz-impulsive",
    ] {
        every_order_acts(name, &[]);
    }
}

#[test]
fn alemi_lattice_orders_act() {
    // The lattice has no timeline; an hour shows that it stays so.
    every_order_acts("alemi-lattice", &["run.duration_hours=1"]);
}
