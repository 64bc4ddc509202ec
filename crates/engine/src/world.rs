//! The world: places joined by ways, named zones, and routes.
//!
//! Places and ways are stored as columns; the adjacency is compressed (CSR), so the
//! neighbours of a place are one contiguous slice. Routes are two-level: each place belongs
//! to a *cell* (a building, or a single outdoor place) with one *gate* place; inside a cell
//! a breadth-first tree leads to and from the gate. Between gates, up to [`EXACT_GATES`]
//! of them, a table gives for every pair the next gate on a shortest path (O(1) a step,
//! memory O(gates²)); beyond, a contraction hierarchy answers each step exactly with memory
//! linear in the gates. Each place's connected part is labelled, so a place no route
//! reaches is known at once ([`World::reachable`]) and never set out for.

use crate::hierarchy::Hierarchy;
use crate::ids::{PlaceId, WayId, ZoneId, NONE};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// What a place is. It decides defaults (contact scale, barricades) in generators and how
/// people use it; the engine treats most kinds alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum PlaceKind {
    /// A room of no more particular kind: a home, a shop, a store room, an OSM building.
    Room,
    /// A classroom of a school or a university.
    Classroom,
    /// A university lecture hall.
    LectureHall,
    /// A laboratory: a school's science lab, a university's labs.
    Lab,
    /// An office: staff rooms, a city hall.
    Office,
    /// A corridor joining the rooms of a floor (people pass through).
    Corridor,
    /// A stairwell joining floors (people pass through).
    Stairwell,
    /// A building's entrance hall (people pass through).
    Lobby,
    /// A library of a school or a university, a place to study.
    Library,
    /// A room of a dormitory.
    DormRoom,
    /// A cafeteria or canteen.
    Cafeteria,
    /// A gymnasium or sports hall.
    Gym,
    /// A building's roof, open to the sky.
    Rooftop,
    /// A footpath outdoors (people pass through).
    Path,
    /// An open square or yard (people pass through).
    Plaza,
    /// An entrance to a school or campus grounds (people pass through).
    Gate,
    /// A street segment or crossing (people pass through).
    Street,
    /// A railway or metro station (people pass through).
    Station,
    /// A hospital (Hyosan Hospital in the school world).
    Hospital,
    /// A checkpoint on a road out of a quarantined area (people pass through).
    Checkpoint,
    /// Off-map holding area for squads not yet deployed; joined to nothing.
    Staging,
    /// The single place of a well-mixed world.
    Arena,
    /// One site of a lattice world.
    Site,
}

impl PlaceKind {
    /// Whether the place is an enclosed room, which holds its capacity and no more. Places
    /// people pass through (corridors, stairwells, lobbies, paths, plazas, gates, streets,
    /// stations, checkpoints) also hold the crowd that stands along their ways
    /// ([`crate::systems::occupancy::holds`]).
    pub fn is_room(self) -> bool {
        use PlaceKind::*;
        matches!(
            self,
            Room | Classroom
                | LectureHall
                | Lab
                | Office
                | Library
                | DormRoom
                | Cafeteria
                | Gym
                | Rooftop
                | Hospital
        )
    }

    /// The lowercase name used in files.
    pub fn as_str(self) -> &'static str {
        use PlaceKind::*;
        match self {
            Room => "room",
            Classroom => "classroom",
            LectureHall => "lecture-hall",
            Lab => "lab",
            Office => "office",
            Corridor => "corridor",
            Stairwell => "stairwell",
            Lobby => "lobby",
            Library => "library",
            DormRoom => "dorm-room",
            Cafeteria => "cafeteria",
            Gym => "gym",
            Rooftop => "rooftop",
            Path => "path",
            Plaza => "plaza",
            Gate => "gate",
            Street => "street",
            Station => "station",
            Hospital => "hospital",
            Checkpoint => "checkpoint",
            Staging => "staging",
            Arena => "arena",
            Site => "site",
        }
    }
}

/// A place as a generator describes it.
#[derive(Clone, Debug)]
pub struct PlaceSpec {
    /// The name reports and scenarios use for it (need not be unique).
    pub name: String,
    /// What the place is.
    pub kind: PlaceKind,
    /// Metres (x east, y north) or longitude/latitude, as the world says.
    pub pos: [f64; 2],
    /// People it holds before it turns more away (a place people pass through holds the
    /// crowd along its ways besides, see [`PlaceKind::is_room`]).
    pub capacity: u32,
    /// Strength of the barricade its occupants can build (0: the door cannot be barricaded).
    /// Measured in zombie-hours: one zombie breaks a barricade of strength 1 in an hour.
    pub barricade_strength: f32,
    /// Factor on the per-pair bite and kill rates in this place (1 in the reference place).
    pub contact_scale: f32,
}

