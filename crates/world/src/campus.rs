//! A generated university campus in Seoul (season 2's setting).
//!
//! Buildings stand on a grid of footpaths. Each building has a lobby on the ground floor
//! (its only door to the outside, and the gate of its routing cell), a stairwell on every
//! floor, corridors in two wings, and rooms off the corridors; a rooftop above. Academic
//! halls hold classrooms, a lecture hall, labs and offices; the Central Library holds
//! reading rooms; the Student Union a cafeteria; dormitories hold two-person rooms. Three
//! gates lead off campus: the Main Gate to the streets of Sillim-dong, the West Gate to
//! Gwanak-ro, and the Station Gate to Nakseongdae Station. Commuters live off campus.
//!
//! Capacities and door strengths are plausible round numbers, not survey data.

use crate::draft::Draft;
use crate::{add_staging, GenError};
use outbreak_engine::agents::ANCHORS;
use outbreak_engine::prelude::*;
use outbreak_engine::rng::{self, Stream};
use rand::Rng;

/// Settings of the campus generator.
#[derive(Clone, Debug, PartialEq)]
pub struct CampusParams {
    /// Academic halls (1–200); the first twelve are named (Natural Sciences Hall,
    /// Engineering Hall, …), the rest `Hall {n}`.
    pub academic_buildings: u32,
    /// Floors of each academic hall above its lobby (1–60), each a stairwell, corridors and
    /// rooms; the first floor holds the hall's lecture hall.
    pub floors: u32,
    /// Rooms on each floor of an academic hall (1–100), in two wings when more than six.
    pub rooms_per_floor: u32,
    /// Dormitories (0–100), named Dormitory A, B, ….
    pub dormitories: u32,
    /// Floors of each dormitory (1–60).
    pub dorm_floors: u32,
    /// Two-person rooms on each floor of a dormitory (1–200).
    pub dorm_rooms_per_floor: u32,
    /// Distance between neighbouring crossings of the footpath grid, metres.
    pub path_spacing_m: f64,
    /// Capacity of the place where bite and kill rates are as given (contact scale 1).
    pub reference_capacity: f64,
    /// Barricade strength of an ordinary door, in zombie-hours.
    pub door_strength: f32,
}

impl Default for CampusParams {
    fn default() -> Self {
        Self {
            academic_buildings: 10,
            floors: 5,
            rooms_per_floor: 10,
            dormitories: 6,
            dorm_floors: 8,
            dorm_rooms_per_floor: 20,
            path_spacing_m: 110.0,
            reference_capacity: 40.0,
            door_strength: 1.5,
        }
    }
}

const ACADEMIC: [&str; 12] = [
    "Natural Sciences Hall",
    "Engineering Hall",
    "Humanities Hall",
    "Social Sciences Hall",
    "Business School",
    "College of Medicine",
    "Law School",
    "Music Hall",
    "Fine Arts Hall",
    "Education Hall",
    "Agriculture Hall",
    "Veterinary Hall",
];

/// A generated campus and the places its people use.
#[derive(Clone, Debug)]
pub struct Campus {
    /// The campus, its gates and the streets beyond, and the staging place.
    pub world: World,
    /// Off-campus streets where commuters live.
    pub homes_off: Vec<PlaceId>,
    /// Dormitory rooms, two beds each.
    pub dorm_rooms: Vec<PlaceId>,
    /// Classrooms, lecture halls and labs.
    pub teaching: Vec<PlaceId>,
    /// Staff desks: the academic halls' offices and the Student Union's rooms.
    pub offices: Vec<PlaceId>,
    /// Library reading rooms.
    pub study: Vec<PlaceId>,
    /// Cafeterias.
    pub dining: Vec<PlaceId>,
    /// The off-map staging place (see [`crate::add_staging`]).
    pub staging: PlaceId,
}

struct Gen<'a> {
    w: Draft,
    p: &'a CampusParams,
    campus: ZoneId,
}

