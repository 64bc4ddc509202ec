//! `outbreak view --live SCENARIO`: the run steps on the server while pages watch it, and
//! orders given from a page join the run's timeline.
//!
//! One thread owns the [`Run`] and steps it at the pace asked (ticks a second), or one tick
//! at a time when paused; after each batch of ticks it copies what pages read (the replay's
//! new rows, the time series, the status) into a [`Head`] behind a lock, so a thousand
//! pages read without ever waiting for the simulation. Pages read the same endpoints as a
//! replay's (`/api/replay` then grows, and `/api/chunk/K?from=ROW` gives the rows of a chunk
//! from ROW on), and `/api/live` for the status.
//!
//! What changes the run needs the session token of the page the server served (in the
//! page's `<meta name="outbreak-token">`, sent back as the `x-outbreak-token` header), so
//! that no other site a browser visits can drive it:
//!
//! | request | body | does |
//! | --- | --- | --- |
//! | `POST /api/control` | `{"play": true}`, `{"speed": 30}`, `{"step": 10}` | plays or pauses, sets ticks a second, steps ticks |
//! | `POST /api/order` | an order as a scenario's `[[authorities]]` entry, without `at_hours` or `when` | adds it to the timeline at the next tick |
//!
//! An order is written into the run's scenario at the next tick's time and applied from
//! that tick ([`Run::amend`]): the run stays the run of its `scenario.toml`, and running that
//! file again gives the folder the live run publishes, byte for byte. The run publishes its
//! folder when it reaches its end, or, stopped before (Ctrl-C), at the tick reached
//! ([`Run::end_now`]).

use std::sync::mpsc;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path as UrlPath, Query, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use outbreak_engine::prelude::ZoneId;
use outbreak_output::mapdata::PlaceRow;
use outbreak_output::replay::{ChunkRows, Replay};
use outbreak_output::{events_csv, timeseries_csv};

use crate::feed::{self, EventRow};
use outbreak_run::{Run, RunError};
use outbreak_scenario::raw::RawOrder;
use outbreak_scenario::Scenario;

/// The largest body a page may send: an order is a few hundred bytes.
pub const MAX_BODY: usize = 4096;

/// The fastest pace a page may ask for, ticks a second.
pub const MAX_SPEED: f64 = 10_000.0;

/// How often, at most, the pages' view of a playing run is brought up to date.
const HEAD_EVERY: Duration = Duration::from_millis(100);

/// How a live run starts.
#[derive(Clone, Copy, Debug)]
pub struct Pace {
    /// Ticks a second while playing.
    pub speed: f64,
    /// Whether it waits for a page's "play" (or a step) before its first tick.
    pub paused: bool,
}

/// The rows of one chunk, column by column.
#[derive(Debug, Default)]
struct Columns {
    tick: Vec<u32>,
    agent: Vec<u32>,
    place: Vec<u32>,
    heading: Vec<u32>,
    state: Vec<u8>,
}

impl Columns {
    fn len(&self) -> usize {
        self.tick.len()
    }

    /// Appends the rows of `rows` this does not hold yet.
    fn follow(&mut self, rows: ChunkRows<'_>) {
        let from = self.len().min(rows.tick.len());
        self.tick.extend_from_slice(&rows.tick[from..]);
        self.agent.extend_from_slice(&rows.agent[from..]);
        self.place.extend_from_slice(&rows.place[from..]);
        self.heading.extend_from_slice(&rows.heading[from..]);
        self.state.extend_from_slice(&rows.state[from..]);
    }

    /// Rows `from..` in the page's binary form.
    fn wire(&self, from: usize) -> Vec<u8> {
        let from = from.min(self.len());
        crate::wire(
            &self.tick[from..],
            &self.agent[from..],
            &self.place[from..],
            &self.heading[from..],
            &self.state[from..],
        )
    }
}

/// What pages read of the live run, as of the last batch of ticks.
#[derive(Debug)]
pub(crate) struct Head {
    /// `/api/live`: tick, pace, end, orders given, folder published.
    pub(crate) status: Vec<u8>,
    /// `/api/replay`, with `chunks` counting the one being filled.
    pub(crate) index: Vec<u8>,
    /// `/api/timeseries`.
    pub(crate) timeseries: Vec<u8>,
    /// The events so far, for `/api/events`.
    pub(crate) events: Vec<EventRow>,
    /// `/api/orders`: the timeline's orders, placed and timed.
    pub(crate) orders: Vec<u8>,
    /// The orders given from pages when `orders` was made.
    orders_for: usize,
    /// The chunks finished, in the page's binary form.
    finished: Vec<Bytes>,
    /// The chunk being filled.
    filling: Columns,
}