/// One neighbour of a place.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Edge {
    /// The neighbouring place.
    pub to: PlaceId,
    /// The way that leads there.
    pub way: WayId,
    /// Length of the way in metres.
    pub length_m: f32,
}

/// Static columns of all places.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Places {
    /// Each place's name.
    pub name: Vec<String>,
    /// What each place is.
    pub kind: Vec<PlaceKind>,
    /// Position in metres (x east, y north) or longitude/latitude, as [`World::geographic`]
    /// says.
    pub pos: Vec<[f64; 2]>,
    /// People each place holds before it turns more away (places people pass through hold
    /// the crowd along their ways besides).
    pub capacity: Vec<u32>,
    /// Strength of the barricade its occupants can build, in zombie-hours (0: none).
    pub barricade_strength: Vec<f32>,
    /// Factor on the per-pair bite and kill rates in each place.
    pub contact_scale: Vec<f32>,
}

impl Places {
    /// Number of places.
    pub fn len(&self) -> usize {
        self.kind.len()
    }
    /// Whether there are no places.
    pub fn is_empty(&self) -> bool {
        self.kind.is_empty()
    }
}

/// A world that cannot be built as described.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorldError {
    /// A way names a place that does not exist.
    NoSuchPlace(u32),
    /// A way joins two cells at places that are not both gates.
    WayBypassesGate {
        /// Name of the place at one end.
        a: String,
        /// Name of the place at the other end.
        b: String,
    },
    /// A cell has no gate.
    CellWithoutGate(u32),
    /// The world has no places.
    Empty,
}

impl std::fmt::Display for WorldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WorldError::NoSuchPlace(p) => {
                write!(f, "a way refers to place #{p}, which does not exist")
            }
            WorldError::WayBypassesGate { a, b } => write!(
                f,
                "the way between `{a}` and `{b}` joins two cells away from their gates"
            ),
            WorldError::CellWithoutGate(c) => write!(f, "cell #{c} has no gate"),
            WorldError::Empty => write!(f, "the world has no places"),
        }
    }
}

impl std::error::Error for WorldError {}

/// The immutable world graph. Two worlds are equal when every column, way, zone and route
/// is (a branch of a run checks that its variant builds the same world).
#[derive(Clone, Debug, PartialEq)]
pub struct World {
    /// The places, one column per attribute.
    pub places: Places,
    adj_start: Vec<u32>,
    adj: Vec<Edge>,
    /// Endpoints of each way.
    pub ways: Vec<(PlaceId, PlaceId)>,
    zone_names: Vec<String>,
    place_zone_start: Vec<u32>,
    place_zones: Vec<ZoneId>,
    zone_place_start: Vec<u32>,
    zone_places: Vec<PlaceId>,
    routes: Option<Routes>,
    /// Whether positions are longitude/latitude rather than metres.
    pub geographic: bool,
    /// Whether zombies and humans in neighbouring places meet as if in one place (Alemi's
    /// lattice: bites and kills across the bonds between sites).
    pub neighbour_contact: bool,
}

