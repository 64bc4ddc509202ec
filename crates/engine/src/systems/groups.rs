//! Groups: aware survivors in the same place, with no zombies there, band together (up to a
//! size). A group's id is its founder's agent id; its leader is its lowest-id living member,
//! who decides for everyone (members copy the leader's intent and walk at the leader's
//! pace). Members who turn, die, are rescued or fall behind leave; a group of one dissolves.
//! A deployed squad is a group too (see [`crate::systems::squads`]): its fighters never join
//! civilians' groups nor take civilians in, and it walks at the pace of its slowest member.

use crate::agents::{flags, Health, Mode, Population};
use crate::ids::{AgentId, GroupId, PlaceId};
use crate::rng::{self, Stream};
use crate::systems::decide::Intent;
use crate::systems::occupancy::Occupancy;

/// Per-group scratch, indexed by group id (an agent id).
#[derive(Clone, Debug, Default)]
pub struct Groups {
    /// Lowest-id member of each group (`AgentId::NONE` for ids that are not groups).
    pub leader: Vec<AgentId>,
    size: Vec<u32>,
    /// Running pace of each squad's slowest member (unused for civilians' groups).
    slowest: Vec<f32>,
    ids: Vec<GroupId>,
    /// Agents in a group, ascending (rebuilt by `tidy`, extended by `form`).
    members: Vec<AgentId>,
    bucket: Vec<(PlaceId, AgentId)>,
}

impl Groups {
    /// Sized for a population.
    pub fn new(agents: usize) -> Self {
        Self {
            leader: vec![AgentId::NONE; agents],
            size: vec![0; agents],
            slowest: vec![f32::INFINITY; agents],
            ..Self::default()
        }
    }

    /// The groups of a population as [`tidy`] needs them at the start of a tick: everyone
    /// with a group, ascending. `tidy` recomputes leaders and sizes from these and the
    /// population alone, so this is all that carries over between ticks.
    pub fn for_population(pop: &Population) -> Self {
        let mut g = Self::new(pop.len());
        g.members = (0..pop.len() as u32)
            .map(AgentId)
            .filter(|&a| pop.group[a.index()].is_some())
            .collect();
        g
    }

    /// The pace at which an agent moves: a squad's slowest member's running pace; otherwise
    /// the group leader's (or the agent's own, if in no group) walking pace in a routine and
    /// running pace when aware.
    #[inline]
    pub fn pace(&self, pop: &Population, a: AgentId) -> f32 {
        let i = a.index();
        let gid = pop.group[i];
        if pop.mode[i].in_squad() && gid.is_some() && self.slowest[gid.index()].is_finite() {
            return self.slowest[gid.index()];
        }
        let tr = pop.traits[self.leader_of(pop, a).index()];
        if pop.mode[i] == Mode::Routine {
            tr.walk_mps
        } else {
            tr.run_mps
        }
    }

    /// Adds a squad's deployed fighters (their `group` already set) to the groups.
    pub fn enlist(&mut self, fighters: impl IntoIterator<Item = AgentId>) {
        self.members.extend(fighters);
    }

    /// The leader of an agent's group, or the agent itself if in none.
    #[inline]
    pub fn leader_of(&self, pop: &Population, a: AgentId) -> AgentId {
        let gid = pop.group[a.index()];
        if gid.is_some() && self.leader[gid.index()].is_some() {
            self.leader[gid.index()]
        } else {
            a
        }
    }
}

fn member(h: Health, m: Mode) -> bool {
    matches!(h, Health::Susceptible | Health::Infected) && matches!(m, Mode::Alert | Mode::Hiding)
}

/// Whether someone in a group stays in it: a civilian who can still band together, or a
/// deployed squad's fighter with a human mind.
fn stays(h: Health, m: Mode) -> bool {
    member(h, m) || (h.is_human() && m.in_squad())
}

