//! The reference equations: Munz, Hudea, Imad & Smith? (2009), "When zombies attack!", and
//! Alemi et al. (2015), "You can run, you can hide", in their own symbols and units (rates
//! per day for Munz; Alemi's time unit is arbitrary).
//!
//! - basic SZR: S' = Π − βSZ − δS, Z' = βSZ + ζR − αSZ, R' = δS + αSZ − ζR
//! - latent SIZR: S' = Π − βSZ − δS, I' = βSZ − ρI − δI, Z' = ρI + ζR − αSZ,
//!   R' = δS + δI + αSZ − ζR
//! - quarantine SIZRQ: the latent model with I' −= κI, Z' −= σZ, Q' = κI + σZ − γQ,
//!   R' += γQ
//! - treatment: the latent model with a cure, S' += cZ, Z' −= cZ
//! - impulsive: the basic model, and at the n-th attack time t_n, ΔZ = −min(k·n, 1)·Z
//!   (the paper adds nothing to R; `kills_to_r = 1` adds the destroyed to R, as agents do)
//! - Alemi's SZR: S' = −βSZ, Z' = (β − κ)SZ, R' = κSZ, with α = κ/β (see [`crate::alemi`])
//!
//! Parameters the paper does not print (κ, σ, γ of the quarantine model, c of the treatment)
//! have defaults chosen here and marked as such in [`Model::parameters`].

use std::fmt;

/// A reference model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Model {
    /// Munz's basic SZR: susceptible, zombie, removed.
    Basic,
    /// Munz's SIZR: the bitten are infected for a while (rate ρ) before they turn.
    Latent,
    /// Munz's SIZRQ: the latent model with the infected and zombies taken into quarantine.
    Quarantine,
    /// Munz's latent model with a cure that makes zombies human again (rate c).
    Treatment,
    /// Munz's basic model with impulsive eradication: ever stronger attacks at fixed times.
    Impulsive,
    /// Alemi's SZR: bites and kills only, no rising, no natural deaths.
    Alemi,
}

/// One parameter: name, default, and what it is.
pub struct Parameter {
    /// The model's symbol, as `outbreak ode` takes it (`beta`, `Z0`, …).
    pub name: &'static str,
    /// The value used unless one is given.
    pub default: f64,
    /// What it is, with its unit, and whether the paper prints the default.
    pub meaning: &'static str,
}

const fn p(name: &'static str, default: f64, meaning: &'static str) -> Parameter {
    Parameter {
        name,
        default,
        meaning,
    }
}

const BASIC: [Parameter; 7] = [
    p(
        "alpha",
        0.005,
        "zombies destroyed per human-zombie pair per day (printed)",
    ),
    p(
        "beta",
        0.0095,
        "bites per human-zombie pair per day (printed)",
    ),
    p(
        "zeta",
        0.0001,
        "rate at which the removed rise, per day (printed)",
    ),
    p("delta", 0.0001, "natural death rate, per day (printed)"),
    p("pi", 0.0, "births per day (the paper sets it to 0)"),
    p("N", 500.0, "population (the paper's code)"),
    p(
        "Z0",
        1.0,
        "zombies at the start (the paper's code starts from none)",
    ),
];