impl World {
    /// Number of places.
    pub fn place_count(&self) -> usize {
        self.places.len()
    }
    /// The neighbours of a place.
    #[inline]
    pub fn neighbours(&self, p: PlaceId) -> &[Edge] {
        let (a, b) = (self.adj_start[p.index()], self.adj_start[p.index() + 1]);
        &self.adj[a as usize..b as usize]
    }
    /// Number of zones.
    pub fn zone_count(&self) -> usize {
        self.zone_names.len()
    }
    /// A zone's name.
    pub fn zone_name(&self, z: ZoneId) -> &str {
        &self.zone_names[z.index()]
    }
    /// The zones a place belongs to.
    #[inline]
    pub fn zones_of(&self, p: PlaceId) -> &[ZoneId] {
        let (a, b) = (
            self.place_zone_start[p.index()],
            self.place_zone_start[p.index() + 1],
        );
        &self.place_zones[a as usize..b as usize]
    }
    /// The places of a zone.
    pub fn places_of(&self, z: ZoneId) -> &[PlaceId] {
        let (a, b) = (
            self.zone_place_start[z.index()],
            self.zone_place_start[z.index() + 1],
        );
        &self.zone_places[a as usize..b as usize]
    }
    /// Whether a place is in a zone.
    #[inline]
    pub fn in_zone(&self, p: PlaceId, z: ZoneId) -> bool {
        self.zones_of(p).contains(&z)
    }
    /// Finds a zone by exact name.
    pub fn zone_by_name(&self, name: &str) -> Option<ZoneId> {
        self.zone_names
            .iter()
            .position(|n| n == name)
            .map(|i| ZoneId(i as u32))
    }
    /// Finds the first place with this exact name.
    pub fn place_by_name(&self, name: &str) -> Option<PlaceId> {
        self.places
            .name
            .iter()
            .position(|n| n == name)
            .map(|i| PlaceId(i as u32))
    }
    /// Whether the world has routes (needed by people with a daily routine).
    pub fn has_routes(&self) -> bool {
        self.routes.is_some()
    }
    /// The places on the route from `from` to `to`, both included, following
    /// [`World::next_hop`] one way at a time; `None` if a step is not along a way or the
    /// route has not arrived after `max_steps` (it stalls or loops).
    pub fn route(&self, from: PlaceId, to: PlaceId, max_steps: usize) -> Option<Vec<PlaceId>> {
        let mut path = vec![from];
        let mut at = from;
        while at != to {
            let next = self.next_hop(at, to);
            if path.len() > max_steps || !self.neighbours(at).iter().any(|e| e.to == next) {
                return None;
            }
            at = next;
            path.push(at);
        }
        Some(path)
    }

    /// Whether a route leads from `from` to `to` (both in one connected part of the
    /// network). Without routes, only a place itself is reachable.
    pub fn reachable(&self, from: PlaceId, to: PlaceId) -> bool {
        match &self.routes {
            Some(r) => r.component[from.index()] == r.component[to.index()],
            None => from == to,
        }
    }

    /// The next place on a route from `from` to `to` (`to` itself when adjacent; `from`
    /// when already there, when `to` cannot be reached, or when the world has no routes).
    pub fn next_hop(&self, from: PlaceId, to: PlaceId) -> PlaceId {
        match &self.routes {
            Some(r) if from != to => r.next_hop(from, to),
            _ => from,
        }
    }

    /// Whether walkers here keep a [`TripPlan`]: on maps routed by the contraction hierarchy
    /// (more than [`EXACT_GATES`] gates), where one query a trip is much cheaper than one a
    /// step. On smaller maps every step reads the table and plans stay empty.
    pub fn plans_trips(&self) -> bool {
        self.routes.as_ref().is_some_and(|r| r.hierarchy.is_some())
    }

    /// Brings a walker's plan up to date before a step from `from` toward `to`. At a gate
    /// whose plan does not lead on from it (none yet, another destination, or the walker has
    /// left it), the plan becomes one shortest gate path from this gate to `to`'s gate (one
    /// query); a plan the walker follows is advanced; once in the destination's cell, or when
    /// `to` cannot be reached or no plan is kept on this map, it is dropped. A trip's path is
    /// thus a function of where it began and where it goes, never of other walkers.
    pub fn plan(&self, from: PlaceId, to: PlaceId, plan: &mut Option<Box<TripPlan>>) {
        let Some(r) = self.routes.as_ref().filter(|r| r.hierarchy.is_some()) else {
            *plan = None;
            return;
        };
        let (f, t) = (from.index(), to.index());
        let (cf, ct) = (r.node[f].cell as usize, r.node[t].cell as usize);
        if from == to || cf == ct || r.component[f] != r.component[t] {
            *plan = None;
            return;
        }
        let (gf, gt) = (r.cell_gate[cf], r.cell_gate[ct]);
        if plan.as_ref().is_some_and(|p| p.destination() != gt) {
            *plan = None;
        }
        if r.gate_place[gf as usize] as usize != f {
            // Inside the cell, on the way to its gate: the plan starts there.
            return;
        }
        if let Some(p) = plan.as_deref_mut() {
            let at = p.at as usize;
            if p.gates[at] == gf {
                return;
            }
            if p.gates.get(at + 1) == Some(&gf) {
                p.at += 1;
                return;
            }
        }
        *plan = self.plan_from(gf, gt, 0);
    }

