//! The summary of a run (`summary.json`): peak, speed, fates, deaths by cause, cordon
//! counters, R over time from the bite tree, and the named characters' fates.
//!
//! Everything is derived from a [`Recorder`] and the final [`Simulation`]; nothing here
//! touches the file system.

use std::collections::HashMap;
use std::fmt;

use outbreak_engine::prelude::*;
use serde::Serialize;

use outbreak_plot::scale::Clock;

use crate::fates::Character;
use crate::recorder::Recorder;

/// Counts of each state, named as in the CSV headers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Humans who can still be bitten.
    pub susceptible: u64,
    /// The bitten, not yet turned.
    pub infected: u64,
    /// Zombies.
    pub zombie: u64,
    /// Half-zombies: immune, ignored by zombies.
    pub hambie: u64,
    /// Dead bodies.
    pub dead: u64,
    /// People evacuated out of the world.
    pub rescued: u64,
    /// People held in quarantine.
    pub quarantined: u64,
    /// Fighters held off the map: squads not yet deployed or withdrawn.
    pub reserve: u64,
}

impl From<[u64; STATES]> for Counts {
    fn from(c: [u64; STATES]) -> Self {
        let [susceptible, infected, zombie, hambie, dead, rescued, quarantined, reserve] = c;
        Self {
            susceptible,
            infected,
            zombie,
            hambie,
            dead,
            rescued,
            quarantined,
            reserve,
        }
    }
}

/// Deaths counted from the event log, by cause. Only causes the engine models appear.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DeathsByCause {
    /// Zombies destroyed by people (`destroyed` events).
    pub zombies_destroyed: u64,
    /// People and zombies killed by strikes (`strike-death` events).
    pub strike: u64,
    /// Susceptible people who died of other causes (`natural-death` events, Munz's δ).
    pub natural: u64,
    /// Zombies killed by an eradication (`eradicated` events, Munz's impulsive k).
    pub eradicated: u64,
    /// The quarantined who were removed (`quarantine-death` events, Munz's γ).
    pub quarantine: u64,
}

/// Trips by kind (from the simulation's counters; see `outbreak_engine::state::Trips`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TripSummary {
    /// Trips to the next place of the daily schedule that people set out on.
    pub routine_started: u64,
    /// Of those, trips that reached their place.
    pub routine_arrived: u64,
    /// Trips never set out on: no route leads from where the person was to the place.
    pub routine_unreachable: u64,
    /// Aware people who set out for the nearest open rescue point.
    pub flight_started: u64,
    /// Of those, flights that reached an open rescue point (where the line to be evacuated
    /// forms: `rescued` counts those taken out).
    pub flight_arrived: u64,
    /// Flights never set out on: aware people sheltering while rescue points were open,
    /// none of which a route over open ways reached from where they were (each once).
    pub flight_unreachable: u64,
    /// Squads' trips, one a fighter: into the squad's zone from its entry, and back to the
    /// entry when the squad withdraws.
    pub squad_started: u64,
    /// Of those, the trips that reached the zone (or, withdrawing, the entry).
    pub squad_arrived: u64,
    /// Fighters deployed at an entry from which no place of their zone can be reached.
    pub squad_unreachable: u64,
}

/// Crossings of closed cordon ways (from the simulation's counters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CordonSummary {
    /// Tries by zombies to cross a closed cordon way (one turned back tries again next
    /// tick, and each try counts).
    pub zombie_attempts: u64,
    /// Of those, the tries that got through.
    pub zombie_leaks: u64,
    /// Tries by humans to cross a closed cordon way, counted the same way.
    pub human_attempts: u64,
    /// Of those, the tries that got through.
    pub human_leaks: u64,
}

/// The reproduction number of one hour, from the bite tree.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct HourR {
    /// Hours since the start; the hour holds the ticks that began in it.
    pub hour: u32,
    /// People bitten during this hour.
    pub bitten: u64,
    /// Bites made (over the whole run) by the people bitten during this hour.
    pub secondary_bites: u64,
    /// `secondary_bites / bitten`; `null` when nobody was bitten this hour.
    pub r: Option<f64>,
}

