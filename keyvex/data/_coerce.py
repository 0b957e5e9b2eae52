"""Turning a source's cells into the values formulas read, by the column's analysed type.

Numbers, currency and percent become floats (``12%`` -> 0.12, like the formula literal;
``$1,234.50`` -> 1234.5; ``1.234,50 EUR`` -> 1234.5; ``(5.00)`` -> -5); booleans become
``True``/``False``; dates become spreadsheet serial numbers (``2024-02-29`` -> 45351, what
DATE(2024, 2, 29) gives); everything else stays as delivered. A cell that does not parse keeps its
text, so nothing a creator uploaded is silently lost.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from keyvex.formula import date_serial

_SYMBOLS = re.compile(r"[$€£¥₹]|\b[A-Z]{3}\b|\s+")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_TRUE = frozenset({"true", "yes", "y", "1", "t"})
_FALSE = frozenset({"false", "no", "n", "0", "f"})


def decimal_comma(values: Iterable[Any]) -> bool:
    """Whether the texts of a column write decimals with a comma (``1.234,5`` / ``3,25``)."""
    comma = dot = 0
    for value in values:
        if not isinstance(value, str):
            continue
        text = _SYMBOLS.sub("", value).strip("()%+-")
        if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?|\d+,\d{1,2}", text):
            comma += 1
        elif re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?|\d+\.\d+", text):
            dot += 1
    return comma > dot


def parse_number(value: Any, *, comma: bool = False) -> float | None:
    """A number from a cell as people write it, or None when it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    text = str(value).strip()
    if not text:
        return None
    percent = text.endswith("%")
    negative = text.startswith("(") and text.endswith(")")
    text = _SYMBOLS.sub("", text.strip("()%")).strip("()")
    if text.startswith("-"):
        negative, text = not negative, text[1:]
    text = text.lstrip("+")
    text = text.replace(".", "").replace(",", ".") if comma else text.replace(",", "")
    try:
        number = float(text)
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    number = -number if negative else number
    return number / 100 if percent else number


def parse_date(value: Any) -> float | None:
    """A date cell as the serial number formulas read (days since 1899-12-30), or None.

    Takes date and datetime values (spreadsheet readers) and ISO text (``2024-02-29``,
    ``2024-02-29T10:30``); other spellings keep their text, as any cell that does not parse.
    """
    if isinstance(value, datetime | date):
        return date_serial(value)
    if not isinstance(value, str) or not _ISO_DATE.match(value.strip()):
        return None
    try:
        return date_serial(datetime.fromisoformat(value.strip().replace(" ", "T", 1)))
    except ValueError:
        return None


def parse_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if value is not None else ""
    return True if text in _TRUE else False if text in _FALSE else None


def coerce_column(values: list[Any], column_type: str) -> list[Any]:
    """The column's cells as formula values for its analysed type."""
    if column_type in ("number", "currency", "percent"):
        comma = decimal_comma(values)
        out: list[Any] = []
        for value in values:
            number = parse_number(value, comma=comma)
            out.append(number if number is not None else (value if value != "" else None))
        return out
    if column_type == "boolean":
        return [b if (b := parse_bool(v)) is not None else v for v in values]
    if column_type == "date":
        return [d if (d := parse_date(v)) is not None else (v if v != "" else None) for v in values]
    return [None if v == "" else v for v in values]


def guess_type(values: list[Any]) -> str:
    """'number' or 'boolean' when at least 90% of the non-blank cells read as one, else
    'string' (used when a snapshot has no stored analysis)."""
    present = [v for v in values if v is not None and v != ""]
    if not present:
        return "string"
    comma = decimal_comma(present)
    numbers = sum(parse_number(v, comma=comma) is not None for v in present)
    if numbers >= 0.9 * len(present):
        return "number"
    booleans = sum(parse_bool(v) is not None for v in present)
    return "boolean" if booleans == len(present) else "string"
