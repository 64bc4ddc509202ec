//! Drawing people's traits.

use outbreak_engine::prelude::Traits;
use rand::Rng;

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
