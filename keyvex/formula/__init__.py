"""The Keyvex formula language: parser, static analysis and a fast compiled evaluator.

The browser runtime in ``js/formula.js`` evaluates the JSON AST from ``Formula.to_json()``
with exactly the same rules; differential tests prove the two agree.

Values are numbers (IEEE doubles), text, booleans, lists (multi-select answers) and blank
(``None``, an unanswered input). Errors are values too; they flow through operators and
functions, and the Python API raises ``FormulaError`` when the final value is one.

Coercion rules (both evaluators):

* To a number (arithmetic, numeric functions): blank is 0; TRUE is 1 and FALSE is 0; text
  that is empty or only spaces is 0; text written as a decimal number (``"12"``, ``" -1.5e3 "``,
  no ``%``, no thousands separators) is that number; any other text or a list is a TYPE error.
* To text (``&``, LEN, UPPER, LOWER, CONTAINS): blank is ""; booleans are "TRUE"/"FALSE";
  numbers use at most 15 significant digits like a spreadsheet (``0.1 + 0.2`` gives "0.3",
  whole numbers have no decimal point, above 1E+15 and below 1E-15 ``1.5E+21`` notation); a
  list is its items joined with ", ".
* To a condition (IF, IFS, AND, OR, NOT, ``and``, ``or``, ``not``): blank and 0 are false,
  other numbers true; the texts "true"/"false" (any case) and "" work; other text and lists
  are TYPE errors.
* Comparisons: a blank side takes the other side's empty value (0, "" or FALSE); numbers
  compare numerically and are equal when they agree to about 15 significant digits
  (LibreOffice's rule, ``_approx.py``: ``0.1 + 0.2 = 0.3`` is TRUE), text
  case-insensitively, FALSE < TRUE; values of different kinds are
  never equal and order as number < text < boolean (like a spreadsheet); a list cannot be
  compared (use CONTAINS).
* ``+`` and ``-`` (and SUM) give exactly 0 when the two numbers cancel out to 15 significant
  digits, so ``0.1 + 0.2 - 0.3`` is 0 and dividing by it is DIV_ZERO, as in a spreadsheet.
* Aggregates (SUM, AVERAGE/AVG, MIN, MAX, NPV) flatten lists and skip blanks and empty text;
  MIN and MAX of nothing are 0; AVERAGE of nothing is DIV_ZERO. COUNT counts the numbers in
  lists, and numbers, booleans and numeric text given directly; it skips errors.
* ISBLANK and COALESCE treat blank, empty text and an empty list as blank.
* Rounding (ROUND, ROUNDUP, ROUNDDOWN, FLOOR, CEILING) works on the number's 15 significant
  digits, so ROUND(2.675, 2) is 2.68 as in a spreadsheet; digits may be negative and are
  truncated towards zero, as is CHOOSE's index. MOD works on the 15-significant-digit decimal
  values, so MOD(0.3, 0.1) is 0.
* PMT, FV and PV follow spreadsheet signs (money paid out is negative); a ``type`` other
  than 0 means payments at the start of each period; a rate of 0 is handled, tiny rates are
  exact (log1p/expm1), and a finite answer stays finite (``PV(10, 500, -1)`` is 0.1).
* ``x ^ y``: 0 to a negative power is DIV_ZERO, a negative number to a fractional power is
  NUM, ``0 ^ 0`` is 1. Any infinite result is NUM.
* ``and`` / ``or`` / AND / OR evaluate all their operands (an error in either propagates);
  IF, IFS, CHOOSE and COALESCE evaluate only what they need.
* Keywords ``and or not true false`` are case-insensitive; ``not(x)`` is the function NOT.
* Nesting is the depth of the syntax tree and of parentheses; more than 64 levels is LIMIT
  (a chain ``a + b + c ...`` counts one level per operator: use SUM for long lists).
* LOOKUP(table, key, column): the key matches the first column of a row (numbers
  numerically, also against numeric text; text case-insensitively); the column name is
  matched exactly, then case-insensitively. A row's first column is its first key, so
  column names must not look like whole numbers (JavaScript would reorder them).
* VLOOKUP, INDEX, MATCH, XLOOKUP and TABLECOLUMN (``_fn_lookup.py``) read tables by name and
  lists; "nothing found" is the NA error, which IFNA catches and IFERROR catches with the rest.
  Criteria of COUNTIF, SUMIF(S), AVERAGEIF(S), MINIFS and MAXIFS (``_fn_stats.py``) are a value
  (text case-insensitive, ``*`` and ``?`` wildcards) or an operator and a value as text
  (``">4"``, ``"<>north"``). Text positions count code points, from 1.
* LET(name, value, ..., result) evaluates the values in order, each seeing the names before
  it; a value that is an error is the result; the names are not inputs of the formula.
* Every function's arity, summary, result kind and the kind of each value (``Arity.kinds``)
  are in FUNCTIONS; the user documentation with an example per function is
  ``docs/formulas.md``.
* Inputs: ints become floats; NaN, infinities and ints too large for a float are NUM; a
  list inside a list or any other type is TYPE; a text over 10,000 characters is LIMIT.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from copy import deepcopy
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from ._analyze import analyze
from ._errors import Diagnostic, ErrorValue, Fail, FormulaError
from ._evaluate import _is_constant as is_constant
from ._evaluate import compile_node
from ._fastpath import fast_path
from ._fn_dates import NOW_TABLE, date_of, serial_of
from ._functions import FUNCTIONS, TABLE_ARGS, Arity, scripts_for
from ._parser import parse
from ._printer import to_source
from ._values import Scalar

__all__ = [
    "FUNCTIONS",
    "NOW_TABLE",
    "Arity",
    "Diagnostic",
    "Formula",
    "FormulaError",
    "Result",
    "analyze",
    "browser_scripts",
    "compile",
    "date_serial",
    "evaluate",
    "serial_date",
    "to_source",
]

Result = float | str | bool | list[Scalar] | None
_EMPTY: dict[str, object] = {}


class Formula:
    """A parsed and compiled formula, ready to be evaluated many times."""

    __slots__ = ("source", "names", "tables", "functions", "_tree", "_run")

    def __init__(self, source: str) -> None:
        self.source = source
        self._tree = parse(source)
        self._run = compile_node(self._tree, source)
        fast = fast_path(
            self._tree, self._run, is_constant, lambda node: compile_node(node, source)({}, {})
        )
        if fast is not None:  # the same values, without a call per node (see _fastpath)
            self._run = fast
        names: set[str] = set()
        tables: set[str] = set()
        functions: set[str] = set()
        _collect(self._tree, names, tables, functions)
        self.names: frozenset[str] = frozenset(names)
        self.tables: frozenset[str] = frozenset(tables)
        self.functions: frozenset[str] = frozenset(functions)

    def evaluate(
        self,
        variables: Mapping[str, object] | None = None,
        tables: Mapping[str, object] | None = None,
        now: datetime | None = None,
    ) -> Result:
        """The value for these inputs; raises FormulaError when it is an error.

        `now` is the evaluation time TODAY() and NOW() read (the machine's clock without it).
        """
        if type(variables) is not dict:
            # Plain dicts only: a defaultdict or other mapping must not invent values.
            variables = _EMPTY if variables is None else dict(variables)
        if now is not None:
            tables = {**(tables or {}), NOW_TABLE: serial_of(now)}
        value = self._run(variables, _EMPTY if tables is None else tables)
        if type(value) is ErrorValue:
            raise value.to_exception()
        return value  # type: ignore[return-value]

    def to_json(self) -> dict[str, Any]:
        """The AST as plain JSON data, for the browser runtime."""
        return deepcopy(self._tree)

    def __repr__(self) -> str:
        return f"Formula({self.source!r})"


def _collect(node: dict[str, Any], names: set[str], tables: set[str], functions: set[str]) -> None:
    kind = node["type"]
    if kind == "name":
        names.add(node["name"])
    elif kind == "unary":
        _collect(node["operand"], names, tables, functions)
    elif kind == "binary":
        _collect(node["left"], names, tables, functions)
        _collect(node["right"], names, tables, functions)
    elif kind == "call":
        functions.add(node["name"])
        args = list(node["args"])
        position = TABLE_ARGS.get(node["name"])
        if position is not None and position < len(args) and args[position]["type"] == "name":
            tables.add(args[position]["name"])
            if node["name"] != "INDEX":  # INDEX's first value may also be a list input
                del args[position]
        if node["name"] == "LET":
            inner: set[str] = set()
            for arg in args[1::2] + args[-1:]:
                _collect(arg, inner, tables, functions)
            names |= inner - {arg.get("name") for arg in args[:-1:2]}
            return
        for arg in args:
            _collect(arg, names, tables, functions)


def browser_scripts(sources: Iterable[str]) -> tuple[str, ...]:
    """The runtime files (in ``js/``, in loading order) a page evaluating these formulas needs:
    ``formula.js``, plus ``formula-more.js`` when a formula calls one of its functions.
    Formulas that do not parse are skipped (they never reach a page)."""
    functions: set[str] = set()
    for source in sources:
        try:
            functions |= compile(source).functions
        except FormulaError:
            continue
    return scripts_for(functions)


@lru_cache(maxsize=512)
def _compiled(source: str) -> Formula:
    return Formula(source)


def compile(source: str) -> Formula:  # shadows the built-in on purpose: formula.compile
    """Parse and compile `source` once; raises FormulaError when it does not parse."""
    if not isinstance(source, str):
        raise FormulaError("PARSE", "A formula must be text.", None)
    return _compiled(source)


def evaluate(
    source: str,
    variables: Mapping[str, object] | None = None,
    tables: Mapping[str, object] | None = None,
    now: datetime | None = None,
) -> Result:
    """Evaluate formula text once; raises FormulaError for bad text or an error value."""
    return compile(source).evaluate(variables, tables, now)


def date_serial(moment: date | datetime) -> float:
    """The spreadsheet serial number formulas see for a date (days since 1899-12-30, UTC)."""
    return serial_of(moment)


def serial_date(serial: float) -> date:
    """The calendar date of a serial number; raises FormulaError (NUM) out of 1-9999."""
    try:
        return date_of(serial)
    except Fail as failure:
        raise FormulaError(failure.code, failure.text, None) from None
