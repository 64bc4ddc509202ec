//! [`Run`]: one simulation with its history, its checkpoints and its results folder, from
//! the start it was given to the folder it publishes.
//!
//! A run starts in two steps. [`Run::from_scenario`], [`Run::resume`] and [`Run::branch`]
//! read and check everything they can without writing anything, and give a [`Prepared`]
//! run that says what it found (the checkpoint it resumes, warnings about a branch);
//! [`Prepared::start`] then takes the results folder. A caller that shows those to a person
//! shows them before anything on disk changes.

use std::path::{Path, PathBuf};

use outbreak_engine::prelude::{Order, Params, Simulation, Snapshot, World};
use outbreak_output::{files, Recorder, Replay, RunSummary};
use outbreak_scenario::{Scenario, Streets};

use crate::branch::{self, Warning};
use crate::checkpoints;
use crate::error::RunError;

/// Where a run's results go, and whether it saves checkpoints on the way.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// The results folder. It must be missing or empty unless `force`.
    pub out: PathBuf,
    /// Replace the results folder if it holds files, and start afresh over an interrupted
    /// run's in-progress folder.
    pub force: bool,
    /// Save a checkpoint every this many simulated hours (a whole number of ticks) into the
    /// results folder's `checkpoints/` (`hour-0006.ckpt`, …); `None` for none.
    pub checkpoint_every_hours: Option<f64>,
}

impl Options {
    /// Results into `out`, which must be missing or empty, and no checkpoints.
    pub fn new(out: impl Into<PathBuf>) -> Self {
        Options {
            out: out.into(),
            force: false,
            checkpoint_every_hours: None,
        }
    }
}

/// One run: the simulation, its history, and where its checkpoints and results go.
///
/// Step it with [`step`](Run::step), [`step_ticks`](Run::step_ticks),
/// [`run_to_hour`](Run::run_to_hour) or [`run_to_end`](Run::run_to_end); each tick is
/// recorded, and a checkpoint is saved when one is due. Read the state between steps with
/// [`sim`](Run::sim) and [`recorder`](Run::recorder). [`publish`](Run::publish) writes the
/// results folder. The engine's parallel stages run on the current rayon pool: install one
/// around the steps to choose the number of threads (the results do not depend on it).
#[derive(Debug)]
pub struct Run {
    sim: Simulation,
    rec: Recorder,
    streets: Option<Streets>,
    scenario_toml: String,
    title: String,
    out: PathBuf,
    force: bool,
    every_ticks: u32,
    /// The in-progress folder, for a run that saves checkpoints.
    work: Option<PathBuf>,
}

/// A run checked and ready to start; nothing is written yet. See [`Prepared::start`].
#[derive(Debug)]
pub struct Prepared {
    pending: Pending,
    scenario_toml: String,
    title: String,
    name: String,
    out: PathBuf,
    force: bool,
    every_ticks: u32,
    tick: u32,
    warnings: Vec<Warning>,
}

/// What is left to do to start each kind of run.
#[derive(Debug)]
enum Pending {
    Scenario {
        sim: Box<Simulation>,
        rec: Recorder,
        streets: Option<Streets>,
    },
    Branch {
        checkpoint: PathBuf,
        world: Box<World>,
        params: Box<Params>,
        orders: Vec<Order>,
        streets: Option<Streets>,
        snapshot: Box<Snapshot>,
        parent_orders: Vec<Order>,
        rec: Recorder,
    },
    Resume {
        checkpoint: PathBuf,
        sim: Box<Simulation>,
        rec: Recorder,
        streets: Option<Streets>,
        /// The folder the checkpoints were found in, and all of them.
        source: PathBuf,
        found: Vec<PathBuf>,
    },
}

/// The interval in ticks, 0 for none.
fn interval(options: &Options, tick_minutes: f64) -> Result<u32, RunError> {
    options
        .checkpoint_every_hours
        .map_or(Ok(0), |hours| checkpoints::every_ticks(hours, tick_minutes))
}

