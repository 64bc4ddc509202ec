//! `[population]` and its named characters: how many people, the outbreak, how campus and
//! school people divide into roles, and each character's role, health, traits and squad.

use super::{or_list, Check};
use crate::error::{Limit, Missing, NotAllowed, ScenarioError, Unknown};
use crate::raw::{RawCharacter, RawPopulation, RawWorld};
use crate::spec::{CharacterSpec, PopulationSpec, WorldSpec};
use outbreak_engine::prelude::{Health, Role};
use outbreak_world::people::TraitSpread;

/// The most people a run may have (not counting characters and squads).
const MAX_PEOPLE: u64 = 50_000_000;

/// The roles a character may be given.
const ROLES: [Role; 4] = [Role::Civilian, Role::Student, Role::Fighter, Role::Medic];

/// The health a character may start in.
const START_HEALTH: [Health; 4] = [
    Health::Susceptible,
    Health::Infected,
    Health::Zombie,
    Health::Hambie,
];

/// The keys whose product is the number of ordinary people.
const SIZE: &[&str] = &["population.size", "population.scale"];

/// The number of ordinary people (after `scale`) and the rest of the population.
pub(super) fn check(
    c: &Check,
    p: &RawPopulation,
    w: &RawWorld,
    world: &WorldSpec,
) -> Result<(u64, PopulationSpec), ScenarioError> {
    let size = p.size.ok_or_else(|| {
        c.error(
            "population.size",
            Missing::Setting {
                what: "how many people live in the world",
            },
        )
    })?;
    let scale = c.pos("population.scale", p.scale, 1.0, 1000.0)?;
    let people = (size as f64 * scale).round() as u64;
    if people == 0 {
        return Err(c.error_among(SIZE, Limit::EmptyPopulation { size, scale }));
    }
    if people > MAX_PEOPLE {
        return Err(c.error_among(
            SIZE,
            Limit::TooManyPeople {
                people,
                max: MAX_PEOPLE,
            },
        ));
    }
    let initial_zombies = p.initial_zombies.unwrap_or(1);
    let initial_infected = p.initial_infected.unwrap_or(0);
    let seeded = initial_zombies.saturating_add(initial_infected);
    if seeded > people {
        return Err(c.error_among(
            &[
                "population.initial_zombies",
                "population.initial_infected",
                SIZE[0],
                SIZE[1],
            ],
            Limit::TooManySeeded { seeded, people },
        ));
    }
    if let WorldSpec::Lattice { side, .. } = world {
        if people > u64::from(*side) * u64::from(*side) {
            return Err(c.error_among(
                SIZE,
                Limit::LatticeFull {
                    people,
                    side: *side,
                },
            ));
        }
    }
    let staff_fraction = c.num("population.staff_fraction", p.staff_fraction, 0.1, 0.0, 1.0)?;
    let dorm_fraction = c.num("population.dorm_fraction", p.dorm_fraction, 0.25, 0.0, 1.0)?;
    let town_fraction = c.num("population.town_fraction", p.town_fraction, 0.75, 0.0, 1.0)?;
    let traits = match p.traits.as_deref() {
        None => TraitSpread::default(),
        Some(t) => TraitSpread::ALL
            .into_iter()
            .find(|x| x.as_str() == t)
            .ok_or_else(|| {
                c.error(
                    "population.traits",
                    Unknown::Choice {
                        what: "trait spread",
                        name: t.into(),
                        allowed: or_list(TraitSpread::ALL.map(TraitSpread::as_str)),
                        suggestion: None,
                    },
                )
            })?,
    };
    let generator = w.generator.as_str();
    for (setting, misplaced) in [
        (
            "dorm_fraction",
            p.dorm_fraction.is_some() && generator != "campus",
        ),
        (
            "town_fraction",
            p.town_fraction.is_some() && generator != "school",
        ),
        (
            "staff_fraction",
            p.staff_fraction.is_some() && !matches!(generator, "campus" | "school"),
        ),
    ] {
        if misplaced {
            return Err(c.error(
                &format!("population.{setting}"),
                NotAllowed::PopulationSetting {
                    setting,
                    generator: generator.into(),
                },
            ));
        }
    }
    // Each name and the first character to have it: one look-up a character, where
    // comparing with all the earlier ones took seconds for thousands.
    let mut named = std::collections::BTreeMap::new();
    let characters = p
        .characters
        .iter()
        .enumerate()
        .map(|(k, ch)| {
            let first = *named.entry(ch.name.as_str()).or_insert(k);
            character(c, k, ch, (first < k).then_some(first))
        })
        .collect::<Result<_, _>>()?;
    let population = PopulationSpec {
        initial_zombies,
        initial_infected,
        outbreak_place: p.outbreak_place.clone(),
        staff_fraction,
        dorm_fraction,
        town_fraction,
        traits,
        characters,
    };
    Ok((people, population))
}

