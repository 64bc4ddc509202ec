// outbreak view: the replay of a recorded run on its map. Every recorded person is a dot
// at their place (spread around it by their id), coloured by state; the timeline scrubs to
// any tick by reading that tick's chunk: its keyframe, then its changes up to the tick.
"use strict";
const NONE = 4294967295;
const STATES = ["susceptible", "infected", "zombie", "hambie", "dead", "rescued", "quarantined"];
const COLOURS = [[31, 119, 180], [255, 127, 14], [44, 160, 44], [148, 103, 189], [64, 64, 64],
  [23, 190, 207], [140, 86, 75]];
const $ = (id) => document.getElementById(id);

function fail(e) {
  $("error").textContent = String(e && e.message || e);
  document.body.dataset.error = "1";
}
window.addEventListener("error", (e) => fail(e.error || e.message));
window.addEventListener("unhandledrejection", (e) => fail(e.reason));

async function get(path, kind) {
  const r = await fetch(path);
  if (!r.ok) throw new Error(path + ": " + r.status);
  return kind === "json" ? r.json() : kind === "text" ? r.text() : r.arrayBuffer();
}

function parseChunk(buf) {
  const n = new DataView(buf).getUint32(0, true);
  const col = (k) => new Uint32Array(buf.slice(4 + 4 * n * k, 4 + 4 * n * (k + 1)));
  return { n, tick: col(0), agent: col(1), place: col(2), heading: col(3),
    state: new Uint8Array(buf, 4 + 16 * n, n) };
}

// The minutes of each tick, from timeseries.csv.
function minutesOf(series) {
  const rows = series.trim().split("\n");
  const head = rows[0].split(",");
  return rows.slice(1).map((r) => Number(r.split(",")[head.indexOf("minutes")]));
}

// Rows `b` appended to chunk `a` (a live run's chunk grows).
function joined(a, b) {
  const cat = (x, y, T) => { const z = new T(x.length + y.length); z.set(x); z.set(y, x.length); return z; };
  return { n: a.n + b.n, tick: cat(a.tick, b.tick, Uint32Array), agent: cat(a.agent, b.agent, Uint32Array),
    place: cat(a.place, b.place, Uint32Array), heading: cat(a.heading, b.heading, Uint32Array),
    state: cat(a.state, b.state, Uint8Array) };
}

