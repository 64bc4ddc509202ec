//! Barricades: everyone hiding in a place holds its door. When people begin hiding there,
//! the barricade is built up to the place's strength times `min(1, hiders /
//! barricade_full_group)`, where `hiders` counts everyone hiding there now: those who began
//! this tick and those already behind the door (a newcomer helps to reinforce it; the tick
//! each began in does not matter). A barricade never gets weaker by being rebuilt; zombies
//! wear it down in [`crate::systems::apply::moves`].

use crate::agents::{flags, Mode, Population};
use crate::ids::AgentId;
use crate::systems::occupancy::Occupancy;
use crate::world::World;

/// Builds the barricades of the places where the people of `hiding` began hiding, and notes
/// in the history of everyone hiding there whether they hid alone or with others. `count`
/// is per-place scratch, all zero, and left so. `occ` lists who was where at the start of
/// the tick (those who begin hiding stay where they are, so they are among them).
pub fn build(
    hiding: &[AgentId],
    pop: &mut Population,
    barricade: &mut [f32],
    count: &mut [u32],
    world: &World,
    occ: &Occupancy,
    full_group: u32,
) {
    let full = full_group.max(1) as f32;
    let mut here = Vec::new();
    for a in hiding {
        let p = pop.place[a.index()];
        if count[p.index()] != 0 {
            continue;
        }
        here.clear();
        occ.residents(p, &mut here);
        here.retain(|b| {
            let j = b.index();
            pop.place[j] == p && pop.mode[j] == Mode::Hiding && pop.health[j].is_human()
        });
        let n = here.len().max(1) as u32;
        count[p.index()] = n;
        for b in &here {
            pop.flags[b.index()] |= if n >= 2 {
                flags::HID_IN_GROUP
            } else {
                flags::HID_ALONE
            };
        }
        let strength = world.places.barricade_strength[p.index()] * (n as f32 / full).min(1.0);
        barricade[p.index()] = barricade[p.index()].max(strength);
    }
    for a in hiding {
        count[pop.place[a.index()].index()] = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agents::{Health, Mode};
    use crate::ids::PlaceId;
    use crate::testing::{self, BARRICADE};

    #[test]
    fn those_who_hide_together_build_together_up_to_the_full_group() {
        let world = testing::line(3);
        let hider = |p| (p, Health::Susceptible, Mode::Hiding);
        let mut pop = testing::population(&[hider(0), hider(0), hider(1), hider(2)]);
        let occ = testing::occupancy(&world, &pop);
        let mut barricade = vec![0.0, 0.0, BARRICADE];
        let mut count = vec![0; 3];
        let hiding: Vec<AgentId> = (0..4).map(AgentId).collect();
        build(
            &hiding,
            &mut pop,
            &mut barricade,
            &mut count,
            &world,
            &occ,
            4,
        );
        assert_eq!(barricade[0], BARRICADE / 2.0, "two of a full group of four");
        assert_eq!(barricade[1], BARRICADE / 4.0, "one alone");
        assert_eq!(
            barricade[2], BARRICADE,
            "a stronger barricade stays as it was"
        );
        assert_eq!(count, [0, 0, 0], "the scratch is left clear");
        let hid = |a: usize, f| pop.flags[a] & f != 0;
        assert!(hid(0, flags::HID_IN_GROUP) && hid(1, flags::HID_IN_GROUP));
        assert!(hid(2, flags::HID_ALONE) && !hid(2, flags::HID_IN_GROUP));
    }

    #[test]
    fn a_barricade_counts_everyone_behind_it_whichever_tick_they_began_hiding_in() {
        // Three hide in room 0 one tick after another: the barricade grows with each, as if
        // they had begun together; someone alert there does not count.
        let world = testing::line(2);
        let mut pop = testing::population(&[
            (0, Health::Susceptible, Mode::Alert),
            (0, Health::Infected, Mode::Alert),
            (0, Health::Susceptible, Mode::Alert),
            (0, Health::Susceptible, Mode::Alert),
        ]);
        let occ = testing::occupancy(&world, &pop);
        let mut barricade = vec![0.0; 2];
        let mut count = vec![0; 2];
        let mut built = Vec::new();
        for a in 0..3u32 {
            pop.mode[a as usize] = Mode::Hiding;
            build(
                &[AgentId(a)],
                &mut pop,
                &mut barricade,
                &mut count,
                &world,
                &occ,
                4,
            );
            built.push(barricade[0]);
        }
        assert_eq!(built, [BARRICADE / 4.0, BARRICADE / 2.0, BARRICADE * 0.75]);
        assert!(
            pop.flags[0] & flags::HID_IN_GROUP != 0,
            "the first to hide hid alone, then with others"
        );
        assert_eq!(pop.flags[3], 0);
        // Someone who stopped hiding (left for rescue) no longer holds the door: a damaged
        // barricade is rebuilt by those still there.
        pop.mode[0] = Mode::Alert;
        pop.place[0] = PlaceId(1);
        barricade[0] = 0.1;
        pop.mode[3] = Mode::Hiding;
        build(
            &[AgentId(3)],
            &mut pop,
            &mut barricade,
            &mut count,
            &world,
            &occ,
            4,
        );
        assert_eq!(barricade[0], BARRICADE * 0.75, "three of four hold it");
    }
}
