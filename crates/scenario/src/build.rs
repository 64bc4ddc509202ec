//! Building: the world from its generator, the people placed in it, and the place and zone
//! names of the checked scenario resolved to ids, which makes the timeline engine orders.
//! Everything else was checked by [`validate`](crate::validate); what can fail here needs
//! the world: a generator that refuses, a map that does not import, a name not in it.

use crate::error::{ErrorKind, FileProblem, ScenarioError, Unknown};
use crate::source::Source;
use crate::spec::{ActionSpec, CharacterSpec, OrderSpec, Scenario, TriggerSpec, WorldSpec};
use outbreak_engine::agents::ANCHORS;
use outbreak_engine::prelude::*;
use outbreak_engine::rng::{self, Stream};
use outbreak_world::campus::{Campus, CampusPeople};
use outbreak_world::city::City;
use outbreak_world::districts::DistrictCity;
use outbreak_world::osm::{DayPlaces, OsmWorld};
use outbreak_world::school::{School, SchoolPeople};

/// A built scenario: the simulation at tick 0.
pub type Built = Simulation;

/// Street pieces of a world imported from a map, to draw: (longitude, latitude) ends.
pub type Streets = Vec<([f64; 2], [f64; 2])>;

/// A built scenario before it is made a simulation ([`Scenario::build_parts`]).
#[derive(Clone, Debug)]
pub struct Parts {
    /// The generated world.
    pub world: World,
    /// The people as placed, before tick 0 (before the initially infected are scheduled and
    /// tick 0's orders fire).
    pub pop: Population,
    /// The timeline, names resolved.
    pub orders: Vec<Order>,
    /// The streets of a world imported from a map, to draw; `None` for generated worlds.
    pub streets: Option<Streets>,
    /// What the built world says that is allowed but probably not meant, each a sentence
    /// naming the key (a map whose buildings hold fewer people than are placed in them).
    pub warnings: Vec<String>,
}

impl Scenario {
    /// Generates the world, places the people and resolves the timeline.
    pub fn build(&self) -> Result<Simulation, ScenarioError> {
        self.build_drawn().map(|(sim, _)| sim)
    }

    /// [`build`](Self::build), and the streets of a world imported from a map (OpenStreetMap)
    /// for pictures of the run; `None` for generated worlds.
    pub fn build_drawn(&self) -> Result<(Simulation, Option<Streets>), ScenarioError> {
        self.build_warned().map(|(sim, streets, _)| (sim, streets))
    }

    /// [`build_drawn`](Self::build_drawn), and what the built world warns of
    /// ([`Parts::warnings`]).
    pub fn build_warned(
        &self,
    ) -> Result<(Simulation, Option<Streets>, Vec<String>), ScenarioError> {
        let parts = self.build_parts()?;
        let sim = Simulation::new(parts.world, parts.pop, self.params.clone(), parts.orders);
        Ok((sim, parts.streets, parts.warnings))
    }

    /// The world, the people as placed before tick 0, the timeline and the streets, not yet
    /// made a simulation: for a run restored from a checkpoint
    /// (`Simulation::restore`), and to check that a variant of a run has the same world and
    /// people.
    pub fn build_parts(&self) -> Result<Parts, ScenarioError> {
        // Ordinary people, then named characters: each has a routine.
        let routines = self.people as u32 + self.population.characters.len() as u32;
        let layout = Layout::generate(&self.world, self.people, &self.source)?
            .with_day_places(self.params.run.seed, routines);
        let names = Names {
            world: layout.world(),
            source: &self.source,
        };
        let p = &self.population;
        let outbreak = match &p.outbreak_place {
            Some(name) => names.place("population.outbreak_place", name)?,
            None => layout.default_outbreak(),
        };
        for zone in self.record.iter().flatten() {
            names.zone("run.record_zones", zone)?;
        }
        let mut pop = Population::default();
        self.place_people(&layout, outbreak, &mut pop);
        let squads = self.place_characters(&layout, &names, &mut pop)?;
        let orders = self.timeline(&names, &squads, &mut pop)?;
        let warnings = layout.crowding(self.people).into_iter().collect();
        let (world, streets) = layout.into_world();
        Ok(Parts {
            world,
            pop,
            orders,
            streets,
            warnings,
        })
    }

