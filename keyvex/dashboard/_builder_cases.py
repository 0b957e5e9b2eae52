"""Test cases after an edit in the editor: re-recording each case against the edited tool
(when the creator confirms): answers the tool now refuses or lacks are replaced by sample
answers, then every expected value and outcome is taken from what the tool gives."""

from __future__ import annotations

import random
from typing import Any

from keyvex.dashboard._editor_routes import expectations
from keyvex.engine import AnswerError, Result, ToolError, run
from keyvex.tools import (
    ToolDefinition,
    ToolTestCase,
    parse_tool,
    value_for,  # the answers verification itself samples
)


def _answers(tool: ToolDefinition, answers: dict[str, Any], refused: set[str]) -> dict[str, Any]:
    """The case's answers with samples for refused ones and new required questions."""
    rng = random.Random(0)
    fixed = {k: v for k, v in answers.items() if k not in refused}
    for item in tool.inputs:
        if item.id not in fixed and (item.id in refused or item.required):
            fixed[item.id] = value_for(item, rng, "default")
    return fixed


def _run(tool: ToolDefinition, case: ToolTestCase) -> tuple[dict[str, Any], Result] | None:
    answers = _answers(tool, case.answers, set())
    for _attempt in range(2):
        try:
            return answers, run(tool, answers)
        except AnswerError as exc:
            answers = _answers(tool, answers, set(exc.errors))
        except ToolError:
            return None
    return None


def _recorded(tool: ToolDefinition, case: ToolTestCase) -> dict[str, Any]:
    data = case.model_dump(mode="json")
    done = _run(tool, case)
    if done is None:
        return data  # the tool cannot run these answers: verification names them
    answers, result = done
    found = expectations(result)
    data["answers"] = answers
    data["expected"] = {k: found.get(k, v) for k, v in case.expected.items()}
    if case.expected_outcome is not None and result.outcome is not None:
        data["expected_outcome"] = result.outcome.id
    return data


def rerecord(tool: ToolDefinition) -> ToolDefinition:
    """The tool with each test case re-recorded against it (same expected names)."""
    data = tool.model_dump(mode="json")
    data["test_cases"] = [_recorded(tool, case) for case in tool.test_cases]
    return parse_tool(data)
