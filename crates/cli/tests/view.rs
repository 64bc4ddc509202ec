//! `outbreak view`: the server answers only for itself and only with its own files, refuses
//! bad ranges of events, and the page, in Debian's chromium (headless, software WebGL),
//! draws at tick t the counts `timeseries.csv` holds at t, the places, zones and streets of
//! the run's files, the orders acting at t, the events before t, a followed character where
//! `characters.csv` has them, and a place's census as `map.parquet` counts it.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

mod common;
use common::http::{exchange, Server};
use common::{chromium, outbreak, stderr};

fn serve(dir: &Path) -> Server {
    Server::start(&["view", dir.to_str().unwrap()])
}

/// A raw request on loopback; the status code answered (0 if none).
fn status(port: u16, request: &[u8]) -> u16 {
    exchange(port, request).0
}

fn get(port: u16, path: &str, host: &str) -> u16 {
    status(
        port,
        format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

/// A recorded run into `dir`: `outbreak run --record` with `args` (a scenario, `--set`s).
fn record(dir: &Path, args: &[&str]) {
    let mut all = vec!["run", "--record", "--quiet", "--out", dir.to_str().unwrap()];
    all.extend_from_slice(args);
    let o = outbreak(&all);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// A short recorded campus run.
fn recorded(dir: &Path) {
    record(
        dir,
        &[
            "--set",
            "population.size=3000",
            "--set",
            "run.duration_hours=3",
        ],
    );
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

    // The feed's bounds.
    for path in [
        "/api/events?from=0&to=180",
        "/api/events?from=0&to=180&limit=1",
        "/api/events?to=5&from=5",
        "/api/characters",
        "/api/orders",
    ] {
        assert_eq!(get(port, path, &me), 200, "{path}");
    }
    for path in [
        "/api/events",
        "/api/events?from=0",
        "/api/events?to=9",
        "/api/events?from=x&to=9",
        "/api/events?from=-1&to=9",
        "/api/events?from=1.5&to=9",
        "/api/events?from=9&to=1",
        "/api/events?from=0&to=10001",
        "/api/events?from=0&to=9&limit=0",
        "/api/events?from=0&to=9&limit=501",
        "/api/events?from=0&to=9&from=2",
        "/api/events?from=0&to=9&file=events.csv",
        "/api/events?from=99999999999&to=99999999999",
    ] {
        assert_eq!(get(port, path, &me), 400, "{path}");
    }

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
        .args(common::CHROMIUM_FLAGS)
        .args(["--virtual-time-budget=30000", "--dump-dom"])
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

/// The page at `url`, drawn (tried again, software WebGL on a loaded machine being slow).
fn drawn(browser: &Path, url: &str) -> String {
    let page = (0..3)
        .map(|_| dom(browser, url))
        .find(|page| page.contains("data-ready=\"1\""))
        .unwrap_or_else(|| panic!("{url}: the page is never drawn"));
    assert!(!page.contains("data-error"), "{url}: an error: {page}");
    page
}

/// The tags `<TAG ...>` inside the element with this id, as their text.
fn children(dom: &str, id: &str, tag: &str) -> Vec<String> {
    let Some(at) = dom.find(&format!("id=\"{id}\"")) else {
        return Vec::new();
    };
    let end = ["</ul>", "</svg>"]
        .iter()
        .filter_map(|close| dom[at..].find(close))
        .min()
        .map_or(dom.len(), |e| at + e);
    dom[at..end]
        .split(&format!("<{tag} "))
        .skip(1)
        .map(|s| s.to_string())
        .collect()
}

/// An attribute inside a piece of a tag.
fn attr_in(piece: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let from = piece.find(&key)? + key.len();
    Some(piece[from..from + piece[from..].find('"')?].to_string())
}

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn csv_rows(path: &Path) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let head = r.headers().unwrap().clone();
    (head, r.records().map(|r| r.unwrap()).collect())
}

#[test]
fn the_page_draws_the_map_orders_feed_follower_and_census_of_the_run_files() {
    let Some(browser) = chromium() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("r");
    recorded(&dir);
    let summary = read_json(&dir.join("summary.json"));
    let last = summary["ticks"].as_u64().unwrap();
    // The place with the most people at the end, from map.parquet.
    let map = outbreak_output::mapdata::read_map(&dir).unwrap();
    let (_, census_place, census) = map
        .iter()
        .filter(|(t, _, _)| u64::from(*t) == last)
        .max_by_key(|(_, p, c)| (c.iter().sum::<u32>(), *p))
        .cloned()
        .unwrap();
    let (head, characters) = csv_rows(&dir.join("characters.csv"));
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let one = characters
        .iter()
        .find(|c| &c[col("fate")] == "survived")
        .expect("a named survivor");
    let server = serve(&dir);
    let url = format!(
        "http://127.0.0.1:{}/?t={last}&place={census_place}&follow={}",
        server.port,
        one[col("name")].replace(' ', "%20")
    );
    let page = drawn(&browser, &url);

    // The map: every place, zone and way; no streets nor credit on a generated campus.
    assert_eq!(
        attr(&page, "map", "data-places"),
        Some(summary["world"]["places"].to_string())
    );
    assert_eq!(
        attr(&page, "map", "data-zones"),
        Some(summary["world"]["zones"].to_string())
    );
    assert_eq!(
        attr(&page, "map", "data-ways"),
        Some(summary["world"]["ways"].to_string())
    );
    assert_eq!(attr(&page, "map", "data-streets").as_deref(), Some("0"));
    assert!(
        page.contains("id=\"credit\" hidden"),
        "no credit on a campus"
    );

    // The orders acting at the end: fired, and not ended (lifted, closed, silent, flashed).
    let fired: Vec<(u64, u64)> = summary["orders"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| Some((o["index"].as_u64()?, o["fired_tick"].as_u64()?)))
        .collect();
    let acting: Vec<String> = summary["orders"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| {
            let Some(f) = o["fired_tick"].as_u64() else {
                return false;
            };
            match o["action"].as_str().unwrap() {
                "strike" | "eradicate" | "alarm" => last < f + 30,
                "lure" => false,
                _ => true,
            }
        })
        .map(|o| o["index"].to_string())
        .collect();
    assert!(
        fired.len() >= 2,
        "the campus's first orders fire in 3 hours"
    );
    assert_eq!(attr(&page, "orders", "data-active"), Some(acting.join(",")));
    assert!(!acting.is_empty());

    // The feed: the events of the hour before, newest first, at most 40.
    let (ehead, events) = csv_rows(&dir.join("events.csv"));
    let ecol = |name: &str| ehead.iter().position(|h| h == name).unwrap();
    let near: Vec<&csv::StringRecord> = events
        .iter()
        .filter(|e| {
            let t: u64 = e[ecol("tick")].parse().unwrap();
            t + 60 >= last && t <= last
        })
        .collect();
    let items = children(&page, "feed", "li");
    assert_eq!(items.len(), near.len().min(40));
    assert_eq!(
        attr(&page, "feed", "data-rows"),
        Some(items.len().to_string())
    );
    for (item, row) in items.iter().zip(near.iter().rev()) {
        assert_eq!(
            attr_in(item, "data-tick").as_deref(),
            Some(&row[ecol("tick")])
        );
        assert_eq!(
            attr_in(item, "data-event").as_deref(),
            Some(&row[ecol("event")])
        );
        if !row[ecol("agent_name")].is_empty() {
            assert!(item.contains(&row[ecol("agent_name")]), "{item}");
        }
    }

    // The follower: their id, and where characters.csv says they ended.
    assert_eq!(
        attr(&page, "follow", "data-agent").as_deref(),
        Some(&one[col("agent")])
    );
    assert_eq!(
        attr(&page, "follow", "data-place-name").as_deref(),
        Some(&one[col("place")])
    );
    assert_eq!(
        attr(&page, "follow", "data-state").as_deref(),
        Some("susceptible")
    );

    // The census of the place, against map.parquet at the same tick.
    assert_eq!(
        attr(&page, "census", "data-place"),
        Some(census_place.to_string())
    );
    assert_eq!(attr(&page, "census", "data-tick"), Some(last.to_string()));
    let states = [
        "susceptible",
        "infected",
        "zombie",
        "hambie",
        "dead",
        "rescued",
        "quarantined",
        "reserve",
    ];
    for (s, want) in states.iter().zip(&census) {
        assert_eq!(
            attr(&page, "census", &format!("data-{s}")),
            Some(want.to_string()),
            "{s} in place {census_place}"
        );
    }

    // The curves: a line per state anyone was in, the cursor at the tick drawn.
    let (thead, series) = csv_rows(&dir.join("timeseries.csv"));
    let lines = states
        .iter()
        .filter(|s| {
            let k = thead.iter().position(|h| h == **s).unwrap();
            series.iter().any(|r| &r[k] != "0")
        })
        .count();
    assert_eq!(attr(&page, "curves", "data-lines"), Some(lines.to_string()));
    assert_eq!(attr(&page, "curves", "data-cursor"), Some(last.to_string()));
    assert_eq!(children(&page, "curves", "polyline").len(), lines);
}

#[test]
fn an_openstreetmap_world_is_drawn_with_its_streets_and_credit() {
    let Some(browser) = chromium() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("k");
    record(&dir, &["kotka-karhula", "--set", "run.duration_hours=1"]);
    let streets = outbreak_output::mapdata::read_streets(&dir)
        .unwrap()
        .unwrap();
    let summary = read_json(&dir.join("summary.json"));
    let credit = summary["world"]["credit"].as_str().unwrap();
    assert!(credit.contains("© OpenStreetMap contributors"));
    let server = serve(&dir);
    let page = drawn(&browser, &format!("http://127.0.0.1:{}/?t=30", server.port));
    assert_eq!(
        attr(&page, "map", "data-streets"),
        Some(streets.len().to_string())
    );
    assert!(!streets.is_empty());
    assert!(
        page.contains(&format!("<span id=\"credit\">{credit}</span>")),
        "the credit shown: {page}"
    );
}

/// The counts the page drew last, by state, and the tick they are of.
fn drawn_counts(page: &mut common::browser::Page) -> serde_json::Value {
    page.eval("Object.assign({}, document.getElementById('counts').dataset)")
}

#[test]
fn a_person_scrubs_clicks_the_curves_plays_and_clicks_a_place_with_no_error_on_the_console() {
    let Some(browser) = chromium() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("r");
    recorded(&dir);
    let (head, rows) = csv_rows(&dir.join("timeseries.csv"));
    let last = rows.len() - 1;
    let server = serve(&dir);
    let mut page =
        common::browser::Page::open(&browser, &format!("http://127.0.0.1:{}/", server.port));
    page.until("document.body.dataset.ready === '1'", 180);
    let counts = "document.getElementById('counts').dataset";
    let agree = |drawn: &serde_json::Value, t: usize| {
        assert_eq!(drawn["tick"], t.to_string());
        // Every state the time series counts (the columns after `tick,minutes`).
        for (k, s) in head.iter().enumerate().skip(2) {
            let want = &rows[t][k];
            assert_eq!(
                drawn[s], *want,
                "tick {t}: {s} drawn against timeseries.csv"
            );
        }
    };
    // The slider, moved as a person moves it (an input event).
    for t in [45, 150] {
        page.eval(&format!(
            "(() => {{ const s = document.getElementById('scrub'); s.value = '{t}'; \
             s.dispatchEvent(new Event('input')); }})()"
        ));
        page.until(&format!("{counts}.tick === '{t}'"), 60);
        agree(&drawn_counts(&mut page), t);
    }
    // A click on the curves a third of the way along goes to that tick.
    let b = page.eval(
        "(() => { const b = document.getElementById('curves').getBoundingClientRect(); \
         return [b.left, b.top, b.width, b.height]; })()",
    );
    let b: Vec<f64> = b
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let pad = 4.0;
    let f = 1.0 / 3.0;
    page.click(b[0] + pad + f * (b[2] - 2.0 * pad), b[1] + b[3] / 2.0);
    let want = (f * last as f64).round() as usize;
    page.until(&format!("{counts}.tick === '{want}'"), 60);
    agree(&drawn_counts(&mut page), want);
    assert_eq!(
        page.eval("document.getElementById('curves').dataset.cursor"),
        want.to_string(),
        "the cursor on the curves follows"
    );
    // Play moves on, Pause stops.
    page.eval("document.getElementById('play').click()");
    page.until(&format!("Number({counts}.tick) > {want}"), 60);
    page.eval("document.getElementById('play').click()");
    let stopped: usize = page
        .eval(&format!("{counts}.tick"))
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    std::thread::sleep(Duration::from_millis(600));
    let paused = drawn_counts(&mut page);
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(
        drawn_counts(&mut page),
        paused,
        "paused, the page stays where it is"
    );
    let t: usize = paused["tick"].as_str().unwrap().parse().unwrap();
    assert!(
        t > want && t <= stopped + 5,
        "played on, then at most the frame asked before the pause"
    );
    agree(&paused, t);
    // A click on the largest place on the screen (a real click, picked on the WebGL map)
    // shows the census of the place drawn there (its own square, or a smaller one drawn
    // over it).
    let place = page.eval(
        "(async () => { const w = await (await fetch('/api/world')).json(); \
         const m = document.getElementById('map').getBoundingClientRect(); \
         let best = -1; w.capacity.forEach((c, i) => { \
           const [x, y] = window.outbreakView.screenOf(i); \
           const inside = x > 20 && y > 20 && x < m.width - 20 && y < m.height - 20; \
           if (inside && (best < 0 || c > w.capacity[best])) best = i; }); \
         const [x, y] = window.outbreakView.screenOf(best).map(Math.round); \
         return [best, window.outbreakView.placeAt(x, y), m.left + x, m.top + y]; })()",
    );
    let (largest, under) = (place[0].as_u64().unwrap(), &place[1]);
    let (x, y) = (place[2].as_f64().unwrap(), place[3].as_f64().unwrap());
    assert!(
        under.is_u64(),
        "place {largest} is drawn where it is: {under}"
    );
    page.click(x, y);
    page.until(
        &format!("document.getElementById('census').dataset.place === '{under}'"),
        60,
    );
    assert!(page.errors.is_empty(), "console errors: {:?}", page.errors);
}

#[test]
fn speed_of_a_redraw_and_of_a_scrub_with_the_campus() {
    // Figures, printed (`--nocapture`); time is not asserted.
    let Some(browser) = chromium() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("c");
    record(&dir, &["--set", "run.duration_hours=8"]);
    let server = serve(&dir);
    let url = format!("http://127.0.0.1:{}/?t=360&measure=437", server.port);
    // In real time (virtual time would stop the page's clock): the page writes its figures
    // on the console, which the browser logs on stderr.
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(&browser)
        .args(common::CHROMIUM_FLAGS)
        .args(["--enable-logging=stderr", "--v=0"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(&url)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium runs");
    let (send, receive) = std::sync::mpsc::channel();
    let err = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            if let Some(at) = line.find("outbreak-view measure: ") {
                let json = &line[at + "outbreak-view measure: ".len()..];
                let _ = send.send(json[..json.rfind('}').map_or(0, |e| e + 1)].to_string());
                return;
            }
        }
    });
    let got = receive.recv_timeout(Duration::from_secs(180));
    let _ = child.kill();
    let _ = child.wait();
    let figures: serde_json::Value =
        serde_json::from_str(&got.expect("the page measured")).unwrap();
    let agents = read_json(&dir.join("replay.json"))["agents"].clone();
    for (what, name) in [
        ("first draw of tick 360, its chunk fetched", "firstMs"),
        ("first redraw of tick 360 (the layers set up)", "warmMs"),
        ("redraw of tick 360", "frameMs"),
        ("scrub to tick 437 (another chunk)", "scrubToMs"),
        ("  of which the chunk fetched and applied", "stateMs"),
        ("  of which the people and layers built", "drawMs"),
        ("  of which the frame rendered", "renderMs"),
    ] {
        println!(
            "{agents} agents: {what}: {} ms",
            figures[name].as_str().unwrap_or("?")
        );
    }
    assert_eq!(figures["ready"], "1");
}
