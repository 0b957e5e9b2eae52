"""Formula values and the coercion rules every operator and function shares."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import TypeAlias

from ._approx import approx_compare
from ._errors import MAX_TEXT, ErrorValue, Fail

Scalar: TypeAlias = float | str | bool | None
Value: TypeAlias = float | str | bool | None | list[Scalar] | ErrorValue

INF = math.inf
_CTX15 = Context(prec=15, rounding=ROUND_HALF_UP)
_NUMERIC_TEXT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_SPACE = " \t\r\n"
_P10 = [10.0**i for i in range(23)]


def describe(value: Value) -> str:
    """Name a value the way a consultant would read it in a message."""
    if value is None:
        return "blank"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return f'the text "{shown}"'
    if isinstance(value, list):
        return "a list"
    return "an error"


def normalize(raw: object) -> Value:
    """Turn a caller's variable value into a formula value (ints become floats)."""
    if raw is None or isinstance(raw, bool):
        return raw
    if isinstance(raw, float | int):
        try:
            number = float(raw)
        except OverflowError:
            raise Fail("NUM", "A number is too large") from None
        if -INF < number < INF:
            return number
        raise Fail("NUM", "A value is not a finite number")
    if isinstance(raw, str):
        if len(raw) > MAX_TEXT:
            raise Fail("LIMIT", f"A text is longer than {MAX_TEXT:,} characters")
        return raw
    if isinstance(raw, list | tuple):
        items: list[Scalar] = []
        for item in raw:
            if isinstance(item, list | tuple):
                raise Fail("TYPE", "A list cannot contain another list")
            value = normalize(item)
            assert not isinstance(value, list | ErrorValue)
            items.append(value)
        return items
    raise Fail("TYPE", f"A value of type {type(raw).__name__} is not supported")


def text_to_number(text: str) -> float:
    stripped = text.strip(_SPACE)
    if not stripped:
        return 0.0
    if _NUMERIC_TEXT.fullmatch(stripped) is None:
        raise Fail("TYPE", f"{describe(text)} is not a number")
    number = float(stripped)
    if -INF < number < INF:
        return number
    raise Fail("NUM", f"{describe(text)} is too large a number")


def to_number(value: Value) -> float:
    if type(value) is float:
        return value
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, str):
        return text_to_number(value)
    raise Fail("TYPE", f"{describe(value)} cannot be used as a number")


def to_text(value: Value) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, list):
        return check_text(", ".join(to_text(item) for item in value))
    raise Fail("TYPE", "An error cannot be used as text")


def to_bool(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, float):
        return value != 0.0
    if isinstance(value, str):
        lowered = value.strip(_SPACE).lower()
        if lowered == "true":
            return True
        if lowered in ("false", ""):
            return False
    raise Fail("TYPE", f"{describe(value)} cannot be used as TRUE or FALSE")


