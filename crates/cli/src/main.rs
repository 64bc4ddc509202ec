//! The `outbreak` command: run scenarios, list and show the built-ins, check a file.
//! Exit codes: 0 success, 1 failure while running or writing, 2 bad input (flags, scenario).

use anyhow::Context;
use clap::{Parser, Subcommand};
use outbreak_scenario::{Scenario, ScenarioError};
use std::path::PathBuf;
use std::process::ExitCode;

mod ensemble;
mod run;
mod shared;
mod stdout;
mod view;

use stdout::{out, outln, StdoutError};

#[derive(Parser)]
#[command(
    name = "outbreak",
    version,
    about = "An agent-based zombie-outbreak simulator",
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario and write its results folder.
    Run(run::RunArgs),
    /// Run a scenario under many seeds in parallel: outcomes, quantile bands, Parquet.
    Ensemble(ensemble::EnsembleArgs),
    /// An ensemble at every point of a grid over one or two scenario keys.
    Sweep(ensemble::SweepArgs),
    /// Merge the shard folders of an ensemble or sweep run with --shard K/N into the folder
    /// one machine writes, byte for byte (the manifest's timings aside).
    Collect(ensemble::CollectArgs),
    /// List the built-in scenarios, or show one's TOML to copy and edit.
    Scenarios {
        #[command(subcommand)]
        show: Option<ShowCommand>,
    },
    /// Integrate a reference model (Munz et al. 2009, Alemi et al. 2015): CSV on stdout.
    Ode(OdeArgs),
    /// Compare the agents with the reference models: a table, non-zero exit on failure.
    Validate {
        /// The test suite's ensemble sizes (a quarter of the default).
        #[arg(long)]
        quick: bool,
        /// JSON on stdout instead of the table.
        #[arg(long)]
        json: bool,
    },
    /// Summarise an OpenStreetMap extract as a world (and draw it with --svg).
    Map {
        /// An `.osm.pbf` file.
        file: PathBuf,
        /// Draw the streets and buildings kept into this SVG file.
        #[arg(long, value_name = "OUT")]
        svg: Option<PathBuf>,
        /// The highway kinds people walk on, comma-separated (as `[world] walkable`).
        #[arg(long, value_name = "KINDS", value_delimiter = ',')]
        walkable: Option<Vec<String>>,
        /// People a building holds per 100 m² of footprint and floor.
        #[arg(
            long = "people-per-100m2",
            value_name = "N",
            allow_negative_numbers = true
        )]
        people_per_100m2: Option<f64>,
        /// A population to compare with what the buildings hold (a warning, as `check`
        /// gives, when they hold fewer).
        #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = shared::whole::<u64>("people"))]
        people: Option<u64>,
    },
    /// One self-contained HTML page that tells a run, an ensemble or a sweep.
    Report {
        /// A results folder of `outbreak run`, `ensemble` or `sweep`.
        dir: PathBuf,
        /// Where to write the page (default: report.html in the folder).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Watch a recorded run (`outbreak run --record`) on its map, in a browser: a local web
    /// server for its replay; or, with --live SCENARIO, a run stepping as you watch, which
    /// takes orders from the map.
    View(view::ViewArgs),
    /// Check a scenario file without running it.
    Check {
        /// A scenario file or built-in name.
        scenario: String,
        /// Override a setting: a dotted key of the scenario file.
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
    },
}

#[derive(clap::Args)]
struct OdeArgs {
    /// basic, latent, quarantine, treatment, impulsive (Munz et al. 2009) or alemi (Alemi et
    /// al. 2015).
    model: String,
    /// A parameter in the paper's symbols and units (Munz: per day), e.g. beta=0.0095.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,
    /// End time (days for Munz's models).
    #[arg(long, default_value_t = 10.0, allow_negative_numbers = true)]
    t_end: f64,
    /// Time between rows.
    #[arg(long, default_value_t = 0.1, allow_negative_numbers = true)]
    dt: f64,
    /// List the model's parameters, defaults and meanings instead.
    #[arg(long)]
    list_params: bool,
}

#[derive(Subcommand)]
enum ShowCommand {
    /// Print a built-in scenario's TOML.
    Show {
        /// A built-in scenario's name, as `outbreak scenarios` lists them.
        name: String,
    },
}

