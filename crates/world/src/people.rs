//! Drawing people's traits.

use outbreak_engine::prelude::Traits;
use rand::Rng;

/// How ordinary people's traits are set (`population.traits` in a scenario).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TraitSpread {
    /// Drawn per person, uniformly within each trait's range ([`ordinary`]).
    #[default]
    Varied,
    /// Every ordinary person has the middle of each range ([`MIDDLE`]): no disorder between
    /// people, as in Alemi's homogeneous lattice model and Munz's equations.
    Identical,
}

impl TraitSpread {
    /// Both, in the order scenario files list them.
    pub const ALL: [TraitSpread; 2] = [TraitSpread::Varied, TraitSpread::Identical];

    /// The name a scenario file gives it.
    pub fn as_str(self) -> &'static str {
        match self {
            TraitSpread::Varied => "varied",
            TraitSpread::Identical => "identical",
        }
    }

    /// An ordinary person's traits under this spread (`rng` is drawn from only when
    /// `Varied`).
    pub fn draw<R: Rng + ?Sized>(self, rng: &mut R) -> Traits {
        match self {
            TraitSpread::Varied => ordinary(rng),
            TraitSpread::Identical => MIDDLE,
        }
    }
}

/// The middle of each range [`ordinary`] draws from: walking 1.3 m/s, running 3 m/s,
/// fighting skill 1, stealth 0.15.
pub const MIDDLE: Traits = Traits {
    walk_mps: 1.3,
    run_mps: 3.0,
    fight: 1.0,
    stealth: 0.15,
};

/// Typical traits with some spread: walking 1.1–1.5 m/s, running 2.4–3.6 m/s, fighting skill
/// 0.5–1.5 (mean 1), stealth 0–0.3.
pub fn ordinary<R: Rng + ?Sized>(rng: &mut R) -> Traits {
    Traits {
        walk_mps: rng.random_range(1.1..1.5),
        run_mps: rng.random_range(2.4..3.6),
        fight: rng.random_range(0.5..1.5),
        stealth: rng.random_range(0.0..0.3),
    }
}
