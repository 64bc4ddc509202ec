// outbreak view --live: the controls of a run stepping on the server (play, pause, speed,
// step), the cursor following its last tick, and orders given from the page. Orders go to
// the server with the session token of this page (its <meta name="outbreak-token">); the
// server adds each to the run's timeline at the next tick.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const meta = document.querySelector('meta[name="outbreak-token"]');
  if (!meta) return;
  const token = meta.content;
  // Each action with the settings the form asks for (the scenario file's own keys).
  const ACTIONS = {
    lure: [["place", "text"], ["loudness", "number", 200], ["duration_hours", "number", 1]],
    rescue: [["place", "text"], ["people_per_hour", "number", 600], ["duration_hours", "number", 2]],
    strike: [["zone", "zone"], ["kill_fraction", "number", 0.9]],
    cordon: [["zone", "zone"], ["leak_per_hour", "number", 0]],
    "lift-cordon": [["zone", "zone"]],
    squad: [["squad", "squad"], ["size", "number", 8], ["entry", "text"], ["zone", "zone"]],
    alarm: [["zone", "zone"]],
  };

  async function post(path, body) {
    const r = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json", "x-outbreak-token": token },
      body: JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(text || String(r.status));
    return text ? JSON.parse(text) : {};
  }

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  async function start(view) {
    const box = $("live");
    box.hidden = false;
    const [world, first] = await Promise.all([
      fetch("/api/world").then((r) => r.json()),
      fetch("/api/live").then((r) => r.json()),
    ]);
    const names = world.name || [];
    const list = el("datalist", { id: "live-places" });
    for (const n of new Set(names)) list.appendChild(el("option", { value: n }));

    const play = el("button", { id: "live-play", type: "button" }, "Run");
    const step = el("button", { id: "live-step", type: "button", title: "one tick" }, "Step");
    const hour = el("button", { id: "live-hour", type: "button", title: "an hour of ticks" }, "+1 h");
    const speed = el("select", { id: "live-speed", "aria-label": "ticks a second" });
    for (const s of [5, 30, 120, 600, 3000]) {
      const o = el("option", { value: s }, s + " ticks/s");
      if (s === first.speed) o.selected = true;
      speed.appendChild(o);
    }
    const follow = el("input", { id: "live-follow", type: "checkbox", checked: "" });
    const followLabel = el("label", {}, " follow");
    followLabel.prepend(follow);
    const state = el("span", { id: "live-state" });

    const form = el("form", { id: "live-order" });
    const action = el("select", { id: "live-action", "aria-label": "order" });
    for (const a of Object.keys(ACTIONS)) action.appendChild(el("option", { value: a }, a));
    const fields = el("span", { id: "live-fields" });
    const give = el("button", { id: "live-give", type: "submit" }, "Order");
    const said = el("span", { id: "live-said", role: "status" });
    form.append(action, fields, give, said);
    const given = el("ol", { id: "live-orders" });

    function showFields() {
      fields.innerHTML = "";
      for (const [key, kind, value] of ACTIONS[action.value]) {
        let input;
        if (kind === "zone" || kind === "squad") {
          input = el("select", { name: key, "aria-label": key });
          for (const z of (kind === "zone" ? first.zones : first.squads) || []) {
            input.appendChild(el("option", { value: z }, z));
          }
        } else if (kind === "number") {
          input = el("input", { name: key, type: "number", step: "any", value, "aria-label": key, size: 5 });
        } else {
          input = el("input", { name: key, list: "live-places", placeholder: key, "aria-label": key });
        }
        fields.append(" " + key.replace(/_/g, " ") + " ", input);
      }
    }
    action.addEventListener("change", showFields);
    showFields();
    // A click on a place names it in the order (where the page can tell which place).
    if (typeof view.onPlace === "function") {
      view.onPlace((p) => {
        const input = fields.querySelector('input[name="place"], input[name="entry"]');
        if (input && names[p] !== undefined) input.value = names[p];
      });
    }
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const order = { action: action.value };
      for (const input of fields.querySelectorAll("[name]")) {
        if (input.value === "") continue;
        order[input.name] = input.type === "number" ? Number(input.value) : input.value;
      }
      said.textContent = "…";
      try {
        const r = await post("/api/order", order);
        said.textContent = "ordered: " + r.label;
        said.dataset.ok = "1";
      } catch (err) {
        said.textContent = err.message;
        said.dataset.ok = "0";
      }
      await poll();
    });

    box.append(play, step, hour, speed, followLabel, state, form, given, list);
    // The run's own Run/Pause replaces the replay's Play; scrubbing back stops following.
    for (const id of ["play", "speed"]) {
      const e = $(id);
      if (e) (e.closest("label") || e).hidden = true;
    }
    const scrub = $("scrub");
    if (scrub) scrub.addEventListener("input", () => { follow.checked = false; });

    let status = first, busy = false;
    play.addEventListener("click", () => post("/api/control", { play: !status.playing }).then(poll));
    step.addEventListener("click", () => post("/api/control", { step: 1 }).then(poll));
    hour.addEventListener("click", () => post("/api/control", { step: Math.round(60 / status.tick_minutes) }).then(poll));
    speed.addEventListener("change", () => post("/api/control", { speed: Number(speed.value) }).then(poll));

    async function poll() {
      if (busy) return;
      busy = true;
      try {
        status = await fetch("/api/live").then((r) => r.json());
        const tick = status.tick ?? view.last();
        if (tick > view.last()) await view.reload();
        if (follow.checked && view.tick() !== view.last()) await view.go(view.last());
        play.textContent = status.playing ? "Pause" : "Run";
        play.disabled = step.disabled = hour.disabled = give.disabled = status.finished;
        state.textContent = status.published ? " published: " + status.published
          : status.failed ? " failed: " + status.failed
          : status.finished ? " ended" : status.playing ? " running" : " paused";
        given.innerHTML = "";
        for (const o of status.orders) {
          given.appendChild(el("li", { "data-tick": o.tick }, "tick " + o.tick + ": " + o.label));
        }
        box.dataset.tick = String(view.last());
        box.dataset.playing = status.playing ? "1" : "0";
        box.dataset.finished = status.finished ? "1" : "0";
        box.dataset.orders = String(status.orders.length);
      } finally {
        busy = false;
      }
    }
    await poll();
    setInterval(() => poll().catch(() => {}), 250);
  }

  function when(view) {
    start(view).catch((e) => {
      $("error").textContent = String(e && e.message || e);
      document.body.dataset.error = "1";
    });
  }
  // The page's view is there once it has drawn its first tick.
  const wait = setInterval(() => {
    if (window.outbreakView) {
      clearInterval(wait);
      when(window.outbreakView);
    }
  }, 50);
})();
