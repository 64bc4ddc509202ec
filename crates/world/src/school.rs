//! Hyosan High School and the town of Hyosan (season 1's setting).
//!
//! The school stands on the south side of the town. Through the Main Gate lies the
//! schoolyard; across it stands the main building, and just inside the gate the gym. The
//! main building has a Main Entrance on the ground floor (its only door to the outside, and
//! the gate of its routing cell), and on every floor a corridor in two halves (west and
//! east) with a stairwell at each end; the west and east stairwells join the floors and lead
//! up to the Rooftop, where the series' students hide. The ground floor holds the Teachers'
//! Office, the Principal's Office, the Nurse's Office, the Broadcasting Room and the
//! Cafeteria; the floors above hold the classes, a grade to a floor ("Class 1-1" on 2F,
//! "Class 2-5" on 3F, the third grade on 4F and above), with the Library on 2F, the Science
//! Lab (where the outbreak starts) on 3F and the Music Room on the top floor (on the top
//! floor too when there are fewer floors). Rooms, the Rooftop and the gym can be
//! barricaded, as the students of Class 2-5 did; corridors, stairwells and the yard cannot.
//!
//! The town is a street grid of crossings about 100 m apart, each with a block of homes and
//! a shop, and Hyosan Hospital, Hyosan Police Station, City Hall and Hyosan Station. From
//! the middle of the town's north edge a road of 1.5 km leads past a Checkpoint to the
//! Quarantine Zone, the military camp where survivors are rescued.
//!
//! [`School::routine`] deals the people out: townspeople, teachers and students, every
//! student in a class of about 30 that shares its classroom.
//!
//! Capacities and door strengths are plausible round numbers, not survey data.

use crate::draft::Draft;
use crate::{add_staging, GenError};
use outbreak_engine::agents::ANCHORS;
use outbreak_engine::prelude::*;
use outbreak_engine::rng::{self, Stream};

/// Settings of the school generator.
#[derive(Clone, Debug, PartialEq)]
pub struct SchoolParams {
    /// Floors of the main building (1–10). Floor 1 holds the offices and the cafeteria;
    /// classes are on the floors above (on floor 1 too when it is the only one).
    pub floors: u32,
    /// Classrooms on each floor that holds classes (1–30).
    pub classrooms_per_floor: u32,
    /// Street crossings along each side of the town's square grid (1–60).
    pub town_side: u32,
    /// Capacity of the place where bite and kill rates are as given (contact scale 1).
    pub reference_capacity: f64,
    /// Barricade strength of an ordinary door, in zombie-hours.
    pub door_strength: f32,
}

impl Default for SchoolParams {
    fn default() -> Self {
        Self {
            floors: 4,
            classrooms_per_floor: 8,
            town_side: 6,
            reference_capacity: 40.0,
            door_strength: 1.5,
        }
    }
}

/// Seats in a classroom.
const CLASSROOM_SEATS: u32 = 35;
/// Students a class is filled to before another classroom is used.
const CLASS_SIZE: f64 = 30.0;
/// Distance between neighbouring crossings of the town, metres.
const BLOCK_M: f64 = 100.0;
/// Homes in each town block.
const HOMES_PER_BLOCK: u32 = 3;
/// People a home holds (a floor of flats).
const HOME_BEDS: u32 = 25;
/// Length of each of the six stretches of road out to the Quarantine Zone, metres.
const ROAD_STRETCH_M: f64 = 250.0;
/// The golden ratio's fractional part: successive multiples spread evenly over [0, 1).
const GOLDEN: f64 = 0.618_033_988_749_894_8;

/// Seats a routine fills in a room of this capacity: 90%, and at least two fewer than its
/// capacity in small rooms, leaving room for the one or two more that an even deal can put
/// in a place.
fn usable(capacity: u32) -> f64 {
    (0.9 * f64::from(capacity))
        .floor()
        .min(f64::from(capacity) - 2.0)
        .max(1.0)
}

