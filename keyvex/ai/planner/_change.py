"""What an offline edit produces (the changed tool and what to say), and shared helpers."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from keyvex.ai.models import NeedsModel
from keyvex.ai.planner._request import Request
from keyvex.tools import Input, Option, ToolDefinition, ToolValidationError, parse_tool

Data = dict[str, Any]
#: Where the creator edits by hand what the offline editor cannot (the visual editor).
EDITOR_HINT = "Open the editor (Edit tool) to {what}."


@dataclass
class Change:
    """A changed tool, what was done, and what to say if nothing needed doing."""

    tool: ToolDefinition
    done: str
    already: str = ""


Edit = Callable[[ToolDefinition, Request], Change | None]


def changed(tool: ToolDefinition, update: Callable[[Data], None]) -> ToolDefinition:
    """A copy of the tool changed through its JSON form, validated again."""
    data = tool.model_dump(mode="json")
    update(data)
    try:
        return parse_tool(data)
    except ToolValidationError as exc:
        raise NeedsModel(f"That change would make the tool invalid: {exc.message}") from None


def refuse(reason: str, what: str) -> NeedsModel:
    """A refusal naming what cannot be done offline and offering the visual editor."""
    return NeedsModel(f"{reason} {EDITOR_HINT.format(what=what)}")


def same(a: ToolDefinition, b: ToolDefinition) -> bool:
    return a.model_dump(mode="json") == b.model_dump(mode="json")


def rebaseline(tool: ToolDefinition) -> tuple[ToolDefinition, int]:
    """Test cases whose expected values an edit changed get the values the tool now gives.

    A structural edit (a question added or removed, points changed) changes the scores by
    design; the cases still pin everything else. Cases whose answers no longer fit are dropped.
    """
    from keyvex.engine import AnswerError, run

    data = tool.model_dump(mode="json")
    kept, updated = [], 0
    for case in data["test_cases"]:
        try:
            result = run(tool, case["answers"])
        except AnswerError:
            updated += 1
            continue
        fixed = False
        for name, expected in list(case["expected"].items()):
            actual = result.value(name)
            if not _agrees(expected, actual, case.get("tolerance", 0.01)):
                fixed = True
                if actual is None or (isinstance(actual, float) and not math.isfinite(actual)):
                    del case["expected"][name]
                else:
                    case["expected"][name] = round(actual, 4) if _number(actual) else actual
        if case.get("expected_outcome") is not None:
            got = result.outcome.id if result.outcome else None
            if got != case["expected_outcome"]:
                fixed = True
                case["expected_outcome"] = got
        updated += fixed
        kept.append(case)
    if updated == 0:
        return tool, 0
    data["test_cases"] = kept
    return parse_tool(data), updated


def rebased(tool: ToolDefinition) -> tuple[ToolDefinition, int]:
    """Scored tools get their test cases' scores brought up to date (see ``rebaseline``)."""
    return (tool, 0) if tool.kind == "calculator" else rebaseline(tool)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _agrees(expected: Any, actual: Any, tolerance: float) -> bool:
    if _number(expected):
        return _number(actual) and math.isfinite(actual) and abs(actual - expected) <= tolerance
    return bool(expected == actual)


def options_of(item: Input) -> list[Option]:
    """A question's answer options; a yes/no question without any scores yes 1, no 0."""
    if item.type == "yes_no" and not item.options:
        return [Option(value="yes", label="Yes", points=1), Option(value="no", label="No")]
    return list(item.options)


def number_text(value: Any) -> str:
    """1000 -> '1,000'; 2.5 -> '2.5'; anything else as text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    return str(value)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def quote_list(items: list[str]) -> str:
    quoted = [f"'{item}'" for item in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
