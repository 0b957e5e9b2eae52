"""Answer checking: one readable sentence per field, never a trace."""

from __future__ import annotations

import pytest

from keyvex.engine import AnswerError, run
from keyvex.tools import parse_tool

TOOL = parse_tool(
    {
        "id": "answers",
        "title": "Answers",
        "kind": "calculator",
        "inputs": [
            {
                "id": "staff",
                "type": "number",
                "label": "Staff",
                "min": 1,
                "max": 50,
                "unit": "people",
            },
            {"id": "margin", "type": "percent", "label": "Margin", "min": 0, "max": 100},
            {
                "id": "plan",
                "type": "select",
                "label": "Plan",
                "options": [{"value": "basic", "label": "Basic"}, {"value": "pro", "label": "Pro"}],
            },
            {
                "id": "extras",
                "type": "multiselect",
                "label": "Extras",
                "required": False,
                "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
            },
            {"id": "email", "type": "email", "label": "Email", "required": False},
            {"id": "start", "type": "date", "label": "Start", "required": False},
            {"id": "agree", "type": "yes_no", "label": "Agree"},
        ],
        "calculations": [{"id": "x", "label": "X", "formula": "staff * margin"}],
    }
)
GOOD = {"staff": 10, "margin": 25, "plan": "pro", "agree": "yes"}


def errors_for(answers: dict[str, object]) -> dict[str, str]:
    with pytest.raises(AnswerError) as info:
        run(TOOL, answers)
    assert info.value.status == 422
    assert info.value.fields == info.value.errors
    return info.value.errors


def test_good_answers_are_normalised() -> None:
    result = run(TOOL, {**GOOD, "staff": " 10 ", "extras": ["b", "a"], "agree": True})
    assert result.answers["staff"] == 10
    assert result.answers["extras"] == ["a", "b"]
    assert result.answers["agree"] == "yes"
    assert result.values["x"] == pytest.approx(2.5)


def test_each_bad_field_gets_one_sentence() -> None:
    errors = errors_for(
        {
            "staff": 0,
            "margin": "lots",
            "plan": "gold",
            "extras": ["c"],
            "email": "nope",
            "start": "31/12/2024",
            "agree": "maybe",
        }
    )
    assert errors == {
        "staff": "Enter at least 1 people.",
        "margin": "Enter a number.",
        "plan": "Choose one of the listed options.",
        "extras": "Choose only from the listed options.",
        "email": "Enter a valid email address.",
        "start": "Enter a date as YYYY-MM-DD.",
        "agree": "Answer yes or no.",
    }


def test_missing_required_answers_are_reported() -> None:
    errors = errors_for({"staff": 3})
    assert errors == {
        "margin": "This question needs an answer.",
        "plan": "This question needs an answer.",
        "agree": "This question needs an answer.",
    }


def test_out_of_range_above_max_and_wrong_types() -> None:
    errors = errors_for({**GOOD, "staff": 51, "margin": True, "plan": ["pro"]})
    assert errors == {
        "staff": "Enter at most 50 people.",
        "margin": "Enter a number.",
        "plan": "Choose one of the listed options.",
    }


def test_non_finite_numbers_are_refused() -> None:
    assert errors_for({**GOOD, "staff": float("nan")}) == {"staff": "Enter a number."}


def test_numbers_as_text_accept_thousands_separators_only() -> None:
    assert errors_for({**GOOD, "staff": "1,5"}) == {"staff": "Enter a number."}
    assert errors_for({**GOOD, "staff": "1,000"}) == {"staff": "Enter at most 50 people."}


def test_unknown_answer_keys_are_ignored() -> None:
    assert run(TOOL, {**GOOD, "utm_source": "ad"}).values["x"] == pytest.approx(2.5)


def test_answers_that_are_not_an_object_are_one_error() -> None:
    with pytest.raises(AnswerError) as info:
        run(TOOL, ["staff", 3])  # type: ignore[arg-type]
    assert list(info.value.errors) == ["answers"]
