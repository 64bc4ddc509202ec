//! The maps of a run: where the first bite came in each place (the spread), and small
//! multiples of where the humans, the infected and the zombies were at several hours, from
//! the run folder's map data (`places.parquet`, `ways.parquet`, `streets.parquet` for map
//! worlds, and `map.parquet`, the counts by place at chosen hours).

use std::collections::BTreeMap;
use std::path::Path;

use outbreak_plot::colour::{state_colour, Colour};
use outbreak_plot::map::{Layer, Map, Outline, Panel, Segment, Sign, SignKind};
use outbreak_plot::scale::Clock;
use serde_json::Value;

use crate::error::ReportError;
use crate::page::figure;
use crate::read;
use crate::run::Series;

/// The files of a run folder's map data.
pub mod files {
    /// Every place: `place, name, kind, x, y, capacity, zones`.
    pub const PLACES: &str = "places.parquet";
    /// Every way: `way, from, to, length_m`.
    pub const WAYS: &str = "ways.parquet";
    /// The street geometry of a map world: `x0, y0, x1, y1`.
    pub const STREETS: &str = "streets.parquet";
    /// The counts by place at chosen hours: `minutes, place` and the states.
    pub const MAP: &str = "map.parquet";
}

/// Panels of the small multiples, at most.
const PANELS: usize = 6;

/// The places of a world, as its map data lists them.
pub(crate) struct Places {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    pub name: Vec<String>,
    pub kind: Vec<String>,
    pub zones: Vec<String>,
}

impl Places {
    fn read(path: &Path) -> Result<Places, ReportError> {
        let cols = read::parquet_columns(path, &["place", "name", "kind", "x", "y", "zones"])?;
        let n = cols[0].nums().len();
        let places = Places {
            x: cols[3].nums().to_vec(),
            y: cols[4].nums().to_vec(),
            name: cols[1].texts().to_vec(),
            kind: cols[2].texts().to_vec(),
            zones: cols[5].texts().to_vec(),
        };
        let ids_in_order = cols[0]
            .nums()
            .iter()
            .enumerate()
            .all(|(k, &id)| id == k as f64);
        if !ids_in_order
            || [
                places.x.len(),
                places.y.len(),
                places.name.len(),
                places.kind.len(),
                places.zones.len(),
            ]
            .iter()
            .any(|&l| l != n)
        {
            return Err(ReportError::content(
                path,
                "places are not listed once each, in id order",
            ));
        }
        Ok(places)
    }

    fn len(&self) -> usize {
        self.x.len()
    }

    /// Whether a place is drawn: the staging place of reserve squads is off the map.
    fn on_map(&self, p: usize) -> bool {
        self.kind.get(p).is_some_and(|k| k != "staging")
    }

    fn pos(&self, p: usize) -> (f64, f64) {
        (self.x[p], self.y[p])
    }

    fn by_name(&self, name: &str) -> Option<usize> {
        self.name.iter().position(|n| n == name)
    }

    fn in_zone(&self, zone: &str) -> Vec<(f64, f64)> {
        (0..self.len())
            .filter(|&p| self.on_map(p) && self.zones[p].split("; ").any(|z| z == zone))
            .map(|p| self.pos(p))
            .collect()
    }
}

/// What every map of a run shares: the ground, the extent, the signs and the credit.
struct Ground {
    geographic: bool,
    credit: Option<String>,
    lines: Vec<Segment>,
    extent: Vec<(f64, f64)>,
    signs: Vec<Sign>,
    outlines: Vec<Outline>,
}

impl Ground {
    fn map(
        &self,
        id: &str,
        panels: Vec<Panel>,
        columns: usize,
        width: f64,
        unit: (&str, &str),
    ) -> Map {
        Map {
            title: String::new(),
            geographic: self.geographic,
            lines: self.lines.clone(),
            extent: self.extent.clone(),
            panels,
            signs: self.signs.clone(),
            outlines: self.outlines.clone(),
            credit: self.credit.clone(),
            panel_width: width,
            columns,
            unit: (unit.0.to_string(), unit.1.to_string()),
            id: id.to_string(),
            class: "map".into(),
            standalone: false,
        }
    }
}

