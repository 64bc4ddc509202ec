//! Turn: infected people whose latent time is up become zombies (or, by chance, hambies).
//! Also the slow processes of Munz's model: the dead rising (ζ) and natural deaths (δ).

use crate::agents::Health;
use crate::ids::AgentId;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Infected people waiting to turn, earliest first (ties by agent id).
#[derive(Clone, Debug, Default)]
pub struct TurnQueue {
    heap: BinaryHeap<Reverse<(u32, AgentId)>>,
}

impl TurnQueue {
    /// Schedules an agent to turn at a tick.
    pub fn push(&mut self, tick: u32, agent: AgentId) {
        self.heap.push(Reverse((tick, agent)));
    }
    /// Removes and returns the agents due at or before `tick`, in (tick, id) order, keeping
    /// only those still infected.
    pub fn due(&mut self, tick: u32, health: &[Health], out: &mut Vec<AgentId>) {
        out.clear();
        while let Some(&Reverse((t, a))) = self.heap.peek() {
            if t > tick {
                break;
            }
            self.heap.pop();
            if health[a.index()] == Health::Infected {
                out.push(a);
            }
        }
    }
    /// Every (turn tick, agent) waiting, ascending: what a checkpoint saves. Entries of
    /// people no longer infected are kept, as they are in the queue.
    pub fn entries(&self) -> Vec<(u32, AgentId)> {
        let mut all: Vec<(u32, AgentId)> = self.heap.iter().map(|r| r.0).collect();
        all.sort_unstable();
        all
    }
    /// A queue holding these (turn tick, agent) entries. Entries are plain values, so the
    /// queue hands them out in the same order as the one they were read from.
    pub fn from_entries(entries: Vec<(u32, AgentId)>) -> Self {
        Self {
            heap: entries.into_iter().map(Reverse).collect(),
        }
    }
    /// Number of agents waiting.
    pub fn len(&self) -> usize {
        self.heap.len()
    }
    /// Whether nobody is waiting.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}
