//! The structure of the pictures a results folder carries — `curves.svg` and `map.svg` of
//! a campus run and of a lattice run, `map.svg` of the Kotka map, `bands.svg` of an ensemble,
//! `sweep.svg` of a one-key and of a two-key sweep — held against snapshots in
//! `tests/fixtures/pictures/`: every element's tag, class and data attributes, in document
//! order, runs of the same element counted, coordinates left out (they follow from the data,
//! which the digests test holds). A change that alters a picture on purpose re-records them:
//! `OUTBREAK_RECORD_PICTURES=1 cargo test --release -p outbreak --test pictures`.

use std::path::Path;

mod common;
use common::{outbreak, stderr};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pictures");

/// The attribute's value in an element's opening tag.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let from = tag.find(&key)? + key.len();
    let len = tag[from..].find('"')?;
    Some(&tag[from..from + len])
}

/// One line an element: its depth, tag, class and the names of its data attributes (and the
/// value of `data-series`, `data-layer`, `data-order`, which name what is drawn); a run of
/// identical lines is one line with its count.
fn structure(svg: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut depth = 0usize;
    let mut rest = svg;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let end = rest.find('>').expect("a closed tag");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if let Some(_closing) = tag.strip_prefix('/') {
            depth = depth.saturating_sub(1);
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let mut line = format!("{}{name}", "  ".repeat(depth));
        if let Some(class) = attr(tag, "class") {
            line += &format!(" .{class}");
        }
        for key in ["data-series", "data-layer", "data-order"] {
            if let Some(v) = attr(tag, key) {
                line += &format!(" {key}={v}");
            }
        }
        for key in ["data-minutes", "data-share"] {
            if attr(tag, key).is_some() {
                line += &format!(" {key}");
            }
        }
        if name == "text" {
            // What a label says is part of the picture's structure.
            let text_end = rest.find('<').unwrap_or(rest.len());
            line += &format!(" “{}”", &rest[..text_end]);
        }
        lines.push(line);
        if !tag.ends_with('/') {
            depth += 1;
        }
    }
    let mut out = String::new();
    let mut k = 0;
    while k < lines.len() {
        let mut n = 1;
        while k + n < lines.len() && lines[k + n] == lines[k] {
            n += 1;
        }
        out += &lines[k];
        if n > 1 {
            out += &format!(" ×{n}");
        }
        out.push('\n');
        k += n;
    }
    out
}

fn check(name: &str, svg_path: &Path) {
    let svg =
        std::fs::read_to_string(svg_path).unwrap_or_else(|e| panic!("{}: {e}", svg_path.display()));
    assert!(
        svg.starts_with("<svg xmlns="),
        "{name}: a standalone picture names its namespace"
    );
    let now = structure(&svg);
    let fixture = Path::new(FIXTURES).join(format!("{name}.txt"));
    if std::env::var_os("OUTBREAK_RECORD_PICTURES").is_some() {
        std::fs::create_dir_all(FIXTURES).unwrap();
        std::fs::write(&fixture, &now).unwrap();
        return;
    }
    let recorded = std::fs::read_to_string(&fixture).unwrap_or_default();
    if now != recorded {
        let first = now
            .lines()
            .zip(recorded.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(now.lines().count().min(recorded.lines().count()));
        panic!(
            "{name}: the picture's structure changed at line {}: now {:?}, recorded {:?}",
            first + 1,
            now.lines().nth(first),
            recorded.lines().nth(first)
        );
    }
}

fn ok(args: &[&str]) {
    let o = outbreak(args);
    assert!(o.status.success(), "outbreak {args:?}: {}", stderr(&o));
}

#[test]
fn the_pictures_keep_their_structure() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = |n: &str| tmp.path().join(n);
    let d = |n: &str| dir(n).display().to_string();
    ok(&[
        "run",
        "--quiet",
        "--out",
        &d("campus"),
        "--set",
        "population.size=3000",
        "--set",
        "run.duration_hours=10",
    ]);
    check("campus-curves", &dir("campus").join("curves.svg"));
    check("campus-map", &dir("campus").join("map.svg"));
    ok(&[
        "run",
        "alemi-lattice",
        "--quiet",
        "--out",
        &d("lattice"),
        "--set",
        "world.side=31",
        "--set",
        "population.size=961",
        "--set",
        "run.duration_hours=12",
    ]);
    check("lattice-map", &dir("lattice").join("map.svg"));
    ok(&[
        "run",
        "kotka-karhula",
        "--quiet",
        "--out",
        &d("kotka"),
        "--set",
        "run.duration_hours=6",
    ]);
    check("kotka-map", &dir("kotka").join("map.svg"));
    ok(&[
        "ensemble",
        "munz-basic",
        "--runs",
        "10",
        "--quiet",
        "--out",
        &d("ensemble"),
    ]);
    check("ensemble-bands", &dir("ensemble").join("bands.svg"));
    ok(&[
        "sweep",
        "munz-basic",
        "--vary",
        "virus.kill_rate_per_hour=0.001:0.004:4",
        "--runs",
        "4",
        "--quiet",
        "--out",
        &d("sweep1"),
    ]);
    check("sweep-line", &dir("sweep1").join("sweep.svg"));
    ok(&[
        "sweep",
        "munz-basic",
        "--vary",
        "virus.kill_rate_per_hour=0.001:0.004:4",
        "--vary",
        "virus.bite_rate_per_hour=0.004:0.008:3",
        "--runs",
        "3",
        "--quiet",
        "--out",
        &d("sweep2"),
    ]);
    check("sweep-phase", &dir("sweep2").join("sweep.svg"));
}