impl Head {
    /// Chunk `k` from row `from` on: a finished chunk whole (its rows from `from`), or the
    /// rows of the one being filled. `None` for a chunk not begun.
    pub(crate) fn chunk(&self, k: usize, from: usize) -> Option<Bytes> {
        match self.finished.get(k) {
            Some(bytes) if from == 0 => Some(bytes.clone()),
            Some(bytes) => Some(crate::wire_from(bytes, from).into()),
            None if k == self.finished.len() => Some(self.filling.wire(from).into()),
            None => None,
        }
    }
}

/// What the simulation thread is asked to do.
enum Command {
    Play(bool),
    Speed(f64),
    Step(u32),
    Order(Box<RawOrder>, mpsc::Sender<Result<String, Refusal>>),
    End(mpsc::Sender<Result<Option<String>, String>>),
}

/// A live run: the simulation thread and what pages read of it.
#[derive(Debug)]
pub struct Live {
    pub(crate) head: RwLock<Head>,
    commands: Mutex<mpsc::Sender<Command>>,
    /// The token pages send back with what they ask.
    pub(crate) token: String,
}

/// Why a page's request is refused.
#[derive(Debug, PartialEq)]
pub(crate) enum Refusal {
    /// Not what the request should hold, and why.
    Bad(String),
    /// The run has ended.
    Ended,
}

impl Live {
    /// Starts stepping `run` (of `scenario`) on its own thread, at `pace`.
    pub fn start(run: Run, scenario: Scenario, pace: Pace, token: String) -> Arc<Live> {
        let (tx, rx) = mpsc::channel();
        let live = Arc::new(Live {
            head: RwLock::new(Head {
                status: Vec::new(),
                index: Vec::new(),
                timeseries: Vec::new(),
                events: Vec::new(),
                orders: b"[]".to_vec(),
                orders_for: usize::MAX,
                finished: Vec::new(),
                filling: Columns::default(),
            }),
            commands: Mutex::new(tx),
            token,
        });
        let mut stepper = Stepper {
            run: Some(run),
            scenario,
            playing: !pace.paused,
            speed: pace.speed.clamp(f64::MIN_POSITIVE, MAX_SPEED),
            orders: Vec::new(),
            published: None,
            failed: None,
            live: live.clone(),
        };
        stepper.publish_head();
        std::thread::Builder::new()
            .name("live run".into())
            .spawn(move || stepper.serve(&rx))
            .expect("a thread for the live run");
        live
    }

    fn send(&self, c: Command) -> Result<(), Refusal> {
        let tx = self.commands.lock().map_err(|_| Refusal::Ended)?;
        tx.send(c).map_err(|_| Refusal::Ended)
    }

    /// A page's `/api/control` request.
    pub(crate) fn control(&self, body: &[u8]) -> Result<(), Refusal> {
        let v: serde_json::Value =
            serde_json::from_slice(body).map_err(|e| Refusal::Bad(format!("not JSON: {e}")))?;
        let fields = v.as_object().filter(|o| o.len() == 1);
        let Some((key, value)) = fields.and_then(|o| o.iter().next()) else {
            return Err(Refusal::Bad(
                "expected one of {\"play\": true|false}, {\"speed\": N}, {\"step\": N}".into(),
            ));
        };
        let command = match (key.as_str(), value) {
            ("play", serde_json::Value::Bool(b)) => Command::Play(*b),
            ("speed", v) => match v.as_f64() {
                Some(s) if s > 0.0 && s <= MAX_SPEED => Command::Speed(s),
                _ => {
                    return Err(Refusal::Bad(format!(
                        "speed: expected ticks a second, more than 0 and at most {MAX_SPEED}"
                    )))
                }
            },
            ("step", v) => match v.as_u64() {
                Some(n @ 1..=100_000) => Command::Step(n as u32),
                _ => {
                    return Err(Refusal::Bad(
                        "step: expected a whole number of ticks from 1 to 100000".into(),
                    ))
                }
            },
            (other, _) => return Err(Refusal::Bad(format!("unknown control `{other}`"))),
        };
        self.send(command)
    }

