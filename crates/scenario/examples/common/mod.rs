//! What the benchmark examples share.

/// A `/proc/self/status` figure (`VmRSS:` now, `VmHWM:` the peak) in MiB; 0 where there
/// is none (not Linux).
pub fn status_mib(key: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with(key)).map(|l| {
                l.split_whitespace()
                    .nth(1)
                    .unwrap_or("0")
                    .parse::<f64>()
                    .unwrap_or(0.0)
            })
        })
        .unwrap_or(0.0)
        / 1024.0
}
