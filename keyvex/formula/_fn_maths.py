"""Maths functions: rounding, powers and logarithms, MOD, CLAMP."""

from __future__ import annotations

import math
from collections.abc import Callable

from ._errors import Fail
from ._family import Args, Arity, Family, power
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


def _floor(args: Args) -> Value:
    number = to_number(args[0])
    return round_digits(number, 0, "down" if number >= 0 else "up")


def _ceiling(args: Args) -> Value:
    number = to_number(args[0])
    return round_digits(number, 0, "up" if number >= 0 else "down")


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


FAMILY = Family(
    arities={
        "ROUND": Arity(1, 2, "ROUND(x, digits=0): half away from zero"),
        "ROUNDUP": Arity(1, 2, "ROUNDUP(x, digits=0): away from zero"),
        "ROUNDDOWN": Arity(1, 2, "ROUNDDOWN(x, digits=0): towards zero"),
        "FLOOR": Arity(1, 1, "FLOOR(x): the largest whole number not above x"),
        "CEILING": Arity(1, 1, "CEILING(x): the smallest whole number not below x"),
        "ABS": Arity(1, 1, "ABS(x): x without its sign"),
        "SQRT": Arity(1, 1, "SQRT(x): square root"),
        "POWER": Arity(2, 2, "POWER(x, y): x to the power y"),
        "EXP": Arity(1, 1, "EXP(x): e to the power x"),
        "LN": Arity(1, 1, "LN(x): natural logarithm"),
        "LOG10": Arity(1, 1, "LOG10(x): base-10 logarithm"),
        "MOD": Arity(2, 2, "MOD(a, b): remainder with the sign of b"),
        "CLAMP": Arity(3, 3, "CLAMP(x, lo, hi): x kept between lo and hi"),
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
    },
)
