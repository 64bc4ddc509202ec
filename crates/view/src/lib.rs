//! `outbreak view DIR`: a local web server that replays a recorded run (`outbreak run
//! --record`) on its map. The page draws with WebGL (deck.gl 9.4, vendored under
//! `assets/vendor/` with its licence and embedded in the binary) the world's places by kind
//! and capacity, its zones, ways and (OpenStreetMap worlds) streets with their credit, the
//! orders where and while they act, and every recorded person as a dot coloured by state;
//! beside it the curves of the time series with the tick drawn, the events near it, a named
//! character to follow and the census of a place clicked. A timeline plays, pauses, changes
//! speed and scrubs to any tick. All the page draws comes from the `/api/` paths below.
//!
//! What it serves, and nothing else:
//!
//! | path | what |
//! | --- | --- |
//! | `/` | the page |
//! | `/assets/NAME` | an embedded asset (the page's script and style, deck.gl) |
//! | `/api/world` | places (x, y in metres, map worlds projected around their centre; kind, name, capacity, zones), zones' names, ways, streets and the map data's credit, JSON |
//! | `/api/replay` | the run's `replay.json` |
//! | `/api/timeseries` | the run's `timeseries.csv` |
//! | `/api/events?from=T0&to=T1[&limit=N]` | the events of ticks `T0` to `T1`, newest first, at most 500 (and 10,000 ticks) a request, JSON ([`feed`]); bad parameters get 400 |
//! | `/api/characters` | the named characters: name, agent, role, JSON |
//! | `/api/orders` | the timeline's orders: action, label, place, zone, when fired and until, JSON ([`orders`]) |
//! | `/api/chunk/K` | chunk `K` of the replay, binary: `n` (u32), then `n` ticks, agents, places and headings (u32, `u32::MAX` for none), then `n` states (u8), little-endian |
//!
//! No path of a request names a file: the run's files are fixed names read from the folder
//! given, so no request reaches another file, encoded or not. A request whose `Host` is not
//! the server's own address is refused (DNS rebinding), and every page is served with a
//! content security policy that lets it load nothing from elsewhere.

#![warn(missing_docs)]

