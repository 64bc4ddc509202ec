//! Where a run starts, and the checkpoints it writes: `outbreak run` from tick 0, from the
//! latest checkpoint of an interrupted run (`--resume DIR`), or as a variant of a run from
//! one of its checkpoints (`VARIANT --from FILE`, a branch); and, with
//! `--checkpoint-every HOURS`, a checkpoint every HOURS of simulated time.
//!
//! Layout. A run that writes checkpoints works in its *in-progress folder*,
//! `.{name}.partial` beside `--out` (hidden, and named after `--out` alone so that
//! `--resume` finds it). Checkpoints go to `checkpoints/hour-HHHH.ckpt` in it as the run
//! goes (`hour-0001.5.ckpt` for a fraction of an hour), each written atomically; the other
//! files are written at the end, and the folder is then renamed to `--out`. A killed run
//! leaves only the hidden folder, never a folder that looks complete.
//!
//! Resuming reads the latest checkpoint, builds the world again from the scenario it holds
//! and restores the rest; the run then goes on writing the same checkpoints and ends with
//! the same files, byte for byte, as the uninterrupted run.
//!
//! Branching checks that the variant builds the same world and the same people (and has
//! the same seed, tick and start hour) as the checkpoint's run, keeps the run's history up
//! to the checkpoint, and applies the variant's parameters and timeline from the next tick
//! on. Orders of the variant at a time at or before the checkpoint are taken as fired (the
//! checkpoint holds what the original run did by then); later ones fire at their time;
//! orders on a count carry over their state from the same order of the original timeline,
//! or, new in the variant, wait for their count from the next tick (see
//! `Simulation::branch`).

use std::path::{Path, PathBuf};

use anyhow::Context;
use outbreak_engine::authority::Trigger;
use outbreak_engine::Simulation;
use outbreak_output::{files, Checkpoint, OutputError, Recorder};
use outbreak_scenario::{Parts, Scenario, Streets};

use crate::{bad, load, BadInput, RunArgs};

/// A run ready to step: the scenario as run, the simulation and its history at the tick
/// it starts from, where its results go and how it saves checkpoints.
pub(crate) struct Start {
    /// The scenario as run (written as `scenario.toml`).
    pub scenario_toml: String,
    /// The chart's title (the scenario's name).
    pub title: String,
    pub sim: Simulation,
    pub streets: Option<Streets>,
    pub rec: Recorder,
    pub out: PathBuf,
    pub saver: Saver,
}

/// Writes a run's checkpoints into its in-progress folder and publishes that folder at the
/// end; a run without checkpoints publishes through a temporary folder instead.
pub(crate) struct Saver {
    /// Ticks between checkpoints (0: none).
    every_ticks: u32,
    /// The in-progress folder, for a run with checkpoints.
    work: Option<PathBuf>,
    scenario_toml: String,
    title: String,
}

/// Where the run of `args` starts.
pub(crate) fn start(args: &RunArgs) -> anyhow::Result<Start> {
    if let Some(dir) = &args.resume {
        return resume(dir, args);
    }
    let name = args
        .scenario
        .as_deref()
        .unwrap_or(outbreak_scenario::DEFAULT);
    let scenario = load(name, &args.set, args.seed)?;
    let every_ticks = match args.checkpoint_every {
        Some(hours) => every_ticks(hours, scenario.params.run.tick_minutes)?,
        None => 0,
    };
    let (sim, streets, rec) = match &args.from {
        Some(file) => branch(file, name, &scenario)?,
        None => {
            let (sim, streets) = scenario.build_drawn().map_err(bad)?;
            let rec = Recorder::new(&sim);
            (sim, streets, rec)
        }
    };
    let seed = sim.params.run.seed;
    let out = args.out.clone().unwrap_or_else(|| {
        let stem = Path::new(name)
            .file_stem()
            .map_or_else(|| name.to_string(), |s| s.to_string_lossy().into_owned());
        PathBuf::from("runs").join(format!("{stem}-{seed}"))
    });
    check_out(&out, args.force)?;
    let scenario_toml = scenario.to_toml();
    let title = scenario.name.clone();
    let saver = Saver {
        every_ticks,
        work: None,
        scenario_toml: scenario_toml.clone(),
        title: title.clone(),
    };
    let saver = if every_ticks > 0 {
        saver.claim(&out, args.force)?
    } else {
        saver
    };
    Ok(Start {
        scenario_toml,
        title,
        sim,
        streets,
        rec,
        out,
        saver,
    })
}

fn check_out(out: &Path, force: bool) -> anyhow::Result<()> {
    outbreak_output::check_out(out, force).map_err(|e| {
        BadInput(format!(
            "{e}; choose another --out or pass --force to replace it"
        ))
        .into()
    })
}

