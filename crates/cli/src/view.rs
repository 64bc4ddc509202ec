//! `outbreak view`: a recorded run's replay, or with `--live SCENARIO` a run that steps as
//! pages watch it and takes orders from them, served until Ctrl-C.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use anyhow::Context;
use outbreak_run::{Options, Run};

use crate::shared;
use crate::stdout::{outln, StdoutError};
use crate::{bad, load, BadInput};

#[derive(clap::Args)]
pub struct ViewArgs {
    /// A run folder with a replay.
    dir: Option<PathBuf>,
    /// Run SCENARIO (a built-in name or a file) live: it steps on the server as you watch,
    /// and orders given from the map join its timeline at the next tick. It publishes its
    /// results folder (with the replay) at its end, or when stopped with Ctrl-C at the tick
    /// reached; running that folder's scenario.toml again gives the same folder.
    #[arg(long, value_name = "SCENARIO", conflicts_with = "dir")]
    live: Option<String>,
    /// With --live: override a setting (a dotted key of the scenario file).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// With --live: the seed (default: the scenario's `run.seed`).
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    seed: Option<u64>,
    /// With --live: the results folder (default: runs/NAME-SEED, or the first of its -2, -3
    /// ... that holds no results).
    #[arg(long)]
    out: Option<PathBuf>,
    /// With --live: replace the results folder if it holds files.
    #[arg(long)]
    force: bool,
    /// With --live: ticks a second while playing (default 30).
    #[arg(long, value_parser = speed)]
    speed: Option<f64>,
    /// With --live: wait for Play (or a step) on the page before the first tick.
    #[arg(long)]
    paused: bool,
    /// The port to listen on (0: any free port).
    #[arg(long, default_value_t = 8765)]
    port: u16,
    /// The address to listen on. Only this machine can reach the default; another address
    /// lets others on the network watch (and, live, give orders), with a warning.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
}

impl ViewArgs {
    /// Whether a flag of a live run is given.
    fn live_only(&self) -> bool {
        !self.set.is_empty()
            || self.seed.is_some()
            || self.out.is_some()
            || self.force
            || self.speed.is_some()
            || self.paused
    }
}

fn speed(s: &str) -> Result<f64, String> {
    let max = outbreak_view::live::MAX_SPEED;
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= max => Ok(v),
        _ => Err(format!(
            "expected ticks a second, more than 0 and at most {max}"
        )),
    }
}

pub fn view(args: ViewArgs) -> anyhow::Result<()> {
    let addr = SocketAddr::new(args.bind, args.port);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the web server")?;
    match (&args.live, &args.dir) {
        (Some(name), _) => live(&args, name, addr, &runtime),
        (None, Some(_)) if args.live_only() => Err(BadInput(
            "--set, --seed, --out, --force, --speed and --paused are for a live run: outbreak view --live SCENARIO ..."
                .into(),
        )
        .into()),
        (None, Some(dir)) => {
            let viewed = outbreak_view::Viewed::open(dir).map_err(|e| BadInput(e.to_string()))?;
            runtime.block_on(async {
                let listener = listen(addr, "watch this run").await?;
                announce(&listener, &format!("viewing {}", dir.display()))?;
                outbreak_view::serve(listener, viewed, ctrl_c()).await?;
                anyhow::Ok(())
            })
        }
        (None, None) => Err(BadInput(
            "give a run folder to replay (outbreak view DIR), or a scenario to run live (outbreak view --live SCENARIO)"
                .into(),
        )
        .into()),
    }
}

/// A run of `name` stepping live on the server until its end or Ctrl-C.
fn live(
    args: &ViewArgs,
    name: &str,
    addr: SocketAddr,
    runtime: &tokio::runtime::Runtime,
) -> anyhow::Result<()> {
    let mut set = args.set.clone();
    set.push("run.record=true".to_string());
    let scenario = load(name, &set, args.seed)?;
    shared::check_memory(
        scenario.memory_needed(),
        "this run needs",
        "a smaller population.size",
    )?;
    let out = args.out.clone().unwrap_or_else(|| {
        let first = shared::default_out(name, None, scenario.params.run.seed);
        shared::unused_out(first, args.force)
    });
    let _lock = shared::lock_out(&out)?;
    let options = Options {
        force: args.force,
        ..Options::new(&out)
    };
    let start = |e: outbreak_run::RunError| -> anyhow::Error {
        match e {
            outbreak_run::RunError::Scenario(e) => bad(e),
            e if e.is_bad_input() => BadInput(e.to_string()).into(),
            e => e.into(),
        }
    };
    let prepared = Run::from_scenario(&scenario, &options).map_err(start)?;
    for w in prepared.warnings() {
        eprintln!("warning: {name}: {w}");
    }
    let token = outbreak_view::live::new_token().context("making a session token")?;
    let run = prepared.start().map_err(start)?;
    let world = outbreak_view::live::world_of(&run);
    let characters = outbreak_view::live::characters_of(&run);
    let pace = outbreak_view::live::Pace {
        speed: args.speed.unwrap_or(30.0),
        paused: args.paused,
    };
    runtime.block_on(async {
        let listener = listen(addr, "watch this run and give it orders").await?;
        let live = outbreak_view::live::Live::start(run, scenario, pace, token);
        announce(&listener, &format!("running {name} live"))?;
        match outbreak_view::live::serve(listener, live, (world, characters), ctrl_c()).await? {
            Ok(Some(folder)) => outln!("results: {folder}")?,
            Ok(None) => eprintln!("stopped before the first tick: no results to publish"),
            Err(why) => anyhow::bail!("publishing the live run: {why}"),
        }
        anyhow::Ok(())
    })
}

async fn listen(addr: SocketAddr, what: &str) -> anyhow::Result<tokio::net::TcpListener> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| BadInput(format!("--bind {} --port {}: {e}", addr.ip(), addr.port())))?;
    let local = listener.local_addr()?;
    if !local.ip().is_loopback() {
        eprintln!("warning: listening on {local}: others on the network can {what}");
    }
    Ok(listener)
}

/// Says where the page is, and flushes it so that a program reading the output sees it.
fn announce(listener: &tokio::net::TcpListener, what: &str) -> anyhow::Result<()> {
    let local = listener.local_addr()?;
    let shown = if local.ip().is_unspecified() {
        format!("http://127.0.0.1:{}/", local.port())
    } else {
        format!("http://{local}/")
    };
    outln!("{what} at {shown} (Ctrl-C stops)")?;
    use std::io::Write;
    std::io::stdout().flush().map_err(StdoutError)?;
    Ok(())
}

async fn ctrl_c() {
    let _ = tokio::signal::ctrl_c().await;
}
