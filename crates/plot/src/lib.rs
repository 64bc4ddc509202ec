//! SVG charts and maps for outbreak's run folders and reports: curves against the clock
//! with the orders marked ([`chart`]), phase diagrams with a colour scale ([`heat`]), and
//! maps of a world in small multiples ([`map`]). No dependencies and no I/O: each figure is
//! a value whose `svg()` is the document, the same bytes on every machine.
//!
//! Every part a page script or a test looks for has a class (`series`, `order-mark`,
//! `legend-item`, `map-panel`, `cell` …); pictures inlined in a page name no address (a
//! `standalone` picture, an `.svg` file, names the SVG namespace).
//!
//! ```
//! use outbreak_plot::chart::{Chart, Line, Mark, XAxis};
//! use outbreak_plot::colour::state_colour;
//! use outbreak_plot::scale::Clock;
//!
//! let mut chart = Chart::new("campus", XAxis::Clock(Clock { start_hour: 10.0 }), "people");
//! let zombies = (0..=120).map(|m| (m as f64, (m * m) as f64)).collect();
//! chart.lines.push(Line::new("zombie", state_colour("zombie"), zombies));
//! chart.marks.push(Mark { x: 90.0, number: 1, label: "11:30 alarm on campus".into() });
//! let svg = chart.svg();
//! assert!(svg.contains("class=\"order-mark\""));
//! ```
#![warn(missing_docs)]

pub mod chart;
pub mod colour;
pub mod heat;
pub mod map;
pub mod scale;
pub mod svg;