/// The fate of one named character, and their story.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CharacterFate {
    /// The character's name, as the scenario gives it.
    pub name: String,
    /// Their role as written in files: `civilian`, `student`, `fighter` or `medic`.
    pub role: &'static str,
    /// `survived`, `cured`, `rescued`, `infected`, `turned`, `hambie`, `destroyed`,
    /// `killed`, `died` or `quarantined`.
    pub fate: &'static str,
    /// Who or what ended them (`Han Du-seok`, `a student`, `a strike`), if anyone.
    pub fate_by: Option<String>,
    /// When the fate came, in simulated minutes since the start (for those still as they
    /// were, the end of the run).
    pub fate_minutes: f64,
    /// That time on the clock: `day 1 13:42`.
    pub fate_clock: String,
    /// Name of the place where the character ended.
    pub place: String,
    /// When they were first bitten, minutes since the start; `null` if never.
    pub bitten_minutes: Option<f64>,
    /// Who first bit them (`Han Du-seok`, `a student`); `null` if never bitten.
    pub bitten_by: Option<String>,
    /// When they turned; `null` if never.
    pub turned_minutes: Option<f64>,
    /// Bites they made.
    pub bites: u32,
    /// Zombies they destroyed.
    pub zombies_destroyed: u32,
    /// The story in words.
    pub story: String,
}

/// The world a run was in: its size, whether positions are longitude and latitude, and
/// the credit its data asks for.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WorldSummary {
    /// Places, counting the off-map staging place where the world has one.
    pub places: u64,
    /// Ways between places.
    pub ways: u64,
    /// Zones.
    pub zones: u64,
    /// Positions are longitude and latitude (a map world) rather than metres.
    pub geographic: bool,
    /// The credit of the map data, for worlds from OpenStreetMap.
    pub credit: Option<&'static str>,
}

/// What `summary.json` holds; also returned to the caller to print.
///
/// Times are simulated minutes since the start (tick × tick length).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunSummary {
    /// The master seed of the run.
    pub seed: u64,
    /// Agents at the start, zombies included.
    pub population: u64,
    /// The last tick simulated.
    pub ticks: u32,
    /// Simulated minutes a tick lasts.
    pub tick_minutes: f64,
    /// Hour of the day (0–24) at the start, on day 1.
    pub start_hour: f64,
    /// The world the run was in.
    pub world: WorldSummary,
    /// Most zombies at the end of any tick.
    pub peak_zombies: u64,
    /// The first tick with that many zombies.
    pub peak_tick: u32,
    /// That tick in minutes since the start.
    pub peak_minutes: f64,
    /// First time at which the people ever infected (infected at the start plus those
    /// bitten since) reach half of those who could be infected at the start (susceptible
    /// plus infected at tick 0); `null` if never.
    pub time_to_half_infected_minutes: Option<f64>,
    /// Bites over the whole run.
    pub bites: u64,
    /// Counts at the end.
    pub final_counts: Counts,
    /// Susceptible people and hambies still in the world at the end.
    pub survivors: u64,
    /// People evacuated by the end.
    pub rescued: u64,
    /// Dead bodies at the end (those that rose as zombies are not counted).
    pub dead: u64,
    /// How the outbreak stood at the end: `overrun`, `eradicated`, `contained` or
    /// `unresolved` ([`Ending`](crate::outcome::Ending)).
    pub outcome: crate::outcome::Ending,
    /// On worlds with an `edge` zone (the lattice): whether a zombie ever reached it;
    /// `null` on other worlds.
    pub escaped_to_edge: Option<bool>,
    /// Zombies awake at the end (the rest are dormant).
    pub zombies_awake: u64,
    /// Whether the run stopped before its duration because it had settled
    /// (`run.stop_when_settled`); `ticks` is then the tick it stopped at.
    pub stopped_settled: bool,
    /// Deaths counted from the event log, by cause.
    pub deaths_by_cause: DeathsByCause,
    /// Tries to cross closed cordon ways over the whole run, all cordons together.
    pub cordon: CordonSummary,
    /// Trips over the whole run by kind: routine trips set out on, arrived, and never set
    /// out on because no route leads there (a map whose trips arrive is a map that works);
    /// flights to rescue points and squads' trips, set out on, arrived and never set out on.
    pub trips: TripSummary,
    /// Each order of the timeline: when it fired and what it did.
    pub orders: Vec<crate::orders::OrderSummary>,
    /// R over time: see [`r_by_hour`].
    pub r_by_hour: Vec<HourR>,
    /// The named characters' fates, in naming order.
    pub characters: Vec<CharacterFate>,
}

