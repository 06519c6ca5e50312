// The device page: the twin now, the twin as of a chosen time with the events that made it, a chart
// of each metric over the history with alert episodes, and the history with each record's outcome.
"use strict";

const device = new URLSearchParams(location.search).get("id");
const enc = encodeURIComponent(device || "");
const view = { entries: [], shown: 0, charts: [], times: [] };
const PAGE = 100;

function twinFields(twin) {
  const fields = [
    ["status", twin.status], ["online", twin.online], ["model", twin.model],
    ["firmwareVersion", twin.firmwareVersion], ["lastSeen", twin.lastSeen],
    ["registeredAt", twin.registeredAt],
    ["counters.applied", twin.counters.applied], ["counters.duplicates", twin.counters.duplicates],
    ["counters.late", twin.counters.late], ["counters.rejected", twin.counters.rejected],
    ["activeAlerts", twin.activeAlerts], ["rulesVersion", twin.rulesVersion ?? 0],
  ];
  for (const [k, v] of Object.entries(twin.tags || {})) fields.push(["tags." + k, v]);
  for (const [k, r] of Object.entries(twin.readings || {})) fields.push(["readings." + k, r.value]);
  return fields;
}

function renderTwin(dl, twin) {
  dl.replaceChildren(...twinFields(twin).flatMap(([name, value]) => [
    el("dt", {}, name),
    el("dd", { "data-field": name, "data-value": JSON.stringify(value ?? null), class: "mono" },
      Array.isArray(value) ? value.join(", ") || "-" : value === null || value === undefined ? "-" : String(value)),
  ]));
}

async function loadDevice() {
  if (!device) throw new Error("no device given: open this page from the fleet page");
  const body = await api(`/api/devices/${enc}`);
  document.title = "twinlog · " + device;
  const twin = body.twin;
  document.getElementById("title").replaceChildren(device, " ",
    twin ? badge(twin.status) : badge("not published yet", "DUPLICATE"), " ",
    twin && twin.status === "ACTIVE" ? badge(twin.online ? "online" : "offline") : "");
  document.getElementById("notes").replaceChildren(laggingNote(body) || "");
  if (twin) {
    renderTwin(document.getElementById("twin-now"), twin);
    document.getElementById("reflects").textContent = `(published; last event at ${body.reflects})`;
  }
}

async function loadHistory() {
  const entries = [];
  let cursor = null;
  for (let page = 0; page < 10; page++) {
    const body = await api(`/api/devices/${enc}/history?limit=1000` + (cursor ? "&cursor=" + cursor : ""));
    entries.push(...body.entries);
    document.getElementById("history-total").textContent = `(${body.total.toLocaleString()} records)`;
    cursor = body.next;
    if (!cursor) break;
  }
  view.entries = entries;
  view.shown = 0;
  document.querySelector("#history tbody").replaceChildren();
  showMoreHistory();
  const times = [...new Set(entries.filter((e) => e.lastSeen).map((e) => Date.parse(e.lastSeen)))].sort((a, b) => a - b);
  view.times = times;
  const slider = document.getElementById("asof-slider");
  slider.max = Math.max(0, times.length - 1);
  slider.value = slider.max;
}

function showMoreHistory() {
  const newestFirst = view.entries.slice().reverse().slice(view.shown, view.shown + PAGE);
  view.shown += newestFirst.length;
  document.querySelector("#history tbody").append(...newestFirst.map((e) => {
    const did = [...e.changes];
    for (const d of e.derivedEvents) did.push("→ " + d.payload.type);
    for (const a of e.alerts) did.push(`→ alert ${a.ruleId} ${a.status}`);
    if (e.detail) did.push(e.detail);
    return el("tr", { "data-position": e.position },
      el("td", { class: "mono" }, e.position),
      el("td", { class: "mono" }, time(e.eventTime || e.recordTime)),
      el("td", {}, (e.kind || "record").toLowerCase().replace(/_/g, " ")),
      el("td", {}, badge(e.outcome)),
      el("td", { class: "changes" }, did.join("; ") || "-"));
  }));
  document.getElementById("history-more").hidden = view.shown >= view.entries.length;
}

