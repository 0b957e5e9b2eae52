/* Keyvex public runtime: live calculators, stepped quizzes, results, charts, leads, analytics.
   No dependencies but formula.js; every piece of tool data is written with textContent. */
(function () {
  "use strict";
  var F = window.KeyvexFormula, el = document.getElementById("kvx-tool");
  if (!F || !el) return;
  var T = JSON.parse(el.textContent), body = document.body, doc = document;
  var $ = function (id) { return doc.getElementById(id); };
  var dict = function () { return Object.create(null); };
  var base = "/t/" + encodeURIComponent(T.slug), STORE = "kvx:" + T.slug + ":" + T.version;
  var INPUTS = dict(), form = $("kvx-form"), resultBox = $("kvx-result"), leadBox = $("kvx-lead");
  var leadForm = $("kvx-lead-form"), status = $("kvx-status"), steps = form.querySelectorAll(".kvx-step");
  var quiz = T.kind !== "calculator", mode = T.lead.mode, stepped = T.layout === "one_per_screen";
  var live = !quiz && !stepped, startButton = $("kvx-start");
  var S = { step: 0, key: null, lead: false, started: false, done: false, seen: dict(), resumed: false };
  T.inputs.forEach(function (i) { INPUTS[i.id] = i; });

  /* ---- formatting: the same text keyvex/engine/_format.py produces ---- */
  function group(s) { return s.replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  function number(x, d) {
    d = d || 0;
    var m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(Math.abs(x).toExponential());
    var digits = m[1] + (m[2] || ""), point = Number(m[3]) + 1;
    if (point <= 0) { digits = "0".repeat(1 - point) + digits; point = 1; }
    if (digits.length < point + d) digits += "0".repeat(point + d - digits.length);
    var keep = digits.slice(0, point + d), rest = digits.slice(point + d);
    if (rest && rest[0] >= "5") {
      var arr = keep.split(""), i = arr.length - 1;
      while (i >= 0 && arr[i] === "9") { arr[i] = "0"; i--; }
      if (i < 0) arr.unshift("1"); else arr[i] = String(Number(arr[i]) + 1);
      keep = arr.join("");
    }
    var whole = keep.slice(0, keep.length - d).replace(/^0+(?=\d)/, "") || "0";
    var text = group(whole) + (d ? "." + keep.slice(keep.length - d) : "");
    return x < 0 && /[1-9]/.test(keep) ? "-" + text : text;
  }
  function currency(x, code, d) {
    var sym = T.symbols[code] || code + " ", text = number(Math.abs(x), d);
    return (x < 0 && text.replace(/[0.,]/g, "") ? "-" : "") + sym + text;
  }
  function percent(x, d) { return number(x, d) + "%"; }
  function isNum(v) { return typeof v === "number"; }
  function plain(v) {
    if (v === null || v === undefined) return "";
    if (typeof v === "boolean") return v ? "Yes" : "No";
    if (isNum(v)) return v % 1 ? number(v, 2).replace(/0+$/, "").replace(/\.$/, "") : number(v);
    if (Array.isArray(v)) return v.map(plain).join(", ");
    return String(v);
  }
  /* Dates are spreadsheet serial numbers (day 0 is 1899-12-30), as in keyvex.formula. */
  var MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" "), EPOCH = Date.UTC(1899, 11, 30);
  function serialOf(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso), d = m && new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    if (!d || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) return null;
    d.setUTCFullYear(+m[1]);
    return Math.round((d.getTime() - EPOCH) / 86400000);
  }
  function dateText(v) {  /* as keyvex/engine/_format.py date_text: "29 Feb 2024" */
    var day = Math.floor(v);
    if (!(day >= -693593 && day <= 2958465)) return number(v);
    var d = new Date(EPOCH + day * 86400000);
    return d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear();
  }
  function calcText(c, v) {
    if (!isNum(v)) return plain(v);
    if (c.format === "currency") return currency(v, c.currency, c.decimals);
    if (c.format === "percent") return percent(v * 100, c.decimals);
    if (c.format === "date") return dateText(v);
    var t = number(v, c.decimals);
    return c.unit ? t + " " + c.unit : t;
  }
  function answerText(item, v) {
    if (v === null || v === undefined) return "";
    var labels = dict();
    item.options.forEach(function (o) { labels[o.value] = o.label; });
    if (item.type === "yes_no") return labels[v] || { yes: "Yes", no: "No", na: "N/A" }[v] || "";
    if (Array.isArray(v)) return v.map(function (x) { return x in labels ? labels[x] : x; }).join(", ");
    if (typeof v === "string") return v in labels ? labels[v] : v;
    var d = Number.isInteger(v) ? 0 : 2;
    if (item.type === "currency") return currency(v, item.currency, d);
    if (item.type === "percent") return percent(v, d);
    return item.unit ? number(v, d) + " " + item.unit : number(v, d);
  }
  function fill(text, display) {
    return (text || "").replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, function (_, n) {
      return n in display ? display[n] : "";
    });
  }

  /* ---- answers: read, normalise and check like keyvex/engine/_answers.py ---- */
  function field(id) { return $("kvx-in-" + id + "-field"); }
  function readRaw(item) {
    var box = field(item.id);
    if (item.type === "multiselect") {
      return Array.prototype.map.call(box.querySelectorAll("input:checked"), function (x) { return x.value; });
    }
    if (item.type === "radio" || item.type === "yes_no") {
      var on = box.querySelector("input:checked");
      return on ? on.value : null;
    }
    return $("kvx-in-" + item.id).value;
  }
  function writeRaw(item, raw) {
    var box = field(item.id);
    if (!box || raw === undefined) return;
    if (item.type === "multiselect" || item.type === "radio" || item.type === "yes_no") {
      box.querySelectorAll("input").forEach(function (x) {
        x.checked = Array.isArray(raw) ? raw.indexOf(x.value) >= 0 : x.value === raw;
      });
    } else if (typeof raw === "string") $("kvx-in-" + item.id).value = raw;
  }
  var NUM = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/, THOUSANDS = /^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
  function normalise(item, raw) {
    var blank = raw === null || raw === "" || (Array.isArray(raw) && !raw.length);
    if (blank) return { v: null };
    if (["number", "currency", "percent", "slider"].indexOf(item.type) >= 0) {
      var s = String(raw).trim();
      if (s.indexOf(",") >= 0) { if (!THOUSANDS.test(s)) return { e: "Enter a number." }; s = s.replace(/,/g, ""); }
      if (!NUM.test(s) || !isFinite(Number(s))) return { e: "Enter a number." };
      var x = Number(s), unit = item.type === "percent" ? "%" : item.unit ? " " + item.unit : "";
      if (item.min !== null && x < item.min) return { e: "Enter at least " + F.formatNumber(item.min) + unit + "." };
      if (item.max !== null && x > item.max) return { e: "Enter at most " + F.formatNumber(item.max) + unit + "." };
      return { v: x };
    }
    if (typeof raw === "string" && ["text", "email", "date"].indexOf(item.type) >= 0) {
      raw = raw.trim();
      if (raw.length > 1000) return { e: "Keep this under 1000 characters." };
      if (item.type === "email" && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(raw)) return { e: "Enter a valid email address." };
      if (item.type === "date" && raw && serialOf(raw) === null) return { e: "Enter a date as YYYY-MM-DD." };
      return { v: raw || null };
    }
    return { v: raw };
  }
  function formulaValue(item, v) {
    if (v === null) return null;
    if (item.type === "percent") return v / 100;
    if (item.type === "yes_no") return v === "na" ? null : v === "yes";
    if (item.type === "date") return serialOf(v);
    return v;
  }
  function truthy(v) { return typeof v === "boolean" ? v : isNum(v) ? v !== 0 : !!(v && (v.length === undefined || v.length)); }
  function evaluate(ast, names) { return F.evaluate(ast, names, T.tables); }

  /* Answers of every input (visible ones checked), formula names and per-field errors. */
  function collect() {
    var normal = dict(), errors = dict(), names = dict(), visible = dict();
    Object.keys(T.constants).forEach(function (k) { names[k] = T.constants[k]; });
    T.inputs.forEach(function (item) {
      var r = normalise(item, readRaw(item));
      normal[item.id] = r.e ? null : r.v;
      if (r.e) errors[item.id] = r.e;
      names[item.id] = formulaValue(item, normal[item.id]);
    });
    T.inputs.forEach(function (item) {
      var shown = true;
      if (item.visible) { var r = evaluate(item.visible, names); shown = r.ok && truthy(r.value); }
      visible[item.id] = shown;
      field(item.id).hidden = !shown;
      if (!shown) { names[item.id] = null; normal[item.id] = null; delete errors[item.id]; }
      else if (item.required && normal[item.id] === null && !errors[item.id]) errors[item.id] = "This question needs an answer.";
    });
    return { normal: normal, errors: errors, names: names, visible: visible };
  }
  function answersOf(state) {
    var out = {};
    T.inputs.forEach(function (i) { if (state.visible[i.id] && state.normal[i.id] !== null) out[i.id] = state.normal[i.id]; });
    return out;
  }
  function showError(id, text, prefix) {
    var err = $((prefix || "kvx-in-") + id + "-err");
    if (!err) return false;
    err.textContent = text || "";
    var box = $((prefix || "kvx-in-") + id + "-field");
    if (box) box.querySelectorAll("input,select").forEach(function (x) {
      if (text) x.setAttribute("aria-invalid", "true"); else x.removeAttribute("aria-invalid");
    });
    return true;
  }

  /* ---- the calculator result, computed in the page like keyvex/engine/_run.py ---- */
  function compute(state) {
    var values = dict(), failed = dict(), display = dict(), names = state.names;
    Object.keys(T.constants).forEach(function (k) { display[k] = plain(T.constants[k]); });
    T.inputs.forEach(function (i) { display[i.id] = answerText(i, state.normal[i.id]); });
    T.calcs.forEach(function (c) {
      var v = null;
      if (!c.deps.some(function (d) { return failed[d]; })) {
        var r = evaluate(c.ast, names);
        if (r.ok && !(isNum(r.value) && !isFinite(r.value))) v = r.value; else failed[c.id] = true;
      } else failed[c.id] = true;
      values[c.id] = names[c.id] = v;
      display[c.id] = calcText(c, v);
    });
    var outcome = null;
    if (T.outcomes.length && !T.outcomes[0].ranged) {
      outcome = T.outcomes.filter(function (o) {
        if (!o.cond) return true;
        var r = evaluate(o.cond, names);
        return r.ok && truthy(r.value);
      })[0] || null;
    }
    var value = function (n) { return n in values ? values[n] : state.normal[n]; };
    var recs = outcome ? outcome.recs.map(function (t) { return fill(t, display); }) : [];
    return T.blocks.map(function (b) {
      if (b.type === "headline") return { type: b.type, text: fill(b.text, display), subtext: fill(b.subtext, display) };
      if (b.type === "text") return { type: b.type, text: fill(b.text, display) };
      if (b.type === "metric") {
        return { type: b.type, label: b.label || T.labels[b.value], display: display[b.value] || "", text: fill(b.description, display) };
      }
      if (b.type === "chart") {
        return { type: b.type, chart: b.chart, title: b.title, max: b.max, points: b.series.map(function (n) {
          var v = value(n);
          return { id: n, label: T.labels[n], value: isNum(v) ? v : null, display: display[n] || "" };
        }) };
      }
      if (b.type === "outcome") return { type: b.type, title: outcome ? outcome.title : "", text: outcome ? fill(outcome.description, display) : "" };
      if (b.type === "recommendations") return { type: b.type, title: b.title, items: recs };
      if (b.type === "table_recommendations") return tableBlock(b, names);
      return { type: "cta", label: b.label, url: b.url, text: fill(b.text, display) };
    });
  }

  /* ---- "recommendations from table", as keyvex/engine/_tables.py chooses them ---- */
  function blankV(v) { return v === null || v === undefined || v === "" || (Array.isArray(v) && !v.length); }
  function lowText(v) { return plain(v).trim().toLowerCase(); }
  function sameCell(a, b) { return isNum(a) && isNum(b) ? a === b : lowText(a) === lowText(b); }
  function cellMatches(cell, op, value) {
    var vs = Array.isArray(value) ? value : [value];
    if (blankV(cell)) return op === "ne";
    if (op === "eq" || op === "in") return vs.some(function (v) { return sameCell(cell, v); });
    if (op === "ne") return !vs.some(function (v) { return sameCell(cell, v); });
    if (op === "contains") return vs.some(function (v) { return !blankV(v) && lowText(cell).indexOf(lowText(v)) >= 0; });
    var a = cell, b = vs[0];
    if (!isNum(a) || !isNum(b)) return false;
    return op === "lt" ? a < b : op === "lte" ? a <= b : op === "gt" ? a > b : a >= b;
  }
  function tableBlock(b, names) {
    var active = [];
    b.filters.forEach(function (f) {
      var r = evaluate(f.ast, names);
      if (r.ok && !blankV(r.value)) active.push([f.column, f.op, r.value]);
    });
    var rows = (T.tables[b.table] || []).filter(function (row) {
      return active.every(function (f) { return cellMatches(row[f[0]], f[1], f[2]); });
    });
    if (b.sort_by) {
      var rank = function (row) { var c = row[b.sort_by]; return isNum(c) ? 0 : blankV(c) ? 2 : 1; };
      var keyed = rows.map(function (row, n) { return [rank(row), row[b.sort_by], n, row]; });
      keyed.sort(function (x, y) {
        if (x[0] !== y[0]) return x[0] - y[0];
        var d = 0;
        if (x[0] === 0) d = x[1] - y[1];
        else if (x[0] === 1) d = lowText(x[1]) < lowText(y[1]) ? -1 : lowText(x[1]) > lowText(y[1]) ? 1 : 0;
        if (b.descending) d = -d;
        return d || x[2] - y[2];
      });
      rows = keyed.map(function (k) { return k[3]; });
    }
    var cards = rows.slice(0, b.limit).map(function (row) {
      return { title: plain(row[b.title_column]), fields: b.show.map(function (v) {
        var cell = row[v.column];
        var shown = v.format === "text" || !isNum(cell) ? plain(cell)
          : calcText({ format: v.format, decimals: v.decimals, currency: T.currency, unit: "" }, cell);
        return { label: v.label || v.column, display: shown };
      }) };
    });
    return { type: b.type, title: b.title, text: cards.length ? "" : b.empty_text, cards: cards };
  }

  /* ---- drawing result blocks (server results and live ones look the same) ---- */
  function make(tag, cls, text, parent) {
    var n = doc.createElement(tag);
    if (cls) n.className = cls;
    if (text) n.textContent = text;
    if (parent) parent.appendChild(n);
    return n;
  }
  function drawBlocks(blocks, teaser, result) {
    var box = doc.createDocumentFragment(), metrics = null, lead = true;
    if (teaser) {
      var first = blocks.filter(function (b) { return b.type === "headline" || (b.type === "outcome" && b.title); })[0];
      blocks = first ? [first] : [];
    }
    var scores = result && result.scores, hasMetric = blocks.some(function (b) { return b.type === "metric" || b.chart === "gauge"; });
    var hero = null, headed = blocks.some(function (b) { return b.type === "headline"; });
    if (T.big_score && !teaser && scores && scores.percent !== null && !hasMetric) {  /* the big score, under the headline */
      hero = make("div", "kvx-hero", "", headed ? null : box);
      make("span", "kvx-hero-value", result.display.score_percent, hero);
      make("span", "kvx-hero-label", "Your score", hero);
    }
    blocks.forEach(function (b) {
      if (b.type !== "metric") metrics = null;
      if (b.type === "headline") {
        make("h2", "kvx-headline", b.text, box).tabIndex = -1;
        if (b.subtext) make("p", "kvx-subtext", b.subtext, box);
        if (hero && headed) { box.appendChild(hero); headed = false; }
      } else if (b.type === "text") make("p", "kvx-text", b.text, box);
      else if (b.type === "metric") {
        if (!metrics) { metrics = make("div", lead ? "kvx-metrics kvx-metrics-lead" : "kvx-metrics", "", box); lead = false; }
        var m = make("div", "kvx-metric", "", metrics);
        make("span", "kvx-metric-value", b.display || "–", m);
        make("span", "kvx-metric-label", b.label, m);
        if (b.text) make("p", "kvx-help", b.text, m);
      } else if (b.type === "chart") window.KeyvexCharts.draw(b, make("figure", "kvx-chart", "", box), make);
      else if (b.type === "outcome" && b.title) {
        var o = make("div", "kvx-outcome", "", box);
        make("h3", "", b.title, o);
        if (b.text) make("p", "", b.text, o);
      } else if (b.type === "recommendations" && b.items.length) {
        var r = make("div", "kvx-recs", "", box), ul = doc.createElement("ul");
        make("h3", "", b.title, r);
        b.items.forEach(function (t) { make("li", "", t, ul); });
        r.appendChild(ul);
      } else if (b.type === "table_recommendations") {
        var tb = make("section", "kvx-table-recs", "", box);
        make("h3", "", b.title, tb);
        if (!b.cards.length) make("p", "kvx-help", b.text, tb);
        var list = make("ul", "kvx-cards", "", tb);
        b.cards.forEach(function (card) {
          var li = make("li", "kvx-card", "", list);
          make("strong", "kvx-card-title", card.title, li);
          var dl = make("dl", "", "", li);
          card.fields.forEach(function (f) { make("dt", "", f.label, dl); make("dd", "", f.display, dl); });
        });
      } else if (b.type === "cta" && /^(https?:|mailto:|tel:)/i.test(b.url)) {
        var c = make("div", "kvx-cta", "", box);
        if (b.text) make("p", "", b.text, c);
        var a = make("a", "kvx-btn", b.label, c);
        a.href = b.url;
        if (body.classList.contains("kvx-embed")) { a.target = "_blank"; a.rel = "noopener noreferrer"; }
      }
    });
    if (teaser) make("p", "kvx-locked", "Enter your details below to see your full result.", box);
    resultBox.replaceChildren(box);
    resultBox.hidden = false;
  }

  /* ---- saving progress, analytics and embed height ---- */
  function save() {
    try {
      var raw = {};
      T.inputs.forEach(function (i) { raw[i.id] = readRaw(i); });
      localStorage.setItem(STORE, JSON.stringify({ raw: raw, step: S.step, key: S.key }));
    } catch (e) { /* private mode or full storage: progress is simply not kept */ }
  }
  function restore() {
    try {
      var saved = JSON.parse(localStorage.getItem(STORE) || "null");
      if (!saved || typeof saved.raw !== "object") return;
      T.inputs.forEach(function (i) { writeRaw(i, saved.raw[i.id]); });
      S.step = Math.min(Math.max(0, saved.step | 0), steps.length - 1);
      if (typeof saved.key === "string") S.key = saved.key;
      S.resumed = true;
    } catch (e) { /* a corrupt entry is ignored */ }
  }
  function forget() { try { localStorage.removeItem(STORE); } catch (e) { /* ignore */ } }
  function beacon(event, step) {
    var data = JSON.stringify({ event: event, step: step === undefined ? null : step });
    try {
      if (navigator.sendBeacon) navigator.sendBeacon(base + "/events", new Blob([data], { type: "text/plain" }));
    } catch (e) { /* analytics are best effort */ }
  }
  function started() { if (!S.started) { S.started = true; beacon("start"); } }
  function completed() { if (!S.done) { S.done = true; beacon("complete"); } }
  addEventListener("pagehide", function () { if (S.started && !S.done) { S.done = true; beacon("abandon"); } });
  var origin = body.getAttribute("data-origin"), lastHeight = 0;
  function reportHeight() {
    var h = Math.ceil(doc.documentElement.getBoundingClientRect().height);
    if (h !== lastHeight && origin && window.parent !== window) {
      lastHeight = h;
      window.parent.postMessage({ type: "keyvex:height", slug: T.slug, height: h }, origin);
    }
  }
  if (origin && window.ResizeObserver) new ResizeObserver(reportHeight).observe(doc.documentElement);
  var announced = 0, hinted = false;
  function announce(text) {
    clearTimeout(announced);
    hinted = false;
    status.textContent = "";
    if (text) announced = setTimeout(function () { status.textContent = text; }, 30);
  }
  /* "Please answer ..." belongs to one step: it goes when that step is answered or left. */
  function hint() { announce("Please answer the question before you continue."); hinted = true; }
  function unhint() { if (hinted) announce(""); }
  function focusFirst(box) {
    var target = box.querySelector("h2,h1,legend,.kvx-label");
    if (target) { if (!target.hasAttribute("tabindex")) target.tabIndex = -1; target.focus(); }
  }

  /* ---- lead capture ---- */
  function newKey() {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  }
  function showLead() { if (leadBox && !S.lead) { leadBox.hidden = false; S.key = S.key || newKey(); save(); } }
  function utm() {
    var out = {}, q = new URLSearchParams(location.search);
    q.forEach(function (v, k) { if (/^utm_[a-z]{1,20}$/.test(k)) out[k] = v.slice(0, 200); });
    return out;
  }
  function submitLead(ev) {
    ev.preventDefault();
    var state = collect(), contact = {}, button = $("kvx-lead-submit"), general = $("kvx-lead-error");
    T.lead.fields.forEach(function (f) { contact[f.id] = $("kvx-lead-" + f.id).value.trim(); });
    clearLeadErrors();
    S.key = S.key || newKey();
    save();
    var payload = {
      answers: answersOf(state), contact: contact, consent: $("kvx-lead-consent").checked,
      idempotency_key: S.key, elapsed_ms: Math.round(performance.now()), website: $("kvx-lead-website").value,
      utm: utm(), referrer: doc.referrer.slice(0, 500)
    };
    button.disabled = true;
    fetch(base + "/submit", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload), credentials: "omit" })
      .then(function (res) { return res.json().catch(function () { return {}; }).then(function (data) { return [res.status, data]; }); })
      .then(function (r) {
        button.disabled = false;
        if (r[0] === 201) return leadAccepted(r[1]);
        var errors = {}, first = null;
        (r[1].errors || []).forEach(function (e) { errors[e.field] = e.message; });
        Object.keys(errors).forEach(function (k) {
          var name = k.replace(/^(contact|answers)\./, "");
          var shown = showError(name, errors[k], "kvx-lead-") || (showError(name, errors[k]) && answerErrors.push(name));
          if (!shown) general.textContent = errors[k];
          first = first || $("kvx-lead-" + name) || $("kvx-in-" + name);
        });
        if (!Object.keys(errors).length) general.textContent = r[1].detail || "That did not work. Please try again.";
        if (first) announce("Please check the highlighted fields.");
        if (first && first.focus) first.focus();
      })
      .catch(function () {
        button.disabled = false;
        general.textContent = "We could not send that. Check your connection and try again.";
      });
  }
  /* Field errors, the form-level error and the "check the fields" status of an earlier try. */
  var answerErrors = [];  /* answers the server refused when the lead was sent */
  function clearLeadErrors() {
    T.lead.fields.forEach(function (f) { showError(f.id, "", "kvx-lead-"); });
    answerErrors.splice(0).forEach(function (id) { showError(id, ""); });
    showError("consent", "", "kvx-lead-");
    $("kvx-lead-error").textContent = "";
    announce("");
  }
  function leadAccepted(data) {
    var thanks = $("kvx-lead-thanks");
    clearLeadErrors();
    S.lead = true;
    leadBox.hidden = true;
    forget();
    completed();
    if (mode === "after_results") {
      thanks.hidden = false;
      thanks.focus();  /* read out on focus: no second, visible status line */
      return;
    }
    if (data.result && data.result.blocks) drawBlocks(data.result.blocks, false, data.result);
    if (live) update();
    announce(thanks.textContent);
    focusFirst(resultBox);
  }

  /* ---- flows ---- */
  var completeTimer = 0;
  function update() {
    var state = collect();
    T.inputs.forEach(function (i) {
      var out = $("kvx-in-" + i.id + "-out");
      if (out) out.textContent = answerText(i, state.normal[i.id]);
      if (live) showError(i.id, state.errors[i.id]);
      else if (!state.errors[i.id]) showError(i.id, "");  /* answered now: its error goes */
    });
    if (!live) return stepAnswered(state);
    var ok = !Object.keys(state.errors).length;
    var locked = mode === "before_results" && !S.lead, teaser = mode === "teaser" && !S.lead;
    if (locked) resultBox.hidden = true;
    else if (ok) drawBlocks(compute(state), teaser);
    else resultBox.replaceChildren(make("p", "kvx-locked", "Fix the highlighted answers to see your result."));
    if (ok && S.started) { clearTimeout(completeTimer); completeTimer = setTimeout(completed, 1500); }
  }
  function stepAnswered(state) {
    var box = stepped ? steps[S.step] : form;
    var open = Array.prototype.some.call(box.querySelectorAll(".kvx-field"), function (f) {
      return state.errors[f.getAttribute("data-input")];
    });
    if (!open) unhint();
  }
  function stepVisible(i, state) {
    return Array.prototype.some.call(steps[i].querySelectorAll(".kvx-field"), function (f) {
      return state.visible[f.getAttribute("data-input")];
    });
  }
  function shownSteps(state) {
    var out = [];
    for (var n = 0; n < steps.length; n++) if (stepVisible(n, state)) out.push(n);
    return out;
  }
  function showStep(i, focus) {
    var state = collect(), shown = shownSteps(state), pos = shown.indexOf(i) + 1, last = !stepped || pos >= shown.length;
    var counted = Number(steps[i].getAttribute("data-step"));
    S.step = i;
    unhint();
    steps.forEach(function (s, n) { s.hidden = stepped && n !== i; });
    $("kvx-progress").hidden = !stepped;
    if (stepped) {
      $("kvx-progress-bar").max = shown.length;
      $("kvx-progress-bar").value = pos;
      $("kvx-progress-text").textContent = (quiz ? "Question " : "Step ") + pos + " of " + shown.length;
    }
    $("kvx-back").hidden = !stepped || pos <= 1;
    $("kvx-next").textContent = last ? (mode === "before_results" ? "Continue" : "See my result") : "Next";
    form.hidden = false;
    resultBox.hidden = true;
    if (leadBox) leadBox.hidden = true;
    if (S.started && counted && !S.seen[counted]) { S.seen[counted] = true; beacon("step", counted); }
    if (focus) focusFirst(steps[i]);
    save();
    return state;
  }
  function move(delta) {
    var state = collect(), i = S.step, first = null;
    if (delta > 0) {
      (stepped ? [steps[i]] : Array.prototype.slice.call(steps)).forEach(function (box) {
        box.querySelectorAll(".kvx-field").forEach(function (f) {
          var id = f.getAttribute("data-input");
          showError(id, state.errors[id]);
          if (state.errors[id] && !first) first = f.querySelector("input,select");
        });
      });
      if (first) { hint(); first.focus(); return; }
    }
    started();
    if (!stepped) { if (delta > 0) finishQuiz(state); return; }
    do { i += delta; } while (i > 0 && i < steps.length && !stepVisible(i, state));
    if (i < 0) return;
    if (i >= steps.length) return finishQuiz(state);
    showStep(i, true);
  }
  function finishQuiz(state) {
    unhint();
    form.hidden = true;
    $("kvx-progress").hidden = true;
    if (mode === "before_results") { showLead(); completed(); focusFirst(leadBox); return; }
    fetch(base + "/result", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ answers: answersOf(state) }), credentials: "omit" })
      .then(function (res) { return res.json().then(function (d) { return [res.status, d]; }); })
      .then(function (r) {
        if (r[0] !== 200) { form.hidden = false; announce((r[1] && r[1].detail) || "Something went wrong."); return; }
        completed();
        drawBlocks(r[1].result.blocks, mode === "teaser", r[1].result);
        var again = make("button", "kvx-btn kvx-btn-ghost", "Change my answers", resultBox);
        again.type = "button";
        again.addEventListener("click", function () { showStep(S.step, true); });
        if (mode === "off") forget(); else showLead();
        focusFirst(resultBox);
      })
      .catch(function () { form.hidden = false; announce("We could not reach the server. Please try again."); });
  }

  /* Keyboard: Enter on a choice goes on; 1-9 pick an option; arrows reach the options. */
  function choices() { return steps[S.step].querySelectorAll(".kvx-choices")[0]; }
  function onKey(ev) {
    var t = ev.target, choice = /^(radio|checkbox)$/.test(t.type || ""), group = choices();
    if (ev.key === "Enter" && (choice || !/^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(t.tagName))) {
      ev.preventDefault();  /* on a choice or on the question itself: Next */
      move(1);
      return;
    }
    if (!stepped || !group || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    if (/^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName) && !choice) return;
    var opts = group.querySelectorAll("input"), at = Array.prototype.indexOf.call(opts, t);
    if (/^[1-9]$/.test(ev.key) && opts[ev.key - 1]) {
      var o = opts[ev.key - 1];
      ev.preventDefault();
      o.checked = o.type === "checkbox" ? !o.checked : true;
      o.focus();
      o.dispatchEvent(new Event("change", { bubbles: true }));
    } else if (/^Arrow(Down|Up)$/.test(ev.key) && (at < 0 || t.type === "checkbox")) {
      ev.preventDefault();
      var next = at < 0 ? group.querySelector("input:checked") || opts[0] : opts[(at + (ev.key === "ArrowDown" ? 1 : opts.length - 1)) % opts.length];
      next.focus();
    }
  }
  function begin(focus) {
    body.classList.add("kvx-started");
    if (startButton) startButton.hidden = true;
    form.hidden = false;
    update();
    if (!live) showStep(S.step, focus);
    else {
      if (mode !== "off") showLead();
      if (focus) focusFirst(steps[0]);
    }
    reportHeight();
  }

  form.addEventListener("submit", function (ev) { ev.preventDefault(); if (!live) move(1); });
  if (!live) form.addEventListener("keydown", onKey);
  $("kvx-back").addEventListener("click", function () { move(-1); });
  form.addEventListener("input", function () { started(); update(); save(); });
  form.addEventListener("change", function () { started(); update(); save(); });
  if (leadForm) leadForm.addEventListener("submit", submitLead);
  restore();
  if (startButton && !S.resumed) {
    startButton.addEventListener("click", function () { started(); begin(true); });
  } else begin(false);
  reportHeight();
})();
