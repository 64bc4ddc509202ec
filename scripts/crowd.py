#!/usr/bin/env python3
"""Crowd figures of a run folder: the most bites by one zombie in one tick (and in ten
minutes), and the most bites in one place in one tick (and in ten minutes), from
events.csv."""
import csv, sys, collections
folder = sys.argv[1]
by_tick = collections.Counter()
by_place = collections.Counter()
times = collections.defaultdict(list)
at = collections.defaultdict(list)
names = {}
tick_minutes = None
for row in csv.DictReader(open(f"{folder}/events.csv")):
    if row["event"] != "bite":
        continue
    t = int(row["tick"])
    by_tick[(t, row["other"])] += 1
    by_place[(t, row["place"])] += 1
    names[row["place"]] = row["place_name"]
    times[row["other"]].append(float(row["minutes"]))
    at[row["place"]].append(float(row["minutes"]))
best = max(by_tick.items(), key=lambda x: x[1]) if by_tick else ((0, ""), 0)
place = max(by_place.items(), key=lambda x: x[1]) if by_place else ((0, ""), 0)
ten = 0
for z, ts in times.items():
    ts.sort()
    j = 0
    for i in range(len(ts)):
        while ts[i] - ts[j] >= 10.0:
            j += 1
        ten = max(ten, i - j + 1)
def most_in_ten(series):
    """The most entries of any one series within ten minutes, and its key."""
    best, who = 0, ""
    for k, ts in series.items():
        ts.sort()
        j = 0
        for i in range(len(ts)):
            while ts[i] - ts[j] >= 10.0:
                j += 1
            if i - j + 1 > best:
                best, who = i - j + 1, k
    return best, who
place_ten, ten_at = most_in_ten(at)
print(f"bites {sum(by_tick.values())}; most by one zombie in a tick {best[1]} (tick {best[0][0]}); "
      f"in ten minutes {ten}; most in one place in a tick {place[1]} at {names.get(place[0][1], '')} (tick {place[0][0]}); "
      f"in one place in ten minutes {place_ten} at {names.get(ten_at, '')}")