fn lines(dir: &Path, places: &Places) -> Result<Vec<Segment>, ReportError> {
    let streets = dir.join(files::STREETS);
    let mut out = Vec::new();
    if streets.is_file() {
        read::parquet_rows(&streets, &["x0", "y0", "x1", "y1"], |v| {
            out.push(((v[0], v[1]), (v[2], v[3])));
        })?;
        return Ok(out);
    }
    let ways = dir.join(files::WAYS);
    if ways.is_file() {
        let n = places.len();
        let mut bad = false;
        read::parquet_rows(&ways, &["from", "to"], |v| {
            let (a, b) = (v[0] as usize, v[1] as usize);
            if a >= n || b >= n {
                bad = true;
            } else if places.on_map(a) && places.on_map(b) {
                out.push((places.pos(a), places.pos(b)));
            }
        })?;
        if bad {
            return Err(ReportError::content(
                &ways,
                "a way names a place the map does not have",
            ));
        }
    }
    Ok(out)
}

/// The signs and outlines of the orders that fired: rescue points, lures and squads'
/// entries where they are, cordoned zones outlined.
fn order_signs(summary: &Value, places: &Places) -> (Vec<Sign>, Vec<Outline>) {
    let (mut signs, mut outlines) = (Vec::new(), Vec::new());
    let Some(orders) = summary.get("orders").and_then(Value::as_array) else {
        return (signs, outlines);
    };
    for o in orders {
        if o.get("fired_minutes").and_then(Value::as_f64).is_none() {
            continue;
        }
        let action = o.get("action").and_then(Value::as_str).unwrap_or("");
        let label = o
            .get("label")
            .and_then(Value::as_str)
            .unwrap_or(action)
            .to_string();
        let place = o
            .get("place")
            .and_then(Value::as_str)
            .and_then(|n| places.by_name(n));
        let kind = match action {
            "rescue" => Some(SignKind::Rescue),
            "lure" => Some(SignKind::Lure),
            "squad" => Some(SignKind::Squad),
            _ => None,
        };
        if let (Some(kind), Some(p)) = (kind, place) {
            let (x, y) = places.pos(p);
            signs.push(Sign {
                x,
                y,
                kind,
                label: label.clone(),
            });
        }
        if action == "cordon" {
            if let Some(zone) = o.get("zone").and_then(Value::as_str) {
                let points = places.in_zone(zone);
                if points.len() >= 3 {
                    outlines.push(Outline { label, points });
                }
            }
        }
    }
    (signs, outlines)
}

/// One snapshot of the map data: the humans, infected and zombies of each place.
#[derive(Default)]
struct Snapshot {
    humans: Vec<(usize, f64)>,
    infected: Vec<(usize, f64)>,
    zombies: Vec<(usize, f64)>,
}

/// The moments the small multiples show, among the snapshots the run wrote: the start,
/// the zombies' rise through a tenth and a half of their peak, the peak, their fall to a
/// half, and the end; filled up with evenly spaced snapshots.
fn choose(available: &[f64], series: &Series) -> Vec<f64> {
    if available.len() <= PANELS {
        return available.to_vec();
    }
    let zombies = series
        .states
        .iter()
        .find(|s| s.0 == "zombie")
        .map(|s| s.1.as_slice())
        .unwrap_or(&[]);
    let peak_at =
        (0..zombies.len()).max_by(|&a, &b| zombies[a].total_cmp(&zombies[b]).then(b.cmp(&a)));
    let mut wanted = vec![available[0]];
    if let Some(k) = peak_at {
        let peak = zombies[k];
        let first_at = |share: f64| (0..=k).find(|&i| zombies[i] >= share * peak);
        for share in [0.1, 0.5] {
            if let Some(i) = first_at(share) {
                wanted.push(series.minutes[i]);
            }
        }
        wanted.push(series.minutes[k]);
        if let Some(i) = (k..zombies.len()).find(|&i| zombies[i] <= 0.5 * peak) {
            wanted.push(series.minutes[i]);
        }
    }
    wanted.push(*available.last().unwrap_or(&0.0));
    let nearest = |m: f64| {
        available
            .iter()
            .copied()
            .min_by(|a, b| (a - m).abs().total_cmp(&(b - m).abs()))
            .unwrap_or(m)
    };
    let mut chosen: Vec<f64> = wanted.into_iter().map(nearest).collect();
    chosen.sort_by(f64::total_cmp);
    chosen.dedup();
    let mut k = 1;
    while chosen.len() < PANELS && k < available.len() {
        let step = available.len() / (PANELS + 1);
        let pick = available[(k * step.max(1)).min(available.len() - 1)];
        if !chosen.contains(&pick) {
            chosen.push(pick);
            chosen.sort_by(f64::total_cmp);
        }
        k += 1;
    }
    chosen.truncate(PANELS);
    chosen
}