/// An error that means bad input (exit 2) rather than a failure (exit 1).
#[derive(Debug)]
struct BadInput(String);
impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for BadInput {}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let printed = e.print();
            if e.use_stderr() {
                return ExitCode::from(2);
            }
            // Help and version go to stdout.
            return match printed.map_err(StdoutError) {
                Err(p) if !p.is_closed_pipe() => {
                    eprintln!("error: {p}");
                    ExitCode::from(1)
                }
                _ => ExitCode::SUCCESS,
            };
        }
    };
    let result = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Scenarios { show: None } => outbreak_scenario::BUILTINS
            .iter()
            .try_for_each(|(name, summary, _)| outln!("{name:<16} {summary}"))
            .map_err(Into::into),
        Command::Scenarios {
            show: Some(ShowCommand::Show { name }),
        } => match outbreak_scenario::builtin(&name) {
            Some(text) => out!("{text}").map_err(Into::into),
            None => Err(BadInput(format!(
                "no built-in scenario named `{name}`{}",
                builtin_hint(&name)
            ))
            .into()),
        },
        Command::Ode(args) => ode(args),
        Command::Ensemble(args) => ensemble::ensemble(args),
        Command::Sweep(args) => ensemble::sweep(args),
        Command::Collect(args) => ensemble::collect(args),
        Command::Map {
            file,
            svg,
            walkable,
            people_per_100m2,
            people,
        } => {
            if let Some(n) = people_per_100m2.filter(|n| !(n.is_finite() && *n > 0.0)) {
                eprintln!("error: --people-per-100m2 must be a number above 0 (got {n})");
                return ExitCode::from(2);
            }
            let d = outbreak_world::osm::OsmParams::default();
            let params = outbreak_world::osm::OsmParams {
                walkable: walkable.unwrap_or(d.walkable),
                people_per_100m2: people_per_100m2.unwrap_or(d.people_per_100m2),
                ..d
            };
            map(&file, svg.as_deref(), &params, people)
        }
        Command::Validate { quick, json } => validate(quick, json),
        Command::Report { dir, out } => report(&dir, out),
        Command::View(args) => view::view(args),
        Command::Check { scenario, set } => load(&scenario, &set, None).and_then(|s| {
            // Checking builds the people too: what cannot fit is refused before.
            let needed = s.memory_needed();
            shared::check_memory(needed, "a run needs", "a smaller population.size")?;
            let (sim, _, warnings) = s.build_warned().map_err(bad)?;
            for w in warnings {
                eprintln!("warning: {scenario}: {w}");
            }
            // Everyone a run counts, the named characters among them.
            let named = match sim.pop.names.len() {
                0 => String::new(),
                n => format!(", {n} of them named"),
            };
            outln!(
                "{}: ok ({} people{named}, {} ticks of {} min); a run needs about {} of memory",
                s.name,
                sim.pop.len(),
                s.params.run.duration_ticks,
                s.params.run.tick_minutes,
                outbreak_scenario::memory::bytes_shown(needed)
            )?;
            Ok(())
        }),
    };
    match result.and_then(|()| Ok(stdout::flush()?)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let stdout = e.chain().find_map(|c| c.downcast_ref::<StdoutError>());
            if stdout.is_some_and(StdoutError::is_closed_pipe) {
                ExitCode::SUCCESS
            } else if let Some(b) = e.downcast_ref::<BadInput>() {
                eprintln!("error: {b}");
                ExitCode::from(2)
            } else {
                eprintln!("error: {e:#}");
                ExitCode::from(1)
            }
        }
    }
}

/// A scenario error as a person reads it: the message, then the line it points at with a
/// caret under the value (no colours, so it reads the same in a log).
fn bad(e: ScenarioError) -> anyhow::Error {
    let mut text = String::new();
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(100)
            .with_context_lines(1);
    if handler.render_report(&mut text, &e).is_err() {
        text = e.render();
    }
    // The caller prints `error: ` before it, in place of miette's cross.
    let text = text.trim_start().trim_start_matches('×').trim_start();
    BadInput(text.trim_end().to_string()).into()
}

