#!/usr/bin/env bash
# Speed and memory of the engine: agent-steps per second and peak memory for the default
# campus (20,000 people, 48 h) and a 1,000,000-person city (6 h), on 1 thread and on all
# cores. Also runs the criterion benchmark of one tick when given --criterion, and the
# full-scale seoul-city (9.46 M people, 24 h; about 8 minutes, one thread) with --seoul.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p outbreak-scenario --example throughput
bin=target/release/examples/throughput
for threads in 1 "$(nproc)"; do
  echo "== RAYON_NUM_THREADS=$threads"
  RAYON_NUM_THREADS=$threads "$bin" campus
  RAYON_NUM_THREADS=$threads "$bin" city
done
if [ "${1:-}" = "--seoul" ]; then
  RAYON_NUM_THREADS=1 "$bin" seoul
fi
if [ "${1:-}" = "--criterion" ]; then
  cargo bench -p outbreak-scenario --bench tick
fi