impl Gen<'_> {
    /// One building; returns its lobby and its rooms by kind.
    fn building(
        &mut self,
        name: &str,
        at: [f64; 2],
        floors: u32,
        rooms: &dyn Fn(u32, u32) -> (PlaceKind, u32, f32),
        per_floor: u32,
    ) -> (PlaceId, Vec<(PlaceKind, PlaceId)>) {
        let zone = self.w.b.zone(name);
        let mut all = Vec::new();
        let lobby = self
            .w
            .place(format!("{name} lobby"), PlaceKind::Lobby, at, 120, 0.0);
        all.push(lobby);
        let mut out = Vec::new();
        let mut below = lobby;
        for f in 1..=floors {
            let z = f64::from(f);
            let stair = self.w.place(
                format!("{name} stairwell {f}F"),
                PlaceKind::Stairwell,
                [at[0] - 15.0, at[1] + z],
                30,
                0.0,
            );
            self.w
                .b
                .add_way(below, stair, if f == 1 { 10.0 } else { 12.0 });
            all.push(stair);
            let mut prev = if f == 1 { lobby } else { stair };
            if f == 1 {
                self.w.b.add_way(stair, lobby, 10.0);
            }
            let wings = if per_floor > 6 { 2 } else { 1 };
            let mut k = 0;
            for w in 0..wings {
                let side = ["W", "E"][w as usize];
                let cor = self.w.place(
                    format!("{name} {f}F corridor {side}"),
                    PlaceKind::Corridor,
                    [at[0] + f64::from(w) * 30.0, at[1] + z],
                    60,
                    0.0,
                );
                self.w.b.add_way(prev, cor, 25.0);
                all.push(cor);
                prev = cor;
                let n = per_floor / wings + u32::from(w < per_floor % wings);
                for _ in 0..n {
                    let (kind, cap, door) = rooms(f, k);
                    let label = match kind {
                        PlaceKind::Classroom => "classroom",
                        PlaceKind::LectureHall => "lecture hall",
                        PlaceKind::Lab => "lab",
                        PlaceKind::Office => "office",
                        PlaceKind::Library => "reading room",
                        PlaceKind::DormRoom => "room",
                        PlaceKind::Cafeteria => "cafeteria",
                        PlaceKind::Gym => "court",
                        _ => "room",
                    };
                    let room = self.w.place(
                        format!("{name} {f}F {label} {}{:02}", f, k + 1),
                        kind,
                        [at[0] + f64::from(k) * 6.0, at[1] + z + 8.0],
                        cap,
                        door,
                    );
                    self.w.b.add_way(cor, room, 8.0);
                    all.push(room);
                    out.push((kind, room));
                    k += 1;
                }
            }
            below = stair;
        }
        let roof = self.w.place(
            format!("{name} rooftop"),
            PlaceKind::Rooftop,
            [at[0], at[1] + f64::from(floors) + 1.0],
            200,
            2.0 * self.p.door_strength,
        );
        self.w.b.add_way(below, roof, 12.0);
        all.push(roof);
        self.w.enclose(&all, lobby, &[zone, self.campus]);
        (lobby, out)
    }
}

