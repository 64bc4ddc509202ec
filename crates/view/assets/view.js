// outbreak view: the replay of a recorded run on its map. Every recorded person is a dot
// at their place (spread around it by their id), coloured by state; the timeline scrubs to
// any tick by reading that tick's chunk: its keyframe, then its changes up to the tick.
// Around the map: the places by kind and capacity, the zones, the streets of a map world,
// the orders while they act, the curves of the time series with the tick drawn, the events
// near it, a named character followed, and the census of a place clicked. Everything drawn
// comes from the /api/ paths, which a live run serves too (window.outbreakView.reload).
"use strict";
const NONE = 4294967295;
const STATES = ["susceptible", "infected", "zombie", "hambie", "dead", "rescued", "quarantined", "reserve"];
const COLOURS = [[31, 119, 180], [255, 127, 14], [44, 160, 44], [148, 103, 189], [64, 64, 64],
  [23, 190, 207], [140, 86, 75], [188, 189, 34]];
// Places drawn small whatever their capacity: the ways between the others.
const SMALL = new Set(["path", "street", "junction", "corridor", "stairwell"]);
// How long a strike, an eradication or an alarm stays flashed on its zone, in ticks.
const FLASH_TICKS = 30;
// The events the feed shows: those of the hour before the tick drawn, newest first.
const FEED_TICKS = 60, FEED_ROWS = 40;
const $ = (id) => document.getElementById(id);
const rgb = (c) => "rgb(" + c.join(",") + ")";

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

// Rows `b` appended to chunk `a` (a live run's last chunk grows).
function joined(a, b) {
  const cat = (x, y, T) => { const z = new T(x.length + y.length); z.set(x); z.set(y, x.length); return z; };
  return { n: a.n + b.n, tick: cat(a.tick, b.tick, Uint32Array), agent: cat(a.agent, b.agent, Uint32Array),
    place: cat(a.place, b.place, Uint32Array), heading: cat(a.heading, b.heading, Uint32Array),
    state: cat(a.state, b.state, Uint8Array) };
}

// The time series as columns: tick, minutes and each state's count by row.
function parseSeries(text) {
  const rows = text.trim().split("\n");
  const head = rows[0].split(",");
  const cols = head.map(() => []);
  for (const r of rows.slice(1)) r.split(",").forEach((v, k) => cols[k].push(Number(v)));
  const col = (name) => cols[head.indexOf(name)] || [];
  return { minutes: col("minutes"), counts: STATES.map(col) };
}

// The convex hull of points (monotone chain), counter-clockwise.
function hull(points) {
  const p = points.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p;
  const cross = (o, a, b) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const half = (list) => {
    const h = [];
    for (const q of list) {
      while (h.length >= 2 && cross(h[h.length - 2], h[h.length - 1], q) <= 0) h.pop();
      h.push(q);
    }
    h.pop();
    return h;
  };
  return half(p).concat(half(p.reverse()));
}

// A zone's outline: the hull of its places, widened by a few metres so that a zone of one
// place, or of places in a line, still has an area.
function outline(points) {
  const m = 4, around = [];
  for (const [x, y] of points) around.push([x - m, y - m], [x + m, y - m], [x + m, y + m], [x - m, y + m]);
  return hull(around);
}