    /// A page's `/api/order` request; the order's label once it is in the timeline.
    pub(crate) fn order(&self, body: &[u8]) -> Result<String, Refusal> {
        let order: RawOrder =
            serde_json::from_slice(body).map_err(|e| Refusal::Bad(format!("not an order: {e}")))?;
        if order.at_hours.is_some() || order.when.is_some() || order.delay_hours.is_some() {
            return Err(Refusal::Bad(
                "an order from the map fires at the next tick: give no `at_hours`, `when` or `delay_hours`"
                    .into(),
            ));
        }
        let (tx, rx) = mpsc::channel();
        self.send(Command::Order(Box::new(order), tx))?;
        rx.recv().map_err(|_| Refusal::Ended)?
    }

    /// Stops the run and publishes its folder (at its end, or at the tick reached); the
    /// folder, or `None` for a run stopped before its first tick, which has nothing to
    /// publish.
    pub fn end(&self) -> Result<Option<String>, String> {
        let (tx, rx) = mpsc::channel();
        if self.send(Command::End(tx)).is_err() {
            return Err("the live run stopped".into());
        }
        rx.recv().map_err(|_| "the live run stopped".to_string())?
    }
}

/// The simulation thread's state.
struct Stepper {
    /// The run, until it is published.
    run: Option<Run>,
    scenario: Scenario,
    playing: bool,
    speed: f64,
    /// The labels of the orders given from pages, with the tick each fires at.
    orders: Vec<(u32, String)>,
    published: Option<String>,
    failed: Option<String>,
    live: Arc<Live>,
}

impl Stepper {
    fn serve(&mut self, rx: &mpsc::Receiver<Command>) {
        let mut due = Instant::now();
        loop {
            let running = self.playing && self.run.as_ref().is_some_and(|r| !r.finished());
            let command = if running {
                match rx.recv_timeout(due.saturating_duration_since(Instant::now())) {
                    Ok(c) => Some(c),
                    Err(mpsc::RecvTimeoutError::Timeout) => None,
                    Err(mpsc::RecvTimeoutError::Disconnected) => return,
                }
            } else {
                match rx.recv() {
                    Ok(c) => Some(c),
                    Err(_) => return,
                }
            };
            match command {
                None => {
                    // The ticks of one batch at the pace asked; a world slower than that
                    // falls behind rather than piling up ticks.
                    let ticks = (self.speed * HEAD_EVERY.as_secs_f64()).max(1.0).floor() as u32;
                    self.step(ticks);
                    due += Duration::from_secs_f64(f64::from(ticks) / self.speed);
                    due = due.max(Instant::now());
                }
                Some(Command::Play(p)) => {
                    self.playing = p;
                    due = Instant::now();
                }
                Some(Command::Speed(s)) => self.speed = s,
                Some(Command::Step(n)) => self.step(n),
                Some(Command::Order(order, reply)) => {
                    let _ = reply.send(self.order(*order));
                }
                Some(Command::End(reply)) => {
                    let _ = reply.send(self.end());
                    self.publish_head();
                    return;
                }
            }
            self.publish_head();
        }
    }

    fn step(&mut self, ticks: u32) {
        let chunks = |r: &Run| r.recorder().replay().map_or(0, Replay::finished_chunks);
        for _ in 0..ticks {
            let Some(run) = self.run.as_mut() else { return };
            if run.finished() {
                break;
            }
            let before = chunks(run);
            if let Err(e) = run.step() {
                self.failed = Some(full(&e));
                self.playing = false;
                return;
            }
            if chunks(run) > before {
                // The pages' copy takes a finished chunk's rows while the replay has them.
                self.publish_head();
            }
        }
        if self.run.as_ref().is_some_and(Run::finished) {
            self.publish_head();
            if let Err(e) = self.publish() {
                self.failed = Some(e);
            }
        }
    }

    fn order(&mut self, order: RawOrder) -> Result<String, Refusal> {
        let Some(run) = &mut self.run else {
            return Err(Refusal::Ended);
        };
        let next = run.tick() + 1;
        let mut scenario = self.scenario.clone();
        let at = f64::from(next) * scenario.params.run.tick_minutes / 60.0;
        scenario.raw.authorities.push(RawOrder {
            at_hours: Some(at),
            ..order
        });
        let k = scenario.raw.authorities.len() - 1;
        // Said of the order's own keys: the page knows nothing of the scenario's file.
        let said = |e: &outbreak_scenario::ScenarioError| {
            let field = e
                .key
                .strip_prefix(&format!("authorities.{k}."))
                .unwrap_or(&e.key);
            Refusal::Bad(if field.is_empty() {
                e.message()
            } else {
                format!("{field}: {}", e.message())
            })
        };
        let variant =
            Scenario::from_str(&scenario.to_toml(), &scenario.name, &[]).map_err(|e| said(&e))?;
        run.amend(&variant).map_err(|e| match e {
            RunError::Scenario(e) => said(&e),
            e => Refusal::Bad(full(&e)),
        })?;
        let label = variant
            .orders
            .last()
            .map(|o| o.label.clone())
            .unwrap_or_default();
        self.orders.push((next, label.clone()));
        self.scenario = variant;
        Ok(label)
    }

