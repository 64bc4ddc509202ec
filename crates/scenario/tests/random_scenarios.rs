//! Scenarios drawn at random within the documented ranges (`docs/scenario.md`) are all
//! accepted (but for a lattice too small for its people), build, and run to the end
//! without a panic, conserving the population. Worlds
//! and runs are kept small so that a few hundred fit in a test; the settings themselves
//! span their whole ranges, extremes included.

use outbreak_scenario::error::Limit;
use outbreak_scenario::{ErrorKind, Scenario};
use proptest::prelude::*;

/// A generator with settings small enough for a test, and a zone and place it has.
fn world() -> impl Strategy<Value = (String, &'static str, &'static str)> {
    prop_oneof![
        (0.01f64..1e6).prop_map(|c| (
            format!("generator = \"well-mixed\"\ncontact_scale = {c}\n"),
            "arena",
            "arena"
        )),
        (2u32..12, 0.5f64..1e4, any::<bool>()).prop_map(|(s, m, c)| (
            format!("generator = \"lattice\"\nside = {s}\nspacing_m = {m}\nneighbour_contact = {c}\n"),
            "edge",
            "site 0,0"
        )),
        (1u32..6, 1u32..6, 1.0f64..1e4).prop_map(|(s, r, m)| (
            format!("generator = \"city\"\nside = {s}\nrooms_per_building = {r}\nspacing_m = {m}\n"),
            "city",
            "crossing 0,0"
        )),
        (1u32..4, 1u32..4, 1u32..5, 0u32..3, 0.0f64..1e4).prop_map(|(a, f, r, d, door)| (
            format!(
                "generator = \"campus\"\nacademic_buildings = {a}\nfloors = {f}\nrooms_per_floor = {r}\ndormitories = {d}\ndorm_floors = 2\ndorm_rooms_per_floor = 3\ndoor_strength_zombie_hours = {door}\n"
            ),
            "campus",
            "Main Gate"
        )),
        (1u32..5, 1u32..5, 1u32..4).prop_map(|(f, c, t)| (
            format!("generator = \"school\"\nfloors = {f}\nclassrooms_per_floor = {c}\ntown_side = {t}\n"),
            "Hyosan",
            "Main Gate"
        )),
        (1u32..5000, 0.0f64..=1.0, 1.0f64..=1e4).prop_map(|(b, c, m)| (
            format!("generator = \"city\"\ndistricts = \"seoul\"\npeople_per_block = {b}\ncommuter_fraction = {c}\nspacing_m = {m}\n"),
            "Gwanak-gu",
            "Gwanak-gu office"
        )),
    ]
}

fn latent() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("{ distribution = \"immediate\" }".to_string()),
        (0.0f64..1e7).prop_map(|m| format!("{{ distribution = \"fixed\", minutes = {m} }}")),
        (0.001f64..1e7)
            .prop_map(|m| format!("{{ distribution = \"exponential\", mean_minutes = {m} }}")),
        (0.001f64..1e7, 0.001f64..10.0).prop_map(|(m, s)| format!(
            "{{ distribution = \"lognormal\", median_minutes = {m}, sigma = {s} }}"
        )),
        (0.001f64..1e7, 0.001f64..1e4).prop_map(|(m, k)| format!(
            "{{ distribution = \"gamma\", mean_minutes = {m}, shape = {k} }}"
        )),
    ]
}

/// A rate anywhere in 0 to 10⁶ per hour, most of them modest.
fn rate() -> impl Strategy<Value = f64> {
    prop_oneof![4 => 0.0f64..2.0, 1 => 0.0f64..1e6]
}

fn order(zone: &'static str, place: &'static str) -> impl Strategy<Value = String> {
    let at = 0u32..12;
    (0u8..11, at, 0.0f64..=1.0, rate()).prop_map(move |(k, at, x, r)| {
        let body = match k {
            0 => format!("action = \"cordon\"\nzone = \"{zone}\"\nleak_per_hour = {r}"),
            1 => format!("action = \"lift-cordon\"\nzone = \"{zone}\""),
            2 => format!("action = \"rescue\"\nplace = \"{place}\"\npeople_per_hour = {r}"),
            3 => format!("action = \"close-rescue\"\nplace = \"{place}\""),
            4 => format!("action = \"lure\"\nplace = \"{place}\"\nloudness = {r}\nduration_hours = 1"),
            5 => format!("action = \"squad\"\nsquad = \"s{at}\"\nsize = {}\nentry = \"{place}\"\nzone = \"{zone}\"", at % 5),
            6 => format!("action = \"strike\"\nzone = \"{zone}\"\nkill_fraction = {x}"),
            7 => format!("action = \"alarm\"\nzone = \"{zone}\""),
            8 => format!("action = \"quarantine\"\ninfected_per_hour = {r}\nzombies_per_hour = {x}\nremoval_per_hour = {r}"),
            9 => format!("action = \"cure\"\nzone = \"{zone}\"\ncure_per_hour = {x}"),
            _ => format!("action = \"eradicate\"\nkill_fraction = {x}"),
        };
        // Every other order waits for a count instead of a time.
        let when = if at % 2 == 0 {
            format!("at_hours = {}", at / 2)
        } else {
            format!("when = {{ zone = \"{zone}\", state = \"zombie\", at_least = {at} }}\ndelay_hours = 1")
        };
        format!("[[authorities]]\n{body}\n{when}\n")
    })
}

