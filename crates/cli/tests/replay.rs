//! `outbreak run --record`: the replay read back by an independent reader (pyarrow), its
//! counts at chosen ticks equal to `timeseries.csv`; the scenario as run records again.

use std::process::Command;

mod common;
use common::{has_pyarrow, outbreak, python, stderr, text};

#[test]
fn pyarrow_reads_the_replay_and_it_agrees_with_the_time_series() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    let o = outbreak(&[
        "run",
        "--record",
        "--quiet",
        "--set",
        "population.size=1500",
        "--set",
        "run.duration_hours=3",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let written = std::fs::read_to_string(out.join("scenario.toml")).unwrap();
    assert!(
        written.contains("record = true"),
        "the scenario as run records again:\n{written}"
    );
    if !has_pyarrow() {
        return;
    }
    let script = r#"
import sys, csv, json
import pyarrow.dataset as ds, pyarrow.parquet as pq
out = sys.argv[1]
index = json.load(open(out + "/replay.json"))
assert index["format"] == 1 and index["chunks"] == 3 and index["chunk_ticks"] == 60, index
t = ds.dataset(out + "/replay", format="parquet").to_table()
types = {f.name: str(f.type) for f in t.schema}
assert types == {"tick": "uint32", "agent": "uint32", "place": "uint32",
                 "heading": "uint32", "state": "string"}, types
series = {int(r["tick"]): r for r in csv.DictReader(open(out + "/timeseries.csv"))}
names = ["susceptible", "infected", "zombie", "hambie", "dead", "rescued", "quarantined", "reserve"]
checked = 0
for k in range(index["chunks"]):
    rows = pq.read_table(out + "/replay/chunk-%05d.parquet" % k).to_pylist()
    start = k * 60
    state = {}
    for tick in range(start, start + 61):
        for r in rows:
            if r["tick"] == tick:
                state[r["agent"]] = r["state"]
        if tick in (start + 17, start + 60):
            counts = {n: 0 for n in names}
            for s in state.values():
                counts[s] += 1
            assert all(counts[n] == int(series[tick][n]) for n in names), (tick, counts)
            checked += 1
print("ok", checked, t.num_rows)
"#;
    let o = Command::new(python())
        .args(["-c", script, out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
    assert!(text(&o.stdout).starts_with("ok 6 "), "{}", text(&o.stdout));
}
