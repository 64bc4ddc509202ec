//! Validated, typed parameters of a run. Rates are per hour; the engine converts them to
//! per-tick probabilities once, in [`Rates::new`].

use rand::Rng;
use rand_distr::{Distribution, Exp, Gamma, LogNormal};

/// Time from bite to turning.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Latent {
    /// Turns in the same tick as the bite (Munz's basic SZR).
    Immediate,
    /// A fixed time.
    Fixed {
        /// Minutes from bite to turning.
        minutes: f64,
    },
    /// Exponential with this mean (Munz's latent class, rate ρ = 1/mean).
    Exponential {
        /// Mean time to turn, in minutes.
        mean_minutes: f64,
    },
    /// Log-normal with this median and log-scale spread.
    LogNormal {
        /// Median time to turn, in minutes.
        median_minutes: f64,
        /// Standard deviation of the logarithm of the time.
        sigma: f64,
    },
    /// Gamma with this mean and shape (Erlang when the shape is whole).
    Gamma {
        /// Mean time to turn, in minutes.
        mean_minutes: f64,
        /// Shape k: the spread shrinks as it grows (coefficient of variation 1/√k).
        shape: f64,
    },
}

impl Latent {
    /// Draws a latent time in minutes.
    pub fn sample_minutes<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match *self {
            Latent::Immediate => 0.0,
            Latent::Fixed { minutes } => minutes,
            Latent::Exponential { mean_minutes } => Exp::new(1.0 / mean_minutes)
                .map(|d| d.sample(rng))
                .unwrap_or(mean_minutes),
            Latent::LogNormal {
                median_minutes,
                sigma,
            } => LogNormal::new(median_minutes.ln(), sigma)
                .map(|d| d.sample(rng))
                .unwrap_or(median_minutes),
            Latent::Gamma {
                mean_minutes,
                shape,
            } => Gamma::new(shape, mean_minutes / shape)
                .map(|d| d.sample(rng))
                .unwrap_or(mean_minutes),
        }
    }
}

/// The virus.
#[derive(Clone, Debug, PartialEq)]
pub struct VirusParams {
    /// β: bites per zombie–susceptible pair per hour, in a place of contact scale 1.
    pub bite_rate_per_hour: f64,
    /// κ (Munz's α): zombies destroyed per zombie–human pair per hour, for fighting skill 1.
    pub kill_rate_per_hour: f64,
    /// ζ: rate at which each dead body rises as a zombie.
    pub rise_rate_per_hour: f64,
    /// δ: natural (non-zombie) death rate of each susceptible or infected person.
    pub death_rate_per_hour: f64,
    /// Time from bite to turning, drawn per bitten person and rounded up to whole ticks.
    pub latent: Latent,
    /// Fraction of the bitten who turn into hambies instead of zombies.
    pub hambie_fraction: f64,
    /// Minutes a zombie is busy with one bite (Holling's handling time `h`): in a crowd a
    /// zombie's bites saturate at one per `h`, its rate `β·S / (1 + β·h·S)` on average. 0:
    /// none (mass action).
    pub bite_handling_minutes: f64,
}

/// How people and zombies behave.
#[derive(Clone, Debug, PartialEq)]
pub struct BehaviourParams {
    /// Zombies hear noise up to this path distance; loudness falls linearly to zero there.
    pub hearing_range_m: f64,
    /// A zombie wakes when what it perceives reaches this level.
    pub wake_threshold: f64,
    /// Noise of one person going about their day.
    pub human_noise: f64,
    /// Factor on human noise at night (22:00–06:00): people sleep.
    pub night_noise_factor: f64,
    /// Extra noise of each group member, as a fraction of one person's.
    pub group_noise: f64,
    /// Noise of one person hiding behind a barricade, as a fraction of one person's.
    pub hide_noise: f64,
    /// Noise of a fight, per zombie fought.
    pub fight_noise: f64,
    /// How well zombies see people in their own place by day (0–1): each visible person
    /// adds this much to what they perceive, beside the noise they hear.
    pub sight_day: f64,
    /// The same at night (22:00–06:00).
    pub sight_night: f64,
    /// Speed of zombies along ways, metres per second.
    pub zombie_speed_mps: f64,
    /// Chance per tick that an awake zombie with nothing to follow stumbles to a random neighbour.
    pub zombie_wander: f64,
    /// Most people in one group (below 2: no groups form).
    pub max_group_size: u32,
    /// Factor on each member's fighting skill when in a group.
    pub group_fight_bonus: f64,
    /// Factor on each fighter's skill while in a deployed squad of two or more (trained
    /// people fighting as a unit).
    pub squad_fight_bonus: f64,
    /// Number of people needed to build a barricade at full strength.
    pub barricade_full_group: u32,
    /// A group fights instead of fleeing when its fighting strength is at least this many
    /// times the number of zombies present.
    pub fight_ratio: f64,
    /// Rate at which aware people alert each unaware person in their place.
    pub alert_spread_per_hour: f64,
    /// Rate at which an aware person joins others in a place without zombies.
    pub group_join_per_hour: f64,
    /// Aware people walk to an open rescue point only if it is at most this far (metres of
    /// path); farther away they shelter where they are.
    pub rescue_reach_m: f64,
    /// People never flee, hide or walk to rescue: they stay where they are and fight what
    /// comes (the static humans of Alemi's lattice and Munz's well-mixed population).
    pub stand_ground: bool,
    /// People a place they pass through (a corridor, a street, a station) holds per metre
    /// of the nearer half of each of its ways, beyond its own capacity: a crowd beyond that
    /// waits along the ways around it.
    pub crowd_per_way_m: f64,
    /// Daily schedule: which routine anchor (0 home, 1 morning, 2 lunch, 3 afternoon) each
    /// hour of the day uses.
    pub schedule: [u8; 24],
}