    /// A plan of the trip from gate `origin` to gate `destination` with the walker at its
    /// `at`-th gate (as [`TripPlan::parts`] gives them back: a snapshot keeps only those);
    /// `None` if there is no such gate, path or position, or no plans on this map.
    pub fn plan_from(&self, origin: u32, destination: u32, at: u32) -> Option<Box<TripPlan>> {
        let r = self.routes.as_ref()?;
        let h = r.hierarchy.as_ref()?;
        let g = r.gate_place.len() as u32;
        if origin >= g || destination >= g || origin == destination {
            return None;
        }
        let gates = h.path(origin, destination)?.into_boxed_slice();
        ((at as usize) + 1 < gates.len()).then(|| Box::new(TripPlan { gates, at }))
    }

    /// The next place from `from` toward `to` for a walker with this plan (kept up to date
    /// by [`World::plan`]): at a gate the plan leads on from, its next gate; anywhere else,
    /// [`World::next_hop`]. Both are steps along shortest paths.
    pub fn next_hop_planned(&self, from: PlaceId, to: PlaceId, plan: Option<&TripPlan>) -> PlaceId {
        if let (Some(r), Some(p)) = (&self.routes, plan) {
            let (f, t) = (from.index(), to.index());
            let gf = r.cell_gate[r.node[f].cell as usize];
            let gt = r.cell_gate[r.node[t].cell as usize];
            let at = p.at as usize;
            if r.gate_place[gf as usize] as usize == f && p.gates[at] == gf && p.destination() == gt
            {
                return PlaceId(r.gate_place[p.gates[at + 1] as usize]);
            }
        }
        self.next_hop(from, to)
    }

    /// The places of a whole trip from `from` to `to` as a walker with a plan takes it (one
    /// query at the first gate on maps that plan trips, see [`World::plan`]); `None` as for
    /// [`World::route`].
    pub fn trip(&self, from: PlaceId, to: PlaceId, max_steps: usize) -> Option<Vec<PlaceId>> {
        let mut path = vec![from];
        let mut at = from;
        let mut plan = None;
        while at != to {
            self.plan(at, to, &mut plan);
            let next = self.next_hop_planned(at, to, plan.as_deref());
            if path.len() > max_steps || !self.neighbours(at).iter().any(|e| e.to == next) {
                return None;
            }
            at = next;
            path.push(at);
        }
        Some(path)
    }
}

/// The gates of one shortest path a walker follows from the gate where the trip began to
/// the destination's gate, and how far along it they are. Kept only while they walk (see
/// [`World::plan`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TripPlan {
    /// Gate indices, the origin first and the destination last (at least two).
    gates: Box<[u32]>,
    /// Index in `gates` of the last gate reached.
    at: u32,
}

impl TripPlan {
    /// The destination's gate.
    pub fn destination(&self) -> u32 {
        self.gates[self.gates.len() - 1]
    }
    /// (origin gate, destination gate, index of the last gate reached): what
    /// [`World::plan_from`] needs to rebuild the plan.
    pub fn parts(&self) -> (u32, u32, u32) {
        (self.gates[0], self.destination(), self.at)
    }
    /// Number of gates on the path, both ends included.
    pub fn len(&self) -> usize {
        self.gates.len()
    }
    /// Always false: a plan joins two gates at least.
    pub fn is_empty(&self) -> bool {
        self.gates.is_empty()
    }
}

/// A builder holding one well-mixed place (an arena, in zone `arena`) with the given contact
/// scale: the setting in which the encounter rule reduces to mass action. Generators add
/// what else they need before building.
pub fn well_mixed_builder(contact_scale: f32) -> WorldBuilder {
    let mut b = WorldBuilder::new();
    let p = b.add_place(PlaceSpec {
        name: "arena".into(),
        kind: PlaceKind::Arena,
        pos: [0.0, 0.0],
        capacity: u32::MAX,
        barricade_strength: 0.0,
        contact_scale,
    });
    let z = b.zone("arena");
    b.put_in_zone(p, z);
    b
}

/// A world of one well-mixed place; see [`well_mixed_builder`].
pub fn well_mixed_world(contact_scale: f32) -> World {
    well_mixed_builder(contact_scale)
        .build()
        .expect("a one-place world is valid")
}

