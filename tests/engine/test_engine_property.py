"""Property: any in-range answers to any template run cleanly, never with a trace."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keyvex.engine import AnswerError, run
from keyvex.tools import Input, ToolDefinition, list_templates

TEMPLATES = list_templates()


def answer_strategy(item: Input) -> st.SearchStrategy[Any]:
    values = [o.value for o in item.options]
    if item.type in {"number", "currency", "percent", "slider"}:
        low = item.min if item.min is not None else -1e6
        high = item.max if item.max is not None else 1e6
        return st.floats(min_value=low, max_value=high, allow_nan=False)
    if item.type == "multiselect":
        return st.lists(st.sampled_from(values), unique=True, min_size=1)
    if item.type in {"select", "radio"}:
        return st.sampled_from(values)
    if item.type == "yes_no":
        return st.sampled_from(values or ["yes", "no"])
    return st.just("visitor@example.com" if item.type == "email" else "text")


def answers_for(tool: ToolDefinition) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({item.id: answer_strategy(item) for item in tool.inputs})


@pytest.mark.parametrize("tool", TEMPLATES, ids=[t.id for t in TEMPLATES])
def test_in_range_answers_give_finite_shown_values(tool: ToolDefinition) -> None:
    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(answers_for(tool))
    def check(answers: dict[str, Any]) -> None:
        result = run(tool, answers)
        assert result.errors == {}
        for value in result.values.values():
            assert not (isinstance(value, float) and not math.isfinite(value))

    check()


@given(st.dictionaries(st.sampled_from(["staff", "hours_per_week", "x"]), st.from_type(object)))
@settings(max_examples=60, deadline=None, derandomize=True)
def test_arbitrary_answers_raise_only_answer_errors(answers: dict[str, object]) -> None:
    tool = TEMPLATES[[t.id for t in TEMPLATES].index("time-savings-calculator")]
    try:
        run(tool, answers)
    except AnswerError as exc:
        assert exc.errors and all(isinstance(v, str) for v in exc.errors.values())


@pytest.mark.slow
@pytest.mark.parametrize("tool", TEMPLATES, ids=[t.id for t in TEMPLATES])
def test_in_range_answers_fuzzed_harder(tool: ToolDefinition) -> None:
    @settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(answers_for(tool))
    def check(answers: dict[str, Any]) -> None:
        assert run(tool, answers).errors == {}

    check()
