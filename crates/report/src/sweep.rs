//! The report of a sweep: the outcome against the key with its intervals, or a phase
//! diagram over two keys with a colour scale, and the table of points.

use std::fmt::Write;
use std::path::Path;

use outbreak_plot::chart::{Chart, Interval, Line, XAxis, YFormat};
use outbreak_plot::colour::Colour;
use outbreak_plot::heat::Heat;
use outbreak_plot::scale;

use crate::ensemble::wilson;
use crate::error::ReportError;
use crate::page::{esc, figure, stat, Page};
use crate::read::{self, Table};
use crate::Meta;

/// The columns of `points.csv` that are not keys.
const NOT_KEYS: [&str; 17] = [
    "point",
    "runs",
    "held",
    "held_share",
    "held_low95",
    "held_high95",
    "overrun_share",
    "eradicated_share",
    "contained_share",
    "unresolved_share",
    "escaped_share",
    "escaped_low95",
    "escaped_high95",
    "survivors_mean",
    "peak_zombies_median",
    "population",
    "outcome",
];

/// The page of a sweep folder.
pub(crate) fn page(dir: &Path, meta: &Meta) -> Result<String, ReportError> {
    let path = dir.join("points.csv");
    let points = Table::read(&path)?;
    if points.len() == 0 {
        return Err(ReportError::content(&path, "no points"));
    }
    let keys = keys_of(&path, &points)?;
    let grid = Grid::read(dir, &points, &keys)?;
    let (values, runs) = (&grid.values, &grid.runs);
    let total: f64 = runs.iter().sum();
    let subtitle = format!(
        "a sweep over {} · {} points · {} runs",
        keys.join(" and "),
        scale::count(points.len() as f64),
        scale::count(total)
    );
    let independent = read::json(&dir.join("manifest.json"))
        .is_ok_and(|m| m["seeds"]["independent"] == serde_json::Value::Bool(true));
    let mut page = Page::new("sweep", &meta.name, &subtitle);
    let mut h = String::from("<div class=\"stats\">");
    h += &stat(
        "points",
        points.len() as f64,
        &scale::count(points.len() as f64),
        "points of the grid",
    );
    h += &stat("runs", total, &scale::count(total), "runs in all");
    h += &stat(
        "runs_per_point",
        runs[0],
        &scale::count(runs[0]),
        if independent {
            "runs a point (each run its own seed)"
        } else {
            "runs a point (the same seeds at every point)"
        },
    );
    h += "</div>";
    page.section("headline", "The sweep", &h);

    let crn = if independent {
        "Every run has its own seed (--independent-seeds), so the points' intervals are independent of one another; the curve is as rough as chance makes it."
    } else {
        "Every point runs the same member seeds (common random numbers), so the difference between two points is the parameter's and not chance's; for the same reason the intervals of neighbouring points are not independent (neighbouring points share most of their runs' dice), and the curve is smoother than independent runs would make it; --independent-seeds gives every run its own seed."
    };
    let figure_html = figure("sweep", &outcome_svg(&grid, &meta.name, false), crn);
    page.section("outcome", "The outcome across the grid", &figure_html);
    page.section("points", "Every point", &table(&points, &keys, values)?);
    page.section(
        "scenario",
        "The scenario as run",
        &format!("<details><summary>scenario.toml (before the grid's values)</summary><pre>{}</pre></details>", esc(&meta.toml)),
    );
    if let Ok(manifest) = read::json(&dir.join("manifest.json")) {
        page.section(
            "manifest",
            "How it was made",
            &crate::manifest_table(&manifest),
        );
    }
    Ok(page.finish(&meta.footer))
}

/// What the outcome figure of a sweep needs.
pub(crate) struct Grid {
    keys: Vec<String>,
    values: Vec<Vec<f64>>,
    runs: Vec<f64>,
    survive: Vec<f64>,
    survivors_mean: Vec<f64>,
    population: f64,
}

impl Grid {
    fn read(dir: &Path, points: &Table, keys: &[String]) -> Result<Grid, ReportError> {
        Ok(Grid {
            keys: keys.to_vec(),
            values: keys
                .iter()
                .map(|k| points.column(k))
                .collect::<Result<_, _>>()?,
            runs: points.column("runs")?,
            survive: points.column("held")?,
            survivors_mean: points.column("survivors_mean")?,
            population: population(dir)?,
        })
    }

    /// Reads a sweep folder's grid.
    pub(crate) fn of(dir: &Path) -> Result<Grid, ReportError> {
        let points = Table::read(&dir.join("points.csv"))?;
        let keys = keys_of(&dir.join("points.csv"), &points)?;
        Grid::read(dir, &points, &keys)
    }
}

/// The keys of a sweep: the columns of `points.csv` between `point` and `runs`.
fn keys_of(path: &Path, points: &Table) -> Result<Vec<String>, ReportError> {
    let keys: Vec<String> = points
        .header()
        .iter()
        .skip(1)
        .take_while(|h| h.as_str() != "runs")
        .filter(|h| !NOT_KEYS.contains(&h.as_str()))
        .cloned()
        .collect();
    if keys.is_empty() || keys.len() > 2 {
        return Err(ReportError::content(path, "a sweep varies one or two keys"));
    }
    Ok(keys)
}