/// Two-level routes: a tree inside each cell, exact shortest paths between cells' gates.
#[derive(Clone, Debug, PartialEq)]
struct Routes {
    /// Per place: its cell, the next place toward the cell's gate, and its depth in the cell's
    /// tree, in one record so a routing step reads one cache line per place.
    node: Vec<Node>,
    /// Connected part of the network each place lies in (numbered from its lowest place).
    component: Vec<u32>,
    /// Gate index of each cell.
    cell_gate: Vec<u32>,
    /// Place of each gate.
    gate_place: Vec<u32>,
    /// `next_gate[g * G + h]`: the gate after `g` on a shortest path to `h`; only for at
    /// most [`EXACT_GATES`] gates (empty otherwise: `hierarchy` answers instead).
    next_gate: Vec<u16>,
    /// Shortest paths between gates beyond [`EXACT_GATES`].
    hierarchy: Option<Hierarchy>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Node {
    cell: u32,
    /// Next place toward the cell's gate (the gate points to itself).
    up: u32,
    depth: u32,
}

/// Up to this many gates, routes between cells come from a table of G² next gates (32 MiB
/// at the limit), built by one Dijkstra search per gate. Beyond it, a contraction
/// hierarchy answers each step (see the `hierarchy` module): exact as well, with memory
/// linear in the gates. Ties between equally short routes may be broken differently by the
/// two; lengths count in whole millimetres in the hierarchy.
pub const EXACT_GATES: usize = 4096;

impl Routes {
    fn next_hop(&self, from: PlaceId, to: PlaceId) -> PlaceId {
        let (f, t) = (from.index(), to.index());
        if self.component[f] != self.component[t] {
            // Unreachable: never set out.
            return from;
        }
        let (nf, nt) = (self.node[f], self.node[t]);
        if nf.cell == nt.cell {
            return PlaceId(self.tree_step(f, t));
        }
        let (cf, ct) = (nf.cell, nt.cell);
        let gf = self.cell_gate[cf as usize] as usize;
        if self.gate_place[gf] as usize != f {
            return PlaceId(nf.up);
        }
        let g = self.gate_place.len();
        let gt = self.cell_gate[ct as usize] as usize;
        let next = match &self.hierarchy {
            Some(h) => h.next_gate(gf as u32, gt as u32),
            None => {
                let next = self.next_gate[gf * g + gt];
                (next != u16::MAX).then_some(u32::from(next))
            }
        };
        match next {
            Some(n) => PlaceId(self.gate_place[n as usize]),
            // Unreachable: stay.
            None => from,
        }
    }

