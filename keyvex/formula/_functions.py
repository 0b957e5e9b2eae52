"""The built-in functions: the core family, and the merge of every family into one registry.

Each family module exports ``FAMILY`` (see ``_family.py`` for its shape); this module merges
them into FUNCTIONS (arity and summary), EAGER, COMPILERS, TOLERANT and SCRIPTS (the browser
file implementing each function). To add a family: create ``_fn_<name>.py`` with a FAMILY and
add it to ``_FAMILIES`` below; put its JavaScript in ``js/formula-more.js`` unless nearly
every tool needs it (``js/formula.js`` must stay under 12 KB gzipped).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from . import (
    _fn_annuity,
    _fn_dates,
    _fn_finance,
    _fn_logic,
    _fn_lookup,
    _fn_maths,
    _fn_stats,
    _fn_text,
)
from ._approx import approx_add
from ._errors import Fail
from ._family import (
    CORE_SCRIPT,
    Args,
    Arity,
    Compiler,
    Eager,
    Family,
    divide,
    items,
    number_fn,
    numbers,
    power,
    typed,
)
from ._fn_maths import modulo
from ._lazy import COMPILERS as _LAZY
from ._values import Value, check_number, check_text, compare, is_blank, to_bool, to_number, to_text

__all__ = ["Arity", "divide", "modulo", "power"]


def total(values: list[float]) -> float:
    """The sum as a spreadsheet adds: each addition snaps a cancelled-out result to 0."""
    result = 0.0
    for number in values:
        result = approx_add(result, number)
    return check_number(result)


def _sum(args: Args) -> Value:
    return total(numbers(args))


def _average(args: Args) -> Value:
    values = numbers(args)
    if not values:
        raise Fail("DIV_ZERO", "AVERAGE of no values is a division by zero")
    return check_number(total(values) / len(values))


def _min(args: Args) -> Value:
    values = numbers(args)
    return min(values) if values else 0.0


def _max(args: Args) -> Value:
    values = numbers(args)
    return max(values) if values else 0.0


def _count(args: Args) -> Value:
    """Numbers in lists; numbers, booleans and numeric text given directly (as Calc)."""
    return float(sum(_counts(arg) for arg in args))


def _counts(value: Value) -> int:
    if isinstance(value, list):
        return sum(1 for item in value if type(item) is float)
    if isinstance(value, str):
        try:
            to_number(value)
        except Fail:
            return 0
        return 1 if value.strip(" \t\r\n") else 0
    return 1 if type(value) is float or isinstance(value, bool) else 0


def _contains(args: Args) -> Value:
    container, item = args
    if isinstance(container, list):
        return any(compare(element, item) == 0 for element in container)
    if is_blank(container):
        return False
    return to_text(item).lower() in to_text(container).lower()


def _count_selected(args: Args) -> Value:
    value = args[0]
    if isinstance(value, list):
        return float(sum(1 for item in value if item is not None and item != ""))
    return 0.0 if is_blank(value) else 1.0


def _all(args: Args) -> Value:
    truths = [to_bool(item) for item in items(args)]  # every value converts, so errors show
    return all(truths)


def _any(args: Args) -> Value:
    truths = [to_bool(item) for item in items(args)]
    return any(truths)


CORE = Family(
    arities={
        "IF": typed(
            3, 3, "IF(condition, then, else): only the branch taken is evaluated", "any", "baa"
        ),
        "IFS": Arity(2, None, "IFS(c1, v1, c2, v2, ...): the value of the first true condition"),
        "AND": typed(1, None, "AND(a, b, ...): TRUE when every value is true", "boolean", "b"),
        "OR": typed(1, None, "OR(a, b, ...): TRUE when any value is true", "boolean", "b"),
        "NOT": typed(1, 1, "NOT(a): the opposite truth value", "boolean", "b"),
        "MIN": number_fn(1, None, "MIN(a, b, ...): smallest number; lists are flattened"),
        "MAX": number_fn(1, None, "MAX(a, b, ...): largest number; lists are flattened"),
        "SUM": number_fn(1, None, "SUM(a, b, ...): total; lists are flattened, blanks skipped"),
        "AVERAGE": number_fn(1, None, "AVERAGE(a, b, ...): mean of the non-blank values"),
        "AVG": number_fn(1, None, "AVG(a, b, ...): same as AVERAGE"),
        "COUNT": Arity(1, None, "COUNT(a, b, ...): how many values are numbers", "number"),
        "CHOOSE": typed(
            2, None, "CHOOSE(i, a, b, ...): the i-th value, counting from 1", "any", "na"
        ),
        "LEN": typed(1, 1, "LEN(text): number of characters", "number", "t"),
        "UPPER": typed(1, 1, "UPPER(text): in capitals", "text", "t"),
        "LOWER": typed(1, 1, "LOWER(text): in small letters", "text", "t"),
        "CONTAINS": Arity(2, 2, "CONTAINS(list_or_text, item): TRUE when item is in it", "boolean"),
        "COUNTSELECTED": typed(
            1, 1, "COUNTSELECTED(list): number of selected options", "number", "l"
        ),
        "ISBLANK": Arity(
            1, 1, "ISBLANK(x): TRUE when x is blank, empty text or empty list", "boolean"
        ),
        "COALESCE": Arity(1, None, "COALESCE(a, b, ...): the first non-blank value"),
        "LOOKUP": typed(3, 3, "LOOKUP(table, key, column): a cell of a data table", "any", "Taa"),
    },
    eager={
        "AND": _all,
        "OR": _any,
        "NOT": lambda args: not to_bool(args[0]),
        "MIN": _min,
        "MAX": _max,
        "SUM": _sum,
        "AVERAGE": _average,
        "AVG": _average,
        "COUNT": _count,
        "LEN": lambda args: float(len(to_text(args[0]))),
        "UPPER": lambda args: check_text(to_text(args[0]).upper()),
        "LOWER": lambda args: check_text(to_text(args[0]).lower()),
        "CONTAINS": _contains,
        "COUNTSELECTED": _count_selected,
        "ISBLANK": lambda args: is_blank(args[0]),
    },
    compilers=_LAZY,
    tolerant=frozenset({"COUNT"}),
    tables={"LOOKUP": 0},
)

_FAMILIES: tuple[Family, ...] = (
    CORE,
    _fn_maths.FAMILY,
    _fn_annuity.FAMILY,
    _fn_finance.FAMILY,
    _fn_dates.FAMILY,
    _fn_logic.FAMILY,
    _fn_stats.FAMILY,
    _fn_text.FAMILY,
    _fn_lookup.FAMILY,
)


def _merge() -> tuple[
    dict[str, Arity],
    dict[str, Eager],
    dict[str, Compiler],
    set[str],
    dict[str, str],
    dict[str, int],
]:
    arities: dict[str, Arity] = {}
    eager: dict[str, Eager] = {}
    compilers: dict[str, Compiler] = {}
    tolerant: set[str] = set()
    scripts: dict[str, str] = {}
    tables: dict[str, int] = {}
    for family in _FAMILIES:
        assert not set(family.arities) & set(arities), set(family.arities) & set(arities)
        arities.update(family.arities)
        eager.update(family.eager)
        compilers.update(family.compilers)
        tolerant |= family.tolerant
        scripts.update(dict.fromkeys(family.arities, family.script))
        tables.update(family.tables)
    return arities, eager, compilers, tolerant, scripts, tables


_arities, _eager, _compilers, _tolerant, _scripts, _tables = _merge()
FUNCTIONS: Mapping[str, Arity] = MappingProxyType(_arities)
EAGER: Mapping[str, Eager] = MappingProxyType(_eager)
COMPILERS: Mapping[str, Compiler] = MappingProxyType(_compilers)
LAZY = frozenset(_compilers)
TOLERANT = frozenset(_tolerant)
SCRIPTS: Mapping[str, str] = MappingProxyType(_scripts)
# Function -> the position of its argument that names a table (LOOKUP's first, VLOOKUP's second).
TABLE_ARGS: Mapping[str, int] = MappingProxyType(_tables)


def scripts_for(functions: frozenset[str] | set[str]) -> tuple[str, ...]:
    """The browser files, in loading order, that implement these function names."""
    extra = sorted({SCRIPTS[name] for name in functions if name in SCRIPTS} - {CORE_SCRIPT})
    return (CORE_SCRIPT, *extra)


def arity_problem(name: str, count: int) -> str | None:
    """A sentence saying why `count` values do not suit function `name`, or None."""
    arity = FUNCTIONS[name]
    if arity.maximum is None:
        if count < arity.minimum:
            plural = "value" if arity.minimum == 1 else "values"
            return f"{name} needs at least {arity.minimum} {plural}, but got {count}"
        if name == "IFS" and count % 2:
            return f"IFS needs pairs of condition and value, but got {count} values"
        if name == "LET" and count % 2 == 0:
            return f"LET needs names with values and then a result, but got {count} values"
        return None
    if arity.minimum <= count <= arity.maximum:
        return None
    if arity.minimum == arity.maximum:
        plural = "value" if arity.minimum == 1 else "values"
        return f"{name} takes {arity.minimum} {plural}, but got {count}"
    return f"{name} takes {arity.minimum} to {arity.maximum} values, but got {count}"
