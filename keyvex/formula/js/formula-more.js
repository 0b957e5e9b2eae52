/* Keyvex formula runtime, rarely used families (statistics, text, lookup, finance, dates):
   registers its functions into formula.js, which must be loaded first. A public page loads
   this file only when one of its tool's formulas calls one of these functions
   (keyvex.formula.scripts_for). Same rules as formula.js; no eval, no deps. */
(function (K) {
  "use strict";
  if (!K) throw new Error("formula.js must be loaded before formula-more.js");
  var L = K.lib; // fail, num, str, bool, text, fin, cmp, rnd, items, nums, ev, attempt ...
  var fail = L.fail, num = L.num, nums = L.nums, fin = L.fin, cmp = L.cmp, isNum = L.isNum;
  var approxEq = L.approxEq, add = L.add;

  /* Statistics, as keyvex/formula/_fn_stats.py. */
  function sorted(a, name) {
    var xs = nums(a).sort(function (x, y) { return x - y; });
    if (!xs.length) fail("NUM", name + " needs at least one number");
    return xs;
  }
  function csum(xs) { // Neumaier, as compensated_sum
    var t = 0, c = 0;
    for (var i = 0; i < xs.length; i++) {
      var s = t + xs[i];
      c += Math.abs(t) >= Math.abs(xs[i]) ? (t - s) + xs[i] : (xs[i] - s) + t;
      t = s;
    }
    return fin(t + c);
  }
  function variance(xs, name) {
    if (xs.length < 2) fail("DIV_ZERO", name + " needs at least two numbers");
    var m = fin(csum(xs) / xs.length);
    return fin(csum(xs.map(function (x) { return (x - m) * (x - m); })) / (xs.length - 1));
  }
  function percentile(xs, f, name) {
    if (!(f >= 0 && f <= 1)) fail("NUM", name + " needs a fraction between 0 and 1");
    var p = f * (xs.length - 1), lo = Math.floor(p);
    if (lo + 1 >= xs.length) return xs[xs.length - 1];
    return fin(xs[lo] + (p - lo) * (xs[lo + 1] - xs[lo]));
  }
  function kth(largest) {
    return function (a) {
      var name = largest ? "LARGE" : "SMALL", xs = sorted(a.slice(0, 1), name), k = Math.ceil(num(a[1]));
      if (!(k >= 1 && k <= xs.length)) fail("TYPE", name + " needs a position from 1 to " + xs.length);
      return largest ? xs[xs.length - k] : xs[k - 1];
    };
  }
  function cells(v) { return Array.isArray(v) ? v : [v]; }
  var ORDERS = {
    "=": function (c) { return c === 0; }, "<>": function (c) { return c !== 0; },
    "<": function (c) { return c < 0; }, "<=": function (c) { return c <= 0; },
    ">": function (c) { return c > 0; }, ">=": function (c) { return c >= 0; }
  };
  var NUMERIC = /^[ \t\r\n]*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t\r\n]*$/;
  function matcher(crit) {
    if (Array.isArray(crit)) fail("TYPE", "A criterion must be one value, not a list");
    if (typeof crit !== "string") return function (c) { return c !== null && cmp(c, crit) === 0; };
    var m = /^(<=|>=|<>|<|>|=)?([\s\S]*)$/.exec(crit), op = m[1] || "=", operand = m[2];
    if (NUMERIC.test(operand)) {
      var target = num(operand), test = ORDERS[op];
      return function (c) {
        if (!isNum(c)) return op === "<>";
        return test(approxEq(c, target) ? 0 : c > target ? 1 : -1);
      };
    }
    if (operand === "" && (op === "=" || op === "<>")) {
      return function (c) { return (c === null || c === "") === (op === "="); };
    }
    if (op === "=" || op === "<>") {
      var re = new RegExp("^" + Array.from(operand, function (ch) {
        return ch === "*" ? "[\\s\\S]*" : ch === "?" ? "[\\s\\S]" : ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
      }).join("") + "$", "iu");
      return function (c) { return (typeof c === "string" && re.test(c)) === (op === "="); };
    }
    var order = ORDERS[op];
    return function (c) { return typeof c === "string" && order(cmp(c, operand)); };
  }
  function selected(ranges, criteria, values) {
    var cols = ranges.map(cells), target = values === undefined ? cols[0] : cells(values);
    cols.forEach(function (c) { if (c.length !== target.length) fail("ARG", "The ranges and the values must be lists of the same length"); });
    var tests = criteria.map(matcher);
    return target.filter(function (cell, i) {
      return tests.every(function (t, j) { return t(cols[j][i]); });
    });
  }
  function sumOf(xs) { var t = 0; for (var i = 0; i < xs.length; i++) t = add(t, xs[i]); return fin(t); }
  function aggregate(kind, pairs) {
    return function (a) {
      var ranges, criteria, values;
      if (pairs) {
        if (a.length % 2 === 0) fail("ARG", "This function needs the values, then pairs of range and criterion");
        values = a[0]; ranges = []; criteria = [];
        for (var i = 1; i < a.length; i += 2) { ranges.push(a[i]); criteria.push(a[i + 1]); }
      } else { ranges = [a[0]]; criteria = [a[1]]; values = a.length > 2 ? a[2] : undefined; }
      var xs = selected(ranges, criteria, values).filter(isNum);
      if (kind === "sum") return sumOf(xs);
      if (kind === "average") {
        if (!xs.length) fail("DIV_ZERO", "AVERAGEIF found no matching numbers, so there is no average");
        return fin(sumOf(xs) / xs.length);
      }
      if (!xs.length) return 0;
      return kind === "min" ? Math.min.apply(null, xs) : Math.max.apply(null, xs);
    };
  }

  K.register({
    arity: {
      MEDIAN: [1, -1], MODE: [1, -1], STDEV: [1, -1], VAR: [1, -1], PERCENTILE: [2, 2],
      QUARTILE: [2, 2], LARGE: [2, 2], SMALL: [2, 2], RANK: [2, 3], COUNTA: [1, -1],
      COUNTIF: [2, 2], COUNTIFS: [2, -1], SUMIF: [2, 3], SUMIFS: [3, -1], AVERAGEIF: [2, 3],
      AVERAGEIFS: [3, -1], MINIFS: [3, -1], MAXIFS: [3, -1]
    },
    eager: {
      MEDIAN: function (a) {
        var xs = sorted(a, "MEDIAN"), m = Math.floor(xs.length / 2);
        return xs.length % 2 ? xs[m] : fin((xs[m - 1] + xs[m]) / 2);
      },
      MODE: function (a) {
        var xs = nums(a), counts = new Map(), best = 0;
        xs.forEach(function (x) { counts.set(x, (counts.get(x) || 0) + 1); best = Math.max(best, counts.get(x)); });
        if (best < 2) fail("TYPE", "MODE needs a number that appears more than once");
        return xs.find(function (x) { return counts.get(x) === best; });
      },
      STDEV: function (a) { return fin(Math.sqrt(variance(nums(a), "STDEV"))); },
      VAR: function (a) { return variance(nums(a), "VAR"); },
      PERCENTILE: function (a) { return percentile(sorted(a.slice(0, 1), "PERCENTILE"), num(a[1]), "PERCENTILE"); },
      QUARTILE: function (a) {
        var q = Math.trunc(num(a[1]));
        if (!(q >= 0 && q <= 4)) fail("NUM", "QUARTILE needs a quarter from 0 to 4");
        return percentile(sorted(a.slice(0, 1), "QUARTILE"), q / 4, "QUARTILE");
      },
      LARGE: kth(true),
      SMALL: kth(false),
      RANK: function (a) {
        var x = num(a[0]), xs = nums(a.slice(1, 2)), asc = a.length > 2 && num(a[2]) !== 0;
        if (!xs.some(function (v) { return approxEq(x, v); })) fail("TYPE", "RANK needs a number that is in the list");
        return 1 + xs.filter(function (v) { return (asc ? v < x : v > x) && !approxEq(v, x); }).length;
      },
      COUNTA: function (a) {
        return a.reduce(function (n, v) {
          return n + (Array.isArray(v) ? v.filter(function (c) { return c !== null; }).length : v !== null ? 1 : 0);
        }, 0);
      },
      COUNTIF: function (a) { return selected([a[0]], [a[1]]).length; },
      COUNTIFS: function (a) {
        if (a.length % 2) fail("ARG", "COUNTIFS needs pairs of range and criterion");
        return selected(a.filter(function (v, i) { return i % 2 === 0; }), a.filter(function (v, i) { return i % 2 === 1; })).length;
      },
      SUMIF: aggregate("sum", false),
      SUMIFS: aggregate("sum", true),
      AVERAGEIF: aggregate("average", false),
      AVERAGEIFS: aggregate("average", true),
      MINIFS: aggregate("min", true),
      MAXIFS: aggregate("max", true)
    },
    tolerant: ["COUNTA"]
  });

  /* Text, as keyvex/formula/_fn_text.py: positions count code points. */
  var str = L.str, text = L.text, bool = L.bool, items = L.items, rnd = L.rnd, fmt = L.fmt, MAX = 10000;
  function chars(s) { return Array.from(s); }
  function count(a, i, dflt, name) {
    var n = a.length > i ? Math.trunc(num(a[i])) : dflt;
    if (n < 0) fail("ARG", name + " needs a count of 0 or more");
    return Math.min(n, MAX + 1);
  }
  function finder(insensitive) {
    var name = insensitive ? "SEARCH" : "FIND";
    return function (a) {
      var needle = str(a[0]), hay = str(a[1]), start = a.length > 2 ? Math.trunc(num(a[2])) : 1;
      if (insensitive) { needle = needle.toLowerCase(); hay = hay.toLowerCase(); }
      var cs = chars(hay);
      if (!needle || start < 1 || start > cs.length) fail("TYPE", name + " needs some text to find and a start within the text");
      var at = hay.indexOf(needle, cs.slice(0, start - 1).join("").length);
      if (at < 0) fail("TYPE", name + " did not find the text");
      return chars(hay.slice(0, at)).length + 1;
    };
  }
  var AMOUNT = /^([+-]?)[$€£]?((?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)(%?)$/;
  function sections(p) {
    var out = [], cur = "", quoted = false;
    chars(p).forEach(function (ch) {
      if (ch === '"') quoted = !quoted;
      if (ch === ";" && !quoted) { out.push(cur); cur = ""; } else cur += ch;
    });
    out.push(cur);
    return out;
  }
  function formatText(x, pattern) {
    if (pattern.trim().toLowerCase() === "general") return fmt(x);
    var secs = sections(pattern), sec = secs[0], signed = true;
    if (x < 0 && secs.length > 1) { sec = secs[1]; signed = false; } else if (x === 0 && secs.length > 2) sec = secs[2];
    var tokens = [], re = /"([^"]*)"|\\([\s\S])|([0#?,.])|([\s\S])/gu, m;
    while ((m = re.exec(sec))) tokens.push([m[3] || "", m[1] || m[2] || m[4] || ""]);
    var places = [];
    tokens.forEach(function (t, i) { if ("0#?".indexOf(t[0]) >= 0 && t[0]) places.push(i); });
    if (!places.length) fail("ARG", 'TEXT does not know the format "' + pattern.slice(0, 30) + '"');
    var first = places[0], last = places[places.length - 1];
    var lit = function (ts, withCodes) {
      return ts.filter(function (t) { return !t[0] || (withCodes && ",.".indexOf(t[0]) >= 0); }).map(function (t) { return t[1]; }).join("");
    };
    var prefix = lit(tokens.slice(0, first), true), suffix = lit(tokens.slice(last + 1), false);
    var inside = tokens.slice(first, last + 1), inner = lit(inside, false);
    var body = inside.filter(function (t) { return t[0]; }).map(function (t) { return t[0]; }).join("");
    var percent = (prefix + suffix + inner).split("%").length - 1;
    var dot = body.indexOf("."), wholeCodes = dot < 0 ? body : body.slice(0, dot), fracCodes = dot < 0 ? "" : body.slice(dot + 1);
    var decimals = fracCodes.replace(/[^0#?]/g, "").length;
    var required = fracCodes.replace(/[#?]+$/, "").replace(/,/g, "").length;
    var value = Math.abs(x) * Math.pow(100, percent), rounded = rnd(value, decimals, "half"), whole, frac = "";
    if (rounded >= 1e21) whole = fmt(rounded);
    else { var parts = rounded.toFixed(decimals).split("."); whole = parts[0]; frac = parts[1] || ""; }
    frac = frac.slice(0, Math.max(required, frac.replace(/0+$/, "").length));
    var minimum = wholeCodes.split("0").length - 1;
    whole = whole.replace(/^0+/, "").padStart(minimum, "0");
    if (wholeCodes.indexOf(",") >= 0 && /^[0-9]+$/.test(whole)) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var body2 = whole + (frac || (dot >= 0 && required) ? "." : "") + frac;
    var sign = signed && x < 0 && rounded !== 0 ? "-" : "";
    return text(sign + prefix + body2 + inner + suffix);
  }

  K.register({
    arity: {
      CONCAT: [1, -1], TEXTJOIN: [3, -1], LEFT: [1, 2], RIGHT: [1, 2], MID: [3, 3], TRIM: [1, 1],
      SUBSTITUTE: [3, 4], FIND: [2, 3], SEARCH: [2, 3], PROPER: [1, 1], REPT: [2, 2], EXACT: [2, 2],
      VALUE: [1, 1], TEXT: [2, 2], FIXED: [1, 3]
    },
    eager: {
      CONCAT: function (a) { return text(items(a).map(str).join("")); },
      TEXTJOIN: function (a) {
        var skip = bool(a[1]);
        return text(items(a.slice(2)).map(str).filter(function (t) { return t || !skip; }).join(str(a[0])));
      },
      LEFT: function (a) { return chars(str(a[0])).slice(0, count(a, 1, 1, "LEFT")).join(""); },
      RIGHT: function (a) {
        var cs = chars(str(a[0])), n = count(a, 1, 1, "RIGHT");
        return n ? cs.slice(Math.max(0, cs.length - n)).join("") : "";
      },
      MID: function (a) {
        var cs = chars(str(a[0])), start = Math.trunc(num(a[1]));
        if (start < 1) fail("ARG", "MID needs a start position of 1 or more");
        var n = count(a, 2, 0, "MID");
        return start <= cs.length ? cs.slice(start - 1, start - 1 + n).join("") : "";
      },
      TRIM: function (a) { return str(a[0]).replace(/^ +| +$/g, "").replace(/ +/g, " "); },
      SUBSTITUTE: function (a) {
        var t = str(a[0]), old = str(a[1]), neu = str(a[2]);
        if (!old) return t;
        if (a.length < 4) return text(t.split(old).join(neu));
        var k = Math.trunc(num(a[3])), at = -1;
        if (k < 1) fail("ARG", "SUBSTITUTE needs an instance of 1 or more");
        for (var i = 0; i < k; i++) { at = t.indexOf(old, at + 1); if (at < 0) return t; }
        return text(t.slice(0, at) + neu + t.slice(at + old.length));
      },
      FIND: finder(false),
      SEARCH: finder(true),
      PROPER: function (a) {
        var after = false;
        return text(chars(str(a[0])).map(function (c) {
          var out = after ? c.toLowerCase() : c.toUpperCase();
          after = /\p{L}/u.test(c);
          return out;
        }).join(""));
      },
      REPT: function (a) {
        var t = str(a[0]), n = count(a, 1, 0, "REPT");
        if (chars(t).length * n > MAX) fail("LIMIT", "A text would be longer than 10,000 characters");
        return t.repeat(n);
      },
      EXACT: function (a) { return str(a[0]) === str(a[1]); },
      VALUE: function (a) {
        var v = a[0];
        if (Array.isArray(v)) fail("TYPE", "VALUE needs one value, not a list");
        if (typeof v !== "string") return num(v);
        var m = AMOUNT.exec(v.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ""));
        if (!m || !/[0-9]/.test(m[2].split(/[eE]/)[0])) fail("TYPE", 'VALUE cannot read "' + v.slice(0, 30) + '" as a number');
        var x = num(m[1] + m[2].replace(/,/g, ""));
        return m[3] ? x / 100 : x;
      },
      TEXT: function (a) {
        var v = a[0];
        if (typeof v === "string") {
          if (!v.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "")) return v;
          try { v = num(v); } catch (e) { return v; }
        }
        var pattern = str(a[1]);
        if (L.formatDate && L.hasDateCodes(pattern)) return L.formatDate(num(v), pattern);
        return formatText(num(v), pattern);
      },
      FIXED: function (a) {
        var x = num(a[0]), d = a.length > 1 ? Math.trunc(num(a[1])) : 2;
        if (d > 100) fail("ARG", "FIXED shows at most 100 decimals");
        var plain = a.length > 2 && bool(a[2]);
        if (d < 0) { x = rnd(x, Math.max(d, -400), "half"); d = 0; }
        return formatText(x, (plain ? "0" : "#,##0") + (d > 0 ? "." + "0".repeat(d) : ""));
      }
    }
  });

  /* Lookup, as keyvex/formula/_fn_lookup.py: tables by name, columns from 1, NA when nothing matches. */
  var norm = L.norm, ev = L.ev, has = L.has;
  function kind(v) { return typeof v === "boolean" ? 2 : typeof v === "string" ? 1 : 0; }
  function rowsOf(name, ctx) {
    if (!has(ctx.tables, name)) fail("NAME", "There is no table named '" + name + "'");
    return (ctx.tables[name] || []).filter(function (r) { return r && typeof r === "object" && !Array.isArray(r) && Object.keys(r).length; });
  }
  function cell(raw) { var v = norm(raw === undefined ? null : raw); return Array.isArray(v) ? null : v; }
  function find(key, cs, mode) {
    if (Array.isArray(key)) fail("TYPE", "The value to find must be one value, not a list");
    var found = null;
    for (var i = 0; i < cs.length; i++) {
      if (cs[i] === null || kind(cs[i]) !== kind(key)) continue;
      var o = cmp(cs[i], key);
      if (mode === 0) { if (o === 0) return i; } else if (o * mode <= 0) found = i; else break;
    }
    return found;
  }
  function notFound(key) { return fail("NA", "Nothing matches " + JSON.stringify(str(key).slice(0, 30))); }
  function tableName(node, fn) {
    if (node.type !== "name") fail("ARG", fn + " needs the name of a table as its " + (fn === "VLOOKUP" ? "second" : "first") + " value");
    return node.name;
  }

  K.register({
    arity: { VLOOKUP: [3, 4], INDEX: [2, 3], MATCH: [2, 3], XLOOKUP: [3, 4], TABLECOLUMN: [2, 2] },
    lazy: {
      VLOOKUP: function (args, ctx) {
        var name = tableName(args[1], "VLOOKUP"), key = ev(args[0], ctx), column = ev(args[2], ctx);
        var approx = args.length > 3 ? ev(args[3], ctx) : true;
        var rows = rowsOf(name, ctx), keys = rows.length ? Object.keys(rows[0]) : [];
        var i = Math.trunc(num(column));
        if (!(i >= 1 && i <= keys.length)) fail("ARG", "VLOOKUP's column must be from 1 to " + keys.length);
        var found = find(key, rows.map(function (r) { return cell(r[keys[0]]); }), bool(approx) ? 1 : 0);
        if (found === null) notFound(key);
        var v = rows[found][keys[i - 1]];
        return norm(v === undefined ? null : v);
      },
      INDEX: function (args, ctx) {
        var vals = args.slice(1).map(function (a) { return ev(a, ctx); });
        var row = Math.trunc(num(vals[0])), col = vals.length > 1 ? Math.trunc(num(vals[1])) : null, src = args[0];
        if (src.type === "name" && has(ctx.tables, src.name) && !has(ctx.vars, src.name)) {
          var rows = rowsOf(src.name, ctx), keys = rows.length ? Object.keys(rows[0]) : [];
          if (col === null) { if (keys.length !== 1) fail("ARG", "INDEX on a table needs a row and a column"); col = 1; }
          if (!(row >= 1 && row <= rows.length && col >= 1 && col <= keys.length)) {
            fail("ARG", "INDEX needs a row from 1 to " + rows.length + " and a column from 1 to " + keys.length);
          }
          var v = rows[row - 1][keys[col - 1]];
          return norm(v === undefined ? null : v);
        }
        var items = ev(src, ctx), cs = Array.isArray(items) ? items : [items];
        if ((col !== null && col !== 1) || !(row >= 1 && row <= cs.length)) fail("ARG", "INDEX needs a position from 1 to " + cs.length);
        return cs[row - 1];
      },
      TABLECOLUMN: function (args, ctx) {
        var name = tableName(args[0], "TABLECOLUMN"), column = str(ev(args[1], ctx));
        var rows = rowsOf(name, ctx), keys = rows.length ? Object.keys(rows[0]) : [], key = null;
        [column, column.toLowerCase()].forEach(function (c) {
          keys.forEach(function (k) { if (key === null && (k === c || k.toLowerCase() === c)) key = k; });
        });
        if (key === null) fail("ARG", "The table '" + name + "' has no column '" + column + "'");
        return rows.map(function (r) { return cell(r[key]); });
      }
    },
    eager: {
      MATCH: function (a) {
        var mode = a.length > 2 ? num(a[2]) : 1, found = find(a[0], cells(a[1]), mode > 0 ? 1 : mode < 0 ? -1 : 0);
        if (found === null) notFound(a[0]);
        return found + 1;
      },
      XLOOKUP: function (a) {
        var keys = cells(a[1]), results = cells(a[2]);
        if (keys.length !== results.length) fail("ARG", "XLOOKUP needs the two lists to be of the same length");
        var found = find(a[0], keys, 0);
        if (found === null) return a.length > 3 ? a[3] : notFound(a[0]);
        return results[found];
      }
    }
  });
})(typeof globalThis !== "undefined" ? globalThis.KeyvexFormula : this.KeyvexFormula);

