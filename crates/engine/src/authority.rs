//! The authorities' timeline: orders, each an action fired at a time or on a trigger.

use crate::agents::Health;
use crate::ids::{AgentId, PlaceId, ZoneId};

/// What an order does.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Close every way that crosses the zone's boundary. Anyone but a deployed fighter who
    /// tries to cross gets through at `leak_per_hour` (a per-tick chance of
    /// `1 - exp(-leak · Δt)` per attempt).
    Cordon {
        /// The zone closed off.
        zone: ZoneId,
        /// Rate per hour at which one person or zombie pushing at a closed way gets
        /// through.
        leak_per_hour: f64,
    },
    /// Reopen the ways a cordon on this zone closed.
    LiftCordon {
        /// The zone whose cordons are lifted.
        zone: ZoneId,
    },
    /// Open a rescue point: living humans who reach it are evacuated (Rescued), at most
    /// `per_hour` of them an hour (the others wait there, in a crowd).
    OpenRescue {
        /// Where people are evacuated.
        place: PlaceId,
        /// Most people evacuated there an hour.
        per_hour: f64,
    },
    /// Close a rescue point.
    CloseRescue {
        /// The rescue point that closes.
        place: PlaceId,
    },
    /// Sound a lure (a drone or a siren) at a place for a while.
    Lure {
        /// Where it sounds.
        place: PlaceId,
        /// Noise it makes there, on the scale of `human_noise` (one person going about
        /// their day is 1 by default).
        loudness: f64,
        /// Ticks it sounds for.
        duration_ticks: u32,
    },
    /// Deploy reserve fighters at an entry place to sweep a zone of zombies, as one unit:
    /// they move together at the pace of the slowest, fight with the squad bonus, and
    /// withdraw to the entry (and off the map) once fewer than `withdraw_below` of those
    /// deployed are still fit to fight (see [`crate::systems::squads`]).
    Squad {
        /// The fighters, the one who leads first; those not in reserve stay as they are.
        members: Vec<AgentId>,
        /// Where they enter the world, and leave it when they withdraw.
        entry: PlaceId,
        /// The zone they sweep (their task zone).
        zone: ZoneId,
        /// Fraction (0–1) of the fighters deployed below which the squad withdraws, counting
        /// those still fit to fight (susceptible or hambie); 0: it never withdraws.
        withdraw_below: f64,
    },
    /// Kill each person and zombie in a zone with this chance (the season-1 bombing).
    Strike {
        /// The zone struck.
        zone: ZoneId,
        /// Chance (0–1) that each person or zombie there is killed.
        kill_fraction: f64,
    },
    /// Warn everyone in a zone: they stop their routine and become alert.
    Alarm {
        /// The zone warned.
        zone: ZoneId,
    },
    /// Munz's quarantine, from now on: each infected person is taken into quarantine at
    /// `infected_per_hour` (κ), each zombie at `zombies_per_hour` (σ), and each quarantined
    /// one is removed (dies) at `removal_per_hour` (γ). In `zone`, or everywhere when `None`.
    /// A later quarantine order replaces this one.
    Quarantine {
        /// Where it applies (`None`: everywhere).
        zone: Option<ZoneId>,
        /// κ: rate per hour at which each infected person is taken into quarantine.
        infected_per_hour: f64,
        /// σ: rate per hour at which each zombie is taken into quarantine.
        zombies_per_hour: f64,
        /// γ: rate per hour at which each quarantined one is removed (dies).
        removal_per_hour: f64,
    },
    /// Munz's treatment, from now on: each zombie is cured (becomes susceptible again) at
    /// `per_hour` (c). In `zone`, or everywhere when `None`. A later cure order replaces this one.
    Cure {
        /// Where it applies (`None`: everywhere).
        zone: Option<ZoneId>,
        /// c: rate per hour at which each zombie is cured.
        per_hour: f64,
    },
    /// Munz's impulsive eradication: destroy each zombie with this chance, at once. In
    /// `zone`, or everywhere when `None`.
    Eradicate {
        /// Where it strikes (`None`: everywhere).
        zone: Option<ZoneId>,
        /// Chance (0–1) that each zombie there is destroyed.
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
    At {
        /// The tick at whose end it fires.
        tick: u32,
    },
    /// `delay_ticks` after the count of `health` in `zone` first reaches `at_least`.
    ZoneCount {
        /// The zone counted.
        zone: ZoneId,
        /// The state counted (zombies, the dead, …).
        health: Health,
        /// The count, in people, that arms the order.
        at_least: u64,
        /// Ticks from the end of the tick in which the count is first reached to the end
        /// of the tick in which the order fires (0: that same tick).
        delay_ticks: u32,
    },
}

/// One order of the timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Order {
    /// Its name in the outputs (the event log, the summary).
    pub label: String,
    /// When it fires.
    pub trigger: Trigger,
    /// What it does.
    pub action: Action,
}
