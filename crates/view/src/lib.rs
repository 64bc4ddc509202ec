//! `outbreak view DIR`: a local web server that replays a recorded run (`outbreak run
//! --record`) on its map. The page draws the world's ways and every recorded person as a dot
//! coloured by state with WebGL (deck.gl 9.4, vendored under `assets/vendor/` with its
//! licence and embedded in the binary), with a timeline to play, pause, change speed and
//! scrub to any tick, and the counts of what it draws.
//!
//! What it serves, and nothing else:
//!
//! | path | what |
//! | --- | --- |
//! | `/` | the page |
//! | `/assets/NAME` | an embedded asset (the page's script and style, deck.gl) |
//! | `/api/world` | places (x, y in metres; map worlds projected around their centre) and ways, JSON |
//! | `/api/replay` | the run's `replay.json` |
//! | `/api/timeseries` | the run's `timeseries.csv` |
//! | `/api/chunk/K` | chunk `K` of the replay, binary: `n` (u32), then `n` ticks, agents, places and headings (u32, `u32::MAX` for none), then `n` states (u8), little-endian |
//!
//! No path of a request names a file: the run's files are fixed names read from the folder
//! given, so no request reaches another file, encoded or not. A request whose `Host` is not
//! the server's own address is refused (DNS rebinding), and every page is served with a
//! content security policy that lets it load nothing from elsewhere.

#![warn(missing_docs)]

pub mod live;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::{Path as UrlPath, Request, State};
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
}

impl Viewed {
    /// Reads the run folder `dir`: its replay's index, places, ways and time series.
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
        let geographic = dir.join(outbreak_output::mapdata::files::STREETS).is_file();
        let places = outbreak_output::mapdata::read_places(dir)
            .map_err(|e| unreadable(&dir.join(outbreak_output::mapdata::files::PLACES), e))?;
        let ways = outbreak_output::mapdata::read_ways(dir)
            .map_err(|e| unreadable(&dir.join(outbreak_output::mapdata::files::WAYS), e))?;
        let world = world_json(&places, &ways, geographic);
        let ts_path = dir.join(outbreak_output::files::TIMESERIES);
        let timeseries = std::fs::read(&ts_path).map_err(|e| unreadable(&ts_path, e))?;
        Ok(Viewed {
            dir: dir.to_path_buf(),
            world,
            replay,
            timeseries,
            chunks,
        })
    }
}

/// The world as the page draws it: positions in metres (a map world's longitude and
/// latitude projected around its centre), kinds, and the ways as pairs of places.
fn world_json(places: &[([f64; 2], String)], ways: &[(u32, u32)], geographic: bool) -> Vec<u8> {
    let n = places.len().max(1) as f64;
    let (cx, cy) = places
        .iter()
        .fold((0.0, 0.0), |(x, y), (p, _)| (x + p[0] / n, y + p[1] / n));
    let project = |p: [f64; 2]| -> [f64; 2] {
        if geographic {
            let k = 111_320.0;
            [
                (p[0] - cx) * k * cy.to_radians().cos(),
                (p[1] - cy) * 110_540.0,
            ]
        } else {
            p
        }
    };
    let xy: Vec<[f64; 2]> = places
        .iter()
        .map(|(p, _)| project(*p).map(|v| (v * 10.0).round() / 10.0))
        .collect();
    let kinds: Vec<&str> = places.iter().map(|(_, k)| k.as_str()).collect();
    let pairs: Vec<[u32; 2]> = ways.iter().map(|&(a, b)| [a, b]).collect();
    serde_json::json!({ "geographic": geographic, "xy": xy, "kind": kinds, "ways": pairs })
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
