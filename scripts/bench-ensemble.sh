#!/usr/bin/env bash
# Throughput of ensembles: a 1,000-member ensemble of munz-basic (500 people in one
# well-mixed place, 240 hours in 6-minute ticks) on 1 thread and on all cores, in members
# per second, with peak memory; and a 100-member ensemble of the campus at 2,000 people for
# 12 hours. Uses GNU time (/usr/bin/time) for peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p outbreak
bin=target/release/outbreak
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
measure() {
  /usr/bin/time -f "  wall %e s, peak RSS %M KiB" "$bin" "$@" --quiet --out "$tmp/out" --force \
    | grep -E "members run"
}
for threads in 1 "$(nproc)"; do
  echo "== munz-basic, 1,000 members, $threads thread(s)"
  measure ensemble munz-basic --runs 1000 --threads "$threads"
done
echo "== seoul-campus at 2,000 people, 12 h, 100 members, $(nproc) thread(s)"
measure ensemble seoul-campus --runs 100 --set population.size=2000 --set run.duration_hours=12