    /// Publishes the run's folder; the folder.
    fn publish(&mut self) -> Result<String, String> {
        let Some(run) = self.run.take() else {
            return self
                .published
                .clone()
                .ok_or_else(|| "nothing to publish".into());
        };
        let out = run.out().display().to_string();
        run.publish().map_err(|e| full(&e))?;
        self.published = Some(out.clone());
        Ok(out)
    }

    fn end(&mut self) -> Result<Option<String>, String> {
        match &mut self.run {
            None => return Ok(self.published.clone()),
            Some(run) if run.tick() == 0 => return Ok(None),
            Some(run) => run.end_now().map_err(|e| full(&e))?,
        }
        self.publish_head();
        self.publish().map(Some)
    }

    /// The squads the scenario's characters serve in, each once, in order.
    fn squads(&self) -> Vec<&str> {
        let mut squads: Vec<&str> = Vec::new();
        for c in &self.scenario.population.characters {
            if let Some(s) = c.squad.as_deref().filter(|s| !squads.contains(s)) {
                squads.push(s);
            }
        }
        squads
    }

    /// Brings what pages read up to the run: the status, and while the run is not yet
    /// published its time series and the replay's new rows.
    fn publish_head(&self) {
        let run = self.run.as_ref();
        let status = serde_json::json!({
            "tick": run.map(Run::tick),
            "minutes": run.map(|r| r.sim().minutes()),
            "duration_ticks": self.scenario.params.run.duration_ticks,
            "playing": self.playing && run.is_some_and(|r| !r.finished()),
            "speed": self.speed,
            "finished": run.is_none_or(Run::finished),
            "published": self.published,
            "failed": self.failed,
            "orders": self.orders.iter().map(|(t, l)| serde_json::json!({"tick": t, "label": l})).collect::<Vec<_>>(),
            "tick_minutes": self.scenario.params.run.tick_minutes,
            "zones": run.map(|r| {
                let w = &r.sim().world;
                (0..w.zone_count()).map(|z| w.zone_name(ZoneId(z as u32)).to_string()).collect::<Vec<_>>()
            }),
            "squads": self.squads(),
        });
        let Ok(mut head) = self.live.head.write() else {
            return;
        };
        let Some(run) = run else {
            // After the run is published its last view stays: pages go on watching the end.
            let mut old: serde_json::Value =
                serde_json::from_slice(&head.status).unwrap_or_default();
            for key in ["playing", "finished", "published", "failed"] {
                old[key] = status[key].clone();
            }
            head.status = old.to_string().into_bytes();
            return;
        };
        head.status = status.to_string().into_bytes();
        head.timeseries = timeseries_csv(run.recorder());
        let seen = head.events.len();
        if run.recorder().events().len() > seen || head.orders_for != self.orders.len() {
            let text = events_csv(run.recorder(), run.sim(), seen);
            // Rows the program itself wrote read back; were one not to, the feed keeps what
            // it has rather than stopping the run.
            if let Ok(rows) = feed::parse_events(text.as_slice()) {
                head.events.extend(rows);
            }
            let w = &run.sim().world;
            let tick_minutes = self.scenario.params.run.tick_minutes;
            if let Ok(rows) = crate::orders::orders(
                run.scenario_toml(),
                &head.events,
                &w.places.name,
                tick_minutes,
            ) {
                head.orders = crate::orders::orders_json(&rows).to_string().into_bytes();
            }
            head.orders_for = self.orders.len();
        }
        if let Some(replay) = run.recorder().replay() {
            follow(&mut head, replay);
            let mut index = replay.index(head.finished.len() + 1);
            index["live"] = true.into();
            head.index = index.to_string().into_bytes();
        }
    }
}

