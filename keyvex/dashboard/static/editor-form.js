/* Keyvex tool editor, part 1: reads the form into a draft ToolDefinition
   (window.KeyvexEditor.collect()), names every control by its data-path (inputs.2.label), shows
   the fields a question type or tool kind uses, and gives new items unique names.
   Conventions are in dashboard/_editor_macros.html. No innerHTML. */
(function () {
  "use strict";
  var form = document.getElementById("tool-editor");
  if (!form) return;
  var SCOPE = "[data-item],[data-obj],#tool-editor";
  var NUMERIC = ["number", "currency", "percent", "slider"];
  var RESERVED = ["and", "or", "not", "true", "false", "score", "score_percent", "max_score"];
  var counter = 0;

  function parse(text, fallback) {
    try { return JSON.parse(text); } catch (e) { return fallback; }
  }
  function trim(s) { return s.trim(); }
  function num(text) {
    var t = text.trim(), n = Number(t);
    return t !== "" && isFinite(n) ? n : t;  // not a number: the server names the field
  }
  function pointsMap(text) {
    var out = {}, bad = false;
    text.split(",").map(trim).filter(Boolean).forEach(function (part) {
      var kv = part.split(":");
      if (kv.length !== 2 || !kv[0].trim()) bad = true;
      else out[kv[0].trim()] = num(kv[1]);
    });
    return bad ? text : out;
  }
  var READ = {
    text: function (v) { return v; },
    ntext: function (v) { return v.trim() === "" ? null : v.trim(); },
    otext: function (v) { return v.trim() === "" ? undefined : v.trim(); },
    num: function (v) { return v.trim() === "" ? null : num(v); },
    onum: function (v) { return v.trim() === "" ? undefined : num(v); },
    int: function (v) { return v.trim() === "" ? undefined : num(v); },
    csv: function (v) { return v.split(",").map(trim).filter(Boolean); },
    lines: function (v) { return v.split("\n").map(trim).filter(Boolean); },
    pointsmap: pointsMap,
    json: function (v) { return parse(v, v); },
    value: function (v) {
      var t = v.trim();
      if (/^(true|false)$/i.test(t)) return t.toLowerCase() === "true";
      return t !== "" && isFinite(Number(t)) ? Number(t) : v;
    }
  };
  function answer(text, type) {
    var t = text.trim();
    if (t === "") return null;
    if (type === "multiselect") return t.split(",").map(trim).filter(Boolean);
    if (NUMERIC.indexOf(type) >= 0) return num(t);
    if (/^(true|false)$/i.test(t) && type === "yes_no") return t.toLowerCase() === "true";
    return t;
  }

  function scopeOf(el) { return el.parentElement.closest(SCOPE); }
  function keyOf(el) {
    return el.getAttribute("data-key") || el.getAttribute("data-list") || el.getAttribute("data-obj");
  }
  function hiddenWithin(el, scope) {
    for (var node = el; node && node !== scope; node = node.parentElement) if (node.hidden) return true;
    return false;
  }
  function items(list) {
    var box = list.querySelector(":scope > .ed-items");
    return box ? Array.prototype.filter.call(box.children, function (c) { return c.hasAttribute("data-item"); }) : [];
  }
  function put(obj, key, value) {
    if (value === undefined) delete obj[key];
    else obj[key] = value;
  }
  function readObject(el) {
    var present = el.querySelector(":scope > .ed-field [data-present]");
    if (el.hasAttribute("data-optional") && present && !present.checked) return null;
    return readScope(el);
  }
  /* A scope's value: its original JSON (keeps what the editor does not show) overlaid with
     its controls; a control hidden by a type or kind switch removes its key. */
  function readScope(scope) {
    var obj = parse(scope.getAttribute("data-orig") || "{}", {}) || {};
    var answers = [];
    scope.querySelectorAll("[data-key],[data-list],[data-obj]").forEach(function (el) {
      if (scopeOf(el) !== scope) return;
      var key = keyOf(el);
      if (hiddenWithin(el, scope)) delete obj[key];
      else if (el.hasAttribute("data-list")) obj[key] = items(el).map(readScope);
      else if (el.hasAttribute("data-obj")) obj[key] = readObject(el);
      else if (el.getAttribute("data-kind") === "answer") answers.push(el);
      else if (el.type === "checkbox") obj[key] = el.checked;
      else put(obj, key, (READ[el.getAttribute("data-kind")] || READ.text)(el.value));
    });
    answers.forEach(function (el) {  // blank keeps a blank original (none or an empty list)
      var key = el.getAttribute("data-key"), was = obj[key];
      var blank = was === null || was === undefined || (Array.isArray(was) && !was.length);
      obj[key] = el.value.trim() === "" && blank ? (was === undefined ? null : was) : answer(el.value, obj.type);
    });
    return obj;
  }

  function pathOf(el) {
    var parts = el.hasAttribute("data-item") ? [] : [keyOf(el)], node = el;
    while (node && node !== form) {
      if (node.hasAttribute("data-item")) {
        var list = node.parentElement.closest("[data-list]");
        parts.unshift(list.getAttribute("data-list"), String(items(list).indexOf(node)));
        node = list;
      } else if (node !== el && node.hasAttribute("data-obj")) {
        parts.unshift(node.getAttribute("data-obj"));
      }
      node = node.parentElement;
    }
    return parts.join(".");
  }
  function titles() {
    form.querySelectorAll("[data-item]").forEach(function (item) {
      var legend = item.querySelector(":scope > legend"), list = item.parentElement.closest("[data-list]");
      var source = Array.prototype.find.call(item.querySelectorAll("[data-title]"), function (el) {
        return scopeOf(el) === item;
      });
      var what = item.getAttribute("data-what") || "item";
      var text = what.charAt(0).toUpperCase() + what.slice(1) + " " + (items(list).indexOf(item) + 1);
      if (source && source.value.trim()) text += ": " + source.value.trim();
      legend.textContent = text;
    });
  }
  function visibility() {
    var kindSelect = form.querySelector("[data-kind-select]"), kind = kindSelect ? kindSelect.value : "";
    form.setAttribute("data-kind", kind);
    var quiz = form.querySelector('[data-obj="scoring"] [data-key="quiz_type"]');
    var mode = kind === "quiz" && quiz && quiz.value ? "quiz-" + quiz.value : kind;
    form.querySelectorAll("[data-show-kinds]").forEach(function (el) {  // "quiz assessment"
      var kinds = el.getAttribute("data-show-kinds").split(" ");
      el.hidden = kinds.indexOf(kind) < 0 && kinds.indexOf(mode) < 0;  // or "quiz-outcome"
    });
    form.querySelectorAll("[data-show-when]").forEach(function (el) {  // "source=calculations"
      var rule = el.getAttribute("data-show-when").split("="), scope = el.closest("[data-item]") || form;
      var control = Array.prototype.find.call(scope.querySelectorAll('[data-key="' + rule[0] + '"]'), function (c) {
        return scopeOf(c) === scope;
      });
      el.hidden = !!control && rule[1].split(" ").indexOf(control.value) < 0;
    });
    form.querySelectorAll("[data-show-types]").forEach(function (el) {
      var item = el.closest("[data-item]"), type = item ? item.getAttribute("data-type") : "";
      el.hidden = el.getAttribute("data-show-types").split(" ").indexOf(type) < 0;
    });
  }
  /* Hints that list the names a field may use: <p data-names="inputs">. */
  function names() {
    form.querySelectorAll("[data-names]").forEach(function (hint) {
      var list = form.querySelector('[data-list="' + hint.getAttribute("data-names") + '"]');
      var ids = list ? items(list).map(function (item) {
        var id = item.querySelector('[data-key="id"]');
        return id ? id.value.trim() : "";
      }).filter(Boolean) : [];
      hint.textContent = ids.length ? "Names: " + ids.join(", ") : "None yet.";
    });
  }
  function refresh() {
    form.querySelectorAll("[data-key],[data-list],[data-obj],[data-item]").forEach(function (el) {
      el.setAttribute("data-path", pathOf(el));
    });
    titles();
    visibility();
    names();
  }

  function slug(text, fallback) {
    var s = text.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 40);
    if (!s) s = fallback;
    if (/^[0-9]/.test(s)) s = "_" + s;
    return RESERVED.indexOf(s) >= 0 ? s + "_1" : s;
  }
  /* A name no other item uses: "monthly_visitors", or "q3" for an unnamed question. */
  function uniqueId(stem, self, numbered) {
    var taken = {};
    form.querySelectorAll("[data-autoid]").forEach(function (el) { if (el !== self) taken[el.value] = true; });
    if (!numbered && !taken[stem]) return stem;
    for (var n = numbered ? 1 : 2; ; n++) if (!taken[stem + "_" + n]) return stem + "_" + n;
  }
  function nameFromTitle(titleEl) {
    var item = titleEl.closest("[data-item]");
    var follow = item && item.querySelector("[data-follow][data-auto]");
    if (follow && scopeOf(follow) === item) follow.value = slug(titleEl.value, "option");
    var idEl = item && item.querySelector("[data-autoid][data-auto]");
    if (!idEl || scopeOf(idEl) !== item) return;
    var prefix = idEl.getAttribute("data-autoid"), before = idEl.value;
    idEl.value = uniqueId(slug(titleEl.value, prefix), idEl);
    if (before && before !== idEl.value && window.KeyvexEditor.rename) window.KeyvexEditor.rename(before, idEl.value);
  }
  /* New items (and the page at load): hints described by id, unnamed items named. */
  function prepare(root) {
    root.querySelectorAll(".ed-field").forEach(function (field) {
      var control = field.querySelector(":scope > input, :scope > select, :scope > textarea");
      var label = field.querySelector(":scope > .ed-label"), hint = field.querySelector(":scope > .hint");
      if (control && label) {
        control.id = "ed-c-" + (++counter);
        label.htmlFor = control.id;
      }
      control = control || field.querySelector("input");
      if (!control || !hint) return;
      hint.id = "ed-h-" + (++counter);
      control.setAttribute("aria-describedby", hint.id);
    });
    root.querySelectorAll("[data-follow]").forEach(function (el) {
      if (!el.value) el.setAttribute("data-auto", "");
    });
    root.querySelectorAll("[data-autoid]").forEach(function (el) {
      if (el.value) return;
      el.setAttribute("data-auto", "");
      el.value = uniqueId(el.getAttribute("data-autoid"), el, true);
    });
  }
  function find(path) {
    var parts = path.split(".");
    for (var n = parts.length; n > 0; n--) {
      var el = form.querySelector('[data-path="' + CSS.escape(parts.slice(0, n).join(".")) + '"]');
      if (el && !el.closest("[hidden]")) return el;
    }
    return null;
  }

  prepare(form);
  refresh();
  window.KeyvexEditor = {
    collect: function () { return readScope(form); },
    items: items, refresh: refresh, prepare: prepare, find: find, pathOf: pathOf,
    nameFromTitle: nameFromTitle, scopeOf: scopeOf
  };
})();
