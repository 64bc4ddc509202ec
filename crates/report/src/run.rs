//! The report of one run: the headline, the curves on the clock with the orders marked,
//! R over time, maps of the world at several hours, each order and what it did, the named
//! characters' stories, the scenario as run and the manifest.

use std::fmt::Write;
use std::path::Path;

use outbreak_plot::chart::{Bar, Chart, Line, Mark, XAxis, YScale};
use outbreak_plot::colour::{state_colour, STATE_NAMES};
use outbreak_plot::scale::{self, Clock};
use serde_json::Value;

use crate::error::ReportError;
use crate::page::{esc, figure, stat, Page};
use crate::read::{self, Table};
use crate::{maps, Meta};

/// An order of the timeline that fired, as the event log has it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Fired {
    /// Its number in the page (1 for the first to fire).
    pub number: usize,
    /// Its index in the timeline.
    pub index: usize,
    pub label: String,
    pub tick: u32,
    pub minutes: f64,
}

/// The world's counts per tick: minutes, and one column per state of the header.
pub(crate) struct Series {
    pub minutes: Vec<f64>,
    pub states: Vec<(String, Vec<f64>)>,
}

impl Series {
    pub(crate) fn read(path: &Path) -> Result<Series, ReportError> {
        let t = Table::read(path)?;
        let minutes = t.column("minutes")?;
        let states = t
            .header()
            .iter()
            .filter(|h| STATE_NAMES.contains(&h.as_str()))
            .map(|h| Ok((h.clone(), t.column(h)?)))
            .collect::<Result<Vec<_>, ReportError>>()?;
        if minutes.is_empty() {
            return Err(ReportError::content(path, "no rows"));
        }
        Ok(Series { minutes, states })
    }

    /// The states anyone was ever in.
    fn present(&self) -> impl Iterator<Item = &(String, Vec<f64>)> {
        self.states
            .iter()
            .filter(|(_, v)| v.iter().any(|&x| x > 0.0))
    }
}

/// The orders that fired, in the order of the event log.
pub(crate) fn fired_orders(path: &Path) -> Result<Vec<Fired>, ReportError> {
    let mut fired = Vec::new();
    read::stream(
        path,
        &["tick", "minutes", "event", "other", "other_name"],
        |row| {
            if row.text(2) == "order" {
                fired.push(Fired {
                    number: fired.len() + 1,
                    index: row.num(3)? as usize,
                    label: row.text(4).to_string(),
                    tick: row.num(0)? as u32,
                    minutes: row.num(1)?,
                });
            }
            Ok(())
        },
    )?;
    Ok(fired)
}

fn get_f(v: &Value, key: &str) -> f64 {
    v.get(key).and_then(Value::as_f64).unwrap_or(f64::NAN)
}

fn hours(minutes: f64) -> String {
    format!("{} h", scale::round_label(minutes / 60.0, 3))
}

/// The page of a run folder.
pub(crate) fn page(dir: &Path, meta: &Meta) -> Result<String, ReportError> {
    let summary = read::json(&dir.join("summary.json"))?;
    let series = Series::read(&dir.join("timeseries.csv"))?;
    let fired = fired_orders(&dir.join("events.csv"))?;
    let clock = Clock {
        start_hour: meta.start_hour,
    };
    let population = get_f(&summary, "population");
    let last = *series.minutes.last().unwrap_or(&0.0);
    let subtitle = format!(
        "a run · seed {} · {} people · {} from {}",
        summary
            .get("seed")
            .map_or_else(String::new, |s| s.to_string()),
        scale::count(population),
        hours(last),
        clock.label(0.0),
    );
    let mut page = Page::new("run", &meta.name, &subtitle);
    if !meta.description.is_empty() {
        page.section(
            "about",
            "The scenario",
            &format!("<p>{}</p>", esc(&meta.description)),
        );
    }
    page.section(
        "headline",
        "What happened",
        &headline(&summary, &clock, population),
    );
    page.section(
        "curves",
        "The outbreak on the clock",
        &curves(&series, &fired, &clock, &meta.name),
    );
    page.section(
        "orders",
        "The orders and what they did",
        &orders(&summary, &fired, &clock),
    );
    if let Some(html) = maps::run_maps(dir, &series, &clock, &summary)? {
        page.section("maps", "Where it spread", &html);
    }
    if let Some(r) = r_chart(&summary) {
        page.section("r", "Reproduction over time", &r);
    }
    page.section(
        "characters",
        "The named characters",
        &characters(&summary, &clock),
    );
    page.section("scenario", "The scenario as run", &scenario(meta));
    if let Ok(manifest) = read::json(&dir.join("manifest.json")) {
        page.section(
            "manifest",
            "How it was made",
            &crate::manifest_table(&manifest),
        );
    }
    Ok(page.finish(&meta.footer))
}