    /// The ordinary people: the first ones the initial zombies and infected at the outbreak
    /// place, the others where their routine puts them at the start hour.
    fn place_people(&self, layout: &Layout, outbreak: PlaceId, pop: &mut Population) {
        let seed = self.params.run.seed;
        let zombies = self.population.initial_zombies;
        let infected = self.population.initial_infected;
        let lattice = matches!(self.world, WorldSpec::Lattice { .. });
        for k in 0..self.people as u32 {
            let mut rng = rng::stream(seed, Stream::Setup, 1, k);
            let traits = self.population.traits.draw(&mut rng);
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
                (Health::Susceptible, self.start_place(&anchors), anchors)
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
    }

    /// The named characters after the ordinary people; squad members wait off the map.
    /// Returns each squad's members, squads in order of first appearance.
    fn place_characters(
        &self,
        layout: &Layout,
        names: &Names,
        pop: &mut Population,
    ) -> Result<Vec<(String, Vec<AgentId>)>, ScenarioError> {
        let seed = self.params.run.seed;
        let staging = names.staging();
        let mut squads: Vec<(String, Vec<AgentId>)> = Vec::new();
        for (i, c) in self.population.characters.iter().enumerate() {
            let k = self.people as u32 + i as u32;
            let mut rng = rng::stream(seed, Stream::Setup, 1, k);
            let traits = character_traits(self.population.traits.draw(&mut rng), c);
            let (role, mut anchors, mut mode) = layout.routine(self, k);
            let mut place = self.start_place(&anchors);
            if let Some(name) = &c.place {
                place = names.place(&format!("population.characters.{i}.place"), name)?;
                anchors[0] = place;
                if mode == Mode::Routine {
                    // The named place is where they are now, whatever the hour.
                    anchors[self.start_anchor()] = place;
                }
            }
            let mut role = c.role.unwrap_or(role);
            let mut health = c.health;
            if let Some(squad) = &c.squad {
                role = Role::Fighter;
                mode = Mode::Reserve;
                health = Health::Reserve;
                place = staging;
                anchors = [staging; ANCHORS];
                let id = AgentId(pop.len() as u32);
                match squads.iter_mut().find(|s| &s.0 == squad) {
                    Some(s) => s.1.push(id),
                    None => squads.push((squad.clone(), vec![id])),
                }
            }
            if health == Health::Zombie {
                mode = Mode::Alert;
            }
            pop.push(AgentSpec {
                place,
                health,
                role,
                mode,
                traits,
                anchors: Some(anchors),
                name: Some(c.name.clone()),
            });
        }
        Ok(squads)
    }

    /// The engine's orders, in file order; a squad order fills its squad with ordinary
    /// fighters (added to `pop`) up to its size.
    fn timeline(
        &self,
        names: &Names,
        squads: &[(String, Vec<AgentId>)],
        pop: &mut Population,
    ) -> Result<Vec<Order>, ScenarioError> {
        let seed = self.params.run.seed;
        let staging = names.staging();
        let mut orders = Vec::new();
        for (i, o) in self.orders.iter().enumerate() {
            let OrderSpec {
                label,
                trigger,
                action,
            } = o;
            let key = |f: &str| format!("authorities.{i}.{f}");
            let zone = |z: &str| names.zone(&key("zone"), z);
            let place = |p: &str| names.place(&key("place"), p);
            let any_zone = |z: &Option<String>| z.as_deref().map(zone).transpose();
            let trigger = match trigger {
                TriggerSpec::At { tick } => Trigger::At { tick: *tick },
                TriggerSpec::ZoneCount {
                    zone,
                    health,
                    at_least,
                    delay_ticks,
                } => Trigger::ZoneCount {
                    zone: names.zone(&key("when.zone"), zone)?,
                    health: *health,
                    at_least: *at_least,
                    delay_ticks: *delay_ticks,
                },
            };
            let action = match action {
                ActionSpec::Cordon {
                    zone: z,
                    leak_per_hour,
                } => Action::Cordon {
                    zone: zone(z)?,
                    leak_per_hour: *leak_per_hour,
                },
                ActionSpec::LiftCordon { zone: z } => Action::LiftCordon { zone: zone(z)? },
                ActionSpec::Rescue {
                    place: p,
                    per_hour,
                    open_ticks,
                } => {
                    let at = place(p)?;
                    let open = Action::OpenRescue {
                        place: at,
                        per_hour: *per_hour,
                    };
                    // A rescue open for a while is two orders: it opens, and it closes.
                    if let (Some(dt), Trigger::At { tick }) = (open_ticks, &trigger) {
                        orders.push(Order {
                            label: label.clone(),
                            trigger: trigger.clone(),
                            action: open,
                        });
                        orders.push(Order {
                            label: format!("{label} (closes)"),
                            trigger: Trigger::At { tick: tick + dt },
                            action: Action::CloseRescue { place: at },
                        });
                        continue;
                    }
                    open
                }
                ActionSpec::CloseRescue { place: p } => Action::CloseRescue { place: place(p)? },
                ActionSpec::Lure {
                    place: p,
                    loudness,
                    duration_ticks,
                } => Action::Lure {
                    place: place(p)?,
                    loudness: *loudness,
                    duration_ticks: *duration_ticks,
                },
                ActionSpec::Strike {
                    zone: z,
                    kill_fraction,
                } => Action::Strike {
                    zone: zone(z)?,
                    kill_fraction: *kill_fraction,
                },
                ActionSpec::Alarm { zone: z } => Action::Alarm { zone: zone(z)? },
                ActionSpec::Squad {
                    squad,
                    size,
                    entry,
                    zone: z,
                    withdraw_below,
                } => {
                    let zone = zone(z)?;
                    let entry = names.place(&key("entry"), entry)?;
                    let mut members = squads
                        .iter()
                        .find(|s| &s.0 == squad)
                        .map(|s| s.1.clone())
                        .unwrap_or_default();
                    for _ in members.len() as u32..*size {
                        let k = pop.len() as u32;
                        let mut rng = rng::stream(seed, Stream::Setup, 2, k);
                        let mut traits = self.population.traits.draw(&mut rng);
                        traits.fight += 4.0;
                        traits.run_mps += 0.5;
                        traits.stealth = 0.3;
                        members.push(pop.push(AgentSpec {
                            place: staging,
                            health: Health::Reserve,
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
                        withdraw_below: *withdraw_below,
                    }
                }
                ActionSpec::Quarantine {
                    zone,
                    infected_per_hour,
                    zombies_per_hour,
                    removal_per_hour,
                } => Action::Quarantine {
                    zone: any_zone(zone)?,
                    infected_per_hour: *infected_per_hour,
                    zombies_per_hour: *zombies_per_hour,
                    removal_per_hour: *removal_per_hour,
                },
                ActionSpec::Cure { zone, per_hour } => Action::Cure {
                    zone: any_zone(zone)?,
                    per_hour: *per_hour,
                },
                ActionSpec::Eradicate {
                    zone,
                    kill_fraction,
                } => Action::Eradicate {
                    zone: any_zone(zone)?,
                    kill_fraction: *kill_fraction,
                },
            };
            orders.push(Order {
                label: label.clone(),
                trigger,
                action,
            });
        }
        Ok(orders)
    }

    /// Which routine anchor the start hour uses.
    fn start_anchor(&self) -> usize {
        let hour = self.params.run.start_hour as usize % 24;
        self.params.behaviour.schedule[hour] as usize
    }

    /// Where someone with these anchors is at the start hour.
    fn start_place(&self, anchors: &[PlaceId; ANCHORS]) -> PlaceId {
        anchors[self.start_anchor()]
    }
}

/// An ordinary person's drawn traits, with the character's own where given.
fn character_traits(mut traits: Traits, c: &CharacterSpec) -> Traits {
    traits.walk_mps = c.walk_mps.map_or(traits.walk_mps, |x| x as f32);
    traits.run_mps = c.run_mps.map_or(traits.run_mps, |x| x as f32);
    traits.fight = c.fight.map_or(traits.fight, |x| x as f32);
    traits.stealth = c.stealth.map_or(traits.stealth, |x| x as f32);
    traits
}

/// Place and zone names resolved in the generated world.
struct Names<'a> {
    world: &'a World,
    source: &'a Source,
}

impl Names<'_> {
    fn place(&self, key: &str, name: &str) -> Result<PlaceId, ScenarioError> {
        if name == outbreak_world::STAGING {
            return Err(self.source.error(
                key,
                Unknown::Staging {
                    name: name.to_string(),
                },
            ));
        }
        self.world.place_by_name(name).ok_or_else(|| {
            let suggestion =
                crate::error::nearest(name, self.world.places.name.iter().map(String::as_str));
            self.source.error(
                key,
                Unknown::Place {
                    name: name.to_string(),
                    suggestion: suggestion.map(str::to_string),
                },
            )
        })
    }

    fn zone(&self, key: &str, name: &str) -> Result<ZoneId, ScenarioError> {
        self.world.zone_by_name(name).ok_or_else(|| {
            let mut zones: Vec<&str> = (0..self.world.zone_count())
                .map(|z| self.world.zone_name(ZoneId(z as u32)))
                .collect();
            let suggestion = crate::error::nearest(name, zones.iter().copied()).map(str::to_string);
            if suggestion.is_some() {
                zones.clear();
            }
            zones.truncate(12);
            self.source.error(
                key,
                Unknown::Zone {
                    name: name.to_string(),
                    suggestion,
                    zones: zones.into_iter().map(str::to_string).collect(),
                },
            )
        })
    }

    /// The off-map place where squads wait.
    fn staging(&self) -> PlaceId {
        self.world
            .place_by_name(outbreak_world::STAGING)
            .unwrap_or(PlaceId(0))
    }
}

/// A generated world and what its generator knows of its people.
enum Layout {
    Campus(Campus),
    /// An imported map and the day places dealt to its people.
    Osm(OsmWorld, DayPlaces),
    School(School),
    Districts(DistrictCity),
    City(City),
    Fixed {
        world: World,
        default_outbreak: PlaceId,
    },
}

impl Layout {
    /// The world asked for, for `people` ordinary people.
    fn generate(spec: &WorldSpec, people: u64, source: &Source) -> Result<Layout, ScenarioError> {
        let gen_err = |e: outbreak_world::GenError| {
            let key = match &e {
                outbreak_world::GenError::Setting { key, .. } => key,
                outbreak_world::GenError::World(_) => "world",
            };
            source.error(
                key,
                ErrorKind::World {
                    message: e.to_string(),
                },
            )
        };
        Ok(match spec {
            WorldSpec::Campus(p) => {
                Layout::Campus(outbreak_world::campus::generate(p).map_err(gen_err)?)
            }
            WorldSpec::Osm { pbf, path, params } => Layout::Osm(
                outbreak_world::osm::import(std::io::Cursor::new(pbf.as_slice()), params).map_err(
                    |e| {
                        source.error(
                            "world.path",
                            FileProblem::Unusable {
                                path: path.clone(),
                                error: e.to_string(),
                            },
                        )
                    },
                )?,
                // Dealt by `with_day_places`, once the seed is known.
                DayPlaces::default(),
            ),
            WorldSpec::Districts { districts, params } => Layout::Districts(
                outbreak_world::districts::generate(districts, people, params).map_err(gen_err)?,
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
                let l =
                    outbreak_world::lattice::generate(*side, *spacing_m as f32, *neighbour_contact)
                        .map_err(gen_err)?;
                let centre = l.site(side / 2, side / 2);
                Layout::Fixed {
                    world: l.world,
                    default_outbreak: centre,
                }
            }
        })
    }

    /// An imported map with the day places of its first `routines` people dealt from
    /// `seed` (other worlds draw each person's day alone).
    fn with_day_places(self, seed: u64, routines: u32) -> Layout {
        match self {
            Layout::Osm(c, _) => {
                let days = c.day_places(seed, routines);
                Layout::Osm(c, days)
            }
            other => other,
        }
    }

    fn world(&self) -> &World {
        match self {
            Layout::Campus(c) => &c.world,
            Layout::School(c) => &c.world,
            Layout::Osm(c, _) => &c.world,
            Layout::Districts(c) => &c.world,
            Layout::City(c) => &c.world,
            Layout::Fixed { world, .. } => world,
        }
    }

    /// The world, and the streets of one imported from a map.
    fn into_world(self) -> (World, Option<Streets>) {
        match self {
            Layout::Campus(c) => (c.world, None),
            Layout::School(c) => (c.world, None),
            Layout::Osm(c, _) => (c.world, Some(c.streets)),
            Layout::Districts(c) => (c.world, None),
            Layout::City(c) => (c.world, None),
            Layout::Fixed { world, .. } => (world, None),
        }
    }

    /// Role, anchors and whether the person keeps a routine.
    fn routine(&self, s: &Scenario, k: u32) -> (Role, [PlaceId; ANCHORS], Mode) {
        let seed = s.params.run.seed;
        let p = &s.population;
        match self {
            Layout::Campus(c) => {
                let people = CampusPeople {
                    population: s.people,
                    staff_fraction: p.staff_fraction,
                    dorm_fraction: p.dorm_fraction,
                };
                let (r, a) = c.routine(&people, seed, k);
                (r, a, Mode::Routine)
            }
            Layout::School(c) => {
                let people = SchoolPeople {
                    population: s.people,
                    staff_fraction: p.staff_fraction,
                    town_fraction: p.town_fraction,
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
            Layout::Osm(c, days) => {
                let (r, a) = c.routine(days, k);
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

    /// A warning when the buildings of a map hold fewer than the `people` placed in them
    /// (other worlds size themselves, or their rooms, to their people).
    fn crowding(&self, people: u64) -> Option<String> {
        let Layout::Osm(c, _) = self else {
            return None;
        };
        let holds = c.summary.capacity;
        (people > holds).then(|| {
            format!(
                "population.size: {people} people are placed in the map's {} buildings, which hold {holds} ({:.1} times what they hold); a smaller population.size, or a larger world.people_per_100m2, puts them as the map allows",
                c.buildings.len(),
                people as f64 / holds.max(1) as f64
            )
        })
    }

    fn default_outbreak(&self) -> PlaceId {
        match self {
            Layout::Campus(c) => c
                .world
                .place_by_name("Natural Sciences Hall 3F lab 304")
                .unwrap_or(c.teaching[0]),
            Layout::School(c) => c.science_lab,
            Layout::Districts(c) => c.campus_start,
            Layout::Osm(c, _) => c.buildings[c.buildings.len() / 2],
            Layout::City(c) => c.homes[c.homes.len() / 2],
            Layout::Fixed {
                default_outbreak, ..
            } => *default_outbreak,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::error::{ErrorKind, Unknown};
    use crate::Scenario;

    fn campus(extra: &str) -> Scenario {
        let src = format!(
            "[world]\ngenerator = \"campus\"\nacademic_buildings = 2\ndormitories = 1\n[population]\nsize = 50\n{extra}"
        );
        Scenario::from_str(&src, "t.toml", &[]).unwrap()
    }

    #[test]
    fn names_resolve_only_against_the_world() {
        // Checked, then refused by the world: the zone's name is the one thing wrong.
        let s = campus("[[authorities]]\naction = \"cordon\"\nzone = \"Gangnam\"\nat_hours = 1\n");
        let e = s.build().unwrap_err();
        assert_eq!(e.key, "authorities.0.zone");
        assert!(
            matches!(e.kind.as_ref(), ErrorKind::UnknownName(Unknown::Zone { name, .. }) if name == "Gangnam"),
            "{e:?}"
        );
        let s = campus("[[authorities]]\naction = \"lure\"\nplace = \"Main Gat\"\nat_hours = 1\n");
        let e = s.build().unwrap_err();
        assert_eq!(
            e.message(),
            "no place named `Main Gat` in this world; did you mean `Main Gate`?"
        );
    }

    #[test]
    fn a_timed_rescue_opens_and_closes() {
        let s = campus(
            "[[authorities]]\naction = \"rescue\"\nplace = \"Main Gate\"\nduration_hours = 2\nat_hours = 1\n",
        );
        let orders = s.build_parts().unwrap().orders;
        let labels: Vec<&str> = orders.iter().map(|o| o.label.as_str()).collect();
        assert_eq!(labels, ["rescue Main Gate", "rescue Main Gate (closes)"]);
        assert_eq!(
            orders[1].trigger,
            outbreak_engine::prelude::Trigger::At { tick: 180 }
        );
    }

    #[test]
    fn a_squad_is_its_characters_then_ordinary_fighters() {
        let s = campus(
            "[[population.characters]]\nname = \"Han Du-seok\"\nsquad = \"NIS\"\n\
             [[authorities]]\naction = \"squad\"\nsquad = \"NIS\"\nsize = 3\nentry = \"Main Gate\"\nzone = \"campus\"\nat_hours = 1\n",
        );
        let parts = s.build_parts().unwrap();
        let outbreak_engine::prelude::Action::Squad { members, .. } = &parts.orders[0].action
        else {
            panic!("{:?}", parts.orders[0].action);
        };
        assert_eq!(members.len(), 3);
        assert_eq!(
            members[0].0, 50,
            "the character, after the 50 ordinary people"
        );
        assert_eq!(parts.pop.len(), 53);
    }
}