fn check_out(out: &Path, force: bool) -> Result<(), RunError> {
    outbreak_output::check_out(out, force).map_err(RunError::Taken)
}

/// The ticks at which a run keeps its counts by place for its maps: the default hours, or
/// for a run that records a replay the start of every chunk (every hour), so that the
/// counts everywhere stand beside the people recorded.
pub fn map_ticks(sim: &Simulation, replay: bool) -> Vec<u32> {
    let run = &sim.params.run;
    if replay {
        let every = outbreak_output::replay::chunk_ticks(run.tick_minutes);
        let mut ticks: Vec<u32> = (0..=run.duration_ticks).step_by(every as usize).collect();
        if ticks.last() != Some(&run.duration_ticks) {
            ticks.push(run.duration_ticks);
        }
        return ticks;
    }
    outbreak_output::mapdata::map_ticks(
        outbreak_output::DEFAULT_MAP_HOURS,
        run.tick_minutes,
        run.duration_ticks,
    )
}

impl Run {
    /// A new run of `scenario` from tick 0.
    ///
    /// Fails if the checkpoint interval is not a whole number of ticks or the scenario does
    /// not build.
    pub fn from_scenario(scenario: &Scenario, options: &Options) -> Result<Prepared, RunError> {
        let every_ticks = interval(options, scenario.params.run.tick_minutes)?;
        let (sim, streets, crowding) = scenario.build_warned()?;
        let mut rec = Recorder::with_map(&sim, map_ticks(&sim, scenario.record.is_some()));
        if let Some(zones) = &scenario.record {
            // The zones' names were checked when the scenario was built.
            let replay = Replay::new(&sim, zones).map_err(RunError::RecordZone)?;
            rec = rec.with_replay(replay);
        }
        Ok(Prepared {
            pending: Pending::Scenario {
                sim: Box::new(sim),
                rec,
                streets,
            },
            scenario_toml: scenario.to_toml(),
            title: scenario.name.clone(),
            name: scenario.name.clone(),
            out: options.out.clone(),
            force: options.force,
            every_ticks,
            tick: 0,
            warnings: crowding.into_iter().map(Warning::World).collect(),
        })
    }

    /// The run whose results folder is `dir`, from its latest checkpoint: an interrupted
    /// run from its in-progress folder, or a finished one from its `checkpoints/`. It goes
    /// on saving checkpoints as it did and ends, in `out`, with the same files, byte for
    /// byte, as if it had not stopped (`out` may be `dir`: with `force` for a finished run).
    ///
    /// Fails if there is no checkpoint, the latest does not read back or does not fit its
    /// own scenario, or `out` cannot take the results.
    pub fn resume(dir: &Path, out: &Path, force: bool) -> Result<Prepared, RunError> {
        let partial = checkpoints::in_progress_folder(dir)?.join(files::CHECKPOINTS);
        let finished = dir.join(files::CHECKPOINTS);
        let mut source = None;
        for folder in [&partial, &finished] {
            if folder.is_dir() {
                let found = checkpoints::list(folder)?;
                if let Some(latest) = found.last().cloned() {
                    source = Some((folder.clone(), found, latest));
                    break;
                }
            }
        }
        let Some((source, found, latest)) = source else {
            return Err(RunError::NoCheckpoint {
                dir: dir.to_path_buf(),
                partial,
                finished,
            });
        };
        let c = checkpoints::read(&latest)?;
        let (scenario, parts) = checkpoints::scenario_of(&latest, &c)?;
        check_out(out, force)?;
        let tick = c.tick();
        let sim = Simulation::restore(parts.world, scenario.params, parts.orders, c.snapshot)
            .map_err(|why| RunError::Restore {
                checkpoint: latest.clone(),
                why,
            })?;
        Ok(Prepared {
            pending: Pending::Resume {
                checkpoint: latest,
                sim: Box::new(sim),
                rec: c.recorder,
                streets: parts.streets,
                source,
                found,
            },
            scenario_toml: c.scenario_toml,
            title: c.title,
            name: scenario.name,
            out: out.to_path_buf(),
            force,
            every_ticks: c.every_ticks,
            tick,
            warnings: Vec::new(),
        })
    }

