"""Test cases after an edit in the editor: which refusals only say the results changed, and
re-recording what each case expects from the edited tool (when the creator confirms)."""

from __future__ import annotations

from typing import Any

from keyvex.dashboard._editor_routes import expectations
from keyvex.engine import AnswerError, ToolError, run
from keyvex.tools import ToolDefinition, ToolTestCase, parse_tool


def only_results_changed(errors: list[dict[str, str]]) -> bool:
    """Every refusal is a test case whose expected values or outcome now differ."""
    return bool(errors) and all(
        e["path"].startswith("test_cases.") and ".expected" in e["path"] for e in errors
    )


def _recorded(tool: ToolDefinition, case: ToolTestCase) -> dict[str, Any]:
    data = case.model_dump(mode="json")
    try:
        result = run(tool, case.answers)
    except (AnswerError, ToolError):
        return data  # answers the tool now refuses: verification names them
    found = expectations(result)
    data["expected"] = {k: found.get(k, v) for k, v in case.expected.items()}
    if case.expected_outcome is not None and result.outcome is not None:
        data["expected_outcome"] = result.outcome.id
    return data


def rerecord(tool: ToolDefinition) -> ToolDefinition:
    """The tool with each test case expecting what the tool now gives for its answers (the
    same names as before; answers unchanged)."""
    data = tool.model_dump(mode="json")
    data["test_cases"] = [_recorded(tool, case) for case in tool.test_cases]
    return parse_tool(data)