/// `outbreak map`: what the importer makes of an extract.
fn map(
    file: &std::path::Path,
    svg: Option<&std::path::Path>,
    params: &outbreak_world::osm::OsmParams,
    people: Option<u64>,
) -> anyhow::Result<()> {
    let shown = file.display();
    if file.is_dir() {
        return Err(BadInput(format!("{shown}: is a directory; name an .osm.pbf file")).into());
    }
    let f =
        std::fs::File::open(file).map_err(|e| BadInput(format!("{shown}: cannot open: {e}")))?;
    let osm = outbreak_world::osm::import(std::io::BufReader::new(f), params)
        .map_err(|e| BadInput(format!("{shown}: {e}")))?;
    outln!("{shown}")?;
    out!("{}", osm.summary)?;
    if let Some(people) = people {
        let holds = osm.summary.capacity;
        if people > holds {
            eprintln!(
                "warning: {shown}: {people} people are more than the map's {} buildings hold ({holds}, {:.1} times as many); a smaller population.size, or a larger --people-per-100m2 (world.people_per_100m2), puts them as the map allows",
                osm.buildings.len(),
                people as f64 / holds.max(1) as f64
            );
        } else {
            outln!(
                "people:    {people} fit ({:.0} % of what the buildings hold)",
                100.0 * people as f64 / holds.max(1) as f64
            )?;
        }
    }
    outln!("{}", outbreak_output::OSM_CREDIT)?;
    if let Some(out) = svg {
        let points: Vec<[f64; 2]> = osm
            .buildings
            .iter()
            .map(|p| osm.world.places.pos[p.index()])
            .collect();
        let title = file
            .file_name()
            .map_or_else(|| shown.to_string(), |n| n.to_string_lossy().into_owned());
        let text = outbreak_report::extract_svg(
            &osm.streets,
            &points,
            &title,
            outbreak_output::OSM_CREDIT,
        );
        outbreak_output::write_atomic(out, text.as_bytes())
            .with_context(|| format!("writing {}", out.display()))?;
        outln!("map: {}", out.display())?;
    }
    Ok(())
}

/// `outbreak report`: the page of a results folder, written atomically.
fn report(dir: &std::path::Path, out: Option<PathBuf>) -> anyhow::Result<()> {
    let report = outbreak_report::render(dir).map_err(|e| {
        if e.is_bad_input() {
            BadInput(e.to_string()).into()
        } else {
            anyhow::Error::new(e)
        }
    })?;
    let out = out.unwrap_or_else(|| dir.join("report.html"));
    if out.is_dir() {
        return Err(BadInput(format!("--out {}: is a folder; name a file", out.display())).into());
    }
    outbreak_output::write_atomic(&out, report.html.as_bytes())
        .with_context(|| format!("writing {}", out.display()))?;
    outln!(
        "{} report: {} ({} KB)",
        report.kind.as_str(),
        out.display(),
        report.html.len().div_ceil(1024)
    )?;
    Ok(())
}

/// `outbreak validate`: every comparison of the agents with the reference models.
fn validate(quick: bool, json: bool) -> anyhow::Result<()> {
    use outbreak_reference::agree::{self, Size};
    let size = if quick { Size::Quick } else { Size::Full };
    let mut results = Vec::new();
    for (name, check) in agree::ALL {
        eprintln!("checking {name} ...");
        results.push(check(size));
    }
    if json {
        outln!("{}", serde_json::to_string_pretty(&results)?)?;
    } else {
        outln!(
            "{:<14} {:>10} {:>10} {:>10}  {:<6} what",
            "check",
            "reference",
            "agents",
            "tolerance",
            "result"
        )?;
        for c in &results {
            outln!(
                "{:<14} {:>10.4} {:>10.4} {:>10.4}  {:<6} {} ({} runs; tolerance: {})",
                c.name,
                c.reference,
                c.agents,
                c.tolerance,
                if c.pass { "pass" } else { "FAIL" },
                c.what,
                c.runs,
                c.why
            )?;
        }
    }
    let failed = results.iter().filter(|c| !c.pass).count();
    if failed > 0 {
        anyhow::bail!("{failed} of {} comparisons failed", results.len());
    }
    Ok(())
}

/// `outbreak ode`: the model's solution as CSV (`t` and the model's columns).
fn ode(args: OdeArgs) -> anyhow::Result<()> {
    use outbreak_reference::models::{Model, Values};
    let model = Model::by_name(&args.model).ok_or_else(|| {
        let names: Vec<&str> = Model::ALL.iter().map(|m| m.name()).collect();
        let hint = outbreak_scenario::did_you_mean(&args.model, names.iter().copied())
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default();
        BadInput(format!(
            "unknown model `{}`: expected {}{hint}",
            args.model,
            names.join(", ")
        ))
    })?;
    if args.list_params {
        for p in model.parameters() {
            outln!("{:<10} {:<10} {}", p.name, p.default, p.meaning)?;
        }
        return Ok(());
    }
    let mut values = Values::defaults(model);
    for arg in &args.params {
        let (name, value) = arg.split_once('=').ok_or_else(|| {
            BadInput(format!(
                "--param {arg}: expected NAME=VALUE, e.g. beta=0.0095"
            ))
        })?;
        let value: f64 = value
            .trim()
            .parse()
            .map_err(|_| BadInput(format!("--param {arg}: `{value}` is not a number")))?;
        values
            .set(name.trim(), value)
            .map_err(|e| BadInput(format!("--param {arg}: {e}")))?;
    }
    if !(args.t_end.is_finite() && args.t_end > 0.0) {
        return Err(BadInput(format!("--t-end {}: must be a number above 0", args.t_end)).into());
    }
    if !(args.dt.is_finite() && args.dt > 0.0) || args.t_end / args.dt > 1e7 {
        return Err(BadInput(format!(
            "--dt {}: must be above 0 and give at most 10,000,000 rows",
            args.dt
        ))
        .into());
    }
    // Each row is written as it is solved (a long run starts printing at once, and a reader
    // that goes stops the integration).
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let io = |e| anyhow::Error::new(StdoutError(e));
    writeln!(out, "t,{}", model.columns().join(",")).map_err(io)?;
    let decimals = decimals(args.dt);
    outbreak_reference::solve_each(&values, args.t_end, args.dt, |t, y| {
        let cells: Vec<String> = y.iter().map(|x| x.to_string()).collect();
        writeln!(out, "{},{}", on_grid(t, decimals), cells.join(",")).map_err(io)
    })
    .map_err(
        |e| match e.downcast::<outbreak_reference::ode::OdeError>() {
            Ok(e) => anyhow::anyhow!("{model}: {e}"),
            Err(e) => e,
        },
    )?;
    out.flush().map_err(io)?;
    Ok(())
}