/// The outcome against one key (with 95 % intervals), or a phase diagram over two.
pub(crate) fn outcome_svg(g: &Grid, title: &str, standalone: bool) -> String {
    let (keys, values, runs, survive) = (&g.keys, &g.values, &g.runs, &g.survive);
    if keys.len() == 1 {
        let mut chart = Chart::new(
            format!("{title}: runs over with humans left"),
            XAxis::Value(keys[0].clone()),
            "share",
        );
        chart.y_format = YFormat::Share;
        chart.y_range = Some((0.0, 1.0));
        chart.height = 420.0;
        chart.standalone = standalone;
        let blue = Colour(31, 119, 180);
        let share: Vec<(f64, f64)> = values[0]
            .iter()
            .zip(survive.iter().zip(runs))
            .map(|(&x, (&k, &n))| (x, k / n.max(1.0)))
            .collect();
        chart.intervals = values[0]
            .iter()
            .zip(survive.iter().zip(runs))
            .map(|(&x, (&k, &n))| {
                let (lo, hi) = wilson(k, n);
                Interval {
                    x,
                    lo,
                    hi,
                    colour: blue,
                }
            })
            .collect();
        let mut line = Line::new(
            "runs over with humans left: eradicated or contained (95 % interval)",
            blue,
            share,
        );
        line.markers = true;
        chart.lines.push(line);
        if g.population > 0.0 {
            let survivors = values[0]
                .iter()
                .zip(&g.survivors_mean)
                .map(|(&x, &s)| (x, s / g.population))
                .collect();
            let mut line = Line::new(
                "survivors, mean share of the people",
                Colour(255, 127, 14),
                survivors,
            );
            line.markers = true;
            chart.lines.push(line);
        }
        if values[0].len() <= 12 {
            chart.x_ticks = Some(values[0].clone());
        }
        return chart.svg();
    }
    let xs = distinct(&values[0]);
    let ys = distinct(&values[1]);
    let mut shares = vec![vec![f64::NAN; ys.len()]; xs.len()];
    for r in 0..runs.len() {
        let i = xs.iter().position(|&x| x == values[0][r]);
        let j = ys.iter().position(|&y| y == values[1][r]);
        if let (Some(i), Some(j)) = (i, j) {
            shares[i][j] = survive[r] / runs[r].max(1.0);
        }
    }
    Heat {
        title: format!("{title}: runs over with humans left"),
        x_label: keys[0].clone(),
        x_values: xs,
        y_label: keys[1].clone(),
        y_values: ys,
        shares,
        scale_label: "runs over with humans left (eradicated or contained)".into(),
        width: 900.0,
        height: 560.0,
        class: "phase".into(),
        standalone,
    }
    .svg()
}

/// The people in one run, from the first row of `runs.csv`.
fn population(dir: &Path) -> Result<f64, ReportError> {
    let runs = Table::read(&dir.join("runs.csv"))?;
    if runs.len() == 0 {
        return Ok(0.0);
    }
    let mut total = 0.0;
    for s in outbreak_plot::colour::STATE_NAMES {
        if let Ok(c) = runs.col(s) {
            let v = runs.num(0, c)?;
            if v.is_finite() {
                total += v;
            }
        }
    }
    Ok(total)
}

/// The distinct values of a key, ascending.
fn distinct(values: &[f64]) -> Vec<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v.dedup();
    v
}

fn table(points: &Table, keys: &[String], values: &[Vec<f64>]) -> Result<String, ReportError> {
    let cols = [
        ("runs", "runs", false),
        ("held_share", "over, humans left", true),
        ("eradicated_share", "eradicated", true),
        ("contained_share", "contained", true),
        ("overrun_share", "overrun", true),
        ("unresolved_share", "unresolved", true),
        ("escaped_share", "escaped to the edge", true),
        ("survivors_mean", "survivors (mean)", false),
        ("peak_zombies_median", "peak zombies (median)", false),
    ];
    let mut html = String::from("<table class=\"points\"><thead><tr>");
    for k in keys {
        let _ = write!(html, "<th class=\"num\">{}</th>", esc(k));
    }
    for (_, label, _) in cols {
        let _ = write!(html, "<th class=\"num\">{label}</th>");
    }
    html += "</tr></thead><tbody>";
    let low = points.col("held_low95")?;
    let high = points.col("held_high95")?;
    for r in 0..points.len() {
        html += "<tr>";
        for v in values {
            let _ = write!(
                html,
                "<td class=\"num\">{}</td>",
                scale::round_label(v[r], 4)
            );
        }
        for (col, _, share) in cols {
            let Ok(c) = points.col(col) else {
                html += "<td></td>";
                continue;
            };
            let v = points.num(r, c)?;
            let shown = if share && !v.is_finite() {
                "—".to_string()
            } else if share {
                let mut s = format!("{} %", scale::round_label(100.0 * v, 3));
                if col == "held_share" {
                    let (lo, hi) = (points.num(r, low)?, points.num(r, high)?);
                    s += &format!(
                        " ({}–{} %)",
                        scale::round_label(100.0 * lo, 3),
                        scale::round_label(100.0 * hi, 3)
                    );
                }
                s
            } else {
                scale::round_label(v, 4)
            };
            let _ = write!(html, "<td class=\"num\">{}</td>", esc(&shown));
        }
        html += "</tr>";
    }
    html += "</tbody></table>";
    Ok(html)
}