/// Recomputes leaders and removes members who no longer belong.
pub fn tidy(g: &mut Groups, pop: &mut Population, occ: &mut Occupancy) {
    for &id in &g.ids {
        g.leader[id.index()] = AgentId::NONE;
        g.size[id.index()] = 0;
        g.slowest[id.index()] = f32::INFINITY;
    }
    g.ids.clear();
    // NOTE: members are visited in ascending id order, so each group's leader is its
    // lowest-id member.
    g.members.sort_unstable();
    g.members.dedup();
    let mut members = std::mem::take(&mut g.members);
    members.retain(|&a| {
        let i = a.index();
        let gid = pop.group[i];
        if gid.is_none() {
            // Left by another system (turned, rescued), which marked it.
            return false;
        }
        if !stays(pop.health[i], pop.mode[i]) {
            pop.group[i] = GroupId::NONE;
            occ.mark(a);
            return false;
        }
        let l = &mut g.leader[gid.index()];
        if l.is_none() {
            *l = a;
            g.ids.push(gid);
        }
        true
    });
    members.retain(|&a| {
        let i = a.index();
        let gid = pop.group[i];
        let leader = g.leader[gid.index()];
        if pop.place[i] != pop.place[leader.index()] {
            pop.group[i] = GroupId::NONE;
            occ.mark(a);
            false
        } else {
            g.size[gid.index()] += 1;
            if pop.mode[i].in_squad() {
                let s = &mut g.slowest[gid.index()];
                *s = s.min(pop.traits[i].run_mps);
            }
            true
        }
    });
    members.retain(|&a| {
        let i = a.index();
        let gid = pop.group[i];
        if g.size[gid.index()] < 2 {
            pop.group[i] = GroupId::NONE;
            g.leader[gid.index()] = AgentId::NONE;
            occ.mark(a);
            false
        } else {
            true
        }
    });
    g.members = members;
}

/// Members copy their leader's intent.
pub fn follow_leaders(intents: &mut [Intent], pop: &Population, g: &Groups) {
    for &a in &g.members {
        let i = a.index();
        let gid = pop.group[i];
        if gid.is_none() {
            continue;
        }
        let l = g.leader[gid.index()];
        if l.is_some() && l != a && pop.health[i].is_human() {
            intents[i] = intents[l.index()];
        }
    }
}

