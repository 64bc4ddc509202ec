#!/usr/bin/env bash
# What recording a replay costs: the default campus (20,012 people, 48 h) on one thread,
# run N times (default 3) without and with --record; prints the best wall time of each, the
# time recording adds, peak memory (GNU time) and the replay's size on disk.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-3}"
cargo build --release -q -p outbreak
bin=target/release/outbreak
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
best() { # best wall seconds and its peak RSS (KiB) over n runs of: outbreak run ARGS
  local best_s="" best_kb=""
  for _ in $(seq "$n"); do
    rm -rf "$tmp/out"
    /usr/bin/time -f "%e %M" -o "$tmp/time" "$bin" run --threads 1 -q --out "$tmp/out" "$@" > /dev/null
    read -r s kb < "$tmp/time"
    if [ -z "$best_s" ] || awk "BEGIN { exit !($s < $best_s) }"; then best_s=$s; best_kb=$kb; fi
  done
  echo "$best_s $best_kb"
}
read -r plain plain_kb <<< "$(best)"
read -r rec rec_kb <<< "$(best --record)"
size=$(du -sb "$tmp/out/replay" | cut -f1)
awk -v p="$plain" -v r="$rec" -v pk="$plain_kb" -v rk="$rec_kb" -v b="$size" 'BEGIN {
  printf "campus 48 h, 1 thread, best of runs\n"
  printf "  plain   %6.2f s  peak %6.1f MiB\n", p, pk / 1024
  printf "  record  %6.2f s  peak %6.1f MiB  (+%.0f %% time)\n", r, rk / 1024, 100 * (r - p) / p
  printf "  replay  %6.1f MB on disk\n", b / 1e6
}'
