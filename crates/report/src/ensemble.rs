//! The report of an ensemble: how its members ended, the bands with their medians on top,
//! the bands of each outcome apart (an ensemble whose members either die out or overrun the
//! place is two stories, not one muddy band), a few members, the survivors' distribution,
//! and quantiles in whole people.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

use outbreak_plot::chart::{Area, Bar, Chart, Line, XAxis};
use outbreak_plot::colour::{state_colour, Colour, STATE_NAMES};
use outbreak_plot::scale::{self, Clock};

use crate::error::ReportError;
use crate::page::{esc, figure, stat, Page};
use crate::read::{self, Table};
use crate::Meta;

/// The members' values behind a quantile: a member's own value (type 1, the inverse of the
/// empirical distribution), so a quantile of people is a whole number of people.
pub(crate) fn quantile1(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let k = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[k - 1]
}

/// Wilson's 95 % interval of a share of `k` in `n`.
pub(crate) fn wilson(k: f64, n: f64) -> (f64, f64) {
    if n <= 0.0 {
        return (0.0, 1.0);
    }
    let z = 1.959_963_984_540_054;
    let p = k / n;
    let d = 1.0 + z * z / n;
    let c = (p + z * z / (2.0 * n)) / d;
    let h = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / d;
    ((c - h).max(0.0), (c + h).min(1.0))
}

fn percent(x: f64) -> String {
    format!("{} %", scale::round_label(100.0 * x, 3))
}

/// How each member ended: the outcome column when the folder has one, else from
/// `outbreak_over` and `humans_survive`.
fn outcomes(members: &Table) -> Result<Vec<String>, ReportError> {
    if let Ok(c) = members.col("outcome") {
        return Ok((0..members.len())
            .map(|r| members.text(r, c).to_string())
            .collect());
    }
    let over = members.column("outbreak_over")?;
    let survive = members.column("humans_survive")?;
    Ok(over
        .iter()
        .zip(&survive)
        .map(|(&o, &s)| {
            if s > 0.0 {
                "humans survive".to_string()
            } else if o > 0.0 {
                "over, no humans left".to_string()
            } else {
                "outbreak not over".to_string()
            }
        })
        .collect())
}