/// A generated school and town, and the places their people use.
#[derive(Clone, Debug)]
pub struct School {
    /// The school, the town, the road to the Quarantine Zone and the staging place.
    pub world: World,
    /// Town homes, where everyone sleeps.
    pub homes: Vec<PlaceId>,
    /// Town workplaces: shops, the hospital, the police station and City Hall.
    pub works: Vec<PlaceId>,
    /// Classrooms in the order classes are filled: Class 1-1, 2-1, 3-1, 1-2, 2-2, ...
    pub classrooms: Vec<PlaceId>,
    /// Staff rooms: the teachers', principal's and nurse's offices, the broadcasting room.
    pub offices: Vec<PlaceId>,
    /// The Cafeteria on the ground floor (300 seats), where students and staff lunch.
    pub cafeteria: PlaceId,
    /// Where the outbreak starts, unless a scenario says otherwise.
    pub science_lab: PlaceId,
    /// The Rooftop above the main building, reached by both stairwells; its door is twice
    /// as strong as an ordinary one.
    pub rooftop: PlaceId,
    /// The Main Gate between the schoolyard and the town's streets.
    pub main_gate: PlaceId,
    /// The rescue point at the end of the road out of town.
    pub quarantine_zone: PlaceId,
    /// The off-map staging place (see [`crate::add_staging`]).
    pub staging: PlaceId,
}

/// What the people of the school use a room for.
#[derive(Clone, Copy)]
enum Use {
    Office,
    Dining,
    Class,
    Other,
}

/// One room of a floor plan.
struct RoomPlan {
    name: String,
    kind: PlaceKind,
    capacity: u32,
    door: f32,
    used_as: Use,
    /// Grade and number of a class, for the order in which classes are filled.
    class: (u32, u32),
}

/// The rooms of floor `f` of the main building, in order along its corridor. Door
/// strengths are multiples of an ordinary door's.
fn floor_plan(p: &SchoolParams, f: u32, next_number: &mut [u32; 3]) -> Vec<RoomPlan> {
    let room = |name: &str, kind, capacity, strength: f32, used_as| RoomPlan {
        name: name.into(),
        kind,
        capacity,
        door: strength * p.door_strength,
        used_as,
        class: (0, 0),
    };
    let mut rooms = Vec::new();
    if f == 1 {
        for (name, kind, capacity, strength, used_as) in [
            ("Teachers' Office", PlaceKind::Office, 40, 1.0, Use::Office),
            ("Principal's Office", PlaceKind::Office, 4, 1.0, Use::Office),
            ("Nurse's Office", PlaceKind::Office, 6, 1.0, Use::Office),
            ("Broadcasting Room", PlaceKind::Room, 6, 2.0, Use::Office),
            ("Cafeteria", PlaceKind::Cafeteria, 300, 1.0, Use::Dining),
        ] {
            rooms.push(room(name, kind, capacity, strength, used_as));
        }
    }
    if f >= 2 || p.floors == 1 {
        // 2F holds the first grade, 3F the second, 4F and above the third.
        let grade = (f.max(2) - 1).min(3);
        for _ in 0..p.classrooms_per_floor {
            let n = &mut next_number[grade as usize - 1];
            *n += 1;
            rooms.push(RoomPlan {
                class: (grade, *n),
                ..room(
                    &format!("Class {grade}-{n}"),
                    PlaceKind::Classroom,
                    CLASSROOM_SEATS,
                    1.0,
                    Use::Class,
                )
            });
        }
    }
    // With fewer floors, the special rooms share the top one.
    for (floor, name, kind, capacity, strength) in [
        (2, "Library", PlaceKind::Library, 60, 2.0),
        (3, "Science Lab", PlaceKind::Lab, 35, 1.5),
        (p.floors, "Music Room", PlaceKind::Classroom, 40, 1.0),
    ] {
        if f == p.floors.min(floor) {
            rooms.push(room(name, kind, capacity, strength, Use::Other));
        }
    }
    rooms
}

