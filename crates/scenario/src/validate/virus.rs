//! `[virus]`: bite, kill, rising and death rates, the hambie fraction, a bite's handling
//! time, and the latent time
//! with the parameters each distribution takes.

use super::{or_list, Check, MAX_RATE};
use crate::error::{Missing, NotAllowed, ScenarioError, Unknown};
use crate::raw::{RawLatent, RawVirus};
use outbreak_engine::params::{Latent, VirusParams};

/// The latent-time distributions and the parameters each takes (besides `distribution`).
const DISTRIBUTIONS: &[(&str, &[&str])] = &[
    ("immediate", &[]),
    ("fixed", &["minutes"]),
    ("exponential", &["mean_minutes"]),
    ("lognormal", &["median_minutes", "sigma"]),
    ("gamma", &["mean_minutes", "shape"]),
];

pub(super) fn check(c: &Check, v: &RawVirus) -> Result<VirusParams, ScenarioError> {
    let latent = match &v.latent {
        None => Latent::LogNormal {
            median_minutes: 15.0,
            sigma: 1.0,
        },
        Some(l) => latent(c, l)?,
    };
    Ok(VirusParams {
        bite_rate_per_hour: c.num(
            "virus.bite_rate_per_hour",
            v.bite_rate_per_hour,
            0.5,
            0.0,
            MAX_RATE,
        )?,
        kill_rate_per_hour: c.num(
            "virus.kill_rate_per_hour",
            v.kill_rate_per_hour,
            0.1,
            0.0,
            MAX_RATE,
        )?,
        rise_rate_per_hour: c.num(
            "virus.rise_rate_per_hour",
            v.rise_rate_per_hour,
            0.0,
            0.0,
            MAX_RATE,
        )?,
        death_rate_per_hour: c.num(
            "virus.death_rate_per_hour",
            v.death_rate_per_hour,
            0.0,
            0.0,
            MAX_RATE,
        )?,
        latent,
        hambie_fraction: c.num("virus.hambie_fraction", v.hambie_fraction, 0.002, 0.0, 1.0)?,
        bite_handling_minutes: c.num(
            "virus.bite_handling_minutes",
            v.bite_handling_minutes,
            1.0,
            0.0,
            60.0,
        )?,
    })
}

/// Warnings where the tick is coarse for the virus (docs/tick.md): latent times are whole
/// ticks, rounded up, so a tick adds half its length to each on average; and on a world
/// where neighbours meet (the lattice) each pair is drawn once a tick from the state at its
/// start, which is exact only while `rate × tick` is small. Bites and kills within one
/// place are played out in time order whatever the tick, and need no warning.
pub(super) fn tick_warnings(
    virus: &VirusParams,
    tick_minutes: f64,
    neighbour_contact: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    let typical = match virus.latent {
        Latent::Immediate => None,
        Latent::Fixed { minutes } => Some(("its time", minutes)),
        Latent::Exponential { mean_minutes } | Latent::Gamma { mean_minutes, .. } => {
            Some(("its mean", mean_minutes))
        }
        Latent::LogNormal { median_minutes, .. } => Some(("its median", median_minutes)),
    };
    if let Some((what, minutes)) = typical.filter(|t| t.1 > 0.0) {
        let added = 0.5 * tick_minutes / minutes;
        if added > LATENT_SHARE {
            out.push(format!(
                "`run.tick_minutes`: ticks of {tick_minutes} minutes are coarse for a latent time of {what} {minutes} minutes: latent times are whole ticks, rounded up, which lengthens them by about {:.0} % (use ticks of at most {} minutes to keep it under {:.0} %)",
                100.0 * added,
                round2(2.0 * LATENT_SHARE * minutes),
                100.0 * LATENT_SHARE
            ));
        }
    }
    if neighbour_contact {
        let rate = virus.bite_rate_per_hour.max(virus.kill_rate_per_hour);
        let per_tick = rate * tick_minutes / 60.0;
        if per_tick > PAIR_SHARE {
            out.push(format!(
                "`run.tick_minutes`: on a world where neighbours meet, each human–zombie pair is drawn once a tick from the state at its start, and a rate of {rate} per hour over ticks of {tick_minutes} minutes gives a pair {per_tick:.2} events a tick, so bites and kills in the same tick are not resolved in order (use ticks of at most {} minutes to keep it under {PAIR_SHARE})",
                round2(60.0 * PAIR_SHARE / rate)
            ));
        }
    }
    out
}