pub mod feed;
pub mod live;
pub mod orders;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::{Path as UrlPath, RawQuery, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use outbreak_output::replay::{self, read_chunk};

/// Why a folder cannot be viewed.
#[derive(Debug, thiserror::Error)]
pub enum ViewError {
    /// The folder holds no replay.
    #[error("{}: no replay to view (no {}; run with `outbreak run --record`)", dir.display(), replay::files::INDEX)]
    NoReplay {
        /// The folder given.
        dir: PathBuf,
    },
    /// A file of the run cannot be read or is not what the program writes.
    #[error("{}: {message}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

fn unreadable(path: &Path, e: impl std::fmt::Display) -> ViewError {
    ViewError::Unreadable {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// The embedded assets: the page, its script and style, and the vendored deck.gl.
#[derive(rust_embed::Embed)]
#[folder = "assets/"]
struct Assets;

/// A run folder made ready to serve: what every request needs, read once.
#[derive(Debug)]
pub struct Viewed {
    dir: PathBuf,
    world: Vec<u8>,
    replay: Vec<u8>,
    timeseries: Vec<u8>,
    chunks: usize,
    events: Vec<feed::EventRow>,
    characters: Vec<u8>,
    orders: Vec<u8>,
}

impl Viewed {
    /// Reads the run folder `dir`: its replay's index, places, ways, streets, time series,
    /// events, characters and orders.
    pub fn open(dir: &Path) -> Result<Viewed, ViewError> {
        let index_path = dir.join(replay::files::INDEX);
        if !index_path.is_file() {
            return Err(ViewError::NoReplay {
                dir: dir.to_path_buf(),
            });
        }
        let replay = std::fs::read(&index_path).map_err(|e| unreadable(&index_path, e))?;
        let index: serde_json::Value =
            serde_json::from_slice(&replay).map_err(|e| unreadable(&index_path, e))?;
        let chunks = index["chunks"]
            .as_u64()
            .ok_or_else(|| unreadable(&index_path, "no count of chunks"))?
            as usize;
        let places_path = dir.join(outbreak_output::mapdata::files::PLACES);
        let places = outbreak_output::mapdata::read_place_rows(dir)
            .map_err(|e| unreadable(&places_path, e))?;
        let ways = outbreak_output::mapdata::read_ways(dir)
            .map_err(|e| unreadable(&dir.join(outbreak_output::mapdata::files::WAYS), e))?;
        let streets = outbreak_output::mapdata::read_streets(dir)
            .map_err(|e| unreadable(&dir.join(outbreak_output::mapdata::files::STREETS), e))?;
        let summary_path = dir.join(outbreak_output::files::SUMMARY);
        let credit = match std::fs::read(&summary_path) {
            Ok(bytes) => {
                let summary: serde_json::Value =
                    serde_json::from_slice(&bytes).map_err(|e| unreadable(&summary_path, e))?;
                summary["world"]["credit"].as_str().map(str::to_string)
            }
            Err(_) => None,
        };
        let world = world_json(&places, &ways, streets.as_deref(), credit.as_deref());
        let ts_path = dir.join(outbreak_output::files::TIMESERIES);
        let timeseries = std::fs::read(&ts_path).map_err(|e| unreadable(&ts_path, e))?;
        let events_path = dir.join(outbreak_output::files::EVENTS);
        let events = feed::read_events(&events_path).map_err(|e| unreadable(&events_path, e))?;
        let characters_path = dir.join(outbreak_output::files::CHARACTERS);
        let characters = read_characters(&characters_path)?;
        let scenario_path = dir.join(outbreak_output::files::SCENARIO);
        let scenario =
            std::fs::read_to_string(&scenario_path).map_err(|e| unreadable(&scenario_path, e))?;
        let names: Vec<String> = places.iter().map(|p| p.name.clone()).collect();
        let tick_minutes = index["tick_minutes"]
            .as_f64()
            .ok_or_else(|| unreadable(&index_path, "no tick_minutes"))?;
        let orders = orders::orders(&scenario, &events, &names, tick_minutes)
            .map_err(|e| unreadable(&scenario_path, e))?;
        let orders = orders::orders_json(&orders).to_string().into_bytes();
        Ok(Viewed {
            dir: dir.to_path_buf(),
            world,
            replay,
            timeseries,
            chunks,
            events,
            characters,
            orders,
        })
    }
}

/// The named characters of `characters.csv` (none when the file is absent): name, agent
/// and role, JSON.
fn read_characters(path: &Path) -> Result<Vec<u8>, ViewError> {
    if !path.is_file() {
        return Ok(b"[]".to_vec());
    }
    let mut reader = csv::Reader::from_path(path).map_err(|e| unreadable(path, e))?;
    let mut out = Vec::new();
    // The first three columns: name, agent, role; the rest are the fate.
    for record in reader.records() {
        let r = record.map_err(|e| unreadable(path, e))?;
        let agent: u32 = r
            .get(1)
            .and_then(|a| a.parse().ok())
            .ok_or_else(|| unreadable(path, format!("no agent id in {r:?}")))?;
        out.push(serde_json::json!({
            "name": r.get(0).unwrap_or(""), "agent": agent, "role": r.get(2).unwrap_or(""),
        }));
    }
    Ok(serde_json::Value::Array(out).to_string().into_bytes())
}

/// The world as the page draws it: positions in metres (a map world's longitude and
/// latitude projected around its centre, streets with them), kinds, names, capacities and
/// zones (indices into `zone_names`), the ways as pairs of places, and the credit.
fn world_json(
    places: &[outbreak_output::mapdata::PlaceRow],
    ways: &[(u32, u32)],
    streets: Option<&[outbreak_output::mapdata::Street]>,
    credit: Option<&str>,
) -> Vec<u8> {
    let geographic = streets.is_some();
    let n = places.len().max(1) as f64;
    let (cx, cy) = places
        .iter()
        .fold((0.0, 0.0), |(x, y), p| (x + p.pos[0] / n, y + p.pos[1] / n));
    let project = |p: [f64; 2]| -> [f64; 2] {
        let p = if geographic {
            let k = 111_320.0;
            [
                (p[0] - cx) * k * cy.to_radians().cos(),
                (p[1] - cy) * 110_540.0,
            ]
        } else {
            p
        };
        p.map(|v| (v * 10.0).round() / 10.0)
    };
    let xy: Vec<[f64; 2]> = places.iter().map(|p| project(p.pos)).collect();
    let mut zone_names: Vec<&str> = Vec::new();
    let mut zone_index: std::collections::HashMap<&str, usize> = Default::default();
    let zones: Vec<Vec<usize>> = places
        .iter()
        .map(|p| {
            p.zones
                .iter()
                .map(|z| {
                    *zone_index.entry(z.as_str()).or_insert_with(|| {
                        zone_names.push(z.as_str());
                        zone_names.len() - 1
                    })
                })
                .collect()
        })
        .collect();
    let pairs: Vec<[u32; 2]> = ways.iter().map(|&(a, b)| [a, b]).collect();
    let streets: Vec<[[f64; 2]; 2]> = streets
        .unwrap_or(&[])
        .iter()
        .map(|&(a, b)| [project(a), project(b)])
        .collect();
    serde_json::json!({
        "geographic": geographic,
        "xy": xy,
        "kind": places.iter().map(|p| p.kind.as_str()).collect::<Vec<_>>(),
        "name": places.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        "capacity": places.iter().map(|p| p.capacity).collect::<Vec<_>>(),
        "zones": zones,
        "zone_names": zone_names,
        "ways": pairs,
        "streets": streets,
        "credit": credit,
    })
    .to_string()
    .into_bytes()
}

/// The server's state: the run.
struct Shared {
    viewed: Viewed,
}

/// The content security policy of every response: nothing from elsewhere.
const POLICY: &str = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'";

/// The `Host` values a server bound to `addr` answers to.
pub fn hosts(addr: SocketAddr) -> Vec<String> {
    let port = addr.port();
    let mut hosts = vec![format!("{addr}")];
    if addr.ip().is_loopback() {
        hosts.push(format!("localhost:{port}"));
        hosts.push(format!("127.0.0.1:{port}"));
    }
    hosts
}

/// The router of a viewed run, answering only to `hosts`.
pub fn router(viewed: Viewed, hosts: Vec<String>) -> Router {
    let hosts: Arc<[String]> = hosts.into();
    let shared = Arc::new(Shared { viewed });
    Router::new()
        .route("/", get(page))
        .route("/assets/{name}", get(asset))
        .route("/api/world", get(world))
        .route("/api/replay", get(replay_index))
        .route("/api/timeseries", get(timeseries))
        .route("/api/events", get(events))
        .route("/api/characters", get(characters))
        .route("/api/orders", get(orders_list))
        .route("/api/chunk/{k}", get(chunk))
        .fallback(|| async { (StatusCode::NOT_FOUND, "not found") })
        .layer(middleware::from_fn_with_state(hosts, guard))
        .with_state(shared)
}

/// Refuses requests for another host, and sets the security headers.
pub(crate) async fn guard(
    State(hosts): State<Arc<[String]>>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !hosts.iter().any(|h| h == host) {
        return (StatusCode::FORBIDDEN, "not this server's host").into_response();
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub(crate) fn typed(kind: &'static str, body: impl Into<axum::body::Body>) -> Response {
    ([(header::CONTENT_TYPE, kind)], body.into()).into_response()
}

pub(crate) async fn page() -> Response {
    asset(UrlPath("index.html".to_string())).await
}

pub(crate) async fn asset(UrlPath(name): UrlPath<String>) -> Response {
    let kind = match name.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        _ => "application/octet-stream",
    };
    // Only the names embedded, looked up as given: vendored files live under their own
    // folder, which a single path segment cannot name.
    let wanted = match name.as_str() {
        "deck.gl.min.js" => "vendor/deck.gl-9.4.0/deck.gl.min.js",
        other => other,
    };
    match Assets::get(wanted).filter(|_| !name.contains('/')) {
        Some(file) => typed(kind, file.data.into_owned()),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

async fn world(State(shared): State<Arc<Shared>>) -> Response {
    typed("application/json", shared.viewed.world.clone())
}

async fn replay_index(State(shared): State<Arc<Shared>>) -> Response {
    typed("application/json", shared.viewed.replay.clone())
}

async fn timeseries(State(shared): State<Arc<Shared>>) -> Response {
    typed("text/csv; charset=utf-8", shared.viewed.timeseries.clone())
}

async fn events(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    match feed::FeedRange::parse(query.as_deref().unwrap_or("")) {
        Ok(range) => typed(
            "application/json",
            feed::events_json(&shared.viewed.events, range)
                .to_string()
                .into_bytes(),
        ),
        Err(why) => (StatusCode::BAD_REQUEST, why).into_response(),
    }
}

async fn characters(State(shared): State<Arc<Shared>>) -> Response {
    typed("application/json", shared.viewed.characters.clone())
}

async fn orders_list(State(shared): State<Arc<Shared>>) -> Response {
    typed("application/json", shared.viewed.orders.clone())
}

async fn chunk(State(shared): State<Arc<Shared>>, UrlPath(k): UrlPath<String>) -> Response {
    let Some(k) = k
        .parse::<usize>()
        .ok()
        .filter(|&k| k < shared.viewed.chunks)
    else {
        return (StatusCode::NOT_FOUND, "no such chunk").into_response();
    };
    let path = shared
        .viewed
        .dir
        .join(replay::files::DIR)
        .join(replay::chunk_name(k));
    let read = tokio::task::spawn_blocking(move || read_chunk(&path)).await;
    let Ok(Ok(c)) = read else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the chunk cannot be read",
        )
            .into_response();
    };
    let body = wire(&c.tick, &c.agent, &c.place, &c.heading, &c.state);
    typed("application/octet-stream", body)
}

/// Rows of a chunk in the page's binary form: `n` (u32), then `n` ticks, agents, places and
/// headings (u32), then `n` states (u8), little-endian.
pub(crate) fn wire(
    tick: &[u32],
    agent: &[u32],
    place: &[u32],
    heading: &[u32],
    state: &[u8],
) -> Vec<u8> {
    let n = tick.len();
    let mut body = Vec::with_capacity(4 + n * 17);
    body.extend_from_slice(&(n as u32).to_le_bytes());
    for column in [tick, agent, place, heading] {
        for v in column {
            body.extend_from_slice(&v.to_le_bytes());
        }
    }
    body.extend_from_slice(state);
    body
}

/// The rows from `from` on of a chunk in the page's binary form, in that form.
pub(crate) fn wire_from(bytes: &[u8], from: usize) -> Vec<u8> {
    let n = bytes
        .get(..4)
        .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize);
    let from = from.min(n);
    let column = |k: usize| {
        let at = 4 + 4 * n * k;
        bytes[at + 4 * from..at + 4 * n]
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect::<Vec<u32>>()
    };
    let states = &bytes[4 + 16 * n + from..4 + 17 * n];
    wire(&column(0), &column(1), &column(2), &column(3), states)
}

/// Serves `viewed` on `listener` until `stop` completes (Ctrl-C in the binary).
pub async fn serve(
    listener: tokio::net::TcpListener,
    viewed: Viewed,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let addr = listener.local_addr()?;
    let app = router(viewed, hosts(addr));
    axum::serve(listener, app)
        .with_graceful_shutdown(stop)
        .await
}
