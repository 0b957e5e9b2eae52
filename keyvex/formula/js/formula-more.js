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

/* Finance: IRR, XIRR, MIRR, RATE, NPER, IPMT, PPMT, CUMIPMT, CUMPRINC, EFFECT, NOMINAL, XNPV,
   SLN, DDB. Step for step the same as keyvex/formula/_fn_finance.py (see its docstring). */
(function (K) {
  "use strict";
  var L = K.lib, fail = L.fail, num = L.num, nums = L.nums, fin = L.fin;
  var MAX_STEPS = 100, STEP = 1e-12, MAX_PERIODS = 100000;

  function exp(x) {
    if (x > 709) fail("NUM", "The result is too large to be a number");
    return Math.exp(x);
  }
  // [(1 + r) ^ n, ((1 + r) ^ n - 1) / r], exact at tiny rates.
  function growth(r, n) {
    if (!(r > -1)) fail("NUM", "A rate must be above -100%");
    if (r === 0) return [1, n];
    var x = n * Math.log1p(r);
    return [exp(x), Math.expm1(x) / r];
  }
  function when(v) { return num(v) === 0 ? 0 : 1; }
  function numbers(a, count) {
    var out = a.map(num);
    while (out.length < count) out.push(0);
    return out;
  }
  function payment(r, n, pv, fv, t) {
    if (n === 0) fail("NUM", "The number of periods must not be 0");
    var g = growth(r, n);
    return fin(-(pv * g[0] + fv) / ((1 + r * t) * g[1]));
  }
  function future(r, n, pmt, pv, t) {
    var g = growth(r, n);
    return fin(-(pv * g[0] + pmt * (1 + r * t) * g[1]));
  }
  function checkPeriod(per, n) {
    if (per < 1 || per > n) fail("NUM", "The period must be between 1 and the number of periods");
  }
  function interest(r, per, n, pv, fv, t) {
    checkPeriod(per, n);
    var pmt = payment(r, n, pv, fv, t), i;
    if (per === 1) i = t ? 0 : -pv;
    else if (t) i = future(r, per - 2, pmt, pv, 1) - pmt;
    else i = future(r, per - 1, pmt, pv, 0);
    return fin(i * r);
  }
  function principal(r, per, n, pv, fv, t) {
    checkPeriod(per, n);
    if (t && per < 2) return payment(r, n, pv, fv, t);
    return fin(-(pv + fv) * growth(r, per - 1 - t)[0] / growth(r, n)[1]);
  }
  function cumulative(a) {
    var n = a.map(num), r = n[0], per = n[1], pv = n[2], start = n[3], end = n[4], t = n[5];
    if (start < 1 || end < start || end > per || per <= 0 || pv <= 0) {
      fail("NUM", "Needs 1 <= start <= end <= periods and a present value above 0");
    }
    if (t !== 0 && t !== 1) fail("NUM", "The payment type must be 0 (end of period) or 1 (start)");
    return [r, per, pv, Math.trunc(start), Math.trunc(end), t];
  }
  function newton(name, guess, equation) {
    var r = guess;
    for (var i = 0; i < MAX_STEPS; i++) {
      var vs = equation(r), value = vs[0], slope = vs[1];
      if (value === 0) return r;
      if (slope === 0 || !isFinite(value / slope)) break;
      var step = value / slope;
      r -= step;
      if (!(r > -1)) break;
      if (Math.abs(step) <= STEP * Math.max(1, Math.abs(r))) return fin(r);
    }
    return fail("NUM", name + " found no rate from that guess; try another guess");
  }
  function annuityEquation(n, pmt, pv, fv, t) {
    return function (r) {
      var g = growth(r, n), gs;
      if (Math.abs(r) < 1e-8) gs = n * (n - 1) / 2;
      else gs = (n * g[0] / (1 + r) - g[1]) / r;
      var value = pv * g[0] + pmt * (1 + r * t) * g[1] + fv;
      var slope = pv * n * g[0] / (1 + r) + pmt * (t * g[1] + (1 + r * t) * gs);
      return [value, slope];
    };
  }
  function flowsEquation(flows, times) {
    return function (r) {
      if (!(r > -1)) fail("NUM", "A rate must be above -100%");
      var lg = Math.log1p(r), value = 0, slope = 0;
      for (var i = 0; i < flows.length; i++) {
        var d = exp(-times[i] * lg);
        value += flows[i] * d;
        slope -= times[i] * flows[i] * d / (1 + r);
      }
      return [value, slope];
    };
  }
  function signed(flows, name) {
    var pos = flows.some(function (f) { return f > 0; }), neg = flows.some(function (f) { return f < 0; });
    if (!(pos && neg)) fail("NUM", name + " needs at least one positive and one negative value");
  }
  function dated(a, name) {
    var flows = nums(a.slice(0, 1)), dates = nums(a.slice(1, 2));
    if (flows.length !== dates.length || !flows.length) fail("ARG", name + " needs as many dates as values");
    var days = dates.map(Math.trunc); // a time of day does not count
    return [flows, days.map(function (d) { return (d - days[0]) / 365; })];
  }

  K.register({
    arity: {
      IRR: [1, 2], XIRR: [2, 3], MIRR: [3, 3], RATE: [3, 6], NPER: [3, 5], IPMT: [4, 6],
      PPMT: [4, 6], CUMIPMT: [6, 6], CUMPRINC: [6, 6], EFFECT: [2, 2], NOMINAL: [2, 2],
      XNPV: [3, 3], SLN: [3, 3], DDB: [4, 5]
    },
    eager: {
      IRR: function (a) {
        var flows = nums(a.slice(0, 1)), guess = a.length > 1 ? num(a[1]) : 0.1;
        signed(flows, "IRR");
        return newton("IRR", guess, flowsEquation(flows, flows.map(function (f, i) { return i; })));
      },
      XIRR: function (a) {
        var d = dated(a, "XIRR"), guess = a.length > 2 ? num(a[2]) : 0.1;
        signed(d[0], "XIRR");
        return newton("XIRR", guess, flowsEquation(d[0], d[1]));
      },
      XNPV: function (a) {
        var r = num(a[0]), d = dated(a.slice(1), "XNPV");
        return fin(flowsEquation(d[0], d[1])(r)[0]);
      },
      MIRR: function (a) {
        var flows = nums(a.slice(0, 1)), fr = num(a[1]), rr = num(a[2]), n = flows.length;
        if (n < 2) fail("NUM", "MIRR needs at least two values");
        var invested = 0, returned = 0, fi = 1, fo = 1;
        for (var i = 0; i < n; i++) {
          if (flows[i] > 0) returned += flows[i] * fo;
          else if (flows[i] < 0) invested += flows[i] * fi;
          fo = fo / (1 + rr);
          fi = fi / (1 + fr);
        }
        if (!isFinite(invested) || !isFinite(returned)) fail("NUM", "MIRR needs rates above -100%");
        if (invested === 0 || returned === 0) fail("NUM", "MIRR needs at least one positive and one negative value");
        var ratio = -returned / invested * Math.pow(1 + rr, n - 1);
        if (ratio < 0) fail("NUM", "MIRR has no real result for these rates");
        return fin(Math.pow(fin(ratio), 1 / (n - 1)) - 1);
      },
      RATE: function (a) {
        var n = numbers(a, 6), t = a.length > 4 ? when(a[4]) : 0, guess = a.length < 6 ? 0.1 : n[5];
        if (n[0] <= 0) fail("NUM", "RATE needs a number of periods above 0");
        return newton("RATE", guess, annuityEquation(n[0], n[1], n[2], n[3], t));
      },
      NPER: function (a) {
        var n = numbers(a, 5), r = n[0], pmt = n[1], pv = n[2], fv = n[3], t = a.length > 4 ? when(a[4]) : 0;
        if (r === 0) {
          if (pmt === 0) fail("DIV_ZERO", "NPER with no payment and no interest is a division by zero");
          return fin(-(pv + fv) / pmt);
        }
        if (!(r > -1)) fail("NUM", "A rate must be above -100%");
        var den = pmt * (1 + r * t) + r * pv;
        if (den === 0) fail("NUM", "The payments never reach that value");
        var ratio = -r * (fv + pv) / den;
        if (!(ratio > -1)) fail("NUM", "The payments never reach that value");
        return fin(Math.log1p(ratio) / Math.log1p(r));
      },
      IPMT: function (a) {
        var n = numbers(a, 6), t = a.length > 5 ? when(a[5]) : 0;
        return interest(n[0], n[1], n[2], n[3], n[4], t);
      },
      PPMT: function (a) {
        var n = numbers(a, 6), t = a.length > 5 ? when(a[5]) : 0;
        return principal(n[0], n[1], n[2], n[3], n[4], t);
      },
      CUMPRINC: function (a) {
        var c = cumulative(a), r = c[0], n = c[1], pv = c[2], first = c[3], last = c[4], t = c[5], total = 0;
        if (t && first === 1) { total = payment(r, n, pv, 0, 1); first = 2; }
        if (first > last) return total;
        var part = growth(r, last - first + 1)[1] / growth(r, n)[1];
        return fin(total - pv * growth(r, first - 1 - t)[0] * part);
      },
      CUMIPMT: function (a) {
        var c = cumulative(a), r = c[0], n = c[1], pv = c[2], first = c[3], last = c[4], t = c[5], total = 0;
        if (last - first >= MAX_PERIODS) fail("LIMIT", "At most 100,000 periods can be added up");
        var pmt = payment(r, n, pv, 0, t);
        if (first === 1) { total = t ? 0 : -pv; first = 2; }
        for (var k = first; k <= last; k++) {
          total += t ? future(r, k - 2, pmt, pv, 1) - pmt : future(r, k - 1, pmt, pv, 0);
        }
        return fin(total * r);
      },
      EFFECT: function (a) {
        var nominal = num(a[0]), n = Math.floor(num(a[1]));
        if (n < 1 || nominal < 0) fail("NUM", "EFFECT needs a rate of 0 or more and at least 1 period a year");
        var x = n * Math.log1p(nominal / n);
        return fin(x > 1 ? exp(x) - 1 : Math.expm1(x));
      },
      NOMINAL: function (a) {
        var eff = num(a[0]), n = Math.floor(num(a[1]));
        if (n < 1 || eff <= 0) fail("NUM", "NOMINAL needs a rate above 0 and at least 1 period a year");
        return fin(n * Math.expm1(Math.log1p(eff) / n));
      },
      SLN: function (a) {
        var n = a.map(num);
        if (n[2] === 0) fail("DIV_ZERO", "SLN over a life of 0 is a division by zero");
        return fin((n[0] - n[1]) / n[2]);
      },
      DDB: function (a) {
        var n = numbers(a, 5), cost = n[0], salvage = n[1], life = n[2], per = n[3];
        var factor = a.length < 5 ? 2 : n[4], before;
        if (cost < 0 || salvage < 0 || factor <= 0 || salvage > cost || per < 1 || per > life) {
          fail("NUM", "DDB needs 0 <= salvage <= cost, factor > 0 and 1 <= period <= life");
        }
        var rate = factor / life;
        if (rate >= 1) { rate = 1; before = per === 1 ? cost : 0; } else before = cost * Math.pow(1 - rate, per - 1);
        var after = cost * Math.pow(1 - rate, per);
        return fin(Math.max(0, before - (after < salvage ? salvage : after)));
      }
    }
  });
})(typeof globalThis !== "undefined" ? globalThis.KeyvexFormula : this.KeyvexFormula);