/// Character `k`; `earlier` is the first one before it of the same name, if any (names
/// are unique).
fn character(
    c: &Check,
    k: usize,
    ch: &RawCharacter,
    earlier: Option<usize>,
) -> Result<CharacterSpec, ScenarioError> {
    let key = |f: &str| format!("population.characters.{k}.{f}");
    if ch.name.trim().is_empty() {
        return Err(c.error(&key("name"), Missing::Name));
    }
    if let Some(first) = earlier {
        return Err(c.error(
            &key("name"),
            NotAllowed::DuplicateName {
                name: ch.name.clone(),
                first,
            },
        ));
    }
    let role = ch
        .role
        .as_deref()
        .map(|r| {
            ROLES.into_iter().find(|x| x.as_str() == r).ok_or_else(|| {
                c.error(
                    &key("role"),
                    Unknown::Choice {
                        what: "role",
                        name: r.into(),
                        allowed: or_list(ROLES.map(Role::as_str)),
                        suggestion: None,
                    },
                )
            })
        })
        .transpose()?;
    let health = ch
        .health
        .as_deref()
        .map(|h| {
            START_HEALTH
                .into_iter()
                .find(|x| x.as_str() == h)
                .ok_or_else(|| {
                    c.error(
                        &key("health"),
                        Unknown::Choice {
                            what: "health",
                            name: h.into(),
                            allowed: or_list(START_HEALTH.map(Health::as_str)),
                            suggestion: None,
                        },
                    )
                })
        })
        .transpose()?
        .unwrap_or(Health::Susceptible);
    let walk_mps = c.given(&key("walk_mps"), ch.walk_mps, 0.0, 15.0)?;
    let run_mps = c.given(&key("run_mps"), ch.run_mps, 0.0, 15.0)?;
    let fight = c.given(&key("fight"), ch.fight, 0.0, 100.0)?;
    let stealth = c.given(&key("stealth"), ch.stealth, 0.0, 1.0)?;
    if let Some(squad) = &ch.squad {
        for (setting, given) in [
            ("place", ch.place.is_some()),
            ("health", health != Health::Susceptible),
            ("role", role.is_some_and(|r| r != Role::Fighter)),
        ] {
            if given {
                return Err(c.error(
                    &key(setting),
                    NotAllowed::SquadMember {
                        squad: squad.clone(),
                        setting,
                    },
                ));
            }
        }
    }
    Ok(CharacterSpec {
        name: ch.name.clone(),
        role,
        place: ch.place.clone(),
        health,
        walk_mps,
        run_mps,
        fight,
        stealth,
        squad: ch.squad.clone(),
    })
}

#[cfg(test)]
mod tests {
    use crate::error::{ErrorKind, Limit};
    use crate::Scenario;

    fn population(world: &str, population: &str) -> Result<Scenario, crate::ScenarioError> {
        let src = format!("[world]\n{world}\n[population]\n{population}\n");
        Scenario::from_str(&src, "t.toml", &[])
    }

    #[test]
    fn a_lattice_too_small_for_its_people_is_refused_before_building() {
        let e = population("generator = \"lattice\"\nside = 3", "size = 10").unwrap_err();
        assert_eq!(e.key, "population.size");
        assert_eq!(
            *e.kind,
            ErrorKind::OutOfRange(Limit::LatticeFull {
                people: 10,
                side: 3
            })
        );
        assert_eq!(
            e.message(),
            "10 people do not fit on a 3×3 lattice (one a site)"
        );
        assert!(population("generator = \"lattice\"\nside = 3", "size = 9").is_ok());
    }

    #[test]
    fn the_outbreak_and_role_fractions_are_filled_in_once() {
        let s = population("generator = \"campus\"", "size = 100").unwrap();
        let p = &s.population;
        assert_eq!((p.initial_zombies, p.initial_infected), (1, 0));
        assert_eq!(
            (p.staff_fraction, p.dorm_fraction, p.town_fraction),
            (0.1, 0.25, 0.75)
        );
        assert_eq!(p.outbreak_place, None);
    }

    #[test]
    fn squad_members_are_checked_without_the_world() {
        let chars = "[[population.characters]]\nname = \"a\"\nsquad = \"s\"\nrole = \"medic\"\n";
        let src = format!(
            "[world]\ngenerator = \"well-mixed\"\n[population]\nsize = 10\n{chars}\
             [[authorities]]\naction = \"squad\"\nsquad = \"s\"\nentry = \"nowhere\"\nzone = \"nothing\"\nat_hours = 1\n"
        );
        let e = Scenario::from_str(&src, "t.toml", &[]).unwrap_err();
        assert_eq!(e.key, "population.characters.0.role");
        assert_eq!(
            e.message(),
            "a squad member waits off the map as a healthy fighter until `s` is deployed: drop `role` or `squad`"
        );
    }

    #[test]
    fn characters_get_their_role_and_health() {
        let s = population(
            "generator = \"well-mixed\"",
            "size = 10\n[[population.characters]]\nname = \"a\"\nrole = \"medic\"\nhealth = \"zombie\"\nfight = 2\n",
        )
        .unwrap();
        let a = &s.population.characters[0];
        assert_eq!(a.role, Some(outbreak_engine::prelude::Role::Medic));
        assert_eq!(a.health, outbreak_engine::prelude::Health::Zombie);
        assert_eq!((a.fight, a.walk_mps), (Some(2.0), None));
        let e = population(
            "generator = \"well-mixed\"",
            "size = 10\n[[population.characters]]\nname = \"a\"\nhealth = \"dead\"\n",
        )
        .unwrap_err();
        assert_eq!(
            e.message(),
            "unknown health `dead`: expected susceptible, infected, zombie or hambie"
        );
    }
}