    /// One step from `a` to `b` inside the same cell's tree.
    fn tree_step(&self, a: usize, b: usize) -> u32 {
        let na = self.node[a];
        let mut x = self.node[b];
        let mut xi = b;
        if x.depth <= na.depth {
            return na.up;
        }
        while x.depth > na.depth + 1 {
            xi = x.up as usize;
            x = self.node[xi];
        }
        if x.up as usize == a {
            xi as u32
        } else {
            na.up
        }
    }
}

/// Builds a [`World`].
///
/// ```
/// use outbreak_engine::world::{PlaceKind, PlaceSpec, WorldBuilder};
/// let mut b = WorldBuilder::new();
/// let spec = |name: &str| PlaceSpec {
///     name: name.into(), kind: PlaceKind::Room, pos: [0.0, 0.0], capacity: 10,
///     barricade_strength: 0.0, contact_scale: 1.0,
/// };
/// let a = b.add_place(spec("a"));
/// let c = b.add_place(spec("c"));
/// b.add_way(a, c, 12.0);
/// let world = b.build().unwrap();
/// assert_eq!(world.neighbours(a).len(), 1);
/// ```
#[derive(Default, Debug)]
pub struct WorldBuilder {
    places: Places,
    ways: Vec<(PlaceId, PlaceId, f32)>,
    zone_names: Vec<String>,
    memberships: Vec<(PlaceId, ZoneId)>,
    cells: Vec<u32>,
    gates: Vec<(u32, PlaceId)>,
    geographic: bool,
    neighbour_contact: bool,
}

impl WorldBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }
    /// Marks positions as longitude/latitude.
    pub fn geographic(&mut self, yes: bool) -> &mut Self {
        self.geographic = yes;
        self
    }
    /// Makes zombies and humans in neighbouring places meet (see [`World::neighbour_contact`]).
    pub fn neighbour_contact(&mut self, yes: bool) -> &mut Self {
        self.neighbour_contact = yes;
        self
    }
    /// Adds a place.
    pub fn add_place(&mut self, spec: PlaceSpec) -> PlaceId {
        let id = PlaceId(self.places.len() as u32);
        self.places.name.push(spec.name);
        self.places.kind.push(spec.kind);
        self.places.pos.push(spec.pos);
        self.places.capacity.push(spec.capacity);
        self.places.barricade_strength.push(spec.barricade_strength);
        self.places.contact_scale.push(spec.contact_scale);
        id
    }
    /// Number of places so far.
    pub fn place_count(&self) -> usize {
        self.places.len()
    }
    /// A place's position.
    pub fn pos(&self, p: PlaceId) -> [f64; 2] {
        self.places.pos[p.index()]
    }
    /// Adds a way of the given length between two places.
    pub fn add_way(&mut self, a: PlaceId, b: PlaceId, length_m: f32) -> WayId {
        self.ways.push((a, b, length_m.max(0.1)));
        WayId(self.ways.len() as u32 - 1)
    }
    /// Adds a zone (or returns the existing one with that name).
    pub fn zone(&mut self, name: &str) -> ZoneId {
        if let Some(i) = self.zone_names.iter().position(|n| n == name) {
            return ZoneId(i as u32);
        }
        self.zone_names.push(name.to_string());
        ZoneId(self.zone_names.len() as u32 - 1)
    }
    /// Puts a place in a zone.
    pub fn put_in_zone(&mut self, p: PlaceId, z: ZoneId) {
        self.memberships.push((p, z));
    }
    /// Assigns a place to a routing cell. Either every place gets a cell, or none does (then
    /// the world has no routes).
    pub fn set_cell(&mut self, p: PlaceId, cell: u32) {
        if self.cells.len() <= p.index() {
            self.cells.resize(p.index() + 1, NONE);
        }
        self.cells[p.index()] = cell;
    }
    /// Names the gate of a cell: the only place through which the cell joins others.
    pub fn set_gate(&mut self, cell: u32, p: PlaceId) {
        self.gates.push((cell, p));
    }

    /// Checks the description and builds the world.
    pub fn build(self) -> Result<World, WorldError> {
        let n = self.places.len();
        if n == 0 {
            return Err(WorldError::Empty);
        }
        for &(a, b, _) in &self.ways {
            for p in [a, b] {
                if p.index() >= n {
                    return Err(WorldError::NoSuchPlace(p.0));
                }
            }
        }
        // Adjacency in CSR, neighbours in the order ways were added.
        let mut degree = vec![0u32; n + 1];
        for &(a, b, _) in &self.ways {
            degree[a.index()] += 1;
            degree[b.index()] += 1;
        }
        let adj_start = prefix_sums(&degree[..n]);
        let mut fill = adj_start.clone();
        let mut adj = vec![
            Edge {
                to: PlaceId(0),
                way: WayId(0),
                length_m: 0.0
            };
            self.ways.len() * 2
        ];
        for (w, &(a, b, len)) in self.ways.iter().enumerate() {
            let way = WayId(w as u32);
            adj[fill[a.index()] as usize] = Edge {
                to: b,
                way,
                length_m: len,
            };
            fill[a.index()] += 1;
            adj[fill[b.index()] as usize] = Edge {
                to: a,
                way,
                length_m: len,
            };
            fill[b.index()] += 1;
        }
        // Zones both ways.
        let mut memberships = self.memberships.clone();
        memberships.sort_unstable();
        memberships.dedup();
        let mut count = vec![0u32; n];
        for &(p, _) in &memberships {
            count[p.index()] += 1;
        }
        let place_zone_start = prefix_sums(&count);
        let place_zones: Vec<ZoneId> = memberships.iter().map(|&(_, z)| z).collect();
        let mut by_zone: Vec<(ZoneId, PlaceId)> =
            memberships.iter().map(|&(p, z)| (z, p)).collect();
        by_zone.sort_unstable();
        let mut zcount = vec![0u32; self.zone_names.len()];
        for &(z, _) in &by_zone {
            zcount[z.index()] += 1;
        }
        let zone_place_start = prefix_sums(&zcount);
        let zone_places = by_zone.iter().map(|&(_, p)| p).collect();
        let mut world = World {
            places: self.places,
            adj_start,
            adj,
            ways: self.ways.iter().map(|&(a, b, _)| (a, b)).collect(),
            zone_names: self.zone_names,
            place_zone_start,
            place_zones,
            zone_place_start,
            zone_places,
            routes: None,
            geographic: self.geographic,
            neighbour_contact: self.neighbour_contact,
        };
        if !self.cells.is_empty() {
            let mut cells = self.cells;
            cells.resize(n, NONE);
            world.routes = Some(build_routes(&world, cells, &self.gates)?);
        }
        Ok(world)
    }
}

fn prefix_sums(counts: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(counts.len() + 1);
    let mut acc = 0u32;
    out.push(0);
    for &c in counts {
        acc += c;
        out.push(acc);
    }
    out
}

