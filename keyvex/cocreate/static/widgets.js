/* Keyvex creator widgets: one answer form per question type (select, multiselect, colour pair,
   yes/no/maybe, text, textarea, multipart, data field). Data is written with textContent only. */
(function () {
  "use strict";
  var doc = document, SVG = "http://www.w3.org/2000/svg", HEX = /^#[0-9a-fA-F]{6}$/, seq = 0;
  var YES_NO_MAYBE = [{ value: "yes", label: "Yes" }, { value: "no", label: "No" }, { value: "maybe", label: "Maybe" }];

  function nextId(kind) { seq += 1; return "ccw-" + kind + "-" + seq; }
  function h(tag, attrs, kids) {
    var node = doc.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === false || v === null || v === undefined) return;
      if (k === "text") node.textContent = v; else node.setAttribute(k, v === true ? "" : v);
    });
    (kids || []).forEach(function (kid) {
      if (kid) node.appendChild(typeof kid === "string" ? doc.createTextNode(kid) : kid);
    });
    return node;
  }
  function options(q) {
    if (q.input_type === "yes_no_maybe" && !(q.options || []).length) return YES_NO_MAYBE;
    return q.options || [];
  }
  function blank(v) { return v === null || v === undefined || v === "" || (Array.isArray(v) && !v.length); }

  /* Two colours side by side; SVG fill attributes keep the strict CSP (no style attributes). */
  function swatch(colors) {
    var svg = doc.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 40 20");
    svg.setAttribute("class", "cc-swatch");
    svg.setAttribute("aria-hidden", "true");
    (colors || []).slice(0, 2).forEach(function (c, i) {
      var rect = doc.createElementNS(SVG, "rect");
      rect.setAttribute("x", String(i * 20));
      rect.setAttribute("width", "20");
      rect.setAttribute("height", "20");
      rect.setAttribute("fill", HEX.test(c) ? c : "#cccccc");
      svg.appendChild(rect);
    });
    return svg;
  }
  function customPair(v) {
    if (Array.isArray(v) && v.length === 2 && HEX.test(v[0]) && HEX.test(v[1])) return v;
    var parts = typeof v === "string" ? v.split(/[\s,]+/) : [];
    return parts.length === 2 && HEX.test(parts[0]) && HEX.test(parts[1]) ? parts : null;
  }

  /* The server stores a chosen pair as its two colours: find the option they came from. */
  function pairOption(q, v) {
    var pair = customPair(v), found = null;
    options(q).forEach(function (o) {
      var same = pair && o.colors && o.colors.join(",").toLowerCase() === pair.join(",").toLowerCase();
      if (!found && (o.value === v || same)) found = o;
    });
    return found;
  }

  function group(q, kids, extraClass) {
    return h("fieldset", { class: "cc-group " + (extraClass || "") }, [h("legend", { text: q.prompt })].concat(kids));
  }
  function radio(name, value, checked, labelKids) {
    var input = h("input", { type: "radio", name: name, value: value });
    input.checked = !!checked;
    return { input: input, el: h("label", { class: "cc-option" }, [input].concat(labelKids)) };
  }
  function checkedRadio(el) { return el.querySelector("input[type=radio]:checked"); }

  /* select, yes/no/maybe and colour pair: radios; allow_custom adds "Other" with a text box. */
  function choiceField(q, initial) {
    var name = nextId("q"), isColor = q.input_type === "color_pair", known = false, kids = [];
    options(q).forEach(function (o) {
      var on = isColor ? pairOption(q, initial) === o : initial === o.value;
      known = known || on;
      var label = isColor ? [swatch(o.colors), h("span", { text: o.label })] : [h("span", { text: o.label })];
      kids.push(radio(name, o.value, on, label).el);
    });
    var custom = null, pickers = null, other = null;
    if (isColor) {
      var first = options(q)[0], pair = customPair(initial) || customPair(first && first.colors) || ["#1d4ed8", "#ffffff"];
      other = radio(name, "__custom__", !known && !!customPair(initial), [h("span", { text: "Custom pair" })]);
      pickers = pair.map(function (c, i) {
        var id = nextId("color");
        var input = h("input", { type: "color", id: id, value: c });
        input.addEventListener("input", function () { other.input.checked = true; });
        var label = h("label", { for: id, text: i ? "Second colour" : "First colour" });
        return { input: input, el: h("span", { class: "cc-picker" }, [label, input]) };
      });
      kids.push(h("div", { class: "cc-custom" }, [other.el].concat(pickers.map(function (p) { return p.el; }))));
    } else if (q.allow_custom) {
      var cid = nextId("custom");
      other = radio(name, "__custom__", !known && !blank(initial), [h("span", { text: "Other" })]);
      custom = h("input", { type: "text", id: cid, maxlength: "200", "aria-label": "Your own answer",
        placeholder: q.placeholder || "Your own answer" });
      custom.value = !known && typeof initial === "string" ? initial : "";
      custom.addEventListener("input", function () { other.input.checked = custom.value !== ""; });
      kids.push(h("div", { class: "cc-custom" }, [other.el, custom]));
    }
    var el = group(q, [h("div", { class: isColor ? "cc-options cc-colors" : "cc-options" }, kids)]);
    return {
      el: el,
      value: function () {
        var picked = checkedRadio(el);
        if (!picked) return null;
        if (picked.value !== "__custom__") return picked.value;
        if (pickers) return pickers.map(function (p) { return p.input.value.toLowerCase(); });
        return custom.value.trim();
      },
      check: function () { return blank(this.value()) ? "Choose one of the options." : ""; },
      focus: function () { (checkedRadio(el) || el.querySelector("input")).focus(); }
    };
  }

  /* multiselect: checkbox chips; max_selections disables the rest once reached. */
  function chipsField(q, initial) {
    var picked = Array.isArray(initial) ? initial : [], max = q.max_selections || 0, box = h("div", { class: "cc-chips" });
    var hint = max ? h("p", { class: "hint", text: "Choose up to " + max + "." }) : null;
    function chip(value, label, on) {
      var input = h("input", { type: "checkbox", value: value });
      input.checked = on;
      box.appendChild(h("label", { class: "cc-chip" }, [input, h("span", { text: label })]));
    }
    var known = {};
    (q.options || []).forEach(function (o) { known[o.value] = true; chip(o.value, o.label, picked.indexOf(o.value) >= 0); });
    picked.forEach(function (v) { if (!known[v]) chip(v, v, true); });
    function boxes() { return Array.prototype.slice.call(box.querySelectorAll("input")); }
    function limit() {
      var n = boxes().filter(function (b) { return b.checked; }).length;
      boxes().forEach(function (b) { b.disabled = !!max && n >= max && !b.checked; });
    }
    box.addEventListener("change", limit);
    var kids = [hint, box];
    if (q.allow_custom) {
      var id = nextId("add"), add = h("input", { type: "text", id: id, maxlength: "100", placeholder: q.placeholder || "" });
      var addButton = h("button", { type: "button", class: "small secondary", text: "Add" });
      var addOwn = function () {
        var v = add.value.trim();
        if (!v) return;
        chip(v, v, !max || boxes().filter(function (b) { return b.checked; }).length < max);
        add.value = "";
        limit();
      };
      addButton.addEventListener("click", addOwn);
      add.addEventListener("keydown", function (e) {  // Enter adds the chip instead of sending
        if (e.key === "Enter") { e.preventDefault(); e.stopPropagation(); addOwn(); }
      });
      kids.push(h("div", { class: "cc-add" }, [h("label", { for: id, text: "Add your own" }), add, addButton]));
    }
    limit();
    return {
      el: group(q, kids),
      value: function () { return boxes().filter(function (b) { return b.checked; }).map(function (b) { return b.value; }); },
      check: function () { return this.value().length ? "" : "Choose at least one."; },
      focus: function () { var b = boxes(); if (b.length) b[0].focus(); }
    };
  }

  /* text (with suggestion chips), textarea and data-field select: one labelled control. */
  function controlField(q, initial) {
    var id = nextId("in"), control, extra = null, t = q.input_type;
    if (t === "textarea") {
      control = h("textarea", { id: id, rows: "4", maxlength: "4000", placeholder: q.placeholder || "" });
    } else if (t === "data_field") {
      control = h("select", { id: id }, [h("option", { value: "", text: "Choose a column" })]);
      (q.options || []).forEach(function (o) { control.appendChild(h("option", { value: o.value, text: o.label || o.value })); });
    } else {
      control = h("input", { type: "text", id: id, maxlength: "500", autocomplete: "off", placeholder: q.placeholder || "" });
      var hints = (q.suggestions && q.suggestions.length) ? q.suggestions : (q.options || []).map(function (o) { return o.label; });
      if (hints.length) {
        extra = h("div", { class: "cc-suggestions", role: "group", "aria-label": "Suggestions" });
        hints.forEach(function (s) {
          var b = h("button", { type: "button", class: "cc-suggestion", text: s });
          b.addEventListener("click", function () { control.value = s; control.focus(); });
          extra.appendChild(b);
        });
      }
    }
    control.value = blank(initial) ? "" : String(initial);
    var hint = t === "textarea" ? h("p", { class: "hint", text: "Ctrl+Enter sends." }) : null;
    return {
      el: h("div", { class: "cc-group" }, [h("label", { for: id, text: q.prompt }), control, extra, hint]),
      value: function () { return control.value.trim(); },
      check: function () { return this.value() ? "" : (t === "data_field" ? "Choose a column." : "Type an answer."); },
      focus: function () { control.focus(); }
    };
  }

  /* multipart: one sub-question at a time, or all of them with "See all". */
  function stepper(q, initial, setSubmit) {
    var start = initial && typeof initial === "object" && !Array.isArray(initial) ? initial : {};
    var parts = (q.parts || []).map(function (p) { return field(p, start[p.id] !== undefined ? start[p.id] : p.default); });
    var step = 0, all = false, count = h("p", { class: "cc-step-count", "aria-live": "polite" });
    var back = h("button", { type: "button", class: "small secondary", text: "Back" });
    var toggle = h("button", { type: "button", class: "small secondary", "aria-pressed": "false", text: "See all" });
    var boxes = parts.map(function (p) { return h("div", { class: "cc-part" }, [p.el]); });
    function draw() {
      boxes.forEach(function (b, i) { b.hidden = !all && i !== step; });
      back.hidden = all || step === 0;
      count.textContent = all ? "All " + parts.length + " parts" : "Part " + (step + 1) + " of " + parts.length;
      toggle.textContent = all ? "One at a time" : "See all";
      toggle.setAttribute("aria-pressed", all ? "true" : "false");
      setSubmit(all || step === parts.length - 1 ? null : "Next");
    }
    function go(i) { step = i; draw(); parts[step].focus(); }
    back.addEventListener("click", function () { go(step - 1); });
    toggle.addEventListener("click", function () { all = !all; draw(); parts[all ? 0 : step].focus(); });
    draw();
    return {
      el: group(q, [h("div", { class: "cc-step-bar" }, [count, toggle])]
        .concat(boxes, [h("div", { class: "actions" }, [back])]), "cc-multipart"),
      value: function () {
        var out = {};
        q.parts.forEach(function (p, i) { out[p.id] = parts[i].value(); });
        return out;
      },
      check: function () {
        for (var i = 0; i < parts.length; i++) {
          var msg = parts[i].check();
          if (msg) { if (!all) go(i); else parts[i].focus(); return q.parts[i].prompt + ": " + msg; }
        }
        return "";
      },
      advance: function () {
        if (all || step === parts.length - 1) return false;
        var msg = parts[step].check();
        if (!msg) go(step + 1);
        return msg || true;
      },
      focus: function () { parts[all ? 0 : step].focus(); }
    };
  }

  function field(q, initial, setSubmit) {
    switch (q.input_type) {
      case "multiselect": return chipsField(q, initial);
      case "select": case "yes_no_maybe": case "color_pair": return choiceField(q, initial);
      case "multipart": return stepper(q, initial, setSubmit || function () {});
      default: return controlField(q, initial);
    }
  }

  /* The answer form. opts: initial (else the question's default, pre-filled so that Enter
     accepts the suggestion), submitLabel, onSubmit(value) -> Promise, onCancel. */
  function form(q, opts) {
    var initial = blank(opts.initial) ? q.default : opts.initial, label = opts.submitLabel || "Send answer", errId = nextId("err");
    var submit = h("button", { type: "submit", text: label }), error = h("p", { class: "field-error", id: errId, role: "alert" });
    var f = field(q, initial, function (next) { submit.textContent = next || label; });
    var actions = h("div", { class: "actions" }, [submit]);
    if (opts.onCancel) {
      var cancel = h("button", { type: "button", class: "secondary", text: "Cancel" });
      cancel.addEventListener("click", opts.onCancel);
      actions.appendChild(cancel);
    }
    var el = h("form", { class: "cc-form", "data-question": q.id, "aria-describedby": errId, novalidate: true },
      [f.el, error, actions]);
    function fail(msg) { error.textContent = msg || ""; el.classList.toggle("has-error", !!msg); }
    el.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && opts.onCancel) { e.preventDefault(); opts.onCancel(); return; }
      if (e.key !== "Enter" || e.isComposing) return;
      var t = e.target, box = t.type === "radio" || t.type === "checkbox" || t.tagName === "SELECT";
      if (box || (t.tagName === "TEXTAREA" && (e.ctrlKey || e.metaKey))) { e.preventDefault(); el.requestSubmit(); }
    });
    el.addEventListener("submit", function (e) {
      e.preventDefault();
      if (submit.disabled) return;
      var step = f.advance ? f.advance() : false;
      if (step) { fail(step === true ? "" : step); return; }
      var msg = f.check();
      fail(msg);
      if (msg) { f.focus(); return; }
      submit.disabled = true;
      Promise.resolve(opts.onSubmit(f.value())).catch(function (err) {
        fail(err && err.message ? err.message : "That did not work. Try again.");
        f.focus();
      }).then(function () { submit.disabled = false; });
    });
    return { el: el, focus: function () { f.focus(); }, fail: fail };
  }

  /* Plain text of an answer, using option labels. */
  function text(q, v) {
    if (blank(v)) return "No answer";
    var labels = {};
    options(q).forEach(function (o) { labels[o.value] = o.label; });
    if (q.input_type === "multipart" && typeof v === "object") {
      return (q.parts || []).map(function (p) { return p.prompt + ": " + text(p, v[p.id]); }).join("; ");
    }
    if (q.input_type === "color_pair") {
      var known = pairOption(q, v);
      return known ? known.label : "Custom pair " + (customPair(v) || []).join(" and ");
    }
    if (Array.isArray(v)) return v.map(function (x) { return labels[x] || String(x); }).join(", ");
    return labels[v] || String(v);
  }
  function summary(q, v) {
    var node = h("span", { class: "cc-answer" });
    if (q.input_type === "color_pair") {
      var known = pairOption(q, v), colors = known ? known.colors : customPair(v);
      if (colors) node.appendChild(swatch(colors));
    }
    node.appendChild(doc.createTextNode(text(q, v)));
    return node;
  }

  window.KeyvexWidgets = { form: form, summary: summary, text: text, h: h };
})();
