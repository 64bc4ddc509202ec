//! Scenario files for outbreak: one TOML file describes a world, its people, the virus,
//! behaviour, the authorities' timeline and the run. Loading happens in three steps: the raw
//! file ([`raw::RawScenario`], unknown keys rejected), then validation ([`validate`]) into a
//! checked [`Scenario`] of typed specs ([`spec`]: every range checked, every default filled
//! in, places and zones still named), then building ([`Scenario::build`]), which generates
//! the world, places the people and resolves the names against it. Every error
//! ([`ScenarioError`], its [`ErrorKind`]) names the file, the line and the key, and says
//! what is allowed.
//!
//! ```
//! let text = outbreak_scenario::builtin("seoul-campus").unwrap();
//! let scenario = outbreak_scenario::Scenario::from_str(text, "seoul-campus", &[]).unwrap();
//! assert_eq!(scenario.params.run.tick_minutes, 1.0);
//! ```

#![warn(missing_docs)]

pub mod bench;
pub mod build;
pub mod error;
pub mod locate;
pub mod memory;
pub mod overrides;
pub mod raw;
mod source;
pub mod spec;
pub mod validate;

pub use build::{Built, Parts, Streets};
pub use error::{ErrorKind, Origin, ScenarioError};
pub use spec::{Scenario, WorldSpec};
pub use validate::{ACTIONS, DISTRICT_SETTINGS, GENERATORS};

/// The built-in scenarios: name, one-line summary, TOML text.
pub const BUILTINS: &[(&str, &str, &str)] = &[
    (
        "seoul-campus",
        "Season 2: the virus breaks out at a university in Seoul; cordon, rescue, the NIS team (default)",
        include_str!("../../../scenarios/seoul-campus.toml"),
    ),
    (
        "hyosan-high",
        "Season 1: Hyosan High School and its town; cordon, quarantine zone, the bombing",
        include_str!("../../../scenarios/hyosan-high.toml"),
    ),
    (
        "seoul-city",
        "Season 2's fresh wave over Seoul: 25 districts, 9.4 million people (try population.scale=0.01)",
        include_str!("../../../scenarios/seoul-city.toml"),
    ),
    (
        "kotka-karhula",
        "A real town from OpenStreetMap: Karhula, Kotka (Finland), its streets and 2,192 buildings",
        include_str!("../../../scenarios/kotka-karhula.toml"),
    ),
    (
        "munz-basic",
        "Munz et al. (2009) basic SZR in one well-mixed place",
        include_str!("../../../scenarios/munz-basic.toml"),
    ),
    (
        "munz-latent",
        "Munz et al. (2009) SIZR: a latent class",
        include_str!("../../../scenarios/munz-latent.toml"),
    ),
    (
        "munz-quarantine",
        "Munz et al. (2009) SIZRQ: quarantine of the infected and of zombies",
        include_str!("../../../scenarios/munz-quarantine.toml"),
    ),
    (
        "munz-treatment",
        "Munz et al. (2009) treatment: a cure turns zombies back into humans",
        include_str!("../../../scenarios/munz-treatment.toml"),
    ),
    (
        "munz-impulsive",
        "Munz et al. (2009) impulsive eradication of zombies",
        include_str!("../../../scenarios/munz-impulsive.toml"),
    ),
    (
        "alemi-lattice",
        "Alemi et al. (2015): one person a site on a square lattice",
        include_str!("../../../scenarios/alemi-lattice.toml"),
    ),
];

/// The default scenario of `outbreak run`.
pub const DEFAULT: &str = "seoul-campus";

/// The name among `candidates` closest to `name`, if it is close enough to be a likely typo
/// (as unknown keys and place names are suggested in a scenario's errors).
///
/// ```
/// let names = outbreak_scenario::BUILTINS.iter().map(|b| b.0);
/// assert_eq!(outbreak_scenario::did_you_mean("seoul-campas", names), Some("seoul-campus"));
/// ```
pub fn did_you_mean<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    error::nearest(name, candidates)
}

/// The TOML text of a built-in scenario.
pub fn builtin(name: &str) -> Option<&'static str> {
    BUILTINS.iter().find(|b| b.0 == name).map(|b| b.2)
}
