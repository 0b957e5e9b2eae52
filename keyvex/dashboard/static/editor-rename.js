/* Keyvex tool editor, part 3: renaming a question, constant, calculation or category updates
   what reads it (formulas, {{placeholders}}, steps, chart series, figures, categories and the
   recorded test cases), so a rename is not refused as a removal. Needs editor-form.js. */
(function () {
  "use strict";
  var form = document.getElementById("tool-editor"), E = window.KeyvexEditor;
  if (!form || !E) return;
  var NAMED = ["inputs", "constants", "calculations", "categories"];
  var LISTS = ["inputs", "series"];  // comma lists of names (steps' questions, chart series)
  var was = new WeakMap();

  function escape(name) { return name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  function named(el) {
    var item = el.closest("[data-item]"), list = item && item.parentElement.closest("[data-list]");
    return el.getAttribute("data-key") === "id" && list && NAMED.indexOf(list.getAttribute("data-list")) >= 0;
  }
  /* Whole-word uses in a formula, outside "quoted text". */
  function inFormula(text, from, to) {
    var word = new RegExp("(^|[^A-Za-z0-9_])" + escape(from) + "(?![A-Za-z0-9_])", "g");
    return text.split(/("(?:[^"\\]|\\.)*")/).map(function (part, i) {
      return i % 2 ? part : part.replace(word, function (m, before) { return before + to; });
    }).join("");
  }
  function rewrite(el, from, to) {
    var key = el.getAttribute("data-key"), kind = el.getAttribute("data-kind"), text = el.value, next = text;
    if (el.hasAttribute("data-formula")) next = inFormula(text, from, to);
    else if (kind === "csv" && LISTS.indexOf(key) >= 0) {
      next = text.split(",").map(function (s) { return s.trim() === from ? to : s.trim(); }).join(", ");
    } else if ((key === "value" && kind === "text") || key === "category") next = text.trim() === from ? to : text;
    else if (kind === "text" || kind === "lines") {
      next = text.replace(new RegExp("\\{\\{\\s*" + escape(from) + "\\s*\\}\\}", "g"), "{{" + to + "}}");
    }
    if (next === text) return 0;
    el.value = next;
    return 1;
  }
  function renameInTests(from, to) {
    var draft = JSON.parse(form.getAttribute("data-orig") || "{}");
    (draft.test_cases || []).forEach(function (tc) {
      ["answers", "expected"].forEach(function (part) {
        if (tc[part] && Object.prototype.hasOwnProperty.call(tc[part], from)) {
          tc[part][to] = tc[part][from];
          delete tc[part][from];
        }
      });
    });
    form.setAttribute("data-orig", JSON.stringify(draft));
  }
  function rename(from, to) {
    var count = 0;
    form.querySelectorAll("[data-key]").forEach(function (el) {
      if (!el.matches("input[type=text], textarea") || named(el)) return;
      count += rewrite(el, from, to);
    });
    renameInTests(from, to);
    if (count) {
      document.getElementById("ed-live").textContent =
        "Renamed '" + from + "' to '" + to + "' in " + count + (count === 1 ? " place." : " places.");
      form.dispatchEvent(new CustomEvent("keyvex-editor-change", { bubbles: true }));
    }
  }

  form.addEventListener("focusin", function (e) {
    if (named(e.target)) was.set(e.target, e.target.value.trim());
  });
  form.addEventListener("change", function (e) {
    var el = e.target, from = was.get(el), to = el.value.trim();
    if (!named(el) || !from || !to || from === to || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(to)) return;
    was.set(el, to);
    rename(from, to);
  });
  E.rename = rename;
})();