    /// `variant`, a variant of the run that saved `checkpoint` (same world, people, seed
    /// and clock), from that checkpoint on: the run's history up to it is kept, and the
    /// variant's parameters and timeline apply from the next tick (see
    /// [the rules for orders](crate#branches)). The results cover the whole run from tick 0.
    /// [`Prepared::warnings`] lists the orders the branch takes otherwise than the variant
    /// reads.
    ///
    /// Fails if the interval is not a whole number of ticks, the checkpoint does not read
    /// back or does not fit its scenario, the variant does not build, or it is not a
    /// variant of that run ([`RunError::Branch`]).
    pub fn branch(
        variant: &Scenario,
        checkpoint: &Path,
        options: &Options,
    ) -> Result<Prepared, RunError> {
        let every_ticks = interval(options, variant.params.run.tick_minutes)?;
        let c = checkpoints::read(checkpoint)?;
        let (parent, pp) = checkpoints::scenario_of(checkpoint, &c)?;
        let vp = variant.build_parts()?;
        let tick = c.tick();
        branch::check(variant, &vp, &parent, &pp, tick).map_err(|why| RunError::Branch {
            checkpoint: checkpoint.to_path_buf(),
            why,
        })?;
        let warnings =
            branch::warnings(&vp.orders, &pp.orders, tick, parent.params.run.tick_minutes);
        Ok(Prepared {
            pending: Pending::Branch {
                checkpoint: checkpoint.to_path_buf(),
                world: Box::new(vp.world),
                params: Box::new(variant.params.clone()),
                orders: vp.orders,
                streets: vp.streets,
                snapshot: Box::new(c.snapshot),
                parent_orders: pp.orders,
                rec: c.recorder,
            },
            scenario_toml: variant.to_toml(),
            title: variant.name.clone(),
            name: variant.name.clone(),
            out: options.out.clone(),
            force: options.force,
            every_ticks,
            tick,
            warnings,
        })
    }

    /// The simulation at the last tick stepped.
    pub fn sim(&self) -> &Simulation {
        &self.sim
    }

    /// The history so far (from tick 0, for a resumed run and a branch too).
    pub fn recorder(&self) -> &Recorder {
        &self.rec
    }

    /// The last tick stepped.
    pub fn tick(&self) -> u32 {
        self.sim.tick()
    }

    /// Whether the run has reached its duration.
    pub fn finished(&self) -> bool {
        self.sim.finished()
    }

    /// The results folder.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// The scenario as run (written as `scenario.toml`): running it again gives this run.
    pub fn scenario_toml(&self) -> &str {
        &self.scenario_toml
    }

    /// The streets drawn under a world from OpenStreetMap (`None` for other worlds).
    pub fn streets(&self) -> Option<&Streets> {
        self.streets.as_ref()
    }

