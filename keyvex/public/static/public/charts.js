/* Keyvex result charts (bar, gauge, donut, radar) as SVG built with createElementNS.
   Labels are written with textContent; sizes are attributes, never inline styles (CSP). */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, parent, text) {
    var n = document.createElementNS(NS, tag);
    Object.keys(attrs).forEach(function (k) { n.setAttribute(k, String(attrs[k])); });
    if (text) n.textContent = text;
    if (parent) parent.appendChild(n);
    return n;
  }
  function root(w, h, label) {
    return svg("svg", { viewBox: "0 0 " + w + " " + h, role: "img", "aria-label": label, focusable: "false" });
  }
  function summary(points) {
    return points.map(function (p) { return p.label + ": " + (p.display || "–"); }).join("; ");
  }
  function clip(text, n) { return text.length > n ? text.slice(0, n - 1) + "…" : text; }
  function num(p) { return typeof p.value === "number" && isFinite(p.value) ? p.value : 0; }

  /* Each renderer returns true when the chart itself shows every label with its figure. */
  function bar(b, s) {
    var pts = b.points, rowH = 46, w = 320, top = b.max || Math.max.apply(null, pts.map(function (p) { return Math.abs(num(p)); }).concat([1e-9]));
    var g = root(w, pts.length * rowH, summary(pts));
    pts.forEach(function (p, i) {
      var y = i * rowH, len = Math.max(0, Math.min(1, Math.abs(num(p)) / top)) * (w - 4);
      svg("text", { x: 0, y: y + 14 }, g, clip(p.label, 44));
      svg("rect", { x: 0, y: y + 20, width: Math.max(len, 2), height: 14, rx: 3, "class": i % 2 ? "kvx-bar kvx-bar-alt" : "kvx-bar" }, g);
      svg("text", { x: w, y: y + 14, "text-anchor": "end" }, g, p.display);
    });
    s.appendChild(g);
    return true;
  }
  function polar(cx, cy, r, angle) { return [cx + r * Math.cos(angle), cy + r * Math.sin(angle)]; }
  function gauge(b, s) {
    var p = b.points[0] || { label: "", display: "", value: 0 }, pct = /^-?[\d,.]+%$/.test(p.display || "");
    /* Without a full-scale value a percentage fills to 100%; any other figure fills the arc. */
    var share = b.max ? num(p) / b.max : pct ? parseFloat(p.display.replace(/,/g, "")) / 100 : num(p) ? 1 : 0;
    share = Math.max(0, Math.min(1, share));
    var g = root(200, 120, summary(b.points));
    var a = polar(100, 100, 80, Math.PI), z = polar(100, 100, 80, Math.PI + share * Math.PI);
    svg("path", { d: "M20 100 A80 80 0 0 1 180 100", "class": "kvx-track" }, g);
    if (share > 0) svg("path", { d: "M" + a[0] + " " + a[1] + " A80 80 0 0 1 " + z[0].toFixed(2) + " " + z[1].toFixed(2), "class": "kvx-arc" }, g);
    svg("text", { x: 100, y: 95, "text-anchor": "middle", "font-size": 22 }, g, p.display);
    s.appendChild(g);
  }
  function donut(b, s) {
    var pts = b.points, total = pts.reduce(function (t, p) { return t + Math.max(0, num(p)); }, 0) || 1;
    var g = root(200, 200, summary(pts)), offset = 0;
    svg("circle", { cx: 100, cy: 100, r: 70, "class": "kvx-track" }, g);
    pts.forEach(function (p, i) {
      var part = (Math.max(0, num(p)) / total) * 100;
      svg("circle", { cx: 100, cy: 100, r: 70, pathLength: 100, "stroke-dasharray": part + " " + (100 - part), "stroke-dashoffset": -offset, transform: "rotate(-90 100 100)", "class": "kvx-arc kvx-arc-" + (i % 4) }, g);
      offset += part;
    });
    s.appendChild(g);
  }
  /* Up to ``lines`` lines of at most ``width`` characters, broken between words (or after a
     hyphen); what does not fit ends in an ellipsis. */
  function wrap(text, width, lines) {
    var words = (text.match(/[^\s-]+-?|-/g) || []), out = [], line = "";
    words.forEach(function (w) {
      var next = line ? line + (/-$/.test(line) ? "" : " ") + w : w;
      if (next.length <= width || !line) line = next;
      else { out.push(line); line = w; }
    });
    if (line) out.push(line);
    var kept = out.slice(0, lines).map(function (l) { return clip(l, width); });
    var last = kept[lines - 1];
    if (out.length > lines) kept[lines - 1] = last.length < width ? last + "…" : clip(last, width);
    return kept;
  }
  /* Radar: the rings fill 200 of 440 units, leaving each side label about 12 characters a line
     at 16 units (about 12 px on a 390 px phone), wrapped into up to three lines. The height
     is cut to what the rings and labels use. */
  var RW = 440, RR = 100, FONT = 16, LINE = 18;
  function radar(b, s) {
    var pts = b.points, n = pts.length, top = b.max || 100, cx = RW / 2, cy = RR + 3 * LINE + 14;
    if (n < 3) return bar(b, s);
    var g = root(RW, 2 * cy, summary(pts)), span = [cy - RR - 4, cy + RR + 4];
    var angle = function (i) { return -Math.PI / 2 + (2 * Math.PI * i) / n; };
    var at = function (r, i) { return polar(cx, cy, r, angle(i)); };
    var ring = function (r) {
      return pts.map(function (_, i) { return at(r, i).map(function (v) { return v.toFixed(1); }).join(","); }).join(" ");
    };
    [25, 50, 75, 100].forEach(function (q) { svg("polygon", { points: ring(RR * q / 100), "class": "kvx-grid" }, g); });
    var shape = pts.map(function (p, i) {
      return at(RR * Math.max(0, Math.min(1, num(p) / top)), i).map(function (v) { return v.toFixed(1); }).join(",");
    }).join(" ");
    svg("polygon", { points: shape, "class": "kvx-area" }, g);
    pts.forEach(function (p, i) {
      var box = radarLabel(g, p.label, at(RR + 8, i), Math.cos(angle(i)), Math.sin(angle(i)));
      span = [Math.min(span[0], box[0]), Math.max(span[1], box[1])];
    });
    g.setAttribute("viewBox", "0 " + span[0].toFixed(0) + " " + RW + " " + (span[1] - span[0]).toFixed(0));
    s.appendChild(g);
  }
  /* One axis label, wrapped to the room beside its end of the axis; returns its top and bottom. */
  function radarLabel(g, label, xy, c, sn) {
    var anchor = c > 0.2 ? "start" : c < -0.2 ? "end" : "middle", x = xy[0];
    var room = anchor === "start" ? RW - x - 4 : anchor === "end" ? x - 4 : Math.min(2 * Math.min(x, RW - x) - 8, 240);
    var lines = wrap(label, Math.max(6, Math.floor(room / (0.55 * FONT))), 3), height = (lines.length - 1) * LINE;
    /* Above the chart the last line sits by its axis; below it the first; beside it, centred. */
    var y = sn < -0.5 ? xy[1] - 6 - height : sn > 0.5 ? xy[1] + FONT : xy[1] + 5 - height / 2;
    var t = svg("text", { x: x.toFixed(1), y: y.toFixed(1), "text-anchor": anchor }, g);
    lines.forEach(function (line, k) { svg("tspan", { x: x.toFixed(1), dy: k ? LINE : 0 }, t, line); });
    return [y - FONT, y + height + FONT / 3];
  }
  var DRAW = { bar: bar, gauge: gauge, donut: donut, radar: radar };

  /* Draw block ``b`` into figure ``fig``; a text legend repeats every figure as the chart's
     text alternative. Where the chart already shows it (bars) it is there for screen readers
     only, not a second copy on screen. */
  function draw(b, fig, make) {
    fig.className += " kvx-chart-" + (DRAW[b.chart] ? b.chart : "bar");
    if (b.title) make("h3", "", b.title, fig);
    var labelled = (DRAW[b.chart] || bar)(b, fig);
    var list = make("ul", labelled ? "kvx-legend kvx-visually-hidden" : "kvx-legend", "", fig);
    b.points.forEach(function (p, i) {
      var li = make("li", "", "", list);
      if (b.chart === "donut") make("span", "kvx-key kvx-key-" + (i % 4), "", li).setAttribute("aria-hidden", "true");
      li.appendChild(document.createTextNode(p.label + ": " + (p.display || "–")));
    });
  }
  window.KeyvexCharts = { draw: draw };
})();
