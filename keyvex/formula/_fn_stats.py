"""Statistics functions: MEDIAN, MODE, STDEV, VAR, PERCENTILE, QUARTILE, LARGE, SMALL, RANK,
COUNTA and the conditional aggregates COUNTIF(S), SUMIF(S), AVERAGEIF(S), MINIFS, MAXIFS.

A "range" is a list (a multi-select answer, a list input, TABLECOLUMN(table, "column")) or a
single value. A criterion is a value to equal (text case-insensitively, with * and ? as
wildcards) or a text starting with an operator: ">4", "<=10", "<>north", "=".
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from ._approx import approx_add, approx_equal
from ._errors import Fail
from ._family import MORE_SCRIPT, Args, Arity, Family, number_fn, numbers, typed
from ._values import Scalar, Value, check_number, compare, text_to_number, to_number

_OPERATOR = re.compile(r"(<=|>=|<>|<|>|=)?(.*)", re.S)


def _sorted(args: Args, name: str) -> list[float]:
    values = sorted(numbers(args))
    if not values:
        raise Fail("NUM", f"{name} needs at least one number")
    return values


def _median(args: Args) -> Value:
    values = _sorted(args, "MEDIAN")
    middle = len(values) // 2
    if len(values) % 2:
        return values[middle]
    return check_number((values[middle - 1] + values[middle]) / 2.0)


def _mode(args: Args) -> Value:
    values = numbers(args)
    counts: dict[float, int] = {}
    for number in values:
        counts[number] = counts.get(number, 0) + 1
    best = max(counts.values(), default=0)
    if best < 2:
        raise Fail("TYPE", "MODE needs a number that appears more than once")
    return next(number for number in values if counts[number] == best)


def compensated_sum(values: list[float]) -> float:
    """Neumaier's compensated sum (formula-more.js runs the same steps)."""
    total = compensation = 0.0
    for value in values:
        step = total + value
        if abs(total) >= abs(value):
            compensation += (total - step) + value
        else:
            compensation += (value - step) + total
        total = step
    return check_number(total + compensation)


def variance(values: list[float], name: str) -> float:
    if len(values) < 2:
        raise Fail("DIV_ZERO", f"{name} needs at least two numbers")
    mean = check_number(compensated_sum(values) / len(values))
    squares = [(value - mean) * (value - mean) for value in values]
    return check_number(compensated_sum(squares) / (len(values) - 1))


def _percentile(values: list[float], fraction: float, name: str) -> float:
    if not 0.0 <= fraction <= 1.0:
        raise Fail("NUM", f"{name} needs a fraction between 0 and 1")
    position = fraction * (len(values) - 1)
    low = math.floor(position)
    if low + 1 >= len(values):
        return values[-1]
    return check_number(values[low] + (position - low) * (values[low + 1] - values[low]))


def _quartile(args: Args) -> Value:
    quarter = math.trunc(to_number(args[1]))
    if not 0 <= quarter <= 4:
        raise Fail("NUM", "QUARTILE needs a quarter from 0 to 4")
    return _percentile(_sorted(args[:1], "QUARTILE"), quarter / 4.0, "QUARTILE")


def _kth(largest: bool) -> Callable[[Args], Value]:
    def run(args: Args) -> Value:
        name = "LARGE" if largest else "SMALL"
        values = _sorted(args[:1], name)
        k = math.ceil(to_number(args[1]))
        if not 1 <= k <= len(values):
            raise Fail("TYPE", f"{name} needs a position from 1 to {len(values)}")
        return values[-k] if largest else values[k - 1]

    return run


def _rank(args: Args) -> Value:
    number = to_number(args[0])
    values = numbers(args[1:2])
    ascending = len(args) > 2 and to_number(args[2]) != 0.0
    if not any(approx_equal(number, value) for value in values):
        raise Fail("TYPE", "RANK needs a number that is in the list")
    ahead = [
        value
        for value in values
        if (value < number if ascending else value > number) and not approx_equal(value, number)
    ]
    return float(1 + len(ahead))