/// Zombies at the end, from `final_counts`.
fn final_zombies(summary: &Value) -> f64 {
    summary
        .get("final_counts")
        .and_then(|c| c.get("zombie"))
        .and_then(Value::as_f64)
        .unwrap_or(f64::NAN)
}

fn headline(summary: &Value, clock: &Clock, population: f64) -> String {
    let mut h = String::from("<div class=\"stats\">");
    let peak = get_f(summary, "peak_zombies");
    let peak_at = get_f(summary, "peak_minutes");
    h += &stat(
        "peak_zombies",
        peak,
        &scale::count(peak),
        &format!(
            "peak zombies, {} ({} in)",
            clock.label(peak_at),
            hours(peak_at)
        ),
    );
    let of = format!("of {}", scale::count(population));
    h += &stat(
        "survivors",
        get_f(summary, "survivors"),
        &scale::count(get_f(summary, "survivors")),
        &format!("survivors at the end, {of}"),
    );
    h += &stat(
        "rescued",
        get_f(summary, "rescued"),
        &scale::count(get_f(summary, "rescued")),
        "rescued (evacuated alive)",
    );
    h += &stat(
        "dead",
        get_f(summary, "dead"),
        &scale::count(get_f(summary, "dead")),
        "dead at the end (destroyed zombies included)",
    );
    match summary
        .get("time_to_half_infected_minutes")
        .and_then(Value::as_f64)
    {
        Some(m) => {
            h += &stat(
                "time_to_half_infected",
                m,
                &hours(m),
                &format!("to half infected ({})", clock.label(m)),
            )
        }
        None => {
            h += &stat(
                "time_to_half_infected",
                f64::NAN,
                "never",
                "half of the people were never infected",
            )
        }
    }
    h += &stat(
        "bites",
        get_f(summary, "bites"),
        &scale::count(get_f(summary, "bites")),
        "bites in all",
    );
    if let Some(outcome) = summary.get("outcome").and_then(Value::as_str) {
        let mut label = match outcome {
            "overrun" => "no human left in the world".to_string(),
            "eradicated" => "no zombie and nobody infected left".to_string(),
            "contained" => format!(
                "{} zombies left, none awake, nobody infected",
                scale::count(final_zombies(summary))
            ),
            _ => "still going at the end: a zombie awake or someone infected".to_string(),
        };
        match summary.get("escaped_to_edge").and_then(Value::as_bool) {
            Some(true) => label += "; a zombie reached the edge",
            Some(false) => label += "; no zombie reached the edge",
            None => {}
        }
        if summary.get("stopped_settled").and_then(Value::as_bool) == Some(true) {
            let m = get_f(summary, "ticks") * get_f(summary, "tick_minutes");
            label += &format!("; settled, stopped at {}", clock.label(m));
        }
        h += &stat("outcome", f64::NAN, outcome, &label);
    }
    h += "</div>";
    if let Some(causes) = summary.get("deaths_by_cause").and_then(Value::as_object) {
        let words = [
            ("zombies_destroyed", "zombies destroyed by people"),
            ("strike", "killed by strikes"),
            ("natural", "died of other causes"),
            ("eradicated", "zombies eradicated"),
            ("quarantine", "died in quarantine"),
        ];
        let parts: Vec<String> = words
            .iter()
            .filter_map(|(k, w)| {
                let n = causes.get(*k).and_then(Value::as_f64).unwrap_or(0.0);
                (n > 0.0).then(|| {
                    format!(
                        "<span data-cause=\"{k}\" data-value=\"{n}\">{} {w}</span>",
                        scale::count(n)
                    )
                })
            })
            .collect();
        if !parts.is_empty() {
            let _ = write!(
                h,
                "<p class=\"causes\">The dead by cause: {}.</p>",
                parts.join("; ")
            );
        }
    }
    h
}

/// The chart of the curves: every state anyone was in, the orders marked where they fired.
pub(crate) fn curves_chart(
    series: &Series,
    fired: &[Fired],
    clock: &Clock,
    title: &str,
    y: YScale,
) -> Chart {
    let mut chart = Chart::new(
        title,
        XAxis::Clock(*clock),
        match y {
            YScale::Linear => "people",
            YScale::Log => "people (log scale; 0 drawn at 1)",
        },
    );
    chart.y_scale = y;
    for (name, values) in series.present() {
        let pts = series
            .minutes
            .iter()
            .copied()
            .zip(values.iter().copied())
            .collect();
        chart
            .lines
            .push(Line::new(name.clone(), state_colour(name), pts));
    }
    chart.marks = fired
        .iter()
        .map(|f| Mark {
            x: f.minutes,
            number: f.number,
            label: format!("{}. {}: {}", f.number, clock.label(f.minutes), f.label),
        })
        .collect();
    chart
}

