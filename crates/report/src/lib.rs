//! One page that tells an outbreak (DESIGN §6, §8): [`render`] reads a results folder of
//! outbreak — a run, an ensemble or a sweep — and returns a self-contained HTML document:
//! its style, pictures (inline SVG) and script are in the file, it names no network
//! address, opens from disk and prints on A4.
//!
//! - a **run**: the headline, the curves on the clock with every order marked where it
//!   fired (and a log-scale switch), R over time, maps of the spread and of the world at
//!   several hours, each order and what it did, the named characters' stories, the scenario
//!   as run and the manifest;
//! - an **ensemble**: the outcomes and their split, the bands with their medians, the bands
//!   of each outcome, a few members, the survivors' distribution, quantiles in whole people;
//! - a **sweep**: the outcome against the key (with intervals), or a phase diagram over two
//!   keys with a colour scale, and the table of points.
//!
//! Everything comes from the folder's files, so a report can be made of any folder, on any
//! machine, at any time after the run. The library reads and renders; it writes nothing.
//!
//! ```no_run
//! let report = outbreak_report::render(std::path::Path::new("runs/seoul-campus-2025"))?;
//! std::fs::write("report.html", &report.html)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

mod ensemble;
mod error;
pub mod maps;
mod page;
pub mod pictures;
mod read;
mod run;
mod sweep;

use std::fmt::Write;
use std::path::Path;

pub use error::ReportError;
use page::esc;
pub use pictures::{
    extract_svg, write_ensemble_pictures, write_run_pictures, write_sweep_pictures,
};

/// The kind of results folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// One run (`outbreak run`).
    Run,
    /// An ensemble (`outbreak ensemble`).
    Ensemble,
    /// A sweep (`outbreak sweep`).
    Sweep,
}

impl Kind {
    /// The word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Run => "run",
            Kind::Ensemble => "ensemble",
            Kind::Sweep => "sweep",
        }
    }
}

/// A rendered report.
#[derive(Clone, Debug)]
pub struct Report {
    /// The kind of folder it tells.
    pub kind: Kind,
    /// The whole HTML document.
    pub html: String,
}

/// What kind of results folder `dir` is.
pub fn kind_of(dir: &Path) -> Result<Kind, ReportError> {
    if !dir.is_dir() {
        return Err(ReportError::NotAFolder {
            path: dir.to_path_buf(),
        });
    }
    if dir.join("points.csv").is_file() && dir.join("runs.csv").is_file() {
        Ok(Kind::Sweep)
    } else if dir.join("members.csv").is_file() && dir.join("bands.csv").is_file() {
        Ok(Kind::Ensemble)
    } else if dir.join("summary.json").is_file() && dir.join("timeseries.csv").is_file() {
        Ok(Kind::Run)
    } else {
        Err(ReportError::NotResults {
            path: dir.to_path_buf(),
        })
    }
}

/// The report of a results folder.
pub fn render(dir: &Path) -> Result<Report, ReportError> {
    let kind = kind_of(dir)?;
    let meta = Meta::read(dir)?;
    let html = match kind {
        Kind::Run => run::page(dir, &meta)?,
        Kind::Ensemble => ensemble::page(dir, &meta)?,
        Kind::Sweep => sweep::page(dir, &meta)?,
    };
    Ok(Report { kind, html })
}

/// What every page takes from the scenario as run.
pub(crate) struct Meta {
    pub name: String,
    pub description: String,
    /// Hour of the day at the start.
    pub start_hour: f64,
    /// The scenario file's text.
    pub toml: String,
    /// The page's footer.
    pub footer: String,
}

impl Meta {
    fn read(dir: &Path) -> Result<Meta, ReportError> {
        let path = dir.join("scenario.toml");
        let toml_text = read::text(&path)?;
        let doc: toml::Table = toml_text
            .parse()
            .map_err(|e| ReportError::content(&path, format!("not a scenario: {e}")))?;
        let name = doc
            .get("name")
            .and_then(|v| v.as_str())
            .unwrap_or("outbreak")
            .to_string();
        let description = doc
            .get("description")
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string();
        // A run's summary states the hour it started; an ensemble's scenario does.
        let summary = dir.join("summary.json");
        let from_summary = summary
            .is_file()
            .then(|| read::json(&summary).ok())
            .flatten()
            .and_then(|s| s.get("start_hour").and_then(serde_json::Value::as_f64));
        let start_hour = from_summary.unwrap_or_else(|| {
            doc.get("run")
                .and_then(|r| r.get("start_hour"))
                .and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)))
                .unwrap_or(0.0)
        });
        let version = toml_text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# Scenario as run by "))
            .map(|s| s.trim_end_matches('.').to_string())
            .unwrap_or_else(|| "outbreak".into());
        let folder = dir.file_name().map_or_else(
            || dir.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        Ok(Meta {
            name,
            description,
            start_hour,
            toml: toml_text,
            footer: format!(
                "Made by outbreak {} from the results folder {folder}, run by {version}. Everything on this page comes from that folder's files.",
                env!("CARGO_PKG_VERSION")
            ),
        })
    }
}

/// A manifest as a table of its top-level values, long lists summarised.
pub(crate) fn manifest_table(manifest: &serde_json::Value) -> String {
    let Some(obj) = manifest.as_object() else {
        return String::new();
    };
    let mut html = String::from("<table class=\"manifest\"><tbody>");
    for (k, v) in obj {
        let _ = write!(
            html,
            "<tr><th>{}</th><td>{}</td></tr>",
            esc(k),
            esc(&brief(v))
        );
    }
    html += "</tbody></table>";
    html
}

/// A JSON value in a line: strings bare, lists of more than eight values as their count.
fn brief(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::String(s) => s.clone(),
        Value::Array(a) if a.len() > 8 => format!("{} values", a.len()),
        Value::Array(a) => a.iter().map(brief).collect::<Vec<_>>().join(", "),
        Value::Object(o) => o
            .iter()
            .map(|(k, v)| format!("{k}: {}", brief(v)))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}
