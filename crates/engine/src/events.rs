//! The event log: what happened to whom in a tick (bites, kills, turns, rescues, orders).
//! Systems append through [`EventLog::push`]; the caller reads a tick's events after
//! [`crate::Simulation::step`] and the next step starts a fresh log.

use serde::{Deserialize, Serialize};

/// What happened to whom.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum EventKind {
    /// `agent` was bitten by `other`.
    Bite,
    /// Zombie `agent` was destroyed by `other`.
    Destroyed,
    /// `agent` turned into a zombie.
    Turn,
    /// `agent` turned into a hambie.
    TurnHambie,
    /// `agent` was evacuated.
    Rescue,
    /// `agent` was killed by a strike.
    StrikeDeath,
    /// `agent` died of other causes (Munz's δ).
    NaturalDeath,
    /// Dead `agent` rose as a zombie (Munz's ζ).
    Rise,
    /// `agent` got through a cordon.
    CordonLeak,
    /// Fighter `agent` was deployed.
    Deploy,
    /// Order number `other` of the timeline fired.
    Order,
    /// `agent` was taken into quarantine.
    Quarantine,
    /// Quarantined `agent` was removed (died).
    QuarantineDeath,
    /// Zombie `agent` was cured.
    Cure,
    /// Zombie `agent` was destroyed by an eradication.
    Eradicated,
}

impl EventKind {
    /// The lowercase name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Bite => "bite",
            EventKind::Destroyed => "destroyed",
            EventKind::Turn => "turn",
            EventKind::TurnHambie => "turn-hambie",
            EventKind::Rescue => "rescue",
            EventKind::StrikeDeath => "strike-death",
            EventKind::NaturalDeath => "natural-death",
            EventKind::Rise => "rise",
            EventKind::CordonLeak => "cordon-leak",
            EventKind::Deploy => "deploy",
            EventKind::Order => "order",
            EventKind::Quarantine => "quarantine",
            EventKind::QuarantineDeath => "quarantine-death",
            EventKind::Cure => "cure",
            EventKind::Eradicated => "eradicated",
        }
    }
}

/// One line of the event log. `other` and `place` are `NONE` where they do not apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub tick: u32,
    pub kind: EventKind,
    pub agent: u32,
    pub other: u32,
    pub place: u32,
}

/// The events of one tick, in the order the systems logged them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventLog {
    tick: u32,
    events: Vec<Event>,
}

impl EventLog {
    /// An empty log for tick `tick`.
    pub fn new(tick: u32) -> Self {
        Self {
            tick,
            events: Vec::new(),
        }
    }
    /// Empties the log and stamps what comes next with `tick`.
    pub fn begin(&mut self, tick: u32) {
        self.tick = tick;
        self.events.clear();
    }
    /// Logs one event of the current tick.
    #[inline]
    pub fn push(&mut self, kind: EventKind, agent: u32, other: u32, place: u32) {
        self.events.push(Event {
            tick: self.tick,
            kind,
            agent,
            other,
            place,
        });
    }
    /// Forgets the events logged so far (the caller has read them).
    pub fn clear(&mut self) {
        self.events.clear();
    }
    /// The events logged, in order.
    pub fn as_slice(&self) -> &[Event] {
        &self.events
    }
    /// The events logged, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Event> {
        self.events.iter()
    }
    /// Number of events logged.
    pub fn len(&self) -> usize {
        self.events.len()
    }
    /// Whether nothing was logged.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }
}

impl<'a> IntoIterator for &'a EventLog {
    type Item = &'a Event;
    type IntoIter = std::slice::Iter<'a, Event>;
    fn into_iter(self) -> Self::IntoIter {
        self.events.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_stamps_the_current_tick_and_begin_starts_afresh() {
        let mut log = EventLog::new(0);
        log.push(EventKind::Order, u32::MAX, 0, u32::MAX);
        log.begin(7);
        assert!(log.is_empty());
        log.push(EventKind::Bite, 3, 1, 0);
        log.push(EventKind::Turn, 3, u32::MAX, 0);
        assert_eq!(log.len(), 2);
        assert!(log.iter().all(|e| e.tick == 7));
        assert_eq!(log.as_slice()[0].kind, EventKind::Bite);
    }
}
