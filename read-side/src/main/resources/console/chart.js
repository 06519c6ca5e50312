// A line chart of one metric in SVG, with alert episodes shaded and a marker at the as-of time.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const svg = (tag, attrs = {}) => {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
};

/**
 * points: [{t: epoch ms, v: number}], episodes: [{from, to}] (epoch ms; to may be Infinity),
 * range: {from, to} of the x axis. Returns {node, mark(t)}.
 */
function lineChart(metric, points, episodes, range) {
  const W = 400, H = 170, L = 44, R = 8, T = 8, B = 22;
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, "data-metric": metric, role: "img" });
  const values = points.map((p) => p.v);
  let lo = Math.min(...values), hi = Math.max(...values);
  if (lo === hi) { lo -= 1; hi += 1; }
  const span = Math.max(1, range.to - range.from);
  const x = (t) => L + ((t - range.from) / span) * (W - L - R);
  const y = (v) => T + (1 - (v - lo) / (hi - lo)) * (H - T - B);
  for (const e of episodes) {
    const from = x(Math.max(e.from, range.from)), to = x(Math.min(e.to, range.to));
    root.append(svg("rect", { x: from, y: T, width: Math.max(2, to - from), height: H - T - B, fill: "#b3261e", "fill-opacity": 0.12, class: "episode" }));
  }
  root.append(svg("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: "#d9dee6" }));
  for (const v of [lo, (lo + hi) / 2, hi]) {
    const label = svg("text", { x: L - 4, y: y(v) + 4, "text-anchor": "end", "font-size": 10, fill: "#5b6473" });
    label.textContent = Number(v.toPrecision(4)).toString();
    root.append(label);
  }
  for (const [t, anchor] of [[range.from, "start"], [range.to, "end"]]) {
    const label = svg("text", { x: x(t), y: H - 6, "text-anchor": anchor, "font-size": 10, fill: "#5b6473" });
    label.textContent = new Date(t).toISOString().substring(11, 19);
    root.append(label);
  }
  root.append(svg("polyline", {
    points: points.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(" "),
    fill: "none", stroke: "#2458c6", "stroke-width": 1.5,
  }));
  if (points.length <= 200) {
    for (const p of points) root.append(svg("circle", { cx: x(p.t), cy: y(p.v), r: 2, fill: "#2458c6" }));
  }
  const marker = svg("line", { y1: T, y2: H - B, stroke: "#1d2430", "stroke-dasharray": "3 2", visibility: "hidden", class: "asof-marker" });
  root.append(marker);
  return {
    node: root,
    mark(t) {
      marker.setAttribute("x1", x(t)); marker.setAttribute("x2", x(t));
      marker.setAttribute("visibility", t >= range.from && t <= range.to ? "visible" : "hidden");
    },
  };
}
