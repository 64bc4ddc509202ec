//! The authorities' timeline: orders, each an action fired at a time or on a trigger.

use crate::agents::Health;
use crate::ids::{AgentId, PlaceId, ZoneId};

/// What an order does.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Close every way that crosses the zone's boundary. Anyone but a deployed fighter who
    /// tries to cross gets through at `leak_per_hour` (a per-tick chance of
    /// `1 - exp(-leak · Δt)` per attempt).
    Cordon { zone: ZoneId, leak_per_hour: f64 },
    /// Reopen the ways a cordon on this zone closed.
    LiftCordon { zone: ZoneId },
    /// Open a rescue point: living humans who reach it are evacuated (Rescued), at most
    /// `per_hour` of them an hour (the others wait there, in a crowd).
    OpenRescue { place: PlaceId, per_hour: f64 },
    /// Close a rescue point.
    CloseRescue { place: PlaceId },
    /// Sound a lure (a drone or a siren) at a place for a while.
    Lure {
        place: PlaceId,
        loudness: f64,
        duration_ticks: u32,
    },
    /// Deploy reserve fighters at an entry place to sweep a zone of zombies.
    Squad {
        members: Vec<AgentId>,
        entry: PlaceId,
        zone: ZoneId,
    },
    /// Kill each person and zombie in a zone with this chance (the season-1 bombing).
    Strike { zone: ZoneId, kill_fraction: f64 },
    /// Warn everyone in a zone: they stop their routine and become alert.
    Alarm { zone: ZoneId },
    /// Munz's quarantine, from now on: each infected person is taken into quarantine at
    /// `infected_per_hour` (κ), each zombie at `zombies_per_hour` (σ), and each quarantined
    /// one is removed (dies) at `removal_per_hour` (γ). In `zone`, or everywhere when `None`.
    /// A later quarantine order replaces this one.
    Quarantine {
        zone: Option<ZoneId>,
        infected_per_hour: f64,
        zombies_per_hour: f64,
        removal_per_hour: f64,
    },
    /// Munz's treatment, from now on: each zombie is cured (becomes susceptible again) at
    /// `per_hour` (c). In `zone`, or everywhere when `None`. A later cure order replaces this one.
    Cure { zone: Option<ZoneId>, per_hour: f64 },
    /// Munz's impulsive eradication: destroy each zombie with this chance, at once. In
    /// `zone`, or everywhere when `None`.
    Eradicate {
        zone: Option<ZoneId>,
        kill_fraction: f64,
    },
}

impl Action {
    /// The lowercase name used in files.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Cordon { .. } => "cordon",
            Action::LiftCordon { .. } => "lift-cordon",
            Action::OpenRescue { .. } => "open-rescue",
            Action::CloseRescue { .. } => "close-rescue",
            Action::Lure { .. } => "lure",
            Action::Squad { .. } => "squad",
            Action::Strike { .. } => "strike",
            Action::Alarm { .. } => "alarm",
            Action::Quarantine { .. } => "quarantine",
            Action::Cure { .. } => "cure",
            Action::Eradicate { .. } => "eradicate",
        }
    }
}

/// When an order fires.
#[derive(Clone, Debug, PartialEq)]
pub enum Trigger {
    /// At the end of this tick (0: before the first tick).
    At { tick: u32 },
    /// `delay_ticks` after the count of `health` in `zone` first reaches `at_least`.
    ZoneCount {
        zone: ZoneId,
        health: Health,
        at_least: u64,
        delay_ticks: u32,
    },
}

/// One order of the timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Order {
    pub label: String,
    pub trigger: Trigger,
    pub action: Action,
}
