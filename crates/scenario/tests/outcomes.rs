//! Outcomes that mean what they say, and runs that end when the outbreak does (issue 17):
//! each of `overrun`, `eradicated`, `contained` and `unresolved`, and the escape to the
//! edge, on Alemi's lattice (the built-in `alemi-lattice`, made small) and in one
//! well-mixed place, each checked against the state it claims; and a run stopped once
//! settled gives the same outputs as the full run up to the stop, after which the full run
//! changes nothing.

use outbreak_engine::prelude::*;
use outbreak_output::outcome::{Ending, RunOutcome};
use outbreak_output::{events_csv, timeseries_csv, Recorder, RunSummary};
use outbreak_scenario::Scenario;

/// The built-in `alemi-lattice` on a `side × side` lattice at κ = `kappa` (β = 1), for
/// `hours`, under `seed`, stopping once settled (as shipped), with further `--set`s.
fn lattice(side: u32, kappa: f64, hours: u32, seed: u64, extra: &[&str]) -> Scenario {
    let mut sets = vec![
        format!("world.side={side}"),
        format!("population.size={}", side * side),
        format!("virus.kill_rate_per_hour={kappa}"),
        format!("run.duration_hours={hours}"),
        format!("run.seed={seed}"),
    ];
    sets.extend(extra.iter().map(|s| s.to_string()));
    let text = outbreak_scenario::builtin("alemi-lattice").unwrap();
    Scenario::from_str(text, "alemi-lattice", &sets).unwrap()
}

/// One zombie among 199 people in one well-mixed place, β = 0.005 per pair-hour (see the file).
const WELL_MIXED: &str = include_str!("fixtures/one-zombie.toml");

fn well_mixed(seed: u64, extra: &[&str]) -> Scenario {
    let mut sets = vec![format!("run.seed={seed}")];
    sets.extend(extra.iter().map(|s| s.to_string()));
    Scenario::from_str(WELL_MIXED, "one-zombie.toml", &sets).unwrap()
}

fn run(s: &Scenario) -> (Recorder, Simulation) {
    let mut sim = s.build().unwrap();
    let mut rec = Recorder::new(&sim);
    sim.run_to_end(|s| rec.observe(s));
    (rec, sim)
}

fn count(sim: &Simulation, h: Health) -> u64 {
    sim.occupancy().total[h as usize]
}

/// Whether some zombie has a human in its site or a neighbouring one.
fn zombie_next_to_human(sim: &Simulation) -> bool {
    let occ = sim.occupancy();
    let human = |q: PlaceId| occ.at[q.index()].census[Health::Susceptible as usize] > 0;
    occ.zombie_places
        .iter()
        .any(|&q| human(q) || sim.world.neighbours(q).iter().any(|e| human(e.to)))
}

/// The outcome of a run, checked against the state it claims.
fn checked(rec: &Recorder, sim: &Simulation) -> RunOutcome {
    let o = RunOutcome::new(rec, sim);
    let (s, i, z) = (
        count(sim, Health::Susceptible) + count(sim, Health::Hambie),
        count(sim, Health::Infected),
        count(sim, Health::Zombie),
    );
    match o.ending {
        Ending::Overrun => assert_eq!(s, 0),
        Ending::Eradicated => assert!(s > 0 && z == 0 && i == 0),
        Ending::Contained => assert!(s > 0 && z > 0 && i == 0 && o.zombies_awake == 0),
        Ending::Unresolved => assert!(s > 0 && (i > 0 || o.zombies_awake > 0)),
    }
    o
}

