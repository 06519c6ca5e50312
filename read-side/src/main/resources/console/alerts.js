// The live alerts page: the Server-Sent Events stream, the latest transitions, the open episodes.
"use strict";

header("alerts");

const alertLine = (a) =>
  el("li", { class: "new", "data-alert": a.alertId },
    el("span", { class: "mono" }, time(a.eventTime)), " ", badge(a.status), " ",
    deviceLink(a.deviceId), " ", badge(a.ruleId, a.severity), " ", el("span", { class: "muted" }, a.message),
    " ", el("span", { class: "muted", "data-rules-version": a.rulesVersion ?? 0 }, "rules v" + (a.rulesVersion ?? 0)));

function connect() {
  const source = new EventSource("/api/alerts/stream");
  const status = document.getElementById("stream-state");
  source.onopen = () => { status.textContent = "live"; };
  source.onerror = () => { status.textContent = "reconnecting…"; };
  source.addEventListener("alert", (event) => {
    const alert = JSON.parse(event.data);
    document.getElementById("live-empty").hidden = true;
    const list = document.getElementById("live-alerts");
    list.prepend(alertLine(alert));
    while (list.children.length > 200) list.lastChild.remove();
  });
}

async function loadTables() {
  try {
    const [recent, open] = await Promise.all([api("/api/alerts?state=recent&limit=50"), api("/api/alerts?state=open")]);
    document.getElementById("notes").replaceChildren(laggingNote(recent) || "");
    document.querySelector("#recent-alerts tbody").replaceChildren(...recent.alerts.map((a) =>
      el("tr", {},
        el("td", { class: "mono" }, time(a.eventTime)), el("td", {}, badge(a.status)),
        el("td", { class: "mono" }, deviceLink(a.deviceId)), el("td", {}, badge(a.ruleId, a.severity)),
        el("td", { class: "muted" }, a.message), el("td", { class: "mono" }, "v" + (a.rulesVersion ?? 0)))));
    document.querySelector("#open-alerts tbody").replaceChildren(...open.alerts.slice(0, 30).map((a) =>
      el("tr", {},
        el("td", { class: "mono" }, deviceLink(a.deviceId)), el("td", {}, badge(a.ruleId, a.severity)),
        el("td", { class: "mono" }, time(a.raisedAt)))));
  } catch (e) {
    showError(document.getElementById("notes"), e);
  }
}

connect();
loadTables();
setInterval(loadTables, 10000);