def _counta(args: Args) -> Value:
    total = 0
    for arg in args:
        if isinstance(arg, list):
            total += sum(1 for item in arg if item is not None)
        elif arg is not None:
            total += 1
    return float(total)


def _cells(value: Value) -> list[Scalar]:
    return value if isinstance(value, list) else [value]  # type: ignore[list-item]


def matcher(criterion: Value) -> Callable[[Scalar], bool]:
    """A test of one cell against a criterion as COUNTIF reads it."""
    if isinstance(criterion, list):
        raise Fail("TYPE", "A criterion must be one value, not a list")
    if not isinstance(criterion, str):
        return lambda cell: cell is not None and compare(cell, criterion) == 0
    match = _OPERATOR.fullmatch(criterion)
    assert match is not None
    operator, operand = match.group(1) or "=", match.group(2)
    try:
        number: float | None = text_to_number(operand) if operand.strip() else None
    except Fail:
        number = None
    if number is not None:
        target, test = number, _ORDERS[operator]

        def numeric(cell: Scalar) -> bool:
            if type(cell) is not float:
                return operator == "<>"
            return test(0 if approx_equal(cell, target) else (1 if cell > target else -1))

        return numeric
    if operand == "" and operator in ("=", "<>"):
        empty = operator == "="
        return lambda cell: (cell is None or cell == "") == empty
    if operator in ("=", "<>"):
        pattern = re.compile(
            "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in operand),
            re.I | re.S,
        )
        wanted = operator == "="
        return lambda cell: (isinstance(cell, str) and bool(pattern.fullmatch(cell))) == wanted
    order = _ORDERS[operator]
    return lambda cell: isinstance(cell, str) and order(compare(cell, operand))


_ORDERS: dict[str, Callable[[int], bool]] = {
    "=": lambda c: c == 0,
    "<>": lambda c: c != 0,
    "<": lambda c: c < 0,
    "<=": lambda c: c <= 0,
    ">": lambda c: c > 0,
    ">=": lambda c: c >= 0,
}


def _selected(ranges: list[Value], criteria: list[Value], values: Args) -> list[Scalar]:
    """The cells of `values` (one value, or none: the first range) where all criteria hold."""
    columns = [_cells(r) for r in ranges]
    target = _cells(values[0]) if values else columns[0]
    if any(len(column) != len(target) for column in columns):
        raise Fail("ARG", "The ranges and the values must be lists of the same length")
    tests = [matcher(criterion) for criterion in criteria]
    return [
        cell
        for index, cell in enumerate(target)
        if all(test(column[index]) for test, column in zip(tests, columns, strict=True))
    ]


def _only_numbers(cells: list[Scalar]) -> list[float]:
    return [cell for cell in cells if type(cell) is float]


def _sum(cells: list[float]) -> float:
    total = 0.0
    for cell in cells:
        total = approx_add(total, cell)
    return check_number(total)


def _average(cells: list[float], name: str) -> float:
    if not cells:
        raise Fail("DIV_ZERO", f"{name} found no matching numbers, so there is no average")
    return check_number(_sum(cells) / len(cells))


def _if_args(args: Args) -> tuple[list[Value], list[Value], Args]:
    return [args[0]], [args[1]], args[2:3]


def _ifs_args(args: Args) -> tuple[list[Value], list[Value], Args]:
    return list(args[1::2]), list(args[2::2]), args[:1]


def _countifs(args: Args) -> Value:
    if len(args) % 2:
        raise Fail("ARG", "COUNTIFS needs pairs of range and criterion")
    columns, criteria = list(args[::2]), list(args[1::2])
    return float(len(_selected(columns, criteria, ())))


def _pairs_problem(args: Args, name: str) -> None:
    if len(args) % 2 == 0:
        raise Fail("ARG", f"{name} needs the values, then pairs of range and criterion")


def _aggregate(
    kind: str, parse: Callable[[Args], tuple[list[Value], list[Value], Args]]
) -> Callable[[Args], Value]:
    def run(args: Args) -> Value:
        ranges, criteria, values = parse(args)
        cells = _only_numbers(_selected(ranges, criteria, values))
        if kind == "sum":
            return _sum(cells)
        if kind == "average":
            return _average(cells, "AVERAGEIF")
        if not cells:
            return 0.0
        return min(cells) if kind == "min" else max(cells)

    return run