    /// Goes on as `variant` from the next tick, as a [branch](crate#branches) from the tick
    /// reached would, without a checkpoint: the history so far is kept, and the variant's
    /// parameters and timeline apply from the next tick. `variant` must keep this run's
    /// world, people, seed and clock, and not end before the tick reached. Its orders are
    /// paired with the run's as a branch pairs them, so a variant that only adds orders
    /// after the tick reached, at the end of the timeline, is a run of that variant: running
    /// the [`scenario_toml`](Run::scenario_toml) this leaves gives the same results, byte for
    /// byte. Returns what the variant takes otherwise than it reads (as
    /// [`Prepared::warnings`]).
    pub fn amend(&mut self, variant: &Scenario) -> Result<Vec<Warning>, RunError> {
        let tick = self.sim.tick();
        let amend = |why: String| RunError::Amend { tick, why };
        let parent = Scenario::from_str(&self.scenario_toml, &self.title, &[])?;
        let pp = parent.build_parts()?;
        let vp = variant.build_parts()?;
        branch::check(variant, &vp, &parent, &pp, tick).map_err(|m| amend(m.to_string()))?;
        let tick_minutes = parent.params.run.tick_minutes;
        let warnings = branch::warnings(&vp.orders, &self.sim.orders, tick, tick_minutes);
        let sim = Simulation::branch(
            vp.world,
            variant.params.clone(),
            vp.orders,
            self.sim.snapshot(),
            &self.sim.orders,
        )
        .map_err(|e| amend(e.to_string()))?;
        self.sim = sim;
        self.streets = vp.streets;
        self.scenario_toml = variant.to_toml();
        self.title = variant.name.clone();
        Ok(warnings)
    }

    /// Ends the run at the tick reached: its scenario's duration becomes the time reached,
    /// so that the folder [`publish`](Run::publish) writes is that of a run ending there,
    /// byte for byte, and its `scenario.toml` runs again to the same files. Nothing to do
    /// for a finished run; a run still at tick 0 cannot end (no run has no ticks).
    pub fn end_now(&mut self) -> Result<(), RunError> {
        if self.sim.finished() {
            return Ok(());
        }
        let tick = self.sim.tick();
        let mut shorter = Scenario::from_str(&self.scenario_toml, &self.title, &[])?;
        shorter.raw.run.duration_hours = Some(self.sim.minutes() / 60.0);
        let shorter = Scenario::from_str(&shorter.to_toml(), &self.title, &[])?;
        if shorter.params.run.duration_ticks != tick {
            return Err(RunError::Amend {
                tick,
                why: format!(
                    "{} hours do not come back as {tick} ticks",
                    self.sim.minutes() / 60.0
                ),
            });
        }
        self.amend(&shorter)?;
        self.rec.end_at(&self.sim);
        Ok(())
    }

    /// Steps one tick, records it, and saves a checkpoint if one is due. Does nothing once
    /// the run is finished.
    pub fn step(&mut self) -> Result<(), RunError> {
        if self.sim.finished() {
            return Ok(());
        }
        self.sim.step();
        self.rec.observe(&self.sim);
        self.save_if_due()
    }

    /// Steps `ticks` ticks, or to the end of the run if that comes first.
    pub fn step_ticks(&mut self, ticks: u32) -> Result<(), RunError> {
        for _ in 0..ticks {
            if self.sim.finished() {
                break;
            }
            self.step()?;
        }
        Ok(())
    }

    /// Steps to the first tick that ends at or after `hour` simulated hours from the start,
    /// or to the end of the run if that comes first.
    pub fn run_to_hour(&mut self, hour: f64) -> Result<(), RunError> {
        while !self.sim.finished() && self.sim.minutes() < hour * 60.0 {
            self.step()?;
        }
        Ok(())
    }

    /// Steps to the end of the run.
    pub fn run_to_end(&mut self) -> Result<(), RunError> {
        while !self.sim.finished() {
            self.step()?;
        }
        Ok(())
    }

    fn save_if_due(&self) -> Result<(), RunError> {
        let Some(work) = &self.work else {
            return Ok(());
        };
        let tick = self.sim.tick();
        if self.every_ticks == 0 || !tick.is_multiple_of(self.every_ticks) {
            return Ok(());
        }
        let name = checkpoints::file_name(tick, self.sim.params.run.tick_minutes);
        let path = work.join(files::CHECKPOINTS).join(name);
        outbreak_output::write_checkpoint(
            &path,
            &self.scenario_toml,
            &self.title,
            self.every_ticks,
            &self.sim.snapshot(),
            &self.rec,
        )
        .map_err(|source| {
            // A run that could not save its first checkpoint (a full disk) has nothing to
            // resume from: it leaves no in-progress folder either.
            let saved = checkpoints::list(&work.join(files::CHECKPOINTS));
            if saved.is_ok_and(|c| c.is_empty()) {
                let _ = std::fs::remove_dir_all(work);
            }
            RunError::Save { path, source }
        })
    }

