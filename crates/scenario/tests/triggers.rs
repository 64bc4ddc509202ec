//! Authorities' triggers from a scenario file: an order with `when = { zone, state,
//! at_least }` and `delay_hours` fires `delay_hours` after the end of the first tick at
//! which the zone's count reaches the threshold, exactly once; an order with `at_hours`
//! fires at its tick.

use outbreak_engine::prelude::*;
use outbreak_scenario::Scenario;

const SRC: &str = r#"
name = "triggers"
[run]
seed = 7
tick_minutes = 1
duration_hours = 6
start_hour = 10
[world]
generator = "campus"
academic_buildings = 3
dormitories = 1
[population]
size = 3000
initial_zombies = 2
[virus]
bite_rate_per_hour = 0.6
kill_rate_per_hour = 0.05
latent = { distribution = "fixed", minutes = 5 }
[[authorities]]
action = "alarm"
label = "alarm on 40 zombies"
zone = "campus"
when = { zone = "campus", state = "zombie", at_least = 40 }
delay_hours = 0.5
[[authorities]]
action = "lure"
label = "lure at 2 h"
place = "Sports Field"
at_hours = 2
"#;

#[test]
fn a_count_trigger_fires_its_delay_after_the_threshold_and_once() {
    let s = Scenario::from_str(SRC, "triggers.toml", &[]).unwrap();
    let mut sim = s.build().unwrap();
    let campus = sim.world.zone_by_name("campus").unwrap();
    let mut reached = None;
    let mut fired = Vec::new();
    while !sim.finished() {
        sim.step();
        let t = sim.tick();
        if reached.is_none() && sim.occupancy().zones[campus.index()][Health::Zombie as usize] >= 40
        {
            reached = Some(t);
        }
        for e in sim.events.iter().filter(|e| e.kind == EventKind::Order) {
            fired.push((e.other.0, t));
        }
    }
    let reached = reached.expect("the outbreak reaches 40 zombies on campus within 6 hours");
    let alarm: Vec<u32> = fired.iter().filter(|f| f.0 == 0).map(|f| f.1).collect();
    assert_eq!(
        alarm,
        vec![reached + 30],
        "alarm 30 minutes after the count reached 40"
    );
    let lure: Vec<u32> = fired.iter().filter(|f| f.0 == 1).map(|f| f.1).collect();
    assert_eq!(lure, vec![120], "lure at 2 hours");
}
