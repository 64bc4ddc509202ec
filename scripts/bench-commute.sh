#!/usr/bin/env bash
# The morning commute on a city-sized network with bottlenecks and dead ends: 10 × 10
# copies of Karhula joined by single footways (scripts/tile-osm.sh; 52,500 junctions,
# 1,422,200 nodes), 20,000 people, no outbreak, 6:00 to 14:00 (everyone sets out at 8:00
# for a day place within a kilometre of home). Prints the import, the routing cost of the
# commute on one core (every trip planned, the first 2,000 also with a query a step, and the
# run's route and decide stages on one thread: the commute example), the run's wall time
# and its trips, and fails unless at 14:00 at most 1 % of the people are in the streets and
# at least 99 % of the trips started have arrived. `scripts/bench-commute.sh 10 10 100000`
# gives the routing cost of the commute of 100,000 people (ARCHITECTURE.md has the figures;
# there, as with 20,000, every trip arrives: day places are dealt from the capacity left, so
# no one waits at the door of a full one).
# Usage: scripts/bench-commute.sh [COLUMNS ROWS PEOPLE]   (default 10 10 20000)
# Needs osmium-tool (`apt install osmium-tool`) and python3.
# Map data © OpenStreetMap contributors, ODbL.
set -euo pipefail
cd "$(dirname "$0")/.."
columns=${1:-10} rows=${2:-10} people=${3:-20000}
cargo build --release -q -p outbreak -p outbreak-scenario --bin outbreak --example import --example commute
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
scripts/tile-osm.sh "$columns" "$rows" "$tmp/tiled.osm.pbf"
target/release/examples/import "$tmp/tiled.osm.pbf"
cat >"$tmp/commute.toml" <<TOML
name = "tiled-commute"
description = "The morning commute on $columns × $rows copies of Karhula joined by single footways"

[run]
seed = 7
tick_minutes = 1
duration_hours = 8
start_hour = 6

[world]
generator = "osm"
path = "tiled.osm.pbf"
people_per_100m2 = 2.0

[population]
size = $people
initial_zombies = 0
initial_infected = 0
TOML
target/release/examples/commute "$tmp/commute.toml"
TIMEFORMAT="run: wall %R s (import, routes and 480 ticks)"
time target/release/outbreak run "$tmp/commute.toml" --out "$tmp/run" --force -q >/dev/null
python3 - "$tmp/run" "$people" <<'PY'
import csv, json, sys
run, people = sys.argv[1], int(sys.argv[2])
trips = json.load(open(f"{run}/summary.json"))["trips"]
last = None
with open(f"{run}/zones.csv") as f:
    for row in csv.DictReader(f):
        if row["zone"] == "streets":
            last = row
streets = sum(int(last[k]) for k in ("susceptible", "infected", "hambie"))
started, arrived = trips["routine_started"], trips["routine_arrived"]
print(f"trips: {started} started, {arrived} arrived ({arrived / started:.2%}), "
      f"{trips['routine_unreachable']} unreachable")
print(f"at 14:00: {streets} of {people} people in the streets ({streets / people:.2%})")
ok = streets <= people / 100 and arrived >= 0.99 * started
sys.exit(0 if ok else 1)
PY