/// `--checkpoint-every HOURS` in ticks.
fn every_ticks(hours: f64, tick_minutes: f64) -> anyhow::Result<u32> {
    let ticks = hours * 60.0 / tick_minutes;
    let whole = ticks.round();
    if !(hours.is_finite() && hours > 0.0)
        || (ticks - whole).abs() > 1e-6 * whole.max(1.0)
        || !(1.0..=f64::from(u32::MAX)).contains(&whole)
    {
        return Err(BadInput(format!(
            "--checkpoint-every {hours}: must be a whole number of ticks above 0 (a tick is {tick_minutes} min)"
        ))
        .into());
    }
    Ok(whole as u32)
}

/// The name of the checkpoint at a tick: `hour-HHHH.ckpt`, with the hour's fraction after a
/// point when it has one (`hour-0001.5.ckpt`).
pub(crate) fn file_name(tick: u32, tick_minutes: f64) -> String {
    let hours = format!("{:.6}", f64::from(tick) * tick_minutes / 60.0);
    let hours = hours.trim_end_matches('0').trim_end_matches('.');
    let (whole, fraction) = hours.split_once('.').unwrap_or((hours, ""));
    let point = if fraction.is_empty() { "" } else { "." };
    format!("hour-{whole:0>4}{point}{fraction}.ckpt")
}

/// The hour a checkpoint's name gives, if it is one.
fn hour_of(name: &str) -> Option<f64> {
    let hours = name.strip_prefix("hour-")?.strip_suffix(".ckpt")?;
    hours.parse::<f64>().ok().filter(|h| h.is_finite())
}

/// The checkpoints in a folder, earliest first.
fn list(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for e in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let e = e.with_context(|| format!("reading {}", dir.display()))?;
        if let Some(h) = hour_of(&e.file_name().to_string_lossy()) {
            found.push((h, e.path()));
        }
    }
    found.sort_by(|a, b| a.0.total_cmp(&b.0));
    Ok(found.into_iter().map(|f| f.1).collect())
}

/// Reads a checkpoint; a bad file is bad input, named in the message.
fn read(path: &Path) -> anyhow::Result<Checkpoint> {
    let c = outbreak_output::read_checkpoint(path).map_err(|e| {
        let cause = std::error::Error::source(&e)
            .map(|s| format!(": {s}"))
            .unwrap_or_default();
        BadInput(format!("{e}{cause}"))
    })?;
    if c.recorder.ticks().last() != Some(&c.tick()) {
        return Err(BadInput(format!(
            "{}: damaged (its history does not end at its tick {})",
            path.display(),
            c.tick()
        ))
        .into());
    }
    Ok(c)
}

/// The scenario a checkpoint holds, and the parts built from it; the checkpoint's history
/// must be of that world and clock.
fn scenario_of(path: &Path, c: &Checkpoint) -> anyhow::Result<(Scenario, Parts)> {
    let file = format!("{} (its scenario)", path.display());
    let scenario = Scenario::from_str(&c.scenario_toml, &file, &[]).map_err(bad)?;
    let parts = scenario.build_parts().map_err(bad)?;
    if c.recorder.zone_count() != parts.world.zone_count()
        || c.recorder.tick_minutes() != scenario.params.run.tick_minutes
    {
        return Err(BadInput(format!(
            "{}: damaged (its history is not of the world and clock of its scenario)",
            path.display()
        ))
        .into());
    }
    Ok((scenario, parts))
}

