//! A page in Debian's chromium (headless, software WebGL), driven over the DevTools
//! protocol: the browser's WebSocket (tungstenite) carries `Runtime.evaluate` calls, and
//! the exceptions, console errors and log errors the page reports on the way are kept.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

/// A browser with one page open, closed when dropped.
pub struct Page {
    child: Child,
    socket: WebSocket<MaybeTlsStream<TcpStream>>,
    next: u64,
    /// What the page reported as errors: exceptions, `console.error`, log entries.
    pub errors: Vec<String>,
    _profile: tempfile::TempDir,
}

impl Drop for Page {
    fn drop(&mut self) {
        let _ = self.socket.close(None);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Page {
    /// `browser` showing `url` in a 1000 × 700 window.
    pub fn open(browser: &Path, url: &str) -> Page {
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(browser)
            .args(super::CHROMIUM_FLAGS)
            .args(["--remote-debugging-port=0", "about:blank"])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("chromium runs");
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let port: u16 = loop {
            let line = lines
                .next()
                .expect("chromium says where DevTools listen")
                .unwrap();
            if let Some(rest) = line.split("ws://127.0.0.1:").nth(1) {
                break rest.split('/').next().unwrap().parse().unwrap();
            }
        };
        // Chromium goes on writing to stderr: keep reading it so that it never blocks.
        std::thread::spawn(move || for _ in lines {});
        let targets: Value = loop {
            let (code, body) = super::http::exchange(
                port,
                format!("GET /json/list HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            );
            let list: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            if code == 200
                && list
                    .as_array()
                    .is_some_and(|l| l.iter().any(|t| t["type"] == "page"))
            {
                break list;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let ws = targets
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["type"] == "page")
            .and_then(|t| t["webSocketDebuggerUrl"].as_str())
            .expect("a page target")
            .to_string();
        let (socket, _) = tungstenite::connect(ws).expect("the page's DevTools socket");
        if let MaybeTlsStream::Plain(s) = socket.get_ref() {
            s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
        }
        let mut page = Page {
            child,
            socket,
            next: 0,
            errors: Vec::new(),
            _profile: profile,
        };
        page.call("Runtime.enable", json!({}));
        page.call("Log.enable", json!({}));
        page.call("Page.navigate", json!({ "url": url }));
        page
    }

    /// Calls a DevTools method and returns its result, keeping the errors reported before
    /// the answer.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = self.next;
        let message = json!({ "id": id, "method": method, "params": params }).to_string();
        self.socket.send(Message::text(message)).unwrap();
        loop {
            let Message::Text(text) = self.socket.read().expect("DevTools answer") else {
                continue;
            };
            let v: Value = serde_json::from_str(&text).unwrap();
            if v["id"] == id {
                assert!(v["error"].is_null(), "{method}: {}", v["error"]);
                return v["result"].clone();
            }
            self.keep_error(&v);
        }
    }

    fn keep_error(&mut self, v: &Value) {
        let p = &v["params"];
        match v["method"].as_str() {
            Some("Runtime.exceptionThrown") => self.errors.push(p["exceptionDetails"].to_string()),
            Some("Runtime.consoleAPICalled") if p["type"] == "error" => {
                self.errors.push(p["args"].to_string());
            }
            Some("Log.entryAdded") if p["entry"]["level"] == "error" => {
                let e = &p["entry"];
                self.errors.push(format!("{} {}", e["text"], e["url"]));
            }
            _ => {}
        }
    }

    /// The value of a JavaScript expression in the page (promises awaited).
    pub fn eval(&mut self, expression: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "awaitPromise": true, "returnByValue": true }),
        );
        assert!(
            r["exceptionDetails"].is_null(),
            "{expression}: {}",
            r["exceptionDetails"]
        );
        r["result"]["value"].clone()
    }

    /// Waits until `expression` is true in the page (one that throws, as before the page
    /// has loaded, is not yet true); panics after `secs` seconds.
    pub fn until(&mut self, expression: &str, secs: u64) {
        let start = Instant::now();
        let test = format!(
            "(() => {{ try {{ return !!({expression}); }} catch (e) {{ return false; }} }})()"
        );
        while self.eval(&test) != Value::Bool(true) {
            assert!(
                start.elapsed() < Duration::from_secs(secs),
                "the page never came to {expression}; errors {:?}",
                self.errors
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A click of the left mouse button at (x, y) in the page's CSS pixels, as a person's:
    /// the pointer moves there, presses and releases.
    pub fn click(&mut self, x: f64, y: f64) {
        // Each event: its type, the button, the buttons held after it, the clicks.
        for (kind, button, buttons, count) in [
            ("mouseMoved", "none", 0, 0),
            ("mousePressed", "left", 1, 1),
            ("mouseReleased", "left", 0, 1),
        ] {
            let event = json!({ "type": kind, "x": x, "y": y, "button": button,
                "buttons": buttons, "clickCount": count });
            self.call("Input.dispatchMouseEvent", event);
        }
    }
}
