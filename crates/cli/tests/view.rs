//! `outbreak view`: the server answers only for itself and only with its own files, and the
//! page, in Debian's chromium (headless, software WebGL), draws at tick t the counts
//! `timeseries.csv` holds at t.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

mod common;
use common::{chromium, outbreak, stderr};

/// A server child, killed when dropped (a failing test leaves none behind).
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(dir: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_outbreak"))
        .args(["view", dir.to_str().unwrap(), "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    Server { child, port }
}

/// A raw request on loopback; the status code answered (0 if none).
fn status(port: u16, request: &[u8]) -> u16 {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request).unwrap();
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer);
    text.split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

fn get(port: u16, path: &str, host: &str) -> u16 {
    status(
        port,
        format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

/// A short recorded campus run.
fn recorded(dir: &Path) {
    let o = outbreak(&[
        "run",
        "--record",
        "--quiet",
        "--set",
        "population.size=3000",
        "--set",
        "run.duration_hours=3",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn the_server_answers_only_for_itself_and_only_with_its_own_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("r");
    recorded(&dir);
    let server = serve(&dir);
    let port = server.port;
    let me = format!("127.0.0.1:{port}");
    assert_eq!(get(port, "/", &me), 200);
    assert_eq!(get(port, "/", &format!("localhost:{port}")), 200);
    assert_eq!(get(port, "/api/chunk/0", &me), 200);
    assert_eq!(get(port, "/assets/deck.gl.min.js", &me), 200);
    // Another host (DNS rebinding), or none.
    assert_eq!(get(port, "/", "evil.example:80"), 403);
    assert_eq!(
        get(port, "/api/world", &format!("evil.example:{port}")),
        403
    );
    assert_eq!(
        status(port, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n"),
        403
    );
    // No request reaches another file, however it is written.
    for path in [
        "/assets/../scenario.toml",
        "/assets/..%2fscenario.toml",
        "/assets/%2e%2e%2fscenario.toml",
        "/assets/vendor%2fdeck.gl-9.4.0%2fLICENSE",
        "/assets/....//scenario.toml",
        "/scenario.toml",
        "/api/chunk/99",
        "/api/chunk/-1",
        "/api/chunk/..%2f..%2fscenario.toml",
    ] {
        assert_eq!(get(port, path, &me), 404, "{path}");
    }
    // Garbage is refused, and the server goes on answering the others.
    let garbage = status(port, b"\x00\x01 not http at all\r\n\r\n");
    assert!(garbage == 400 || garbage == 0, "garbage got {garbage}");
    assert_eq!(get(port, "/api/replay", &me), 200);

    // A folder without a replay is bad input.
    let plain = tmp.path().join("plain");
    let o = outbreak(&[
        "run",
        "munz-basic",
        "--quiet",
        "--out",
        plain.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = outbreak(&["view", plain.to_str().unwrap(), "--port", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no replay"), "{}", stderr(&o));
}

/// The page at `url` after its script ran, as the DOM.
fn dom(browser: &Path, url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--enable-unsafe-swiftshader",
            "--use-angle=swiftshader",
            "--disable-background-networking",
            "--no-first-run",
            "--window-size=1000,700",
            "--virtual-time-budget=30000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .output()
        .expect("chromium runs");
    assert!(out.status.success(), "chromium: {}", stderr(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// An attribute of the element with this id.
fn attr(dom: &str, id: &str, name: &str) -> Option<String> {
    let at = dom.find(&format!("id=\"{id}\""))?;
    let start = dom[..at].rfind('<')?;
    let end = at + dom[at..].find('>')?;
    let tag = &dom[start..end];
    let key = format!("{name}=\"");
    let from = tag.find(&key)? + key.len();
    Some(tag[from..from + tag[from..].find('"')?].to_string())
}

#[test]
fn the_page_draws_at_each_tick_the_counts_of_the_time_series() {
    let Some(browser) = chromium() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("r");
    recorded(&dir);
    let mut series = csv::Reader::from_path(dir.join("timeseries.csv")).unwrap();
    let head = series.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = series.records().map(|r| r.unwrap()).collect();
    let server = serve(&dir);
    let states = [
        "susceptible",
        "infected",
        "zombie",
        "hambie",
        "dead",
        "rescued",
    ];
    let mut seen = Vec::new();
    for t in [0usize, 61, 137, 180] {
        // Software WebGL on a loaded machine may not draw within the browser's virtual time:
        // try again before concluding that the page does not draw.
        let url = format!("http://127.0.0.1:{}/?t={t}", server.port);
        let page = (0..3)
            .map(|_| dom(&browser, &url))
            .find(|page| page.contains("data-ready=\"1\""))
            .unwrap_or_else(|| panic!("tick {t}: the page is never drawn"));
        assert!(!page.contains("data-error"), "tick {t}: an error: {page}");
        assert_eq!(
            attr(&page, "counts", "data-tick").as_deref(),
            Some(&*t.to_string())
        );
        let mut drawn = Vec::new();
        for s in states {
            let want = &rows[t][head.iter().position(|h| h == s).unwrap()];
            let got = attr(&page, "counts", &format!("data-{s}")).unwrap_or_default();
            assert_eq!(got, want, "tick {t}: {s} drawn against timeseries.csv");
            drawn.push(got);
        }
        seen.push(drawn);
    }
    seen.dedup();
    assert_eq!(seen.len(), 4, "each tick scrubbed to draws something else");
}
