// Live WCAG contrast check for the theme form on the tool page (progressive enhancement:
// the server still verifies contrast when the colours are saved). Same formula as
// keyvex/tools/_contrast.py: relative luminance, ratio (L1 + 0.05) / (L2 + 0.05), AA = 4.5.
"use strict";
(function () {
  var AA_TEXT = 4.5;
  var PAIRS = [
    // [foreground input name, background input name, what the pair is]
    ["text", "background", "Text on the page background"],
    ["button_text", "primary", "Button text on buttons"],
  ];

  function channel(value) {
    var c = value / 255;
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }

  function luminance(colour) {
    if (!/^#[0-9a-fA-F]{6}$/.test(colour)) return null;
    var r = parseInt(colour.slice(1, 3), 16);
    var g = parseInt(colour.slice(3, 5), 16);
    var b = parseInt(colour.slice(5, 7), 16);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  }

  function ratio(first, second) {
    var a = luminance(first);
    var b = luminance(second);
    if (a === null || b === null) return null;
    var high = Math.max(a, b);
    var low = Math.min(a, b);
    return (high + 0.05) / (low + 0.05);
  }

  function setUp(form) {
    var checks = [];
    PAIRS.forEach(function (pair) {
      var fg = form.elements.namedItem(pair[0]);
      var bg = form.elements.namedItem(pair[1]);
      if (!fg || !bg) return;
      var output = document.createElement("p");
      output.className = "dash-contrast";
      output.id = "contrast-" + pair[0];
      output.setAttribute("aria-live", "polite");
      var field = fg.closest(".field") || fg.parentNode;
      field.appendChild(output);
      var described = fg.getAttribute("aria-describedby");
      fg.setAttribute("aria-describedby", (described ? described + " " : "") + output.id);
      checks.push({ fg: fg, bg: bg, output: output, label: pair[2] });
    });
    function update() {
      checks.forEach(function (check) {
        var value = ratio(check.fg.value, check.bg.value);
        if (value === null) {
          check.output.textContent = check.label + ": enter colours as #rrggbb.";
          check.output.setAttribute("data-contrast", "unknown");
          return;
        }
        var ok = value >= AA_TEXT;
        check.output.textContent =
          check.label + ": contrast " + value.toFixed(2) + ":1, " +
          (ok ? "AA ok" : "too low (needs at least 4.5:1)");
        check.output.setAttribute("data-contrast", ok ? "ok" : "low");
      });
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  }

  function start() {
    var forms = document.querySelectorAll("form.dash-colours");
    for (var i = 0; i < forms.length; i++) setUp(forms[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