#[test]
fn on_the_lattice_each_outcome_is_what_it_says() {
    // Above α_c (α = 0.6), outbreaks die out: the first zombie destroyed at once
    // (eradicated), or a patch of zombies walled in by the dead, dormant (contained).
    let mut seen = Vec::new();
    for seed in 1..=30 {
        let (rec, sim) = run(&lattice(21, 0.6, 400, seed, &[]));
        let o = checked(&rec, &sim);
        assert_ne!(o.escaped, None, "the lattice has an edge zone");
        if o.ending == Ending::Contained {
            // Dormant because no human is in reach: nothing left to hear.
            assert!(!zombie_next_to_human(&sim), "seed {seed}");
        }
        if o.escaped == Some(true) {
            // Escaped to the edge, seen in the zone counts.
            let edge = sim.world.zone_by_name("edge").unwrap().index();
            assert!((0..rec.ticks().len())
                .any(|r| rec.zone_counts(r)[edge][Health::Zombie as usize] > 0));
        }
        seen.push(o.ending);
    }
    assert!(seen.contains(&Ending::Eradicated), "{seen:?}");
    assert!(seen.contains(&Ending::Contained), "{seen:?}");
    assert!(
        !seen.contains(&Ending::Unresolved),
        "all over in 400 h: {seen:?}"
    );

    // Nobody fights back: every human is bitten, and the zombies reach the edge.
    let (rec, sim) = run(&lattice(11, 0.0, 400, 1, &[]));
    let o = checked(&rec, &sim);
    assert_eq!((o.ending, o.escaped), (Ending::Overrun, Some(true)));

    // Below α_c, stopped after two hours: still going, the zombies awake beside people,
    // and not yet at the edge of a 41 × 41 lattice.
    let mut unresolved = 0;
    for seed in 1..=5 {
        let (rec, sim) = run(&lattice(41, 0.2, 2, seed, &[]));
        let o = checked(&rec, &sim);
        if o.ending == Ending::Unresolved {
            unresolved += 1;
            assert!(zombie_next_to_human(&sim) && o.zombies_awake > 0);
            assert_eq!(o.escaped, Some(false));
        }
    }
    assert!(unresolved >= 3, "{unresolved} of 5 unresolved after 2 h");

    // Below α_c over a long run, most outbreaks escape to the edge.
    let escaped = (1..=10)
        .filter(|&seed| {
            let (rec, sim) = run(&lattice(21, 0.2, 400, seed, &[]));
            checked(&rec, &sim).escaped == Some(true)
        })
        .count();
    assert!(escaped >= 5, "{escaped} of 10 escaped at α = 0.2");
}

#[test]
fn in_one_place_each_outcome_is_what_it_says() {
    // Nobody fights back: all are bitten.
    let (rec, sim) = run(&well_mixed(1, &["virus.kill_rate_per_hour=0"]));
    let o = checked(&rec, &sim);
    assert_eq!((o.ending, o.escaped), (Ending::Overrun, None));

    // People kill ten times faster than they are bitten: the zombie is destroyed in most
    // runs (1 − 1/11 of them), and never merely contained: among people it is awake.
    let endings: Vec<Ending> = (1..=10)
        .map(|seed| {
            let (rec, sim) = run(&well_mixed(seed, &["virus.kill_rate_per_hour=0.05"]));
            checked(&rec, &sim).ending
        })
        .collect();
    assert!(
        endings.iter().filter(|&&e| e == Ending::Eradicated).count() >= 7,
        "{endings:?}"
    );
    assert!(!endings.contains(&Ending::Contained), "{endings:?}");

    // A zombie that nothing wakes stands among people, dormant, for the whole run.
    let (rec, sim) = run(&well_mixed(1, &["behaviour.wake_threshold=1000000"]));
    let o = checked(&rec, &sim);
    assert_eq!(o.ending, Ending::Contained);
    assert_eq!(count(&sim, Health::Zombie), 1);
    assert_eq!(count(&sim, Health::Susceptible), 199);

    // One hour in, the zombie is still among people, awake.
    let (rec, sim) = run(&well_mixed(1, &["run.duration_hours=1"]));
    let o = checked(&rec, &sim);
    assert_eq!(o.ending, Ending::Unresolved);
    assert!(o.zombies_awake > 0);
}

