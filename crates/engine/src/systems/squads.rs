//! Squads: the fighters one `squad` order deploys act as a unit.
//!
//! - **Together.** A deployed squad is one group (named by its first fighter deployed), led
//!   by its lowest-id member still in it: its first named character (Han Du-seok in the
//!   season-2 scenarios), who decides for all; the others copy that intent
//!   ([`crate::systems::groups::follow_leaders`]) and everyone walks at the pace of the
//!   slowest member ([`crate::systems::groups::Groups::pace`]), so they stay in one place.
//! - **Stronger.** Each member's skill counts `squad_fight_bonus` times in its place's
//!   fighting strength while the squad has two or more members
//!   ([`crate::systems::occupancy::fight_bonus`]).
//! - **Withdrawal.** At the end of each tick ([`run`]), a squad whose members still fit to
//!   fight (susceptible or hambie; the bitten cannot fight) are fewer than `withdraw_below`
//!   of those it deployed turns back: every sweeping member becomes `Withdraw` and heads for
//!   the squad's entry. There the susceptible leave the map (health `Reserve` again, at
//!   their off-map staging place); the bitten and hambies leave the squad and stay, as any
//!   survivor does (the army screens the bitten at rescue points too).
//!
//! Everything this system needs is in the population, the orders and the counters (the
//! fighters each order deployed), so a checkpoint carries it without a state of its own.

use crate::agents::{flags, Health, Mode, Population};
use crate::authority::{Action, Order};
use crate::events::{EventKind, EventLog, Other};
use crate::ids::{GroupId, OrderId, PlaceId, ZoneId};
use crate::state::Counters;
use crate::systems::health;
use crate::systems::occupancy::Occupancy;

/// Whether a squad member can still fight: unbitten, or a hambie.
#[inline]
fn fit(h: Health) -> bool {
    matches!(h, Health::Susceptible | Health::Hambie)
}

