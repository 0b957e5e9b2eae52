/* Keyvex tool editor, part 2: add, remove and reorder items (buttons, Alt+Up/Down, drag),
   announce changes (the keyvex-editor-change event on the form), save the draft as JSON and
   show refused saves next to their fields. Needs editor-form.js; no innerHTML. */
(function () {
  "use strict";
  var form = document.getElementById("tool-editor"), E = window.KeyvexEditor;
  if (!form || !E) return;
  var $ = function (id) { return document.getElementById(id); };
  var meta = document.querySelector('meta[name="csrf-token"]');
  var CSRF = meta ? meta.getAttribute("content") : "";
  var dirty = false, saving = false, dragged = null, errorCount = 0;

  function announce(text) { $("ed-live").textContent = text; }
  function changed() {
    dirty = true;
    form.dispatchEvent(new CustomEvent("keyvex-editor-change", { bubbles: true }));
  }
  function listOf(item) { return item.parentElement.closest("[data-list]"); }
  function firstControl(root) {
    return root.querySelector("input:not([type=hidden]):not([type=checkbox]), select, textarea");
  }

  /* ---- items ---- */
  /* With steps, a new question joins the last step and a removed one leaves its step. */
  function stepFields() {
    return Array.prototype.slice.call(form.querySelectorAll('[data-list="steps"] [data-key="inputs"]'));
  }
  function joinLastStep(node) {
    var fields = stepFields(), id = node.querySelector('[data-key="id"]');
    if (!fields.length || !id) return;
    var last = fields[fields.length - 1];
    last.value = last.value.trim() ? last.value.trim() + ", " + id.value : id.value;
  }
  function leaveSteps(item) {
    var id = item.querySelector('[data-key="id"]');
    stepFields().forEach(function (field) {
      field.value = field.value.split(",").map(function (s) { return s.trim(); })
        .filter(function (s) { return s && s !== id.value.trim(); }).join(", ");
    });
  }
  function add(list, templateId) {
    var tpl = $(templateId);
    if (!tpl) return null;
    var node = tpl.content.firstElementChild.cloneNode(true);
    list.querySelector(":scope > .ed-items").appendChild(node);
    E.prepare(node);
    if (list.getAttribute("data-list") === "inputs") joinLastStep(node);
    E.refresh();
    var first = firstControl(node);
    if (first) first.focus();
    announce("Added " + (node.getAttribute("data-what") || "an item") + ".");
    changed();
    return node;
  }
  var undo = null;  // the last removal: {item, list, before, steps}
  function remove(item) {
    var list = listOf(item), siblings = E.items(list), index = siblings.indexOf(item);
    var what = item.getAttribute("data-what") || "item";
    undo = { item: item, list: list, before: siblings[index + 1] || null,
      steps: stepFields().map(function (f) { return [f, f.value]; }) };
    if (list.getAttribute("data-list") === "inputs") leaveSteps(item);
    item.remove();
    E.refresh();
    var rest = E.items(list), next = rest[Math.min(index, rest.length - 1)];
    var target = next ? next.querySelector("[data-act=remove]") : list.querySelector(":scope > .ed-add [data-act=add]");
    if (target) target.focus();
    $("ed-undo").hidden = false;
    $("ed-undo").textContent = "Undo: put the " + what + " back";
    announce("Removed the " + what + ". Save to keep the change, or undo.");
    changed();
  }
  function putBack() {
    if (!undo) return;
    undo.list.querySelector(":scope > .ed-items").insertBefore(undo.item, undo.before);
    undo.steps.forEach(function (pair) { pair[0].value = pair[1]; });
    E.refresh();
    var button = undo.item.querySelector("[data-act=remove]");
    if (button) button.focus();
    undo = null;
    $("ed-undo").hidden = true;
    announce("Put back.");
    changed();
  }
  function move(item, delta) {
    var siblings = E.items(listOf(item)), from = siblings.indexOf(item), to = from + delta;
    if (to < 0 || to >= siblings.length) {
      announce("Already " + (delta < 0 ? "first." : "last."));
      return;
    }
    var active = document.activeElement;
    if (delta < 0) siblings[to].before(item);
    else siblings[to].after(item);
    E.refresh();
    if (active && item.contains(active)) active.focus();
    announce("Moved to position " + (to + 1) + " of " + siblings.length + ".");
    changed();
  }

  /* Folding hides an item's fields (CSS only: folded fields are still saved). */
  function fold(item, folded) {
    var button = item.querySelector(":scope > .ed-item-tools [data-act=fold]");
    item.classList.toggle("ed-folded", folded);
    button.setAttribute("aria-expanded", String(!folded));
    button.firstChild.textContent = folded ? "Show" : "Hide";
  }
  function unfold(el) {
    for (var item = el.closest("[data-item]"); item; item = item.parentElement.closest("[data-item]")) fold(item, false);
  }
  form.querySelectorAll("[data-list]").forEach(function (list) {  // long lists start folded
    if (E.items(list).length > 3) E.items(list).forEach(function (item) { fold(item, true); });
  });

  $("ed-undo").addEventListener("click", putBack);
  form.addEventListener("click", function (e) {
    var button = e.target.closest("button[data-act]");
    if (!button || !form.contains(button)) return;
    var act = button.getAttribute("data-act"), item = button.closest("[data-item]");
    if (act === "add") {
      var picker = button.parentElement.querySelector("[data-picker]");
      add(button.closest("[data-list]"), picker ? picker.value : button.getAttribute("data-template"));
    } else if (act === "fold" && item) fold(item, !item.classList.contains("ed-folded"));
    else if (act === "remove" && item) remove(item);
    else if ((act === "up" || act === "down") && item) move(item, act === "up" ? -1 : 1);
  });
  document.addEventListener("keydown", function (e) {  // Ctrl+S / Cmd+S saves
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "s") {
      e.preventDefault();
      save();
    }
  });
  form.addEventListener("keydown", function (e) {
    if (!e.altKey || (e.key !== "ArrowUp" && e.key !== "ArrowDown")) return;
    var item = e.target.closest("[data-item]");
    if (!item) return;
    e.preventDefault();
    move(item, e.key === "ArrowUp" ? -1 : 1);
  });

  /* ---- drag and drop (the handle starts it; drops land among the same list's items) ---- */
  function dropTarget(e) {
    var over = dragged && e.target.closest ? e.target.closest("[data-item]") : null;
    while (over && over.parentElement !== dragged.parentElement) over = over.parentElement.closest("[data-item]");
    return over && over !== dragged ? over : null;
  }
  form.addEventListener("dragstart", function (e) {
    var handle = e.target.closest && e.target.closest(".ed-drag");
    if (!handle) return;
    dragged = handle.closest("[data-item]");
    dragged.classList.add("ed-dragging");
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", dragged.getAttribute("data-path") || "");
  });
  form.addEventListener("dragover", function (e) { if (dropTarget(e)) e.preventDefault(); });
  form.addEventListener("drop", function (e) {
    var over = dropTarget(e);
    if (!over) return;
    e.preventDefault();
    var box = over.getBoundingClientRect();
    if (e.clientY > box.top + box.height / 2) over.after(dragged);
    else over.before(dragged);
    E.refresh();
    announce("Moved to position " + (E.items(listOf(dragged)).indexOf(dragged) + 1) + ".");
    changed();
  });
  form.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("ed-dragging");
    dragged = null;
  });

  /* ---- typing ---- */
  form.addEventListener("input", function (e) {
    var el = e.target;
    if (el.hasAttribute("data-autoid") || el.hasAttribute("data-follow")) el.removeAttribute("data-auto");
    if (el.hasAttribute("data-title")) { E.nameFromTitle(el); E.refresh(); }
    if (el.getAttribute("data-key") === "title" && E.scopeOf(el) === form) $("ed-heading").textContent = el.value;
    changed();
  });
  form.addEventListener("change", function (e) {
    var el = e.target;
    if (el.hasAttribute("data-type-select")) el.closest("[data-item]").setAttribute("data-type", el.value);
    if (el.tagName === "SELECT") E.refresh();  // types, kinds and data-show-when rules
    changed();
  });
  window.addEventListener("beforeunload", function (e) {
    if (dirty) { e.preventDefault(); e.returnValue = ""; }
  });

  /* ---- saving ---- */
  function status(text, problem) {
    var el = $("ed-status");
    el.textContent = text;
    el.classList.toggle("field-error", !!problem);
  }
  function clearErrors() {
    form.querySelectorAll(".ed-error").forEach(function (p) { p.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
      var keep = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (id) { return id.indexOf("ed-e-") !== 0; });
      if (keep.length) el.setAttribute("aria-describedby", keep.join(" "));
      else el.removeAttribute("aria-describedby");
    });
    ["ed-problems", "ed-case-list", "ed-follow"].forEach(function (id) { $(id).textContent = ""; });
    ["ed-report-more", "ed-problems", "ed-cases", "ed-follow"].forEach(function (id) { $(id).hidden = true; });
    $("ed-offers").textContent = "";
    $("ed-offers").hidden = true;
  }
  /* The message goes under the field (or at the top of the item or list it names). */
  function mark(target, message) {
    var p = document.createElement("p");
    p.className = "field-error ed-error";
    p.id = "ed-e-" + (++errorCount);
    p.textContent = message;
    for (var more = target.closest("details"); more; more = more.parentElement.closest("details")) more.open = true;
    unfold(target);
    var control = target.matches("input, select, textarea") ? target : null;
    var live = control && control.parentNode.querySelector(".formula-status");
    if (live && live.textContent.indexOf(message) >= 0) {  // the formula help already says it
      control.setAttribute("aria-invalid", "true");
      return control;
    }
    if (control) {
      control.closest(".ed-field").appendChild(p);
      control.setAttribute("aria-invalid", "true");
      control.setAttribute("aria-describedby", ((control.getAttribute("aria-describedby") || "") + " " + p.id).trim());
      return control;
    }
    var place = target.querySelector(":scope > .ed-grid, :scope > .ed-items") || target;
    place.insertBefore(p, place.firstChild);
    return firstControl(target) || target;
  }
  /* The save bar: the root problems first (where + what, each a link to its field), then the
     failing test cases, then what fails only because of them. */
  function item(list, parts) {
    var li = document.createElement("li");
    parts.forEach(function (part) { li.appendChild(part); });
    list.appendChild(li);
    list.hidden = false;
  }
  function text(value) { return document.createTextNode(value); }
  function goTo(where, target) {
    var link = document.createElement("button");
    link.type = "button";
    link.className = "link ed-goto";
    link.textContent = where;
    link.addEventListener("click", function () {
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "center" });
    });
    return link;
  }
  function report(data, marked) {
    var problems = data.problems;
    if (!problems) {  // refusals without a summary (parse errors, removals): what has no field
      problems = (data.errors || []).filter(function (err) { return !marked[err.field]; })
        .map(function (err) { return { field: err.field, where: err.field || "The tool", message: err.message }; });
    }
    problems.forEach(function (p) {
      var target = marked[p.field], where = target ? goTo(p.where, target) : document.createElement("strong");
      if (!target) where.textContent = p.where;
      item($("ed-problems"), [where, text(": " + p.message)]);
    });
    (data.failing_cases || []).forEach(function (line) { item($("ed-case-list"), [text(line)]); });
    if (data.more_cases) item($("ed-case-list"), [text("and " + data.more_cases + " more test case" + (data.more_cases === 1 ? "" : "s") + ".")]);
    $("ed-cases").hidden = !(data.failing_cases || []).length;
    (data.follow_on || []).forEach(function (line) { item($("ed-follow"), [text(line)]); });
    $("ed-report-more").hidden = $("ed-problems").hidden && $("ed-cases").hidden && $("ed-follow").hidden;
    $("ed-report-more").open = !window.matchMedia("(max-width: 40rem)").matches;  // a phone: folded
  }
  function showProblems(data) {
    var first = null, marked = {}, placed = 0;
    (data.errors || []).forEach(function (err) {
      var target = err.field ? E.find(err.field) : null;
      if (!target) return;
      marked[err.field] = mark(target, err.message);
      placed += 1;
      if (!first) first = marked[err.field];
    });
    var note = placed ? (placed === 1 ? " It is marked below its field." : " Each is marked below its field.") : "";
    status((data.detail || "Not saved.") + note, true);
    report(data, marked);
    offers(data.removed || []);
    if (data.results_changed) offer("Update the test cases to the new results and save", function () { save(true); });
    if (first && first.focus) {
      first.focus({ preventScroll: true });
      first.scrollIntoView({ block: "center" });  // above the save bar, not under it
    }
  }
  /* A removed question still used by formulas: keep its name as a constant holding its
     default, so every formula reads the same value as before. */
  function offer(text, action) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary small";
    button.textContent = text;
    button.addEventListener("click", action);
    $("ed-offers").appendChild(button);
    $("ed-offers").hidden = false;
  }
  function offers(removed) {
    removed.filter(function (r) { return r.kind === "input"; }).forEach(function (r) {
      offer("Replace '" + r.name + "' with a constant of " + r.default + " and save", function () { replaceWithConstant(r); });
    });
  }
  function replaceWithConstant(r) {
    var list = form.querySelector('[data-list="constants"]'), node = add(list, "tpl-constant");
    if (!node) return;
    var set = function (key, value) {
      var el = node.querySelector('[data-key="' + key + '"]');
      el.value = String(value);
      el.removeAttribute("data-auto");
    };
    set("id", r.name);
    set("label", r.label);
    set("value", r.default);
    E.refresh();
    save();
  }
  function saved(data) {
    form.setAttribute("data-version", String(data.version));
    $("ed-version").textContent = String(data.version);
    if (data.definition) form.setAttribute("data-orig", JSON.stringify(data.definition));
    dirty = false;
    undo = null;
    $("ed-undo").hidden = true;
    status(data.message || "Saved.");
  }
  /* JSON fields are checked here: the server could only say "must be a list". */
  function badJson() {
    var bad = Array.prototype.filter.call(form.querySelectorAll('[data-kind="json"]'), function (el) {
      if (el.closest("[hidden]")) return false;
      try { JSON.parse(el.value); return false; } catch (e) { mark(el, "This is not valid JSON: " + e.message); return true; }
    });
    if (bad.length) {
      status("Not saved: fix the JSON marked below its field.", true);
      bad[0].focus();
    }
    return bad.length > 0;
  }
  function save(updateTests) {
    if (saving) return;
    clearErrors();
    if (badJson()) return;
    saving = true;
    status("Saving…");
    var body = JSON.stringify({ version: Number(form.getAttribute("data-version")), definition: E.collect(),
      update_tests: updateTests === true });
    fetch(form.getAttribute("data-save-url"), {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": CSRF }
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (res.ok && typeof data.version === "number") saved(data);
        else if (res.status === 422) showProblems(data);
        else if (res.ok || res.redirected) {  // the sign-in page answered: the session ended
          status("Not saved: you are signed out. Sign in again in another tab, then save here.", true);
        } else status(data.detail || "Not saved (error " + res.status + "). Try again.", true);
      });
    }, function () {
      status("Not saved: the server could not be reached. Check your connection and try again.", true);
    }).then(function () { saving = false; });
  }
  form.addEventListener("submit", function (e) { e.preventDefault(); save(); });
  /* /edit#field=results.4.url (the tool page's "give it a real link"): open at that field. */
  function openAt(hash) {
    var m = /^#field=([\w.]+)$/.exec(hash || ""), target = m && E.find(m[1]);
    if (!target) return;
    unfold(target);
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "center" });
  }
  openAt(location.hash);
  addEventListener("hashchange", function () { openAt(location.hash); });

  window.KeyvexEditorActions = { add: add, move: move, remove: remove, save: save };
})();
