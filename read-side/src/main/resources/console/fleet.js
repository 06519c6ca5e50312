// The fleet page: counts by status, search and paging over the devices, the open alerts.
"use strict";

header("fleet");

// The filter and the search live in the page's URL (?status=&q=): a view can be shared, and Back
// returns to the previous one.
const state = { status: null, q: "", next: null };

function readUrl() {
  const params = new URLSearchParams(location.search);
  state.status = params.get("status");
  state.q = params.get("q") || "";
  document.getElementById("search").value = state.q;
}

function writeUrl() {
  const params = new URLSearchParams();
  if (state.status) params.set("status", state.status);
  if (state.q) params.set("q", state.q);
  const url = location.pathname + (params.toString() ? "?" + params : "");
  if (url !== location.pathname + location.search) history.pushState(null, "", url);
}
const COUNT_ORDER = ["TOTAL", "ACTIVE", "OFFLINE", "ALERTING", "DECOMMISSIONED", "UNREGISTERED"];

async function load(append) {
  const params = new URLSearchParams({ limit: "50" });
  if (state.status) params.set("status", state.status);
  if (state.q) params.set("q", state.q);
  if (append && state.next) params.set("cursor", state.next);
  try {
    const body = await api("/api/fleet?" + params);
    document.getElementById("notes").replaceChildren(laggingNote(body) || "");
    renderCounts(body.counts);
    const rows = body.devices.map((d) =>
      el("tr", { "data-device": d.deviceId },
        el("td", { class: "mono" }, deviceLink(d.deviceId)),
        el("td", {}, badge(d.status), " ", d.status === "ACTIVE" ? badge(d.online ? "online" : "offline") : ""),
        el("td", {}, d.model || "-"),
        el("td", {}, d.firmware || "-"),
        el("td", { class: "mono" }, time(d.lastSeen)),
        el("td", {}, d.activeAlerts.map((a) => badge(a, "RAISED")))));
    const body_ = document.querySelector("#devices tbody");
    if (append) body_.append(...rows); else body_.replaceChildren(...rows);
    if (!append && rows.length === 0) {
      body_.append(el("tr", {}, el("td", { colspan: "6", class: "muted" }, "No device matches.")));
    }
    state.next = body.next;
    document.getElementById("more").hidden = !body.next;
    document.getElementById("filter").textContent =
      [state.status && "status " + state.status.toLowerCase(), state.q && "“" + state.q + "”"].filter(Boolean).join(", ");
  } catch (e) {
    showError(document.getElementById("notes"), e);
  }
}

function renderCounts(counts) {
  const cards = COUNT_ORDER.filter((k) => k !== "UNREGISTERED" || k in counts).map((key) => {
    const selected = (state.status || "TOTAL") === key;
    return el("div", {
      class: "count" + (selected ? " selected" : ""), id: "count-" + key.toLowerCase(),
      onclick: () => { state.status = key === "TOTAL" ? null : key; writeUrl(); load(false); },
    }, el("div", { class: "n" }, (counts[key] || 0).toLocaleString()), el("div", { class: "label" }, key));
  });
  document.getElementById("counts").replaceChildren(...cards);
}

async function loadOpenAlerts() {
  try {
    const body = await api("/api/alerts?state=open");
    const rows = body.alerts.slice(0, 15).map((a) =>
      el("tr", {},
        el("td", { class: "mono" }, deviceLink(a.deviceId)),
        el("td", {}, badge(a.ruleId, a.severity)),
        el("td", { class: "mono" }, time(a.raisedAt))));
    document.querySelector("#open-alerts tbody").replaceChildren(...rows);
    const more = document.getElementById("open-alerts-more");
    if (body.total > 15) {
      more.replaceChildren(el("a", { href: "alerts.html" }, `and ${body.total - 15} more`), ` (${body.total} open)`);
    } else {
      more.textContent = body.total ? `${body.total} open` : "None open.";
    }
  } catch (e) {
    document.getElementById("open-alerts-more").textContent = e.message;
  }
}

document.getElementById("search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  state.q = document.getElementById("search").value.trim();
  writeUrl();
  load(false);
});
window.addEventListener("popstate", () => { readUrl(); load(false); });
document.getElementById("more").addEventListener("click", () => load(true));

readUrl();
load(false);
loadOpenAlerts();
setInterval(loadOpenAlerts, 5000);