/// Forms and grows groups among aware people in places without zombies.
pub fn form(
    g: &mut Groups,
    pop: &mut Population,
    occ: &mut Occupancy,
    max_size: u32,
    join_p: f64,
    seed: u64,
    tick: u32,
) {
    g.bucket.clear();
    let mut here = Vec::new();
    for p in (0..occ.at.len() as u32).map(PlaceId) {
        // `calm` is one byte a place: most places are skipped without touching their tally.
        let t = &occ.at[p.index()];
        if occ.calm[p.index()] == 1
            || t.loners == 0
            || t.census[Health::Zombie as usize] != 0
            || t.aware < 2
        {
            continue;
        }
        here.clear();
        occ.residents(p, &mut here);
        here.sort_unstable();
        for &a in &here {
            if member(pop.health[a.index()], pop.mode[a.index()]) {
                g.bucket.push((p, a));
            }
        }
    }
    let mut start = 0;
    while start < g.bucket.len() {
        let place = g.bucket[start].0;
        let end = start
            + g.bucket[start..]
                .iter()
                .take_while(|b| b.0 == place)
                .count();
        // The open group: the first existing group here with room.
        let mut open = GroupId::NONE;
        for &(_, a) in &g.bucket[start..end] {
            let gid = pop.group[a.index()];
            if gid.is_some() && g.size[gid.index()] < max_size {
                open = gid;
                break;
            }
        }
        let mut pending = AgentId::NONE;
        for k in start..end {
            let a = g.bucket[k].1;
            let i = a.index();
            if pop.group[i].is_some() || rng::unit(seed, Stream::Groups, tick, a.0) >= join_p {
                continue;
            }
            if open.is_some() && g.size[open.index()] < max_size {
                pop.group[i] = open;
                g.size[open.index()] += 1;
                pop.flags[i] |= flags::GROUPED;
                g.members.push(a);
                occ.mark(a);
            } else if pending.is_some() && max_size >= 2 {
                // The new group takes the id of one of its two founders that no living group
                // uses (an old group may carry on under a founder who fell behind).
                let Some(id) = [pending, a]
                    .into_iter()
                    .map(GroupId::founded_by)
                    .find(|x| g.leader[x.index()].is_none())
                else {
                    pending = a;
                    continue;
                };
                for x in [pending, a] {
                    pop.group[x.index()] = id;
                    pop.flags[x.index()] |= flags::GROUPED;
                    g.members.push(x);
                    occ.mark(x);
                }
                g.size[id.index()] = 2;
                g.leader[id.index()] = pending;
                g.ids.push(id);
                open = id;
                pending = AgentId::NONE;
            } else {
                pending = a;
            }
        }
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    #[test]
    fn aware_people_in_a_place_without_zombies_band_together_up_to_the_size() {
        let world = testing::line(1);
        let mut pop = testing::population(&[(0, Health::Susceptible, Mode::Alert); 4]);
        let mut occ = testing::occupancy(&world, &pop);
        let mut g = Groups::new(pop.len());
        form(&mut g, &mut pop, &mut occ, 3, 1.0, 1, 1);
        let founded = GroupId::founded_by(AgentId(0));
        assert_eq!(pop.group[..3], [founded; 3], "two found it, a third joins");
        assert!(pop.group[3].is_none(), "the group is full");
        assert!(pop.flags[..3].iter().all(|f| f & flags::GROUPED != 0));
        testing::flush(&mut occ, &world, &pop);
        assert!(testing::tally_is_true(&occ, &world, &pop));
        assert_eq!(occ.at[0].loners, 1);

        let mut intents = vec![
            Intent {
                next: PlaceId::NONE,
                mode: Mode::Alert,
                threatened: false,
            };
            4
        ];
        intents[0].next = PlaceId(0);
        intents[3].mode = Mode::Hiding;
        follow_leaders(&mut intents, &pop, &g);
        assert!(intents[..3].iter().all(|it| it.next == PlaceId(0)));
        assert_eq!(intents[3].mode, Mode::Hiding, "not in the group");
    }

    #[test]
    fn no_group_forms_where_zombies_are() {
        let world = testing::line(1);
        let mut people = vec![(0, Health::Susceptible, Mode::Alert); 3];
        people.push((0, Health::Zombie, Mode::Alert));
        let mut pop = testing::population(&people);
        let mut occ = testing::occupancy(&world, &pop);
        form(&mut Groups::new(4), &mut pop, &mut occ, 8, 1.0, 1, 1);
        assert!(pop.group.iter().all(|g| g.is_none()));
    }

    #[test]
    fn tidy_names_the_lowest_id_leader_and_drops_who_no_longer_belong() {
        let world = testing::line(2);
        let alert = |p| (p, Health::Susceptible, Mode::Alert);
        let mut pop = testing::population(&[alert(0), alert(0), alert(1), alert(0), alert(1)]);
        let (a, b) = (GroupId(1), GroupId(4));
        pop.group = vec![a, a, a, a, b];
        pop.health[3] = Health::Zombie;
        let mut occ = testing::occupancy(&world, &pop);
        let mut g = Groups::for_population(&pop);
        tidy(&mut g, &mut pop, &mut occ);
        assert_eq!(
            g.leader[a.index()],
            AgentId(0),
            "the lowest id, not the founder"
        );
        assert_eq!(g.leader_of(&pop, AgentId(1)), AgentId(0));
        assert!(pop.group[2].is_none(), "fell behind in another place");
        assert!(pop.group[3].is_none(), "turned");
        assert!(pop.group[4].is_none(), "a group of one dissolves");
        assert!(g.leader[b.index()].is_none());
        assert_eq!(g.leader_of(&pop, AgentId(4)), AgentId(4));
        testing::flush(&mut occ, &world, &pop);
        assert!(testing::tally_is_true(&occ, &world, &pop));
    }
}
