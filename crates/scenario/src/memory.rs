//! The memory a run of a scenario needs, estimated before anything is built, so that a run
//! that cannot fit is refused at once rather than failing to allocate a minute in.
//!
//! The figures are peak resident memory measured with `/usr/bin/time -v` of
//! `outbreak run` (two hours simulated) at two sizes of each world, the difference divided by
//! the difference in people (or sites):
//!
//! | world | small | large | per person |
//! |---|---|---|---|
//! | well-mixed (munz-basic) | 100,000: 33.5 MB | 400,000: 126.2 MB | 324 B |
//! | lattice (alemi-lattice), a site each | 90,000: 122.9 MB | 360,000: 434.0 MB | 1,208 B |
//! | city of districts (seoul-city) | 100,000: 25.7 MB | 400,000: 76.9 MB | 179 B |
//! | map (kotka-karhula) | 10,000: 15.2 MB | 40,000: 19.5 MB | 151 B |
//! | campus (seoul-campus) | 20,000: 14.4 MB | 80,000: 22.4 MB | 140 B |
//!
//! A whole simulated day of the city of districts holds more than its first two hours:
//! `seoul-city` for its 24 hours peaked at 303 MiB at 10 % (945,709 people, 336 B a person)
//! and 3.27 GiB at full scale (9,457,009 people, 371 B a person), its walkers and their
//! trip plans at the commutes and the queues at full doors included; that world's estimate
//! uses the full-scale day.
//!
//! Recording a replay (`run.record`) adds about 135 B a person (munz-basic at 100,000:
//! 46.5 MB, the same after 2 and after 8 hours: the frames go to disk as they are made).
//! An imported map holds about 85 times its `.osm.pbf` in places and ways (kotka-karhula's
//! 137 kB extract, 14 MB above the people). The estimate rounds each rate up and adds a
//! margin, as a refusal on a wrong estimate costs more than a run that fits by less.

use crate::spec::{Scenario, WorldSpec};

/// What every run holds whatever its size: the program, its tables and buffers.
const BASE_BYTES: u64 = 8_000_000;
/// A person in one place with everyone else (the well-mixed world).
const WELL_MIXED_PERSON_BYTES: u64 = 340;
/// A person and the site they own on a lattice, its neighbour lists with it.
const LATTICE_SITE_BYTES: u64 = 1_250;
/// A person in a world of buildings and rooms (campus, school, city, map).
const PERSON_BYTES: u64 = 200;
/// A person in the city of districts over a whole day (see the module).
const DISTRICT_PERSON_BYTES: u64 = 400;
/// A room of a generated city street grid (a place, its neighbours and its occupants).
const ROOM_BYTES: u64 = 200;
/// What an imported map holds of places and ways, per byte of its `.osm.pbf`.
const MAP_BYTES_PER_PBF_BYTE: u64 = 90;
/// A person's share of a replay being recorded.
const RECORDED_PERSON_BYTES: u64 = 150;

impl Scenario {
    /// The memory a run of this scenario needs, in bytes, estimated from its world and
    /// its people before either is built (see the module for how it was measured).
    ///
    /// ```
    /// let text = outbreak_scenario::builtin("munz-basic").unwrap();
    /// let s = outbreak_scenario::Scenario::from_str(text, "munz-basic", &[]).unwrap();
    /// assert!(s.memory_needed() < 20 << 20);
    /// ```
    pub fn memory_needed(&self) -> u64 {
        let people = self.people + self.population.characters.len() as u64;
        let world = match &self.world {
            WorldSpec::WellMixed { .. } => people * WELL_MIXED_PERSON_BYTES,
            WorldSpec::Lattice { side, .. } => {
                let sites = u64::from(*side) * u64::from(*side);
                sites.max(people) * LATTICE_SITE_BYTES
            }
            WorldSpec::City {
                side,
                rooms_per_building,
                ..
            } => {
                let rooms = u64::from(*side) * u64::from(*side) * u64::from(*rooms_per_building);
                people * PERSON_BYTES + rooms * ROOM_BYTES
            }
            WorldSpec::Osm { pbf, .. } => {
                people * PERSON_BYTES + pbf.len() as u64 * MAP_BYTES_PER_PBF_BYTE
            }
            WorldSpec::Campus(_) | WorldSpec::School(_) => people * PERSON_BYTES,
            WorldSpec::Districts { .. } => people * DISTRICT_PERSON_BYTES,
        };
        let replay = if self.record.is_some() {
            people * RECORDED_PERSON_BYTES
        } else {
            0
        };
        BASE_BYTES + world + replay
    }
}

/// A number of bytes as a person reads it: "1.2 GB", "340 MB", "12 kB" (powers of 1000).
pub fn bytes_shown(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.0} MB", b / 1e6)
    } else {
        format!("{:.0} kB", (b / 1e3).max(1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::bytes_shown;
    use crate::Scenario;

    fn needed(name: &str, sets: &[&str]) -> u64 {
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        let text = crate::builtin(name).unwrap();
        Scenario::from_str(text, name, &sets)
            .unwrap()
            .memory_needed()
    }

    #[test]
    fn the_estimate_covers_the_measured_peaks() {
        // Peak resident memory measured at the larger size of each world, or over a whole
        // day (see the module).
        let measured = [
            ("munz-basic", "population.size=400000", 126.2e6),
            // A whole day of the city of districts, at 10 % and at full scale.
            ("seoul-city", "population.scale=0.1", 303.0 * 1048576.0),
            ("seoul-city", "population.scale=1.0", 3_430_080.0 * 1024.0),
            ("seoul-campus", "population.size=80000", 22.4e6),
            ("kotka-karhula", "population.size=40000", 19.5e6),
            ("alemi-lattice", "world.side=600", 434.0e6),
        ];
        for (name, set, peak) in measured {
            let sets = [set, "population.size=360000"];
            let e = needed(name, &sets[..if name == "alemi-lattice" { 2 } else { 1 }]) as f64;
            assert!(e >= peak && e < 1.6 * peak, "{name}: {e} for {peak}");
        }
    }

    #[test]
    fn the_estimate_grows_with_the_people_and_the_replay() {
        let small = needed("munz-basic", &["population.size=100000"]);
        let large = needed("munz-basic", &["population.size=50000000"]);
        assert!(large > 16_000_000_000, "{large}");
        assert!(large > 300 * small);
        let recorded = needed("munz-basic", &["population.size=100000", "run.record=true"]);
        assert!(recorded > small + 10_000_000);
    }

    #[test]
    fn bytes_read_as_people_write_them() {
        assert_eq!(bytes_shown(1_234_000_000), "1.2 GB");
        assert_eq!(bytes_shown(33_600_000), "34 MB");
        assert_eq!(bytes_shown(12_300), "12 kB");
    }
}
