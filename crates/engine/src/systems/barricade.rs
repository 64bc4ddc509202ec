//! Barricades: the people who begin hiding in a place in the same tick build its barricade
//! together, to the place's strength times `min(1, builders / barricade_full_group)` (a
//! barricade never gets weaker by being rebuilt). Zombies wear it down in
//! [`crate::systems::apply::moves`].

use crate::agents::{flags, Population};
use crate::ids::AgentId;
use crate::world::World;

/// Builds the barricades of the places where the people of `hiding` began hiding, and notes
/// in their history whether they hid alone or with others. `count` is per-place scratch,
/// all zero, and left so.
pub fn build(
    hiding: &[AgentId],
    pop: &mut Population,
    barricade: &mut [f32],
    count: &mut [u32],
    world: &World,
    full_group: u32,
) {
    let full = full_group.max(1) as f32;
    for a in hiding {
        count[pop.place[a.index()].index()] += 1;
    }
    for a in hiding {
        let i = a.index();
        let p = pop.place[i].index();
        let n = count[p];
        pop.flags[i] |= if n >= 2 {
            flags::HID_IN_GROUP
        } else {
            flags::HID_ALONE
        };
        let strength = world.places.barricade_strength[p] * (n as f32 / full).min(1.0);
        barricade[p] = barricade[p].max(strength);
    }
    for a in hiding {
        count[pop.place[a.index()].index()] = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agents::{Health, Mode};
    use crate::testing::{self, BARRICADE};

    #[test]
    fn those_who_hide_together_build_together_up_to_the_full_group() {
        let world = testing::line(3);
        let hider = |p| (p, Health::Susceptible, Mode::Hiding);
        let mut pop = testing::population(&[hider(0), hider(0), hider(1), hider(2)]);
        let mut barricade = vec![0.0, 0.0, BARRICADE];
        let mut count = vec![0; 3];
        let hiding: Vec<AgentId> = (0..4).map(AgentId).collect();
        build(&hiding, &mut pop, &mut barricade, &mut count, &world, 4);
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
}