/// A run stopped once settled against the same run to its duration: the same counts and
/// events up to the stop, nothing changing after it in the full run, the same outcome.
fn same_up_to_the_stop(scenario: &Scenario) {
    let mut full = scenario.clone();
    full.params.run.stop_when_settled = false;
    let (rec, sim) = run(&full);
    let mut stopping = scenario.clone();
    stopping.params.run.stop_when_settled = true;
    let (srec, ssim) = run(&stopping);
    let stop = ssim.tick();
    let duration = full.params.run.duration_ticks;
    assert!(stop < duration, "settled before the duration");
    assert!(ssim.settled() && !ssim.reached_duration());
    // Counts: the stopped run's rows are the full run's first rows, and the full run's
    // later rows repeat its last.
    let short = String::from_utf8(timeseries_csv(&srec)).unwrap();
    let long = String::from_utf8(timeseries_csv(&rec)).unwrap();
    let short: Vec<&str> = short.lines().collect();
    let long: Vec<&str> = long.lines().collect();
    assert_eq!(short.len(), stop as usize + 2, "header and ticks 0..=stop");
    assert_eq!(short[..], long[..short.len()]);
    for r in short.len()..long.len() {
        assert_eq!(
            rec.totals()[r - 1],
            srec.totals()[stop as usize],
            "tick {r}"
        );
    }
    // Events: the same, and none after the stop.
    assert_eq!(events_csv(&srec, &ssim, 0), events_csv(&rec, &sim, 0));
    // Outcome and summary agree but for when it stopped.
    let (a, b) = (RunOutcome::new(&rec, &sim), RunOutcome::new(&srec, &ssim));
    assert_eq!(
        (a.ending, a.escaped, a.zombies_awake),
        (b.ending, b.escaped, b.zombies_awake)
    );
    assert!(b.stopped_settled && !a.stopped_settled);
    let (sa, sb) = (RunSummary::new(&rec, &sim), RunSummary::new(&srec, &ssim));
    assert_eq!(sb.ticks, stop);
    assert_eq!(
        (sa.final_counts, sa.peak_zombies, sa.bites, sa.outcome),
        (sb.final_counts, sb.peak_zombies, sb.bites, sb.outcome)
    );
}

#[test]
fn a_run_stopped_when_settled_is_the_full_run_up_to_the_stop() {
    // The lattice: contained (dormant zombies left) and eradicated.
    let mut endings = Vec::new();
    for seed in [1, 2, 3, 4, 5, 6] {
        let s = lattice(21, 0.6, 200, seed, &[]);
        same_up_to_the_stop(&s);
        let (rec, sim) = run(&s);
        endings.push(RunOutcome::new(&rec, &sim).ending);
    }
    assert!(endings.contains(&Ending::Contained), "{endings:?}");
    // Overrun on the lattice (nobody fights back), and in one place both ways.
    same_up_to_the_stop(&lattice(11, 0.0, 400, 1, &[]));
    same_up_to_the_stop(&well_mixed(1, &["virus.kill_rate_per_hour=0"]));
    same_up_to_the_stop(&well_mixed(2, &["virus.kill_rate_per_hour=0.05"]));
}

#[test]
fn what_can_still_change_keeps_a_run_going() {
    // Dormant zombies among people who can walk up to them, the dead who rise, and an order
    // still to fire each keep a run from settling.
    let (_, sim) = run(&well_mixed(
        1,
        &[
            "behaviour.wake_threshold=1000000",
            "run.stop_when_settled=true",
            "behaviour.stand_ground=false",
        ],
    ));
    assert!(sim.reached_duration() && !sim.settled());
    let (_, sim) = run(&well_mixed(
        1,
        &[
            "virus.rise_rate_per_hour=0.01",
            "run.stop_when_settled=true",
        ],
    ));
    assert!(count(&sim, Health::Dead) > 0);
    assert!(
        sim.reached_duration() && !sim.settled(),
        "the dead keep rising"
    );
    let mut s = lattice(11, 0.0, 400, 1, &[]);
    let text = format!(
        "{}\n[[authorities]]\naction = \"strike\"\nzone = \"lattice\"\nat_hours = 399\nkill_fraction = 0.5\n",
        s.to_toml()
    );
    s = Scenario::from_str(&text, "with-strike.toml", &[]).unwrap();
    let (_, sim) = run(&s);
    assert!(
        sim.tick() >= 399 * 60,
        "overrun long before, the strike still to come"
    );
    let (_, early) = run(&lattice(11, 0.0, 400, 1, &[]));
    assert!(
        early.tick() < 399 * 60,
        "without the strike it stops at the overrun"
    );
}
