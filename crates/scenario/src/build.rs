//! Building: the world from its generator, the population placed in it, names resolved, and
//! the timeline turned into engine orders.

use crate::error::{ErrorKind, FileProblem, Limit, Missing, NotAllowed, ScenarioError, Unknown};
use crate::validate::{whole_ticks, Scenario, WorldSpec};
use outbreak_engine::agents::ANCHORS;
use outbreak_engine::prelude::*;
use outbreak_engine::rng::{self, Stream};
use outbreak_world::campus::{Campus, CampusPeople};
use outbreak_world::city::City;
use outbreak_world::districts::DistrictCity;
use outbreak_world::osm::OsmWorld;
use outbreak_world::people;
use outbreak_world::school::{School, SchoolPeople};

/// A built scenario: the simulation at tick 0.
pub type Built = Simulation;

/// A role by its file name.
pub fn role(name: &str) -> Option<Role> {
    Some(match name {
        "civilian" => Role::Civilian,
        "student" => Role::Student,
        "fighter" => Role::Fighter,
        "medic" => Role::Medic,
        _ => return None,
    })
}

fn health(name: &str) -> Health {
    match name {
        "infected" => Health::Infected,
        "zombie" => Health::Zombie,
        "hambie" => Health::Hambie,
        _ => Health::Susceptible,
    }
}

enum Layout {
    Campus(Campus),
    Osm(OsmWorld),
    School(School),
    Districts(DistrictCity),
    City(City),
    Fixed {
        world: World,
        default_outbreak: PlaceId,
    },
}

impl Layout {
    fn world(&self) -> &World {
        match self {
            Layout::Campus(c) => &c.world,
            Layout::School(c) => &c.world,
            Layout::Osm(c) => &c.world,
            Layout::Districts(c) => &c.world,
            Layout::City(c) => &c.world,
            Layout::Fixed { world, .. } => world,
        }
    }
    /// Role, anchors and whether the person keeps a routine.
    fn routine(&self, s: &Scenario, k: u32) -> (Role, [PlaceId; ANCHORS], Mode) {
        let seed = s.params.run.seed;
        match self {
            Layout::Campus(c) => {
                let pp = &s.raw.population;
                let people = CampusPeople {
                    population: s.people,
                    staff_fraction: pp.staff_fraction.unwrap_or(0.1),
                    dorm_fraction: pp.dorm_fraction.unwrap_or(0.25),
                };
                let (r, a) = c.routine(&people, seed, k);
                (r, a, Mode::Routine)
            }
            Layout::School(c) => {
                let pp = &s.raw.population;
                let people = SchoolPeople {
                    population: s.people,
                    staff_fraction: pp.staff_fraction.unwrap_or(0.1),
                    town_fraction: pp.town_fraction.unwrap_or(0.75),
                };
                let (r, a) = c.routine(&people, seed, k);
                (r, a, Mode::Routine)
            }
            Layout::City(c) => {
                let (r, a) = c.routine(seed, k);
                (r, a, Mode::Routine)
            }
            Layout::Districts(c) => {
                let (r, a) = c.routine(seed, k, s.people);
                (r, a, Mode::Routine)
            }
            Layout::Osm(c) => {
                let (r, a) = c.routine(seed, k);
                (r, a, Mode::Routine)
            }
            Layout::Fixed { world, .. } => {
                // Well-mixed and lattice: one person a place in order, no routine.
                let n = (world.place_count() - 1).max(1) as u32;
                let p = PlaceId(k % n);
                (Role::Civilian, [p; ANCHORS], Mode::Alert)
            }
        }
    }
    fn default_outbreak(&self) -> PlaceId {
        match self {
            Layout::Campus(c) => c
                .world
                .place_by_name("Natural Sciences Hall 3F lab 304")
                .unwrap_or(c.teaching[0]),
            Layout::School(c) => c.science_lab,
            Layout::Districts(c) => c.campus_start,
            Layout::Osm(c) => c.buildings[c.buildings.len() / 2],
            Layout::City(c) => c.homes[c.homes.len() / 2],
            Layout::Fixed {
                default_outbreak, ..
            } => *default_outbreak,
        }
    }
}