fn build_routes(
    world: &World,
    cell: Vec<u32>,
    gates: &[(u32, PlaceId)],
) -> Result<Routes, WorldError> {
    let n = world.place_count();
    // Places left without a cell become cells of their own, gated by themselves.
    let mut cell = cell;
    let mut cell_count = cell
        .iter()
        .filter(|&&c| c != NONE)
        .map(|&c| c + 1)
        .max()
        .unwrap_or(0);
    let mut gate_of_cell: Vec<u32> = vec![NONE; cell_count as usize];
    for &(c, p) in gates {
        gate_of_cell[c as usize] = p.0;
    }
    for (p, c) in cell.iter_mut().enumerate() {
        if *c == NONE {
            *c = cell_count;
            cell_count += 1;
            gate_of_cell.push(p as u32);
        }
    }
    if let Some(c) = gate_of_cell.iter().position(|&g| g == NONE) {
        return Err(WorldError::CellWithoutGate(c as u32));
    }
    let gate_place = gate_of_cell.clone();
    let cell_gate: Vec<u32> = (0..cell_count).collect();
    let mut is_gate = vec![NONE; n];
    for (g, &p) in gate_place.iter().enumerate() {
        is_gate[p as usize] = g as u32;
    }
    // Breadth-first trees inside each cell, rooted at its gate.
    let mut up = vec![NONE; n];
    let mut depth = vec![0u16; n];
    let mut queue = std::collections::VecDeque::new();
    for &g in &gate_place {
        up[g as usize] = g;
        queue.push_back(g);
        while let Some(p) = queue.pop_front() {
            for e in world.neighbours(PlaceId(p)) {
                let q = e.to.index();
                if cell[q] == cell[p as usize] && up[q] == NONE {
                    up[q] = p;
                    depth[q] = depth[p as usize] + 1;
                    queue.push_back(q as u32);
                }
            }
        }
    }
    for p in 0..n {
        if up[p] == NONE {
            // Not reachable from its gate inside its cell: route it through its gate anyway.
            up[p] = gate_place[cell[p] as usize];
            depth[p] = 1;
        }
    }
    // Gate graph: ways between different cells must join gates.
    let g = gate_place.len();
    let mut gate_adj: Vec<Vec<(u32, f32)>> = vec![Vec::new(); g];
    for (a, b) in &world.ways {
        if cell[a.index()] != cell[b.index()] {
            let (ga, gb) = (is_gate[a.index()], is_gate[b.index()]);
            if ga == NONE || gb == NONE {
                return Err(WorldError::WayBypassesGate {
                    a: world.places.name[a.index()].clone(),
                    b: world.places.name[b.index()].clone(),
                });
            }
            let len = world
                .neighbours(*a)
                .iter()
                .find(|e| e.to == *b)
                .map(|e| e.length_m)
                .unwrap_or(1.0);
            gate_adj[ga as usize].push((gb, len));
            gate_adj[gb as usize].push((ga, len));
        }
    }
    let hierarchy = (g > EXACT_GATES).then(|| {
        let ways: Vec<(u32, u32, f32)> = gate_adj
            .iter()
            .enumerate()
            .flat_map(|(a, list)| {
                list.iter()
                    .filter(move |&&(b, _)| a < b as usize)
                    .map(move |&(b, len)| (a as u32, b, len))
            })
            .collect();
        Hierarchy::new(g, &ways)
    });
    // All-pairs next gate by Dijkstra from every target (reverse search; the graph is
    // undirected), only while the table stays small.
    let exact = g <= EXACT_GATES;
    let mut next_gate = vec![u16::MAX; if exact { g * g } else { 0 }];
    let mut dist = vec![f32::INFINITY; g];
    for target in (0..g).filter(|_| exact) {
        dist.iter_mut().for_each(|d| *d = f32::INFINITY);
        dist[target] = 0.0;
        next_gate[target * g + target] = target as u16;
        let mut heap = BinaryHeap::new();
        heap.push((Reverse(OrdF32(0.0)), target as u32));
        while let Some((Reverse(OrdF32(d)), u)) = heap.pop() {
            if d > dist[u as usize] {
                continue;
            }
            for &(v, len) in &gate_adj[u as usize] {
                let nd = d + len;
                if nd < dist[v as usize] {
                    dist[v as usize] = nd;
                    next_gate[v as usize * g + target] = u as u16;
                    heap.push((Reverse(OrdF32(nd)), v));
                }
            }
        }
    }
    let node = (0..n)
        .map(|p| Node {
            cell: cell[p],
            up: up[p],
            depth: u32::from(depth[p]),
        })
        .collect();
    Ok(Routes {
        node,
        component: components(world),
        cell_gate,
        gate_place,
        next_gate,
        hierarchy,
    })
}