impl Default for BehaviourParams {
    fn default() -> Self {
        Self {
            hearing_range_m: 120.0,
            wake_threshold: 0.5,
            human_noise: 1.0,
            night_noise_factor: 0.3,
            group_noise: 0.5,
            hide_noise: 0.05,
            fight_noise: 3.0,
            sight_day: 1.0,
            sight_night: 0.3,
            zombie_speed_mps: 2.5,
            zombie_wander: 0.1,
            max_group_size: 8,
            group_fight_bonus: 1.5,
            squad_fight_bonus: 2.0,
            barricade_full_group: 4,
            fight_ratio: 3.0,
            alert_spread_per_hour: 6.0,
            group_join_per_hour: 30.0,
            rescue_reach_m: 400.0,
            stand_ground: false,
            crowd_per_way_m: 4.0,
            schedule: DEFAULT_SCHEDULE,
        }
    }
}

/// A student's day: home until 8, morning classes, lunch at noon, afternoon until 18, home.
pub const DEFAULT_SCHEDULE: [u8; 24] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0, 0,
];

/// Clock and length of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct RunParams {
    /// The master seed: every random draw of the run derives from it.
    pub seed: u64,
    /// Simulated minutes per tick.
    pub tick_minutes: f64,
    /// Length of the run in ticks: it is finished once it has simulated this many.
    pub duration_ticks: u32,
    /// Hour of day (0–24) at tick 0.
    pub start_hour: f64,
    /// End the run before its duration once nothing can change anyone's state any more
    /// ([`Simulation::settled`](crate::sim::Simulation::settled)).
    pub stop_when_settled: bool,
}

/// Everything the engine needs besides the world, the population and the timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// Seed, tick length, duration and the hour at the start.
    pub run: RunParams,
    /// Bites, kills, turning, rising and natural deaths.
    pub virus: VirusParams,
    /// How people and zombies hear, see, move, band together, hide and fight.
    pub behaviour: BehaviourParams,
}

/// Per-tick quantities derived once from [`Params`].
#[derive(Clone, Copy, Debug)]
pub struct Rates {
    /// Length of a tick in hours.
    pub dt_hours: f64,
    /// Length of a tick in seconds.
    pub dt_seconds: f64,
    /// Chance per tick that each dead body rises (from ζ).
    pub rise_p: f64,
    /// Chance per tick of a natural death (from δ).
    pub death_p: f64,
    /// Expected alerts per tick that one aware person gives each unaware person in their
    /// place (`alert_spread_per_hour` × tick length); the chance of being alerted is
    /// `1 - exp(-alert_per_aware · aware)`.
    pub alert_per_aware: f64,
    /// Chance per tick that an aware person joins others (from `group_join_per_hour`).
    pub join_p: f64,
}

impl Rates {
    /// Derives per-tick quantities.
    pub fn new(p: &Params) -> Self {
        let dt_hours = p.run.tick_minutes / 60.0;
        Self {
            dt_hours,
            dt_seconds: p.run.tick_minutes * 60.0,
            rise_p: -(-p.virus.rise_rate_per_hour * dt_hours).exp_m1(),
            death_p: -(-p.virus.death_rate_per_hour * dt_hours).exp_m1(),
            alert_per_aware: p.behaviour.alert_spread_per_hour * dt_hours,
            join_p: chance(p.behaviour.group_join_per_hour, dt_hours),
        }
    }
}

/// The probability that an event of rate `rate` (per hour) happens within `dt_hours`.
#[inline]
pub fn chance(rate: f64, dt_hours: f64) -> f64 {
    -(-rate * dt_hours).exp_m1()
}

impl Params {
    /// Parameters for one well-mixed place: the given bite and kill rates, latent time
    /// immediate, no rising, no natural deaths, and people always audible (so zombies never
    /// sleep). Useful for checks against mass-action models.
    pub fn well_mixed(
        seed: u64,
        tick_minutes: f64,
        bite_rate_per_hour: f64,
        kill_rate_per_hour: f64,
        duration_ticks: u32,
    ) -> Self {
        Params {
            run: RunParams {
                seed,
                tick_minutes,
                duration_ticks,
                start_hour: 12.0,
                stop_when_settled: false,
            },
            virus: VirusParams {
                bite_rate_per_hour,
                kill_rate_per_hour,
                rise_rate_per_hour: 0.0,
                death_rate_per_hour: 0.0,
                latent: Latent::Immediate,
                hambie_fraction: 0.0,
                bite_handling_minutes: 0.0,
            },
            behaviour: BehaviourParams {
                night_noise_factor: 1.0,
                ..BehaviourParams::default()
            },
        }
    }
}
