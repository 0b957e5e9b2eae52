"""The built-in functions: their arity and the eager implementations."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import NamedTuple

from ._errors import Fail
from ._values import (
    Scalar,
    Value,
    check_number,
    check_text,
    compare,
    is_blank,
    round_digits,
    to_bool,
    to_number,
    to_text,
)

Args = tuple[Value, ...]


class Arity(NamedTuple):
    """How many values a function takes; `maximum` None means any number."""

    minimum: int
    maximum: int | None
    summary: str


def _arity(minimum: int, maximum: int | None, summary: str) -> Arity:
    return Arity(minimum, maximum, summary)


FUNCTIONS: Mapping[str, Arity] = MappingProxyType(
    {
        "IF": _arity(3, 3, "IF(condition, then, else): only the branch taken is evaluated"),
        "IFS": _arity(2, None, "IFS(c1, v1, c2, v2, ...): the value of the first true condition"),
        "AND": _arity(1, None, "AND(a, b, ...): TRUE when every value is true"),
        "OR": _arity(1, None, "OR(a, b, ...): TRUE when any value is true"),
        "NOT": _arity(1, 1, "NOT(a): the opposite truth value"),
        "MIN": _arity(1, None, "MIN(a, b, ...): smallest number; lists are flattened"),
        "MAX": _arity(1, None, "MAX(a, b, ...): largest number; lists are flattened"),
        "SUM": _arity(1, None, "SUM(a, b, ...): total; lists are flattened, blanks skipped"),
        "AVERAGE": _arity(1, None, "AVERAGE(a, b, ...): mean of the non-blank values"),
        "AVG": _arity(1, None, "AVG(a, b, ...): same as AVERAGE"),
        "COUNT": _arity(1, None, "COUNT(a, b, ...): number of non-blank values"),
        "ROUND": _arity(1, 2, "ROUND(x, digits=0): half away from zero"),
        "ROUNDUP": _arity(1, 2, "ROUNDUP(x, digits=0): away from zero"),
        "ROUNDDOWN": _arity(1, 2, "ROUNDDOWN(x, digits=0): towards zero"),
        "FLOOR": _arity(1, 1, "FLOOR(x): the largest whole number not above x"),
        "CEILING": _arity(1, 1, "CEILING(x): the smallest whole number not below x"),
        "ABS": _arity(1, 1, "ABS(x): x without its sign"),
        "SQRT": _arity(1, 1, "SQRT(x): square root"),
        "POWER": _arity(2, 2, "POWER(x, y): x to the power y"),
        "EXP": _arity(1, 1, "EXP(x): e to the power x"),
        "LN": _arity(1, 1, "LN(x): natural logarithm"),
        "LOG10": _arity(1, 1, "LOG10(x): base-10 logarithm"),
        "MOD": _arity(2, 2, "MOD(a, b): remainder with the sign of b"),
        "CLAMP": _arity(3, 3, "CLAMP(x, lo, hi): x kept between lo and hi"),
        "PMT": _arity(3, 5, "PMT(rate, nper, pv, fv=0, type=0): payment per period"),
        "FV": _arity(3, 5, "FV(rate, nper, pmt, pv=0, type=0): future value"),
        "PV": _arity(3, 5, "PV(rate, nper, pmt, fv=0, type=0): present value"),
        "NPV": _arity(2, None, "NPV(rate, v1, ...): net present value"),
        "CHOOSE": _arity(2, None, "CHOOSE(i, a, b, ...): the i-th value, counting from 1"),
        "LEN": _arity(1, 1, "LEN(text): number of characters"),
        "UPPER": _arity(1, 1, "UPPER(text): in capitals"),
        "LOWER": _arity(1, 1, "LOWER(text): in small letters"),
        "CONTAINS": _arity(2, 2, "CONTAINS(list_or_text, item): TRUE when item is in it"),
        "COUNTSELECTED": _arity(1, 1, "COUNTSELECTED(list): number of selected options"),
        "ISBLANK": _arity(1, 1, "ISBLANK(x): TRUE when x is blank, empty text or empty list"),
        "COALESCE": _arity(1, None, "COALESCE(a, b, ...): the first non-blank value"),
        "LOOKUP": _arity(3, 3, "LOOKUP(table, key, column): a cell of a data table"),
    }
)

LAZY = frozenset({"IF", "IFS", "CHOOSE", "COALESCE", "LOOKUP"})


def arity_problem(name: str, count: int) -> str | None:
    """A sentence saying why `count` values do not suit function `name`, or None."""
    arity = FUNCTIONS[name]
    if arity.maximum is None:
        if count < arity.minimum:
            plural = "value" if arity.minimum == 1 else "values"
            return f"{name} needs at least {arity.minimum} {plural}, but got {count}"
        if name == "IFS" and count % 2:
            return f"IFS needs pairs of condition and value, but got {count} values"
        return None
    if arity.minimum <= count <= arity.maximum:
        return None
    if arity.minimum == arity.maximum:
        plural = "value" if arity.minimum == 1 else "values"
        return f"{name} takes {arity.minimum} {plural}, but got {count}"
    return f"{name} takes {arity.minimum} to {arity.maximum} values, but got {count}"


def _items(args: Args) -> Iterator[Scalar]:
    for arg in args:
        if isinstance(arg, list):
            yield from arg
        else:
            assert not isinstance(arg, list)
            yield arg  # type: ignore[misc]


def _numbers(args: Args) -> list[float]:
    return [to_number(item) for item in _items(args) if item is not None and item != ""]


def _sum(args: Args) -> Value:
    total = 0.0
    for number in _numbers(args):
        total += number
    return check_number(total)


def _average(args: Args) -> Value:
    numbers = _numbers(args)
    if not numbers:
        raise Fail("DIV_ZERO", "AVERAGE of no values is a division by zero")
    total = 0.0
    for number in numbers:
        total += number
    return check_number(total / len(numbers))


def _min(args: Args) -> Value:
    numbers = _numbers(args)
    return min(numbers) if numbers else 0.0


def _max(args: Args) -> Value:
    numbers = _numbers(args)
    return max(numbers) if numbers else 0.0


def _count(args: Args) -> Value:
    return float(sum(1 for item in _items(args) if item is not None and item != ""))


def _digits(args: Args) -> int:
    if len(args) < 2:
        return 0
    number = to_number(args[1])
    return int(max(-400.0, min(400.0, number)))


def _rounder(mode: str) -> Callable[[Args], Value]:
    def run(args: Args) -> Value:
        return round_digits(to_number(args[0]), _digits(args), mode)

    return run


def _floor(args: Args) -> Value:
    number = to_number(args[0])
    return round_digits(number, 0, "down" if number >= 0 else "up")


def _ceiling(args: Args) -> Value:
    number = to_number(args[0])
    return round_digits(number, 0, "up" if number >= 0 else "down")


def power(base: float, exponent: float) -> float:
    if base == 0.0 and exponent < 0:
        raise Fail("DIV_ZERO", "Zero to a negative power is a division by zero")
    if base < 0 and not exponent.is_integer():
        raise Fail("NUM", "A negative number to a fractional power is not a real number")
    try:
        return check_number(math.pow(base, exponent))
    except OverflowError:
        raise Fail("NUM", "The result is too large to be a number") from None


def divide(numerator: float, denominator: float) -> float:
    if denominator == 0.0:
        raise Fail("DIV_ZERO", "Division by zero")
    return check_number(numerator / denominator)


def modulo(left: float, right: float) -> float:
    if right == 0.0:
        raise Fail("DIV_ZERO", "MOD by zero is a division by zero")
    result = math.fmod(left, right)
    if result != 0.0 and (result < 0) != (right < 0):
        result += right
    return check_number(result)


def _unary(
    function: Callable[[float], float], domain: str | None = None
) -> Callable[[Args], Value]:
    def run(args: Args) -> Value:
        number = to_number(args[0])
        if domain == "positive" and number <= 0:
            raise Fail("NUM", "The logarithm of zero or a negative number is not defined")
        if domain == "non-negative" and number < 0:
            raise Fail("NUM", "The square root of a negative number is not a real number")
        try:
            return check_number(function(number))
        except OverflowError:
            raise Fail("NUM", "The result is too large to be a number") from None

    return run


def _clamp(args: Args) -> Value:
    number, low, high = (to_number(arg) for arg in args)
    if low > high:
        raise Fail("ARG", "CLAMP needs its lower bound to be at most its upper bound")
    return low if number < low else (high if number > high else number)


def _finance(args: Args) -> tuple[float, float, float, float, float]:
    numbers = [to_number(arg) for arg in args] + [0.0] * (5 - len(args))
    rate, periods, first, second, when = numbers
    return rate, periods, first, second, (0.0 if when == 0.0 else 1.0)


def _pmt(args: Args) -> Value:
    rate, periods, present, future, when = _finance(args)
    if periods == 0.0:
        raise Fail("NUM", "PMT needs a number of periods other than 0")
    if rate == 0.0:
        return divide(-(present + future), periods)
    growth = power(1.0 + rate, periods)
    return divide(-(rate * (present * growth + future)), (1.0 + rate * when) * (growth - 1.0))


def _fv(args: Args) -> Value:
    rate, periods, payment, present, when = _finance(args)
    if rate == 0.0:
        return check_number(-(present + payment * periods))
    growth = power(1.0 + rate, periods)
    annuity = divide(payment * (1.0 + rate * when) * (growth - 1.0), rate)
    return check_number(-(present * growth + annuity))


def _pv(args: Args) -> Value:
    rate, periods, payment, future, when = _finance(args)
    if rate == 0.0:
        return check_number(-(future + payment * periods))
    growth = power(1.0 + rate, periods)
    annuity = divide(payment * (1.0 + rate * when) * (growth - 1.0), rate)
    return divide(-(future + annuity), growth)


def _npv(args: Args) -> Value:
    rate = to_number(args[0])
    total = 0.0
    for index, value in enumerate(_numbers(args[1:]), start=1):
        total += divide(value, power(1.0 + rate, float(index)))
    return check_number(total)


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
    truths = [to_bool(item) for item in _items(args)]  # every value converts, so errors show
    return all(truths)


def _any(args: Args) -> Value:
    truths = [to_bool(item) for item in _items(args)]
    return any(truths)


EAGER: Mapping[str, Callable[[Args], Value]] = MappingProxyType(
    {
        "AND": _all,
        "OR": _any,
        "NOT": lambda args: not to_bool(args[0]),
        "MIN": _min,
        "MAX": _max,
        "SUM": _sum,
        "AVERAGE": _average,
        "AVG": _average,
        "COUNT": _count,
        "ROUND": _rounder("half"),
        "ROUNDUP": _rounder("up"),
        "ROUNDDOWN": _rounder("down"),
        "FLOOR": _floor,
        "CEILING": _ceiling,
        "ABS": _unary(abs),
        "SQRT": _unary(math.sqrt, "non-negative"),
        "POWER": lambda args: power(to_number(args[0]), to_number(args[1])),
        "EXP": _unary(math.exp),
        "LN": _unary(math.log, "positive"),
        "LOG10": _unary(math.log10, "positive"),
        "MOD": lambda args: modulo(to_number(args[0]), to_number(args[1])),
        "CLAMP": _clamp,
        "PMT": _pmt,
        "FV": _fv,
        "PV": _pv,
        "NPV": _npv,
        "LEN": lambda args: float(len(to_text(args[0]))),
        "UPPER": lambda args: check_text(to_text(args[0]).upper()),
        "LOWER": lambda args: check_text(to_text(args[0]).lower()),
        "CONTAINS": _contains,
        "COUNTSELECTED": _count_selected,
        "ISBLANK": lambda args: is_blank(args[0]),
    }
)

assert set(EAGER) | LAZY == set(FUNCTIONS)