/// Generates a campus.
///
/// ```
/// let campus = outbreak_world::campus::generate(&Default::default()).unwrap();
/// assert!(campus.world.zone_by_name("Natural Sciences Hall").is_some());
/// assert!(campus.world.place_by_name("Main Gate").is_some());
/// ```
pub fn generate(p: &CampusParams) -> Result<Campus, GenError> {
    check(p)?;
    let mut g = Gen {
        w: Draft::new(p.reference_capacity),
        p,
        campus: ZoneId(0),
    };
    g.campus = g.w.b.zone("campus");
    let academic = p.academic_buildings as usize;
    let specials = ["Central Library", "Student Union", "Gymnasium"];
    let total = academic + specials.len() + p.dormitories as usize;
    let cols = (total as f64).sqrt().ceil() as usize + 1;
    let rows = total.div_ceil(cols) + 1;
    let s = p.path_spacing_m;
    // Footpath grid.
    let mut node = Vec::new();
    for r in 0..rows {
        for c in 0..cols {
            let centre = r == rows / 2 && c == cols / 2;
            let (name, kind, cap) = if centre {
                ("Central Plaza".to_string(), PlaceKind::Plaza, 4000)
            } else {
                (format!("path {}-{}", r + 1, c + 1), PlaceKind::Path, 1500)
            };
            let id = g.w.place_in(
                name,
                kind,
                [c as f64 * s, r as f64 * s],
                cap,
                0.0,
                &[g.campus],
            );
            node.push(id);
        }
    }
    g.w.join_grid(cols as u32, rows as u32, s as f32, |c, r| {
        node[r as usize * cols + c as usize]
    });
    let field = g.w.place_in(
        "Sports Field".into(),
        PlaceKind::Plaza,
        [(cols as f64) * s, 0.0],
        3000,
        0.0,
        &[g.campus],
    );
    g.w.b.add_way(field, node[cols - 1], 60.0);
    // Buildings, one per path node, in order from the south-west.
    let plaza = (rows / 2) * cols + cols / 2;
    let mut slots = (0..rows * cols).filter(|&k| k != plaza);
    let mut lists = Lists::default();
    let door = p.door_strength;
    let attach = |g: &mut Gen, lobby: PlaceId, slot: usize| {
        g.w.b.add_way(lobby, node[slot], 20.0);
    };
    for k in 0..academic {
        let name = ACADEMIC
            .get(k)
            .map_or_else(|| format!("Hall {}", k + 1), |n| n.to_string());
        let slot = slots.next().unwrap_or(0);
        let at = g.w.b.pos(node[slot]);
        let rooms = |f: u32, i: u32| match (f, i) {
            (1, 0) => (PlaceKind::LectureHall, 150, 2.0 * door),
            (_, i) if i % 5 == 4 => (PlaceKind::Office, 4, door),
            (f, i) if f >= 3 && i % 5 == 3 => (PlaceKind::Lab, 20, 1.5 * door),
            _ => (PlaceKind::Classroom, 40, door),
        };
        let (lobby, rs) = g.building(
            &name,
            [at[0] + 25.0, at[1] + 25.0],
            p.floors,
            &rooms,
            p.rooms_per_floor,
        );
        attach(&mut g, lobby, slot);
        for (kind, r) in rs {
            if kind == PlaceKind::Office {
                lists.offices.push(r)
            } else {
                lists.teaching.push(r)
            }
        }
    }
    for name in specials {
        let slot = slots.next().unwrap_or(0);
        let at = g.w.b.pos(node[slot]);
        let at = [at[0] + 25.0, at[1] + 25.0];
        let (lobby, rs) = match name {
            "Central Library" => g.building(
                name,
                at,
                4,
                &|_, _| (PlaceKind::Library, 120, 2.0 * door),
                4,
            ),
            "Student Union" => g.building(
                name,
                at,
                3,
                &|f, i| {
                    if f == 1 && i == 0 {
                        (PlaceKind::Cafeteria, 600, 0.0)
                    } else {
                        (PlaceKind::Room, 25, door)
                    }
                },
                6,
            ),
            _ => g.building(name, at, 1, &|_, _| (PlaceKind::Gym, 400, 2.0 * door), 2),
        };
        attach(&mut g, lobby, slot);
        for (kind, r) in rs {
            match kind {
                PlaceKind::Library => lists.study.push(r),
                PlaceKind::Cafeteria => lists.dining.push(r),
                PlaceKind::Room => lists.offices.push(r),
                _ => {}
            }
        }
    }
    let dorms = g.w.b.zone("dormitories");
    for k in 0..p.dormitories {
        let name = if k < 26 {
            format!("Dormitory {}", char::from(b'A' + k as u8))
        } else {
            format!("Dormitory {}", k + 1)
        };
        let slot = slots.next().unwrap_or(0);
        let at = g.w.b.pos(node[slot]);
        let (lobby, rs) = g.building(
            &name,
            [at[0] + 25.0, at[1] + 25.0],
            p.dorm_floors,
            &|_, _| (PlaceKind::DormRoom, 2, door),
            p.dorm_rooms_per_floor,
        );
        attach(&mut g, lobby, slot);
        for (_, r) in rs {
            g.w.b.put_in_zone(r, dorms);
            lists.dorm_rooms.push(r);
        }
    }
    // Gates and the streets beyond.
    let off = g.w.b.zone("off-campus");
    let gwanak = g.w.b.zone("Gwanak-gu");
    let gate = |g: &mut Gen, name: &str, slot: usize, offset: [f64; 2]| -> PlaceId {
        let at = g.w.b.pos(node[slot]);
        let id = g.w.place_in(
            name.into(),
            PlaceKind::Gate,
            [at[0] + offset[0], at[1] + offset[1]],
            1000,
            0.0,
            &[g.campus],
        );
        g.w.b.add_way(id, node[slot], 40.0);
        id
    };
    let main = gate(&mut g, "Main Gate", cols / 2, [0.0, -60.0]);
    let west = gate(&mut g, "West Gate", (rows / 2) * cols, [-60.0, 0.0]);
    let station_gate = gate(&mut g, "Station Gate", rows * cols - 1, [60.0, 60.0]);
    let street =
        |g: &mut Gen, name: String, from: PlaceId, offset: [f64; 2], kind: PlaceKind| -> PlaceId {
            let at = g.w.b.pos(from);
            let id = g.w.place_in(
                name,
                kind,
                [at[0] + offset[0], at[1] + offset[1]],
                3000,
                0.0,
                &[off],
            );
            g.w.b.add_way(from, id, 200.0);
            id
        };
    let mut prev = main;
    for k in 1..=4 {
        prev = street(
            &mut g,
            format!("Sillim-dong street {k}"),
            prev,
            [0.0, -200.0],
            PlaceKind::Street,
        );
        lists.homes_off.push(prev);
    }
    let ro = street(
        &mut g,
        "Gwanak-ro".into(),
        west,
        [-200.0, 0.0],
        PlaceKind::Street,
    );
    lists.homes_off.push(ro);
    let station = street(
        &mut g,
        "Nakseongdae Station".into(),
        station_gate,
        [200.0, 200.0],
        PlaceKind::Station,
    );
    lists.homes_off.push(station);
    let all: Vec<PlaceId> = (0..g.w.b.place_count() as u32).map(PlaceId).collect();
    for &x in &all {
        g.w.b.put_in_zone(x, gwanak);
    }
    let staging = add_staging(&mut g.w.b);
    Ok(Campus {
        world: g.w.b.build()?,
        homes_off: lists.homes_off,
        dorm_rooms: lists.dorm_rooms,
        teaching: lists.teaching,
        offices: lists.offices,
        study: lists.study,
        dining: lists.dining,
        staging,
    })
}