/// Largest share by which whole-tick rounding may lengthen a latent time unwarned.
const LATENT_SHARE: f64 = 0.2;
/// Largest expected number of events of one pair in a tick, on a lattice, unwarned.
const PAIR_SHARE: f64 = 0.05;

fn round2(x: f64) -> f64 {
    let p = 10f64.powf(x.abs().log10().floor() - 1.0);
    (x / p).floor() * p
}

/// `virus.latent`: a distribution given only its own parameters, each in range.
fn latent(c: &Check, l: &RawLatent) -> Result<Latent, ScenarioError> {
    let key = |f: &str| format!("virus.latent.{f}");
    let distribution = l.distribution.as_str();
    let takes = DISTRIBUTIONS
        .iter()
        .find(|d| d.0 == distribution)
        .map(|d| d.1)
        .ok_or_else(|| {
            c.error(
                &key("distribution"),
                Unknown::Choice {
                    what: "distribution",
                    name: distribution.into(),
                    allowed: or_list(DISTRIBUTIONS.iter().map(|d| d.0)),
                    suggestion: None,
                },
            )
        })?;
    for (parameter, given) in [
        ("minutes", l.minutes.is_some()),
        ("mean_minutes", l.mean_minutes.is_some()),
        ("median_minutes", l.median_minutes.is_some()),
        ("sigma", l.sigma.is_some()),
        ("shape", l.shape.is_some()),
    ] {
        if given && !takes.contains(&parameter) {
            return Err(c.error(
                &key(parameter),
                NotAllowed::Parameter {
                    parameter,
                    distribution: distribution.into(),
                    takes,
                },
            ));
        }
    }
    let need = |parameter: &'static str, x: Option<f64>| {
        x.ok_or_else(|| {
            c.error(
                &key(parameter),
                Missing::Parameter {
                    distribution: distribution.into(),
                    parameter,
                },
            )
        })
    };
    // The ranges: a time over 0 and at most 10⁷ minutes (a fixed time may be 0).
    let minutes = |parameter: &'static str, x: Option<f64>| {
        c.pos(&key(parameter), Some(need(parameter, x)?), 0.0, 1e7)
    };
    Ok(match distribution {
        "immediate" => Latent::Immediate,
        "fixed" => Latent::Fixed {
            minutes: c.num(
                &key("minutes"),
                Some(need("minutes", l.minutes)?),
                0.0,
                0.0,
                1e7,
            )?,
        },
        "exponential" => Latent::Exponential {
            mean_minutes: minutes("mean_minutes", l.mean_minutes)?,
        },
        "lognormal" => Latent::LogNormal {
            median_minutes: minutes("median_minutes", l.median_minutes)?,
            sigma: c.pos(&key("sigma"), Some(need("sigma", l.sigma)?), 0.0, 10.0)?,
        },
        "gamma" => Latent::Gamma {
            mean_minutes: minutes("mean_minutes", l.mean_minutes)?,
            shape: c.pos(&key("shape"), Some(need("shape", l.shape)?), 0.0, 1e4)?,
        },
        _ => unreachable!("checked against DISTRIBUTIONS above"),
    })
}

#[cfg(test)]
mod tests {
    use crate::Scenario;

    fn latent(spec: &str) -> Result<Scenario, crate::ScenarioError> {
        let src = format!(
            "[world]\ngenerator = \"well-mixed\"\n[population]\nsize = 10\n[virus]\nlatent = {spec}\n"
        );
        Scenario::from_str(&src, "t.toml", &[])
    }

    #[test]
    fn each_distribution_takes_its_own_parameters() {
        let e = latent("{ distribution = \"immediate\", minutes = 3 }").unwrap_err();
        assert_eq!(
            e.message(),
            "`minutes` is not a parameter of the immediate distribution (it takes: nothing)"
        );
        let e = latent("{ distribution = \"gamma\", mean_minutes = 3 }").unwrap_err();
        assert_eq!(e.key, "virus.latent.shape");
        assert_eq!(e.message(), "the gamma distribution needs `shape`");
        let e = latent("{ distribution = \"weibull\" }").unwrap_err();
        assert_eq!(
            e.message(),
            "unknown distribution `weibull`: expected immediate, fixed, exponential, lognormal or gamma"
        );
        assert!(latent("{ distribution = \"fixed\", minutes = 0 }").is_ok());
        assert!(latent("{ distribution = \"exponential\", mean_minutes = 0 }").is_err());
    }
}
