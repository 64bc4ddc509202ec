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