/// `outbreak run --resume DIR`: the latest checkpoint of the run whose `--out` was DIR.
fn resume(dir: &Path, args: &RunArgs) -> anyhow::Result<Start> {
    let partial = outbreak_output::hidden_sibling(dir, "partial")
        .map_err(|e| BadInput(e.to_string()))?
        .join(files::CHECKPOINTS);
    let finished = dir.join(files::CHECKPOINTS);
    let mut source = None;
    for folder in [&partial, &finished] {
        if folder.is_dir() {
            let found = list(folder)?;
            if !found.is_empty() {
                source = Some((folder.clone(), found));
                break;
            }
        }
    }
    let Some((source, found)) = source else {
        return Err(BadInput(format!(
            "{}: no checkpoint to resume from (none in {} or {}); a run writes them with --checkpoint-every",
            dir.display(),
            partial.display(),
            finished.display()
        ))
        .into());
    };
    let latest = found.last().cloned().unwrap_or_default();
    let c = read(&latest)?;
    let (scenario, parts) = scenario_of(&latest, &c)?;
    let out = args.out.clone().unwrap_or_else(|| dir.to_path_buf());
    check_out(&out, args.force)?;
    let tick = c.tick();
    let sim = Simulation::restore(
        parts.world,
        scenario.params.clone(),
        parts.orders,
        c.snapshot,
    )
    .map_err(|e| BadInput(format!("{}: {e}", latest.display())))?;
    if !args.quiet {
        eprintln!(
            "resuming {} from {} (tick {tick})",
            scenario.name,
            latest.display()
        );
    }
    let saver = Saver {
        every_ticks: c.every_ticks,
        work: None,
        scenario_toml: c.scenario_toml.clone(),
        title: c.title.clone(),
    };
    let work =
        outbreak_output::hidden_sibling(&out, "partial").map_err(|e| BadInput(e.to_string()))?;
    // The same folder however it is written (`k`, `./k`, `/abs/k`).
    let same = |a: &Path, b: &Path| match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    };
    let saver = if same(&source, &work.join(files::CHECKPOINTS)) {
        // The interrupted run's own folder: carry on in it. A checkpoint cut short by the
        // kill is only ever a hidden temporary file.
        for e in
            std::fs::read_dir(&source).with_context(|| format!("reading {}", source.display()))?
        {
            let path = e
                .with_context(|| format!("reading {}", source.display()))?
                .path();
            if path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                std::fs::remove_file(&path)
                    .with_context(|| format!("removing {}", path.display()))?;
            }
        }
        Saver {
            work: Some(work),
            ..saver
        }
    } else {
        // A finished run, or results going elsewhere: the earlier checkpoints come along.
        let saver = saver.claim(&out, args.force)?;
        let into = saver.checkpoints().unwrap_or_default();
        for from in &found {
            let to = into.join(from.file_name().unwrap_or_default());
            if std::fs::hard_link(from, &to).is_err() {
                std::fs::copy(from, &to)
                    .with_context(|| format!("copying {} to {}", from.display(), to.display()))?;
            }
        }
        saver
    };
    Ok(Start {
        scenario_toml: c.scenario_toml,
        title: c.title,
        sim,
        streets: parts.streets,
        rec: c.recorder,
        out,
        saver,
    })
}

/// `outbreak run VARIANT --from FILE`: the variant, started from the checkpoint.
fn branch(
    file: &Path,
    name: &str,
    variant: &Scenario,
) -> anyhow::Result<(Simulation, Option<Streets>, Recorder)> {
    let c = read(file)?;
    let (parent, pp) = scenario_of(file, &c)?;
    let shown = file.display();
    let refuse = |why: String| -> anyhow::Error {
        BadInput(format!(
            "{name}: cannot branch from {shown}: {why}; a branch keeps the world, the people and the seed of the run it starts from"
        ))
        .into()
    };
    // NOTE: the world first (it does not depend on the seed), then the seed and the clock,
    // then the people (who are dealt out by the seed), so each refusal names its cause.
    let vp = variant.build_parts().map_err(bad)?;
    if vp.world != pp.world {
        return Err(refuse(
            "its world is not the run's (`[world]` must be the same)".into(),
        ));
    }
    let (v, p) = (&variant.params.run, &parent.params.run);
    if v.seed != p.seed {
        return Err(refuse(format!(
            "its seed {} is not the run's {}",
            v.seed, p.seed
        )));
    }
    if v.tick_minutes != p.tick_minutes || v.start_hour != p.start_hour {
        return Err(refuse(format!(
            "its clock (tick {} min from {}:00) is not the run's (tick {} min from {}:00)",
            v.tick_minutes, v.start_hour, p.tick_minutes, p.start_hour
        )));
    }
    if vp.pop != pp.pop {
        return Err(refuse(
            "its people are not the run's (`[population]`, its characters and the sizes of squads must be the same)".into(),
        ));
    }
    let tick = c.tick();
    let hours = |t: u32| f64::from(t) * p.tick_minutes / 60.0;
    if v.duration_ticks < tick {
        return Err(refuse(format!(
            "it ends at hour {}, before the checkpoint (hour {})",
            hours(v.duration_ticks),
            hours(tick)
        )));
    }
    for o in &vp.orders {
        if let Trigger::At { tick: at } = o.trigger {
            let known = pp
                .orders
                .iter()
                .any(|q| q.trigger == o.trigger && q.action == o.action);
            if at <= tick && !known {
                eprintln!(
                    "warning: {name}: order `{}` at hour {} is at or before the checkpoint (hour {}): taken as fired, it changes nothing",
                    o.label,
                    hours(at),
                    hours(tick)
                );
            }
        }
    }
    for o in &pp.orders {
        if let Trigger::At { tick: at } = o.trigger {
            let kept = vp
                .orders
                .iter()
                .any(|q| q.trigger == o.trigger && q.action == o.action);
            if at <= tick && !kept {
                let again = vp.orders.iter().any(|q| {
                    q.action == o.action && matches!(q.trigger, Trigger::At { tick: t } if t > tick)
                });
                let what = if again {
                    "the variant has it after the checkpoint, so it fires a second time"
                } else {
                    "the variant changes or drops it, but what it did is in the checkpoint"
                };
                eprintln!(
                    "warning: {name}: order `{}` fired at hour {} in the original run, before the checkpoint (hour {}); {what}",
                    o.label,
                    hours(at),
                    hours(tick)
                );
            }
        }
    }
    let sim = Simulation::branch(
        vp.world,
        variant.params.clone(),
        vp.orders,
        c.snapshot,
        &pp.orders,
    )
    .map_err(|e| BadInput(format!("{shown}: {e}")))?;
    Ok((sim, vp.streets, c.recorder))
}

