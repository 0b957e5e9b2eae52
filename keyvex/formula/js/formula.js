/* Keyvex formula runtime: evaluates the JSON AST of keyvex.formula exactly like Python does.
   The browser never parses formulas; the server sends Formula.to_json(). No eval, no deps. */
(function (root) {
  "use strict";
  var MAX_TEXT = 10000;
  var ARITY = {
    IF: [3, 3], IFS: [2, -1], AND: [1, -1], OR: [1, -1], NOT: [1, 1], MIN: [1, -1],
    MAX: [1, -1], SUM: [1, -1], AVERAGE: [1, -1], AVG: [1, -1], COUNT: [1, -1],
    ROUND: [1, 2], ROUNDUP: [1, 2], ROUNDDOWN: [1, 2], FLOOR: [1, 2], CEILING: [1, 2],
    ABS: [1, 1], SQRT: [1, 1], POWER: [2, 2], EXP: [1, 1], LN: [1, 1], LOG10: [1, 1],
    MOD: [2, 2], CLAMP: [3, 3], INT: [1, 1], TRUNC: [1, 2], MROUND: [2, 2], SIGN: [1, 1],
    PRODUCT: [1, -1], SUMPRODUCT: [1, -1], LOG: [1, 2], PI: [0, 0], EVEN: [1, 1], ODD: [1, 1],
    PMT: [3, 5], FV: [3, 5], PV: [3, 5], NPV: [2, -1],
    CHOOSE: [2, -1], LEN: [1, 1], UPPER: [1, 1], LOWER: [1, 1], CONTAINS: [2, 2],
    COUNTSELECTED: [1, 1], ISBLANK: [1, 1], COALESCE: [1, -1], LOOKUP: [3, 3],
    IFERROR: [2, 2], IFNA: [2, 2], XOR: [1, -1], SWITCH: [3, -1], ISNUMBER: [1, 1], ISTEXT: [1, 1],
    ISERROR: [1, 1], LET: [3, -1]
  };
  var has = function (o, k) { return Object.prototype.hasOwnProperty.call(o, k); };

  // An error value travels as an exception; the node it arises in gives it a position.
  function FormulaError(code, text, pos) { this.code = code; this.text = text; this.pos = pos; }
  function fail(code, text) { throw new FormulaError(code, text); }

  function isNum(v) { return typeof v === "number"; }
  function blank(v) { return v === null || v === "" || (Array.isArray(v) && v.length === 0); }
  function strip(s) { return s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ""); }
  function cpLen(s) { var m = s.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g); return s.length - (m ? m.length : 0); }
  function text(s) {
    if (s.length > MAX_TEXT && cpLen(s) > MAX_TEXT) fail("LIMIT", "A text would be longer than 10,000 characters");
    return s;
  }
  function fin(x) {
    if (x - x !== 0) fail("NUM", "The result is too large to be a number");
    return x;
  }

  function norm(v) {
    if (v === null || v === undefined) return null;
    var t = typeof v;
    if (t === "boolean") return v;
    if (t === "number") { if (v - v !== 0) fail("NUM", "A value is not a finite number"); return v; }
    if (t === "string") return text(v);
    if (Array.isArray(v)) {
      return v.map(function (item) {
        if (Array.isArray(item)) fail("TYPE", "A list cannot contain another list");
        return norm(item);
      });
    }
    return fail("TYPE", "A value of this type is not supported");
  }

  function num(v) {
    if (isNum(v)) return v;
    if (v === null) return 0;
    if (typeof v === "boolean") return v ? 1 : 0;
    if (typeof v === "string") {
      var s = strip(v);
      if (s === "") return 0;
      if (!/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(s)) fail("TYPE", "A text is not a number");
      return fin(Number(s));
    }
    return fail("TYPE", "A list cannot be used as a number");
  }

  function sig15(x) {
    var s = x.toExponential(14), i = s.indexOf("e");
    return [s[0] + s.slice(2, i), Number(s.slice(i + 1))];
  }

  function fmt(x) {
    if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x === 0 ? 0 : x);
    var sign = x < 0 ? "-" : "", p = sig15(Math.abs(x)), d = p[0].replace(/0+$/, ""), e = p[1];
    if (Math.abs(x) > 1e15 || e < -15) {
      return sign + d[0] + (d.length > 1 ? "." + d.slice(1) : "") + "E" + (e > 0 ? "+" : "-") + String(Math.abs(e)).padStart(2, "0");
    }
    if (e < 0) return sign + "0." + "0".repeat(-e - 1) + d;
    var whole = d.slice(0, e + 1).padEnd(e + 1, "0"), frac = d.slice(e + 1);
    return sign + whole + (frac ? "." + frac : "");
  }

  function str(v) {
    if (typeof v === "string") return v;
    if (v === null) return "";
    if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
    if (isNum(v)) return fmt(v);
    return text(v.map(str).join(", "));
  }

  function bool(v) {
    if (typeof v === "boolean") return v;
    if (v === null) return false;
    if (isNum(v)) return v !== 0;
    if (typeof v === "string") {
      var s = strip(v).toLowerCase();
      if (s === "true") return true;
      if (s === "false" || s === "") return false;
    }
    return fail("TYPE", "A value cannot be used as TRUE or FALSE");
  }

  // Spreadsheet tolerance (Calc's approxEqual/approxAdd/approxSub), as in _approx.py.
  var E48 = Math.pow(2, -48), WHOLE = Math.pow(2, 53);
  function approxEq(a, b) {
    if (a === b) return true;
    if (a === 0 || b === 0) return false;
    var d = a > b ? a - b : b - a;
    if (!(d < 1.8e308)) return false;
    a = Math.abs(a); b = Math.abs(b);
    if (d >= a * E48 || d >= b * E48) return false;
    return !(Number.isInteger(d) && Number.isInteger(a) && Number.isInteger(b) && a < WHOLE && b < WHOLE);
  }
  function add(a, b) { var r = a + b; return Math.abs(r) >= Math.abs(a) * E48 || !approxEq(a, -b) ? r : 0; }
  function sub(a, b) { var r = a - b; return Math.abs(r) >= Math.abs(a) * E48 || !approxEq(a, b) ? r : 0; }

  function codes(s) {
    return Array.from(s, function (c) { return String.fromCharCode(0xE000 + Math.floor(c.codePointAt(0) / 0x10000)) + c; }).join("");
  }
  function kind(v) { return typeof v === "boolean" ? 2 : typeof v === "string" ? 1 : 0; }
  function empty(v) { return typeof v === "string" ? "" : typeof v === "boolean" ? false : 0; }
  function cmp(a, b) {
    if (Array.isArray(a) || Array.isArray(b)) fail("TYPE", "A list cannot be compared; use CONTAINS or COUNTSELECTED");
    if (a === null) { if (b === null) return 0; a = empty(b); } else if (b === null) b = empty(a);
    var ka = kind(a), kb = kind(b);
    if (ka !== kb) return ka < kb ? -1 : 1;
    if (ka === 0) return approxEq(a, b) ? 0 : a > b ? 1 : -1;
    if (ka === 1) {
      a = a.toLowerCase(); b = b.toLowerCase();
      // Python orders text by code point; JS by UTF-16 unit, which differs only with surrogates.
      if (a !== b && /[\uD800-\uDFFF]/.test(a + b)) { a = codes(a); b = codes(b); }
    }
    return a > b ? 1 : a < b ? -1 : 0;
  }

  // Round on the 15 significant digits, as spreadsheets do; mode "half", "up" or "down".
  function rnd(x, d, mode) {
    if (x === 0) return 0;
    var neg = x < 0, a = Math.abs(x), w, up = false;
    d = Math.trunc(Math.max(-400, Math.min(400, d)));
    if (d >= 0 && a < 1e15 && Number.isInteger(a)) return x;
    var p = sig15(a), k = p[1] + 1 + d;
    if (k >= 15) return x;
    if (k < 0) w = mode === "up" ? 1 : 0;
    else {
      var rest = p[0].slice(k);
      w = Number(p[0].slice(0, k));
      up = mode === "half" ? rest[0] >= "5" : mode === "up" && /[1-9]/.test(rest);
      if (up) w += 1;
    }
    if (w === 0) return 0;
    var r = fin(Number(w + "e" + (-d)));
    return neg ? -r : r;
  }

  function pow(a, b) {
    if (a === 0 && b < 0) fail("DIV_ZERO", "Zero to a negative power is a division by zero");
    if (a < 0 && !Number.isInteger(b)) fail("NUM", "A negative number to a fractional power is not a real number");
    return fin(Math.pow(a, b));
  }
  function div(a, b) {
    if (b === 0) fail("DIV_ZERO", "Division by zero");
    return fin(a / b);
  }

  function items(args) {
    var out = [];
    args.forEach(function (a) { if (Array.isArray(a)) out.push.apply(out, a); else out.push(a); });
    return out;
  }
  function nums(args) {
    return items(args).filter(function (v) { return v !== null && v !== ""; }).map(num);
  }
  function total(xs) { var t = 0; for (var i = 0; i < xs.length; i++) t = add(t, xs[i]); return t; }
  function pick(xs, less) {
    if (!xs.length) return 0;
    var best = xs[0];
    for (var i = 1; i < xs.length; i++) if (less(xs[i], best)) best = xs[i];
    return best;
  }
  // MOD exact on the 15-significant-digit decimal values (binary remainder past 2^53), as _fn_maths.
  function dec(x) { big(); var p = sig15(Math.abs(x)); return [BigInt(p[0]) * BigInt(x < 0 ? -1 : 1), p[1] - 14]; }
  function mod(x, y) {
    if (y === 0) fail("DIV_ZERO", "MOD by zero is a division by zero");
    if (x === 0) return 0;
    var r;
    if (Math.abs(fin(x / y)) >= WHOLE) {
      r = x % y;
      if (r !== 0 && (r < 0) !== (y < 0)) r += y;
      return fin(r);
    }
    var p = dec(x), q = dec(y), e = Math.min(p[1], q[1]), ten = BigInt(10), zero = BigInt(0);
    var b = q[0] * ten ** BigInt(q[1] - e);
    r = (p[0] * ten ** BigInt(p[1] - e)) % b;
    if (r !== zero && (r < zero) !== (b < zero)) r += b;
    return Number(r.toString() + "e" + e);
  }
  // BigInt (for exact decimal MOD and multiples) is made on first use, so that a browser
  // without it still runs every other function.
  var TEN, ZERO, ONE, TWO;
  function big() { if (!TEN) { TEN = BigInt(10); ZERO = BigInt(0); ONE = BigInt(1); TWO = BigInt(2); } }
  function floorDiv(a, b) { var q = a / b; return a % b !== ZERO && a < ZERO ? q - ONE : q; }
  function approxValue(x) {
    if (x === 0) return 0;
    var p = sig15(Math.abs(x)), v = Number(p[0] + "e" + (p[1] - 14));
    return x < 0 ? -v : v;
  }
  function approxFloor(x) { return x === 0 ? 0 : Math.floor(approxValue(x)); }
  // x to a multiple of step > 0 ("floor", "ceiling", "half") on the 15-digit decimals, as _fn_maths.
  function multiple(x, step, mode) {
    if (step === 0 || x === 0) return 0;
    if (Math.abs(fin(x / step)) >= WHOLE) return x;
    var p = dec(x), q = dec(step), e = Math.min(p[1], q[1]), count;
    var top = p[0] * TEN ** BigInt(p[1] - e), unit = q[0] * TEN ** BigInt(q[1] - e);
    if (mode === "half") {
      var at = top < ZERO ? -top : top;
      count = at / unit;
      if (TWO * (at % unit) >= unit) count += ONE;
      if (top < ZERO) count = -count;
    } else count = mode === "floor" ? floorDiv(top, unit) : -floorDiv(-top, unit);
    return fin(Number((count * unit).toString() + "e" + e));
  }
  function stepped(mode, name) {
    return function (a) {
      var x = num(a[0]);
      if (a.length < 2) return rnd(x, 0, (x >= 0) === (mode === "floor") ? "down" : "up");
      var step = num(a[1]);
      if (x > 0 && step < 0) fail("NUM", name + " of a positive number needs a positive multiple");
      return multiple(x, Math.abs(step), mode);
    };
  }

  // Annuities with log1p/expm1, accurate at tiny rates (as _fn_annuity.py); null: use rate 0.
  function grow(x) { return [fin(Math.exp(x)), fin(Math.expm1(x))]; }
  function logGrowth(r, per) {
    if (r <= -1) return null;
    var l = per * Math.log1p(r);
    return l === 0 ? null : l;
  }
  function pmt(r, per, pv, fv, t) {
    if (per === 0) fail("NUM", "PMT needs a number of periods other than 0");
    var l = logGrowth(r, per), g;
    if (r === 0 || (l === null && r > -1)) return div(-(pv + fv), per);
    if (l === null) { g = pow(1 + r, per); return div(-(r * (pv * g + fv)), (1 + r * t) * (g - 1)); }
    if (l > 0) { g = grow(-l); return div(-r * (pv + fv * g[0]), (1 + r * t) * -g[1]); }
    g = grow(l);
    return div(-r * (pv * g[0] + fv), (1 + r * t) * g[1]);
  }
  function fv(r, per, pmt, pv, t) {
    var l = logGrowth(r, per), g;
    if (r === 0 || (l === null && r > -1)) return fin(-(pv + pmt * per));
    if (l === null) { g = pow(1 + r, per); return fin(-(pv * g + div(pmt * (1 + r * t) * (g - 1), r))); }
    g = grow(l);
    return fin(-(pv * g[0] + pmt * (1 + r * t) * (g[1] / r)));
  }
  function pv(r, per, pmt, fv, t) {
    var l = logGrowth(r, per), g;
    if (r === 0 || (l === null && r > -1)) return fin(-(fv + pmt * per));
    if (l === null) { g = pow(1 + r, per); return div(-(fv + div(pmt * (1 + r * t) * (g - 1), r)), g); }
    g = grow(-l);
    return fin(-(fv * g[0] + pmt * (1 + r * t) * (-g[1] / r)));
  }
  function finance(args) {
    var n = args.map(num);
    while (n.length < 5) n.push(0);
    n[4] = n[4] === 0 ? 0 : 1;
    return n;
  }
  function unary(f, domain) {
    return function (args) {
      var x = num(args[0]);
      if (domain === 1 && x <= 0) fail("NUM", "The logarithm of zero or a negative number is not defined");
      if (domain === 2 && x < 0) fail("NUM", "The square root of a negative number is not a real number");
      return fin(f(x));
    };
  }
  function digits(args) { return args.length < 2 ? 0 : num(args[1]); }

  var EAGER = {
    AND: function (a) { return items(a).map(bool).every(Boolean); },
    OR: function (a) { return items(a).map(bool).some(Boolean); },
    NOT: function (a) { return !bool(a[0]); },
    MIN: function (a) { return pick(nums(a), function (x, y) { return x < y; }); },
    MAX: function (a) { return pick(nums(a), function (x, y) { return x > y; }); },
    SUM: function (a) { return fin(total(nums(a))); },
    AVERAGE: function (a) {
      var xs = nums(a);
      if (!xs.length) fail("DIV_ZERO", "AVERAGE of no values is a division by zero");
      return fin(total(xs) / xs.length);
    },
    COUNT: function (a) {
      return a.reduce(function (n, v) {
        if (Array.isArray(v)) return n + v.filter(isNum).length;
        if (typeof v === "string") { try { num(v); return n + (strip(v) !== ""); } catch (e) { return n; } }
        return n + (isNum(v) || typeof v === "boolean");
      }, 0);
    },
    ROUND: function (a) { return rnd(num(a[0]), digits(a), "half"); },
    ROUNDUP: function (a) { return rnd(num(a[0]), digits(a), "up"); },
    ROUNDDOWN: function (a) { return rnd(num(a[0]), digits(a), "down"); },
    FLOOR: stepped("floor", "FLOOR"),
    CEILING: stepped("ceiling", "CEILING"),
    INT: function (a) { return approxFloor(num(a[0])); },
    TRUNC: function (a) { return rnd(num(a[0]), digits(a), "down"); },
    MROUND: function (a) { return multiple(num(a[0]), Math.abs(num(a[1])), "half"); },
    SIGN: function (a) { var x = num(a[0]); return x > 0 ? 1 : x < 0 ? -1 : 0; },
    PRODUCT: function (a) {
      var xs = nums(a), r = 1;
      for (var i = 0; i < xs.length; i++) r *= xs[i];
      return xs.length ? fin(r) : 0;
    },
    SUMPRODUCT: function (a) {
      var cols = a.map(function (v) { return Array.isArray(v) ? v : [v]; }), t = 0;
      cols.forEach(function (c) { if (c.length !== cols[0].length) fail("TYPE", "SUMPRODUCT needs lists of the same length"); });
      for (var i = 0; i < cols[0].length; i++) {
        var p = 1;
        for (var j = 0; j < cols.length; j++) p *= isNum(cols[j][i]) ? cols[j][i] : 0;
        t = add(t, p);
      }
      return fin(t);
    },
    LOG: function (a) {
      var x = num(a[0]), b = a.length > 1 ? num(a[1]) : 10;
      if (x <= 0 || b <= 0) fail("NUM", "LOG needs a number and a base above 0");
      if (b === 1) fail("NUM", "LOG to the base 1 is not defined");
      return b === 10 ? Math.log10(x) : b === 2 ? Math.log2(x) : fin(Math.log(x) / Math.log(b));
    },
    PI: function () { return Math.PI; },
    EVEN: function (a) { var x = num(a[0]), s = Math.ceil(approxValue(Math.abs(x)) / 2) * 2; return fin(x < 0 ? -s : s); },
    ODD: function (a) {
      var x = num(a[0]), s = Math.ceil(approxValue(Math.abs(x)));
      if (s % 2 !== 1) s += 1;
      return fin(x < 0 ? -s : s);
    },
    ABS: unary(Math.abs),
    SQRT: unary(Math.sqrt, 2),
    POWER: function (a) { return pow(num(a[0]), num(a[1])); },
    EXP: unary(Math.exp),
    LN: unary(Math.log, 1),
    LOG10: unary(Math.log10, 1),
    MOD: function (a) { return mod(num(a[0]), num(a[1])); },
    CLAMP: function (a) {
      var x = num(a[0]), lo = num(a[1]), hi = num(a[2]);
      if (lo > hi) fail("ARG", "CLAMP needs its lower bound to be at most its upper bound");
      return x < lo ? lo : x > hi ? hi : x;
    },
    PMT: function (a) { return pmt.apply(null, finance(a)); },
    FV: function (a) { return fv.apply(null, finance(a)); },
    PV: function (a) { return pv.apply(null, finance(a)); },
    NPV: function (a) {
      var r = num(a[0]), xs = nums(a.slice(1)), t = 0;
      for (var i = 0; i < xs.length; i++) t += div(xs[i], pow(1 + r, i + 1));
      return fin(t);
    },
    LEN: function (a) { return cpLen(str(a[0])); },
    UPPER: function (a) { return text(str(a[0]).toUpperCase()); },
    LOWER: function (a) { return text(str(a[0]).toLowerCase()); },
    CONTAINS: function (a) {
      var c = a[0], item = a[1];
      if (Array.isArray(c)) return c.some(function (v) { return cmp(v, item) === 0; });
      if (blank(c)) return false;
      return str(c).toLowerCase().indexOf(str(item).toLowerCase()) >= 0;
    },
    COUNTSELECTED: function (a) {
      var v = a[0];
      if (Array.isArray(v)) return v.filter(function (x) { return x !== null && x !== ""; }).length;
      return blank(v) ? 0 : 1;
    },
    ISBLANK: function (a) { return blank(a[0]); },
    XOR: function (a) { return items(a).map(bool).filter(Boolean).length % 2 === 1; },
    ISNUMBER: function (a) { return isNum(a[0]); },
    ISTEXT: function (a) { return typeof a[0] === "string"; },
    ISERROR: function (a) { return a[0] instanceof FormulaError; }
  };
  EAGER.AVG = EAGER.AVERAGE;

  function sameKey(cell, key) {
    if ((isNum(cell) && typeof key === "string") || (isNum(key) && typeof cell === "string")) {
      try { return !blank(cell) && !blank(key) && num(cell) === num(key); } catch (e) { return false; }
    }
    return cmp(cell, key) === 0;
  }

  function lookup(args, ctx) {
    var tableNode = args[0];
    if (tableNode.type !== "name") fail("ARG", "LOOKUP needs the name of a table as its first value");
    var key = ev(args[1], ctx), column = ev(args[2], ctx), name = tableNode.name;
    if (!has(ctx.tables, name)) fail("NAME", "There is no table named '" + name + "'");
    column = str(column);
    if (Array.isArray(key)) fail("TYPE", "LOOKUP needs a single key, not a list");
    var rows = ctx.tables[name] || [];
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i], keys = row && typeof row === "object" && !Array.isArray(row) ? Object.keys(row) : [];
      if (!keys.length) continue;
      var cell = norm(row[keys[0]]);
      if (Array.isArray(cell) || !sameKey(cell, key)) continue;
      if (has(row, column)) return norm(row[column]);
      for (var j = 0; j < keys.length; j++) if (keys[j].toLowerCase() === column.toLowerCase()) return norm(row[keys[j]]);
      fail("ARG", "The table '" + name + "' has no column '" + column + "'");
    }
    return fail("ARG", "No row of the table '" + name + "' has that key in its first column");
  }

  // Functions that evaluate only what they need, or read tables: they get the argument nodes.
  var LAZY = {
    IF: function (args, ctx) { return bool(ev(args[0], ctx)) ? ev(args[1], ctx) : ev(args[2], ctx); },
    IFS: function (args, ctx) {
      for (var i = 0; i < args.length; i += 2) if (bool(ev(args[i], ctx))) return ev(args[i + 1], ctx);
      return fail("NA", "No condition in IFS is true");
    },
    CHOOSE: function (args, ctx) {
      var i = Math.trunc(num(ev(args[0], ctx)));
      if (i >= 1 && i < args.length) return ev(args[i], ctx);
      return fail("ARG", "CHOOSE has no option number " + i);
    },
    COALESCE: function (args, ctx) {
      for (var i = 0; i < args.length; i++) { var v = ev(args[i], ctx); if (!blank(v)) return v; }
      return null;
    },
    LOOKUP: lookup,
    IFERROR: function (args, ctx) { var v = attempt(args[0], ctx); return v instanceof FormulaError ? ev(args[1], ctx) : v; },
    IFNA: function (args, ctx) {
      var v = attempt(args[0], ctx);
      if (!(v instanceof FormulaError)) return v;
      if (v.code === "NA") return ev(args[1], ctx);
      throw v;
    },
    SWITCH: function (args, ctx) {
      var x = ev(args[0], ctx), i;
      for (i = 1; i + 1 < args.length; i += 2) if (cmp(x, ev(args[i], ctx)) === 0) return ev(args[i + 1], ctx);
      if (args.length % 2 === 0) return ev(args[args.length - 1], ctx);
      return fail("NA", "SWITCH found no case matching its value");
    },
    LET: function (args, ctx) {
      var inner = { vars: Object.assign({}, ctx.vars), tables: ctx.tables }, i;
      for (i = 0; i + 1 < args.length; i += 2) {
        if (args[i].type !== "name") fail("ARG", "LET needs a name before each value, as in LET(x, 2, x * x)");
      }
      for (i = 0; i + 1 < args.length; i += 2) inner.vars[args[i].name] = ev(args[i + 1], inner);
      return ev(args[args.length - 1], inner);
    }
  };
  // Eager functions that see error arguments (as FormulaError objects) instead of failing.
  var TOLERANT = { COUNT: true, ISNUMBER: true, ISTEXT: true, ISERROR: true };

  // The value of a node, or its error as a FormulaError object instead of a throw.
  function attempt(node, ctx) {
    try { return ev(node, ctx); } catch (e) { if (e instanceof FormulaError) return e; throw e; }
  }

  function call(node, ctx) {
    var name = node.name, args = node.args, arity = ARITY[name], n = args.length;
    if (!arity) fail("NAME", "Unknown function " + name);
    if (n < arity[0] || (arity[1] >= 0 && n > arity[1]) || (name === "IFS" && n % 2) || (name === "LET" && n % 2 === 0)) {
      fail("ARG", name + " was given the wrong number of values");
    }
    if (has(LAZY, name)) return LAZY[name](args, ctx);
    var get = has(TOLERANT, name) ? attempt : ev;
    return EAGER[name](args.map(function (a) { return get(a, ctx); }));
  }

  // A family from formula-more.js: {arity: {NAME: [min, max or -1]}, eager: {NAME: f(values)},
  // lazy: {NAME: f(argNodes, ctx)}, tolerant: [NAME, ...]}.
  function register(family) {
    ["arity", "eager", "lazy"].forEach(function (part) {
      var into = part === "arity" ? ARITY : part === "eager" ? EAGER : LAZY, from = family[part] || {};
      Object.keys(from).forEach(function (k) { into[k] = from[k]; });
    });
    (family.tolerant || []).forEach(function (k) { TOLERANT[k] = true; });
    api.FUNCTIONS = Object.keys(ARITY);
  }

  var ORDER = {
    "==": function (c) { return c === 0; }, "!=": function (c) { return c !== 0; },
    "<": function (c) { return c < 0; }, "<=": function (c) { return c <= 0; },
    ">": function (c) { return c > 0; }, ">=": function (c) { return c >= 0; }
  };

  function binary(op, a, b) {
    switch (op) {
      case "+": return fin(add(num(a), num(b)));
      case "-": return fin(sub(num(a), num(b)));
      case "*": return fin(num(a) * num(b));
      case "/": return div(num(a), num(b));
      case "^": return pow(num(a), num(b));
      case "&": return text(str(a) + str(b));
      case "and": a = bool(a); b = bool(b); return a && b;
      case "or": a = bool(a); b = bool(b); return a || b;
    }
    return ORDER[op](cmp(a, b));
  }

  function ev1(node, ctx) {
    switch (node.type) {
      case "number": return node.value;
      case "text": return text(node.value);
      case "boolean": return node.value;
      case "name":
        if (!has(ctx.vars, node.name)) fail("NAME", "No value was given for '" + node.name + "'");
        return norm(ctx.vars[node.name]);
      case "unary":
        var v = ev(node.operand, ctx);
        return node.op === "not" ? !bool(v) : node.op === "-" ? -num(v) : num(v);
      case "binary":
        var a = ev(node.left, ctx), b = ev(node.right, ctx);
        return binary(node.op, a, b);
      case "call": return call(node, ctx);
    }
    return fail("PARSE", "Unknown formula node");
  }

  function ev(node, ctx) {
    try {
      return ev1(node, ctx);
    } catch (e) {
      if (e instanceof FormulaError && e.pos === undefined) e.pos = node.pos;
      throw e;
    }
  }

  function evaluate(ast, variables, tables) {
    try {
      return { ok: true, value: ev(ast, { vars: variables || {}, tables: tables || {} }) };
    } catch (e) {
      if (!(e instanceof FormulaError)) {
        if (e instanceof RangeError) return { ok: false, code: "LIMIT", message: "The formula is nested too deeply." };
        throw e;
      }
      var where = e.pos === undefined || e.pos === null ? "" : " at position " + e.pos;
      return { ok: false, code: e.code, message: e.text + where + ".", position: e.pos };
    }
  }

  var api = {
    evaluate: evaluate, formatNumber: fmt, FUNCTIONS: Object.keys(ARITY), register: register,
    // The building blocks formula-more.js shares with the core.
    lib: {
      fail: fail, FormulaError: FormulaError, num: num, str: str, bool: bool, text: text, fin: fin,
      norm: norm, blank: blank, cmp: cmp, rnd: rnd, pow: pow, div: div, fmt: fmt, items: items,
      nums: nums, total: total, add: add, sub: sub, approxEq: approxEq, sig15: sig15, mod: mod,
      pmt: pmt, fv: fv, pv: pv, isNum: isNum, ev: ev, attempt: attempt, has: has, cpLen: cpLen, sameKey: sameKey
    }
  };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  root.KeyvexFormula = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