/// Turns back the squads below their withdrawal strength and takes off the map the
/// withdrawing fighters who reached their entry. Runs at the end of the tick, on its state.
pub fn run(
    orders: &[Order],
    counters: &mut Counters,
    pop: &mut Population,
    occ: &mut Occupancy,
    log: &mut EventLog,
    t: u32,
) {
    for (k, order) in orders.iter().enumerate() {
        let Action::Squad {
            ref members,
            entry,
            zone,
            withdraw_below,
        } = order.action
        else {
            continue;
        };
        let deployed = counters.orders.get(k).map_or(0, |e| e.deployed);
        if deployed == 0 {
            continue;
        }
        let k = OrderId(k as u32);
        let ours = |pop: &Population, i: usize| pop.mode[i].in_squad() && pop.task[i] == zone;
        let strength = members
            .iter()
            .filter(|a| ours(pop, a.index()) && fit(pop.health[a.index()]))
            .count();
        let sweeping = members.iter().any(|a| pop.mode[a.index()] == Mode::Sweep);
        if sweeping && (strength as f64) < withdraw_below * deployed as f64 {
            for &a in members {
                let i = a.index();
                if pop.mode[i] == Mode::Sweep && pop.task[i] == zone {
                    // A trip into the zone not yet arrived is cut short; the way back starts.
                    pop.flags[i] |= flags::ON_SQUAD_TRIP;
                    counters.trips.squad_started += 1;
                    pop.mode[i] = Mode::Withdraw;
                    occ.mark(a);
                    log.push(EventKind::Withdraw, a, Other::order(k), pop.place[i]);
                }
            }
        }
        for &a in members {
            let i = a.index();
            if pop.mode[i] != Mode::Withdraw
                || pop.task[i] != zone
                || pop.place[i] != entry
                || pop.heading[i].is_some()
            {
                continue;
            }
            pop.group[i] = GroupId::NONE;
            pop.task[i] = ZoneId::NONE;
            occ.mark(a);
            if pop.flags[i] & flags::ON_SQUAD_TRIP != 0 {
                pop.flags[i] &= !flags::ON_SQUAD_TRIP;
                counters.trips.squad_arrived += 1;
            }
            if pop.health[i] == Health::Susceptible {
                log.push(EventKind::LeaveMap, a, Other::order(k), entry);
                health::set(pop, occ, a, Health::Reserve, t);
                pop.mode[i] = Mode::Reserve;
                // NOTE: a fighter's anchors are the staging place it waited at (no tick
                // changes them).
                pop.place[i] = pop.anchors[i][0];
                pop.heading[i] = PlaceId::NONE;
                pop.progress_m[i] = 0.0;
            } else {
                // Bitten or a hambie: no way out with the squad; on their own from here.
                pop.mode[i] = Mode::Alert;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authority::Trigger;
    use crate::ids::AgentId;
    use crate::state::OrderEffect;
    use crate::systems::decide::Intent;
    use crate::systems::groups::{self, Groups};
    use crate::testing;
    use crate::world::World;

    /// Squad members `0..n` of the order, deployed into room `at` of a row of rooms
    /// (entry room 0), sweeping zone 0; `out` of them bitten.
    fn squad(
        rooms: usize,
        n: u32,
        at: u32,
        withdraw_below: f64,
    ) -> (World, Population, Vec<Order>) {
        let world = testing::line(rooms);
        let mut pop =
            testing::population(&vec![(at, Health::Susceptible, Mode::Sweep); n as usize]);
        for i in 0..n as usize {
            pop.group[i] = GroupId(0);
            pop.task[i] = ZoneId(0);
            // Waited off the map in the last room.
            pop.anchors[i] = [PlaceId(rooms as u32 - 1); 4];
        }
        let order = Order {
            label: "squad".into(),
            trigger: Trigger::At { tick: 0 },
            action: Action::Squad {
                members: (0..n).map(AgentId).collect(),
                entry: PlaceId(0),
                zone: ZoneId(0),
                withdraw_below,
            },
        };
        (world, pop, vec![order])
    }

    fn deployed(n: u64) -> Counters {
        let mut c = Counters::new(1);
        c.orders[0] = OrderEffect {
            deployed: n,
            ..OrderEffect::default()
        };
        c
    }

    #[test]
    fn a_squad_below_its_withdrawal_strength_turns_back_and_the_healthy_leave_at_the_entry() {
        let (world, mut pop, orders) = squad(4, 4, 2, 0.5);
        let mut occ = testing::occupancy(&world, &pop);
        let mut log = EventLog::new(1);
        let mut counters = deployed(4);
        // Two of four fit: not below half.
        pop.health[0] = Health::Infected;
        pop.health[1] = Health::Dead;
        pop.mode[1] = Mode::Alert;
        pop.task[1] = ZoneId::NONE;
        pop.group[1] = GroupId::NONE;
        run(&orders, &mut counters, &mut pop, &mut occ, &mut log, 1);
        assert!(testing::kinds(&log).is_empty(), "two of four still fight");
        assert_eq!(pop.mode[2], Mode::Sweep);
        // A third lost: one of four fit, below half.
        pop.health[2] = Health::Infected;
        run(&orders, &mut counters, &mut pop, &mut occ, &mut log, 2);
        assert_eq!(testing::kinds(&log), [EventKind::Withdraw; 3]);
        assert_eq!(
            pop.mode[..],
            [Mode::Withdraw, Mode::Alert, Mode::Withdraw, Mode::Withdraw],
            "the squad's living members turn back, bitten or not"
        );
        // At the entry, the healthy one leaves the map; the bitten stay, out of the squad.
        for i in [0, 2, 3] {
            pop.place[i] = PlaceId(0);
        }
        let mut log = EventLog::new(3);
        run(&orders, &mut counters, &mut pop, &mut occ, &mut log, 3);
        assert_eq!(testing::kinds(&log), [EventKind::LeaveMap]);
        assert_eq!(
            (pop.health[3], pop.mode[3], pop.place[3]),
            (Health::Reserve, Mode::Reserve, PlaceId(3))
        );
        assert_eq!((pop.mode[0], pop.mode[2]), (Mode::Alert, Mode::Alert));
        assert_eq!(
            (counters.trips.squad_started, counters.trips.squad_arrived),
            (3, 3),
            "three ways back to the entry set out on, all three arrived"
        );
        assert!(pop.group.iter().all(|g| g.is_none()) && pop.task.iter().all(|z| z.is_none()));
        for a in 0..4 {
            occ.mark(AgentId(a));
        }
        testing::flush(&mut occ, &world, &pop);
        assert!(testing::tally_is_true(&occ, &world, &pop));
        assert_eq!(occ.total[Health::Reserve as usize], 1);
        assert_eq!(
            occ.at
                .iter()
                .map(|t| t.census[Health::Reserve as usize])
                .sum::<u32>(),
            0,
            "the reserve is in no place's census"
        );
    }

    #[test]
    fn a_squad_that_never_withdraws_fights_to_the_last() {
        let (world, mut pop, orders) = squad(3, 3, 1, 0.0);
        let mut occ = testing::occupancy(&world, &pop);
        let mut log = EventLog::new(1);
        pop.health[0] = Health::Infected;
        pop.health[1] = Health::Infected;
        run(&orders, &mut deployed(3), &mut pop, &mut occ, &mut log, 1);
        assert!(testing::kinds(&log).is_empty());
        assert!(pop.mode.iter().all(|&m| m == Mode::Sweep));
    }

    #[test]
    fn members_follow_the_leader_at_the_pace_of_the_slowest() {
        let (world, mut pop, _) = squad(3, 3, 0, 0.5);
        pop.traits[0].run_mps = 5.0;
        pop.traits[1].run_mps = 2.0;
        pop.traits[2].run_mps = 4.0;
        let mut occ = testing::occupancy(&world, &pop);
        let mut g = Groups::for_population(&pop);
        groups::tidy(&mut g, &mut pop, &mut occ);
        assert_eq!(g.leader[0], AgentId(0), "the first member leads");
        for a in 0..3 {
            assert_eq!(g.pace(&pop, AgentId(a)), 2.0, "the slowest member's pace");
        }
        let mut intents = vec![
            Intent {
                next: PlaceId::NONE,
                mode: Mode::Sweep,
                threatened: false,
            };
            3
        ];
        intents[0].next = PlaceId(1);
        groups::follow_leaders(&mut intents, &pop, &g);
        assert!(intents.iter().all(|it| it.next == PlaceId(1)));
    }
}