/// The hour of a tick: the hour in which the tick began. Tick `t` covers minutes
/// `((t−1)·Δ, t·Δ]`; tick 0 (the start) is in hour 0.
fn hour_of(tick: u32, tick_minutes: f64) -> usize {
    let start = f64::from(tick.saturating_sub(1)) * tick_minutes;
    (start / 60.0).floor().max(0.0) as usize
}

/// R over time from the bite tree: for each hour `h` of the run, the people bitten during
/// `h` and the mean number of bites they went on to make.
///
/// Agents with no bite in the log (zombies and infected at the start, risen dead) have no
/// bite time and are left out, as are their bites. People bitten late have had less time
/// to bite, so the last hours are biased low (right censoring). The run covers
/// `ceil(last_tick · Δ / 60)` hours.
pub fn r_by_hour(events: &[Event], tick_minutes: f64, last_tick: u32) -> Vec<HourR> {
    let hours = (f64::from(last_tick) * tick_minutes / 60.0).ceil().max(0.0) as usize;
    let mut rows: Vec<HourR> = (0..hours)
        .map(|h| HourR {
            hour: h as u32,
            bitten: 0,
            secondary_bites: 0,
            r: None,
        })
        .collect();
    if rows.is_empty() {
        return rows;
    }
    let last = rows.len() - 1;
    // Lookups only (never iterated), so hash order cannot leak into the output.
    let mut bitten_in: HashMap<u32, usize> = HashMap::new();
    for e in events.iter().filter(|e| e.kind == EventKind::Bite) {
        if let std::collections::hash_map::Entry::Vacant(slot) = bitten_in.entry(e.agent.0) {
            let h = hour_of(e.tick, tick_minutes).min(last);
            slot.insert(h);
            rows[h].bitten += 1;
        }
    }
    for e in events.iter().filter(|e| e.kind == EventKind::Bite) {
        if let Some(&h) = bitten_in.get(&e.other.0) {
            rows[h].secondary_bites += 1;
        }
    }
    for row in &mut rows {
        if row.bitten > 0 {
            row.r = Some(row.secondary_bites as f64 / row.bitten as f64);
        }
    }
    rows
}

/// Rounds minutes to six decimals so that `0.1 × 3` reads `0.3` in JSON.
pub(crate) fn round_minutes(m: f64) -> f64 {
    (m * 1e6).round() / 1e6
}

impl RunSummary {
    /// Summarises a recorded run. `sim` is the simulation at its last recorded tick.
    pub fn new(rec: &Recorder, sim: &Simulation) -> Self {
        Self::with_characters(rec, sim, crate::fates::characters(rec, sim))
    }