#[derive(Default)]
struct Lists {
    homes_off: Vec<PlaceId>,
    dorm_rooms: Vec<PlaceId>,
    teaching: Vec<PlaceId>,
    offices: Vec<PlaceId>,
    study: Vec<PlaceId>,
    dining: Vec<PlaceId>,
}

fn check(p: &CampusParams) -> Result<(), GenError> {
    let whole = |key: &'static str, v: u32, lo: u32, hi: u32| {
        if v < lo || v > hi {
            Err(GenError::Setting {
                key,
                allowed: "within the documented range",
                value: v.to_string(),
            })
        } else {
            Ok(())
        }
    };
    whole("world.academic_buildings", p.academic_buildings, 1, 200)?;
    whole("world.floors", p.floors, 1, 60)?;
    whole("world.rooms_per_floor", p.rooms_per_floor, 1, 100)?;
    whole("world.dormitories", p.dormitories, 0, 100)?;
    whole("world.dorm_floors", p.dorm_floors, 1, 60)?;
    whole("world.dorm_rooms_per_floor", p.dorm_rooms_per_floor, 1, 200)?;
    Ok(())
}

/// The roles and routine anchors of campus people.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CampusPeople {
    /// Number of people the routines are drawn for (seats are shared among them).
    pub population: u64,
    /// Fraction of people who are staff (offices by day, off campus at night).
    pub staff_fraction: f64,
    /// Fraction of students who would live in the dormitories (if there are beds).
    pub dorm_fraction: f64,
}