/// The page of an ensemble folder.
pub(crate) fn page(dir: &Path, meta: &Meta) -> Result<String, ReportError> {
    let members = Table::read(&dir.join("members.csv"))?;
    let n = members.len();
    if n == 0 {
        return Err(ReportError::content(&dir.join("members.csv"), "no members"));
    }
    let clock = Clock {
        start_hour: meta.start_hour,
    };
    let outcome = outcomes(&members)?;
    let survivors = members.column("survivors")?;
    let peak = members.column("peak_zombies")?;
    let last_minutes = members.column("last_minutes").unwrap_or_default();
    let population: f64 = STATE_NAMES
        .iter()
        .filter_map(|s| members.column(s).ok())
        .map(|c| c[0])
        .filter(|v| v.is_finite())
        .sum();
    // NOTE: members that stopped settled end before the duration; the bands cover it.
    let bands = Table::read(&dir.join("bands.csv"))?;
    let duration = bands
        .column("minutes")
        .unwrap_or_default()
        .into_iter()
        .chain(last_minutes)
        .fold(0.0, f64::max);
    let subtitle = format!(
        "an ensemble · {} members · {} people each · {} h from {}",
        scale::count(n as f64),
        scale::count(population),
        scale::round_label(duration / 60.0, 3),
        clock.label(0.0)
    );
    let mut page = Page::new("ensemble", &meta.name, &subtitle);
    if !meta.description.is_empty() {
        page.section(
            "about",
            "The scenario",
            &format!("<p>{}</p>", esc(&meta.description)),
        );
    }

    // Outcomes.
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (m, o) in outcome.iter().enumerate() {
        groups.entry(o.clone()).or_default().push(m);
    }
    let mut h = String::from("<div class=\"stats\">");
    h += &stat(
        "members",
        n as f64,
        &scale::count(n as f64),
        "members (seeds)",
    );
    for (name, ms) in &groups {
        let k = ms.len() as f64;
        let (lo, hi) = wilson(k, n as f64);
        h += &stat(
            &format!("outcome:{name}"),
            k,
            &percent(k / n as f64),
            &format!(
                "{name}: {} of {n} (95 % interval {}–{})",
                scale::count(k),
                percent(lo),
                percent(hi)
            ),
        );
    }
    let mut sorted_survivors = survivors.clone();
    sorted_survivors.sort_by(f64::total_cmp);
    let mut sorted_peak = peak.clone();
    sorted_peak.sort_by(f64::total_cmp);
    h += &stat(
        "survivors_median",
        quantile1(&sorted_survivors, 0.5),
        &scale::count(quantile1(&sorted_survivors, 0.5)),
        "survivors, median member",
    );
    h += &stat(
        "peak_zombies_median",
        quantile1(&sorted_peak, 0.5),
        &scale::count(quantile1(&sorted_peak, 0.5)),
        "peak zombies, median member",
    );
    h += "</div>";
    page.section("headline", "How the members ended", &h);

    // Bands.
    page.section(
        "bands",
        "All members",
        &figure(
            "bands",
            &bands_chart(&bands, &clock, &meta.name)?.svg(),
            "Each state's median member at every tick (line) with the range of the middle half and of nine in ten members (bands).",
        ),
    );

    // Each outcome apart, and a few members, from the series.
    let series_path = dir.join("series.parquet");
    if series_path.is_file() {
        let per = member_series(&series_path, n)?;
        let mut html = String::new();
        if groups.len() > 1 {
            for (name, ms) in &groups {
                html += &group_chart(&per, ms, name, &clock);
            }
        }
        html += &samples_chart(&per, &sorted_survivors, &survivors, &clock);
        page.section("outcomes", "The outcomes apart, and a few members", &html);
    }

    page.section(
        "distribution",
        "Survivors",
        &histogram(&survivors, population, "survivors at the end", "members"),
    );
    page.section("quantiles", "In whole people", &quantile_table(&members)?);
    page.section(
        "scenario",
        "The scenario as run",
        &format!(
            "<details><summary>scenario.toml (member 0's seed; member k's seed is in members.csv)</summary><pre>{}</pre></details>",
            esc(&meta.toml)
        ),
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

/// Each state's median (on top, over a white halo) with its 25–75 % and 5–95 % bands.
pub(crate) fn bands_chart(bands: &Table, clock: &Clock, title: &str) -> Result<Chart, ReportError> {
    let (minutes, state) = (bands.col("minutes")?, bands.col("state")?);
    let cols: Vec<usize> = ["q05", "q25", "median", "q75", "q95"]
        .iter()
        .map(|c| bands.col(c))
        .collect::<Result<_, _>>()?;
    let mut by_state: BTreeMap<usize, Vec<[f64; 6]>> = BTreeMap::new();
    for r in 0..bands.len() {
        let Some(k) = STATE_NAMES.iter().position(|s| *s == bands.text(r, state)) else {
            continue;
        };
        let mut row = [bands.num(r, minutes)?, 0.0, 0.0, 0.0, 0.0, 0.0];
        for (i, &c) in cols.iter().enumerate() {
            row[i + 1] = bands.num(r, c)?;
        }
        by_state.entry(k).or_default().push(row);
    }
    let mut chart = Chart::new(title, XAxis::Clock(*clock), "people");
    chart.height = 430.0;
    let mut medians = Vec::new();
    for (k, rows) in &by_state {
        if rows.iter().all(|r| r[5] == 0.0) {
            continue;
        }
        let colour = state_colour(STATE_NAMES[*k]);
        for (lo, hi, opacity) in [(1, 5, 0.12), (2, 4, 0.28)] {
            chart.areas.push(Area {
                label: None,
                colour,
                opacity,
                upper: rows.iter().map(|r| (r[0], r[hi])).collect(),
                lower: rows.iter().map(|r| (r[0], r[lo])).collect(),
            });
        }
        let mut median = Line::new(
            format!("{} (median)", STATE_NAMES[*k]),
            colour,
            rows.iter().map(|r| (r[0], r[3])).collect(),
        );
        median.halo = true;
        medians.push(median);
    }
    chart.lines = medians;
    let grey = Colour(90, 90, 90);
    chart.legend_fills = vec![
        ("25–75 % of members".into(), grey, 0.4),
        ("5–95 %".into(), grey, 0.15),
    ];
    Ok(chart)
}

/// Every member's susceptible and zombie counts at each tick: `[member][tick]`.
struct PerMember {
    minutes: Vec<f64>,
    susceptible: Vec<Vec<f32>>,
    zombie: Vec<Vec<f32>>,
}

fn member_series(path: &Path, members: usize) -> Result<PerMember, ReportError> {
    let mut per = PerMember {
        minutes: Vec::new(),
        susceptible: vec![Vec::new(); members],
        zombie: vec![Vec::new(); members],
    };
    let mut bad = false;
    read::parquet_rows(
        path,
        &["member", "tick", "minutes", "susceptible", "zombie"],
        |v| {
            let m = v[0] as usize;
            if m >= members {
                bad = true;
                return;
            }
            if m == 0 {
                per.minutes.push(v[2]);
            }
            per.susceptible[m].push(v[3] as f32);
            per.zombie[m].push(v[4] as f32);
        },
    )?;
    if bad {
        return Err(ReportError::content(
            path,
            "a row names a member members.csv does not have",
        ));
    }
    Ok(per)
}

/// The median and middle half of the susceptible and the zombies of some members.
fn group_chart(per: &PerMember, members: &[usize], name: &str, clock: &Clock) -> String {
    let mut chart = Chart::new(
        format!("{name}: {} members", members.len()),
        XAxis::Clock(*clock),
        "people",
    );
    chart.height = 320.0;
    chart.class = "chart outcome-chart".into();
    for (label, series) in [("susceptible", &per.susceptible), ("zombie", &per.zombie)] {
        let colour = state_colour(label);
        let (mut lo, mut mid, mut hi) = (Vec::new(), Vec::new(), Vec::new());
        let mut column = Vec::with_capacity(members.len());
        for (t, &m) in per.minutes.iter().enumerate() {
            column.clear();
            column.extend(
                members
                    .iter()
                    .filter_map(|&k| series[k].get(t).map(|&v| f64::from(v))),
            );
            if column.is_empty() {
                continue;
            }
            column.sort_by(f64::total_cmp);
            lo.push((m, quantile1(&column, 0.25)));
            mid.push((m, quantile1(&column, 0.5)));
            hi.push((m, quantile1(&column, 0.75)));
        }
        chart.areas.push(Area {
            label: None,
            colour,
            opacity: 0.25,
            upper: hi,
            lower: lo,
        });
        let mut line = Line::new(format!("{label} (median, middle half shaded)"), colour, mid);
        line.halo = true;
        chart.lines.push(line);
    }
    figure(
        "outcome",
        &chart.svg(),
        &format!("The members that ended so: {name}."),
    )
}

/// Five members across the range of outcomes: the fewest survivors, the quartiles, the
/// median and the most.
fn samples_chart(per: &PerMember, sorted: &[f64], survivors: &[f64], clock: &Clock) -> String {
    let mut picks: Vec<usize> = Vec::new();
    for p in [0.0f64, 0.25, 0.5, 0.75, 1.0] {
        let target = quantile1(sorted, p.max(1e-9));
        if let Some(m) =
            (0..survivors.len()).find(|&m| survivors[m] == target && !picks.contains(&m))
        {
            picks.push(m);
        }
    }
    let palette = [
        Colour(31, 119, 180),
        Colour(255, 127, 14),
        Colour(44, 160, 44),
        Colour(214, 39, 40),
        Colour(148, 103, 189),
    ];
    let mut chart = Chart::new("five members", XAxis::Clock(*clock), "zombies");
    chart.height = 320.0;
    chart.class = "chart samples".into();
    for (i, &m) in picks.iter().enumerate() {
        let pts = per
            .minutes
            .iter()
            .zip(&per.zombie[m])
            .map(|(&t, &z)| (t, f64::from(z)))
            .collect();
        chart.lines.push(Line::new(
            format!("member {m} ({} survivors)", scale::count(survivors[m])),
            palette[i % palette.len()],
            pts,
        ));
    }
    figure(
        "samples",
        &chart.svg(),
        "The zombies of five members: the one with the fewest survivors, the quartiles, the median and the one with the most. `outbreak run --seed SEED` repeats any of them (seeds in members.csv).",
    )
}

/// A histogram of `values` (whole numbers of people) in at most 30 bins of whole widths.
pub(crate) fn histogram(values: &[f64], top: f64, what: &str, unit: &str) -> String {
    let max = values.iter().copied().fold(0.0, f64::max).max(top).max(1.0);
    let width = (max / 30.0).ceil().max(1.0);
    let bins = (max / width).floor() as usize + 1;
    let mut counts = vec![0u64; bins];
    for &v in values.iter().filter(|v| v.is_finite()) {
        counts[((v / width).floor() as usize).min(bins - 1)] += 1;
    }
    let mut chart = Chart::new(what.to_string(), XAxis::Value(what.to_string()), unit);
    chart.height = 260.0;
    chart.class = "chart histogram".into();
    chart.x_range = Some((0.0, bins as f64 * width));
    for (b, &c) in counts.iter().enumerate() {
        if c == 0 {
            continue;
        }
        let (x0, x1) = (b as f64 * width, (b + 1) as f64 * width);
        chart.bars.push(Bar {
            x0,
            x1,
            y: c as f64,
            colour: Colour(31, 119, 180),
            label: format!(
                "{}–{}: {} {unit}",
                scale::count(x0),
                scale::count(x1 - 1.0),
                c
            ),
        });
    }
    figure(
        "histogram",
        &chart.svg(),
        &format!(
            "How many {unit} ended with each number of {what} (bins of {}).",
            scale::count(width)
        ),
    )
}

/// Quantiles of each outcome column, as members' own values.
fn quantile_table(members: &Table) -> Result<String, ReportError> {
    let rows = [
        ("peak_zombies", "peak zombies"),
        ("survivors", "survivors"),
        ("rescued", "rescued"),
        ("dead", "dead"),
        ("bites", "bites"),
    ];
    let mut html = String::from(
        "<table class=\"quantiles\"><thead><tr><th></th><th class=\"num\">5 %</th><th class=\"num\">25 %</th><th class=\"num\">median</th><th class=\"num\">75 %</th><th class=\"num\">95 %</th></tr></thead><tbody>",
    );
    for (col, label) in rows {
        let Ok(mut v) = members.column(col) else {
            continue;
        };
        v.retain(|x| x.is_finite());
        v.sort_by(f64::total_cmp);
        let _ = write!(html, "<tr data-key=\"{col}\"><th>{label}</th>");
        for p in [0.05, 0.25, 0.5, 0.75, 0.95] {
            let _ = write!(
                html,
                "<td class=\"num\">{}</td>",
                scale::count(quantile1(&v, p))
            );
        }
        html += "</tr>";
    }
    html += "</tbody></table><p class=\"note\">Each quantile is a member's own value (the inverse of the members' distribution, type 1), so it is a whole number of people.</p>";
    Ok(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_members_values() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile1(&v, 0.5), 2.0);
        assert_eq!(quantile1(&v, 0.51), 3.0);
        assert_eq!(quantile1(&v, 0.05), 1.0);
        assert_eq!(quantile1(&v, 1.0), 4.0);
        assert!(quantile1(&[], 0.5).is_nan());
    }

    #[test]
    fn wilson_matches_the_textbook() {
        // 55.6 % of 1000: 52.5–58.7 % (as the ensemble's summary prints).
        let (lo, hi) = wilson(556.0, 1000.0);
        assert!(
            (lo - 0.5251).abs() < 1e-3 && (hi - 0.5865).abs() < 1e-3,
            "{lo} {hi}"
        );
    }
}