/// Generates Hyosan High School and the town of Hyosan.
///
/// ```
/// let school = outbreak_world::school::generate(&Default::default()).unwrap();
/// let w = &school.world;
/// assert_eq!(w.place_by_name("Science Lab"), Some(school.science_lab));
/// assert!(w.place_by_name("Class 2-5").is_some());
/// assert!(w.zone_by_name("Hyosan High").is_some());
/// ```
pub fn generate(p: &SchoolParams) -> Result<School, GenError> {
    check(p)?;
    let mut g = Draft::new(p.reference_capacity);
    let town = g.b.zone("Hyosan");
    let school = g.b.zone("Hyosan High");
    let main_zone = g.b.zone("main building");
    let gym_zone = g.b.zone("gym");
    let floor_zones: Vec<ZoneId> = (1..=p.floors).map(|f| g.b.zone(&format!("{f}F"))).collect();
    let quarantine = g.b.zone("quarantine zone");
    let door = p.door_strength;
    let side = p.town_side;
    // The middle of the town's south edge, where the school's Main Gate opens onto it.
    let mx = f64::from(side / 2) * BLOCK_M;

    // NOTE: the school's gates stand in a line due south of the Main Gate, and every town
    // building's gate stands on its crossing: the routes of a town of any size are then the
    // straight runs a walker expects.
    let main_gate = g.place("Main Gate".into(), PlaceKind::Gate, [mx, -40.0], 500, 0.0);
    let yard = g.place(
        "Schoolyard".into(),
        PlaceKind::Plaza,
        [mx, -130.0],
        2000,
        0.0,
    );
    g.b.add_way(main_gate, yard, 90.0);
    g.zone_all(&[main_gate, yard], &[school, town]);

    // The gym, just inside the gate, across the yard from the main building.
    let gym_door = g.place(
        "Gym entrance".into(),
        PlaceKind::Lobby,
        [mx, -100.0],
        100,
        0.0,
    );
    let gym = g.place(
        "Gym".into(),
        PlaceKind::Gym,
        [mx + 50.0, -100.0],
        400,
        2.0 * door,
    );
    let storage = g.place(
        "Gym storage".into(),
        PlaceKind::Room,
        [mx + 90.0, -100.0],
        20,
        door,
    );
    g.b.add_way(yard, gym_door, 30.0);
    g.b.add_way(gym_door, gym, 15.0);
    g.b.add_way(gym, storage, 10.0);
    g.enclose(
        &[gym_door, gym, storage],
        gym_door,
        &[gym_zone, school, town],
    );

    // The main building.
    let y0 = -230.0;
    let entrance = g.place(
        "Main Entrance".into(),
        PlaceKind::Lobby,
        [mx, -220.0],
        150,
        0.0,
    );
    g.b.add_way(yard, entrance, 90.0);
    let mut building = vec![entrance];
    g.b.put_in_zone(entrance, floor_zones[0]);
    let mut lists = Lists::default();
    let mut classes = Vec::new();
    let mut numbers = [0u32; 3];
    let mut below: Option<(PlaceId, PlaceId)> = None;
    let mut science_lab = entrance;
    let mut cafeteria = entrance;
    for f in 1..=p.floors {
        let y = y0 - f64::from(f);
        let fz = floor_zones[f as usize - 1];
        let mut here = Vec::new();
        let half = |g: &mut Draft, side: &str, x: f64| {
            g.place(
                format!("{f}F corridor {side}"),
                PlaceKind::Corridor,
                [x, y],
                80,
                0.0,
            )
        };
        let west = half(&mut g, "west", mx - 60.0);
        let east = half(&mut g, "east", mx + 60.0);
        g.b.add_way(west, east, 40.0);
        let stair = |g: &mut Draft, side: &str, x: f64| {
            g.place(
                format!("{side} stairwell {f}F"),
                PlaceKind::Stairwell,
                [x, y],
                30,
                0.0,
            )
        };
        let west_stair = stair(&mut g, "west", mx - 130.0);
        let east_stair = stair(&mut g, "east", mx + 130.0);
        g.b.add_way(west, west_stair, 40.0);
        g.b.add_way(east, east_stair, 40.0);
        if let Some((w, e)) = below {
            g.b.add_way(w, west_stair, 12.0);
            g.b.add_way(e, east_stair, 12.0);
        } else {
            g.b.add_way(entrance, west, 15.0);
            g.b.add_way(entrance, east, 15.0);
        }
        below = Some((west_stair, east_stair));
        here.extend([west, east, west_stair, east_stair]);
        let plan = floor_plan(p, f, &mut numbers);
        let on_west = plan.len().div_ceil(2);
        for (i, r) in plan.into_iter().enumerate() {
            let (cor, x) = if i < on_west {
                (west, mx - 120.0 + 15.0 * i as f64)
            } else {
                (east, mx + 15.0 * (i - on_west) as f64)
            };
            let id = g.place(r.name, r.kind, [x, y - 10.0], r.capacity, r.door);
            g.b.add_way(cor, id, 8.0);
            here.push(id);
            match r.used_as {
                Use::Office => lists.offices.push(id),
                Use::Dining => cafeteria = id,
                Use::Class => classes.push((r.class.1, r.class.0, id)),
                Use::Other => {}
            }
            if r.kind == PlaceKind::Lab {
                science_lab = id;
            }
        }
        g.zone_all(&here, &[fz]);
        building.extend(here);
    }
    let (west_top, east_top) = below.expect("a school has at least one floor");
    let rooftop = g.place(
        "Rooftop".into(),
        PlaceKind::Rooftop,
        [mx, y0 - f64::from(p.floors + 1)],
        200,
        2.0 * door,
    );
    g.b.add_way(west_top, rooftop, 12.0);
    g.b.add_way(east_top, rooftop, 12.0);
    building.push(rooftop);
    g.enclose(&building, entrance, &[main_zone, school, town]);
    // Classes fill in order of their number, grade by grade: 1-1, 2-1, 3-1, 1-2, ...
    classes.sort_unstable();
    let classrooms = classes.into_iter().map(|(_, _, id)| id).collect();

    // The town: a street grid, a block of homes and a shop at every crossing.
    let mut crossing = Vec::with_capacity((side * side) as usize);
    for y in 0..side {
        for x in 0..side {
            let at = [f64::from(x) * BLOCK_M, f64::from(y) * BLOCK_M];
            let c = g.place(format!("crossing {x},{y}"), PlaceKind::Street, at, 500, 0.0);
            g.b.put_in_zone(c, town);
            crossing.push(c);
            let lobby = g.place(
                format!("block {x},{y} lobby"),
                PlaceKind::Lobby,
                at,
                100,
                0.0,
            );
            g.b.add_way(c, lobby, 15.0);
            let mut block = vec![lobby];
            for r in 1..=HOMES_PER_BLOCK {
                let home = g.place(
                    format!("block {x},{y} home {r}"),
                    PlaceKind::Room,
                    [at[0] + 30.0, at[1] + 10.0 * f64::from(r)],
                    HOME_BEDS,
                    door,
                );
                g.b.add_way(lobby, home, 10.0);
                block.push(home);
                lists.homes.push(home);
            }
            let shop = g.place(
                format!("block {x},{y} shop"),
                PlaceKind::Room,
                [at[0] + 30.0, at[1] - 10.0],
                30,
                door,
            );
            g.b.add_way(lobby, shop, 10.0);
            block.push(shop);
            lists.works.push(shop);
            g.enclose(&block, lobby, &[town]);
        }
    }
    let at = |x: u32, y: u32| crossing[(y * side + x) as usize];
    g.join_grid(side, side, BLOCK_M as f32, at);
    g.b.add_way(main_gate, at(side / 2, 0), 40.0);
    let (mid, top) = (side / 2, side - 1);
    let landmarks = [
        ("Hyosan Hospital", PlaceKind::Hospital, 400, 2.0, (top, mid)),
        (
            "Hyosan Police Station",
            PlaceKind::Office,
            60,
            3.0,
            (0, mid),
        ),
        ("City Hall", PlaceKind::Office, 200, 2.0, (mid, mid)),
        ("Hyosan Station", PlaceKind::Station, 2000, 0.0, (top, top)),
    ];
    for (name, kind, capacity, strength, (x, y)) in landmarks {
        let c = at(x, y);
        let pos = g.b.pos(c);
        let id = g.place(name.into(), kind, pos, capacity, strength * door);
        g.b.add_way(c, id, 30.0);
        g.b.put_in_zone(id, town);
        if kind.is_room() {
            lists.works.push(id);
        }
    }

    // The road north to the Quarantine Zone, past the Checkpoint.
    let mut prev = at(mid, top);
    let mut pos = g.b.pos(prev);
    let mut beyond_checkpoint = false;
    let mut quarantine_zone = prev;
    for (name, kind, capacity) in [
        ("Quarantine road 1", PlaceKind::Street, 500),
        ("Quarantine road 2", PlaceKind::Street, 500),
        ("Quarantine road 3", PlaceKind::Street, 500),
        ("Checkpoint", PlaceKind::Checkpoint, 500),
        ("Quarantine road 4", PlaceKind::Street, 500),
        ("Quarantine Zone", PlaceKind::Plaza, 20_000),
    ] {
        pos[1] += ROAD_STRETCH_M;
        let id = g.place(name.into(), kind, pos, capacity, 0.0);
        g.b.add_way(prev, id, ROAD_STRETCH_M as f32);
        // The military holds the road from the checkpoint on.
        beyond_checkpoint |= kind == PlaceKind::Checkpoint;
        if beyond_checkpoint {
            g.b.put_in_zone(id, quarantine);
        }
        prev = id;
        quarantine_zone = id;
    }

    let staging = add_staging(&mut g.b);
    Ok(School {
        world: g.b.build()?,
        homes: lists.homes,
        works: lists.works,
        classrooms,
        offices: lists.offices,
        cafeteria,
        science_lab,
        rooftop,
        main_gate,
        quarantine_zone,
        staging,
    })
}

