//! Groups: aware survivors in the same place, with no zombies there, band together (up to a
//! size). A group's id is its founder's agent id; its leader is its lowest-id living member,
//! who decides for everyone (members copy the leader's intent and walk at the leader's
//! pace). Members who turn, die, are rescued or fall behind leave; a group of one dissolves.

use crate::agents::{flags, Health, Mode, Population};
use crate::ids::NONE;
use crate::rng::{self, Stream};
use crate::systems::decide::Intent;
use crate::systems::occupancy::Occupancy;

/// Per-group scratch, indexed by group id (an agent id).
#[derive(Clone, Debug, Default)]
pub struct Groups {
    /// Lowest-id member of each group (`NONE` for ids that are not groups).
    pub leader: Vec<u32>,
    size: Vec<u32>,
    ids: Vec<u32>,
    /// Agents in a group, ascending (rebuilt by `tidy`, extended by `form`).
    members: Vec<u32>,
    bucket: Vec<(u32, u32)>,
}

impl Groups {
    /// Sized for a population.
    pub fn new(agents: usize) -> Self {
        Self {
            leader: vec![NONE; agents],
            size: vec![0; agents],
            ..Self::default()
        }
    }

    /// The groups of a population as [`tidy`] needs them at the start of a tick: everyone
    /// with a group, ascending. `tidy` recomputes leaders and sizes from these and the
    /// population alone, so this is all that carries over between ticks.
    pub fn for_population(pop: &Population) -> Self {
        let mut g = Self::new(pop.len());
        g.members = (0..pop.len() as u32)
            .filter(|&a| pop.group[a as usize] != NONE)
            .collect();
        g
    }
}

fn member(h: Health, m: Mode) -> bool {
    matches!(h, Health::Susceptible | Health::Infected) && matches!(m, Mode::Alert | Mode::Hiding)
}

/// Recomputes leaders and removes members who no longer belong.
pub fn tidy(g: &mut Groups, pop: &mut Population, dirty: &mut Vec<u32>) {
    for &id in &g.ids {
        g.leader[id as usize] = NONE;
        g.size[id as usize] = 0;
    }
    g.ids.clear();
    // NOTE: members are visited in ascending id order, so each group's leader is its
    // lowest-id member.
    g.members.sort_unstable();
    g.members.dedup();
    let mut members = std::mem::take(&mut g.members);
    members.retain(|&a| {
        let i = a as usize;
        let gid = pop.group[i];
        if gid == NONE {
            // Left by another system (turned, rescued), which marked it.
            return false;
        }
        if !member(pop.health[i], pop.mode[i]) {
            pop.group[i] = NONE;
            dirty.push(a);
            return false;
        }
        let l = &mut g.leader[gid as usize];
        if *l == NONE {
            *l = a;
            g.ids.push(gid);
        }
        true
    });
    members.retain(|&a| {
        let i = a as usize;
        let gid = pop.group[i];
        let leader = g.leader[gid as usize] as usize;
        if pop.place[i] != pop.place[leader] {
            pop.group[i] = NONE;
            dirty.push(a);
            false
        } else {
            g.size[gid as usize] += 1;
            true
        }
    });
    members.retain(|&a| {
        let i = a as usize;
        let gid = pop.group[i];
        if g.size[gid as usize] < 2 {
            pop.group[i] = NONE;
            g.leader[gid as usize] = NONE;
            dirty.push(a);
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
        let i = a as usize;
        let gid = pop.group[i];
        if gid == NONE {
            continue;
        }
        let l = g.leader[gid as usize];
        if l != NONE && l as usize != i && pop.health[i].is_human() {
            intents[i] = intents[l as usize];
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
    for p in 0..occ.at.len() {
        // `calm` is one byte a place: most places are skipped without touching their tally.
        let t = &occ.at[p];
        if occ.calm[p] == 1
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
            if member(pop.health[a as usize], pop.mode[a as usize]) {
                g.bucket.push((p as u32, a));
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
        let mut open = NONE;
        for &(_, a) in &g.bucket[start..end] {
            let gid = pop.group[a as usize];
            if gid != NONE && g.size[gid as usize] < max_size {
                open = gid;
                break;
            }
        }
        let mut pending = NONE;
        for k in start..end {
            let a = g.bucket[k].1 as usize;
            if pop.group[a] != NONE || rng::unit(seed, Stream::Groups, tick, a as u32) >= join_p {
                continue;
            }
            if open != NONE && g.size[open as usize] < max_size {
                pop.group[a] = open;
                g.size[open as usize] += 1;
                pop.flags[a] |= flags::GROUPED;
                g.members.push(a as u32);
                occ.mark(a as u32);
            } else if pending != NONE && max_size >= 2 {
                // The new group takes the id of one of its two founders that no living group
                // uses (an old group may carry on under a founder who fell behind).
                let Some(id) = [pending, a as u32]
                    .into_iter()
                    .find(|&x| g.leader[x as usize] == NONE)
                else {
                    pending = a as u32;
                    continue;
                };
                for x in [pending as usize, a] {
                    pop.group[x] = id;
                    pop.flags[x] |= flags::GROUPED;
                    g.members.push(x as u32);
                    occ.mark(x as u32);
                }
                g.size[id as usize] = 2;
                g.leader[id as usize] = pending;
                g.ids.push(id);
                open = id;
                pending = NONE;
            } else {
                pending = a as u32;
            }
        }
        start = end;
    }
}