/// The actions an order may take, and the settings each takes (besides `action`, `label`,
/// `at_hours`, `when` and `delay_hours`).
pub const ACTIONS: &[(&str, &[&str])] = &[
    ("cordon", &["zone", "leak_per_hour"]),
    ("lift-cordon", &["zone"]),
    ("rescue", &["place", "people_per_hour", "duration_hours"]),
    ("close-rescue", &["place"]),
    ("lure", &["place", "loudness", "duration_hours"]),
    ("squad", &["squad", "size", "entry", "zone"]),
    ("strike", &["zone", "kill_fraction"]),
    ("alarm", &["zone"]),
    (
        "quarantine",
        &[
            "zone",
            "infected_per_hour",
            "zombies_per_hour",
            "removal_per_hour",
        ],
    ),
    ("cure", &["zone", "cure_per_hour"]),
    ("eradicate", &["zone", "kill_fraction"]),
];

fn start_place(anchors: &[PlaceId; ANCHORS], s: &Scenario) -> PlaceId {
    let hour = s.params.run.start_hour as usize % 24;
    anchors[s.params.behaviour.schedule[hour] as usize]
}

/// Street pieces of a world imported from a map, to draw: (longitude, latitude) ends.
pub type Streets = Vec<([f64; 2], [f64; 2])>;

/// A built scenario before it is made a simulation ([`Scenario::build_parts`]).
#[derive(Clone, Debug)]
pub struct Parts {
    pub world: World,
    /// The people as placed, before tick 0 (before the initially infected are scheduled and
    /// tick 0's orders fire).
    pub pop: Population,
    pub orders: Vec<Order>,
    /// The streets of a world imported from a map, to draw; `None` for generated worlds.
    pub streets: Option<Streets>,
}

impl Scenario {
    /// Generates the world, places the people and resolves the timeline.
    pub fn build(&self) -> Result<Simulation, ScenarioError> {
        self.build_drawn().map(|(sim, _)| sim)
    }

    /// [`build`](Self::build), and the streets of a world imported from a map (OpenStreetMap)
    /// for pictures of the run; `None` for generated worlds.
    pub fn build_drawn(&self) -> Result<(Simulation, Option<Streets>), ScenarioError> {
        let parts = self.build_parts()?;
        let sim = Simulation::new(parts.world, parts.pop, self.params.clone(), parts.orders);
        Ok((sim, parts.streets))
    }

