//! The pictures a results folder carries beside its tables, drawn from those tables as the
//! report draws them: a run's `curves.svg` (the orders marked) and `map.svg` (the spread,
//! for worlds with positions), an ensemble's `bands.svg`, a sweep's `sweep.svg`; and the
//! picture of a map extract (`outbreak map --svg`).

use std::path::Path;

use outbreak_plot::chart::YScale;
use outbreak_plot::colour::Colour;
use outbreak_plot::map::{Layer, Map, Panel};
use outbreak_plot::scale::Clock;

use crate::error::ReportError;
use crate::read::{self, Table};
use crate::{ensemble, maps, run, sweep, Meta};

/// The file names of the pictures.
pub mod files {
    /// A run's curves.
    pub const CURVES: &str = "curves.svg";
    /// A run's map of the spread (worlds with positions).
    pub const MAP: &str = "map.svg";
    /// An ensemble's bands.
    pub const BANDS: &str = "bands.svg";
    /// A sweep's outcome.
    pub const SWEEP: &str = "sweep.svg";
}

fn write(path: &Path, svg: &str) -> Result<(), ReportError> {
    std::fs::write(path, svg).map_err(|source| ReportError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// Draws `curves.svg`, and `map.svg` when the run has map data, into a run folder whose
/// tables are written; returns the files drawn.
pub fn write_run_pictures(dir: &Path) -> Result<Vec<&'static str>, ReportError> {
    let meta = Meta::read(dir)?;
    let clock = Clock {
        start_hour: meta.start_hour,
    };
    let series = run::Series::read(&dir.join("timeseries.csv"))?;
    let fired = run::fired_orders(&dir.join("events.csv"))?;
    let mut chart = run::curves_chart(&series, &fired, &clock, &meta.name, YScale::Linear);
    chart.standalone = true;
    write(&dir.join(files::CURVES), &chart.svg())?;
    let mut drawn = vec![files::CURVES];
    let summary = read::json(&dir.join("summary.json"))?;
    if let Some(svg) = maps::spread_svg(dir, &summary, &clock, &meta.name)? {
        write(&dir.join(files::MAP), &svg)?;
        drawn.push(files::MAP);
    }
    Ok(drawn)
}

/// Draws `bands.svg` into an ensemble folder whose `bands.csv` is written.
pub fn write_ensemble_pictures(dir: &Path) -> Result<(), ReportError> {
    let meta = Meta::read(dir)?;
    let clock = Clock {
        start_hour: meta.start_hour,
    };
    let bands = Table::read(&dir.join("bands.csv"))?;
    let mut chart = ensemble::bands_chart(&bands, &clock, &meta.name)?;
    chart.standalone = true;
    write(&dir.join(files::BANDS), &chart.svg())
}

/// Draws `sweep.svg` into a sweep folder whose `points.csv` and `runs.csv` are written.
pub fn write_sweep_pictures(dir: &Path) -> Result<(), ReportError> {
    let meta = Meta::read(dir)?;
    let grid = sweep::Grid::of(dir)?;
    write(
        &dir.join(files::SWEEP),
        &sweep::outcome_svg(&grid, &meta.name, true),
    )
}

/// The picture of a map extract: its streets, and its buildings as dots, with the data's
/// credit (longitude across, latitude up).
pub fn extract_svg(
    streets: &[([f64; 2], [f64; 2])],
    buildings: &[[f64; 2]],
    title: &str,
    credit: &str,
) -> String {
    let spots: Vec<(f64, f64, f64)> = buildings.iter().map(|b| (b[0], b[1], 1.0)).collect();
    let extent = streets
        .iter()
        .flat_map(|(a, b)| [(a[0], a[1]), (b[0], b[1])])
        .chain(buildings.iter().map(|b| (b[0], b[1])))
        .collect();
    Map {
        title: title.to_string(),
        geographic: true,
        lines: streets
            .iter()
            .map(|(a, b)| ((a[0], a[1]), (b[0], b[1])))
            .collect(),
        extent,
        panels: vec![Panel {
            title: String::new(),
            minutes: 0.0,
            layers: vec![Layer {
                label: "buildings".into(),
                key: "building".into(),
                colour: Colour(214, 96, 77),
                opacity: 0.8,
                spots,
            }],
        }],
        signs: Vec::new(),
        outlines: Vec::new(),
        credit: Some(credit.to_string()),
        panel_width: 900.0,
        columns: 1,
        unit: ("building".into(), "buildings".into()),
        id: "extract".into(),
        class: "map".into(),
        standalone: true,
    }
    .svg()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_picture_that_cannot_be_written_says_so() {
        let dir = tempfile::tempdir().unwrap();
        // A folder where the picture should go: the write fails.
        let path = dir.path().join(super::files::CURVES);
        std::fs::create_dir(&path).unwrap();
        let e = super::write(&path, "<svg/>").unwrap_err();
        assert!(e.to_string().contains("cannot write"), "{e}");
    }
}
