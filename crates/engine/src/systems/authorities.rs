//! Authorities: the timeline's orders fire at their tick or when their trigger's count is
//! reached (plus a delay), at the end of the tick, after everything else.

use crate::authority::{Order, Trigger};
use crate::ids::{OrderId, NONE};
use crate::systems::occupancy::Occupancy;

/// Which orders have fired or are scheduled.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Schedule {
    /// Tick at which each order fires (`NONE`: trigger not reached yet).
    pub due: Vec<u32>,
    pub fired: Vec<bool>,
}

impl Schedule {
    /// For a timeline.
    pub fn new(orders: &[Order]) -> Self {
        let due = orders
            .iter()
            .map(|o| match o.trigger {
                Trigger::At { tick } => tick,
                Trigger::ZoneCount { .. } => NONE,
            })
            .collect();
        Self {
            due,
            fired: vec![false; orders.len()],
        }
    }
}

/// Indices of the orders that fire at the end of `tick`, in timeline order.
pub fn due(s: &mut Schedule, orders: &[Order], occ: &Occupancy, tick: u32, out: &mut Vec<OrderId>) {
    out.clear();
    for (k, o) in orders.iter().enumerate() {
        if s.fired[k] {
            continue;
        }
        if let Trigger::ZoneCount {
            zone,
            health,
            at_least,
            delay_ticks,
        } = o.trigger
        {
            if s.due[k] == NONE && occ.zones[zone.index()][health as usize] >= at_least {
                s.due[k] = tick.saturating_add(delay_ticks);
            }
        }
        if s.due[k] != NONE && s.due[k] <= tick {
            s.fired[k] = true;
            out.push(OrderId(k as u32));
        }
    }
}
