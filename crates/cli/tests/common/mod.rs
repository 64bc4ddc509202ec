//! What the command-line tests share: running the binary and reading what it printed.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

pub mod browser;
pub mod http;

/// Runs `outbreak` with these arguments and waits for it.
pub fn outbreak(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_outbreak"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Every file under `dir`, by path relative to it, with its bytes; sorted.
pub fn tree(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).expect("a folder") {
            let p = e.expect("an entry").path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).expect("inside").to_string_lossy();
                out.push((rel.into_owned(), std::fs::read(&p).expect("readable")));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Every file under `dir` as [`tree`] reads them, `manifest.json` without its `timings`
/// (the one part of an ensemble's or sweep's folder that differs between runs of a job).
pub fn contents(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    tree(dir)
        .into_iter()
        .map(|(name, mut bytes)| {
            if name == "manifest.json" {
                let mut v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                v.as_object_mut().unwrap().remove("timings");
                bytes = v.to_string().into_bytes();
            }
            (name, bytes)
        })
        .collect()
}

/// The flags every browser test starts chromium with: headless, as root, software WebGL,
/// nothing fetched from the network, a 1000 × 700 window.
pub const CHROMIUM_FLAGS: [&str; 7] = [
    "--headless",
    "--no-sandbox",
    "--enable-unsafe-swiftshader",
    "--use-angle=swiftshader",
    "--disable-background-networking",
    "--no-first-run",
    "--window-size=1000,700",
];

/// Bytes printed, as text.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// What a run printed on stderr.
pub fn stderr(o: &Output) -> String {
    text(&o.stderr)
}

/// The Python that reads the Parquet files (`OUTBREAK_PYTHON`, default `python3`).
pub fn python() -> String {
    std::env::var("OUTBREAK_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// Whether that Python has pyarrow. CI installs it (.ci/run), and there its absence fails
/// the test; elsewhere the test says how to get it and is skipped.
pub fn has_pyarrow() -> bool {
    let has = Command::new(python())
        .args(["-c", "import pyarrow"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have pyarrow: {} -m pip install pyarrow",
            python()
        );
        eprintln!("skipped: no pyarrow for {} (pip install pyarrow)", python());
    }
    has
}

/// The browser, if this machine has one.
pub fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser"]
        .iter()
        .map(|name| PathBuf::from("/usr/bin").join(name))
        .find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI needs chromium for the browser tests (apt-get install -y chromium)"
        );
        eprintln!("no chromium: browser tests skipped");
    }
    found
}
