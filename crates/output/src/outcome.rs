//! How a run ended, in words that mean what they say (docs/outputs.md, "Outcomes"): the
//! outbreak eradicated, contained with dormant zombies left, the humans overrun, or still
//! going (unresolved) at the end; and, on worlds with an `edge` zone (Alemi's lattice),
//! whether a zombie ever reached it.

use outbreak_engine::prelude::*;
use serde::{Deserialize, Serialize};

use crate::recorder::Recorder;

/// The zone whose reaching by a zombie is an escape (the lattice's boundary sites).
pub const EDGE_ZONE: &str = "edge";

/// How the outbreak stood at the end of a run. Exactly one holds; they are tried in the
/// order of [`Ending::of`]: eradicated, overrun, unresolved, contained.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ending {
    /// No susceptible person or hambie is left in the world (the others are zombies,
    /// dead, infected, quarantined, rescued or in reserve), and the outbreak is not
    /// eradicated.
    Overrun,
    /// No zombie and nobody infected, with someone alive and human, in the world or out of
    /// it (rescued, or fighters in reserve).
    Eradicated,
    /// Humans are left and nobody is infected; zombies are left, none of them awake
    /// (nothing they hear or see reaches the wake threshold).
    Contained,
    /// Humans are left with an awake zombie or someone infected: the outbreak was still
    /// going when the run ended.
    Unresolved,
}

impl Ending {
    /// All of them, in the order columns list them.
    pub const ALL: [Ending; 4] = [
        Ending::Overrun,
        Ending::Eradicated,
        Ending::Contained,
        Ending::Unresolved,
    ];

    /// The name files give it.
    pub fn as_str(self) -> &'static str {
        match self {
            Ending::Overrun => "overrun",
            Ending::Eradicated => "eradicated",
            Ending::Contained => "contained",
            Ending::Unresolved => "unresolved",
        }
    }

    /// From the final count of each state and the zombies awake at the end.
    pub fn of(final_counts: &[u64; STATES], zombies_awake: u64) -> Ending {
        let c = |h: Health| final_counts[h as usize];
        let here = c(Health::Susceptible) + c(Health::Hambie);
        let out = c(Health::Rescued) + c(Health::Reserve);
        if c(Health::Zombie) == 0 && c(Health::Infected) == 0 && here + out > 0 {
            Ending::Eradicated
        } else if here == 0 {
            Ending::Overrun
        } else if c(Health::Infected) > 0 || zombies_awake > 0 {
            Ending::Unresolved
        } else {
            Ending::Contained
        }
    }

    /// The outbreak is over with humans left: eradicated or contained.
    pub fn held(self) -> bool {
        matches!(self, Ending::Eradicated | Ending::Contained)
    }
}

/// A run's outcome: its ending, whether it escaped to the edge, and whether it stopped
/// early because it had settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct RunOutcome {
    /// How the outbreak stood at the end.
    pub ending: Ending,
    /// On worlds with an `edge` zone: whether a zombie was in it at the end of any tick
    /// recorded; `None` on other worlds.
    pub escaped: Option<bool>,
    /// Zombies awake at the end.
    pub zombies_awake: u64,
    /// Whether the run stopped before its duration because nothing could change any more
    /// (`run.stop_when_settled`).
    pub stopped_settled: bool,
}

impl RunOutcome {
    /// The outcome of a recorded run; `sim` is the simulation at its last recorded tick.
    pub fn new(rec: &Recorder, sim: &Simulation) -> Self {
        let last = rec
            .totals()
            .last()
            .copied()
            .unwrap_or(sim.occupancy().total);
        let zombies_awake = sim.zombies_awake();
        Self {
            ending: Ending::of(&last, zombies_awake),
            escaped: escaped(rec, &sim.world),
            zombies_awake,
            stopped_settled: !sim.reached_duration(),
        }
    }
}

/// Whether a zombie was in the world's `edge` zone at the end of any recorded tick; `None`
/// if the world has no such zone.
pub fn escaped(rec: &Recorder, world: &World) -> Option<bool> {
    let edge = world.zone_by_name(EDGE_ZONE)?.index();
    let z = Health::Zombie as usize;
    Some((0..rec.ticks().len()).any(|r| rec.zone_counts(r).get(edge).is_some_and(|c| c[z] > 0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(s: u64, i: u64, z: u64) -> [u64; STATES] {
        let mut c = [0; STATES];
        c[Health::Susceptible as usize] = s;
        c[Health::Infected as usize] = i;
        c[Health::Zombie as usize] = z;
        c
    }

    #[test]
    fn each_ending_is_told_apart() {
        assert_eq!(Ending::of(&counts(0, 0, 5), 0), Ending::Overrun);
        assert_eq!(Ending::of(&counts(0, 0, 0), 0), Ending::Overrun);
        assert_eq!(Ending::of(&counts(3, 0, 0), 0), Ending::Eradicated);
        assert_eq!(Ending::of(&counts(3, 0, 2), 0), Ending::Contained);
        assert_eq!(Ending::of(&counts(3, 0, 2), 1), Ending::Unresolved);
        assert_eq!(Ending::of(&counts(3, 1, 0), 0), Ending::Unresolved);
        // Everyone rescued, no zombie left: eradicated, not overrun.
        let mut all_out = counts(0, 0, 0);
        all_out[Health::Rescued as usize] = 2400;
        assert_eq!(Ending::of(&all_out, 0), Ending::Eradicated);
        // Everyone rescued from a world zombies hold: overrun.
        all_out[Health::Zombie as usize] = 7;
        assert_eq!(Ending::of(&all_out, 0), Ending::Overrun);
    }
}