/// The decimals of `x` as written in its shortest form (0.1: 1, 0.25: 2, 2: 0).
fn decimals(x: f64) -> usize {
    x.to_string().split_once('.').map_or(0, |(_, d)| d.len())
}

/// A time as a person writes it: a time on the output grid (k × dt, which sums in binary
/// to 0.30000000000000004) rounded to dt's `decimals`, any other as it is.
fn on_grid(t: f64, decimals: usize) -> f64 {
    let rounded: f64 = format!("{t:.decimals$}").parse().unwrap_or(t);
    if (rounded - t).abs() <= 1e-9 * t.abs().max(1.0) {
        rounded
    } else {
        t
    }
}

/// After "no built-in scenario named X": the built-in it is likely a typo of, or them all.
fn builtin_hint(name: &str) -> String {
    let names = outbreak_scenario::BUILTINS.iter().map(|b| b.0);
    match outbreak_scenario::did_you_mean(name, names.clone()) {
        Some(n) => format!("; did you mean `{n}`?"),
        None => format!(
            "; the built-ins are {}",
            names.collect::<Vec<_>>().join(", ")
        ),
    }
}

/// The largest scenario file read: over a thousand times the largest built-in.
const MAX_SCENARIO_BYTES: u64 = 8 << 20;

/// The text of a built-in scenario or a scenario file, and the name to give it in messages.
fn read_scenario(name: &str) -> anyhow::Result<(String, String)> {
    match outbreak_scenario::builtin(name) {
        Some(t) => Ok((t.to_string(), name.to_string())),
        None => {
            let path = PathBuf::from(name);
            if !path.exists() {
                // A path names a file; a bare name more likely a built-in.
                let file_like =
                    name.contains(std::path::is_separator) || path.extension().is_some();
                return Err(BadInput(if file_like {
                    format!("{name}: no such file")
                } else {
                    format!(
                        "no built-in scenario named `{name}`, nor a file of that name{}",
                        builtin_hint(name)
                    )
                })
                .into());
            }
            // Read no more than the limit and one byte, so that an endless file (`/dev/zero`)
            // is refused rather than read whole.
            use std::io::Read;
            let cannot = |e| BadInput(format!("{name}: cannot read: {e}"));
            let mut text = String::new();
            std::fs::File::open(&path)
                .map_err(cannot)?
                .take(MAX_SCENARIO_BYTES + 1)
                .read_to_string(&mut text)
                .map_err(cannot)?;
            if text.len() as u64 > MAX_SCENARIO_BYTES {
                return Err(BadInput(format!(
                    "{name}: larger than a scenario can be ({} MiB at most)",
                    MAX_SCENARIO_BYTES >> 20
                ))
                .into());
            }
            Ok((text, name.to_string()))
        }
    }
}

/// Reads a scenario by built-in name or path, with overrides and an optional seed.
fn load(name: &str, set: &[String], seed: Option<u64>) -> anyhow::Result<Scenario> {
    let (text, file) = read_scenario(name)?;
    let mut sets = set.to_vec();
    if let Some(s) = seed {
        sets.push(format!("run.seed={s}"));
    }
    let scenario = Scenario::from_str(&text, &file, &sets).map_err(bad)?;
    for w in &scenario.warnings {
        eprintln!("warning: {file}: {w}");
    }
    Ok(scenario)
}
