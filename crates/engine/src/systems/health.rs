//! Changes of health. Every system that changes a person's health goes through [`set`], so
//! that the change reaches the tally and the fate tick is kept.

use crate::agents::{Health, Mode, Population};
use crate::ids::{AgentId, GroupId, ZoneId};
use crate::systems::occupancy::Occupancy;

/// Sets `a`'s health to `h` at tick `t` and marks `a` for the tally.
#[inline]
pub fn set(pop: &mut Population, occ: &mut Occupancy, a: AgentId, h: Health, t: u32) {
    occ.mark(a);
    let i = a.index();
    pop.health[i] = h;
    pop.fate_tick[i] = t;
    if !h.is_human() {
        // The dead and the undead keep no duty, group or human mode.
        pop.mode[i] = Mode::Alert;
        pop.task[i] = ZoneId::NONE;
        pop.group[i] = GroupId::NONE;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    #[test]
    fn a_change_of_health_is_marked_and_the_dead_drop_their_duties() {
        let world = testing::line(1);
        let mut pop = testing::population(&[(0, Health::Susceptible, Mode::Sweep); 2]);
        pop.group[0] = GroupId(0);
        pop.task[0] = ZoneId(0);
        let mut occ = testing::occupancy(&world, &pop);
        set(&mut pop, &mut occ, AgentId(1), Health::Hambie, 3);
        assert_eq!(pop.mode[1], Mode::Sweep, "a hambie keeps its mind");
        set(&mut pop, &mut occ, AgentId(0), Health::Dead, 4);
        assert_eq!((pop.health[0], pop.fate_tick[0]), (Health::Dead, 4));
        assert_eq!(pop.mode[0], Mode::Alert);
        assert!(pop.group[0].is_none() && pop.task[0].is_none());
        testing::flush(&mut occ, &world, &pop);
        assert!(testing::tally_is_true(&occ, &world, &pop));
        assert_eq!(occ.total[Health::Dead as usize], 1);
    }
}
