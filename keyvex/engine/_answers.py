"""Checking a visitor's answers: types, ranges, options, required and visible questions."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from keyvex.engine._compiled import CompiledTool
from keyvex.errors import Invalid
from keyvex.formula import FormulaError, date_serial
from keyvex.tools.inputs import CHOICE_TYPES, NUMERIC_TYPES, Input

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")  # what runtime.js accepts too
THOUSANDS = re.compile(r"^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
MAX_TEXT = 1000
_MISSING = object()


class AnswerError(Invalid):
    """Answers that do not fit the questions; ``errors`` maps input id -> sentence."""

    title = "Some answers need attention"

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        count = len(errors)
        super().__init__(
            f"{count} answer{'s' if count != 1 else ''} need{'s' if count == 1 else ''} attention.",
            fields=errors,
        )


class BadAnswer(Exception):
    """One input's answer is unusable; the message is the sentence shown."""


def check_answers(
    compiled: CompiledTool, answers: Mapping[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Return (normalised answers of visible inputs, visible input ids) or raise AnswerError.

    Missing keys take the input's default; unknown keys are ignored. Hidden inputs
    are blank whatever was sent.
    """
    tool = compiled.tool
    normal: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for item in tool.inputs:
        raw = answers.get(item.id, _MISSING)
        raw = item.default if raw is _MISSING else raw
        try:
            normal[item.id] = normalise(item, raw)
        except BadAnswer as exc:
            normal[item.id] = None
            errors[item.id] = str(exc)
    visible = _visible_inputs(compiled, normal)
    for item in tool.inputs:
        if item.id not in visible:
            normal[item.id] = None
            errors.pop(item.id, None)
        elif item.required and is_blank(normal[item.id]) and item.id not in errors:
            errors[item.id] = "This question needs an answer."
    if errors:
        raise AnswerError(errors)
    return normal, [item.id for item in tool.inputs if item.id in visible]


def is_blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def formula_value(item: Input, value: Any) -> Any:
    """What formulas see: percent inputs as fractions, yes/no as booleans, N/A as blank,
    dates as spreadsheet serial numbers (so DATEDIF, + 30 and comparisons work)."""
    if value is None:
        return None
    if item.type == "percent":
        return value / 100
    if item.type == "date":
        return date_serial(date.fromisoformat(value)) if value else None
    if item.type == "yes_no":
        return None if value == "na" else value == "yes"
    return value


def namespace_of(compiled: CompiledTool, normal: Mapping[str, Any]) -> dict[str, Any]:
    names = dict(compiled.constants)
    for item in compiled.tool.inputs:
        names[item.id] = formula_value(item, normal.get(item.id))
    return names


def truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    return bool(value)


def _visible_inputs(compiled: CompiledTool, normal: dict[str, Any]) -> set[str]:
    names = namespace_of(compiled, normal)
    visible: set[str] = set()
    for item in compiled.tool.inputs:
        condition = compiled.visibility.get(item.id)
        shown = True
        if condition is not None:
            try:
                shown = truthy(condition.evaluate(names, compiled.tables))
            except FormulaError:  # a condition that fails hides the question
                shown = False
        if shown:
            visible.add(item.id)
        else:
            names[item.id] = None
    return visible


def normalise(item: Input, raw: Any) -> Any:
    """The answer in canonical form, None when blank; raises BadAnswer with a sentence."""
    if is_blank(raw) and item.type != "yes_no":
        return None
    if item.type in NUMERIC_TYPES:
        return _number(item, raw)
    if item.type in CHOICE_TYPES:
        return _choice(item, raw)
    if item.type == "yes_no":
        return _yes_no(item, raw)
    return _text(item, raw)


def _number(item: Input, raw: Any) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise BadAnswer("Enter a number.")
    try:
        value = _parse_number(raw) if isinstance(raw, str) else float(raw)
    except ValueError:
        raise BadAnswer("Enter a number.") from None
    if not math.isfinite(value):
        raise BadAnswer("Enter a number.")
    unit = {"percent": "%"}.get(item.type, f" {item.unit}" if item.unit else "")
    if item.min is not None and value < item.min:
        raise BadAnswer(f"Enter at least {item.min:g}{unit}.")
    if item.max is not None and value > item.max:
        raise BadAnswer(f"Enter at most {item.max:g}{unit}.")
    return value


def _parse_number(text: str) -> float:
    """'1234.5' or '1,234.5'; a comma is only a thousands separator ('1,5' is refused)."""
    text = text.strip()
    if "," in text:
        if not THOUSANDS.match(text):
            raise ValueError(text)
        text = text.replace(",", "")
    return float(text)


def _choice(item: Input, raw: Any) -> str | list[str]:
    values = {o.value for o in item.options}
    if item.type == "multiselect":
        chosen = [raw] if isinstance(raw, str) else raw
        if not isinstance(chosen, list) or not all(isinstance(v, str) for v in chosen):
            raise BadAnswer("Choose from the listed options.")
        if any(v not in values for v in chosen):
            raise BadAnswer("Choose only from the listed options.")
        return [o.value for o in item.options if o.value in set(chosen)]
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = f"{raw:g}"
    if not isinstance(raw, str) or raw not in values:
        raise BadAnswer("Choose one of the listed options.")
    return raw


def _yes_no(item: Input, raw: Any) -> str | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    text = str(raw).strip().lower()
    mapped = {"yes": "yes", "true": "yes", "no": "no", "false": "no", "na": "na"}.get(text)
    if mapped == "na" and not any(o.is_na or o.value == "na" for o in item.options):
        mapped = None
    if mapped is None:
        raise BadAnswer("Answer yes or no.")
    return mapped


def _text(item: Input, raw: Any) -> str:
    if not isinstance(raw, str):
        raise BadAnswer("Enter text.")
    text = raw.strip()
    if len(text) > MAX_TEXT:
        raise BadAnswer(f"Keep this under {MAX_TEXT} characters.")
    if item.type == "email" and not EMAIL.match(text):
        raise BadAnswer("Enter a valid email address.")
    if item.type == "date":
        try:
            if not ISO_DATE.match(text):
                raise ValueError(text)
            date.fromisoformat(text)
        except ValueError:
            raise BadAnswer("Enter a date as YYYY-MM-DD.") from None
    return text
