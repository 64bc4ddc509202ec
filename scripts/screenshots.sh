#!/usr/bin/env bash
# Takes the README's pictures again from the program as it now runs:
#   docs/report-campus.png  the report of the campus run (seed 2025)
#   docs/view-campus.png    its replay at 16:00, 6 h in
#   docs/view-kotka.png     Kotka-Karhula's replay at 10 h
# Needs Debian's chromium (headless, software WebGL). Run from the repository's root:
#   scripts/screenshots.sh
set -euo pipefail
cargo build --release -q -p outbreak
bin=target/release/outbreak
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
browser=(chromium --headless --no-sandbox --hide-scrollbars --enable-unsafe-swiftshader
  --use-angle=swiftshader --user-data-dir="$work/profile")

# The page of a replay at tick T, once its own "ready" signal is up: the browser's virtual
# time lets the page fetch and draw before the picture is taken.
view() { # DIR PORT TICK OUT
  "$bin" view "$1" --port "$2" >"$work/view-$2.log" 2>&1 &
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$2/" >/dev/null && break; sleep 0.2; done
  "${browser[@]}" --window-size=1400,900 --virtual-time-budget=60000 \
    --screenshot="$4" "http://127.0.0.1:$2/?t=$3" 2>/dev/null
}

"$bin" run seoul-campus --seed 2025 --record --out "$work/campus" -q >/dev/null
"$bin" report "$work/campus" >/dev/null
"${browser[@]}" --window-size=1000,1420 --screenshot=docs/report-campus.png \
  "file://$work/campus/report.html" 2>/dev/null
view "$work/campus" 8791 360 docs/view-campus.png    # one-minute ticks: 6 h

"$bin" run kotka-karhula --record --out "$work/kotka" -q >/dev/null
minutes=$(sed -n 's/^tick_minutes *= *\([0-9.]*\).*/\1/p' "$work/kotka/scenario.toml")
view "$work/kotka" 8792 "$(awk -v m="$minutes" 'BEGIN { print int(600 / m) }')" docs/view-kotka.png
ls -l docs/report-campus.png docs/view-campus.png docs/view-kotka.png
