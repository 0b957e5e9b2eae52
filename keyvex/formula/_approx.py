"""Spreadsheet number tolerance: equality to about 15 significant digits and snapping of
sums that cancel out, with LibreOffice Calc's rules (rtl::math approxEqual/approxAdd/approxSub).

Two numbers are equal when they differ by less than 2^-48 of each (about 15 significant
digits), unless both are whole numbers (2^50 and 2^50 + 1 stay different). A sum or
difference of two numbers that are equal in that sense, but of opposite effect, is exactly 0:
``0.1 + 0.2 - 0.3`` is 0, so ``1/(0.1 + 0.2 - 0.3)`` is DIV_ZERO as in a spreadsheet.
js/formula.js implements the same functions (approxEq, add, sub) with the same operations.
"""

from __future__ import annotations

E48 = 2.0**-48
_WHOLE = 2.0**53


def approx_equal(a: float, b: float) -> bool:
    """Equal to about 15 significant digits (Calc's approxEqual)."""
    if a == b:
        return True
    if a == 0.0 or b == 0.0:
        return False
    d = a - b if a > b else b - a
    if not d < 1.8e308:
        return False
    a = a if a > 0.0 else -a
    b = b if b > 0.0 else -b
    if d >= a * E48 or d >= b * E48:
        return False
    whole = d.is_integer() and a.is_integer() and b.is_integer()
    return not (whole and a < _WHOLE and b < _WHOLE)


def approx_add(a: float, b: float) -> float:
    """a + b, or exactly 0 when a and -b are equal to 15 significant digits."""
    r = a + b
    if (r if r >= 0.0 else -r) >= (a if a >= 0.0 else -a) * E48:
        return r
    return 0.0 if approx_equal(a, -b) else r


def approx_sub(a: float, b: float) -> float:
    """a - b, or exactly 0 when a and b are equal to 15 significant digits."""
    r = a - b
    if (r if r >= 0.0 else -r) >= (a if a >= 0.0 else -a) * E48:
        return r
    return 0.0 if approx_equal(a, b) else r


def approx_compare(a: float, b: float) -> int:
    """-1, 0 or 1, with numbers equal to 15 significant digits counting as equal."""
    if approx_equal(a, b):
        return 0
    return 1 if a > b else -1


def approx_lt(a: float, b: float) -> bool:
    return a < b and (b - a >= (b if b > 0.0 else -b) * E48 or not approx_equal(a, b))


def approx_gt(a: float, b: float) -> bool:
    return a > b and (a - b >= (a if a > 0.0 else -a) * E48 or not approx_equal(a, b))


def approx_le(a: float, b: float) -> bool:
    return a <= b or approx_equal(a, b)


def approx_ge(a: float, b: float) -> bool:
    return a >= b or approx_equal(a, b)


def approx_ne(a: float, b: float) -> bool:
    return not approx_equal(a, b)