async function main() {
  const [world, index, series] = await Promise.all([
    get("/api/world", "json"), get("/api/replay", "json"), get("/api/timeseries", "text")]);
  const every = index.chunk_ticks, agents = index.agents;
  let last = index.last_tick, minutes = minutesOf(series);
  const place = new Uint32Array(agents).fill(NONE);
  const state = new Uint8Array(agents);
  const cache = new Map();
  const chunkOf = (t) => Math.min(index.chunks - 1, t === 0 ? 0 : Math.floor((t - 1) / every));
  async function loadChunk(k) {
    if (!cache.has(k)) cache.set(k, get("/api/chunk/" + k).then(parseChunk));
    return cache.get(k);
  }
  // The people's places and states at tick t.
  async function stateAt(t) {
    const k = chunkOf(t);
    const c = await loadChunk(k);
    place.fill(NONE);
    for (let i = 0; i < c.n && c.tick[i] <= t; i++) {
      place[c.agent[i]] = c.place[i];
      state[c.agent[i]] = c.state[i];
    }
  }
  const xy = world.xy;
  // The frame: where the places are, leaving out the farthest 2 % on each side (the roads
  // that lead off a campus would make it small).
  const sorted = (k) => xy.map((p) => p[k]).sort((a, b) => a - b);
  const at = (v, q) => v[Math.min(v.length - 1, Math.max(0, Math.round(q * (v.length - 1))))];
  const xs = sorted(0), ys = sorted(1);
  const x0 = at(xs, 0.02), x1 = at(xs, 0.98), y0 = at(ys, 0.02), y1 = at(ys, 0.98);
  const ways = world.ways.map(([a, b]) => ({ a: xy[a], b: xy[b] }));
  const el = $("map");
  const span = Math.max(x1 - x0, y1 - y0, 1);
  const zoom = Math.log2(Math.min(el.clientWidth, el.clientHeight) / span) - 0.1;
  const deckgl = new deck.Deck({
    parent: el,
    views: new deck.OrthographicView({ flipY: false }),
    initialViewState: { target: [(x0 + x1) / 2, (y0 + y1) / 2, 0], zoom },
    controller: true,
    onAfterRender: () => { if (drawn >= 0) document.body.dataset.ready = "1"; },
  });
  let drawn = -1;
  // Each person's offset around their place: a golden-angle spiral by id, a metre apart.
  const offset = (a) => { const r = 0.9 * Math.sqrt(a % 400), t = a * 2.39996; return [r * Math.cos(t), r * Math.sin(t)]; };
  async function draw(t) {
    await stateAt(t);
    const counts = new Array(STATES.length).fill(0);
    const dots = [];
    for (let a = 0; a < agents; a++) {
      const p = place[a];
      if (p === NONE) continue;
      const s = state[a];
      if (s === 5) { counts[s]++; continue; } // rescued: out of the world, counted
      counts[s]++;
      const [dx, dy] = offset(a);
      dots.push({ p: [xy[p][0] + dx, xy[p][1] + dy], s });
    }
    deckgl.setProps({ layers: [
      new deck.LineLayer({ id: "ways", data: ways, getSourcePosition: (w) => w.a,
        getTargetPosition: (w) => w.b, getColor: [190, 190, 190], getWidth: 1 }),
      new deck.ScatterplotLayer({ id: "people", data: dots, getPosition: (d) => d.p,
        getFillColor: (d) => COLOURS[d.s], radiusUnits: "pixels", getRadius: 2 }),
    ] });
    const out = $("counts");
    out.dataset.tick = String(t);
    out.innerHTML = "";
    STATES.forEach((name, s) => {
      out.dataset[name] = String(counts[s]);
      const item = document.createElement("span");
      item.innerHTML = '<i style="background:rgb(' + COLOURS[s].join(",") + ')"></i>' + name + " " + counts[s];
      out.appendChild(item);
    });
    const m = minutes[t] ?? t * index.tick_minutes;
    $("clock").textContent = "tick " + t + " · " + Math.floor(m / 60) + " h " + String(Math.round(m % 60)).padStart(2, "0");
    $("scrub").value = String(t);
    drawn = t;
  }
  const scrub = $("scrub");
  scrub.max = String(last);
  let busy = false, wanted = null, timer = null;
  async function go(t) {
    wanted = Math.max(0, Math.min(last, t));
    if (busy) return;
    busy = true;
    while (wanted !== null) { const w = wanted; wanted = null; await draw(w); }
    busy = false;
  }
  scrub.addEventListener("input", () => go(Number(scrub.value)));
  $("play").addEventListener("click", () => {
    if (timer) { clearInterval(timer); timer = null; $("play").textContent = "Play"; return; }
    $("play").textContent = "Pause";
    timer = setInterval(() => {
      if (drawn >= last) { clearInterval(timer); timer = null; $("play").textContent = "Play"; return; }
      if (!busy) go(drawn + Number($("speed").value));
    }, 100);
  });
  // What another script of the page (the live controls) uses.
  const places = [];
  window.outbreakView = {
    go, tick: () => drawn, last: () => last, tickMinutes: () => index.tick_minutes,
    onPlace: (cb) => places.push(cb),
    // A live run grew: its index, its time series, and the rows of its last chunk.
    async reload() {
      const [ix, ts] = await Promise.all([get("/api/replay", "json"), get("/api/timeseries", "text")]);
      const grown = index.chunks - 1;
      if (cache.has(grown)) {
        const had = await cache.get(grown);
        cache.set(grown, get("/api/chunk/" + grown + "?from=" + had.n).then(parseChunk).then((more) => joined(had, more)));
      }
      for (const k of [...cache.keys()]) if (k > grown) cache.delete(k);
      index.chunks = ix.chunks;
      index.last_tick = ix.last_tick;
      last = ix.last_tick;
      minutes = minutesOf(ts);
      scrub.max = String(last);
    },
  };
  const start = Number(new URLSearchParams(location.search).get("t") || 0);
  await go(Number.isFinite(start) ? start : 0);
}
main().catch(fail);
