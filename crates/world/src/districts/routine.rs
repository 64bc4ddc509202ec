//! How the people of a city of districts live: homes dealt over their district's blocks,
//! students on the campus, and workplaces near home or, for commuters, in another district.

use super::DistrictCity;
use crate::city::room;
use outbreak_engine::agents::ANCHORS;
use outbreak_engine::prelude::*;
use outbreak_engine::rng::{self, Stream};
use rand::Rng;

/// A local workplace lies within this many blocks of home in each direction.
const LOCAL_REACH: i64 = 5;

impl DistrictCity {
    /// The district person `k` of `people` lives in, and their number among its residents.
    /// Residents are dealt to districts in order of `k`, in proportion to population.
    pub fn home_district(&self, k: u32, people: u64) -> (usize, u64) {
        let total = u128::from(*self.cumulative.last().unwrap_or(&1));
        let people = u128::from(people.max(1));
        let k = u64::from(k);
        // District d holds k < ⌊people·cumulative[d] / total⌋.
        let d = self
            .cumulative
            .partition_point(|&c| u128::from(k + 1) * total > people * u128::from(c))
            .min(self.cumulative.len() - 1);
        let start = if d == 0 {
            0
        } else {
            (people * u128::from(self.cumulative[d - 1]) / total) as u64
        };
        (d, k.saturating_sub(start))
    }

    /// Residents of district `d` when the city holds `people`.
    pub fn residents(&self, d: usize, people: u64) -> u64 {
        let total = u128::from(*self.cumulative.last().unwrap_or(&1));
        let end = |i: usize| (u128::from(people) * u128::from(self.cumulative[i]) / total) as u64;
        end(d) - if d == 0 { 0 } else { end(d - 1) }
    }

    /// Students of the campus when the city holds `people`: a fraction of the campus
    /// district's residents, at most as many as the campus seats.
    pub fn students(&self, people: u64) -> u64 {
        let residents = self.residents(self.campus_district, people);
        let seats: u64 = self
            .campus_rooms
            .iter()
            .map(|p| u64::from(self.world.places.capacity[p.index()]))
            .sum();
        ((residents as f64 * self.student_fraction).round() as u64).min(seats)
    }

    /// Role and anchors (home, morning, lunch, afternoon) of person `k` of `people`.
    ///
    /// Homes are dealt out in turn over the blocks and home rooms of the person's district,
    /// so that none is over-full. The campus district's first [`DistrictCity::students`]
    /// residents study on the campus (a lecture hall or the library, in proportion to
    /// seats). Everyone else works in a workplace room: with chance `commuter_fraction` in
    /// another district (chosen in proportion to population, a random block), otherwise
    /// within five blocks of home in each direction.
    pub fn routine(&self, seed: u64, k: u32, people: u64) -> (Role, [PlaceId; ANCHORS]) {
        let (d, rank) = self.home_district(k, people);
        let grid = &self.districts[d];
        let blocks = grid.lobbies.len() as u64;
        let home_rooms = u64::from(self.rooms_per_building.div_ceil(2));
        let work_rooms = self.rooms_per_building / 2;
        let home_block = (rank % blocks) as usize;
        let home = room(
            grid.lobbies[home_block],
            2 * ((rank / blocks) % home_rooms) as u32,
        );
        let mut rng = rng::stream(seed, Stream::Setup, 0, k);
        if d == self.campus_district && rank < self.students(people) {
            let morning = self.campus_seat(&mut rng);
            let afternoon = self.campus_seat(&mut rng);
            return (Role::Student, [home, morning, morning, afternoon]);
        }
        if work_rooms == 0 {
            return (Role::Civilian, [home; ANCHORS]);
        }
        let commute = self.districts.len() > 1 && rng.random::<f64>() < self.commuter_fraction;
        let (wd, wb) = if commute {
            let wd = self.other_district(&mut rng, d);
            (wd, rng.random_range(0..self.districts[wd].lobbies.len()))
        } else {
            let (nx, ny) = (i64::from(grid.nx), i64::from(grid.ny));
            let (x, y) = (home_block as i64 % nx, home_block as i64 / nx);
            let wx = (x + rng.random_range(-LOCAL_REACH..=LOCAL_REACH)).clamp(0, nx - 1);
            let wy = (y + rng.random_range(-LOCAL_REACH..=LOCAL_REACH)).clamp(0, ny - 1);
            (d, (wx + wy * nx) as usize)
        };
        let work = room(
            self.districts[wd].lobbies[wb],
            1 + 2 * rng.random_range(0..work_rooms),
        );
        (Role::Civilian, [home, work, work, work])
    }

