"""Maths functions: rounding, powers and logarithms, MOD, CLAMP."""

from __future__ import annotations

import math
from collections.abc import Callable

from ._approx import approx_add
from ._errors import Fail
from ._family import Args, Family, number_fn, numbers, power, typed
from ._values import Value, check_number, round_digits, significant15, to_number


def _digits(args: Args) -> int:
    if len(args) < 2:
        return 0
    number = to_number(args[1])
    return int(max(-400.0, min(400.0, number)))


def _rounder(mode: str) -> Callable[[Args], Value]:
    def run(args: Args) -> Value:
        return round_digits(to_number(args[0]), _digits(args), mode)

    return run


def _decimal(number: float) -> tuple[int, int]:
    """The number's 15 significant digits as an integer, and the power of 10 they scale by."""
    digits, exponent = significant15(-number if number < 0 else number)
    whole = int(digits)
    return (-whole if number < 0 else whole), exponent - 14


def modulo(left: float, right: float) -> float:
    """MOD as a spreadsheet user expects it: exact on the 15-significant-digit decimal values
    of both numbers, so MOD(0.3, 0.1) is 0 and MOD(10, 3.3) is 0.1. When the quotient is
    beyond 2^53 the digits no longer matter and the binary remainder is used."""
    if right == 0.0:
        raise Fail("DIV_ZERO", "MOD by zero is a division by zero")
    if left == 0.0:
        return 0.0
    if abs(check_number(left / right)) >= _WHOLE:
        result = math.fmod(left, right)
        if result != 0.0 and (result < 0) != (right < 0):
            result += right
        return check_number(result)
    (a, a_exp), (b, b_exp) = _decimal(left), _decimal(right)
    exponent = min(a_exp, b_exp)
    remainder = (a * 10 ** (a_exp - exponent)) % (b * 10 ** (b_exp - exponent))
    return float(f"{remainder}e{exponent}")


_WHOLE = 2.0**53


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


def approx_floor(number: float) -> float:
    """floor() of the number taken to 15 significant digits: INT(2.9999999999999996) is 3."""
    if number == 0.0:
        return 0.0
    a, a_exp = _decimal(number)
    if a_exp >= 0:
        return float(a * 10**a_exp)
    whole, _ = divmod(a, 10**-a_exp)
    return float(whole)


def _multiple(number: float, step: float, mode: str) -> float:
    """`number` to a multiple of `step` (mode "floor", "ceiling" or "half"), on the
    15-digit decimal values so that FLOOR(1.58, 0.1) is exactly 1.5."""
    if step == 0.0 or number == 0.0:
        return 0.0
    if abs(check_number(number / step)) >= _WHOLE:
        return number
    (a, a_exp), (b, b_exp) = _decimal(number), _decimal(step)
    exponent = min(a_exp, b_exp)
    top, unit = a * 10 ** (a_exp - exponent), b * 10 ** (b_exp - exponent)
    if mode == "half":
        count, rest = divmod(abs(top), abs(unit))
        count += 2 * rest >= abs(unit)
        count = count if (top < 0) == (unit < 0) else -count
    else:
        count = top // unit if (mode == "floor") == (unit > 0) else -(-top // unit)
    return check_number(float(f"{count * unit}e{exponent}"))


def _floor(args: Args) -> Value:
    number = to_number(args[0])
    if len(args) == 1:
        return round_digits(number, 0, "down" if number >= 0 else "up")
    step = to_number(args[1])
    if number > 0 and step < 0:
        raise Fail("NUM", "FLOOR of a positive number needs a positive multiple")
    return _multiple(number, abs(step), "floor")


def _ceiling(args: Args) -> Value:
    number = to_number(args[0])
    if len(args) == 1:
        return round_digits(number, 0, "up" if number >= 0 else "down")
    step = to_number(args[1])
    if number > 0 and step < 0:
        raise Fail("NUM", "CEILING of a positive number needs a positive multiple")
    return _multiple(number, abs(step), "ceiling")


def _mround(args: Args) -> Value:
    number, step = to_number(args[0]), to_number(args[1])
    return _multiple(number, abs(step), "half")


def _int(args: Args) -> Value:
    return approx_floor(to_number(args[0]))


def _trunc(args: Args) -> Value:
    return round_digits(to_number(args[0]), _digits(args), "down")


def _sign(args: Args) -> Value:
    number = to_number(args[0])
    return 1.0 if number > 0 else (-1.0 if number < 0 else 0.0)


def _product(args: Args) -> Value:
    values = numbers(args)
    if not values:
        return 0.0
    result = 1.0
    for number in values:
        result *= number
    return check_number(result)


