//! `[behaviour]`: hearing, noise, sight, speeds, groups, fighting, rescue and the daily
//! schedule. The defaults are the engine's ([`BehaviourParams::default`]).

use super::{Check, MAX_RATE};
use crate::error::{Limit, ScenarioError};
use crate::raw::RawBehaviour;
use outbreak_engine::params::BehaviourParams;

pub(super) fn check(c: &Check, b: &RawBehaviour) -> Result<BehaviourParams, ScenarioError> {
    let d = BehaviourParams::default();
    Ok(BehaviourParams {
        hearing_range_m: c.num(
            "behaviour.hearing_range_m",
            b.hearing_range_m,
            d.hearing_range_m,
            0.0,
            1e5,
        )?,
        wake_threshold: c.num(
            "behaviour.wake_threshold",
            b.wake_threshold,
            d.wake_threshold,
            0.0,
            1e6,
        )?,
        human_noise: c.num(
            "behaviour.human_noise",
            b.human_noise,
            d.human_noise,
            0.0,
            1e6,
        )?,
        night_noise_factor: c.num(
            "behaviour.night_noise_factor",
            b.night_noise_factor,
            d.night_noise_factor,
            0.0,
            1e3,
        )?,
        group_noise: c.num(
            "behaviour.group_noise",
            b.group_noise,
            d.group_noise,
            0.0,
            1e3,
        )?,
        hide_noise: c.num("behaviour.hide_noise", b.hide_noise, d.hide_noise, 0.0, 1.0)?,
        fight_noise: c.num(
            "behaviour.fight_noise",
            b.fight_noise,
            d.fight_noise,
            0.0,
            1e6,
        )?,
        sight_day: c.num("behaviour.sight_day", b.sight_day, d.sight_day, 0.0, 1e3)?,
        sight_night: c.num(
            "behaviour.sight_night",
            b.sight_night,
            d.sight_night,
            0.0,
            1e3,
        )?,
        zombie_speed_mps: c.num(
            "behaviour.zombie_speed_mps",
            b.zombie_speed_mps,
            d.zombie_speed_mps,
            0.0,
            15.0,
        )?,
        zombie_wander: c.num(
            "behaviour.zombie_wander",
            b.zombie_wander,
            d.zombie_wander,
            0.0,
            1.0,
        )?,
        max_group_size: c.whole(
            "behaviour.max_group_size",
            b.max_group_size,
            d.max_group_size,
            1,
            10_000,
        )?,
        group_fight_bonus: c.num(
            "behaviour.group_fight_bonus",
            b.group_fight_bonus,
            d.group_fight_bonus,
            0.0,
            100.0,
        )?,
        squad_fight_bonus: c.num(
            "behaviour.squad_fight_bonus",
            b.squad_fight_bonus,
            d.squad_fight_bonus,
            0.0,
            100.0,
        )?,
        barricade_full_group: c.whole(
            "behaviour.barricade_full_group",
            b.barricade_full_group,
            d.barricade_full_group,
            1,
            1000,
        )?,
        fight_ratio: c.num(
            "behaviour.fight_ratio",
            b.fight_ratio,
            d.fight_ratio,
            0.0,
            1e6,
        )?,
        alert_spread_per_hour: c.num(
            "behaviour.alert_spread_per_hour",
            b.alert_spread_per_hour,
            d.alert_spread_per_hour,
            0.0,
            MAX_RATE,
        )?,
        group_join_per_hour: c.num(
            "behaviour.group_join_per_hour",
            b.group_join_per_hour,
            d.group_join_per_hour,
            0.0,
            MAX_RATE,
        )?,
        rescue_reach_m: c.num(
            "behaviour.rescue_reach_m",
            b.rescue_reach_m,
            d.rescue_reach_m,
            0.0,
            1e7,
        )?,
        stand_ground: b.stand_ground.unwrap_or(d.stand_ground),
        crowd_per_way_m: c.num(
            "behaviour.crowd_per_way_m",
            b.crowd_per_way_m,
            d.crowd_per_way_m,
            0.0,
            100.0,
        )?,
        schedule: schedule(c, b.schedule.as_deref(), d.schedule)?,
    })
}

/// The daily schedule: 24 anchors, one an hour, each 0 (home), 1 (morning), 2 (lunch) or
/// 3 (afternoon).
fn schedule(c: &Check, given: Option<&[u8]>, default: [u8; 24]) -> Result<[u8; 24], ScenarioError> {
    let Some(given) = given else {
        return Ok(default);
    };
    let key = "behaviour.schedule";
    let s: [u8; 24] = given
        .try_into()
        .map_err(|_| c.error(key, Limit::ScheduleLength { given: given.len() }))?;
    if let Some(&anchor) = s.iter().find(|&&a| a > 3) {
        return Err(c.error(key, Limit::ScheduleAnchor { anchor }));
    }
    Ok(s)
}
