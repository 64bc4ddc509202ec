//! Occupancy: per-place aggregates of the population, recounted at the end of every tick.
//! Every other system reads the world through these rather than scanning agents.

use crate::agents::{Health, Mode, Population};
use crate::ids::NONE;
use crate::params::BehaviourParams;
use crate::world::World;

/// What a place holds at the end of a tick. The fields every system reads together live in
/// one record (48 bytes), so a person's place costs one cache line, not six.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tally {
    /// Count of each health state.
    pub census: [u32; 6],
    /// Noise made here (people, fights, lures).
    pub noise: f32,
    /// People zombies can see here (not hiding, not hambies).
    pub visible: f32,
    /// Fighting strength of the humans here.
    pub fight: f32,
    /// Aware humans here.
    pub aware: u32,
    /// Zombies in the neighbouring places.
    pub zombies_near: u32,
    /// How many people fit before the place turns people away (static; `u32::MAX` for
    /// places people pass through). Kept here so a full-place check reads one record.
    pub capacity: u32,
}

/// Per-place and per-zone aggregates of the state at the end of a tick.
#[derive(Clone, Debug, Default)]
pub struct Occupancy {
    /// One record per place.
    pub at: Vec<Tally>,
    /// Places holding at least one zombie, ascending.
    pub zombie_places: Vec<u32>,
    /// Count of each health state per zone.
    pub zones: Vec<[u64; 6]>,
    /// Whole-world count of each health state.
    pub total: [u64; 6],
}

/// Inputs to noise that are not people.
pub struct ExtraNoise<'a> {
    pub lure: &'a [f32],
    /// Zombies fought in each place during the tick.
    pub fought: &'a [f32],
    pub night: bool,
}

impl Occupancy {
    /// Sized for a world, all zero.
    pub fn new(world: &World) -> Self {
        Self {
            at: (0..world.place_count())
                .map(|p| {
                    let kind = world.places.kind[p];
                    let capacity = if kind.is_room() {
                        world.places.capacity[p]
                    } else {
                        u32::MAX
                    };
                    Tally {
                        capacity,
                        ..Tally::default()
                    }
                })
                .collect(),
            zombie_places: Vec::new(),
            zones: vec![[0; 6]; world.zone_count()],
            total: [0; 6],
        }
    }
}

/// Recounts every aggregate from the population.
pub fn run(
    occ: &mut Occupancy,
    world: &World,
    pop: &Population,
    b: &BehaviourParams,
    extra: ExtraNoise,
) {
    for ((t, &lure), &fought) in occ.at.iter_mut().zip(extra.lure).zip(extra.fought) {
        *t = Tally {
            noise: lure + fought * b.fight_noise as f32,
            capacity: t.capacity,
            ..Tally::default()
        };
    }
    let night_factor = if extra.night {
        b.night_noise_factor as f32
    } else {
        1.0
    };
    let group_factor = 1.0 + b.group_noise as f32;
    let group_fight = b.group_fight_bonus as f32;
    for i in 0..pop.len() {
        let p = pop.place[i].index();
        let h = pop.health[i];
        occ.at[p].census[h as usize] += 1;
        if !h.is_human() {
            continue;
        }
        let mode = pop.mode[i];
        if mode == Mode::Reserve {
            continue;
        }
        let grouped = pop.group[i] != NONE;
        if mode != Mode::Routine {
            occ.at[p].aware += 1;
        }
        if matches!(h, Health::Susceptible | Health::Hambie) {
            occ.at[p].fight += pop.traits[i].fight * if grouped { group_fight } else { 1.0 };
        }
        if h == Health::Hambie {
            // Zombies ignore hambies: they neither hear nor see them.
            continue;
        }
        let mut noise = b.human_noise as f32 * (1.0 - pop.traits[i].stealth);
        if grouped {
            noise *= group_factor;
        }
        match mode {
            Mode::Hiding => noise *= b.hide_noise as f32,
            Mode::Routine => noise *= night_factor,
            _ => {}
        }
        occ.at[p].noise += noise;
        if mode != Mode::Hiding {
            occ.at[p].visible += 1.0;
        }
    }
    occ.zombie_places.clear();
    occ.total = [0; 6];
    occ.zones.iter_mut().for_each(|z| *z = [0; 6]);
    for p in 0..occ.at.len() {
        let c = occ.at[p].census;
        for (t, &x) in occ.total.iter_mut().zip(&c) {
            *t += u64::from(x);
        }
        for z in world.zones_of(crate::ids::PlaceId(p as u32)) {
            for (t, &x) in occ.zones[z.index()].iter_mut().zip(&c) {
                *t += u64::from(x);
            }
        }
        let z = c[Health::Zombie as usize];
        if z > 0 {
            occ.zombie_places.push(p as u32);
            for e in world.neighbours(crate::ids::PlaceId(p as u32)) {
                occ.at[e.to.index()].zombies_near += z;
            }
        }
    }
}
