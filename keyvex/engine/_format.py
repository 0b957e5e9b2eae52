"""Formatting values for people: numbers, currency, percent, answers and {{placeholders}}."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

from keyvex.formula import FormulaError, serial_date
from keyvex.tools.inputs import Input
from keyvex.tools.results import Calculation

CURRENCY_SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "INR": "₹",
    "CAD": "CA$",
    "AUD": "A$",
    "NZD": "NZ$",
    "CHF": "CHF ",
    "SEK": "SEK ",
    "NOK": "NOK ",
    "DKK": "DKK ",
}
EXACT = Context(prec=400)
_QUANTA = {n: Decimal(1).scaleb(-n) for n in range(11)}
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def number(value: float, decimals: int = 0) -> str:
    """Grouped digits, rounded half away from zero: 1234.5 -> '1,235'."""
    quantum = _QUANTA.get(decimals) or Decimal(1).scaleb(-decimals)
    # EXACT: floats reach 1e308, enough digits to round any of them (passed as the context
    # argument: cheaper than switching the thread's context for every number).
    rounded = Decimal(repr(float(value))).quantize(quantum, ROUND_HALF_UP, EXACT)
    if rounded == 0:
        rounded = abs(rounded)
    return f"{rounded:,.{decimals}f}"


def currency(value: float, code: str, decimals: int = 0) -> str:
    symbol = CURRENCY_SYMBOLS.get(code, f"{code} ")
    text = number(abs(value), decimals)
    sign = "-" if value < 0 and text.strip("0.,") else ""
    return f"{sign}{symbol}{text}"


def percent(value: float, decimals: int = 0) -> str:
    """``value`` is in percent points (72.5 -> '72.5%' with one decimal)."""
    return f"{number(value, decimals)}%"


def plain(value: Any) -> str:
    """Any formula value as text: numbers trimmed, booleans Yes/No, lists joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float | int):
        return number(value, 2).rstrip("0").rstrip(".") if value % 1 else number(value)
    if isinstance(value, list):
        return ", ".join(plain(v) for v in value)
    return str(value)


_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def date_text(serial: float) -> str:
    """A date's serial number as people read it: '29 Feb 2024' (runtime.js: dateText)."""
    try:
        day = serial_date(serial)
    except FormulaError:
        return number(serial)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def calculation(calc: Calculation, value: Any, default_currency: str) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return plain(value)
    if calc.format == "currency":
        return currency(value, calc.currency or default_currency, calc.decimals)
    if calc.format == "percent":
        return percent(value * 100, calc.decimals)
    if calc.format == "date":
        return date_text(value)
    text = number(value, calc.decimals)
    return f"{text} {calc.unit}" if calc.unit else text


def answer(item: Input, value: Any, default_currency: str) -> str:
    """A normalised answer as the visitor would read it (option labels, units)."""
    if value is None:
        return ""
    labels = {o.value: o.label for o in item.options}
    if item.type == "yes_no":
        return labels.get(value) or {"yes": "Yes", "no": "No", "na": "N/A"}.get(value, "")
    if isinstance(value, list):
        return ", ".join(str(labels.get(v, v)) for v in value)
    if isinstance(value, str):
        return labels.get(value, value)
    decimals = 0 if float(value).is_integer() else 2
    if item.type == "currency":
        return currency(value, item.currency or default_currency, decimals)
    if item.type == "percent":
        return percent(value, decimals)
    text = number(value, decimals)
    return f"{text} {item.unit}" if item.unit else text


def fill(template: str, display: Mapping[str, str]) -> str:
    """Replace {{name}} with display[name]; unknown names become empty (verify flags them)."""
    return PLACEHOLDER.sub(lambda m: display.get(m.group(1), ""), template)


def placeholders(template: str) -> list[str]:
    return PLACEHOLDER.findall(template)
