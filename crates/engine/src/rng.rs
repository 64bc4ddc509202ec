//! Seeded random streams.
//!
//! Every draw comes from a stream keyed by `(seed, system, tick, index)`. The key is mixed
//! with the SplitMix64 finaliser (Steele, Lea & Flood 2014), applied once per key part, and
//! the 128-bit result seeds a PCG-64 MCG generator ([`Pcg64Mcg`]); hot paths that need one
//! number take it from the mixed key itself ([`unit()`], [`key`]). Because each system and
//! each agent has its own stream, adding a draw in one place never shifts another's numbers,
//! and results do not depend on the order in which agents are visited or on thread count.
//! Every system names its family in [`Stream`] and goes through this one mixer.

use rand_pcg::Pcg64Mcg;

/// The systems that draw random numbers; each has its own family of streams.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum Stream {
    /// Building the initial population (traits, anchors, start places).
    Setup = 1,
    /// Humans' and zombies' movement decisions.
    Move = 2,
    /// Bites and kills.
    Encounter = 3,
    /// Latent times and hambie draws.
    Turn = 4,
    /// Natural deaths and rising of the dead.
    Vital = 5,
    /// Group formation.
    Groups = 6,
    /// The timeline's orders (strikes, eradications): each order has its own streams, from
    /// [`seed_for`].
    Orders = 7,
    /// Spread of alarm between people.
    Alarm = 8,
    /// World generators.
    World = 9,
    /// Whether a turning person becomes a hambie.
    Hambie = 10,
    /// Crossing a cordon.
    Cordon = 11,
    /// Munz's interventions: quarantine, removal and cure.
    Intervention = 12,
    /// Exact stochastic simulation of the reference models.
    Reference = 13,
    /// The line at rescue points, drawn afresh every tick.
    Evacuation = 14,
    /// The line at the door of a place that may be full, drawn afresh every tick.
    Admission = 15,
}

/// SplitMix64's output function: a bijective, well-avalanching 64-bit mixer.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The key mixed one part at a time: after `(seed, system, tick)`, and after all four.
#[inline]
fn mix(seed: u64, system: Stream, tick: u32, index: u32) -> (u64, u64) {
    let a = mix64(seed ^ mix64(system as u64));
    let b = mix64(a ^ u64::from(tick));
    (b, mix64(b ^ (u64::from(index) << 1 | 1)))
}

/// The generator for one `(seed, system, tick, index)` key.
#[inline]
pub fn stream(seed: u64, system: Stream, tick: u32, index: u32) -> Pcg64Mcg {
    let (b, c) = mix(seed, system, tick, index);
    // The MCG state must be odd-free of zero; OR-ing 1 keeps it non-zero.
    Pcg64Mcg::new((u128::from(b) << 64 | u128::from(c)) | 1)
}

/// One uniform 64-bit number for a `(seed, system, tick, index)` key: a sort key or a
/// single draw, with no generator.
#[inline]
pub fn key(seed: u64, system: Stream, tick: u32, index: u32) -> u64 {
    mix(seed, system, tick, index).1
}

/// A uniform number in [0, 1) from a single mixed key, for hot paths that need one draw
/// and no generator.
#[inline]
pub fn unit(seed: u64, system: Stream, tick: u32, index: u32) -> f64 {
    (key(seed, system, tick, index) >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// The seed of item `index`'s own streams within `system`, for items that must draw
/// independently of one another in the same tick (two strikes ordered for one tick): their
/// draws are then keyed `(seed_for(seed, system, index), system, tick, agent)`.
#[inline]
pub fn seed_for(seed: u64, system: Stream, index: u32) -> u64 {
    mix64(mix64(seed ^ mix64(system as u64)) ^ (u64::from(index) << 1 | 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn streams_differ_by_every_key_part() {
        let base: u64 = stream(1, Stream::Move, 2, 3).random();
        assert_ne!(base, stream(2, Stream::Move, 2, 3).random::<u64>());
        assert_ne!(base, stream(1, Stream::Encounter, 2, 3).random::<u64>());
        assert_ne!(base, stream(1, Stream::Move, 3, 3).random::<u64>());
        assert_ne!(base, stream(1, Stream::Move, 2, 4).random::<u64>());
        assert_eq!(base, stream(1, Stream::Move, 2, 3).random::<u64>());
    }

    #[test]
    fn unit_and_key_are_the_streams_key_and_items_have_seeds_of_their_own() {
        let k = key(1, Stream::Evacuation, 2, 3);
        assert_eq!(
            unit(1, Stream::Evacuation, 2, 3),
            (k >> 11) as f64 / (1u64 << 53) as f64
        );
        assert_ne!(k, key(1, Stream::Orders, 2, 3));
        let (a, b) = (
            seed_for(1, Stream::Orders, 0),
            seed_for(1, Stream::Orders, 1),
        );
        assert_ne!(a, b);
        assert_ne!(a, seed_for(2, Stream::Orders, 0));
        // Order k's seed is not the key of any tick's line at the rescue points.
        assert!((0..1000).all(|t| key(1, Stream::Evacuation, t, 0) != a));
    }

    #[test]
    fn unit_is_uniform_enough() {
        let n = 100_000;
        let mean: f64 = (0..n).map(|i| unit(7, Stream::Vital, 0, i)).sum::<f64>() / n as f64;
        // Standard error of the mean of U(0,1) is 1/sqrt(12 n) ≈ 0.0009; allow 5 of them.
        assert!((mean - 0.5).abs() < 0.0046, "mean {mean}");
    }
}
