// Formula help in the tool editor: autocomplete of names and functions, each formula's
// problem shown at its position as you type, and its live value on sample answers.
//
// Works on every <textarea data-formula data-path="..."> inside <form id="tool-editor">,
// including ones added later. The draft comes from window.KeyvexEditor.collect(); the form's
// data-check-url answers {formulas: [{path, source, problems, value, error}], names, functions}.
// Everything from the server is written with textContent.
(function () {
  "use strict";
  var form = document.getElementById("tool-editor");
  if (!form) return;
  var url = form.getAttribute("data-check-url");
  var names = [];
  var functions = [];
  try { functions = JSON.parse(form.getAttribute("data-functions") || "[]"); } catch (e) { functions = []; }
  var timer = null;
  var sent = 0;
  var MAX_SUGGESTIONS = 8;

  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) return meta.getAttribute("content");
    var input = form.querySelector('input[name="csrf_token"]') ||
      document.querySelector('input[name="csrf_token"]');
    return input ? input.value : "";
  }

  function fields() {
    return Array.prototype.slice.call(form.querySelectorAll("textarea[data-formula]"));
  }

  function slug(path) { return "fx-" + String(path).replace(/[^A-Za-z0-9_-]/g, "-"); }

  function statusFor(field) {
    var id = slug(field.getAttribute("data-path")) + "-status";
    var box = document.getElementById(id);
    if (!box) {
      box = document.createElement("div");
      box.id = id;
      box.className = "formula-status";
      box.setAttribute("aria-live", "polite");
    }
    if (box.parentNode !== field.parentNode) {
      field.parentNode.insertBefore(box, field.nextSibling);
      var described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (described.indexOf(id) < 0) described.push(id);
      field.setAttribute("aria-describedby", described.join(" "));
    }
    return box;
  }

  // ---- checking -------------------------------------------------------------------------

  function schedule() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(check, 300);
  }

  function check() {
    if (!url || !window.KeyvexEditor || !window.KeyvexEditor.collect) return;
    var draft;
    try { draft = window.KeyvexEditor.collect(); } catch (e) { return; }
    var mine = ++sent;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("Content-Type", "application/json");
    xhr.setRequestHeader("X-CSRF-Token", csrf());
    xhr.onload = function () {
      if (mine !== sent || xhr.status !== 200) return;  // a newer check is on its way
      var report;
      try { report = JSON.parse(xhr.responseText); } catch (e) { return; }
      names = report.names || [];
      if (report.functions) functions = report.functions;
      show(report.formulas || []);
    };
    xhr.send(JSON.stringify({ draft: draft }));
  }

  function show(formulas) {
    var byPath = {};
    formulas.forEach(function (status) { byPath[status.path] = status; });
    fields().forEach(function (field) {
      var status = byPath[field.getAttribute("data-path")];
      var box = statusFor(field);
      box.textContent = "";
      field.removeAttribute("aria-invalid");
      field.classList.remove("formula-bad");
      if (!status) return;
      var errors = (status.problems || []).filter(function (p) { return p.severity === "error"; });
      var warnings = (status.problems || []).filter(function (p) { return p.severity !== "error"; });
      if (errors.length) {
        field.setAttribute("aria-invalid", "true");
        field.classList.add("formula-bad");
        errors.slice(0, 3).forEach(function (p) { box.appendChild(problem(field, status.source, p)); });
      } else if (status.error) {
        box.appendChild(line("formula-error", status.error));
      } else if (status.value !== null && status.value !== undefined && status.value !== "") {
        box.appendChild(line("formula-value", "= " + status.value + " on sample answers"));
      }
      warnings.slice(0, 2).forEach(function (p) { box.appendChild(problem(field, status.source, p)); });
    });
  }

  function line(cls, text) {
    var p = document.createElement("p");
    p.className = cls;
    p.textContent = text;
    return p;
  }

  function problem(field, source, p) {
    var wrap = document.createElement("div");
    wrap.className = p.severity === "error" ? "formula-error" : "formula-warning";
    var message = document.createElement("p");
    // The language counts positions from 0; people count characters from 1.
    message.textContent = String(p.message).replace(/at position (\d+)/, function (_, n) {
      return "at character " + (Number(n) + 1);
    });
    wrap.appendChild(message);
    if (typeof p.position === "number" && source) {
      var at = Math.max(0, Math.min(p.position, source.length));
      var echo = document.createElement("code");
      echo.className = "formula-echo";
      var before = document.createElement("span");
      before.textContent = source.slice(0, at);
      var mark = document.createElement("mark");
      mark.textContent = source.slice(at, at + 1) || " ";
      var after = document.createElement("span");
      after.textContent = source.slice(at + 1);
      echo.appendChild(before); echo.appendChild(mark); echo.appendChild(after);
      wrap.appendChild(echo);
      var go = document.createElement("button");
      go.type = "button";
      go.className = "link formula-goto";
      go.textContent = "Go to character " + (at + 1);
      go.addEventListener("click", function () {
        field.focus();
        field.setSelectionRange(at, Math.min(at + 1, field.value.length));
      });
      wrap.appendChild(go);
    }
    return wrap;
  }

  // ---- autocomplete ---------------------------------------------------------------------

  var list = document.createElement("ul");
  list.className = "formula-suggest";
  list.id = "formula-suggest";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Names and functions");
  list.hidden = true;
  var owner = null;
  var active = -1;
  var options = [];

  function prefixOf(field) {
    var upto = field.value.slice(0, field.selectionStart);
    var match = /[A-Za-z_][A-Za-z0-9_]*$/.exec(upto);
    if (!match) return null;
    var inQuotes = (upto.slice(0, match.index).split('"').length - 1) % 2 === 1;
    return inQuotes ? null : { text: match[0], start: match.index };
  }

  function candidates(prefix) {
    var lower = prefix.toLowerCase();
    var found = [];
    names.forEach(function (n) {
      if (n.name.toLowerCase().indexOf(lower) === 0 && n.name !== prefix) {
        found.push({ insert: n.name, label: n.name, hint: n.kind + (n.label ? ": " + n.label : "") });
      }
    });
    functions.forEach(function (f) {  /* {name, summary: "NAME(args): what it gives"} */
      if (f.name.toLowerCase().indexOf(lower) !== 0) return;
      var cut = (f.summary || "").indexOf("): ");
      var signature = cut > 0 ? f.summary.slice(0, cut + 1) : f.name + "( )";
      var gives = cut > 0 ? f.summary.slice(cut + 3) : "function";
      found.push({ insert: f.name + "(", label: signature, hint: gives });
    });
    return found.slice(0, MAX_SUGGESTIONS);
  }

  function close() {
    list.hidden = true;
    active = -1;
    options = [];
    if (owner) {
      owner.setAttribute("aria-expanded", "false");
      owner.removeAttribute("aria-activedescendant");
    }
  }

  function open(field) {
    var prefix = prefixOf(field);
    options = prefix ? candidates(prefix.text) : [];
    if (!options.length) { close(); return; }
    owner = field;
    field.setAttribute("aria-controls", list.id);
    field.setAttribute("aria-autocomplete", "list");
    field.setAttribute("aria-expanded", "true");
    list.textContent = "";
    options.forEach(function (option, i) {
      var li = document.createElement("li");
      li.id = "formula-suggest-" + i;
      li.setAttribute("role", "option");
      var name = document.createElement("span");
      name.className = "formula-suggest-name";
      name.textContent = option.label;
      var hint = document.createElement("span");
      hint.className = "formula-suggest-hint";
      hint.textContent = option.hint;
      li.appendChild(name); li.appendChild(hint);
      li.addEventListener("mousedown", function (event) { event.preventDefault(); accept(i); });
      list.appendChild(li);
    });
    field.parentNode.insertBefore(list, field.nextSibling);
    list.hidden = false;
    highlight(0);
  }

  function highlight(i) {
    active = i;
    Array.prototype.forEach.call(list.children, function (li, n) {
      li.setAttribute("aria-selected", n === i ? "true" : "false");
    });
    if (owner && i >= 0) owner.setAttribute("aria-activedescendant", "formula-suggest-" + i);
  }

  function accept(i) {
    var field = owner;
    var option = options[i];
    var prefix = field && prefixOf(field);
    if (!field || !option || !prefix) { close(); return; }
    var end = field.selectionStart;
    field.value = field.value.slice(0, prefix.start) + option.insert + field.value.slice(end);
    var caret = prefix.start + option.insert.length;
    field.setSelectionRange(caret, caret);
    close();
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  form.addEventListener("input", function (event) {
    var field = event.target;
    if (field.matches && field.matches("textarea[data-formula]")) open(field);
    schedule();
  });
  form.addEventListener("change", schedule);
  form.addEventListener("keyvex-editor-change", schedule);
  form.addEventListener("keydown", function (event) {
    if (list.hidden || event.target !== owner) return;
    if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % options.length); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + options.length) % options.length); }
    else if (event.key === "Enter" || event.key === "Tab") { event.preventDefault(); accept(active); }
    else if (event.key === "Escape") { event.preventDefault(); close(); }
  });
  form.addEventListener("focusout", function (event) { if (event.target === owner) close(); });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", check);
  else check();
})();
