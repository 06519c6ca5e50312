// Shared helpers of the console pages: fetching the API, rendering small pieces, the header.
"use strict";

const api = async (path) => {
  // X-Requested-By: the service then asks for a login without a Basic challenge, whose dialog
  // the browser would show over the console.
  const response = await fetch(path, { headers: { Accept: "application/json", "X-Requested-By": "console" } });
  if (response.status === 401) {
    location.assign("login.html?then=" + encodeURIComponent(location.pathname + location.search));
    throw new Error("not logged in");
  }
  const body = await response.json().catch(() => ({ error: response.statusText }));
  if (!response.ok) {
    const error = new Error(body.error || response.statusText);
    error.status = response.status;
    throw error;
  }
  return body;
};

const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("data-")) node.setAttribute(key, value);
    else if (key === "onclick" || key === "oninput" || key === "onchange") node[key] = value;
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
};

const badge = (text, kind = text) => el("span", { class: "badge " + kind }, text);

const time = (iso) => (iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z") : "-");

const deviceLink = (id) => el("a", { href: "device.html?id=" + encodeURIComponent(id) }, id);

function header(current) {
  const nav = el("nav", {},
    el("a", { href: "index.html", class: current === "fleet" ? "current" : "" }, "Fleet"),
    el("a", { href: "alerts.html", class: current === "alerts" ? "current" : "" }, "Live alerts"));
  const status = el("span", { class: "status", id: "index-status" }, "");
  document.body.prepend(el("header", {}, el("span", { class: "brand" }, "twinlog"), nav, status));
  refreshStatus();
  setInterval(refreshStatus, 5000);
}

async function refreshStatus() {
  try {
    const info = await api("/api/info");
    const versions = info.rulesVersions || [];
    const rules = versions.length ? versions[versions.length - 1] : null;
    document.getElementById("index-status").textContent =
      (info.lagging ? "index catching up with " : "index up to date with ") + info.eventsTopic +
      " · alert rules " + (rules ? "version " + rules.version + " (published " + rules.publishedAt + ")"
        : "version 0 (the job's rules file)") +
      (Object.keys(info.rulesPartitionsDiffering || {}).length
        ? " · partitions " + Object.keys(info.rulesPartitionsDiffering).join(", ") +
          " run other rules versions (twinlog rules list)"
        : "");
  } catch (e) {
    document.getElementById("index-status").textContent = "read side unreachable";
  }
}

function showError(container, error) {
  container.replaceChildren(el("div", { class: "error", id: "error" }, error.message));
}

function laggingNote(body) {
  return body.lagging
    ? el("div", { class: "lagging", id: "lagging" },
        "The index is still reading the log: this answer covers the log up to ",
        JSON.stringify(body.indexedThrough || {}), " and may miss the newest records.")
    : null;
}