/// Labels each place with the lowest place of its connected part (breadth-first, O(n)).
fn components(world: &World) -> Vec<u32> {
    let n = world.place_count();
    let mut label = vec![NONE; n];
    let mut queue = std::collections::VecDeque::new();
    for s in 0..n {
        if label[s] != NONE {
            continue;
        }
        label[s] = s as u32;
        queue.push_back(s);
        while let Some(p) = queue.pop_front() {
            for e in world.neighbours(PlaceId(p as u32)) {
                let q = e.to.index();
                if label[q] == NONE {
                    label[q] = s as u32;
                    queue.push_back(q);
                }
            }
        }
    }
    label
}

/// A total order on finite `f32` for heaps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct OrdF32(pub f32);
impl Eq for OrdF32 {}
impl PartialOrd for OrdF32 {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for OrdF32 {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(name: &str) -> PlaceSpec {
        PlaceSpec {
            name: name.into(),
            kind: PlaceKind::Room,
            pos: [0.0, 0.0],
            capacity: 10,
            barricade_strength: 0.0,
            contact_scale: 1.0,
        }
    }

    /// Two buildings (a lobby with two rooms off a corridor) joined by a path.
    fn two_buildings() -> (World, Vec<PlaceId>) {
        let mut b = WorldBuilder::new();
        let names = ["lobbyA", "corA", "a1", "a2", "path", "lobbyB", "corB", "b1"];
        let ids: Vec<PlaceId> = names.iter().map(|n| b.add_place(spec(n))).collect();
        let w = |b: &mut WorldBuilder, x: usize, y: usize| {
            b.add_way(ids[x], ids[y], 10.0);
        };
        w(&mut b, 0, 1);
        w(&mut b, 1, 2);
        w(&mut b, 1, 3);
        w(&mut b, 0, 4);
        w(&mut b, 4, 5);
        w(&mut b, 5, 6);
        w(&mut b, 6, 7);
        for &p in &ids[0..4] {
            b.set_cell(p, 0);
        }
        for &p in &ids[5..8] {
            b.set_cell(p, 1);
        }
        b.set_gate(0, ids[0]);
        b.set_gate(1, ids[5]);
        (b.build().unwrap(), ids)
    }

    fn walk(world: &World, from: PlaceId, to: PlaceId) -> Vec<PlaceId> {
        world
            .route(from, to, 20)
            .expect("the route arrives along ways")
    }

    #[test]
    fn routes_follow_ways_between_and_within_cells() {
        let (world, id) = two_buildings();
        assert_eq!(
            walk(&world, id[2], id[7]),
            vec![id[2], id[1], id[0], id[4], id[5], id[6], id[7]]
        );
        assert_eq!(walk(&world, id[2], id[3]), vec![id[2], id[1], id[3]]);
        assert_eq!(walk(&world, id[0], id[3]), vec![id[0], id[1], id[3]]);
        assert_eq!(walk(&world, id[7], id[4]), vec![id[7], id[6], id[5], id[4]]);
    }

    #[test]
    fn a_way_between_cells_must_join_gates() {
        let mut b = WorldBuilder::new();
        let a = b.add_place(spec("a"));
        let c = b.add_place(spec("c"));
        let d = b.add_place(spec("d"));
        b.add_way(a, c, 1.0);
        b.add_way(c, d, 1.0);
        b.set_cell(a, 0);
        b.set_cell(c, 0);
        b.set_cell(d, 1);
        b.set_gate(0, a);
        b.set_gate(1, d);
        assert!(matches!(b.build(), Err(WorldError::WayBypassesGate { .. })));
    }

    #[test]
    fn zones_are_indexed_both_ways() {
        let (_, _) = two_buildings();
        let mut b = WorldBuilder::new();
        let a = b.add_place(spec("a"));
        let c = b.add_place(spec("c"));
        let z = b.zone("campus");
        let y = b.zone("hall");
        assert_eq!(b.zone("campus"), z);
        b.put_in_zone(a, z);
        b.put_in_zone(c, z);
        b.put_in_zone(c, y);
        let w = b.build().unwrap();
        assert_eq!(w.places_of(z), &[a, c]);
        assert_eq!(w.zones_of(c), &[z, y]);
        assert!(w.in_zone(a, z) && !w.in_zone(a, y));
        assert_eq!(w.zone_by_name("hall"), Some(y));
    }
}
