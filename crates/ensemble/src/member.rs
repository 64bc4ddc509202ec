//! One member of an ensemble: the scenario run to its end under the member's seed, kept as
//! what the ensemble's files need (the outcome, the counts at every tick, the events).

use outbreak_engine::prelude::*;
use outbreak_output::outcome::{Ending, RunOutcome};
use outbreak_output::{Recorder, RunSummary};
use outbreak_scenario::{Scenario, ScenarioError};
use serde::{Deserialize, Serialize};

/// How a run ended. Integers only (times in ticks), so that a member read back from the
/// work folder is exactly the member written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// Most zombies at the end of any tick, and the first tick it was reached.
    pub peak_zombies: u64,
    /// The first tick at the end of which [`Outcome::peak_zombies`] was reached.
    pub peak_tick: u32,
    /// First tick at which half of those who could be infected had been (see
    /// [`RunSummary::time_to_half_infected_minutes`]); `None` if never.
    pub half_infected_tick: Option<u32>,
    /// Bites over the whole run.
    pub bites: u64,
    /// The last tick simulated (before the duration if the member stopped settled).
    pub last_tick: u32,
    /// Counts of each state at the end, in [`Health::ALL`] order.
    pub final_counts: [u64; STATES],
    /// How the outbreak stood at the end.
    pub ending: Ending,
    /// On worlds with an `edge` zone: whether a zombie ever reached it.
    pub escaped: Option<bool>,
    /// Whether the member stopped before the duration because it had settled.
    pub stopped_settled: bool,
}

impl Outcome {
    fn count(&self, h: Health) -> u64 {
        self.final_counts[h as usize]
    }

    /// Susceptible people and hambies at the end.
    pub fn survivors(&self) -> u64 {
        self.count(Health::Susceptible) + self.count(Health::Hambie)
    }

    /// The outbreak is over with humans left: eradicated or contained.
    pub fn held(&self) -> bool {
        self.ending.held()
    }
}

/// One line of a member's event log (as `events.csv` of a run, without names).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRow {
    /// The tick in which it happened (0: an order fired at the start).
    pub tick: u32,
    /// What happened, as the engine's event name (`bite`, `turn`, `rescue`, …).
    pub kind: String,
    /// Who it happened to: the agent's id (`u32::MAX` for an order).
    pub agent: u32,
    /// `u32::MAX` where it does not apply, as in the engine.
    pub other: u32,
    /// Where it happened: the place's id (`u32::MAX` for an order).
    pub place: u32,
}

/// What to keep of each member besides its outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keep {
    /// Counts of each state at every tick.
    pub series: bool,
    /// The event log.
    pub events: bool,
}

/// A finished member.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Member {
    /// Its place in the job (member number, or run number of a sweep).
    pub unit: u32,
    /// The seed it ran under.
    pub seed: u64,
    /// How it ended.
    pub outcome: Outcome,
    /// Counts of each state at ticks 0, 1, … to the duration (empty unless kept); a member
    /// that stopped settled carries its counts at `last_tick` flat to the duration.
    pub series: Vec<[u32; STATES]>,
    /// The event log (empty unless kept).
    pub events: Vec<EventRow>,
}

/// Runs `scenario` under `seed` to its end.
pub fn run_member(
    scenario: &Scenario,
    unit: u32,
    seed: u64,
    keep: Keep,
) -> Result<Member, ScenarioError> {
    let mut sim = scenario.with_seed(seed).build()?;
    let mut rec = Recorder::new(&sim);
    sim.run_to_end(|s| rec.observe(s));
    let summary = RunSummary::new(&rec, &sim);
    let ended = RunOutcome::new(&rec, &sim);
    let tick_of = |minutes: f64| (minutes / rec.tick_minutes()).round() as u32;
    let outcome = Outcome {
        peak_zombies: summary.peak_zombies,
        peak_tick: summary.peak_tick,
        half_infected_tick: summary.time_to_half_infected_minutes.map(tick_of),
        bites: summary.bites,
        last_tick: summary.ticks,
        final_counts: rec.totals().last().copied().unwrap_or_default(),
        ending: ended.ending,
        escaped: ended.escaped,
        stopped_settled: ended.stopped_settled,
    };
    let series = if keep.series {
        let mut rows: Vec<[u32; STATES]> = rec
            .totals()
            .iter()
            .map(|row| row.map(|c| u32::try_from(c).unwrap_or(u32::MAX)))
            .collect();
        // NOTE: a member that stopped settled keeps its last counts to the duration, so
        // that the bands cover the whole run (nothing could change after the stop).
        let ticks = sim.params.run.duration_ticks as usize + 1;
        if let Some(&last) = rows.last() {
            rows.resize(ticks.max(rows.len()), last);
        }
        rows
    } else {
        Vec::new()
    };
    let events = if keep.events {
        rec.events()
            .iter()
            .map(|e| EventRow {
                tick: e.tick,
                kind: e.kind.as_str().to_string(),
                agent: e.agent.0,
                other: e.other.0,
                place: e.place.0,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Member {
        unit,
        seed,
        outcome,
        series,
        events,
    })
}

/// Column names of an outcome in `members.csv` and `runs.csv` (times in simulated
/// minutes; the counts of each state are at the end).
pub fn outcome_header() -> Vec<&'static str> {
    let mut h = vec![
        "peak_zombies",
        "peak_minutes",
        "half_infected_minutes",
        "bites",
    ];
    h.extend(Health::ALL.map(Health::as_str));
    h.extend([
        "survivors",
        "outcome",
        "escaped",
        "stopped_settled",
        "last_minutes",
    ]);
    h
}

impl Outcome {
    /// The values of [`outcome_header`] (an empty field where there is none).
    pub fn fields(&self, tick_minutes: f64) -> Vec<String> {
        let minutes = |t: u32| crate::format_value(f64::from(t) * tick_minutes);
        let mut v = vec![
            self.peak_zombies.to_string(),
            minutes(self.peak_tick),
            self.half_infected_tick.map(minutes).unwrap_or_default(),
            self.bites.to_string(),
        ];
        v.extend(self.final_counts.iter().map(u64::to_string));
        v.push(self.survivors().to_string());
        v.push(self.ending.as_str().to_string());
        v.push(self.escaped.map(|e| e.to_string()).unwrap_or_default());
        v.push(self.stopped_settled.to_string());
        v.push(minutes(self.last_tick));
        v
    }
}
