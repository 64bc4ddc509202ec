//! Axes' ticks and the numbers a person reads: steps of 1, 2 or 5 times a power of ten,
//! decades on a log scale, clock times aligned to the hour of the day, and counts with
//! thousands separators.

/// A step of 1, 2 or 5 × 10^k that cuts `span` into at most `max_ticks` intervals.
pub fn nice_step(span: f64, max_ticks: usize) -> f64 {
    if !(span.is_finite() && span > 0.0) {
        return 1.0;
    }
    let rough = span / max_ticks.max(1) as f64;
    let power = 10f64.powf(rough.log10().floor());
    for m in [1.0, 2.0, 5.0, 10.0] {
        if m * power >= rough {
            return m * power;
        }
    }
    10.0 * power
}

/// Multiples of a nice step within `[lo, hi]`.
pub fn linear_ticks(lo: f64, hi: f64, max_ticks: usize) -> Vec<f64> {
    let step = nice_step(hi - lo, max_ticks);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// The decades 1, 10, 100 … up to `hi`.
pub fn log_ticks(hi: f64) -> Vec<f64> {
    let top = (hi.max(10.0).log10() + 1e-9).floor() as i32;
    (0..=top).map(|k| 10f64.powi(k)).collect()
}

/// Decimals needed to write multiples of a step of 1, 2 or 5 × 10^k exactly.
fn decimals(step: f64) -> usize {
    if !(step.is_finite() && step > 0.0 && step < 1.0) {
        return 0;
    }
    (-(step.log10() + 1e-9).floor()) as usize
}

/// A tick's label: as many decimals as the step needs, thousands separated.
///
/// ```
/// use outbreak_plot::scale::tick_label;
/// assert_eq!(tick_label(5000.0, 1000.0), "5,000");
/// assert_eq!(tick_label(0.30000000000000004, 0.1), "0.3");
/// assert_eq!(tick_label(0.25, 0.05), "0.25");
/// ```
pub fn tick_label(value: f64, step: f64) -> String {
    let d = decimals(step);
    let s = format!("{:.*}", d, value);
    group_thousands(if s == "-0" { "0" } else { &s })
}

/// A value as a person writes it: at most `significant` significant digits, no trailing
/// zeros, thousands separated (`0.0003333333333` → `0.000333`, `12345.6` → `12,346`).
pub fn round_label(value: f64, significant: u32) -> String {
    if value == 0.0 || !value.is_finite() {
        return if value.is_finite() {
            "0".into()
        } else {
            value.to_string()
        };
    }
    let magnitude = value.abs().log10().floor() as i32;
    let d = (significant as i32 - 1 - magnitude).max(0) as usize;
    let mut s = format!("{:.*}", d, value);
    if s.contains('.') {
        let kept = s.trim_end_matches('0').trim_end_matches('.').len();
        s.truncate(kept);
    }
    group_thousands(&s)
}

/// A count of people, rounded to a whole person and thousands separated (`20012` →
/// `20,012`).
pub fn count(n: f64) -> String {
    tick_label(n.round(), 1.0)
}

/// Puts a comma between thousands in the integer part of a written number.
fn group_thousands(s: &str) -> String {
    let (sign, rest) = s.strip_prefix('-').map_or(("", s), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    if int.len() <= 3 {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

/// The clock of a run: its first tick's hour of the day, and minutes since the start.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Clock {
    /// Hour of the day (0–24) at which the run starts, on day 1.
    pub start_hour: f64,
}

impl Clock {
    /// Minutes since midnight of day 1 at `minutes` since the start.
    fn absolute(&self, minutes: f64) -> f64 {
        self.start_hour * 60.0 + minutes
    }

    /// The day (from 1) and time of day at `minutes` since the start: `day 2 13:42`.
    ///
    /// ```
    /// use outbreak_plot::scale::Clock;
    /// let c = Clock { start_hour: 10.0 };
    /// assert_eq!(c.label(222.0), "day 1 13:42");
    /// assert_eq!(c.label(14.0 * 60.0), "day 2 00:00");
    /// ```
    pub fn label(&self, minutes: f64) -> String {
        let (day, time) = self.day_time(minutes);
        format!("day {day} {time}")
    }

    /// The time of day alone: `13:42`.
    pub fn time(&self, minutes: f64) -> String {
        self.day_time(minutes).1
    }

    /// The day (from 1) and `HH:MM`.
    pub fn day_time(&self, minutes: f64) -> (u64, String) {
        let abs = self.absolute(minutes).round().max(0.0) as u64;
        let day = abs / 1440 + 1;
        let m = abs % 1440;
        (day, format!("{:02}:{:02}", m / 60, m % 60))
    }

    /// Ticks on the clock between `lo` and `hi` minutes since the start: at most
    /// `max_ticks`, at whole multiples of a step of the day (15 min, 30 min, 1, 2, 3, 4, 6,
    /// 12 h, then days). Each tick is (minutes since the start, label); a tick at midnight is
    /// labelled with its day, the others with their time.
    pub fn ticks(&self, lo: f64, hi: f64, max_ticks: usize) -> Vec<(f64, String)> {
        const STEPS: [f64; 12] = [
            15.0, 30.0, 60.0, 120.0, 180.0, 240.0, 360.0, 720.0, 1440.0, 2880.0, 10080.0, 43200.0,
        ];
        let span = (hi - lo).max(1e-9);
        let step = STEPS
            .iter()
            .copied()
            .find(|s| span / s <= max_ticks.max(1) as f64)
            .unwrap_or_else(|| 1440.0 * nice_step(span / 1440.0, max_ticks));
        let (a, b) = (self.absolute(lo), self.absolute(hi));
        let first = (a / step - 1e-9).ceil() as i64;
        let last = (b / step + 1e-9).floor() as i64;
        (first..=last)
            .map(|k| {
                let abs = k as f64 * step;
                let m = abs - self.start_hour * 60.0;
                let label = if (abs.round() as i64).rem_euclid(1440) == 0 {
                    format!("day {}", (abs / 1440.0).round() as i64 + 1)
                } else {
                    self.time(m)
                };
                (m, label)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_one_two_five() {
        assert_eq!(nice_step(100.0, 10), 10.0);
        assert_eq!(nice_step(20_012.0, 6), 5000.0);
        assert_eq!(nice_step(1.0, 4), 0.5);
        assert_eq!(nice_step(0.0, 4), 1.0);
        assert_eq!(
            linear_ticks(0.0, 20_012.0, 6),
            vec![0.0, 5000.0, 10_000.0, 15_000.0, 20_000.0]
        );
    }

    #[test]
    fn labels_read_as_a_person_writes_them() {
        assert_eq!(tick_label(20_000.0, 5000.0), "20,000");
        assert_eq!(tick_label(1234.0, 1.0), "1,234");
        assert_eq!(tick_label(-0.0, 1.0), "0");
        assert_eq!(tick_label(0.15, 0.05), "0.15");
        assert_eq!(round_label(0.000_333_333_333_333_3, 3), "0.000333");
        assert_eq!(round_label(0.001, 3), "0.001");
        assert_eq!(round_label(0.0025, 3), "0.0025");
        assert_eq!(round_label(12_345.6, 3), "12,346");
        assert_eq!(count(20.5), "21");
        assert_eq!(count(9_457_009.0), "9,457,009");
        assert_eq!(
            log_ticks(50_000.0),
            vec![1.0, 10.0, 100.0, 1000.0, 10_000.0]
        );
        assert_eq!(log_ticks(1000.0), vec![1.0, 10.0, 100.0, 1000.0]);
    }

    #[test]
    fn clock_ticks_sit_on_the_hours_of_the_day() {
        let c = Clock { start_hour: 10.0 };
        // 48 hours from 10:00: six-hourly ticks at 12:00, 18:00, day 2, 06:00 …
        let ticks = c.ticks(0.0, 48.0 * 60.0, 10);
        assert_eq!(ticks[0], (120.0, "12:00".to_string()));
        assert_eq!(ticks[1], (480.0, "18:00".to_string()));
        assert_eq!(ticks[2], (840.0, "day 2".to_string()));
        assert_eq!(ticks.last().unwrap().1, "06:00");
        // Three hours: half-hourly.
        let ticks = c.ticks(0.0, 180.0, 8);
        assert_eq!(ticks.len(), 7);
        assert_eq!(ticks[1].1, "10:30");
        // A start at 09:30 keeps ticks on whole hours.
        let c = Clock { start_hour: 9.5 };
        assert_eq!(c.ticks(0.0, 600.0, 10)[0], (30.0, "10:00".to_string()));
    }
}