/// Brings the pages' copy of the replay up to `replay`: the chunks it finished since, then
/// the new rows of the one it fills.
fn follow(head: &mut Head, replay: &Replay) {
    while head.finished.len() < replay.finished_chunks() {
        if let Some(rows) = replay.rows(head.finished.len()) {
            head.filling.follow(rows);
        }
        let done = std::mem::take(&mut head.filling);
        head.finished.push(Bytes::from(done.wire(0)));
    }
    if let Some(rows) = replay.rows(head.finished.len()) {
        head.filling.follow(rows);
    }
}

/// An error and its causes, as one line.
fn full(e: &RunError) -> String {
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        text.push_str(&format!(": {c}"));
        cause = c.source();
    }
    text
}

/// A new session token: 128 random bits from the system, as hex.
pub fn new_token() -> std::io::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The world of a live run as the page draws it (as a replay's `/api/world`).
pub fn world_of(run: &Run) -> Vec<u8> {
    let w = &run.sim().world;
    let places: Vec<PlaceRow> = (0..w.place_count())
        .map(|i| PlaceRow {
            name: w.places.name[i].clone(),
            kind: w.places.kind[i].as_str().to_string(),
            pos: w.places.pos[i],
            capacity: w.places.capacity[i],
            zones: w
                .zones_of(outbreak_engine::prelude::PlaceId(i as u32))
                .iter()
                .map(|&z| w.zone_name(z).to_string())
                .collect(),
        })
        .collect();
    let ways: Vec<(u32, u32)> = w.ways.iter().map(|&(a, b)| (a.0, b.0)).collect();
    let credit = w.geographic.then_some(outbreak_output::OSM_CREDIT);
    crate::world_json(&places, &ways, run.streets().map(Vec::as_slice), credit)
}

/// The named characters of a live run, as a replay's `/api/characters`.
pub fn characters_of(run: &Run) -> Vec<u8> {
    let list: Vec<serde_json::Value> =
        outbreak_output::fates::characters(run.recorder(), run.sim())
            .iter()
            .map(|c| serde_json::json!({ "name": c.name, "agent": c.agent, "role": c.role }))
            .collect();
    serde_json::Value::Array(list).to_string().into_bytes()
}

/// The server's state for a live run.
struct Served {
    live: Arc<Live>,
    world: Vec<u8>,
    characters: Vec<u8>,
    hosts: Arc<[String]>,
}

/// The router of a live run, answering only to `hosts`.
pub fn router(live: Arc<Live>, world: Vec<u8>, characters: Vec<u8>, hosts: Vec<String>) -> Router {
    let hosts: Arc<[String]> = hosts.into();
    let served = Arc::new(Served {
        live,
        world,
        characters,
        hosts: hosts.clone(),
    });
    Router::new()
        .route("/", get(page))
        .route("/assets/{name}", get(crate::asset))
        .route("/api/world", get(world_of_live))
        .route("/api/replay", get(index))
        .route("/api/timeseries", get(timeseries))
        .route("/api/events", get(events))
        .route("/api/characters", get(characters_json))
        .route("/api/orders", get(orders_json))
        .route("/api/chunk/{k}", get(chunk))
        .route("/api/live", get(status))
        .route("/api/control", post(control))
        .route("/api/order", post(order))
        .fallback(|| async { (StatusCode::NOT_FOUND, "not found") })
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn_with_state(hosts, crate::guard))
        .with_state(served)
}

/// The page, carrying the session token and the live controls.
async fn page(State(s): State<Arc<Served>>) -> Response {
    let Some(file) = crate::Assets::get("index.html") else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let html = String::from_utf8_lossy(&file.data)
        .replacen(
            "<head>",
            &format!(
                "<head>\n<meta name=\"outbreak-token\" content=\"{}\">",
                s.live.token
            ),
            1,
        )
        .replacen(
            "</body>",
            "<script src=\"/assets/live.js\"></script>\n</body>",
            1,
        );
    crate::typed("text/html; charset=utf-8", html)
}

/// The answer `f` gives from what pages read of the run.
fn read(s: &Served, f: impl FnOnce(&Head) -> Response) -> Response {
    match s.live.head.read() {
        Ok(h) => f(&h),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "the live run failed").into_response(),
    }
}

async fn world_of_live(State(s): State<Arc<Served>>) -> Response {
    crate::typed("application/json", s.world.clone())
}

async fn index(State(s): State<Arc<Served>>) -> Response {
    read(&s, |h| crate::typed("application/json", h.index.clone()))
}

