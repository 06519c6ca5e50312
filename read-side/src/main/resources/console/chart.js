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
  root.append(svg("line", { x1: L, y1: T, x2: L, y2: H - B, stroke: "#d9dee6" }));
  // Value ticks with faint grid lines, and five time ticks along the x axis.
  for (const v of [lo, lo + (hi - lo) / 4, (lo + hi) / 2, lo + (3 * (hi - lo)) / 4, hi]) {
    root.append(svg("line", { x1: L - 3, y1: y(v), x2: W - R, y2: y(v), stroke: "#eef1f5", class: "tick-y" }));
    const label = svg("text", { x: L - 5, y: y(v) + 3, "text-anchor": "end", "font-size": 9, fill: "#5b6473" });
    label.textContent = Number(v.toPrecision(4)).toString();
    root.append(label);
  }
  const long = span > 86_400_000;
  for (let i = 0; i <= 4; i++) {
    const t = range.from + (span * i) / 4;
    root.append(svg("line", { x1: x(t), y1: H - B, x2: x(t), y2: H - B + 3, stroke: "#9aa3b1", class: "tick-x" }));
    const label = svg("text", {
      x: x(t), y: H - 6, "text-anchor": i === 0 ? "start" : i === 4 ? "end" : "middle", "font-size": 9, fill: "#5b6473",
    });
    label.textContent = new Date(t).toISOString().substring(long ? 5 : 11, long ? 16 : 19).replace("T", " ");
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
