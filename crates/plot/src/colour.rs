//! Colours: one per health state (the same in every chart, map and page), and a
//! sequential scale for shares.

use std::fmt;

/// An sRGB colour, written `#rrggbb`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Colour(pub u8, pub u8, pub u8);

impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

impl Colour {
    /// The colour a share `t` (0 to 1) of the way to `other`.
    pub fn mix(self, other: Colour, t: f64) -> Colour {
        let t = t.clamp(0.0, 1.0);
        let m = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        Colour(m(self.0, other.0), m(self.1, other.1), m(self.2, other.2))
    }

    /// Black or white, whichever reads better on this colour.
    pub fn ink(self) -> Colour {
        let luma =
            0.299 * f64::from(self.0) + 0.587 * f64::from(self.1) + 0.114 * f64::from(self.2);
        if luma > 150.0 {
            Colour(0, 0, 0)
        } else {
            Colour(255, 255, 255)
        }
    }
}

/// The health states' names, in the engine's order (`Health::ALL`).
pub const STATE_NAMES: [&str; 8] = [
    "susceptible",
    "infected",
    "zombie",
    "hambie",
    "dead",
    "rescued",
    "quarantined",
    "reserve",
];

/// One colour per state, in [`STATE_NAMES`] order: a colour-blind-friendly palette
/// (Tableau 10).
pub const STATE_COLOURS: [Colour; 8] = [
    Colour(31, 119, 180),  // susceptible: blue
    Colour(255, 127, 14),  // infected: orange
    Colour(44, 160, 44),   // zombie: green
    Colour(148, 103, 189), // hambie: purple
    Colour(64, 64, 64),    // dead: dark grey
    Colour(23, 190, 207),  // rescued: cyan
    Colour(140, 86, 75),   // quarantined: brown
    Colour(188, 189, 34),  // reserve: olive
];

/// The colour of a state by name (grey for a name that is not a state).
pub fn state_colour(name: &str) -> Colour {
    STATE_NAMES
        .iter()
        .position(|n| *n == name)
        .map_or(Colour(128, 128, 128), |k| STATE_COLOURS[k])
}

/// Viridis (van der Walt and Smith), sampled at nine points: perceptually even, readable in
/// grey and by the colour-blind.
const VIRIDIS: [Colour; 9] = [
    Colour(68, 1, 84),
    Colour(71, 45, 123),
    Colour(59, 82, 139),
    Colour(44, 114, 142),
    Colour(33, 145, 140),
    Colour(39, 173, 129),
    Colour(92, 200, 99),
    Colour(170, 220, 50),
    Colour(253, 231, 37),
];

/// The sequential colour of a share `t` from 0 to 1 (viridis, dark to light).
pub fn sequential(t: f64) -> Colour {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (VIRIDIS.len() - 1) as f64;
    let k = (x.floor() as usize).min(VIRIDIS.len() - 2);
    VIRIDIS[k].mix(VIRIDIS[k + 1], x - k as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_written_as_hex() {
        assert_eq!(Colour(31, 119, 180).to_string(), "#1f77b4");
        assert_eq!(state_colour("zombie"), Colour(44, 160, 44));
    }

    #[test]
    fn the_scale_runs_from_dark_to_light() {
        assert_eq!(sequential(0.0), VIRIDIS[0]);
        assert_eq!(sequential(1.0), VIRIDIS[8]);
        assert_eq!(sequential(f64::NAN), VIRIDIS[0]);
        assert_eq!(sequential(0.0).ink(), Colour(255, 255, 255));
        assert_eq!(sequential(1.0).ink(), Colour(0, 0, 0));
    }
}
