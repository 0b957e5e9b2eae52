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

/* Dates as serial numbers (day 0 is 1899-12-30): DATE, TODAY, NOW, YEAR, MONTH, DAY, WEEKDAY,
   EDATE, EOMONTH, DATEDIF, DAYS, NETWORKDAYS, WORKDAY, YEARFRAC. Step for step the same as
   keyvex/formula/_fn_dates.py (see its docstring); TODAY and NOW read the table "@now". */
(function (K) {
  "use strict";
  var L = K.lib, fail = L.fail, num = L.num, nums = L.nums, str = L.str;
  var DAY_MS = 86400000, EPOCH = Date.UTC(1899, 11, 30), MONDAY = 2;
  var FIRST = -693593, LAST = 2958465; // 0001-01-01 and 9999-12-31

  function floorDiv(a, b) { return Math.floor(a / b); }
  function mod(a, b) { return a - b * Math.floor(a / b); }
  function check(day) {
    if (!(day >= FIRST && day <= LAST)) fail("NUM", "A date must be between the years 1 and 9999");
    return day;
  }
  // [year, month (1-12), day, weekday (Monday 0)] of a serial number.
  function parts(serial) {
    var day = check(Math.floor(serial)), d = new Date(EPOCH + day * DAY_MS);
    return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), mod(day + 5, 7)];
  }
  function serialOf(year, month, day) {
    var d = new Date(0);
    d.setUTCFullYear(year, month - 1, day); // setUTCFullYear keeps years 0-99 as they are
    d.setUTCHours(0, 0, 0, 0);
    return Math.round((d.getTime() - EPOCH) / DAY_MS);
  }
  function makeDate(year, month, day) {
    year += floorDiv(month - 1, 12);
    month = mod(month - 1, 12) + 1;
    if (year < 1 || year > 9999) fail("NUM", "A date must be between the years 1 and 9999");
    return check(serialOf(year, month, 1) + day - 1);
  }
  function dayOf(v) { return parts(num(v)); }
  function leap(y) { return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0); }
  function monthLength(y, m) { return m === 12 ? 31 : serialOf(y, m + 1, 1) - serialOf(y, m, 1); }
  function addMonths(serial, months, end) {
    var p = parts(serial), total = p[0] * 12 + p[1] - 1 + months, y = floorDiv(total, 12), m = mod(total, 12) + 1;
    if (y < 1 || y > 9999) fail("NUM", "A date must be between the years 1 and 9999");
    var last = monthLength(y, m);
    return serialOf(y, m, end ? last : Math.min(p[2], last));
  }
  function later(a, b) { return a[0] * 10000 + a[1] * 100 + a[2] - (b[0] * 10000 + b[1] * 100 + b[2]); }
  var UNITS = { d: 1, m: 1, y: 1, ym: 1, yd: 1, md: 1 };
  function datedif(a) {
    var first = Math.floor(num(a[0])), last = Math.floor(num(a[1])), unit = str(a[2]).trim().toLowerCase();
    if (first > last) fail("NUM", "DATEDIF needs the start date on or before the end date");
    if (unit === "d" || first === last) {
      if (!UNITS.hasOwnProperty(unit)) fail("NUM", "DATEDIF's unit must be \"y\", \"m\", \"d\", \"ym\", \"yd\" or \"md\"");
      return last - first;
    }
    var s = parts(first), e = parts(last), n;
    if (unit === "m" || unit === "ym") {
      n = e[1] - s[1] + 12 * (e[0] - s[0]);
      if (s[2] > e[2]) n -= 1;
      return unit === "ym" ? mod(n, 12) : n;
    }
    if (unit === "y") {
      n = e[0] - s[0];
      if (s[1] * 100 + s[2] > e[1] * 100 + e[2]) n -= 1;
      return Math.max(n, 0);
    }
    if (unit === "md") {
      if (s[2] <= e[2]) return e[2] - s[2];
      return last - (e[1] === 1 ? makeDate(e[0] - 1, 12, s[2]) : makeDate(e[0], e[1] - 1, s[2]));
    }
    if (unit === "yd") {
      var after = e[1] * 100 + e[2] >= s[1] * 100 + s[2];
      return last - makeDate(after ? e[0] : e[0] - 1, s[1], s[2]);
    }
    return fail("NUM", "DATEDIF's unit must be \"y\", \"m\", \"d\", \"ym\", \"yd\" or \"md\"");
  }
  function workdaysBefore(day) { var k = day - MONDAY; return 5 * floorDiv(k, 7) + Math.min(mod(k, 7), 5); }
  function workdayAt(i) { return MONDAY + 7 * floorDiv(i, 5) + mod(i, 5); }
  function holidays(a) {
    var seen = {}, out = [];
    nums(a).forEach(function (x) {
      var d = Math.floor(x);
      if (mod(d - MONDAY, 7) < 5 && !seen[d]) { seen[d] = true; out.push(d); }
    });
    return out;
  }
  function count(days, lo, hi) { return days.filter(function (d) { return d >= lo && d <= hi; }).length; }
  function yearfrac(a) {
    var first = Math.floor(num(a[0])), last = Math.floor(num(a[1])), basis = a.length > 2 ? Math.trunc(num(a[2])) : 0;
    if ([0, 1, 2, 3, 4].indexOf(basis) < 0) fail("NUM", "YEARFRAC's basis must be 0, 1, 2, 3 or 4");
    if (first > last) { var t = first; first = last; last = t; }
    var s = parts(first), e = parts(last), days = last - first;
    if (first === last) return 0;
    if (basis === 2) return days / 360;
    if (basis === 3) return days / 365;
    if (basis === 1) {
      if (s[0] === e[0] || (e[0] === s[0] + 1 && later(s, [e[0] - 1, e[1], e[2]]) >= 0)) {
        if (s[0] === e[0] && leap(s[0])) return days / 366;
        var feb = [s[0], e[0]].some(function (y) {
          if (!leap(y)) return false;
          var f = serialOf(y, 2, 29);
          return f >= first && f <= last;
        });
        return days / (feb ? 366 : 365);
      }
      var years = e[0] - s[0] + 1, span = e[0] < 9999 ? serialOf(e[0] + 1, 1, 1) - serialOf(s[0], 1, 1) : 0;
      if (!span) span = serialOf(e[0], 12, 31) - serialOf(s[0], 1, 1) + 1;
      return days / (span / years);
    }
    var d1 = s[2], d2 = e[2];
    var febEnd = function (p) { return p[1] === 2 && p[2] === monthLength(p[0], 2); };
    if (basis === 4) { d1 = Math.min(d1, 30); d2 = Math.min(d2, 30); }
    else if (d1 === 31 && d2 === 31) { d1 = 30; d2 = 30; }
    else if (d1 === 31) d1 = 30;
    else if (d1 === 30 && d2 === 31) d2 = 30;
    else if (febEnd(s) && febEnd(e)) { d1 = 30; d2 = 30; }
    else if (febEnd(s)) d1 = 30;
    return ((e[0] - s[0]) * 360 + (e[1] - s[1]) * 30 + d2 - d1) / 360;
  }
  function now(ctx) {
    var injected = ctx.tables ? ctx.tables["@now"] : undefined;
    return typeof injected === "number" ? injected : (Date.now() - EPOCH) / DAY_MS;
  }
  var FIRST_DAY = { 1: 6, 2: 0, 3: 0, 11: 0, 12: 1, 13: 2, 14: 3, 15: 4, 16: 5, 17: 6 };

  K.register({
    arity: {
      DATE: [3, 3], TODAY: [0, 0], NOW: [0, 0], YEAR: [1, 1], MONTH: [1, 1], DAY: [1, 1],
      WEEKDAY: [1, 2], EDATE: [2, 2], EOMONTH: [2, 2], DATEDIF: [3, 3], DAYS: [2, 2],
      NETWORKDAYS: [2, 3], WORKDAY: [2, 3], YEARFRAC: [2, 3]
    },
    lazy: {
      TODAY: function (args, ctx) { return Math.floor(now(ctx)); },
      NOW: function (args, ctx) { return now(ctx); }
    },
    eager: {
      DATE: function (a) {
        var y = Math.trunc(num(a[0])), m = Math.trunc(num(a[1])), d = Math.trunc(num(a[2]));
        if (y < 0 || y > 9999) fail("NUM", "DATE needs a year from 0 to 9999");
        if (y < 1900) y += 1900;
        return makeDate(y, m, d);
      },
      YEAR: function (a) { return dayOf(a[0])[0]; },
      MONTH: function (a) { return dayOf(a[0])[1]; },
      DAY: function (a) { return dayOf(a[0])[2]; },
      WEEKDAY: function (a) {
        var kind = a.length > 1 ? Math.trunc(num(a[1])) : 1;
        if (!FIRST_DAY.hasOwnProperty(kind)) fail("NUM", "WEEKDAY's type must be 1, 2, 3 or 11 to 17");
        var n = mod(dayOf(a[0])[3] - FIRST_DAY[kind], 7);
        return kind === 3 ? n : n + 1;
      },
      EDATE: function (a) { return addMonths(num(a[0]), Math.trunc(num(a[1])), false); },
      EOMONTH: function (a) { return addMonths(num(a[0]), Math.trunc(num(a[1])), true); },
      DATEDIF: datedif,
      DAYS: function (a) {
        var end = Math.floor(num(a[0])), start = Math.floor(num(a[1]));
        check(end); check(start);
        return end - start;
      },
      NETWORKDAYS: function (a) {
        var first = check(Math.floor(num(a[0]))), last = check(Math.floor(num(a[1]))), h = holidays(a.slice(2)), sign = 1;
        if (first > last) { var t = first; first = last; last = t; sign = -1; }
        return sign * (workdaysBefore(last + 1) - workdaysBefore(first) - count(h, first, last));
      },
      WORKDAY: function (a) {
        var start = Math.floor(num(a[0])), steps = Math.trunc(num(a[1])), h = holidays(a.slice(2));
        check(start);
        if (steps === 0) return start;
        var skipped = 0, end, found;
        for (;;) {
          if (steps > 0) {
            end = workdayAt(workdaysBefore(start + 1) + steps - 1 + skipped);
            found = count(h, start + 1, end);
          } else {
            end = workdayAt(workdaysBefore(start) + steps - skipped);
            found = count(h, end, start - 1);
          }
          if (found === skipped) break;
          skipped = found;
        }
        return check(end);
      },
      YEARFRAC: yearfrac
    }
  });
})(typeof globalThis !== "undefined" ? globalThis.KeyvexFormula : this.KeyvexFormula);
