//! What a branch must share with the run it starts from, and what it does that is allowed
//! but probably not meant.
//!
//! A branch keeps the run's world, people, seed and clock and its history up to the
//! checkpoint, and applies the variant's parameters and timeline from the next tick on.
//! Orders of the variant at a time at or before the checkpoint are taken as fired (the
//! checkpoint holds what the original run did by then); later ones fire at their time;
//! orders on a count carry over their state from the same order of the original timeline,
//! or, new in the variant, wait for their count from the next tick (see
//! `Simulation::branch`).

use std::fmt;

use outbreak_engine::prelude::{Order, Trigger};
use outbreak_scenario::{Parts, Scenario};

/// How a variant differs from the run it would branch from, so that it cannot.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Mismatch {
    /// Another world (`[world]`).
    World,
    /// Another seed.
    Seed {
        /// The variant's.
        variant: u64,
        /// The run's.
        run: u64,
    },
    /// Another tick or start hour.
    Clock {
        /// The variant's tick, in minutes.
        variant_tick_minutes: f64,
        /// The variant's start hour.
        variant_start_hour: f64,
        /// The run's tick, in minutes.
        run_tick_minutes: f64,
        /// The run's start hour.
        run_start_hour: f64,
    },
    /// Other people (`[population]`, its characters, the sizes of squads).
    People,
    /// The variant ends before the checkpoint.
    EndsBefore {
        /// The variant's end, in simulated hours.
        end_hour: f64,
        /// The checkpoint's time, in simulated hours.
        checkpoint_hour: f64,
    },
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mismatch::World => f.write_str("its world is not the run's (`[world]` must be the same)"),
            Mismatch::Seed { variant, run } => write!(f, "its seed {variant} is not the run's {run}"),
            Mismatch::Clock {
                variant_tick_minutes,
                variant_start_hour,
                run_tick_minutes,
                run_start_hour,
            } => write!(
                f,
                "its clock (tick {variant_tick_minutes} min from {variant_start_hour}:00) is not the run's (tick {run_tick_minutes} min from {run_start_hour}:00)"
            ),
            Mismatch::People => f.write_str(
                "its people are not the run's (`[population]`, its characters and the sizes of squads must be the same)",
            ),
            Mismatch::EndsBefore {
                end_hour,
                checkpoint_hour,
            } => write!(
                f,
                "it ends at hour {end_hour}, before the checkpoint (hour {checkpoint_hour})"
            ),
        }
    }
}

/// Something a branch does that is allowed but probably not meant: a sentence for the user.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Warning {
    /// An order of the variant at or before the checkpoint that the run did not give:
    /// taken as fired, it changes nothing.
    TakenAsFired {
        /// The order's label.
        label: String,
        /// Its time, in simulated hours.
        at_hour: f64,
        /// The checkpoint's time, in simulated hours.
        checkpoint_hour: f64,
    },
    /// An order the run gave by the checkpoint that the variant changes, drops, or moves
    /// after the checkpoint (`again`: then it fires a second time).
    FiredBefore {
        /// The order's label.
        label: String,
        /// When the run gave it, in simulated hours.
        at_hour: f64,
        /// The checkpoint's time, in simulated hours.
        checkpoint_hour: f64,
        /// The variant gives the same order after the checkpoint.
        again: bool,
    },
    /// What the built world warns of (a map holding fewer people than are placed in it),
    /// a sentence naming the key.
    World(String),
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::World(text) => f.write_str(text),
            Warning::TakenAsFired {
                label,
                at_hour,
                checkpoint_hour,
            } => write!(
                f,
                "order `{label}` at hour {at_hour} is at or before the checkpoint (hour {checkpoint_hour}): taken as fired, it changes nothing"
            ),
            Warning::FiredBefore {
                label,
                at_hour,
                checkpoint_hour,
                again,
            } => {
                let what = if *again {
                    "the variant has it after the checkpoint, so it fires a second time"
                } else {
                    "the variant changes or drops it, but what it did is in the checkpoint"
                };
                write!(
                    f,
                    "order `{label}` fired at hour {at_hour} in the original run, before the checkpoint (hour {checkpoint_hour}); {what}"
                )
            }
        }
    }
}

/// Checks that the variant (`variant`, built as `vp`) can branch at `tick` from the run of
/// `parent` (built as `pp`).
pub(crate) fn check(
    variant: &Scenario,
    vp: &Parts,
    parent: &Scenario,
    pp: &Parts,
    tick: u32,
) -> Result<(), Mismatch> {
    // NOTE: the world first (it does not depend on the seed), then the seed and the clock,
    // then the people (who are dealt out by the seed), so each refusal names its cause.
    if vp.world != pp.world {
        return Err(Mismatch::World);
    }
    let (v, p) = (&variant.params.run, &parent.params.run);
    if v.seed != p.seed {
        return Err(Mismatch::Seed {
            variant: v.seed,
            run: p.seed,
        });
    }
    if v.tick_minutes != p.tick_minutes || v.start_hour != p.start_hour {
        return Err(Mismatch::Clock {
            variant_tick_minutes: v.tick_minutes,
            variant_start_hour: v.start_hour,
            run_tick_minutes: p.tick_minutes,
            run_start_hour: p.start_hour,
        });
    }
    if vp.pop != pp.pop {
        return Err(Mismatch::People);
    }
    if v.duration_ticks < tick {
        return Err(Mismatch::EndsBefore {
            end_hour: hours(v.duration_ticks, p.tick_minutes),
            checkpoint_hour: hours(tick, p.tick_minutes),
        });
    }
    Ok(())
}

/// The orders at a time that the branch at `tick` takes otherwise than the variant reads:
/// the variant's at or before the checkpoint, and the run's that fired by then and that the
/// variant does not keep.
pub(crate) fn warnings(
    variant: &[Order],
    parent: &[Order],
    tick: u32,
    tick_minutes: f64,
) -> Vec<Warning> {
    let same = |o: &Order, q: &Order| q.trigger == o.trigger && q.action == o.action;
    let checkpoint_hour = hours(tick, tick_minutes);
    let mut found = Vec::new();
    for o in variant {
        if let Trigger::At { tick: at } = o.trigger {
            if at <= tick && !parent.iter().any(|q| same(o, q)) {
                found.push(Warning::TakenAsFired {
                    label: o.label.clone(),
                    at_hour: hours(at, tick_minutes),
                    checkpoint_hour,
                });
            }
        }
    }
    for o in parent {
        if let Trigger::At { tick: at } = o.trigger {
            if at <= tick && !variant.iter().any(|q| same(o, q)) {
                let again = variant.iter().any(|q| {
                    q.action == o.action && matches!(q.trigger, Trigger::At { tick: t } if t > tick)
                });
                found.push(Warning::FiredBefore {
                    label: o.label.clone(),
                    at_hour: hours(at, tick_minutes),
                    checkpoint_hour,
                    again,
                });
            }
        }
    }
    found
}

/// Simulated hours at a tick.
fn hours(tick: u32, tick_minutes: f64) -> f64 {
    f64::from(tick) * tick_minutes / 60.0
}