impl Campus {
    fn seats(&self, places: &[PlaceId]) -> f64 {
        places
            .iter()
            .map(|p| f64::from(self.world.places.capacity[p.index()]))
            .sum()
    }

    /// A place from the list, in proportion to its capacity.
    fn pick<R: Rng>(&self, rng: &mut R, places: &[PlaceId], fallback: PlaceId) -> PlaceId {
        let mut left = rng.random::<f64>() * self.seats(places);
        for &p in places {
            left -= f64::from(self.world.places.capacity[p.index()]);
            if left < 0.0 {
                return p;
            }
        }
        places.last().copied().unwrap_or(fallback)
    }

    /// Role and anchors (home, morning, lunch, afternoon) of person number `k`. Places are
    /// drawn in proportion to their capacity, and a scarce kind of place (cafeteria seats,
    /// dormitory beds, offices, library seats) is chosen only as often as there are seats for
    /// the population, so that an ordinary day fits on the campus.
    pub fn routine(&self, people: &CampusPeople, seed: u64, k: u32) -> (Role, [PlaceId; ANCHORS]) {
        let mut rng = rng::stream(seed, Stream::Setup, 0, k);
        let n = people.population.max(1) as f64;
        let share = |places: &[PlaceId], of: f64| (self.seats(places) / of.max(1.0)).min(1.0);
        let home_off = if self.homes_off.is_empty() {
            self.staging
        } else {
            self.homes_off[rng.random_range(0..self.homes_off.len())]
        };
        let staff = n * people.staff_fraction;
        if rng.random::<f64>() < people.staff_fraction {
            let desk = if rng.random::<f64>() < share(&self.offices, staff) {
                self.pick(&mut rng, &self.offices, home_off)
            } else {
                self.pick(&mut rng, &self.teaching, home_off)
            };
            let lunch = if rng.random::<f64>() < share(&self.dining, n) {
                self.pick(&mut rng, &self.dining, desk)
            } else {
                desk
            };
            return (Role::Civilian, [home_off, desk, lunch, desk]);
        }
        let students = n - staff;
        let dorm = people.dorm_fraction.min(share(&self.dorm_rooms, students));
        let home = if rng.random::<f64>() < dorm {
            self.pick(&mut rng, &self.dorm_rooms, home_off)
        } else {
            home_off
        };
        let morning = self.pick(&mut rng, &self.teaching, home);
        let lunch = if rng.random::<f64>() < share(&self.dining, n) {
            self.pick(&mut rng, &self.dining, morning)
        } else {
            morning
        };
        let afternoon = if rng.random::<f64>() < 0.3f64.min(share(&self.study, students)) {
            self.pick(&mut rng, &self.study, home)
        } else {
            self.pick(&mut rng, &self.teaching, home)
        };
        (Role::Student, [home, morning, lunch, afternoon])
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_place_reaches_every_other_by_route() {
        let c = generate(&CampusParams {
            academic_buildings: 3,
            dormitories: 2,
            floors: 3,
            rooms_per_floor: 6,
            dorm_floors: 2,
            dorm_rooms_per_floor: 4,
            ..Default::default()
        })
        .unwrap();
        let w = &c.world;
        let n = w.place_count() as u32;
        let staging = c.staging;
        for from in (0..n).step_by(7) {
            for to in (0..n).step_by(5) {
                let (from, to) = (PlaceId(from), PlaceId(to));
                if from == staging || to == staging {
                    continue;
                }
                assert!(
                    w.route(from, to, 200).is_some(),
                    "no route from {} to {}",
                    w.places.name[from.index()],
                    w.places.name[to.index()]
                );
            }
        }
    }

    #[test]
    fn default_campus_seats_twenty_thousand() {
        let c = generate(&CampusParams::default()).unwrap();
        let seats: u64 = c
            .teaching
            .iter()
            .chain(&c.study)
            .map(|p| u64::from(c.world.places.capacity[p.index()]))
            .sum();
        assert!(seats >= 15_000, "{seats} seats");
        assert!(c.world.zone_by_name("Dormitory A").is_some());
        assert!(c
            .world
            .place_by_name("Natural Sciences Hall 3F lab 304")
            .is_some());
    }
}
