"""Items to and from DynamoDB's attribute values, keeping numbers exactly as SQLite returns them.

SQLite keeps an item as JSON, so an int comes back an int and a float a float (``3.0`` stays
``3.0``). DynamoDB has one number type and trims it (``3.0`` is stored as ``3``), and its
numbers stop at 38 digits and magnitudes 1e-130..1e126. So:

- ints travel as ``N`` (up to 38 digits; a longer int is refused as the store cannot keep it);
- floats with a fraction travel as ``N`` (Python's shortest repr: read back bit for bit);
- floats DynamoDB would turn into ints (``3.0``, ``-0.0``) or cannot hold (``1e300``) travel
  as a one-key map ``{FLOAT_TAG: "<repr>"}``, read back as that float. Such an attribute is no
  longer a DynamoDB number: ``add`` to it is refused as "not a number" (SQLite would add).
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from keyvex.errors import Invalid
from keyvex.store._model import Item

FLOAT_TAG = "__keyvex_float__"
_MAX_DIGITS = 38
_MAX_EXP = 125  # DynamoDB numbers: up to 9.99...E+125
_MIN_EXP = -130


def _float_fits(value: float) -> bool:
    if not math.isfinite(value) or value.is_integer():
        return False
    exponent = math.floor(math.log10(abs(value)))
    return _MIN_EXP <= exponent <= _MAX_EXP


def encode_value(value: Any) -> dict[str, Any]:
    """One JSON value as a DynamoDB attribute value (raises Invalid for anything else)."""
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, int):
        text = str(value)
        if len(text.lstrip("-")) > _MAX_DIGITS:
            raise Invalid(f"The number {text[:20]}... has more than 38 digits; store it as text.")
        return {"N": text}
    if isinstance(value, float):
        if not math.isfinite(value):
            raise Invalid(f"The store cannot keep {value!r}: numbers must be finite.")
        if _float_fits(value):
            return {"N": repr(value)}
        return {"M": {FLOAT_TAG: {"S": repr(value)}}}
    if isinstance(value, list | tuple):
        return {"L": [encode_value(v) for v in value]}
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise Invalid("The store keeps maps with text keys only.")
        return {"M": {k: encode_value(v) for k, v in value.items()}}
    raise Invalid(f"The store cannot keep a {type(value).__name__}; use JSON values.")


def decode_value(av: dict[str, Any]) -> Any:
    """One DynamoDB attribute value back as the JSON value it was written from."""
    kind, raw = next(iter(av.items()))
    if kind == "S":
        return raw
    if kind == "N":
        return _number(raw)
    if kind == "BOOL":
        return bool(raw)
    if kind == "NULL":
        return None
    if kind == "L":
        return [decode_value(v) for v in raw]
    if kind == "M":
        if len(raw) == 1 and FLOAT_TAG in raw and "S" in raw[FLOAT_TAG]:
            return float(raw[FLOAT_TAG]["S"])
        return {k: decode_value(v) for k, v in raw.items()}
    raise Invalid(f"The table holds a {kind} attribute, which Keyvex never writes.")


def _number(text: str) -> int | float:
    """An integral number is an int (DynamoDB trims ``3.0`` to ``3`` itself), else a float."""
    if "." not in text and "e" not in text and "E" not in text:
        return int(text)
    number = Decimal(text)
    if number == number.to_integral_value():
        return int(number)
    return float(text)


def encode_item(item: Item) -> dict[str, dict[str, Any]]:
    return {name: encode_value(value) for name, value in item.items()}


def decode_item(raw: dict[str, dict[str, Any]]) -> Item:
    return {name: decode_value(value) for name, value in raw.items()}