async function loadCharts() {
  // Every page of the device's transitions, oldest first.
  const alerts = [];
  for (let cursor = null, pages = 0; pages < 50; pages++) {
    const page = await api(`/api/devices/${enc}/alerts?limit=1000` + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""));
    alerts.push(...page.alerts);
    if (!(cursor = page.next)) break;
  }
  // Maps without a prototype: a metric named "constructor" or "__proto__" is a metric like any.
  const episodes = Object.create(null);
  for (const a of alerts) {
    if (!a.metric) continue;
    const list = (episodes[a.metric] ||= []);
    if (a.status === "RAISED") list.push({ id: a.alertId, from: Date.parse(a.raisedAt), to: Infinity });
    else { const open = list.find((e) => e.id === a.alertId); if (open) open.to = Date.parse(a.eventTime); }
  }
  const series = Object.create(null);
  for (const e of view.entries) {
    if (e.outcome !== "APPLIED" || e.kind !== "TELEMETRY") continue;
    for (const [metric, value] of Object.entries(e.payload.readings || {})) {
      (series[metric] ||= []).push({ t: Date.parse(e.eventTime), v: value });
    }
  }
  const all = Object.values(series).flat().map((p) => p.t);
  const range = { from: Math.min(...all), to: Math.max(...all) };
  view.charts = Object.keys(series).sort().map((metric) => {
    const points = series[metric].sort((a, b) => a.t - b.t);
    const chart = lineChart(metric, points, episodes[metric] || [], range);
    document.getElementById("charts").append(
      el("div", { class: "chart" }, el("div", { class: "title" }, metric), chart.node));
    return chart;
  });
  if (!view.charts.length) document.getElementById("charts").append(el("p", { class: "muted" }, "No telemetry applied."));
}

// Answers can arrive out of order when the slider moves fast: only the last request's is shown,
// and the panel says it is pending until then.
let asOfRequests = 0;

async function showAsOf(query) {
  const request = ++asOfRequests;
  const panel = document.getElementById("asof-twin");
  panel.dataset.pending = "true";
  let body;
  try {
    body = await api(`/api/devices/${enc}/as-of?${query}`);
  } finally {
    if (request === asOfRequests) delete panel.dataset.pending;
  }
  if (request !== asOfRequests) return;
  const asOfTime = Date.parse(body.twin.lastSeen);
  document.getElementById("asof-time").textContent = body.asOf;
  document.getElementById("asof-time").dataset.time = body.asOf;
  document.getElementById("asof-position").textContent = body.position;
  document.getElementById("asof-folded").textContent = body.recordsFolded;
  renderTwin(document.getElementById("asof-twin"), body.twin);
  document.querySelector("#asof-provenance tbody").replaceChildren(...Object.entries(body.provenance).map(([field, ref]) =>
    el("tr", {}, el("td", {}, field), el("td", { class: "mono" }, ref.position),
      el("td", {}, (ref.kind || "").toLowerCase()), el("td", { class: "mono" }, time(ref.eventTime)))));
  view.charts.forEach((c) => c.mark(asOfTime));
}

// The as-of point lives in the URL (&at=<time or partition:offset>): a twin as it was can be
// shared, and opening the link shows that point again.
function asOfQuery(at) {
  return (/^\d+:\d+$/.test(at) ? "position=" : "time=") + encodeURIComponent(at);
}

function rememberAsOf(at) {
  const params = new URLSearchParams(location.search);
  if (at === null) params.delete("at"); else params.set("at", at);
  history.replaceState(null, "", location.pathname + "?" + params);
}

async function sliderMoved(latest) {
  const slider = document.getElementById("asof-slider");
  const t = view.times[Number(slider.value)];
  if (t === undefined) return;
  const at = new Date(t).toISOString();
  rememberAsOf(latest === true || slider.value === slider.max ? null : at);
  try {
    await showAsOf("time=" + encodeURIComponent(at));
  } catch (e) {
    showError(document.getElementById("notes"), e);
  }
}

document.getElementById("asof-slider").addEventListener("change", sliderMoved);
document.getElementById("asof-latest").addEventListener("click", () => {
  const slider = document.getElementById("asof-slider");
  slider.value = slider.max;
  sliderMoved(true);
});
document.getElementById("asof-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = document.getElementById("asof-input").value.trim();
  rememberAsOf(text);
  try {
    await showAsOf(asOfQuery(text));
  } catch (e) {
    showError(document.getElementById("notes"), e);
  }
});
document.getElementById("history-more").addEventListener("click", showMoreHistory);

header("fleet");
(async () => {
  try {
    await loadDevice();
    await loadHistory();
    await loadCharts();
    const at = new URLSearchParams(location.search).get("at");
    if (at) {
      document.getElementById("asof-input").value = at;
      await showAsOf(asOfQuery(at));
    } else {
      await sliderMoved(true);
    }
  } catch (e) {
    showError(document.getElementById("notes"), e);
  }
})();