impl Model {
    /// All models, by name.
    pub const ALL: [Model; 6] = [
        Model::Basic,
        Model::Latent,
        Model::Quarantine,
        Model::Treatment,
        Model::Impulsive,
        Model::Alemi,
    ];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Model::Basic => "basic",
            Model::Latent => "latent",
            Model::Quarantine => "quarantine",
            Model::Treatment => "treatment",
            Model::Impulsive => "impulsive",
            Model::Alemi => "alemi",
        }
    }

    /// A model by its name.
    pub fn by_name(name: &str) -> Option<Model> {
        Model::ALL.into_iter().find(|m| m.name() == name)
    }

    /// The state's columns, in order.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Model::Basic | Model::Impulsive | Model::Alemi => &["S", "Z", "R"],
            Model::Latent | Model::Treatment => &["S", "I", "Z", "R"],
            Model::Quarantine => &["S", "I", "Z", "R", "Q"],
        }
    }

    /// The parameters the model takes, with their defaults (Munz's printed values where
    /// he printed them).
    pub fn parameters(self) -> Vec<Parameter> {
        let mut v: Vec<Parameter> = BASIC.into_iter().collect();
        let set = |v: &mut Vec<Parameter>, name: &str, default: f64| {
            if let Some(q) = v.iter_mut().find(|q| q.name == name) {
                q.default = default;
            }
        };
        if matches!(self, Model::Latent | Model::Quarantine | Model::Treatment) {
            v.push(p("I0", 0.0, "infected at the start"));
        }
        match self {
            Model::Basic => {}
            Model::Latent => v.push(p(
                "rho",
                0.005,
                "rate at which the infected turn, per day (printed)",
            )),
            Model::Quarantine => {
                v.push(p(
                    "rho",
                    0.005,
                    "rate at which the infected turn, per day (printed)",
                ));
                v.push(p(
                    "kappa",
                    0.002,
                    "quarantine of the infected, per day (not printed; chosen for R0 > 1)",
                ));
                v.push(p(
                    "sigma",
                    0.05,
                    "quarantine of zombies, per day (not printed; chosen)",
                ));
                v.push(p(
                    "gamma",
                    0.1,
                    "removal of the quarantined, per day (not printed; chosen)",
                ));
            }
            Model::Treatment => {
                v.push(p(
                    "rho",
                    0.005,
                    "rate at which the infected turn, per day (printed)",
                ));
                v.push(p(
                    "c",
                    0.5,
                    "cure rate, per day (not printed; BioModels MODEL1008060001's value)",
                ));
            }
            Model::Impulsive => {
                set(&mut v, "alpha", 0.0075);
                set(&mut v, "beta", 0.0055);
                set(&mut v, "zeta", 0.09);
                set(&mut v, "N", 1000.0);
                v.push(p(
                    "k",
                    0.25,
                    "kill ratio: the n-th attack destroys k·n of the zombies (printed)",
                ));
                v.push(p(
                    "t_first",
                    2.5,
                    "time of the first attack, days (printed)",
                ));
                v.push(p("t_every", 2.5, "time between attacks, days (printed)"));
                v.push(p(
                    "kills_to_r",
                    0.0,
                    "1: the destroyed join R (as agents do); 0: they vanish (the paper)",
                ));
            }
            Model::Alemi => {
                v = vec![
                    p("beta", 1.0, "bites per human-zombie pair per unit time"),
                    p(
                        "kappa",
                        0.3,
                        "kills per human-zombie pair per unit time (alpha = kappa/beta)",
                    ),
                    p("N", 500.0, "population"),
                    p("Z0", 1.0, "zombies at the start"),
                ];
            }
        }
        v
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Parameter values by name, for one model.
#[derive(Clone, Debug, PartialEq)]
pub struct Values {
    /// The model the values are for.
    pub model: Model,
    names: Vec<&'static str>,
    values: Vec<f64>,
}

/// A parameter that is not the model's, or a bad value.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ParamError {
    /// A name the model does not take.
    #[error("`{name}` is not a parameter of the {model} model (it takes: {takes})")]
    Unknown {
        /// The name given.
        name: String,
        /// The model it was given for.
        model: Model,
        /// The names it does take, comma-separated.
        takes: String,
    },
    /// A value that makes no sense for the parameter.
    #[error("`{name}` = {value}: {why}")]
    Bad {
        /// The parameter.
        name: String,
        /// The value given.
        value: f64,
        /// What is wrong with it.
        why: &'static str,
    },
}

impl Values {
    /// The model's defaults.
    pub fn defaults(model: Model) -> Self {
        let ps = model.parameters();
        Self {
            model,
            names: ps.iter().map(|q| q.name).collect(),
            values: ps.iter().map(|q| q.default).collect(),
        }
    }

    /// The value of a parameter of this model.
    pub fn get(&self, name: &str) -> f64 {
        self.names
            .iter()
            .position(|n| *n == name)
            .map_or(0.0, |i| self.values[i])
    }

