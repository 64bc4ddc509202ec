//! What the systems write besides the population and the tally: the dynamic state of
//! places and ways (barricades, rescue points, lures, cordons) and the running counters.

use crate::agents::STATES;
use crate::ids::{OrderId, ZoneId};
use crate::world::World;
use serde::{Deserialize, Serialize};

/// What one order of the timeline has done so far. Which fields count depends on its
/// action; the others stay zero.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderEffect {
    /// A cordon: tries by humans to cross one of its closed ways (each try counts: a person
    /// turned back tries again next tick).
    pub human_attempts: u64,
    /// A cordon: the humans' tries that got through.
    pub human_leaks: u64,
    /// A cordon: tries by zombies to cross one of its closed ways.
    pub zombie_attempts: u64,
    /// A cordon: the zombies' tries that got through.
    pub zombie_leaks: u64,
    /// A rescue point: people evacuated there.
    pub rescued: u64,
    /// A rescue point: bitten people the army turned away there, each counted once.
    pub turned_away: u64,
    /// A lure: zombies that reached its place while it sounded, each counted once.
    pub zombies_drawn: u64,
    /// A strike or an eradication: the people and zombies it killed, by their state when
    /// it came.
    pub killed: [u64; STATES],
    /// An alarm: people it moved from their routine to alert.
    pub warned: u64,
    /// A squad: fighters it deployed.
    pub deployed: u64,
}

/// Running totals that are not states: attempts at the cordon, moves of zombies.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counters {
    /// Tries by zombies to cross a closed cordon way.
    pub cordon_zombie_attempts: u64,
    /// The zombies' tries that got through.
    pub cordon_zombie_leaks: u64,
    /// Tries by humans to cross a closed cordon way.
    pub cordon_human_attempts: u64,
    /// The humans' tries that got through.
    pub cordon_human_leaks: u64,
    /// Steps taken by zombies from one place to another.
    pub zombie_steps: u64,
    /// Agent-ticks of agents that did something (not dormant, dead, rescued or in reserve).
    pub active_agent_ticks: u64,
    /// What each order of the timeline has done, by its index.
    pub orders: Vec<OrderEffect>,
    /// Trips set out on, arrived and never set out on: routine trips, flights, squads.
    #[serde(default)]
    pub trips: Trips,
}

/// Trips. Routine trips: a person in their routine whose schedule names a new place, and who is
/// not there, sets out on a trip to it if a route leads there; the trip arrives when they
/// step into that place still in their routine. A trip cut short by the outbreak (flight,
/// hiding, a bite) is started but never arrives, unless they resume it later.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trips {
    /// Trips set out on.
    pub started: u64,
    /// Trips that reached their place.
    pub arrived: u64,
    /// Trips never set out on because no route leads from where the person is to the
    /// place (another part of the network).
    pub unreachable: u64,
    /// Flights to a rescue point: aware people who set out along the way to the nearest
    /// open rescue point (counted once until they reach one). Nobody sets out for a rescue
    /// point no route reaches: the way there is only known where one does.
    #[serde(default)]
    pub flight_started: u64,
    /// Of those, flights that reached an open rescue point.
    #[serde(default)]
    pub flight_arrived: u64,
    /// Flights never set out on: aware people sheltering where they were while rescue
    /// points were open, none of which a route from there reached (open ways only: a
    /// cordon's closed ways do not count), each counted once.
    #[serde(default)]
    pub flight_unreachable: u64,
    /// Squads' trips, one a fighter: deployed at the entry, the way into the squad's zone
    /// (arrived at the first place of the zone, at once if the entry is in it); turned
    /// back, the way to the entry (arrived there, leaving the map). A fighter bitten or
    /// turned back on the way in does not arrive.
    #[serde(default)]
    pub squad_started: u64,
    /// Of those, squads' trips that reached the zone or, withdrawing, the entry.
    #[serde(default)]
    pub squad_arrived: u64,
    /// Fighters deployed at an entry from which no place of their zone can be reached:
    /// they are deployed but never set out (and counted here).
    #[serde(default)]
    pub squad_unreachable: u64,
}

impl Counters {
    /// Zero counters for a timeline of `orders` orders.
    pub fn new(orders: usize) -> Self {
        Self {
            orders: vec![OrderEffect::default(); orders],
            ..Self::default()
        }
    }

    /// The effect record of an order, if it is one of the timeline's.
    pub fn order(&mut self, k: OrderId) -> Option<&mut OrderEffect> {
        self.orders.get_mut(k.index())
    }
}

/// Dynamic state of places and ways.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlaceState {
    /// Barricade integrity in zombie-hours (0: open door).
    pub barricade: Vec<f32>,
    /// Whether each place is an open rescue point.
    pub rescue_open: Vec<bool>,
    /// Evacuations per tick at each rescue point (its order's `per_hour` × tick length).
    pub rescue_per_tick: Vec<f32>,
    /// What is left of this tick's evacuations.
    pub(crate) rescue_left: Vec<f32>,
    /// Loudness of the lure sounding at each place (0: none).
    pub lure: Vec<f32>,
    /// Tick at which each lure falls silent.
    pub(crate) lure_until: Vec<u32>,
    /// Per way: chance per attempt to get through a cordon; negative when open.
    pub way_leak: Vec<f32>,
    /// Per way: the cordon order whose leak chance holds it (`NONE` when open).
    pub way_cordon: Vec<OrderId>,
    /// Active cordons: zone, per-attempt leak chance, and the order that set it.
    pub cordons: Vec<(ZoneId, f32, OrderId)>,
    /// Per place: the order that last opened a rescue point there (`NONE` if none ever
    /// did).
    pub rescue_order: Vec<OrderId>,
    /// Per place: the order whose lure last sounded there (`NONE` if none ever did).
    pub lure_order: Vec<OrderId>,
}

impl PlaceState {
    /// A world at rest: no barricades, rescue points, lures or cordons.
    pub fn new(world: &World) -> Self {
        let n = world.place_count();
        Self {
            barricade: vec![0.0; n],
            rescue_open: vec![false; n],
            rescue_per_tick: vec![0.0; n],
            rescue_left: vec![0.0; n],
            lure: vec![0.0; n],
            lure_until: vec![0; n],
            way_leak: vec![-1.0; world.ways.len()],
            way_cordon: vec![OrderId::NONE; world.ways.len()],
            cordons: Vec::new(),
            rescue_order: vec![OrderId::NONE; n],
            lure_order: vec![OrderId::NONE; n],
        }
    }
}