    /// A district other than `d`, in proportion to population.
    fn other_district<R: Rng>(&self, rng: &mut R, d: usize) -> usize {
        let total = *self.cumulative.last().unwrap_or(&0);
        let own = self.districts[d].population;
        let mut left = rng.random_range(0..total - own);
        for (i, g) in self.districts.iter().enumerate() {
            if i == d {
                continue;
            }
            if left < g.population {
                return i;
            }
            left -= g.population;
        }
        d
    }

    /// A campus room, in proportion to its seats.
    fn campus_seat<R: Rng>(&self, rng: &mut R) -> PlaceId {
        let capacity = |p: &PlaceId| u64::from(self.world.places.capacity[p.index()]);
        let seats: u64 = self.campus_rooms.iter().map(capacity).sum();
        let mut left = rng.random_range(0..seats.max(1));
        for p in &self.campus_rooms {
            if left < capacity(p) {
                return *p;
            }
            left -= capacity(p);
        }
        self.campus_start
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::districts::fixtures::{district_of, one_percent, seoul, PEOPLE};
    use crate::districts::{generate, DistrictParams};

    #[test]
    fn residents_follow_population_and_a_fifth_commute() {
        let city = one_percent();
        let seoul = seoul();
        let total: u64 = seoul.iter().map(|d| d.population).sum();
        let mut homes = vec![0u64; seoul.len()];
        let (mut workers, mut commuters, mut students) = (0u32, 0u32, 0u32);
        for k in 0..PEOPLE as u32 {
            let (role, a) = city.routine(11, k, PEOPLE);
            let home = district_of(&city, a[0]);
            homes[home] += 1;
            if role == Role::Student {
                students += 1;
                assert_eq!(home, city.campus_district);
                assert!(city.world.in_zone(a[1], city.campus_zone));
                continue;
            }
            assert_eq!(city.world.places.kind[a[0].index()], PlaceKind::Room);
            workers += 1;
            if district_of(&city, a[1]) != home {
                commuters += 1;
            }
        }
        for (d, n) in seoul.iter().zip(&homes) {
            let expected = PEOPLE as f64 * d.population as f64 / total as f64;
            assert!(
                (*n as f64 - expected).abs() <= 0.01 * expected,
                "{}: {n} residents, expected {expected:.0}",
                d.name
            );
        }
        for (d, n) in homes.iter().enumerate() {
            assert_eq!(*n, city.residents(d, PEOPLE));
        }
        let share = f64::from(commuters) / f64::from(workers);
        assert!((0.19..=0.21).contains(&share), "{share}");
        assert_eq!(u64::from(students), city.students(PEOPLE));
        assert!(students > 50, "{students} students");
    }

    #[test]
    fn homes_are_filled_evenly() {
        let city = one_percent();
        let mut at_home = vec![0u64; city.world.place_count()];
        for k in 0..PEOPLE as u32 {
            at_home[city.routine(5, k, PEOPLE).1[0].index()] += 1;
        }
        for (d, grid) in city.districts.iter().enumerate() {
            let rooms = grid.lobbies.len() as u64 * 10;
            let most = city.residents(d, PEOPLE).div_ceil(rooms);
            for &lobby in &grid.lobbies {
                for r in (0..20).step_by(2) {
                    let n = at_home[room(lobby, r).index()];
                    assert!(n <= most && n + 1 >= most, "{n} in a home of {}", grid.name);
                }
            }
        }
    }

    #[test]
    fn a_tiny_city_still_has_every_district() {
        let city = generate(&seoul(), 25, &DistrictParams::default()).unwrap();
        assert!(city.districts.iter().all(|d| d.lobbies.len() == 1));
        for k in 0..25 {
            let (_, a) = city.routine(1, k, 25);
            assert!(city.world.route(a[0], a[1], 1_000).is_some());
        }
    }
}