def _sumproduct(args: Args) -> Value:
    columns = [arg if isinstance(arg, list) else [arg] for arg in args]
    if len({len(column) for column in columns}) > 1:
        raise Fail("TYPE", "SUMPRODUCT needs lists of the same length")
    total = 0.0
    for row in zip(*columns, strict=True):
        product = 1.0
        for cell in row:
            product *= cell if type(cell) is float else 0.0
        total = approx_add(total, product)
    return check_number(total)


def _log(args: Args) -> Value:
    number = to_number(args[0])
    base = to_number(args[1]) if len(args) > 1 else 10.0
    if number <= 0 or base <= 0:
        raise Fail("NUM", "LOG needs a number and a base above 0")
    if base == 1.0:
        raise Fail("NUM", "LOG to the base 1 is not defined")
    if base == 10.0:
        return math.log10(number)
    if base == 2.0:
        return math.log2(number)
    return check_number(math.log(number) / math.log(base))


def _even(args: Args) -> Value:
    number = to_number(args[0])
    size = math.ceil(approx_value(abs(number)) / 2.0) * 2.0
    return check_number(-size if number < 0 else size)


def _odd(args: Args) -> Value:
    number = to_number(args[0])
    size = math.ceil(approx_value(abs(number)))
    size = size if size % 2 == 1 else size + 1
    return check_number(float(-size if number < 0 else size))


def approx_value(number: float) -> float:
    """The number rounded to 15 significant digits (half away from zero)."""
    if number == 0.0:
        return 0.0
    a, a_exp = _decimal(number)
    return float(f"{a}e{a_exp}")


FAMILY = Family(
    arities={
        "ROUND": number_fn(1, 2, "ROUND(x, digits=0): half away from zero"),
        "ROUNDUP": number_fn(1, 2, "ROUNDUP(x, digits=0): away from zero"),
        "ROUNDDOWN": number_fn(1, 2, "ROUNDDOWN(x, digits=0): towards zero"),
        "FLOOR": number_fn(
            1, 2, "FLOOR(x, multiple=1): down to a multiple: FLOOR(1.58, 0.1) is 1.5"
        ),
        "CEILING": number_fn(
            1, 2, "CEILING(x, multiple=1): up to a multiple: CEILING(4.42, 0.05) is 4.45"
        ),
        "ABS": number_fn(1, 1, "ABS(x): x without its sign"),
        "SQRT": number_fn(1, 1, "SQRT(x): square root"),
        "POWER": number_fn(2, 2, "POWER(x, y): x to the power y"),
        "EXP": number_fn(1, 1, "EXP(x): e to the power x"),
        "LN": number_fn(1, 1, "LN(x): natural logarithm"),
        "LOG10": number_fn(1, 1, "LOG10(x): base-10 logarithm"),
        "MOD": number_fn(2, 2, "MOD(a, b): remainder with the sign of b"),
        "CLAMP": number_fn(3, 3, "CLAMP(x, lo, hi): x kept between lo and hi"),
        "INT": number_fn(1, 1, "INT(x): down to a whole number: INT(-2.7) is -3"),
        "TRUNC": number_fn(1, 2, "TRUNC(x, digits=0): cut towards zero: TRUNC(-2.7) is -2"),
        "MROUND": number_fn(
            2, 2, "MROUND(x, multiple): to the nearest multiple: MROUND(10, 3) is 9"
        ),
        "SIGN": number_fn(1, 1, "SIGN(x): -1, 0 or 1"),
        "PRODUCT": number_fn(1, None, "PRODUCT(a, b, ...): a times b ...; lists are flattened"),
        "SUMPRODUCT": typed(
            1,
            None,
            "SUMPRODUCT(list1, list2, ...): sum of the products of matching items",
            "number",
            "l",
        ),
        "LOG": number_fn(1, 2, "LOG(x, base=10): logarithm: LOG(8, 2) is 3"),
        "PI": number_fn(0, 0, "PI(): 3.14159265358979"),
        "EVEN": number_fn(1, 1, "EVEN(x): up to an even whole number, away from 0: EVEN(1.5) is 2"),
        "ODD": number_fn(1, 1, "ODD(x): up to an odd whole number, away from 0: ODD(2) is 3"),
    },
    eager={
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
        "INT": _int,
        "TRUNC": _trunc,
        "MROUND": _mround,
        "SIGN": _sign,
        "PRODUCT": _product,
        "SUMPRODUCT": _sumproduct,
        "LOG": _log,
        "PI": lambda args: math.pi,
        "EVEN": _even,
        "ODD": _odd,
    },
)