def check_text(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise Fail("LIMIT", f"A text would be longer than {MAX_TEXT:,} characters")
    return text


def check_number(number: float) -> float:
    if -INF < number < INF:
        return number
    raise Fail("NUM", "The result is too large to be a number")


def is_blank(value: Value) -> bool:
    return value is None or value == "" or value == []


def _kind(value: Scalar) -> int:
    if isinstance(value, bool):
        return 2
    return 1 if isinstance(value, str) else 0


def compare(left: Value, right: Value) -> int:
    """Order two values: -1, 0 or 1. Blank takes the other side's empty value."""
    if isinstance(left, list) or isinstance(right, list):
        raise Fail("TYPE", "A list cannot be compared; use CONTAINS or COUNTSELECTED")
    assert not isinstance(left, ErrorValue) and not isinstance(right, ErrorValue)
    if left is None:
        if right is None:
            return 0
        left = "" if isinstance(right, str) else (False if isinstance(right, bool) else 0.0)
    elif right is None:
        right = "" if isinstance(left, str) else (False if isinstance(left, bool) else 0.0)
    kind_left, kind_right = _kind(left), _kind(right)
    if kind_left != kind_right:
        return -1 if kind_left < kind_right else 1
    if kind_left == 0:
        return approx_compare(left, right)  # type: ignore[arg-type]
    if kind_left == 1:
        assert isinstance(left, str) and isinstance(right, str)
        left, right = left.lower(), right.lower()
    return (left > right) - (left < right)  # type: ignore[operator]


def significant15(number: float) -> tuple[str, int]:
    """The 15 significant digits of a positive number (half up on its exact value)."""
    _, digits, exponent = _CTX15.plus(Decimal(number)).as_tuple()
    text = "".join(map(str, digits))
    assert isinstance(exponent, int)
    return text.ljust(15, "0"), len(text) + exponent - 1


def format_number(number: float) -> str:
    """Text for a number as a spreadsheet writes it: at most 15 significant digits, in
    ``1.5E+16`` notation above 1E+15 and below 1E-15 (``0.00000001`` stays as it is)."""
    if number.is_integer() and -1e15 < number < 1e15:
        return str(int(number))
    sign = "-" if number < 0 else ""
    digits, exponent = significant15(abs(number))
    digits = digits.rstrip("0")
    if abs(number) > 1e15 or exponent < -15:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}E{'+' if exponent > 0 else '-'}{abs(exponent):02d}"
    if exponent < 0:
        return f"{sign}0.{'0' * (-exponent - 1)}{digits}"
    whole, fraction = digits[: exponent + 1].ljust(exponent + 1, "0"), digits[exponent + 1 :]
    return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"


def round_digits(number: float, digits: int, mode: str) -> float:
    """Round to `digits` decimals: mode "half" (away from zero), "up" or "down" (magnitude).

    Works on the number's 15 significant digits, as spreadsheets do, so that
    ROUND(2.675, 2) is 2.68. The fast path gives the same result as the slow one
    whenever the decision is far from a boundary.
    """
    if number == 0.0:
        return 0.0
    negative = number < 0
    size = -number if negative else number
    digits = max(-400, min(400, digits))
    if digits >= 0 and size < 1e15 and size.is_integer():
        return number
    if -22 <= digits <= 22:
        scaled = size * _P10[digits] if digits >= 0 else size / _P10[-digits]
        if scaled < 1e13:
            whole = math.floor(scaled)
            fraction = scaled - whole
            tolerance = scaled * 1e-14 + 1e-16
            if (
                abs(fraction - 0.5) > tolerance
                if mode == "half"
                else tolerance < fraction < 1.0 - tolerance
            ):
                if mode == "up" or (mode == "half" and fraction > 0.5):
                    whole += 1
                if whole == 0:
                    return 0.0
                result = whole / _P10[digits] if digits >= 0 else whole * _P10[-digits]
                return -result if negative else result
    return _round_slow(number, negative, size, digits, mode)


def round_half(number: float, digits: float) -> float:
    """ROUND(number, digits): `round_digits` in "half" mode, with a quicker common case."""
    if 0.0 <= digits <= 22.0:
        places = int(digits)
        size = -number if number < 0 else number
        scaled = size * _P10[places]
        if scaled < 1e13:
            whole = int(scaled)
            fraction = scaled - whole
            if abs(fraction - 0.5) > scaled * 1e-14 + 1e-16:
                if fraction > 0.5:
                    whole += 1
                result = whole / _P10[places]
                return -result if number < 0 and whole else result
    places = int(digits) if -400.0 <= digits <= 400.0 else (400 if digits > 0 else -400)
    return round_digits(number, places, "half")


def _round_slow(number: float, negative: bool, size: float, digits: int, mode: str) -> float:
    text, exponent = significant15(size)
    keep = exponent + 1 + digits
    if keep >= 15:
        return number
    if keep < 0:
        whole = 1 if mode == "up" else 0
    else:
        rest = text[keep:]
        whole = int(text[:keep] or "0")
        if mode == "half":
            whole += rest[0] >= "5"
        elif mode == "up":
            whole += rest.strip("0") != ""
    if whole == 0:
        return 0.0
    result = check_number(float(f"{whole}e{-digits}"))
    return -result if negative else result