    /// The world, the people as placed before tick 0, the timeline and the streets, not yet
    /// made a simulation: for a run restored from a checkpoint
    /// (`Simulation::restore`), and to check that a variant of a run has the same world and
    /// people.
    pub fn build_parts(&self) -> Result<Parts, ScenarioError> {
        let ctx = &self.ctx;
        let gen_err = |e: outbreak_world::GenError| {
            let key = match &e {
                outbreak_world::GenError::Setting { key, .. } => key,
                outbreak_world::GenError::World(_) => "world",
            };
            ctx.error(
                key,
                ErrorKind::World {
                    message: e.to_string(),
                },
            )
        };
        let layout = match &self.world {
            WorldSpec::Campus(p) => {
                Layout::Campus(outbreak_world::campus::generate(p).map_err(gen_err)?)
            }
            WorldSpec::Osm { pbf, path, params } => Layout::Osm(
                outbreak_world::osm::import(std::io::Cursor::new(pbf.as_slice()), params).map_err(
                    |e| {
                        ctx.error(
                            "world.path",
                            FileProblem::Unusable {
                                path: path.clone(),
                                error: e.to_string(),
                            },
                        )
                    },
                )?,
            ),
            WorldSpec::Districts { districts, params } => Layout::Districts(
                outbreak_world::districts::generate(districts, self.people, params)
                    .map_err(gen_err)?,
            ),
            WorldSpec::School(p) => {
                Layout::School(outbreak_world::school::generate(p).map_err(gen_err)?)
            }
            WorldSpec::City {
                side,
                rooms_per_building,
                spacing_m,
            } => Layout::City(
                outbreak_world::city::generate(*side, *rooms_per_building, *spacing_m as f32)
                    .map_err(gen_err)?,
            ),
            WorldSpec::WellMixed { contact_scale } => Layout::Fixed {
                world: outbreak_world::well_mixed(*contact_scale as f32),
                default_outbreak: PlaceId(0),
            },
            WorldSpec::Lattice {
                side,
                spacing_m,
                neighbour_contact,
            } => {
                if self.people > u64::from(*side) * u64::from(*side) {
                    return Err(ctx.error(
                        "population.size",
                        Limit::LatticeFull {
                            people: self.people,
                            side: *side,
                        },
                    ));
                }
                let l =
                    outbreak_world::lattice::generate(*side, *spacing_m as f32, *neighbour_contact)
                        .map_err(gen_err)?;
                let centre = l.site(side / 2, side / 2);
                Layout::Fixed {
                    world: l.world,
                    default_outbreak: centre,
                }
            }
        };
        let world = layout.world();
        let find_place = |key: &str, name: &str| {
            if name == outbreak_world::STAGING {
                return Err(ctx.error(
                    key,
                    Unknown::Staging {
                        name: name.to_string(),
                    },
                ));
            }
            world.place_by_name(name).ok_or_else(|| {
                let suggestion =
                    crate::error::nearest(name, world.places.name.iter().map(String::as_str));
                ctx.error(
                    key,
                    Unknown::Place {
                        name: name.to_string(),
                        suggestion: suggestion.map(str::to_string),
                    },
                )
            })
        };
        let find_zone = |key: &str, name: &str| {
            world.zone_by_name(name).ok_or_else(|| {
                let mut zones: Vec<&str> = (0..world.zone_count())
                    .map(|z| world.zone_name(ZoneId(z as u32)))
                    .collect();
                let suggestion =
                    crate::error::nearest(name, zones.iter().copied()).map(str::to_string);
                if suggestion.is_some() {
                    zones.clear();
                }
                zones.truncate(12);
                ctx.error(
                    key,
                    Unknown::Zone {
                        name: name.to_string(),
                        suggestion,
                        zones: zones.into_iter().map(str::to_string).collect(),
                    },
                )
            })
        };
        let staging = world
            .place_by_name(outbreak_world::STAGING)
            .unwrap_or(PlaceId(0));
        let pop_raw = &self.raw.population;
        let outbreak = match &pop_raw.outbreak_place {
            Some(name) => find_place("population.outbreak_place", name)?,
            None => layout.default_outbreak(),
        };
        let mut pop = Population::default();
        let seed = self.params.run.seed;
        let zombies = pop_raw.initial_zombies.unwrap_or(1);
        let infected = pop_raw.initial_infected.unwrap_or(0);
        let lattice = matches!(self.world, WorldSpec::Lattice { .. });
        for k in 0..self.people as u32 {
            let mut rng = rng::stream(seed, Stream::Setup, 1, k);
            let traits = people::ordinary(&mut rng);
            let (role, anchors, mode) = layout.routine(self, k);
            let seeded = u64::from(k) < zombies + infected;
            let (health, place, anchors) = if seeded {
                let h = if u64::from(k) < zombies {
                    Health::Zombie
                } else {
                    Health::Infected
                };
                (h, outbreak, [outbreak; ANCHORS])
            } else if lattice && anchors[0] == outbreak && zombies + infected > 0 {
                // The outbreak site is taken by the first zombie, whose own site (the first)
                // is free: one person a site still.
                let free = PlaceId(0);
                (Health::Susceptible, free, [free; ANCHORS])
            } else {
                (Health::Susceptible, start_place(&anchors, self), anchors)
            };
            pop.push(AgentSpec {
                place,
                health,
                role,
                mode,
                traits,
                anchors: Some(anchors),
                name: None,
            });
        }
        // Named characters.
        let mut squads: Vec<(String, Vec<AgentId>)> = Vec::new();
        for (i, c) in pop_raw.characters.iter().enumerate() {
            let key = |f: &str| format!("population.characters.{i}.{f}");
            let k = self.people as u32 + i as u32;
            let mut rng = rng::stream(seed, Stream::Setup, 1, k);
            let mut traits = people::ordinary(&mut rng);
            traits.walk_mps = c.walk_mps.map_or(traits.walk_mps, |x| x as f32);
            traits.run_mps = c.run_mps.map_or(traits.run_mps, |x| x as f32);
            traits.fight = c.fight.map_or(traits.fight, |x| x as f32);
            traits.stealth = c.stealth.map_or(traits.stealth, |x| x as f32);
            let (role0, mut anchors, mut mode) = layout.routine(self, k);
            let mut place = start_place(&anchors, self);
            if let Some(name) = &c.place {
                place = find_place(&key("place"), name)?;
                anchors[0] = place;
                if mode == Mode::Routine {
                    // The named place is where they are now, whatever the hour.
                    let slot = self.params.behaviour.schedule
                        [self.params.run.start_hour as usize % 24]
                        as usize;
                    anchors[slot] = place;
                }
            }
            let mut role = c.role.as_deref().and_then(role).unwrap_or(role0);
            if let Some(squad) = &c.squad {
                for (f, given) in [
                    ("place", c.place.is_some()),
                    (
                        "health",
                        c.health.as_deref().is_some_and(|h| h != "susceptible"),
                    ),
                    ("role", c.role.as_deref().is_some_and(|r| r != "fighter")),
                ] {
                    if given {
                        return Err(ctx.error(
                            &key(f),
                            NotAllowed::SquadMember {
                                squad: squad.clone(),
                                setting: f,
                            },
                        ));
                    }
                }
                role = Role::Fighter;
                mode = Mode::Reserve;
                place = staging;
                anchors = [staging; ANCHORS];
                match squads.iter_mut().find(|s| &s.0 == squad) {
                    Some(s) => s.1.push(AgentId(pop.len() as u32)),
                    None => squads.push((squad.clone(), vec![AgentId(pop.len() as u32)])),
                }
            }
            let h = c.health.as_deref().map_or(Health::Susceptible, health);
            if h == Health::Zombie {
                mode = Mode::Alert;
            }
            pop.push(AgentSpec {
                place,
                health: h,
                role,
                mode,
                traits,
                anchors: Some(anchors),
                name: Some(c.name.clone()),
            });
        }
        // The timeline.
        let tick_minutes = self.params.run.tick_minutes;
        let mut orders = Vec::new();
        let mut used_squads = Vec::new();
        for (i, o) in self.raw.authorities.iter().enumerate() {
            let key = |f: &str| format!("authorities.{i}.{f}");
            let need = |f: &'static str, v: &Option<String>| {
                v.clone().ok_or_else(|| {
                    ctx.error(
                        &key(f),
                        Missing::OrderSetting {
                            action: o.action.clone(),
                            setting: f,
                        },
                    )
                })
            };
            let trigger = match (&o.at_hours, &o.when) {
                (Some(h), None) => {
                    if *h < 0.0 || !h.is_finite() {
                        return Err(ctx.error(&key("at_hours"), Limit::NonNegative { value: *h }));
                    }
                    let tick = whole_ticks(ctx, &key("at_hours"), *h, tick_minutes)?;
                    Trigger::At { tick }
                }
                (None, Some(w)) => {
                    let zone = find_zone(&key("when.zone"), &w.zone)?;
                    let health = Health::ALL
                        .into_iter()
                        .find(|h| h.as_str() == w.state)
                        .ok_or_else(|| {
                            let states: Vec<&str> =
                                Health::ALL.iter().map(|h| h.as_str()).collect();
                            ctx.error(
                                &key("when.state"),
                                Unknown::Choice {
                                    what: "state",
                                    name: w.state.clone(),
                                    allowed: states.join(", "),
                                    suggestion: None,
                                },
                            )
                        })?;
                    let delay = o.delay_hours.unwrap_or(0.0);
                    if delay < 0.0 || !delay.is_finite() {
                        return Err(
                            ctx.error(&key("delay_hours"), Limit::NonNegative { value: delay })
                        );
                    }
                    Trigger::ZoneCount {
                        zone,
                        health,
                        at_least: w.at_least,
                        delay_ticks: whole_ticks(ctx, &key("delay_hours"), delay, tick_minutes)?,
                    }
                }
                (Some(_), Some(_)) => return Err(ctx.error(&key("when"), NotAllowed::TwoTriggers)),
                (None, None) => return Err(ctx.error(&key("action"), Missing::Trigger)),
            };
            let fraction = |f: &str, v: Option<f64>, default: f64| -> Result<f64, ScenarioError> {
                let x = v.unwrap_or(default);
                if !(0.0..=1.0).contains(&x) {
                    return Err(ctx.error(
                        &key(f),
                        Limit::Between {
                            value: x,
                            min: 0.0,
                            max: 1.0,
                        },
                    ));
                }
                Ok(x)
            };
            let positive = |f: &str, v: Option<f64>, default: f64| -> Result<f64, ScenarioError> {
                let x = v.unwrap_or(default);
                if !x.is_finite() || x < 0.0 {
                    return Err(ctx.error(&key(f), Limit::NonNegative { value: x }));
                }
                Ok(x)
            };
            let takes = ACTIONS
                .iter()
                .find(|a| a.0 == o.action)
                .map(|a| a.1)
                .ok_or_else(|| {
                    let names: Vec<&str> = ACTIONS.iter().map(|a| a.0).collect();
                    ctx.error(
                        &key("action"),
                        Unknown::Choice {
                            what: "action",
                            name: o.action.clone(),
                            allowed: names.join(", "),
                            suggestion: crate::error::nearest(&o.action, names.iter().copied())
                                .map(str::to_string),
                        },
                    )
                })?;
            if let Some(k) = o.settings().into_iter().find(|k| !takes.contains(k)) {
                return Err(ctx.error(
                    &key(k),
                    NotAllowed::OrderSetting {
                        setting: k,
                        action: o.action.clone(),
                        takes,
                    },
                ));
            }
            if o.delay_hours.is_some() && o.when.is_none() {
                return Err(ctx.error(&key("delay_hours"), NotAllowed::DelayWithoutWhen));
            }
            let rate = |f: &str, v: Option<f64>| -> Result<f64, ScenarioError> {
                let x = positive(f, v, 0.0)?;
                if x > 1e6 {
                    return Err(ctx.error(
                        &key(f),
                        Limit::Between {
                            value: x,
                            min: 0.0,
                            max: 1e6,
                        },
                    ));
                }
                Ok(x)
            };
            let zone_or_all = |v: &Option<String>| -> Result<Option<ZoneId>, ScenarioError> {
                v.as_deref().map(|z| find_zone(&key("zone"), z)).transpose()
            };
            let mut extra = None;
            let action = match o.action.as_str() {
                "cordon" => Action::Cordon {
                    zone: find_zone(&key("zone"), &need("zone", &o.zone)?)?,
                    leak_per_hour: positive("leak_per_hour", o.leak_per_hour, 0.0)?,
                },
                "lift-cordon" => Action::LiftCordon {
                    zone: find_zone(&key("zone"), &need("zone", &o.zone)?)?,
                },
                "rescue" => {
                    let place = find_place(&key("place"), &need("place", &o.place)?)?;
                    if o.duration_hours.is_some() && o.when.is_some() {
                        return Err(
                            ctx.error(&key("duration_hours"), NotAllowed::TriggeredRescueDuration)
                        );
                    }
                    if let Some(d) = o.duration_hours {
                        let dt = whole_ticks(
                            ctx,
                            &key("duration_hours"),
                            positive("duration_hours", Some(d), 0.0)?,
                            tick_minutes,
                        )?;
                        extra = Some((dt, Action::CloseRescue { place }));
                    }
                    Action::OpenRescue {
                        place,
                        per_hour: positive("people_per_hour", o.people_per_hour, 600.0)?,
                    }
                }
                "close-rescue" => Action::CloseRescue {
                    place: find_place(&key("place"), &need("place", &o.place)?)?,
                },
                "lure" => {
                    let d = positive("duration_hours", o.duration_hours, 1.0)?;
                    Action::Lure {
                        place: find_place(&key("place"), &need("place", &o.place)?)?,
                        loudness: positive("loudness", o.loudness, 50.0)?,
                        duration_ticks: whole_ticks(ctx, &key("duration_hours"), d, tick_minutes)?,
                    }
                }
                "strike" => Action::Strike {
                    zone: find_zone(&key("zone"), &need("zone", &o.zone)?)?,
                    kill_fraction: fraction("kill_fraction", o.kill_fraction, 0.9)?,
                },
                "alarm" => Action::Alarm {
                    zone: find_zone(&key("zone"), &need("zone", &o.zone)?)?,
                },
                "squad" => {
                    let name = need("squad", &o.squad)?;
                    let zone = find_zone(&key("zone"), &need("zone", &o.zone)?)?;
                    let entry = find_place(&key("entry"), &need("entry", &o.entry)?)?;
                    let mut members = squads
                        .iter()
                        .find(|s| s.0 == name)
                        .map(|s| s.1.clone())
                        .unwrap_or_default();
                    used_squads.push(name.clone());
                    let size = o.size.unwrap_or(8);
                    if size > 100_000 {
                        return Err(ctx.error(
                            &key("size"),
                            Limit::Between {
                                value: f64::from(size),
                                min: 0.0,
                                max: 100_000.0,
                            },
                        ));
                    }
                    for _ in members.len() as u32..size {
                        let k = pop.len() as u32;
                        let mut rng = rng::stream(seed, Stream::Setup, 2, k);
                        let mut traits = people::ordinary(&mut rng);
                        traits.fight += 4.0;
                        traits.run_mps += 0.5;
                        traits.stealth = 0.3;
                        members.push(pop.push(AgentSpec {
                            place: staging,
                            health: Health::Susceptible,
                            role: Role::Fighter,
                            mode: Mode::Reserve,
                            traits,
                            anchors: Some([staging; ANCHORS]),
                            name: None,
                        }));
                    }
                    Action::Squad {
                        members,
                        entry,
                        zone,
                    }
                }
                "quarantine" => {
                    if o.infected_per_hour.is_none()
                        && o.zombies_per_hour.is_none()
                        && o.removal_per_hour.is_none()
                    {
                        return Err(ctx.error(
                            &key("action"),
                            Missing::OneOf {
                                action: o.action.clone(),
                                settings: &[
                                    "infected_per_hour",
                                    "zombies_per_hour",
                                    "removal_per_hour",
                                ],
                            },
                        ));
                    }
                    Action::Quarantine {
                        zone: zone_or_all(&o.zone)?,
                        infected_per_hour: rate("infected_per_hour", o.infected_per_hour)?,
                        zombies_per_hour: rate("zombies_per_hour", o.zombies_per_hour)?,
                        removal_per_hour: rate("removal_per_hour", o.removal_per_hour)?,
                    }
                }
                "cure" => {
                    if o.cure_per_hour.is_none() {
                        return Err(ctx.error(
                            &key("action"),
                            Missing::OrderSetting {
                                action: o.action.clone(),
                                setting: "cure_per_hour",
                            },
                        ));
                    }
                    Action::Cure {
                        zone: zone_or_all(&o.zone)?,
                        per_hour: rate("cure_per_hour", o.cure_per_hour)?,
                    }
                }
                "eradicate" => Action::Eradicate {
                    zone: zone_or_all(&o.zone)?,
                    kill_fraction: fraction("kill_fraction", o.kill_fraction, 0.25)?,
                },
                _ => unreachable!("checked against ACTIONS above"),
            };
            let label = o.label.clone().unwrap_or_else(|| {
                let target = o.zone.as_deref().or(o.place.as_deref()).unwrap_or("");
                format!("{} {}", o.action, target).trim().to_string()
            });
            if let (Some((dt, close)), Trigger::At { tick }) = (&extra, &trigger) {
                orders.push(Order {
                    label: label.clone(),
                    trigger: trigger.clone(),
                    action,
                });
                orders.push(Order {
                    label: format!("{label} (closes)"),
                    trigger: Trigger::At { tick: tick + dt },
                    action: close.clone(),
                });
                continue;
            }
            orders.push(Order {
                label,
                trigger,
                action,
            });
        }
        for (s, _) in &squads {
            if !used_squads.contains(s) {
                let i = pop_raw
                    .characters
                    .iter()
                    .position(|c| c.squad.as_deref() == Some(s))
                    .unwrap_or(0);
                return Err(ctx.error(
                    &format!("population.characters.{i}.squad"),
                    Unknown::Squad { squad: s.clone() },
                ));
            }
        }
        let (world, streets) = match layout {
            Layout::Campus(c) => (c.world, None),
            Layout::School(c) => (c.world, None),
            Layout::Osm(c) => (c.world, Some(c.streets)),
            Layout::Districts(c) => (c.world, None),
            Layout::City(c) => (c.world, None),
            Layout::Fixed { world, .. } => (world, None),
        };
        Ok(Parts {
            world,
            pop,
            orders,
            streets,
        })
    }
}