    /// As [`RunSummary::new`], with the character rows already worked out.
    pub(crate) fn with_characters(rec: &Recorder, sim: &Simulation, rows: Vec<Character>) -> Self {
        let minutes = |t: u32| round_minutes(rec.minutes(t));
        let totals = rec.totals();
        let first = totals.first().copied().unwrap_or_default();
        let last = totals.last().copied().unwrap_or_default();
        let last_tick = rec.ticks().last().copied().unwrap_or(0);
        let z = Health::Zombie as usize;

        let (peak_row, peak_zombies) =
            totals.iter().enumerate().fold(
                (0, 0),
                |best, (r, c)| if c[z] > best.1 { (r, c[z]) } else { best },
            );
        let peak_tick = rec.ticks().get(peak_row).copied().unwrap_or(0);

        let mut deaths = DeathsByCause::default();
        let mut bites = 0u64;
        for e in rec.events() {
            match e.kind {
                EventKind::Bite => bites += 1,
                EventKind::Destroyed => deaths.zombies_destroyed += 1,
                EventKind::StrikeDeath => deaths.strike += 1,
                EventKind::NaturalDeath => deaths.natural += 1,
                EventKind::Eradicated => deaths.eradicated += 1,
                EventKind::QuarantineDeath => deaths.quarantine += 1,
                _ => {}
            }
        }

        let c = &sim.counters;
        let clock = Clock {
            start_hour: sim.params.run.start_hour,
        };
        let characters = rows
            .into_iter()
            .map(|c| CharacterFate {
                fate: c.fate.as_str(),
                fate_by: c.fate_by,
                fate_minutes: minutes(c.fate_tick),
                fate_clock: clock.label(minutes(c.fate_tick)),
                place: c.place,
                bitten_minutes: c.bitten.as_ref().map(|b| minutes(b.tick)),
                bitten_by: c.bitten.and_then(|b| b.by).map(|w| w.describe()),
                turned_minutes: c.turned.map(|t| minutes(t.tick)),
                bites: c.bites,
                zombies_destroyed: c.kills,
                story: c.story,
                name: c.name,
                role: c.role,
            })
            .collect();
        let counts = Counts::from(last);
        let outcome = crate::outcome::RunOutcome::new(rec, sim);
        Self {
            seed: sim.params.run.seed,
            population: first.iter().sum(),
            ticks: last_tick,
            tick_minutes: rec.tick_minutes(),
            start_hour: sim.params.run.start_hour,
            world: WorldSummary {
                places: sim.world.place_count() as u64,
                ways: sim.world.ways.len() as u64,
                zones: sim.world.zone_count() as u64,
                geographic: sim.world.geographic,
                credit: sim.world.geographic.then_some(crate::OSM_CREDIT),
            },
            peak_zombies,
            peak_tick,
            peak_minutes: minutes(peak_tick),
            time_to_half_infected_minutes: half_infected_tick(rec).map(minutes),
            bites,
            final_counts: counts,
            survivors: counts.susceptible + counts.hambie,
            rescued: counts.rescued,
            dead: counts.dead,
            outcome: outcome.ending,
            escaped_to_edge: outcome.escaped,
            zombies_awake: outcome.zombies_awake,
            stopped_settled: outcome.stopped_settled,
            deaths_by_cause: deaths,
            cordon: CordonSummary {
                zombie_attempts: c.cordon_zombie_attempts,
                zombie_leaks: c.cordon_zombie_leaks,
                human_attempts: c.cordon_human_attempts,
                human_leaks: c.cordon_human_leaks,
            },
            trips: TripSummary {
                routine_started: c.trips.started,
                routine_arrived: c.trips.arrived,
                routine_unreachable: c.trips.unreachable,
                flight_started: c.trips.flight_started,
                flight_arrived: c.trips.flight_arrived,
                flight_unreachable: c.trips.flight_unreachable,
                squad_started: c.trips.squad_started,
                squad_arrived: c.trips.squad_arrived,
                squad_unreachable: c.trips.squad_unreachable,
            },
            orders: crate::orders::orders(rec, sim),
            r_by_hour: r_by_hour(rec.events(), rec.tick_minutes(), last_tick),
            characters,
        }
    }
}

/// First recorded tick at which `2 × (infected at start + people bitten so far) ≥
/// susceptible and infected at start`. A person cured and bitten again counts once.
fn half_infected_tick(rec: &Recorder) -> Option<u32> {
    let start = rec.totals().first()?;
    let initial_infected = start[Health::Infected as usize];
    let could_be_infected = start[Health::Susceptible as usize] + initial_infected;
    if could_be_infected == 0 {
        return None;
    }
    let mut events = rec.events().iter().peekable();
    let mut ever = initial_infected;
    let mut bitten = std::collections::HashSet::new();
    for &tick in rec.ticks() {
        while let Some(e) = events.next_if(|e| e.tick <= tick) {
            if e.kind == EventKind::Bite && bitten.insert(e.agent) {
                ever += 1;
            }
        }
        if 2 * ever >= could_be_infected {
            return Some(tick);
        }
    }
    None
}

/// The terminal's line of trips: each kind anyone set out on (or never could), arrived of
/// started, with those never set out on; `None` when there were no trips.
fn trips_line(t: &TripSummary) -> Option<String> {
    let kinds = [
        (
            "routine",
            t.routine_started,
            t.routine_arrived,
            t.routine_unreachable,
        ),
        (
            "flights",
            t.flight_started,
            t.flight_arrived,
            t.flight_unreachable,
        ),
        (
            "squads",
            t.squad_started,
            t.squad_arrived,
            t.squad_unreachable,
        ),
    ];
    let parts: Vec<String> = kinds
        .iter()
        .filter(|k| k.1 + k.3 > 0)
        .map(|&(name, started, arrived, never)| {
            let never = if never > 0 {
                format!(", {never} never set out (no way there)")
            } else {
                String::new()
            };
            format!("{name} {arrived} of {started}{never}")
        })
        .collect();
    (!parts.is_empty()).then(|| format!("trips arrived: {}", parts.join("; ")))
}

