#!/usr/bin/env bash
# Routing cost on street grids with holes of 10,000, 100,000 and 1,000,000 junctions: the
# preparation (world and routes) and its memory, printed once a size, and the cost of one
# trip, new and already taken (criterion). Sizes: BENCH_JUNCTIONS=10000,100000 (default
# all three; the million takes minutes to prepare). Extra arguments go to criterion.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -p outbreak-engine --bench routes -- "$@"