#[derive(Default)]
struct Lists {
    homes: Vec<PlaceId>,
    works: Vec<PlaceId>,
    offices: Vec<PlaceId>,
}

fn check(p: &SchoolParams) -> Result<(), GenError> {
    let whole = |key: &'static str, v: u32, hi: u32, allowed: &'static str| {
        if (1..=hi).contains(&v) {
            Ok(())
        } else {
            Err(GenError::Setting {
                key,
                allowed,
                value: v.to_string(),
            })
        }
    };
    whole("world.floors", p.floors, 10, "between 1 and 10")?;
    whole(
        "world.classrooms_per_floor",
        p.classrooms_per_floor,
        30,
        "between 1 and 30",
    )?;
    whole("world.town_side", p.town_side, 60, "between 1 and 60")?;
    if !(p.reference_capacity.is_finite() && p.reference_capacity > 0.0) {
        return Err(GenError::Setting {
            key: "world.reference_capacity",
            allowed: "a number above 0",
            value: p.reference_capacity.to_string(),
        });
    }
    if !(p.door_strength.is_finite() && p.door_strength >= 0.0) {
        return Err(GenError::Setting {
            key: "world.door_strength",
            allowed: "a number of zombie-hours, 0 or more",
            value: p.door_strength.to_string(),
        });
    }
    Ok(())
}