def _with_pairs(name: str, run: Callable[[Args], Value]) -> Callable[[Args], Value]:
    def checked(args: Args) -> Value:
        _pairs_problem(args, name)
        return run(args)

    return checked


FAMILY = Family(
    arities={
        "MEDIAN": number_fn(
            1, None, "MEDIAN(a, b, ...): the middle number: MEDIAN(1, 2, 3, 4) is 2.5"
        ),
        "MODE": number_fn(
            1, None, "MODE(a, b, ...): the most frequent number (the first on a tie)"
        ),
        "STDEV": number_fn(1, None, "STDEV(a, b, ...): sample standard deviation"),
        "VAR": number_fn(1, None, "VAR(a, b, ...): sample variance"),
        "PERCENTILE": number_fn(2, 2, "PERCENTILE(list, k): the k-th percentile, k from 0 to 1"),
        "QUARTILE": number_fn(2, 2, "QUARTILE(list, q): quartile q from 0 (min) to 4 (max)"),
        "LARGE": number_fn(2, 2, "LARGE(list, k): the k-th largest number"),
        "SMALL": number_fn(2, 2, "SMALL(list, k): the k-th smallest number"),
        "RANK": number_fn(2, 3, "RANK(x, list, ascending=0): x's position, 1 for the largest"),
        "COUNTA": Arity(1, None, "COUNTA(a, b, ...): how many values are not blank", "number"),
        "COUNTIF": typed(
            2, 2, 'COUNTIF(range, criterion): how many match: COUNTIF(xs, ">4")', "number", "la"
        ),
        "COUNTIFS": Arity(
            2, None, "COUNTIFS(range1, criterion1, ...): how many match every pair", "number"
        ),
        "SUMIF": typed(
            2, 3, "SUMIF(range, criterion, values=range): sum where range matches", "number", "lal"
        ),
        "SUMIFS": Arity(
            3, None, "SUMIFS(values, range1, criterion1, ...): sum where all match", "number"
        ),
        "AVERAGEIF": typed(
            2,
            3,
            "AVERAGEIF(range, criterion, values=range): mean where it matches",
            "number",
            "lal",
        ),
        "AVERAGEIFS": Arity(
            3, None, "AVERAGEIFS(values, range1, criterion1, ...): mean where all match", "number"
        ),
        "MINIFS": Arity(
            3, None, "MINIFS(values, range1, criterion1, ...): smallest where all match", "number"
        ),
        "MAXIFS": Arity(
            3, None, "MAXIFS(values, range1, criterion1, ...): largest where all match", "number"
        ),
    },
    eager={
        "MEDIAN": _median,
        "MODE": _mode,
        "STDEV": lambda args: check_number(math.sqrt(variance(numbers(args), "STDEV"))),
        "VAR": lambda args: variance(numbers(args), "VAR"),
        "PERCENTILE": lambda args: _percentile(
            _sorted(args[:1], "PERCENTILE"), to_number(args[1]), "PERCENTILE"
        ),
        "QUARTILE": _quartile,
        "LARGE": _kth(True),
        "SMALL": _kth(False),
        "RANK": _rank,
        "COUNTA": _counta,
        "COUNTIF": lambda args: float(len(_selected([args[0]], [args[1]], ()))),
        "COUNTIFS": _countifs,
        "SUMIF": _aggregate("sum", _if_args),
        "SUMIFS": _with_pairs("SUMIFS", _aggregate("sum", _ifs_args)),
        "AVERAGEIF": _aggregate("average", _if_args),
        "AVERAGEIFS": _with_pairs("AVERAGEIFS", _aggregate("average", _ifs_args)),
        "MINIFS": _with_pairs("MINIFS", _aggregate("min", _ifs_args)),
        "MAXIFS": _with_pairs("MAXIFS", _aggregate("max", _ifs_args)),
    },
    tolerant=frozenset({"COUNTA"}),
    script=MORE_SCRIPT,
)
