//! `outbreak view --live`: a run that steps on the server takes orders only from its own
//! page (session token, origin, size), refuses what is not an order without disturbing
//! anyone else, and publishes a folder that its own `scenario.toml` runs again to, byte for
//! byte — at its end, or at the tick reached when stopped with Ctrl-C.

use std::path::Path;
use std::time::{Duration, Instant};

mod common;
use common::http::{exchange, Client, Server};
use common::{outbreak, stderr, tree};

/// A small campus, live, waiting for its first step.
fn live(out: &Path, extra: &[&str]) -> Server {
    let mut args = vec![
        "view",
        "--live",
        "seoul-campus",
        "--set",
        "population.size=1500",
        "--set",
        "run.duration_hours=3",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    Server::start(&args)
}

/// The session token in the page the server serves.
fn token(s: &Server) -> String {
    let (code, page) = s.get("/");
    assert_eq!(code, 200);
    let page = String::from_utf8_lossy(&page).into_owned();
    let at = page
        .find("name=\"outbreak-token\" content=\"")
        .expect("the page carries its token");
    page[at + 31..].chars().take_while(|c| *c != '"').collect()
}

fn status(s: &Server) -> serde_json::Value {
    let (code, body) = s.get("/api/live");
    assert_eq!(code, 200);
    serde_json::from_slice(&body).expect("the status is JSON")
}

/// Waits until the status says `ok` (the simulation thread answers between ticks).
fn until(s: &Server, what: &str, ok: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
    let start = Instant::now();
    loop {
        let st = status(s);
        if ok(&st) {
            return st;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{what}: still {st}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn post(s: &Server, path: &str, token: &str, body: &str) -> (u16, String) {
    let (code, answer) = s.request(
        "POST",
        path,
        &[("x-outbreak-token", token)],
        body.as_bytes(),
    );
    (code, String::from_utf8_lossy(&answer).into_owned())
}

/// The folder a live run published runs again from its own scenario.toml to the same bytes.
fn reruns_to_the_same_folder(dir: &Path) {
    let again = dir.with_extension("again");
    let scenario = dir.join("scenario.toml");
    let o = outbreak(&[
        "run",
        scenario.to_str().unwrap(),
        "--quiet",
        "--out",
        again.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (a, b) = (tree(dir), tree(&again));
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b));
    for (x, y) in a.iter().zip(&b) {
        assert!(x.1 == y.1, "{} differs from the rerun's", x.0);
    }
}

#[test]
fn orders_need_the_page_token_and_join_the_timeline_and_ctrl_c_publishes_a_rerunnable_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("live");
    let mut server = live(&out, &["--paused"]);
    let token = token(&server);
    assert_eq!(token.len(), 32);
    assert_eq!(status(&server)["tick"], 0);

    // Without the token, with another, from another site's page, or to another host.
    let step = r#"{"step": 30}"#;
    let (code, _) = server.request("POST", "/api/control", &[], step.as_bytes());
    assert_eq!(code, 403);
    assert_eq!(
        post(
            &server,
            "/api/control",
            "0123456789abcdef0123456789abcdef",
            step
        )
        .0,
        403
    );
    let (code, _) = server.request(
        "POST",
        "/api/control",
        &[
            ("x-outbreak-token", &token),
            ("Origin", "http://evil.example"),
        ],
        step.as_bytes(),
    );
    assert_eq!(code, 403);
    let request = format!(
        "POST /api/control HTTP/1.1\r\nHost: evil.example:{}\r\nx-outbreak-token: {token}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{step}",
        server.port,
        step.len()
    );
    assert_eq!(exchange(server.port, request.as_bytes()).0, 403);
    // A GET cannot give orders.
    assert_eq!(server.get("/api/order").0, 405);
    assert_eq!(status(&server)["tick"], 0, "nothing refused moved the run");

    // What is not an order, each refused with what is wrong, and the run untouched.
    let too_big = format!(r#"{{"action": "lure", "label": "{}"}}"#, "x".repeat(8000));
    for (body, code, says) in [
        ("{not json", 400, "not an order"),
        (
            r#"{"action": "lure", "plac": "Main Gate"}"#,
            400,
            "unknown field `plac`",
        ),
        (
            r#"{"action": "lure", "place": "Main Gat"}"#,
            400,
            "did you mean `Main Gate`",
        ),
        (
            r#"{"action": "lure", "place": "Main Gate", "loudness": -5}"#,
            400,
            "loudness",
        ),
        (
            r#"{"action": "lure", "place": "Main Gate", "at_hours": 1}"#,
            400,
            "next tick",
        ),
        (r#"{"action": "bomb", "zone": "campus"}"#, 400, "action"),
        (&too_big, 413, ""),
    ] {
        let (got, text) = post(&server, "/api/order", &token, body);
        assert_eq!(got, code, "{body:.60}: {text}");
        assert!(text.contains(says), "{body:.60}: {text}");
    }
    for body in [
        "{}",
        r#"{"speed": 0}"#,
        r#"{"step": -1}"#,
        r#"{"play": 1}"#,
        r#"{"jump": 3}"#,
    ] {
        assert_eq!(post(&server, "/api/control", &token, body).0, 400, "{body}");
    }
    assert_eq!(status(&server)["tick"], 0);

    // Steps, and orders at the next tick; then Ctrl-C at a tick off the hour.
    assert_eq!(post(&server, "/api/control", &token, step).0, 200);
    until(&server, "stepping", |s| s["tick"] == 30);
    let lure = r#"{"action": "lure", "place": "Main Gate", "loudness": 300, "duration_hours": 1}"#;
    let (code, text) = post(&server, "/api/order", &token, lure);
    assert_eq!(code, 200, "{text}");
    assert!(text.contains("lure Main Gate"), "{text}");
    assert_eq!(
        post(&server, "/api/control", &token, r#"{"step": 45}"#).0,
        200
    );
    until(&server, "stepping", |s| s["tick"] == 75);
    let strike = r#"{"action": "strike", "zone": "dormitories", "label": "strike on the dorms"}"#;
    assert_eq!(post(&server, "/api/order", &token, strike).0, 200);
    assert_eq!(
        post(&server, "/api/control", &token, r#"{"step": 20}"#).0,
        200
    );
    let st = until(&server, "stepping", |s| s["tick"] == 95);
    let given: Vec<(u64, &str)> = st["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["tick"].as_u64().unwrap(), o["label"].as_str().unwrap()))
        .collect();
    assert_eq!(given, [(31, "lure Main Gate"), (76, "strike on the dorms")]);

    let pid = server.child.id().to_string();
    let kill = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status();
    assert!(kill.unwrap().success());
    let exit = server.child.wait().unwrap();
    assert!(exit.success(), "Ctrl-C ends the server cleanly: {exit}");
    let mut said = String::new();
    std::io::Read::read_to_string(&mut server.stdout, &mut said).unwrap();
    assert!(
        said.contains(&format!("results: {}", out.display())),
        "{said}"
    );

    let scenario = std::fs::read_to_string(out.join("scenario.toml")).unwrap();
    assert!(
        scenario.contains("at_hours = 0.5166666666666667"),
        "the lure at tick 31"
    );
    assert!(scenario.contains("label = \"strike on the dorms\""));
    assert!(
        scenario.contains("duration_hours = 1.5833333333333333"),
        "ends at tick 95"
    );
    let events = std::fs::read_to_string(out.join("events.csv")).unwrap();
    assert!(events.contains("strike on the dorms"), "the strike fired");
    reruns_to_the_same_folder(&out);
}

#[test]
fn a_live_run_publishes_at_its_end_and_then_takes_no_orders() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("live");
    let server = live(&out, &["--speed", "10000", "--set", "run.duration_hours=1"]);
    let token = token(&server);
    let st = until(&server, "the end", |s| s["published"].is_string());
    assert_eq!(st["finished"], true);
    assert_eq!(st["tick"], 60);
    let lure = r#"{"action": "lure", "place": "Main Gate"}"#;
    let (code, text) = post(&server, "/api/order", &token, lure);
    assert_eq!(code, 409, "{text}");
    // Pages go on watching the end.
    assert_eq!(server.get("/api/chunk/0").0, 200);
    reruns_to_the_same_folder(&out);
}

#[test]
fn a_thousand_viewers_watch_one_live_run_while_garbage_disturbs_no_one() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("live");
    let server = live(&out, &["--speed", "60"]);
    let port = server.port;
    until(&server, "playing", |s| s["tick"].as_u64().unwrap() > 0);
    let viewers = 1000;
    let polls = 5;
    let started = Instant::now();
    let threads: Vec<_> = (0..viewers)
        .map(|v| {
            std::thread::Builder::new()
                .stack_size(64 * 1024)
                .spawn(move || -> Result<Vec<Duration>, String> {
                    if v % 100 == 0 {
                        // A client that sends garbage: refused, its connection closed.
                        let (code, _) = exchange(port, b"\x16\x03\x01 garbage\r\n\r\n");
                        assert!(code == 400 || code == 0, "garbage got {code}");
                    }
                    let mut c = Client::connect(port).map_err(|e| e.to_string())?;
                    let mut took = Vec::new();
                    let mut from = 0usize;
                    for _ in 0..polls {
                        let t = Instant::now();
                        let (code, body) = c.get("/api/live").map_err(|e| e.to_string())?;
                        if code != 200 {
                            return Err(format!("status {code}"));
                        }
                        let st: serde_json::Value =
                            serde_json::from_slice(&body).map_err(|e| e.to_string())?;
                        let k = st["tick"].as_u64().unwrap_or(0).saturating_sub(1) / 60;
                        let (code, rows) = c
                            .get(&format!("/api/chunk/{k}?from={from}"))
                            .map_err(|e| e.to_string())?;
                        if code != 200 {
                            return Err(format!("chunk status {code}"));
                        }
                        from += u32::from_le_bytes(rows[..4].try_into().unwrap()) as usize;
                        took.push(t.elapsed());
                        std::thread::sleep(Duration::from_millis(100));
                    }
                    Ok(took)
                })
                .expect("a viewer thread")
        })
        .collect();
    let mut latencies = Vec::new();
    for t in threads {
        latencies.extend(t.join().expect("a viewer").expect("every viewer is served"));
    }
    let wall = started.elapsed();
    latencies.sort();
    let q = |p: f64| latencies[((latencies.len() - 1) as f64 * p) as usize];
    let peak_kb = std::fs::read_to_string(format!("/proc/{}/status", server.child.id()))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .unwrap_or(0);
    let st = status(&server);
    eprintln!(
        "{viewers} viewers x {polls} polls (status + chunk rows) in {:.1} s: latency median {:?}, p99 {:?}, max {:?}; server peak {:.1} MiB; run at tick {}",
        wall.as_secs_f64(),
        q(0.5),
        q(0.99),
        latencies.last().unwrap(),
        peak_kb as f64 / 1024.0,
        st["tick"]
    );
    assert_eq!(latencies.len(), viewers * polls);
    assert!(st["tick"].as_u64().unwrap() > 0 && st["failed"].is_null());
    // A thousand pages cost the server buffers, not copies of the run.
    assert!(peak_kb < 512 * 1024, "server peak {peak_kb} KiB");
}

#[test]
fn the_page_steps_plays_and_orders_and_the_run_it_leaves_runs_again_to_the_same_folder() {
    let Some(browser) = common::chromium() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("live");
    let mut server = live(&out, &["--paused", "--speed", "120"]);
    let url = format!("http://127.0.0.1:{}/", server.port);
    let mut page = common::browser::Page::open(&browser, &url);
    let live = "document.getElementById('live').dataset";
    page.until(
        &format!("document.body.dataset.ready === '1' && {live}.tick === '0'"),
        60,
    );

    // An hour of ticks, drawn where the page follows the run.
    page.eval("document.getElementById('live-hour').click()");
    page.until(
        &format!("{live}.tick === '60' && document.getElementById('counts').dataset.tick === '60'"),
        60,
    );
    let drawn = page.eval("Object.assign({}, document.getElementById('counts').dataset)");
    // Playing advances by itself; pausing stops it.
    page.eval("document.getElementById('live-play').click()");
    page.until(
        &format!("Number({live}.tick) > 70 && {live}.playing === '1'"),
        60,
    );
    page.eval("document.getElementById('live-play').click()");
    page.until(&format!("{live}.playing === '0'"), 60);
    let paused: u64 = status(&server)["tick"].as_u64().unwrap();

    // An order that names no place of the world is refused, and the page says why.
    let order = |place: &str| {
        format!(
            "(() => {{ const a = document.getElementById('live-action'); a.value = 'lure';
               a.dispatchEvent(new Event('change'));
               document.querySelector('#live-fields input[name=place]').value = '{place}';
               document.getElementById('live-give').click(); }})()"
        )
    };
    page.eval(&order("Nowhere Hall"));
    page.until(
        "document.getElementById('live-said').dataset.ok === '0'",
        30,
    );
    let said = page.eval("document.getElementById('live-said').textContent");
    assert!(said.as_str().unwrap().contains("no place named"), "{said}");
    page.eval(&order("Main Gate"));
    page.until(&format!("{live}.orders === '1'"), 30);
    page.eval("document.getElementById('live-hour').click()");
    page.until(&format!("Number({live}.tick) === {} ", paused + 60), 60);
    // The one refusal asked for is the only error.
    let errors: Vec<&String> = page
        .errors
        .iter()
        .filter(|e| !e.contains("/api/order"))
        .collect();
    assert!(errors.is_empty(), "the page reported {errors:?}");
    assert_eq!(page.errors.len(), 1, "{:?}", page.errors);
    drop(page);

    let pid = server.child.id().to_string();
    assert!(std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    assert!(server.child.wait().unwrap().success());
    let scenario = std::fs::read_to_string(out.join("scenario.toml")).unwrap();
    let at = (paused + 1) as f64 / 60.0;
    assert!(
        scenario.contains(&format!("at_hours = {at}")),
        "the lure at tick {}",
        paused + 1
    );
    assert!(
        scenario.contains("place = \"Main Gate\"\nloudness = 200.0"),
        "{scenario}"
    );
    // What the page drew at tick 60 is what the run wrote.
    let mut series = csv::Reader::from_path(out.join("timeseries.csv")).unwrap();
    let head = series.headers().unwrap().clone();
    let row = series.records().nth(60).unwrap().unwrap();
    for (k, v) in head.iter().zip(row.iter()).skip(2) {
        assert_eq!(drawn[k].as_str(), Some(v), "{k} drawn at tick 60");
    }
    reruns_to_the_same_folder(&out);
}

#[test]
fn bad_view_input_exits_2_with_what_to_do_and_leaves_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("live");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let o = out.to_str().unwrap();
    for (args, says) in [
        (vec!["view"], "outbreak view --live SCENARIO"),
        (vec!["view", o, "--set", "a=b"], "are for a live run"),
        (
            vec!["view", "--live", "seoul-campas"],
            "did you mean `seoul-campus`",
        ),
        (
            vec![
                "view",
                "--live",
                "seoul-campus",
                "--set",
                "virus.bite_rate=1",
            ],
            "did you mean `bite_rate_per_hour`",
        ),
        (
            vec!["view", "--live", "seoul-campus", "--speed", "0"],
            "more than 0",
        ),
        (
            vec![
                "view",
                "--live",
                "seoul-campus",
                "--out",
                o,
                "--port",
                &port,
            ],
            "Address already in use",
        ),
    ] {
        let r = outbreak(&args);
        assert_eq!(r.status.code(), Some(2), "{args:?}: {}", stderr(&r));
        assert!(stderr(&r).contains(says), "{args:?}: {}", stderr(&r));
    }
    drop(taken);
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}