/// The roles and routine anchors of the people of the school and the town.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SchoolPeople {
    /// Number of people the routines are drawn for (seats are shared among them).
    pub population: u64,
    /// Fraction of the school's people who are teachers and staff.
    pub staff_fraction: f64,
    /// Fraction of people who live and work in the town and never go to the school.
    pub town_fraction: f64,
}

impl Default for SchoolPeople {
    /// 2,400 people: 1,800 townspeople, 60 staff and 540 students.
    fn default() -> Self {
        Self {
            population: 2400,
            staff_fraction: 0.1,
            town_fraction: 0.75,
        }
    }
}

impl School {
    /// Seats the routines fill in these places.
    fn seats(&self, places: &[PlaceId]) -> f64 {
        places
            .iter()
            .map(|p| usable(self.world.places.capacity[p.index()]))
            .sum()
    }

    /// The place at fraction `x` (in [0, 1)) of the places' summed seats, so that evenly
    /// spread fractions fill the places in proportion to their seats.
    fn at_fraction(&self, places: &[PlaceId], x: f64, fallback: PlaceId) -> PlaceId {
        let mut left = x * self.seats(places);
        for &p in places {
            left -= usable(self.world.places.capacity[p.index()]);
            if left < 0.0 {
                return p;
            }
        }
        places.last().copied().unwrap_or(fallback)
    }