impl Saver {
    /// Takes the in-progress folder of `out` for this run: an interrupted run's is kept
    /// (for `--resume`) unless `force`.
    fn claim(self, out: &Path, force: bool) -> anyhow::Result<Saver> {
        let work =
            outbreak_output::hidden_sibling(out, "partial").map_err(|e| BadInput(e.to_string()))?;
        if std::fs::symlink_metadata(&work).is_ok() {
            // A run killed before its first checkpoint left nothing to resume: start again.
            let resumable = list(&work.join(files::CHECKPOINTS)).is_ok_and(|c| !c.is_empty());
            if resumable && !force {
                return Err(BadInput(format!(
                    "{} holds an interrupted run of {}: finish it with `outbreak run --resume {}`, or pass --force to start again",
                    work.display(),
                    out.display(),
                    out.display()
                ))
                .into());
            }
            std::fs::remove_dir_all(&work)
                .with_context(|| format!("removing {}", work.display()))?;
        }
        if let Some(parent) = work.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        // NOTE: `create_dir` fails if another run took the folder meanwhile.
        std::fs::create_dir(&work).with_context(|| format!("creating {}", work.display()))?;
        let checkpoints = work.join(files::CHECKPOINTS);
        std::fs::create_dir(&checkpoints)
            .with_context(|| format!("creating {}", checkpoints.display()))?;
        Ok(Saver {
            work: Some(work),
            ..self
        })
    }

    fn checkpoints(&self) -> Option<PathBuf> {
        self.work.as_ref().map(|w| w.join(files::CHECKPOINTS))
    }

    /// Writes a checkpoint if one is due at the simulation's tick.
    pub fn after_tick(&self, sim: &Simulation, rec: &Recorder) -> anyhow::Result<()> {
        let tick = sim.tick();
        let Some(dir) = self.checkpoints() else {
            return Ok(());
        };
        if self.every_ticks == 0 || !tick.is_multiple_of(self.every_ticks) {
            return Ok(());
        }
        let path = dir.join(file_name(tick, sim.params.run.tick_minutes));
        outbreak_output::write_checkpoint(
            &path,
            &self.scenario_toml,
            &self.title,
            self.every_ticks,
            &sim.snapshot(),
            rec,
        )
        .with_context(|| format!("writing checkpoint {}", path.display()))
    }

    /// Fills the results folder with `write` and publishes it at `out`.
    pub fn publish<T>(
        self,
        out: &Path,
        force: bool,
        write: impl FnOnce(&Path) -> Result<T, OutputError>,
    ) -> Result<T, OutputError> {
        match &self.work {
            None => outbreak_output::publish(out, force, write),
            Some(work) => {
                let value = write(work)?;
                outbreak_output::publish_folder(work, out, force)?;
                Ok(value)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_by_the_hour_they_give() {
        assert_eq!(file_name(360, 1.0), "hour-0006.ckpt");
        assert_eq!(file_name(90, 1.0), "hour-0001.5.ckpt");
        assert_eq!(file_name(15, 1.0), "hour-0000.25.ckpt");
        assert_eq!(file_name(100, 6.0), "hour-0010.ckpt");
        assert_eq!(file_name(600_000, 1.0), "hour-10000.ckpt");
        for t in [15, 90, 360, 600_000] {
            assert_eq!(
                hour_of(&file_name(t, 1.0)),
                Some(f64::from(t) / 60.0),
                "{t}"
            );
        }
        assert_eq!(hour_of(".hour-0006.ckpt.tmp"), None);
        assert_eq!(hour_of("hour-x.ckpt"), None);
    }

    #[test]
    fn the_interval_is_a_whole_number_of_ticks() {
        assert_eq!(every_ticks(6.0, 1.0).unwrap(), 360);
        assert_eq!(every_ticks(0.5, 6.0).unwrap(), 5);
        assert_eq!(every_ticks(0.1, 6.0).unwrap(), 1);
        for (h, m) in [
            (0.0, 1.0),
            (-1.0, 1.0),
            (f64::NAN, 1.0),
            (0.05, 6.0),
            (1e12, 1.0),
        ] {
            assert!(every_ticks(h, m).is_err(), "{h} h at {m} min");
        }
    }
}