impl fmt::Display for RunSummary {
    /// A few lines for a terminal: the peak, the toll, and each named character's fate.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hours = |m: f64| m / 60.0;
        writeln!(
            f,
            "peak {} zombies at {:.1} h; {} survivors, {} rescued, {} dead (of {})",
            self.peak_zombies,
            hours(self.peak_minutes),
            self.survivors,
            self.rescued,
            self.dead,
            self.population
        )?;
        let escaped = match self.escaped_to_edge {
            Some(true) => ", escaped to the edge",
            Some(false) => ", never reached the edge",
            None => "",
        };
        let settled = if self.stopped_settled {
            format!(
                "; settled, stopped at {:.1} h",
                hours(self.ticks as f64 * self.tick_minutes)
            )
        } else {
            String::new()
        };
        writeln!(f, "outbreak {}{escaped}{settled}", self.outcome.as_str())?;
        if let Some(m) = self.time_to_half_infected_minutes {
            writeln!(f, "half infected after {:.1} h", hours(m))?;
        }
        if let Some(line) = trips_line(&self.trips) {
            writeln!(f, "{line}")?;
        }
        for c in &self.characters {
            writeln!(f, "  {} ({}): {}", c.name, c.role, c.story)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bite(tick: u32, victim: u32, biter: u32) -> Event {
        Event {
            tick,
            kind: EventKind::Bite,
            agent: AgentId(victim),
            other: Other::agent(AgentId(biter)),
            place: PlaceId(0),
        }
    }

    #[test]
    fn the_trips_line_names_each_kind_there_was_and_those_never_set_out_on() {
        assert_eq!(trips_line(&TripSummary::default()), None);
        let t = TripSummary {
            routine_started: 10,
            routine_arrived: 9,
            flight_unreachable: 3,
            squad_started: 2,
            squad_arrived: 2,
            ..TripSummary::default()
        };
        assert_eq!(
            trips_line(&t).as_deref(),
            Some(
                "trips arrived: routine 9 of 10; flights 0 of 0, 3 never set out (no way there); \
                 squads 2 of 2"
            )
        );
    }

    #[test]
    fn r_by_hour_follows_the_bite_tree() {
        // Agent 0 is an initial zombie: its bites count as bitten people, never as secondary.
        // Hour 0: 1 and 4 bitten; 1 bites 2 and 3, 4 bites nobody → R = 1.
        // Hour 1: 2 and 3 bitten; 2 bites 5 → R = 0.5.
        // Hour 2: 5 bitten, bites nobody → R = 0. Hour 3: nobody bitten → null.
        let events = vec![
            Event {
                tick: 0,
                kind: EventKind::Order,
                agent: AgentId::NONE,
                other: Other::order(OrderId(0)),
                place: PlaceId::NONE,
            },
            bite(1, 1, 0),
            bite(30, 4, 0),
            bite(61, 2, 1),
            bite(80, 3, 1),
            Event {
                tick: 90,
                kind: EventKind::Turn,
                agent: AgentId(2),
                other: Other::NONE,
                place: PlaceId(0),
            },
            bite(130, 5, 2),
        ];
        let rows = r_by_hour(&events, 1.0, 240);
        let rs: Vec<_> = rows
            .iter()
            .map(|r| (r.hour, r.bitten, r.secondary_bites, r.r))
            .collect();
        assert_eq!(
            rs,
            vec![
                (0, 2, 2, Some(1.0)),
                (1, 2, 1, Some(0.5)),
                (2, 1, 0, Some(0.0)),
                (3, 0, 0, None)
            ]
        );
    }

    #[test]
    fn r_by_hour_puts_a_tick_in_the_hour_it_began() {
        // With 7-minute ticks, tick 9 covers minutes 56–63: it began in hour 0.
        let rows = r_by_hour(&[bite(9, 1, 0), bite(10, 2, 1)], 7.0, 10);
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].bitten, rows[0].secondary_bites), (1, 1));
        assert_eq!((rows[1].bitten, rows[1].secondary_bites), (1, 0));
        assert!(r_by_hour(&[], 1.0, 0).is_empty());
    }
}
