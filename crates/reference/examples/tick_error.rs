//! The tick's bias, measured: `ode-szr`'s outbreak (N = 20,000, 1 % zombies, β = 2.5·10⁻⁵
//! and κ = 10⁻⁵ per pair-hour) as the mean of many agent runs at ticks of 1, 2, 5 and 10
//! minutes, against Alemi's ODE: the largest |mean − ODE| / N of S and Z, hourly over 24 h.
//! The table of docs/tick.md.
//!
//! `cargo run --release -p outbreak-reference --example tick_error -- [RUNS]`

fn main() {
    let runs = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(64);
    println!("| tick (min) | runs | largest mean error / N |");
    println!("|---|---|---|");
    for tick in [1.0, 2.0, 5.0, 10.0] {
        let e = outbreak_reference::agree::szr_error_at_tick(tick, runs, 0x7e57);
        println!("| {tick} | {runs} | {:.2} % |", 100.0 * e);
    }
}
