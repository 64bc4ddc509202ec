//! The tick's bias, measured: `ode-szr`'s outbreak (N = 20,000, 1 % zombies, β = 2.5·10⁻⁵
//! and κ = 10⁻⁵ per pair-hour) as the mean of many agent runs at ticks of 1, 2, 5 and 10
//! minutes, against Alemi's ODE: the largest |mean − ODE| / N of S and Z, hourly over 24 h.
//! The table of docs/tick.md.
//!
//! `cargo run --release -p outbreak-reference --example tick_error -- [RUNS [SEED [TICK...]]]`

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runs = args.first().and_then(|a| a.parse().ok()).unwrap_or(64);
    let seed = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(0x7e57);
    let mut ticks: Vec<f64> = args.iter().skip(2).filter_map(|a| a.parse().ok()).collect();
    if ticks.is_empty() {
        ticks = vec![1.0, 2.0, 5.0, 10.0];
    }
    println!("| tick (min) | runs | largest mean error / N |");
    println!("|---|---|---|");
    for tick in ticks {
        let e = outbreak_reference::agree::szr_error_at_tick(tick, runs, seed);
        println!("| {tick} | {runs} | {:.2} % |", 100.0 * e);
    }
}