    /// Role and anchors (home, morning, lunch, afternoon) of person number `k`; the same
    /// for the same `(seed, k)`.
    ///
    /// People are dealt out rather than drawn, so that an ordinary day fits the rooms:
    /// person `k` stands at point `start + k·0.618…` (mod 1) of a golden-ratio sequence,
    /// whose start is fixed by the seed. Such points spread evenly, so every share holds in
    /// every stretch of people. The first `town_fraction` of the unit interval are
    /// townspeople, the next `(1 − town_fraction)·staff_fraction` staff, the rest students;
    /// within each part the point picks the workplace, desk or class, in proportion to
    /// seats. Classes fill to about 30 students in the order Class 1-1, 2-1, 3-1, 1-2, ...
    /// (more to a class only when every classroom is taken), so a class shares its
    /// classroom; offices, shops and the cafeteria fill to at most 90% of their seats, and
    /// whoever finds no seat stays in class (students and teachers at lunch), in a
    /// classroom (teachers without an office desk) or at home (townspeople without work).
    /// Homes fill evenly, person `k` in home `k mod homes`.
    pub fn routine(&self, people: &SchoolPeople, seed: u64, k: u32) -> (Role, [PlaceId; ANCHORS]) {
        let n = people.population.max(1) as f64;
        let town = people.town_fraction.clamp(0.0, 1.0);
        let staff = (1.0 - town) * people.staff_fraction.clamp(0.0, 1.0);
        // One draw for the whole population: where the sequence starts.
        let start = rng::unit(seed, Stream::World, 0, 0);
        let u = (start + f64::from(k) * GOLDEN).fract();
        let home = self.homes[k as usize % self.homes.len()];
        let share = |places: &[PlaceId], of: f64| (self.seats(places) / of).min(1.0);
        if u < town {
            let v = u / town;
            let working = share(&self.works, n * town);
            if v >= working {
                return (Role::Civilian, [home; ANCHORS]);
            }
            let work = self.at_fraction(&self.works, v / working, home);
            return (Role::Civilian, [home, work, work, work]);
        }
        let lunch_share = share(&[self.cafeteria], n * (1.0 - town));
        let students = n * (1.0 - town - staff);
        let used = ((students / CLASS_SIZE).ceil() as usize).clamp(1, self.classrooms.len());
        let class_at = |x: f64| self.classrooms[((x * used as f64) as usize).min(used - 1)];
        if u < town + staff {
            let v = (u - town) / staff;
            let in_office = share(&self.offices, n * staff);
            let desk = if v < in_office {
                self.at_fraction(&self.offices, v / in_office, home)
            } else {
                class_at((v - in_office) / (1.0 - in_office))
            };
            // Office staff lunch in the cafeteria, as far as seats go; teachers without an
            // office desk eat with their class.
            let lunch = if v < lunch_share {
                self.cafeteria
            } else {
                desk
            };
            return (Role::Civilian, [home, desk, lunch, desk]);
        }
        let v = ((u - town - staff) / (1.0 - town - staff)).min(1.0 - f64::EPSILON);
        let class = class_at(v);
        // The point's place within its class decides who goes to the cafeteria.
        let lunch = if (v * used as f64).fract() < lunch_share {
            self.cafeteria
        } else {
            class
        };
        (Role::Student, [home, class, lunch, class])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_routes(s: &School, step_from: usize, step_to: usize, max_steps: usize) {
        let w = &s.world;
        let n = w.place_count() as u32;
        for from in (0..n).step_by(step_from) {
            for to in (0..n).step_by(step_to) {
                let (from, to) = (PlaceId(from), PlaceId(to));
                if from == s.staging || to == s.staging {
                    continue;
                }
                assert!(
                    w.route(from, to, max_steps).is_some(),
                    "no route from {} to {}",
                    w.places.name[from.index()],
                    w.places.name[to.index()]
                );
            }
        }
    }

    #[test]
    fn every_place_reaches_every_other_by_route() {
        let small = generate(&SchoolParams {
            floors: 3,
            classrooms_per_floor: 3,
            town_side: 3,
            ..Default::default()
        })
        .unwrap();
        assert_routes(&small, 1, 1, 200);
        assert_routes(&generate(&SchoolParams::default()).unwrap(), 3, 5, 200);
        let one_floor = generate(&SchoolParams {
            floors: 1,
            town_side: 1,
            ..Default::default()
        })
        .unwrap();
        assert_routes(&one_floor, 1, 1, 200);
    }

    #[test]
    fn routes_arrive_in_the_largest_town() {
        // 60 × 60 crossings and blocks: more gates than the exact table holds, so routes
        // between cells come from the contraction hierarchy.
        let s = generate(&SchoolParams {
            town_side: 60,
            ..Default::default()
        })
        .unwrap();
        const { assert!(2 * 60 * 60 > outbreak_engine::world::EXACT_GATES) };
        let w = &s.world;
        let named = [
            s.science_lab,
            s.rooftop,
            s.quarantine_zone,
            w.place_by_name("Gym storage").unwrap(),
            w.place_by_name("Hyosan Hospital").unwrap(),
            w.place_by_name("Hyosan Station").unwrap(),
            w.place_by_name("block 0,0 home 1").unwrap(),
            w.place_by_name("block 59,0 shop").unwrap(),
            w.place_by_name("block 59,59 lobby").unwrap(),
        ];
        for &a in &named {
            for &b in &named {
                assert!(w.route(a, b, 600).is_some(), "no route {a:?} → {b:?}");
            }
        }
        assert_routes(&s, 997, 1009, 600);
    }

    #[test]
    fn default_school_has_the_named_places_and_zones() {
        let s = generate(&SchoolParams::default()).unwrap();
        let w = &s.world;
        for name in [
            "Science Lab",
            "Class 1-1",
            "Class 2-5",
            "Class 3-8",
            "Teachers' Office",
            "Nurse's Office",
            "Broadcasting Room",
            "Cafeteria",
            "Library",
            "Music Room",
            "Rooftop",
            "Gym",
            "Schoolyard",
            "Main Gate",
            "Main Entrance",
            "Hyosan Hospital",
            "Hyosan Police Station",
            "City Hall",
            "Hyosan Station",
            "Checkpoint",
            "Quarantine Zone",
        ] {
            assert!(w.place_by_name(name).is_some(), "no place {name}");
        }
        assert!(w.place_by_name("Class 4-1").is_none());
        let zone = |name: &str| w.zone_by_name(name).unwrap_or_else(|| panic!("no {name}"));
        let class = w.place_by_name("Class 2-5").unwrap();
        for z in ["Hyosan High", "main building", "3F", "Hyosan"] {
            assert!(w.in_zone(class, zone(z)), "Class 2-5 not in {z}");
        }
        assert!(w.in_zone(s.science_lab, zone("3F")));
        let gym = w.place_by_name("Gym").unwrap();
        assert!(w.in_zone(gym, zone("gym")) && w.in_zone(gym, zone("Hyosan High")));
        assert!(!w.in_zone(gym, zone("main building")));
        let (town, camp) = (zone("Hyosan"), zone("quarantine zone"));
        for p in w.places_of(zone("Hyosan High")) {
            assert!(w.in_zone(*p, town));
        }
        let checkpoint = w.place_by_name("Checkpoint").unwrap();
        for p in [s.quarantine_zone, checkpoint] {
            assert!(w.in_zone(p, camp) && !w.in_zone(p, town));
        }
        for f in 1..=4 {
            zone(&format!("{f}F"));
        }
        // Barricadable rooms, open transit.
        let strength = |p: PlaceId| w.places.barricade_strength[p.index()];
        assert!(strength(class) > 0.0 && strength(s.rooftop) > 0.0);
        assert_eq!(strength(s.main_gate), 0.0);
        // The road out of town is 1–2 km.
        let edge = w.place_by_name("crossing 3,5").unwrap();
        let road = w.route(edge, s.quarantine_zone, 100).unwrap();
        let metres: f32 = road
            .windows(2)
            .map(|p| {
                let e = w.neighbours(p[0]).iter().find(|e| e.to == p[1]).unwrap();
                e.length_m
            })
            .sum();
        assert!((1000.0..=2000.0).contains(&metres), "{metres} m");
    }

    #[test]
    fn a_school_day_fits_the_school() {
        let s = generate(&SchoolParams::default()).unwrap();
        let w = &s.world;
        let people = SchoolPeople::default();
        let school = w.zone_by_name("Hyosan High").unwrap();
        for seed in 0..10 {
            let mut count = vec![[0u32; ANCHORS]; w.place_count()];
            let (mut at_school, mut students) = (0, 0);
            for k in 0..people.population as u32 {
                let (role, a) = s.routine(&people, seed, k);
                assert_eq!(s.routine(&people, seed, k), (role, a), "not deterministic");
                assert!(!w.in_zone(a[0], school), "nobody sleeps at school");
                at_school += u32::from(w.in_zone(a[1], school));
                students += u32::from(role == Role::Student);
                for (slot, p) in a.iter().enumerate() {
                    count[p.index()][slot] += 1;
                }
            }
            assert!((540..=660).contains(&at_school), "{at_school} at school");
            assert!((480..=600).contains(&students), "{students} students");
            for (p, slots) in count.iter().enumerate() {
                let cap = w.places.capacity[p];
                if w.places.kind[p].is_room() {
                    let name = &w.places.name[p];
                    assert!(slots.iter().all(|&c| c <= cap), "{name}: {slots:?} > {cap}");
                }
            }
            // Classes of about 30, sharing their classroom.
            let class = w.place_by_name("Class 2-5").unwrap();
            let in_class = count[class.index()][1];
            assert!((25..=35).contains(&in_class), "{in_class} in Class 2-5");
            assert!(count[s.cafeteria.index()][2] >= 240);
        }
        // Another seed deals people out differently.
        let differs = (0..100).any(|k| s.routine(&people, 43, k) != s.routine(&people, 42, k));
        assert!(differs);
    }

    #[test]
    fn settings_out_of_range_are_refused() {
        let bad = [
            SchoolParams {
                floors: 0,
                ..Default::default()
            },
            SchoolParams {
                floors: 11,
                ..Default::default()
            },
            SchoolParams {
                classrooms_per_floor: 0,
                ..Default::default()
            },
            SchoolParams {
                classrooms_per_floor: 31,
                ..Default::default()
            },
            SchoolParams {
                town_side: 0,
                ..Default::default()
            },
            SchoolParams {
                town_side: 61,
                ..Default::default()
            },
            SchoolParams {
                reference_capacity: 0.0,
                ..Default::default()
            },
            SchoolParams {
                door_strength: f32::NAN,
                ..Default::default()
            },
        ];
        for p in bad {
            assert!(
                matches!(generate(&p), Err(GenError::Setting { .. })),
                "{p:?} accepted"
            );
        }
        let e = generate(&SchoolParams {
            floors: 11,
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "`world.floors` must be between 1 and 10 (got 11)"
        );
    }
}