    /// Writes the results folder for the run so far (normally at its end) and publishes
    /// it atomically at [`out`](Run::out): the run files, `map.svg` for a world from a map,
    /// and the checkpoints of a run that saved them. Returns the summary written.
    pub fn publish(self) -> Result<RunSummary, RunError> {
        let Run {
            sim,
            rec,
            streets,
            scenario_toml,
            out,
            force,
            work,
            ..
        } = self;
        let write = |dir: &Path| {
            outbreak_output::write_run_folder(dir, &rec, &sim, &scenario_toml, streets.as_deref())
        };
        let published = match &work {
            None => outbreak_output::publish(&out, force, write),
            Some(work) => write(work).and_then(|summary| {
                outbreak_output::publish_folder(work, &out, force)?;
                Ok(summary)
            }),
        };
        published.map_err(|source| RunError::Publish { out, source })
    }
}

impl Prepared {
    /// What the branch takes otherwise than the variant reads (empty for other runs).
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// The checkpoint a resumed run continues from (`None` for other runs).
    pub fn resuming(&self) -> Option<&Path> {
        match &self.pending {
            Pending::Resume { checkpoint, .. } => Some(checkpoint),
            _ => None,
        }
    }

    /// The scenario's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The tick the run starts from: 0, or the checkpoint's.
    pub fn tick(&self) -> u32 {
        self.tick
    }

    /// Starts the run: takes the results folder and, for a run that saves checkpoints, its
    /// in-progress folder (a resumed run carries on in its own, or brings its earlier
    /// checkpoints into the new one).
    ///
    /// Fails if the results folder cannot take the results, an interrupted run waits in
    /// the in-progress folder and `force` is not set, the engine refuses the checkpoint
    /// of a branch, or the folders cannot be made.
    pub fn start(self) -> Result<Run, RunError> {
        let Prepared {
            pending,
            scenario_toml,
            title,
            out,
            force,
            every_ticks,
            ..
        } = self;
        let (sim, rec, streets, work) = match pending {
            Pending::Scenario { sim, rec, streets } => {
                check_out(&out, force)?;
                let work = (every_ticks > 0)
                    .then(|| checkpoints::claim(&out, force))
                    .transpose()?;
                (*sim, rec, streets, work)
            }
            Pending::Branch {
                checkpoint,
                world,
                params,
                orders,
                streets,
                snapshot,
                parent_orders,
                rec,
            } => {
                let sim = Simulation::branch(*world, *params, orders, *snapshot, &parent_orders)
                    .map_err(|why| RunError::Restore { checkpoint, why })?;
                check_out(&out, force)?;
                let work = (every_ticks > 0)
                    .then(|| checkpoints::claim(&out, force))
                    .transpose()?;
                (sim, rec, streets, work)
            }
            Pending::Resume {
                sim,
                rec,
                streets,
                source,
                found,
                ..
            } => {
                let work = checkpoints::in_progress_folder(&out)?;
                let work = if checkpoints::same_folder(&source, &work.join(files::CHECKPOINTS)) {
                    // The interrupted run's own folder: carry on in it.
                    checkpoints::remove_temporaries(&source)?;
                    work
                } else {
                    // A finished run, or results going elsewhere: the earlier checkpoints
                    // come along.
                    let work = checkpoints::claim(&out, force)?;
                    checkpoints::bring(&found, &work.join(files::CHECKPOINTS))?;
                    work
                };
                (*sim, rec, streets, Some(work))
            }
        };
        Ok(Run {
            sim,
            rec,
            streets,
            scenario_toml,
            title,
            out,
            force,
            every_ticks,
            work,
        })
    }
}