#[derive(Debug, Clone)]
struct Case {
    toml: String,
}

fn case() -> impl Strategy<Value = Case> {
    (
        world(),
        (1u64..400, 0u64..5, 0u64..5),
        prop::sample::select(vec![1.0f64, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0]),
        (1u32..40, 0.0f64..=24.0, 0u64..=i64::MAX as u64),
        (rate(), rate(), rate(), rate(), 0.0f64..=1.0, latent()),
        (0.0f64..1e5, 0.0f64..10.0, 0.0f64..1e3, 0.0f64..=1.0, 0.0f64..15.0, 0.0f64..=1.0),
        (1u32..20, 0.0f64..100.0, 1u32..10, 0.0f64..1e2, 0.0f64..1e7, any::<bool>()),
    )
        .prop_flat_map(|(w, pop, tick, run, virus, b1, b2)| {
            let (world, zone, place) = w.clone();
            prop::collection::vec(order(zone, place), 0..5).prop_map(move |orders| {
                let (size, z, i) = pop;
                let (ticks, start, seed) = run;
                let (beta, kappa, rise, death, hambie, latent) = virus.clone();
                let (hear, wake, noise, hide, zspeed, wander) = b1;
                let (group, bonus, full, ratio, reach, stand) = b2;
                // Squads named in orders need no characters; one character serves in each.
                let squads: Vec<String> = orders
                    .iter()
                    .filter_map(|o| o.split("squad = \"").nth(1))
                    .map(|s| s.split('"').next().unwrap_or("").to_string())
                    .collect();
                let mut chars = String::new();
                for (k, s) in squads.iter().enumerate() {
                    chars += &format!(
                        "[[population.characters]]\nname = \"agent {k}\"\nsquad = \"{s}\"\nfight = {bonus}\n"
                    );
                }
                chars += &format!(
                    "[[population.characters]]\nname = \"Nam On-jo\"\nhealth = \"hambie\"\nstealth = {hide}\n"
                );
                let toml = format!(
                    "name = \"random\"\n[run]\nseed = {seed}\ntick_minutes = {tick}\nduration_hours = {}\nstart_hour = {start}\n\
                     [world]\n{world}\
                     [population]\nsize = {size}\ninitial_zombies = {}\ninitial_infected = {}\n{chars}\
                     [virus]\nbite_rate_per_hour = {beta}\nkill_rate_per_hour = {kappa}\nrise_rate_per_hour = {rise}\n\
                     death_rate_per_hour = {death}\nhambie_fraction = {hambie}\nlatent = {latent}\n\
                     [behaviour]\nhearing_range_m = {hear}\nwake_threshold = {wake}\nhuman_noise = {noise}\n\
                     hide_noise = {hide}\nzombie_speed_mps = {zspeed}\nzombie_wander = {wander}\n\
                     max_group_size = {group}\ngroup_fight_bonus = {bonus}\nbarricade_full_group = {full}\n\
                     fight_ratio = {ratio}\nrescue_reach_m = {reach}\nstand_ground = {stand}\n{}",
                    f64::from(ticks) * tick / 60.0,
                    z.min(size),
                    i.min(size - z.min(size)),
                    orders.concat()
                );
                Case { toml }
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    #[test]
    fn random_scenarios_within_the_ranges_run(c in case()) {
        let s = match Scenario::from_str(&c.toml, "random.toml", &[]) {
            Ok(s) => s,
            // A lattice too small for its people is the one refusal allowed.
            Err(e) if matches!(*e.kind, ErrorKind::OutOfRange(Limit::LatticeFull { .. })) => {
                return Ok(());
            }
            Err(e) => return Err(TestCaseError::fail(format!("{e}\n{}", c.toml))),
        };
        let mut sim = match s.build() {
            Ok(sim) => sim,
            Err(e) => return Err(TestCaseError::fail(format!("{e}\n{}", c.toml))),
        };
        let n = sim.pop.len() as u64;
        sim.run_to_end(|_| {});
        prop_assert_eq!(sim.occupancy().total.iter().sum::<u64>(), n);
    }
}