async fn timeseries(State(s): State<Arc<Served>>) -> Response {
    read(&s, |h| {
        crate::typed("text/csv; charset=utf-8", h.timeseries.clone())
    })
}

async fn events(State(s): State<Arc<Served>>, RawQuery(query): RawQuery) -> Response {
    match feed::FeedRange::parse(query.as_deref().unwrap_or("")) {
        Ok(range) => read(&s, |h| {
            let json = feed::events_json(&h.events, range).to_string();
            crate::typed("application/json", json)
        }),
        Err(why) => refuse(StatusCode::BAD_REQUEST, &why),
    }
}

async fn characters_json(State(s): State<Arc<Served>>) -> Response {
    crate::typed("application/json", s.characters.clone())
}

async fn orders_json(State(s): State<Arc<Served>>) -> Response {
    read(&s, |h| crate::typed("application/json", h.orders.clone()))
}

async fn status(State(s): State<Arc<Served>>) -> Response {
    read(&s, |h| crate::typed("application/json", h.status.clone()))
}

/// `?from=ROW` of a chunk request.
#[derive(serde::Deserialize)]
struct From {
    from: Option<usize>,
}

async fn chunk(
    State(s): State<Arc<Served>>,
    UrlPath(k): UrlPath<String>,
    query: Result<Query<From>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(From { from })) = query else {
        return refuse(StatusCode::BAD_REQUEST, "from: expected a row number");
    };
    let Ok(k) = k.parse::<usize>() else {
        return (StatusCode::NOT_FOUND, "no such chunk").into_response();
    };
    read(&s, |h| match h.chunk(k, from.unwrap_or(0)) {
        Some(bytes) => crate::typed("application/octet-stream", bytes),
        None => (StatusCode::NOT_FOUND, "no such chunk").into_response(),
    })
}

/// A refused request, and the end of its connection: a client that sent what it should
/// not is not served further on it.
fn refuse(code: StatusCode, why: &str) -> Response {
    let mut r = (code, why.to_string()).into_response();
    r.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    r
}

/// The refusal of a request that changes the run without the session token, or from a
/// page of another origin; `None` for one that may.
fn unauthorised(s: &Served, headers: &HeaderMap) -> Option<Response> {
    let token = headers
        .get("x-outbreak-token")
        .and_then(|v| v.to_str().ok());
    if token != Some(s.live.token.as_str()) {
        return Some(refuse(
            StatusCode::FORBIDDEN,
            "no session token: orders come from the page this server served",
        ));
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        let host = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"));
        if !host.is_some_and(|h| s.hosts.iter().any(|ours| ours == h)) {
            return Some(refuse(StatusCode::FORBIDDEN, "a page of another origin"));
        }
    }
    None
}

fn refused(r: Refusal) -> Response {
    match r {
        Refusal::Bad(why) => refuse(StatusCode::BAD_REQUEST, &why),
        Refusal::Ended => refuse(StatusCode::CONFLICT, "the run has ended"),
    }
}

async fn control(State(s): State<Arc<Served>>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(r) = unauthorised(&s, &headers) {
        return r;
    }
    match s.live.control(&body) {
        Ok(()) => crate::typed("application/json", "{}"),
        Err(r) => refused(r),
    }
}

async fn order(State(s): State<Arc<Served>>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(r) = unauthorised(&s, &headers) {
        return r;
    }
    let live = s.live.clone();
    match tokio::task::spawn_blocking(move || live.order(&body)).await {
        Ok(Ok(label)) => crate::typed(
            "application/json",
            serde_json::json!({ "label": label }).to_string(),
        ),
        Ok(Err(r)) => refused(r),
        Err(_) => refuse(StatusCode::INTERNAL_SERVER_ERROR, "the order failed"),
    }
}

/// Serves the live run on `listener` until `stop` completes (Ctrl-C in the binary), then
/// stops the run and publishes its folder: the folder, or `None` for a run stopped before
/// its first tick.
pub async fn serve(
    listener: tokio::net::TcpListener,
    live: Arc<Live>,
    (world, characters): (Vec<u8>, Vec<u8>),
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<Result<Option<String>, String>> {
    let addr = listener.local_addr()?;
    let app = router(live.clone(), world, characters, crate::hosts(addr));
    axum::serve(listener, app)
        .with_graceful_shutdown(stop)
        .await?;
    Ok(tokio::task::spawn_blocking(move || live.end())
        .await
        .unwrap_or_else(|_| Err("the live run stopped".into())))
}