/// The curves on a linear and on a log scale (a switch shows one or the other), the
/// orders marked where they fired, and the list of those orders.
fn curves(series: &Series, fired: &[Fired], clock: &Clock, title: &str) -> String {
    let mut html = String::from("<figure class=\"curves\">");
    html +=
        "<label class=\"switch\"><input type=\"checkbox\" class=\"log-switch\"> log scale</label>";
    for (y, class) in [(YScale::Linear, "linear-chart"), (YScale::Log, "log-chart")] {
        let mut chart = curves_chart(series, fired, clock, title, y);
        chart.height = 430.0;
        chart.class = class.into();
        html += &chart.svg();
    }
    html += "<figcaption>Every state anyone was in, against the time of day; the numbered marks are the orders, where they fired.</figcaption></figure>";
    if fired.is_empty() {
        html += "<p class=\"none\">No order fired.</p>";
    }
    html
}

/// R by hour from the bite tree, as bars.
fn r_chart(summary: &Value) -> Option<String> {
    let rows = summary.get("r_by_hour")?.as_array()?;
    let bars: Vec<Bar> = rows
        .iter()
        .filter_map(|r| {
            let hour = r.get("hour")?.as_f64()?;
            let value = r.get("r")?.as_f64()?;
            let bitten = r.get("bitten").and_then(Value::as_f64).unwrap_or(0.0);
            Some(Bar {
                x0: hour,
                x1: hour + 1.0,
                y: value,
                colour: state_colour("infected"),
                label: format!(
                    "hour {}: {} bitten went on to bite {} each",
                    hour,
                    scale::count(bitten),
                    scale::round_label(value, 3)
                ),
            })
        })
        .collect();
    if bars.is_empty() {
        return None;
    }
    let mut chart = Chart::new(
        "R by hour",
        XAxis::Value("hours since the start".into()),
        "bites per bitten person",
    );
    chart.height = 260.0;
    chart.bars = bars;
    chart.class = "r-chart".into();
    Some(figure(
        "r",
        &chart.svg(),
        "For the people bitten in each hour, the bites they went on to make over the whole run. The last hours are low because the run ended before their bites could come.",
    ))
}

/// Each order that fired, when, and what it did where the summary says.
fn orders(summary: &Value, fired: &[Fired], clock: &Clock) -> String {
    if fired.is_empty() {
        return "<p class=\"none\">No order fired in this run.</p>".into();
    }
    let effects = summary.get("orders").and_then(Value::as_array);
    let mut html = String::from(
        "<table class=\"order-effects\"><thead><tr><th class=\"num\">#</th><th>fired</th><th>order</th><th>what it did</th></tr></thead><tbody>",
    );
    for f in fired {
        let effect = effects
            .and_then(|all| {
                all.iter()
                    .find(|o| o.get("index").and_then(Value::as_u64) == Some(f.index as u64))
            })
            .and_then(|o| o.get("effect"))
            .and_then(Value::as_str)
            .unwrap_or("");
        let _ = write!(
            html,
            "<tr data-order=\"{}\"><td class=\"num\">{}</td><td>{}</td><td>{}</td><td class=\"effect\">{}</td></tr>",
            f.number,
            f.number,
            esc(&clock.label(f.minutes)),
            esc(&f.label),
            esc(effect)
        );
    }
    html += "</tbody></table>";
    html
}

/// One paragraph a named character.
fn characters(summary: &Value, clock: &Clock) -> String {
    let Some(all) = summary.get("characters").and_then(Value::as_array) else {
        return "<p class=\"none\">No named characters.</p>".into();
    };
    if all.is_empty() {
        return "<p class=\"none\">This scenario names no characters.</p>".into();
    }
    let mut html = String::new();
    for c in all {
        let name = c.get("name").and_then(Value::as_str).unwrap_or("");
        let role = c.get("role").and_then(Value::as_str).unwrap_or("");
        let fate = c.get("fate").and_then(Value::as_str).unwrap_or("");
        let story = match c.get("story").and_then(Value::as_str) {
            Some(s) => s.to_string(),
            None => {
                let place = c.get("place").and_then(Value::as_str).unwrap_or("");
                let at = get_f(c, "fate_minutes");
                format!("{fate} at {} ({place}).", clock.label(at))
            }
        };
        let _ = write!(
            html,
            "<p class=\"story\" data-name=\"{}\" data-fate=\"{}\"><span class=\"who\">{}</span>{} {}</p>",
            esc(name),
            esc(fate),
            esc(name),
            if role.is_empty() {
                String::new()
            } else {
                format!(" <span class=\"role\">({})</span>", esc(role))
            },
            esc(&story)
        );
    }
    html
}

fn scenario(meta: &Meta) -> String {
    format!(
        "<details open><summary>scenario.toml — run it again with <code>outbreak run scenario.toml</code></summary><pre>{}</pre></details>",
        esc(&meta.toml)
    )
}