/* Finance: IRR, XIRR, MIRR, RATE, NPER, IPMT, PPMT, CUMIPMT, CUMPRINC, EFFECT, NOMINAL, XNPV,
   SLN, DDB. Step for step the same as keyvex/formula/_fn_finance.py (see its docstring). */
(function (K) {
  "use strict";
  var L = K.lib, fail = L.fail, num = L.num, nums = L.nums, fin = L.fin;
  var MAX_STEPS = 100, STEP = 1e-12, MAX_PERIODS = 20000;

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
        if (last - first >= MAX_PERIODS) fail("LIMIT", "At most 20,000 periods can be added up");
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

  // TEXT's date formats ("yyyy-mm-dd", "d mmm yyyy", "hh:mm AM/PM"): format_date in Python.
  var MONTH_NAMES = "January February March April May June July August September October November December".split(" ");
  var DAY_NAMES = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split(" ");
  var DATE_TOKEN = /"[^"]*"|\\[\s\S]|yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am\/pm|a\/p|[\s\S]/gi;
  var CODES = {};
  "yyyy yy mmmm mmm mm m dddd ddd dd d hh h ss s am/pm a/p".split(" ").forEach(function (c) { CODES[c] = true; });
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  L.hasDateCodes = function (pattern) { return /[ymdhs]/i.test(pattern.replace(/"[^"]*"|\\[\s\S]/g, "")); };
  L.formatDate = function (serial, pattern) {
    var day = Math.floor(serial), seconds = Math.round((serial - day) * 86400);
    if (seconds >= 86400) { day += 1; seconds -= 86400; }
    var p = parts(day), tokens = pattern.match(DATE_TOKEN) || [], codes = [];
    tokens.forEach(function (t, i) { if (CODES.hasOwnProperty(t.toLowerCase())) codes.push(i); });
    var twelve = codes.some(function (i) { return /\//.test(tokens[i]); });
    var hour = Math.floor(seconds / 3600), minute = Math.floor(seconds / 60) % 60, second = seconds % 60;
    function minuteAt(i) {
      var at = codes.indexOf(i), before = at > 0 ? tokens[codes[at - 1]].toLowerCase() : "";
      var after = at + 1 < codes.length ? tokens[codes[at + 1]].toLowerCase() : "";
      return before[0] === "h" || after[0] === "s";
    }
    var year = String(p[0]);
    while (year.length < 4) year = "0" + year;
    var names = {
      yyyy: year, yy: pad(p[0] % 100), mmmm: MONTH_NAMES[p[1] - 1], mmm: MONTH_NAMES[p[1] - 1].slice(0, 3),
      mm: pad(p[1]), m: String(p[1]), dddd: DAY_NAMES[p[3]], ddd: DAY_NAMES[p[3]].slice(0, 3),
      dd: pad(p[2]), d: String(p[2]), ss: pad(second), s: String(second)
    };
    return tokens.map(function (t, i) {
      var lower = t.toLowerCase();
      if (t[0] === '"') return t.slice(1, -1);
      if (t[0] === "\\") return t.slice(1);
      if ((lower === "m" || lower === "mm") && minuteAt(i)) return lower === "mm" ? pad(minute) : String(minute);
      if (lower === "am/pm" || lower === "a/p") { var ap = hour < 12 ? "AM" : "PM"; return lower === "am/pm" ? ap : ap[0]; }
      if (lower === "h" || lower === "hh") { var h = twelve ? hour % 12 || 12 : hour; return lower === "hh" ? pad(h) : String(h); }
      return CODES.hasOwnProperty(lower) ? names[lower] : t;
    }).join("");
  };

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