async function main() {
  const world = await get("/api/world", "json");
  let [index, series, orders, characters] = await Promise.all([
    get("/api/replay", "json"), get("/api/timeseries", "text").then(parseSeries),
    get("/api/orders", "json"), get("/api/characters", "json")]);
  const every = index.chunk_ticks, agents = index.agents;
  let last = index.last_tick;
  const place = new Uint32Array(agents).fill(NONE);
  const state = new Uint8Array(agents);
  const cache = new Map();
  const chunkOf = (t) => Math.min(index.chunks - 1, t === 0 ? 0 : Math.floor((t - 1) / every));
  function loadChunk(k) {
    if (!cache.has(k)) {
      const c = get("/api/chunk/" + k).then(parseChunk);
      c.catch(() => cache.delete(k));
      cache.set(k, c);
    }
    return cache.get(k);
  }
  // The people's places and states at tick t.
  async function stateAt(t) {
    const c = await loadChunk(chunkOf(t));
    place.fill(NONE);
    for (let i = 0; i < c.n && c.tick[i] <= t; i++) {
      place[c.agent[i]] = c.place[i];
      state[c.agent[i]] = c.state[i];
    }
  }

  // The map: places, zones, ways and streets, drawn once.
  const xy = world.xy;
  const squares = xy.map((p, i) => {
    const side = SMALL.has(world.kind[i]) ? 1.5 : Math.min(40, Math.max(3, 1.2 * Math.sqrt(world.capacity[i])));
    const h = side / 2, [x, y] = p;
    return { i, side, polygon: [[x - h, y - h], [x + h, y - h], [x + h, y + h], [x - h, y + h]] };
  }).sort((a, b) => b.side - a.side);
  const members = world.zone_names.map(() => []);
  world.zones.forEach((zs, i) => zs.forEach((z) => members[z].push(xy[i])));
  const zones = world.zone_names.map((name, z) => {
    const polygon = outline(members[z]);
    const c = polygon.reduce((s, q) => [s[0] + q[0] / polygon.length, s[1] + q[1] / polygon.length], [0, 0]);
    return { z, name, polygon, path: polygon.concat([polygon[0]]), centre: c, places: members[z].length };
  });
  const zoneByName = new Map(zones.map((z) => [z.name, z]));
  const ways = world.ways.map(([a, b]) => ({ a: xy[a], b: xy[b] }));
  const streets = world.streets.map(([a, b]) => ({ a, b }));
  const map = $("map");
  map.dataset.places = String(xy.length);
  map.dataset.zones = String(zones.length);
  map.dataset.ways = String(ways.length);
  map.dataset.streets = String(streets.length);
  map.dataset.kinds = [...new Set(world.kind)].sort().join(",");
  if (world.credit) { $("credit").textContent = world.credit; $("credit").hidden = false; }

  // The frame: where the places are, leaving out the farthest 2 % on each side (the roads
  // that lead off a campus would make it small).
  const sorted = (k) => xy.map((p) => p[k]).sort((a, b) => a - b);
  const at = (v, q) => v[Math.min(v.length - 1, Math.max(0, Math.round(q * (v.length - 1))))];
  const xs = sorted(0), ys = sorted(1);
  const x0 = at(xs, 0.02), x1 = at(xs, 0.98), y0 = at(ys, 0.02), y1 = at(ys, 0.98);
  const span = Math.max(x1 - x0, y1 - y0, 1);
  let viewState = { target: [(x0 + x1) / 2, (y0 + y1) / 2, 0],
    zoom: Math.log2(Math.min(map.clientWidth, map.clientHeight) / span) - 0.1 };
  let rendered = null, renderedDone = null, drawn = -1;
  const deckgl = new deck.Deck({
    parent: map,
    views: new deck.OrthographicView({ flipY: false }),
    viewState,
    controller: true,
    onViewStateChange: ({ viewState: v }) => { viewState = v; deckgl.setProps({ viewState }); },
    getTooltip: ({ object, layer }) => {
      if (!object || !layer) return null;
      if (layer.id === "zones") return object.name;
      if (layer.id === "places") return world.name[object.i] + " (" + world.kind[object.i] + ")";
      return null;
    },
    onAfterRender: () => {
      if (drawn >= 0) document.body.dataset.ready = "1";
      if (renderedDone) { const done = renderedDone; renderedDone = null; rendered = null; done(); }
    },
  });
  // A click on a place gives its census. Taken from the page's own click, not deck.gl's tap,
  // which a busy page (software WebGL picks slowly) misses when a press outlasts 250 ms; a
  // press that dragged the map more than a few pixels is not a click. (Listened for on the
  // way down, as deck.gl's own handlers stop the events there.)
  let pressed = null;
  // The place drawn at pixel (x, y) of the map, or null.
  const placeAt = (x, y) => {
    const hit = deckgl.pickObject({ x, y, layerIds: ["places"] });
    return hit && hit.object ? hit.object.i : null;
  };
  map.addEventListener("pointerdown", (e) => { pressed = [e.clientX, e.clientY]; }, true);
  map.addEventListener("click", (e) => {
    if (!pressed || Math.hypot(e.clientX - pressed[0], e.clientY - pressed[1]) > 4) return;
    const box = map.getBoundingClientRect();
    const i = placeAt(e.clientX - box.left, e.clientY - box.top);
    if (i !== null) choosePlace(i);
  }, true);
  const nextRender = () => rendered || (rendered = new Promise((r) => { renderedDone = r; }));

  // The orders acting at tick t, and how each is drawn.
  const acting = (o, t) => o.fired_tick !== null && o.fired_tick <= t &&
    (o.until_tick === null ? !["strike", "eradicate", "alarm"].includes(o.action) || t < o.fired_tick + FLASH_TICKS : t < o.until_tick);
  function orderLayers(t) {
    const now = orders.filter((o) => acting(o, t));
    const cordons = [], flashes = [], points = [], rings = [];
    for (const o of now) {
      const zone = o.zone !== null ? zoneByName.get(o.zone) : null;
      if (o.action === "cordon" && zone) cordons.push(zone);
      if (["strike", "eradicate", "alarm"].includes(o.action) && zone) flashes.push({ zone, o });
      if (o.place !== null && ["rescue", "squad", "lure"].includes(o.action)) points.push(o);
      if (o.action === "lure" && o.place !== null) rings.push(o);
    }
    const list = $("orders");
    list.dataset.tick = String(t);
    list.dataset.active = now.map((o) => o.index).join(",");
    list.innerHTML = "";
    for (const o of now) {
      const li = document.createElement("li");
      li.dataset.index = String(o.index);
      li.dataset.action = o.action;
      li.textContent = o.label;
      list.appendChild(li);
    }
    const mark = { rescue: [23, 190, 207], squad: [148, 103, 189], lure: [214, 39, 40] };
    return [
      new deck.PolygonLayer({ id: "flashes", data: flashes, getPolygon: (f) => f.zone.polygon,
        getFillColor: (f) => f.o.action === "alarm" ? [255, 200, 0, 60] : [214, 39, 40, 90],
        getLineColor: [214, 39, 40], lineWidthUnits: "pixels", getLineWidth: 2 }),
      new deck.PathLayer({ id: "cordons", data: cordons, getPath: (z) => z.path,
        getColor: [214, 39, 40], widthUnits: "pixels", getWidth: 3 }),
      new deck.ScatterplotLayer({ id: "lures", data: rings, getPosition: (o) => xy[o.place],
        getRadius: (o) => o.radius_m, radiusUnits: "meters", stroked: true, filled: true,
        getFillColor: [214, 39, 40, 25], getLineColor: [214, 39, 40], lineWidthUnits: "pixels", getLineWidth: 1.5 }),
      new deck.ScatterplotLayer({ id: "marks", data: points, getPosition: (o) => xy[o.place],
        radiusUnits: "pixels", getRadius: 9, stroked: true, filled: false,
        getLineColor: (o) => mark[o.action], lineWidthUnits: "pixels", getLineWidth: 3 }),
    ];
  }

  // Following a named character: their dot ringed, the view on them.
  const follow = $("follow");
  for (const c of characters) {
    const opt = document.createElement("option");
    opt.value = c.name;
    opt.textContent = c.name + " (" + c.role + ")";
    follow.appendChild(opt);
  }
  const followed = () => characters.find((c) => c.name === follow.value) || null;

  // The census of the place chosen, from the state the page holds.
  let chosen = null;
  const placeWatchers = [];
  function choosePlace(i) {
    chosen = i;
    placeWatchers.forEach((cb) => cb(i));
    census(drawn);
  }
  function census(t) {
    const panel = $("census");
    if (chosen === null || t < 0) { panel.hidden = true; return; }
    const counts = new Array(STATES.length).fill(0);
    for (let a = 0; a < agents; a++) if (place[a] === chosen) counts[state[a]]++;
    panel.hidden = false;
    panel.dataset.place = String(chosen);
    panel.dataset.tick = String(t);
    STATES.forEach((s, k) => { panel.dataset[s] = String(counts[k]); });
    const zs = world.zones[chosen].map((z) => world.zone_names[z]).join(", ") || "none";
    panel.innerHTML = "";
    const add = (tag, text) => { const e = document.createElement(tag); e.textContent = text; panel.appendChild(e); return e; };
    add("h2", world.name[chosen]);
    add("p", world.kind[chosen] + " · capacity " + world.capacity[chosen] + " · zones: " + zs);
    const ul = add("ul", "");
    STATES.forEach((s, k) => {
      if (!counts[k]) return;
      const li = document.createElement("li");
      li.innerHTML = '<i style="background:' + rgb(COLOURS[k]) + '"></i>';
      li.append(s + " " + counts[k]);
      ul.appendChild(li);
    });
    if (!counts.some((n) => n)) add("p", "no one here at tick " + t);
  }

  // The curves of the time series, a cursor at the tick drawn; a click scrubs there.
  const curves = $("curves");
  const SVG = "http://www.w3.org/2000/svg";
  function drawCurves() {
    const w = curves.clientWidth || 600, h = curves.clientHeight || 120, pad = 4;
    const n = series.counts[0].length;
    const top = Math.max(1, ...series.counts.map((c) => Math.max(0, ...c)));
    curves.setAttribute("viewBox", "0 0 " + w + " " + h);
    curves.innerHTML = "";
    const X = (t) => pad + (w - 2 * pad) * t / Math.max(1, last);
    const Y = (v) => h - pad - (h - 2 * pad) * v / top;
    let lines = 0;
    STATES.forEach((s, k) => {
      const c = series.counts[k];
      if (!c.some((v) => v > 0)) return;
      const step = Math.max(1, Math.floor(n / (2 * w)));
      const pts = [];
      for (let t = 0; t < n; t += step) pts.push(X(t).toFixed(1) + "," + Y(c[t]).toFixed(1));
      pts.push(X(n - 1).toFixed(1) + "," + Y(c[n - 1]).toFixed(1));
      const line = document.createElementNS(SVG, "polyline");
      line.setAttribute("points", pts.join(" "));
      line.setAttribute("fill", "none");
      line.setAttribute("stroke", rgb(COLOURS[k]));
      line.setAttribute("stroke-width", "1.5");
      line.dataset.state = s;
      line.dataset.peak = String(Math.max(...c));
      curves.appendChild(line);
      lines++;
    });
    const cursor = document.createElementNS(SVG, "line");
    cursor.id = "cursor";
    cursor.setAttribute("y1", "0");
    cursor.setAttribute("y2", String(h));
    cursor.setAttribute("stroke", "#000");
    curves.appendChild(cursor);
    curves.dataset.lines = String(lines);
    curves.dataset.ticks = String(n);
    curves.dataset.top = String(top);
    curves.xOf = X;
  }
  function moveCursor(t) {
    const x = curves.xOf ? curves.xOf(t) : 0;
    const cursor = $("cursor");
    if (cursor) { cursor.setAttribute("x1", x.toFixed(1)); cursor.setAttribute("x2", x.toFixed(1)); }
    curves.dataset.cursor = String(t);
  }
  curves.addEventListener("click", (e) => {
    const box = curves.getBoundingClientRect(), pad = 4;
    const f = (e.clientX - box.left - pad) / Math.max(1, box.width - 2 * pad);
    go(Math.round(Math.max(0, Math.min(1, f)) * last));
  });

  // The events of the hour before tick t, newest first.
  let feedAsked = -1;
  async function feed(t) {
    if (feedAsked === t) return;
    feedAsked = t;
    const from = Math.max(0, t - FEED_TICKS);
    const got = await get("/api/events?from=" + from + "&to=" + t + "&limit=" + FEED_ROWS, "json");
    if (feedAsked !== t) return;
    const list = $("feed");
    list.dataset.from = String(got.from);
    list.dataset.to = String(got.to);
    list.dataset.rows = String(got.events.length);
    list.dataset.more = String(got.more);
    list.innerHTML = "";
    for (const e of got.events) {
      const li = document.createElement("li");
      li.dataset.tick = String(e.tick);
      li.dataset.event = e.event;
      if (e.agent !== null) li.dataset.agent = String(e.agent);
      const who = e.agent_name || (e.agent !== null ? "#" + e.agent : "");
      const other = e.other_name || (e.other !== null ? "#" + e.other : "");
      const text = e.event === "order" ? "order: " + other
        : e.event === "bite" ? who + " bitten by " + other
        : e.event === "destroyed" ? who + " destroyed by " + other
        : e.event === "deploy" ? who + " deployed (" + other + ")"
        : e.event + ": " + who;
      li.textContent = e.clock + " " + text + (e.place_name ? " · " + e.place_name : "");
      if (e.agent_name || e.event === "order") li.className = "named";
      list.appendChild(li);
    }
  }

  // Each person's offset around their place: a golden-angle spiral by id, a metre apart.
  const offset = (a) => { const r = 0.9 * Math.sqrt(a % 400), t = a * 2.39996; return [r * Math.cos(t), r * Math.sin(t)]; };
  const where = (a) => { const [dx, dy] = offset(a); return [xy[place[a]][0] + dx, xy[place[a]][1] + dy]; };
  async function draw(t) {
    const asked = performance.now();
    await stateAt(t);
    const began = performance.now();
    document.body.dataset.stateMs = (began - asked).toFixed(1);
    const counts = new Array(STATES.length).fill(0);
    const dots = [];
    for (let a = 0; a < agents; a++) {
      const p = place[a];
      if (p === NONE) continue;
      const s = state[a];
      counts[s]++;
      if (s === 5) continue; // rescued: out of the world, counted
      dots.push({ p: where(a), s });
    }
    const one = followed();
    const here = one && place[one.agent] !== NONE ? where(one.agent) : null;
    if (here) viewState = { ...viewState, target: [here[0], here[1], 0] };
    const showNames = $("names").checked;
    deckgl.setProps({ viewState, layers: [
      new deck.LineLayer({ id: "streets", data: streets, getSourcePosition: (w) => w.a,
        getTargetPosition: (w) => w.b, getColor: [215, 215, 205], getWidth: 2 }),
      new deck.PolygonLayer({ id: "zones", data: zones, getPolygon: (z) => z.polygon, pickable: true,
        stroked: true, filled: true, getFillColor: [0, 0, 0, 0], getLineColor: [120, 120, 160, 160],
        lineWidthUnits: "pixels", getLineWidth: 1, autoHighlight: true, highlightColor: [120, 120, 200, 40] }),
      new deck.LineLayer({ id: "ways", data: ways, getSourcePosition: (w) => w.a,
        getTargetPosition: (w) => w.b, getColor: [190, 190, 190], getWidth: 1 }),
      new deck.PolygonLayer({ id: "places", data: squares, getPolygon: (q) => q.polygon, pickable: true,
        stroked: true, filled: true, getFillColor: (q) => q.i === chosen ? [255, 230, 120, 200] : [235, 232, 224, 200],
        getLineColor: [150, 150, 150], lineWidthUnits: "pixels", getLineWidth: 0.5,
        updateTriggers: { getFillColor: chosen } }),
      ...orderLayers(t),
      new deck.ScatterplotLayer({ id: "people", data: dots, getPosition: (d) => d.p,
        getFillColor: (d) => COLOURS[d.s], radiusUnits: "pixels", getRadius: 2 }),
      new deck.ScatterplotLayer({ id: "followed", data: here ? [here] : [], getPosition: (d) => d,
        radiusUnits: "pixels", getRadius: 7, stroked: true, filled: false, getLineColor: [0, 0, 0],
        lineWidthUnits: "pixels", getLineWidth: 2.5 }),
      new deck.TextLayer({ id: "zone-names", data: showNames ? zones : [], getPosition: (z) => z.centre,
        getText: (z) => z.name, getSize: 12, getColor: [60, 60, 110], characterSet: "auto",
        background: true, getBackgroundColor: [255, 255, 255, 200] }),
    ] });
    const out = $("counts");
    out.dataset.tick = String(t);
    out.innerHTML = "";
    STATES.forEach((name, s) => {
      out.dataset[name] = String(counts[s]);
      const item = document.createElement("span");
      item.innerHTML = '<i style="background:' + rgb(COLOURS[s]) + '"></i>';
      item.append(name + " " + counts[s]);
      out.appendChild(item);
    });
    const fol = $("follow");
    if (one) {
      fol.dataset.agent = String(one.agent);
      fol.dataset.place = place[one.agent] === NONE ? "" : String(place[one.agent]);
      fol.dataset.placeName = place[one.agent] === NONE ? "" : world.name[place[one.agent]];
      fol.dataset.state = STATES[state[one.agent]];
    } else {
      delete fol.dataset.agent; delete fol.dataset.place; delete fol.dataset.placeName; delete fol.dataset.state;
    }
    const m = series.minutes[t] ?? t * index.tick_minutes;
    $("clock").textContent = "tick " + t + " · " + Math.floor(m / 60) + " h " + String(Math.round(m % 60)).padStart(2, "0");
    $("scrub").value = String(t);
    drawn = t;
    census(t);
    moveCursor(t);
    document.body.dataset.drawMs = (performance.now() - began).toFixed(1);
    feed(t).catch(fail);
  }
  const scrub = $("scrub");
  scrub.max = String(last);
  let busy = null, wanted = null, timer = null;
  // Draws tick t (the last asked for, when asked again while drawing), then waits for the
  // frame to be on screen; records the time it took in data-scrub-ms.
  function go(t) {
    wanted = Math.max(0, Math.min(last, Math.round(t)));
    if (busy) return busy;
    busy = (async () => {
      while (wanted !== null) {
        const w = wanted, began = performance.now();
        wanted = null;
        const shown = nextRender();
        await draw(w);
        const laid = performance.now();
        deckgl.redraw(true);
        await shown;
        document.body.dataset.renderMs = (performance.now() - laid).toFixed(1);
        document.body.dataset.scrubMs = (performance.now() - began).toFixed(1);
      }
      busy = null;
    })();
    return busy;
  }
  scrub.addEventListener("input", () => go(Number(scrub.value)));
  follow.addEventListener("change", () => go(drawn));
  $("names").addEventListener("change", () => go(drawn));
  $("play").addEventListener("click", () => {
    if (timer) { clearInterval(timer); timer = null; $("play").textContent = "Play"; return; }
    $("play").textContent = "Pause";
    timer = setInterval(() => {
      if (drawn >= last) { clearInterval(timer); timer = null; $("play").textContent = "Play"; return; }
      if (!busy) go(drawn + Number($("speed").value));
    }, 100);
  });
  // Fetches the replay's index, the time series and the orders again (a live run grows),
  // takes the new rows of the old last chunk (only those: `?from=` the rows held) and
  // forgets any later one, and draws the cursor's tick again.
  async function reload() {
    const oldLast = index.chunks - 1;
    [index, series, orders] = await Promise.all([
      get("/api/replay", "json"), get("/api/timeseries", "text").then(parseSeries), get("/api/orders", "json")]);
    if (cache.has(oldLast)) {
      const had = await cache.get(oldLast);
      cache.set(oldLast, get("/api/chunk/" + oldLast + "?from=" + had.n).then(parseChunk).then((more) => joined(had, more)));
    }
    for (const k of [...cache.keys()]) if (k > oldLast) cache.delete(k);
    last = index.last_tick;
    scrub.max = String(last);
    feedAsked = -1;
    drawCurves();
    await go(Math.min(Math.max(drawn, 0), last));
  }
  window.outbreakView = {
    go, tick: () => drawn, last: () => last, reload,
    // Where place i is on the map, in pixels from its top left corner.
    screenOf: (i) => deckgl.getViewports()[0].project(xy[i]), placeAt,
    onPlace: (cb) => { placeWatchers.push(cb); },
  };
  drawCurves();
  window.addEventListener("resize", () => { drawCurves(); moveCursor(drawn); });
  const query = new URLSearchParams(location.search);
  if (query.has("follow")) follow.value = query.get("follow");
  if (query.has("follow") && !followed()) throw new Error("no named character " + query.get("follow"));
  const asked = Number(query.get("place"));
  if (query.has("place") && Number.isInteger(asked) && asked >= 0 && asked < xy.length) chosen = asked;
  const start = Number(query.get("t") || 0);
  await go(Number.isFinite(start) ? start : 0);
  // ?measure=T: the time of a first redraw (software WebGL finishes setting up the layers
  // then), of a redraw of the tick drawn, then of a scrub to tick T, also written on the
  // console (a browser's virtual time, which --dump-dom uses, stops the clock).
  if (query.has("measure")) {
    document.body.dataset.firstMs = document.body.dataset.scrubMs;
    let began = performance.now();
    await go(drawn);
    document.body.dataset.warmMs = (performance.now() - began).toFixed(1);
    began = performance.now();
    await go(drawn);
    document.body.dataset.frameMs = (performance.now() - began).toFixed(1);
    began = performance.now();
    await go(Number(query.get("measure")));
    document.body.dataset.scrubToMs = (performance.now() - began).toFixed(1);
    console.log("outbreak-view measure: " + JSON.stringify(document.body.dataset));
  }
}
main().catch(fail);
