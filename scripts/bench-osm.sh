#!/usr/bin/env bash
# Speed and memory of the OpenStreetMap importer: elements (nodes, ways, relations) per
# second and the memory the import adds per million nodes, for the Kotka extract and for a
# tiling of 8 × 9 = 72 copies of it (1,023,984 nodes) side by side. Also runs the criterion
# benchmark of importing Kotka when given --criterion.
# Needs osmium-tool (`apt install osmium-tool`) to make the tiled extract; python3 rewrites it.
# Map data © OpenStreetMap contributors, ODbL.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v osmium >/dev/null; then
  echo "bench-osm.sh: osmium not found; install osmium-tool (apt install osmium-tool)" >&2
  exit 1
fi
if ! command -v python3 >/dev/null; then
  echo "bench-osm.sh: python3 not found" >&2
  exit 1
fi
cargo build --release -q -p outbreak-scenario --example import
bin=target/release/examples/import
kotka=data/osm/kotka-karhula.osm.pbf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
TIMEFORMAT="wall %R s (the process, from start to exit)"

echo "== Kotka"
time "$bin" "$kotka"

echo "== Kotka tiled 8 × 9"
osmium cat -f opl -o "$tmp/kotka.opl" "$kotka"
# Copy k (column k % 8, row k / 8) has every id and reference shifted by k·10^10 (above
# Kotka's largest id, 6,270,887,036) and its coordinates by 0.05° east and 0.025° north
# per column and row (Kotka spans 0.04° × 0.02°). A footway joins each copy to the next at
# the same junction of Hiidenkirnuntie (node 493621164), so the copies make one network and
# the whole tiling is imported as one town. Writing all copies' nodes, then their ways and
# the joining footways, then their relations keeps the file sorted by type and id.
python3 - "$tmp/kotka.opl" >"$tmp/tiled.opl" <<'PY'
import sys

COLUMNS, ROWS = 8, 9
ID_STEP = 10**10
DLON, DLAT = 0.05, 0.025
JOIN_NODE = 493621164

def shift_ref(ref, off):
    # `n123`, or a relation member `w456@role`.
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
        for k in range(copies - 1):
            a, b = JOIN_NODE + k * ID_STEP, JOIN_NODE + (k + 1) * ID_STEP
            out.write(f"w{copies * ID_STEP + k} v1 dV c0 t i0 u Thighway=footway Nn{a},n{b}\n")
PY
osmium cat -F opl -o "$tmp/tiled.osm.pbf" "$tmp/tiled.opl"
rm "$tmp/tiled.opl"
osmium fileinfo -e "$tmp/tiled.osm.pbf" | grep -E "Objects ordered|Number of (nodes|ways|relations)|Size"
time "$bin" "$tmp/tiled.osm.pbf"

if [ "${1:-}" = "--criterion" ]; then
  cargo bench -p outbreak-world --bench import
fi
