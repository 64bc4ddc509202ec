//! The timed stages of a tick, in the order [`crate::Simulation::step`] runs them, and the
//! wall time spent in each.

use std::time::{Duration, Instant};

/// A timed stage of the tick. Each covers the systems listed; the order is the tick's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Stage {
    /// Groups tidied, what zombies sense, the rescue and sweep fields.
    Sense,
    /// Every agent's intent (and, on maps routed by the contraction hierarchy, each routine
    /// walker's trip plan: one shortest-path query a trip); group members copy their
    /// leader's.
    Decide,
    /// Bites and kills drawn.
    Encounter,
    /// Kills, bites and moves committed; evacuation; barricades built.
    Apply,
    /// Turning, rising and natural deaths; Munz's interventions.
    Turn,
    /// The per-place tally brought up to date.
    Occupancy,
    /// Groups formed.
    Groups,
    /// The timeline's orders fired.
    Authorities,
}

impl Stage {
    /// Number of stages.
    pub const COUNT: usize = 8;
    /// Every stage, in the order of the tick.
    pub const ALL: [Stage; Stage::COUNT] = [
        Stage::Sense,
        Stage::Decide,
        Stage::Encounter,
        Stage::Apply,
        Stage::Turn,
        Stage::Occupancy,
        Stage::Groups,
        Stage::Authorities,
    ];
    /// The lowercase name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Sense => "sense",
            Stage::Decide => "decide",
            Stage::Encounter => "encounter",
            Stage::Apply => "apply",
            Stage::Turn => "turn",
            Stage::Occupancy => "occupancy",
            Stage::Groups => "groups",
            Stage::Authorities => "authorities",
        }
    }
}

/// Wall time spent in each stage, indexed by [`Stage`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Timings([Duration; Stage::COUNT]);

impl Timings {
    /// Adds the time since `clock` to `stage` and restarts `clock`.
    #[inline]
    pub fn lap(&mut self, stage: Stage, clock: &mut Instant) {
        let now = Instant::now();
        self.0[stage as usize] += now - *clock;
        *clock = now;
    }
    /// Every stage with its time, in the order of the tick.
    pub fn iter(&self) -> impl Iterator<Item = (Stage, Duration)> + '_ {
        Stage::ALL.into_iter().zip(self.0.iter().copied())
    }
    /// Time spent in all stages.
    pub fn total(&self) -> Duration {
        self.0.iter().sum()
    }
}

impl std::ops::Index<Stage> for Timings {
    type Output = Duration;
    fn index(&self, stage: Stage) -> &Duration {
        &self.0[stage as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_listed_in_tick_order_and_index_their_times() {
        for (k, s) in Stage::ALL.into_iter().enumerate() {
            assert_eq!(s as usize, k);
        }
        let mut t = Timings::default();
        let mut clock = Instant::now() - Duration::from_millis(5);
        t.lap(Stage::Apply, &mut clock);
        assert!(t[Stage::Apply] >= Duration::from_millis(5));
        assert_eq!(t[Stage::Sense], Duration::ZERO);
        assert_eq!(t.total(), t[Stage::Apply]);
        let names: Vec<&str> = t.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(names[0], "sense");
        assert_eq!(names[1], "decide");
        assert_eq!(names[7], "authorities");
    }
}
