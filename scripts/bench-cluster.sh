#!/usr/bin/env bash
# What running an ensemble across processes costs: members a second on 1 process and under
# mpirun on 2 and 3 ranks (one thread each; rank 0 hands out, the others run members), the
# hand-out's cost per member, and the time `outbreak collect` takes to merge 10,000 members
# from 4 shards. Needs OpenMPI (Debian: openmpi-bin libopenmpi-dev libclang-dev).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p outbreak --features mpi
bin=$PWD/target/release/outbreak
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
job=(ensemble munz-basic --runs 200 --quiet --threads 1 --set population.size=500 --set run.duration_hours=48)
secs() { /usr/bin/time -f "%e" -o "$tmp/t" "$@" > /dev/null; cat "$tmp/t"; }
one=$(secs "$bin" "${job[@]}" --out "$tmp/one")
mpi="mpirun --allow-run-as-root --oversubscribe"
two=$(secs $mpi -n 2 "$bin" "${job[@]}" --out "$tmp/two")
three=$(secs $mpi -n 3 "$bin" "${job[@]}" --out "$tmp/three")
awk -v a="$one" -v b="$two" -v c="$three" 'BEGIN {
  printf "200 members of munz-basic (500 people, 48 h), one thread a process\n"
  printf "  1 process   %6.2f s  %6.1f members/s\n", a, 200 / a
  printf "  2 ranks     %6.2f s  %6.1f members/s  (1 runs members)\n", b, 200 / b
  printf "  3 ranks     %6.2f s  %6.1f members/s  (2 run members)\n", c, 200 / c
}'
# The hand-out's own cost: members so short that it dominates, 1 process against 2 ranks.
short=(ensemble munz-basic --runs 2000 --quiet --threads 1 --set population.size=20 --set run.duration_hours=1)
s1=$(secs "$bin" "${short[@]}" --out "$tmp/s1")
s2=$(secs $mpi -n 2 "$bin" "${short[@]}" --out "$tmp/s2")
awk -v a="$s1" -v b="$s2" 'BEGIN {
  printf "2,000 members of 20 people for 1 h: 1 process %.2f s, 2 ranks %.2f s: the hand-out adds %.3f ms a member\n", a, b, 1000 * (b - a) / 2000
}'
tiny=(ensemble munz-basic --runs 10000 --quiet --set population.size=20 --set run.duration_hours=1)
for k in 0 1 2 3; do "$bin" "${tiny[@]}" --shard $k/4 --out "$tmp/shard-$k" > /dev/null; done
t=$(secs "$bin" collect "$tmp/all" "$tmp"/shard-* --quiet)
size=$(du -sb "$tmp"/shard-* | awk '{ s += $1 } END { print s }')
awk -v t="$t" -v s="$size" 'BEGIN {
  printf "collect of 10,000 members from 4 shards (%.1f MB of shard folders): %.2f s\n", s / 1e6, t
}'
