//! Scenarios used to measure speed: the campus, and a synthetic city of a million people.

use crate::{Scenario, ScenarioError};

/// A city of `people` on a street grid sized for them (20 rooms a building, about 50
/// people a building), starting at 07:00 at home, with the outbreak in an office at the
/// centre: the commute, the workday and the spread are all in the first hours.
pub fn city(people: u64, seed: u64) -> Result<Scenario, ScenarioError> {
    let side = ((people as f64 / 50.0).sqrt().ceil() as u64).max(2);
    let centre = side / 2;
    let text = format!(
        "name = \"bench-city\"\n[run]\nseed = {seed}\ntick_minutes = 1\nduration_hours = 24\nstart_hour = 7\n\
         [world]\ngenerator = \"city\"\nside = {side}\nrooms_per_building = 20\n\
         [population]\nsize = {people}\ninitial_zombies = 20\noutbreak_place = \"building {centre},{centre} room 1\"\n"
    );
    Scenario::from_str(&text, "bench-city", &[])
}
