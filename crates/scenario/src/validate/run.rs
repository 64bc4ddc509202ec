//! `[run]`: the seed and the clock.

use super::Check;
use crate::error::{Limit, NotAllowed, ScenarioError};
use crate::raw::RawRun;
use outbreak_engine::params::RunParams;

/// The run's parameters, its length in hours (orders are warned about against it), and
/// whom its replay records (see [`crate::Scenario::record`]).
pub(super) fn check(
    c: &Check,
    r: &RawRun,
) -> Result<(RunParams, f64, Option<Vec<String>>), ScenarioError> {
    let seed = r.seed.unwrap_or(1);
    let tick_minutes = c.pos("run.tick_minutes", r.tick_minutes, 1.0, 60.0)?;
    let duration_hours = c.pos("run.duration_hours", r.duration_hours, 48.0, 24.0 * 365.0)?;
    // A duration rounds to whole ticks; one that rounds to none is no run.
    if duration_hours * 60.0 / tick_minutes < 0.5 {
        return Err(c.error(
            "run.duration_hours",
            Limit::NoTicks {
                hours: duration_hours,
                tick_minutes,
            },
        ));
    }
    let duration_ticks = c.ticks("run.duration_hours", duration_hours, tick_minutes)?;
    let start_hour = c.num("run.start_hour", r.start_hour, 10.0, 0.0, 24.0)?;
    let run = RunParams {
        seed,
        tick_minutes,
        duration_ticks,
        start_hour,
        stop_when_settled: r.stop_when_settled.unwrap_or(false),
    };
    let record = match (r.record, &r.record_zones) {
        (Some(false), Some(_)) => return Err(c.error("run.record_zones", NotAllowed::RecordZones)),
        (_, Some(zones)) if zones.is_empty() => {
            return Err(c.error("run.record_zones", NotAllowed::RecordZones))
        }
        (_, Some(zones)) => Some(zones.clone()),
        (Some(true), None) => Some(Vec::new()),
        (Some(false) | None, None) => None,
    };
    Ok((run, duration_hours, record))
}
