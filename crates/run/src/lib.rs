//! One outbreak run from its start to its results folder: what `outbreak run` does apart
//! from flags, the progress bar and exit codes, for any program that drives a run (the
//! command line, a viewer's server that steps a live run, a binding to another language).
//!
//! A [`Run`] starts from a scenario ([`Run::from_scenario`]), from the latest checkpoint of
//! an interrupted or finished run ([`Run::resume`]), or as a variant of a run from one of
//! its checkpoints ([`Run::branch`]). It steps by ticks or to an hour, records every tick
//! (an [`outbreak_output::Recorder`]), saves a checkpoint every N ticks if asked, and
//! publishes its results folder atomically ([`Run::publish`]). Starting takes two steps:
//! the constructors check everything that can be checked without writing and return a
//! [`Prepared`] run, with what the caller should tell the user ([`Prepared::warnings`],
//! [`Prepared::resuming`]); [`Prepared::start`] then takes the folders.
//!
//! Nothing here prints or exits: every failure is a [`RunError`], which says whether the
//! input is at fault ([`RunError::is_bad_input`]).
//!
//! ```
//! use outbreak_run::{Options, Run};
//! use outbreak_scenario::Scenario;
//!
//! let text = outbreak_scenario::builtin("munz-basic").unwrap();
//! let sets = ["population.size=200".to_string(), "run.duration_hours=6".to_string()];
//! let scenario = Scenario::from_str(text, "munz-basic", &sets)?;
//! let dir = tempfile::tempdir()?;
//!
//! // A run that saves a checkpoint every 2 hours, stepped to hour 3 and read there.
//! let options = Options {
//!     checkpoint_every_hours: Some(2.0),
//!     ..Options::new(dir.path().join("run"))
//! };
//! let mut run = Run::from_scenario(&scenario, &options)?.start()?;
//! run.run_to_hour(3.0)?;
//! assert_eq!(run.sim().minutes(), 180.0);
//! assert_eq!(run.recorder().ticks().len(), 31);
//! run.run_to_end()?;
//! let summary = run.publish()?;
//! assert_eq!(summary.population, 200);
//! let checkpoint = dir.path().join("run/checkpoints/hour-0004.ckpt");
//! assert!(checkpoint.is_file());
//!
//! // The same run again from its checkpoint at hour 4: the variant is the scenario itself.
//! let prepared = Run::branch(&scenario, &checkpoint, &Options::new(dir.path().join("again")))?;
//! assert!(prepared.warnings().is_empty());
//! let mut again = prepared.start()?;
//! assert_eq!(again.tick(), 40);
//! again.run_to_end()?;
//! assert_eq!(again.publish()?.peak_zombies, summary.peak_zombies);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Checkpoints
//! A run that saves checkpoints works in its hidden in-progress folder `.{name}.partial`
//! beside the results folder, writing `checkpoints/hour-HHHH.ckpt` as it goes (atomically:
//! a killed run leaves at most a hidden temporary file); the other files are written at
//! the end and the folder is renamed to the results folder. Resuming reads the latest
//! checkpoint, builds the world again from the scenario it holds (refusing a checkpoint
//! whose people are not those that scenario places) and restores the rest; the
//! run then saves the same checkpoints and ends with the same files, byte for byte, as the
//! uninterrupted run.
//!
//! # Branches
//! A branch must have the world, the people, the seed and the clock of the run it starts
//! from, and end at or after the checkpoint ([`Mismatch`] says which differs). It keeps the
//! run's history up to the checkpoint and applies the variant's parameters and timeline
//! from the next tick. The variant's orders at a time at or before the checkpoint are
//! taken as fired (the checkpoint holds what the run did by then); later ones fire at their
//! time; orders on a count carry over their state from the same order of the run's
//! timeline or, new in the variant, wait for their count from the next tick. [`Warning`]s
//! name the orders this treats otherwise than the variant reads.

#![warn(missing_docs)]

mod branch;
mod checkpoints;
mod error;
mod run;

pub use branch::{Mismatch, Warning};
pub use error::RunError;
pub use run::{map_ticks, Options, Prepared, Run};

#[cfg(test)]
mod tests;
