#!/usr/bin/env bash
# Makes a city-sized test network from the repository's own extract: COLUMNS × ROWS copies
# of Kotka-Karhula (525 junctions each) side by side, joined into one network by a single
# footway from each copy (column k % COLUMNS, row k / COLUMNS) to its neighbour east and
# its neighbour north, all at the same junction of Hiidenkirnuntie (node 493621164). The
# joins, about 2.7 km long, are the only ways between copies: bottlenecks, each copy full
# of dead ends, and people whose day place lies in a neighbouring copy (under a kilometre
# away as the crow flies) walk round through a join, a few kilometres.
#
# Usage: scripts/tile-osm.sh COLUMNS ROWS OUT.osm.pbf
#   10 × 10 → 52,500 junctions, 1,422,200 nodes (the ≥ 50,000-junction commute test)
# Needs osmium-tool (`apt install osmium-tool`) and python3.
# Map data © OpenStreetMap contributors, ODbL.
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: scripts/tile-osm.sh COLUMNS ROWS OUT.osm.pbf" >&2
  exit 2
fi
columns=$1 rows=$2 out=$3
for tool in osmium python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "tile-osm.sh: $tool not found (osmium: apt install osmium-tool)" >&2
    exit 1
  fi
done
here=$(cd "$(dirname "$0")/.." && pwd)
kotka=$here/data/osm/kotka-karhula.osm.pbf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
osmium cat -f opl -o "$tmp/kotka.opl" "$kotka"
# Copy k has every id and reference shifted by k·10^10 (above Kotka's largest id,
# 6,270,887,036) and its coordinates by 0.05° east and 0.025° north per column and row
# (Kotka spans 0.04° × 0.02°). Nodes of all copies, then their ways and the joining
# footways, then their relations keep the file sorted by type and id.
python3 - "$tmp/kotka.opl" "$columns" "$rows" >"$tmp/tiled.opl" <<'PY'
import sys

COLUMNS, ROWS = int(sys.argv[2]), int(sys.argv[3])
ID_STEP = 10**10
DLON, DLAT = 0.05, 0.025
JOIN_NODE = 493621164

def shift_ref(ref, off):
    head, at, role = ref.partition("@")
    return f"{head[0]}{int(head[1:]) + off}{at}{role}"

def shift(line, k):
    off = k * ID_STEP
    dx, dy = (k % COLUMNS) * DLON, (k // COLUMNS) * DLAT
    fields = line.split(" ")
    out = []
    for f in fields:
        key, val = f[0], f[1:]
        if f is fields[0]:
            f = f"{key}{int(val) + off}"
        elif key == "x" and val:
            f = f"x{float(val) + dx:.7f}"
        elif key == "y" and val:
            f = f"y{float(val) + dy:.7f}"
        elif key in "NM" and val:
            f = key + ",".join(shift_ref(r, off) for r in val.split(","))
        out.append(f)
    return " ".join(out)

by_type = {"n": [], "w": [], "r": []}
with open(sys.argv[1], encoding="utf-8") as opl:
    for line in opl:
        line = line.rstrip("\n")
        if line:
            by_type[line[0]].append(line)
out = sys.stdout
copies = COLUMNS * ROWS
for kind in "nwr":
    for k in range(copies):
        for line in by_type[kind]:
            out.write(shift(line, k) + "\n")
    if kind == "w":
        joins = [(k, k + 1) for k in range(copies) if k % COLUMNS < COLUMNS - 1]
        joins += [(k, k + COLUMNS) for k in range(copies - COLUMNS)]
        for j, (k, m) in enumerate(sorted(joins)):
            a, b = JOIN_NODE + k * ID_STEP, JOIN_NODE + m * ID_STEP
            out.write(f"w{copies * ID_STEP + j} v1 dV c0 t i0 u Thighway=footway Nn{a},n{b}\n")
PY
osmium cat -F opl -o "$out" --overwrite "$tmp/tiled.opl"
osmium fileinfo -e "$out" | grep -E "Number of (nodes|ways|relations)"