    /// Sets a parameter, refusing names the model does not take and values that make no
    /// sense (negative rates or counts, Z0 + I0 > N, not finite).
    pub fn set(&mut self, name: &str, value: f64) -> Result<(), ParamError> {
        let Some(i) = self.names.iter().position(|n| *n == name) else {
            return Err(ParamError::Unknown {
                name: name.into(),
                model: self.model,
                takes: self.names.join(", "),
            });
        };
        let bad = |why| ParamError::Bad {
            name: name.into(),
            value,
            why,
        };
        if !value.is_finite() {
            return Err(bad("not a finite number"));
        }
        if value < 0.0 {
            return Err(bad("must be 0 or more"));
        }
        if name == "t_every" && value == 0.0 {
            return Err(bad("must be more than 0"));
        }
        let old = std::mem::replace(&mut self.values[i], value);
        if self.get("Z0") + self.get("I0") > self.get("N") {
            self.values[i] = old;
            return Err(bad("Z0 + I0 must not exceed N"));
        }
        Ok(())
    }

    /// The state at time 0: everyone susceptible but `Z0` zombies and `I0` infected.
    pub fn initial(&self) -> Vec<f64> {
        let (n, z0, i0) = (self.get("N"), self.get("Z0"), self.get("I0"));
        match self.model {
            Model::Basic | Model::Impulsive | Model::Alemi => vec![n - z0, z0, 0.0],
            Model::Latent | Model::Treatment => vec![n - z0 - i0, i0, z0, 0.0],
            Model::Quarantine => vec![n - z0 - i0, i0, z0, 0.0, 0.0],
        }
    }

    /// The right-hand side `dy = f(y)`.
    pub fn rhs(&self, y: &[f64], dy: &mut [f64]) {
        let g = |n| self.get(n);
        let (alpha, beta, zeta, delta, pi) =
            (g("alpha"), g("beta"), g("zeta"), g("delta"), g("pi"));
        match self.model {
            Model::Basic | Model::Impulsive => {
                let (s, z, r) = (y[0], y[1], y[2]);
                dy[0] = pi - beta * s * z - delta * s;
                dy[1] = beta * s * z + zeta * r - alpha * s * z;
                dy[2] = delta * s + alpha * s * z - zeta * r;
            }
            Model::Latent | Model::Treatment => {
                let (s, i, z, r) = (y[0], y[1], y[2], y[3]);
                let (rho, c) = (g("rho"), g("c"));
                dy[0] = pi - beta * s * z - delta * s + c * z;
                dy[1] = beta * s * z - rho * i - delta * i;
                dy[2] = rho * i + zeta * r - alpha * s * z - c * z;
                dy[3] = delta * s + delta * i + alpha * s * z - zeta * r;
            }
            Model::Quarantine => {
                let (s, i, z, r, q) = (y[0], y[1], y[2], y[3], y[4]);
                let (rho, kappa, sigma, gamma) = (g("rho"), g("kappa"), g("sigma"), g("gamma"));
                dy[0] = pi - beta * s * z - delta * s;
                dy[1] = beta * s * z - rho * i - delta * i - kappa * i;
                dy[2] = rho * i + zeta * r - alpha * s * z - sigma * z;
                dy[3] = delta * s + delta * i + alpha * s * z - zeta * r + gamma * q;
                dy[4] = kappa * i + sigma * z - gamma * q;
            }
            Model::Alemi => {
                let (s, z) = (y[0], y[1]);
                let kappa = g("kappa");
                dy[0] = -beta * s * z;
                dy[1] = (beta - kappa) * s * z;
                dy[2] = kappa * s * z;
            }
        }
    }

    /// Times of the impulsive model's attacks up to `t_end`.
    pub fn attacks(&self, t_end: f64) -> Vec<f64> {
        if self.model != Model::Impulsive {
            return Vec::new();
        }
        let (first, every) = (self.get("t_first"), self.get("t_every"));
        (0..)
            .map(|n| first + every * f64::from(n))
            .take_while(|&t| t <= t_end)
            .take(100_000)
            .collect()
    }

    /// The impulsive model's n-th attack (1-based) on the state `y`.
    pub fn attack(&self, n: u32, y: &mut [f64]) {
        let fraction = (self.get("k") * f64::from(n)).min(1.0);
        let killed = fraction * y[1];
        y[1] -= killed;
        if self.get("kills_to_r") > 0.0 {
            y[2] += killed;
        }
    }
}
