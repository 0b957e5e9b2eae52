"""Checking a creator's answer against the question's widget, and each question's default."""

from __future__ import annotations

import re
from typing import Any

from keyvex.ai import Question
from keyvex.errors import Invalid
from keyvex.tools.currencies import currencies_named, currency_code, is_currency_code

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_TEXT = 500
MAX_TEXTAREA = 5000
YES_NO_MAYBE = ("yes", "no", "maybe")


class AnswerError(Invalid):
    """One answer does not fit its question; ``fields`` names the part that is wrong."""


def _fail(field: str, sentence: str) -> AnswerError:
    return AnswerError("The answer does not fit the question.", fields={field: sentence})


def check_answer(question: Question, value: Any, field: str = "value") -> Any:
    """The answer in its stored form; raises AnswerError with a sentence for ``field``."""
    kind = question.input_type
    if kind == "multipart":
        return _multipart(question, value, field)
    if kind == "multiselect":
        return _multiselect(question, value, field)
    if kind == "color_pair":
        return _color_pair(question, value, field)
    if kind == "yes_no_maybe":
        text = value.strip().lower() if isinstance(value, str) else ""
        if text not in YES_NO_MAYBE:
            raise _fail(field, "Answer yes, no or maybe.")
        return text
    limit = MAX_TEXTAREA if kind == "textarea" else MAX_TEXT
    text = _text(value, field, limit)
    if kind in ("select", "data_field") and question.options and not question.allow_custom:
        if text not in {o.value for o in question.options}:
            raise _fail(field, "Pick one of the offered options.")
    if kind == "select" and _asks_currency(question):
        return _currency(question, text, field)
    return text


def _asks_currency(question: Question) -> bool:
    """A question about the currency: so named, or offering only currency codes."""
    offered = [o.value for o in question.options]
    return question.id == "currency" or (bool(offered) and all(map(is_currency_code, offered)))


def _currency(question: Question, text: str, field: str) -> str:
    """An offered currency, or a typed ISO 4217 code or currency name, as its code."""
    if text in {o.value for o in question.options}:
        return text
    code = currency_code(text)
    if code is not None:
        return code
    said = text if len(text) <= 40 else text[:39] + "…"
    named = next(((w, c) for w in text.split() if (c := currencies_named(w))), None)
    codes = f" (for {named[0]}: {', '.join(named[1])})" if named else " such as USD, EUR or CHF"
    what = f"'{said}' is not a currency, so it cannot answer '{question.prompt}'."
    how = (
        f"Type a three-letter ISO 4217 code{codes}, a currency's name like 'Swiss francs', "
        "or pick an offered currency."
    )
    raise AnswerError(what, fields={field: how})


def _text(value: Any, field: str, limit: int) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _fail(field, "Type an answer.")
    text = str(value).strip()
    if not text:
        raise _fail(field, "Type an answer.")
    if len(text) > limit:
        raise _fail(field, f"Keep the answer under {limit} characters.")
    return text


def _multiselect(question: Question, value: Any, field: str) -> list[str]:
    if not isinstance(value, list) or not value:
        raise _fail(field, "Pick at least one option.")
    chosen = list(dict.fromkeys(_text(v, field, MAX_TEXT) for v in value))
    if question.max_selections is not None and len(chosen) > question.max_selections:
        raise _fail(field, f"Pick at most {question.max_selections}.")
    allowed = {o.value for o in question.options}
    if allowed and not question.allow_custom and any(v not in allowed for v in chosen):
        raise _fail(field, "Pick only from the offered options.")
    return chosen


def _color_pair(question: Question, value: Any, field: str) -> list[str]:
    """An option's value (its two colours) or two '#rrggbb' colours of the creator's own."""
    if isinstance(value, str):
        option = next((o for o in question.options if o.value == value), None)
        if option is None or len(option.colors) != 2:
            raise _fail(field, "Pick one of the colour pairs or give two colours.")
        value = option.colors
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(c, str) and _HEX.match(c) for c in value)
    ):
        raise _fail(field, "Give two colours written like #1a2b3c.")
    return [c.lower() for c in value]


def _multipart(question: Question, value: Any, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(field, "Answer each part of the question.")
    answers: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for part in question.parts:
        name = f"{field}.{part.id}"
        try:
            answers[part.id] = check_answer(part, value.get(part.id), name)
        except AnswerError as exc:
            problems.update(exc.fields)
    if problems:
        raise AnswerError("Some parts of the answer do not fit the question.", fields=problems)
    return answers


def default_answer(question: Question) -> Any:
    """What ``keyvex create --defaults`` answers: the question's default, else a sensible one."""
    if question.default is not None:
        try:
            return check_answer(question, question.default)
        except AnswerError:
            pass
    kind, options = question.input_type, question.options
    if kind == "multipart":
        return {part.id: default_answer(part) for part in question.parts}
    if kind == "yes_no_maybe":
        return "yes"
    if kind == "color_pair":
        pair = next((o.colors for o in options if len(o.colors) == 2), None)
        return pair or ["#2563eb", "#ffffff"]
    if kind == "multiselect" and options:
        return [o.value for o in options[: question.max_selections or len(options)]]
    if options:
        return options[0].value
    return (question.suggestions or [question.placeholder.strip() or "Not sure"])[0]