/// A run's map data, read: the places, the ground every map shares, and the snapshots'
/// times.
struct Loaded {
    places: Places,
    ground: Ground,
    available: Vec<f64>,
}

/// Reads a run's map data, or `None` when the folder has none (a world without positions,
/// or a folder written before runs kept map data).
fn load(dir: &Path, summary: &Value) -> Result<Option<Loaded>, ReportError> {
    let places_file = dir.join(files::PLACES);
    let map_file = dir.join(files::MAP);
    if !places_file.is_file() || !map_file.is_file() {
        return Ok(None);
    }
    let places = Places::read(&places_file)?;
    let world = summary.get("world");
    let geographic = world
        .and_then(|w| w.get("geographic"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let credit = world
        .and_then(|w| w.get("credit"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let (mut signs, outlines) = order_signs(summary, &places);
    let mut available = Vec::new();
    read::parquet_rows(&map_file, &["minutes"], |v| {
        if available.last() != Some(&v[0]) {
            available.push(v[0]);
        }
    })?;
    available.sort_by(f64::total_cmp);
    available.dedup();
    let Some(&first) = available.first() else {
        return Ok(None);
    };
    // The outbreak starts where the first snapshot has zombies or infected.
    let n = places.len();
    let mut start = Vec::new();
    let mut bad_place = false;
    read::parquet_rows(
        &map_file,
        &["minutes", "place", "infected", "zombie"],
        |v| {
            let p = v[1] as usize;
            if p >= n {
                bad_place = true;
            } else if v[0] == first && (v[2] > 0.0 || v[3] > 0.0) {
                start.push(p);
            }
        },
    )?;
    if bad_place {
        return Err(ReportError::content(
            &map_file,
            "a row names a place the map does not have",
        ));
    }
    for &p in &start {
        let (x, y) = places.pos(p);
        signs.push(Sign {
            x,
            y,
            kind: SignKind::Start,
            label: format!("the outbreak starts here: {}", places.name[p]),
        });
    }
    let ground = Ground {
        geographic,
        credit,
        lines: lines(dir, &places)?,
        extent: (0..n)
            .filter(|&p| places.on_map(p))
            .map(|p| places.pos(p))
            .collect(),
        signs,
        outlines,
    };
    Ok(Some(Loaded {
        places,
        ground,
        available,
    }))
}

/// `map.svg` of a run: the spread, as a picture of its own; `None` without map data.
pub(crate) fn spread_svg(
    dir: &Path,
    summary: &Value,
    clock: &Clock,
    title: &str,
) -> Result<Option<String>, ReportError> {
    let Some(l) = load(dir, summary)? else {
        return Ok(None);
    };
    let mut map = spread(dir, &l.places, &l.ground, clock)?;
    map.title = format!("{title}: where the first bite came, and when");
    map.panels[0].title = String::new();
    map.standalone = true;
    Ok(Some(map.svg()))
}

/// The maps section of a run's page, or `None` when the folder has no map data.
pub(crate) fn run_maps(
    dir: &Path,
    series: &Series,
    clock: &Clock,
    summary: &Value,
) -> Result<Option<String>, ReportError> {
    let Some(Loaded {
        places,
        ground,
        available,
    }) = load(dir, summary)?
    else {
        return Ok(None);
    };
    let chosen = choose(&available, series);
    let mut snaps: BTreeMap<u64, Snapshot> = chosen
        .iter()
        .map(|m| (m.to_bits(), Snapshot::default()))
        .collect();
    read::parquet_rows(
        &dir.join(files::MAP),
        &[
            "minutes",
            "place",
            "susceptible",
            "infected",
            "zombie",
            "hambie",
        ],
        |v| {
            let p = v[1] as usize;
            if let Some(s) = snaps.get_mut(&v[0].to_bits()) {
                let humans = v[2] + if v[5].is_nan() { 0.0 } else { v[5] };
                if humans > 0.0 {
                    s.humans.push((p, humans));
                }
                if v[3] > 0.0 {
                    s.infected.push((p, v[3]));
                }
                if v[4] > 0.0 {
                    s.zombies.push((p, v[4]));
                }
            }
        },
    )?;
    let mut html = figure(
        "map-spread",
        &spread(dir, &places, &ground, clock)?.svg(),
        "Every place by the time of its first bite, in four classes of a quarter of the bitten places each; the star is where the outbreak started. Places close together on the page are drawn as one dot.",
    );
    let at = |spots: &[(usize, f64)]| -> Vec<(f64, f64, f64)> {
        spots
            .iter()
            .filter(|(p, _)| places.on_map(*p))
            .map(|&(p, c)| (places.x[p], places.y[p], c))
            .collect()
    };
    let panels: Vec<Panel> = chosen
        .iter()
        .map(|m| {
            let s = &snaps[&m.to_bits()];
            Panel {
                title: clock.label(*m),
                minutes: *m,
                layers: vec![
                    layer(
                        "humans",
                        "human",
                        state_colour("susceptible"),
                        0.45,
                        at(&s.humans),
                    ),
                    layer(
                        "infected",
                        "infected",
                        state_colour("infected"),
                        0.85,
                        at(&s.infected),
                    ),
                    layer(
                        "zombies",
                        "zombie",
                        state_colour("zombie"),
                        0.85,
                        at(&s.zombies),
                    ),
                ],
            }
        })
        .collect();
    let map = ground.map("map-hours", panels, 3, 300.0, ("person", "people"));
    html += &figure(
        "map-hours",
        &map.svg(),
        "Humans, infected and zombies by place at the moments the run's map data holds: the start, the zombies' rise, their peak and fall, the end. A dot's area grows with its count; places close together on the page are counted together.",
    );
    Ok(Some(html))
}

fn layer(
    label: &str,
    key: &str,
    colour: Colour,
    opacity: f64,
    spots: Vec<(f64, f64, f64)>,
) -> Layer {
    Layer {
        label: label.into(),
        key: key.into(),
        colour,
        opacity,
        spots,
    }
}

/// The spread: every place by the time of its first bite, in four classes that each hold a
/// quarter of the bitten places; grey where no one was bitten.
fn spread(dir: &Path, places: &Places, ground: &Ground, clock: &Clock) -> Result<Map, ReportError> {
    let mut first = vec![f64::INFINITY; places.len()];
    read::stream(
        &dir.join("events.csv"),
        &["minutes", "event", "place"],
        |row| {
            if row.text(1) == "bite" {
                let p = row.num(2)?;
                if let Some(f) = first.get_mut(p as usize) {
                    *f = f.min(row.num(0)?);
                }
            }
            Ok(())
        },
    )?;
    let mut times: Vec<f64> = first.iter().copied().filter(|t| t.is_finite()).collect();
    times.sort_by(f64::total_cmp);
    let mut layers = vec![layer(
        "never bitten in",
        "never",
        Colour(175, 175, 175),
        0.5,
        (0..places.len())
            .filter(|&p| places.on_map(p) && !first[p].is_finite())
            .map(|p| (places.x[p], places.y[p], 1.0))
            .collect(),
    )];
    const CLASSES: [Colour; 4] = [
        Colour(254, 196, 79),
        Colour(253, 141, 60),
        Colour(227, 26, 28),
        Colour(128, 0, 38),
    ];
    if !times.is_empty() {
        let cut = |q: usize| times[((times.len() - 1) * q / 4).min(times.len() - 1)];
        let bounds: Vec<f64> = (0..=4).map(cut).collect();
        // The first bites come in time order: draw the latest first so the origin is on top.
        for q in (0..4).rev() {
            let (lo, hi) = (bounds[q], bounds[q + 1]);
            let spots: Vec<(f64, f64, f64)> = (0..places.len())
                .filter(|&p| {
                    let t = first[p];
                    places.on_map(p) && t.is_finite() && t >= lo && (t < hi || (q == 3 && t <= hi))
                })
                .map(|p| (places.x[p], places.y[p], 1.0))
                .collect();
            if spots.is_empty() {
                continue;
            }
            let label = format!("first bite {}–{}", clock.label(lo), clock.time(hi));
            layers.push(layer(
                &label,
                &format!("first-bite-{}", q + 1),
                CLASSES[q],
                0.9,
                spots,
            ));
        }
    }
    let panel = Panel {
        title: "where the first bite came, and when".into(),
        minutes: 0.0,
        layers,
    };
    Ok(ground.map("map-spread", vec![panel], 1, 900.0, ("place", "places")))
}
