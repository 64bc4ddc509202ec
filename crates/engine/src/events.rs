//! The event log: what happened to whom in a tick (bites, kills, turns, rescues, orders).
//! Systems append through [`EventLog::push`]; the caller reads a tick's events after
//! [`crate::Simulation::step`] and the next step starts a fresh log.

use crate::ids::{AgentId, OrderId, PlaceId};
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
    /// Fighter `agent` was deployed by order number `other`.
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
    /// Fighter `agent` turned back with its squad, deployed by order number `other`, which
    /// fell below its withdrawal strength.
    Withdraw,
    /// Fighter `agent` of order number `other`'s squad reached its entry while withdrawing
    /// and left the map (back in reserve).
    LeaveMap,
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
            EventKind::Withdraw => "withdraw",
            EventKind::LeaveMap => "leave-map",
        }
    }
}

/// One line of the event log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The tick in which it happened (0: an order fired at the start).
    pub tick: u32,
    /// What happened.
    pub kind: EventKind,
    /// Who it happened to (`AgentId::NONE` for an order).
    pub agent: AgentId,
    /// The biter, the fighter who destroyed the zombie, or the order that fired
    /// ([`Other::NONE`] for the other kinds).
    pub other: Other,
    /// Where it happened (`PlaceId::NONE` for an order).
    pub place: PlaceId,
}

impl Event {
    /// The biter of a bite, the fighter who destroyed a zombie.
    pub fn by(&self) -> Option<AgentId> {
        match self.kind {
            EventKind::Bite | EventKind::Destroyed => AgentId(self.other.0).get(),
            _ => None,
        }
    }
    /// The order that fired, for an [`EventKind::Order`]; the order that deployed the
    /// fighter, for an [`EventKind::Deploy`], [`EventKind::Withdraw`] or
    /// [`EventKind::LeaveMap`].
    pub fn order(&self) -> Option<OrderId> {
        match self.kind {
            EventKind::Order | EventKind::Deploy | EventKind::Withdraw | EventKind::LeaveMap => {
                OrderId(self.other.0).get()
            }
            _ => None,
        }
    }
}

/// The other party of an event: an agent or an order, as the event's kind says (read it
/// with [`Event::by`] or [`Event::order`]). One `u32`, as in checkpoint files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Other(pub u32);

impl Other {
    /// No other party.
    pub const NONE: Self = Self(u32::MAX);
    /// An agent: the biter, the fighter.
    #[inline]
    pub fn agent(a: AgentId) -> Self {
        Self(a.0)
    }
    /// An order of the timeline.
    #[inline]
    pub fn order(k: OrderId) -> Self {
        Self(k.0)
    }
    /// The number written in files, or `None` for [`Other::NONE`].
    pub fn get(self) -> Option<u32> {
        (self != Self::NONE).then_some(self.0)
    }
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
    pub fn push(&mut self, kind: EventKind, agent: AgentId, other: Other, place: PlaceId) {
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
        log.push(
            EventKind::Order,
            AgentId::NONE,
            Other::order(OrderId(0)),
            PlaceId::NONE,
        );
        assert_eq!(log.as_slice()[0].order(), Some(OrderId(0)));
        log.begin(7);
        assert!(log.is_empty());
        log.push(
            EventKind::Bite,
            AgentId(3),
            Other::agent(AgentId(1)),
            PlaceId(0),
        );
        log.push(EventKind::Turn, AgentId(3), Other::NONE, PlaceId(0));
        assert_eq!(log.len(), 2);
        assert!(log.iter().all(|e| e.tick == 7));
        let [bite, turn] = [log.as_slice()[0], log.as_slice()[1]];
        assert_eq!((bite.by(), bite.order()), (Some(AgentId(1)), None));
        assert_eq!((turn.by(), turn.other.get()), (None, None));
    }
}
