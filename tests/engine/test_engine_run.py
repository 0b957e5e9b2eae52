"""run(): calculators, knowledge quizzes, outcome quizzes and assessments."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from keyvex.engine import ToolError, compile_tool, run
from keyvex.tools import ToolDefinition, parse_tool


def yes_no(id: str, category: str, **extra: Any) -> dict[str, Any]:
    return {"id": id, "type": "yes_no", "label": id, "category": category, **extra}


def likert(id: str, category: str, **extra: Any) -> dict[str, Any]:
    options = [{"value": str(n), "label": str(n), "points": n} for n in range(5)]
    options.append({"value": "na", "label": "Not applicable", "is_na": True})
    return {
        "id": id,
        "type": "radio",
        "label": id,
        "category": category,
        "options": options,
        **extra,
    }


CALCULATOR = parse_tool(
    {
        "id": "loan",
        "title": "Loan",
        "kind": "calculator",
        "currency": "EUR",
        "inputs": [
            {"id": "amount", "type": "currency", "label": "Amount", "min": 0, "max": 1e6},
            {"id": "rate", "type": "percent", "label": "Rate", "min": 0, "max": 30},
            {"id": "years", "type": "slider", "label": "Years", "min": 1, "max": 30, "default": 5},
            {"id": "insured", "type": "yes_no", "label": "Insured", "required": False},
            {"id": "fee", "type": "currency", "label": "Fee", "visible_if": "insured"},
        ],
        "constants": [{"id": "months_per_year", "value": 12}],
        "calculations": [
            {"id": "total", "label": "Total", "formula": "monthly * n", "format": "currency"},
            {"id": "n", "label": "Payments", "formula": "years * months_per_year"},
            {
                "id": "monthly",
                "label": "Monthly payment",
                "formula": "-PMT(rate / 12, n, amount) + COALESCE(fee, 0)",
                "format": "currency",
                "decimals": 2,
            },
            {
                "id": "share",
                "label": "Interest share",
                "formula": "1 - amount / total",
                "format": "percent",
                "decimals": 1,
            },
        ],
        "outcomes": [
            {"id": "pricey", "title": "Pricey", "condition": "share > 20%"},
            {"id": "fine", "title": "Fine", "description": "Monthly {{monthly}}."},
        ],
        "results": [
            {"type": "headline", "text": "You pay {{monthly}} a month for {{n}} months"},
            {"type": "chart", "chart": "bar", "series": ["monthly", "total"]},
            {"type": "outcome"},
        ],
    }
)


def test_calculator_orders_calculations_and_formats_values() -> None:
    result = run(CALCULATOR, {"amount": 10000, "rate": 6, "years": 1})
    assert result.values["n"] == 12
    assert result.values["monthly"] == pytest.approx(860.66, abs=0.01)
    assert result.display["monthly"] == "€860.66"
    assert result.display["rate"] == "6%"
    assert result.blocks[0].text == "You pay €860.66 a month for 12 months"
    assert [p.id for p in result.blocks[1].points] == ["monthly", "total"]
    assert result.outcome is not None and result.outcome.id == "fine"
    assert result.outcome.description == "Monthly €860.66."
    assert result.display["share"] == "3.2%"


def test_hidden_inputs_are_blank_and_not_required() -> None:
    result = run(CALCULATOR, {"amount": 10000, "rate": 6, "years": 1, "fee": 50})
    assert "fee" not in result.visible_inputs
    assert result.values["monthly"] == pytest.approx(860.66, abs=0.01)
    shown = run(CALCULATOR, {"amount": 10000, "rate": 6, "years": 1, "insured": True, "fee": 50})
    assert "fee" in shown.visible_inputs
    assert shown.values["monthly"] == pytest.approx(910.66, abs=0.01)


def test_condition_outcomes_take_the_first_match() -> None:
    result = run(CALCULATOR, {"amount": 10000, "rate": 30, "years": 30})
    assert result.outcome is not None and result.outcome.id == "pricey"


def test_formula_errors_become_result_errors_not_exceptions() -> None:
    tool = parse_tool(
        {
            "id": "div",
            "title": "Div",
            "kind": "calculator",
            "inputs": [{"id": "a", "type": "number", "label": "A"}],
            "calculations": [
                {"id": "inverse", "label": "Inverse", "formula": "1 / a"},
                {"id": "double", "label": "Double", "formula": "inverse * 2"},
            ],
        }
    )
    result = run(tool, {"a": 0})
    assert result.errors["inverse"].startswith("DIV_ZERO")
    assert "inverse" in result.errors["double"]
    assert result.values["double"] is None


def test_compiled_tools_are_cached_per_definition() -> None:
    assert compile_tool(CALCULATOR) is compile_tool(CALCULATOR)
    copy = CALCULATOR.model_copy(deep=True)
    assert compile_tool(copy) is not compile_tool(CALCULATOR)


def test_a_cycle_makes_the_tool_unrunnable() -> None:
    tool = ToolDefinition.model_validate(
        {
            "id": "loop",
            "title": "Loop",
            "kind": "calculator",
            "inputs": [{"id": "a", "type": "number", "label": "A"}],
            "calculations": [
                {"id": "x", "label": "X", "formula": "y + a"},
                {"id": "y", "label": "Y", "formula": "x"},
            ],
        }
    )
    with pytest.raises(ToolError, match="cycle"):
        run(tool, {"a": 1})


QUIZ = parse_tool(
    {
        "id": "quiz",
        "title": "Quiz",
        "kind": "quiz",
        "scoring": {"quiz_type": "knowledge"},
        "inputs": [
            {
                "id": "q1",
                "type": "radio",
                "label": "2+2?",
                "options": [
                    {"value": "4", "label": "4", "correct": True},
                    {"value": "5", "label": "5"},
                ],
            },
            {
                "id": "q2",
                "type": "multiselect",
                "label": "Primes?",
                "weight": 2,
                "options": [
                    {"value": "2", "label": "2", "correct": True},
                    {"value": "3", "label": "3", "correct": True},
                    {"value": "4", "label": "4"},
                ],
            },
        ],
        "outcomes": [
            {"id": "learner", "title": "Learner", "min_score": 0, "max_score": 50},
            {"id": "expert", "title": "Expert", "min_score": 50, "max_score": 100},
        ],
        "results": [{"type": "metric", "value": "score_percent"}],
    }
)


def test_knowledge_quiz_marks_answers_and_weights_questions() -> None:
    result = run(QUIZ, {"q1": "5", "q2": ["3", "2"]})
    assert result.correct == {"q1": False, "q2": True}
    assert result.scores is not None
    assert (result.scores.total, result.scores.max) == (2, 3)
    assert result.scores.percent == pytest.approx(66.667, abs=0.001)
    assert result.outcome is not None and result.outcome.id == "expert"
    assert result.blocks[0].display == "67%"


def test_tier_boundary_goes_to_the_higher_tier() -> None:
    tool = QUIZ.model_copy(deep=True)
    tool.inputs[1].weight = 1
    result = run(tool, {"q1": "4", "q2": ["2"]})
    assert result.scores is not None and result.scores.percent == 50
    assert result.outcome is not None and result.outcome.id == "expert"


def option(value: str, **points: float) -> dict[str, Any]:
    return {"value": value, "label": value.title(), "outcome_points": points}


LEADER = parse_tool(
    {
        "id": "leader",
        "title": "Leader",
        "kind": "quiz",
        "scoring": {"quiz_type": "outcome"},
        "inputs": [
            {
                "id": "q1",
                "type": "radio",
                "label": "Q1",
                "options": [option("a", vision=2), option("b", coach=2)],
            },
            {
                "id": "q2",
                "type": "radio",
                "label": "Q2",
                "options": [option("a", vision=1), option("b", coach=1)],
            },
        ],
        "outcomes": [{"id": "coach", "title": "Coach"}, {"id": "vision", "title": "Visionary"}],
    }
)


def test_outcome_quiz_top_outcome_wins() -> None:
    result = run(LEADER, {"q1": "a", "q2": "a"})
    assert result.outcome_points == {"coach": 0, "vision": 3}
    assert result.outcome is not None and result.outcome.title == "Visionary"


def test_outcome_quiz_ties_go_to_the_first_declared_outcome() -> None:
    tool = LEADER.model_copy(deep=True)
    tool.inputs[1].options[0].outcome_points = {"vision": 2}
    tool.inputs[0].options[1].outcome_points = {"coach": 2}
    result = run(tool, {"q1": "b", "q2": "a"})
    assert result.outcome_points == {"coach": 2, "vision": 2}
    assert result.outcome is not None and result.outcome.id == "coach"


ASSESSMENT = parse_tool(
    {
        "id": "ready",
        "title": "Readiness",
        "kind": "assessment",
        "scoring": {
            "recommendation_threshold": 50,
            "categories": [
                {
                    "id": "people",
                    "title": "People",
                    "weight": 3,
                    "recommendation": "Train people ({{people}}).",
                },
                {
                    "id": "process",
                    "title": "Process",
                    "weight": 1,
                    "recommendation": "Fix process.",
                },
            ],
        },
        "inputs": [
            likert("skills", "people"),
            likert("turnover", "people", reverse_scored=True),
            yes_no("documented", "process"),
            likert("measured", "process"),
        ],
        "calculations": [{"id": "gap", "label": "Gap", "formula": "100 - score_percent"}],
        "outcomes": [
            {
                "id": "early",
                "title": "Early",
                "min_score": 0,
                "max_score": 50,
                "recommendations": ["Start small."],
            },
            {"id": "ready", "title": "Ready", "min_score": 50, "max_score": 100},
        ],
        "results": [
            {"type": "chart", "chart": "radar", "source": "categories"},
            {"type": "recommendations"},
        ],
    }
)


def test_assessment_reverse_scoring_weights_tiers_and_recommendations() -> None:
    answers = {"skills": "4", "turnover": "3", "documented": False, "measured": "2"}
    result = run(ASSESSMENT, answers)
    # people: 4 + (4 + 0 - 3) = 5 of 8 -> 62.5; process: 0 + 2 = 2 of 1 + 4 = 5 -> 40
    assert result.category_scores == {"people": 62.5, "process": 40.0}
    assert result.scores is not None
    assert result.scores.percent == pytest.approx((62.5 * 3 + 40) / 4)
    assert (result.scores.total, result.scores.max) == (7, 13)
    assert result.values["gap"] == pytest.approx(100 - 56.875)
    assert result.outcome is not None and result.outcome.id == "ready"
    assert result.recommendations == ["Fix process."]
    chart = result.blocks[0]
    assert [(p.label, p.value) for p in chart.points] == [("People", 62.5), ("Process", 40.0)]
    assert chart.max == 100


def test_not_applicable_answers_leave_the_denominator() -> None:
    answers = {"skills": "1", "turnover": "na", "documented": True, "measured": "na"}
    result = run(ASSESSMENT, answers)
    assert result.category_scores == {"people": 25.0, "process": 100.0}
    assert result.outcome is not None and result.outcome.id == "early"
    assert result.recommendations == ["Train people (25%).", "Start small."]


def test_multiselect_and_default_yes_no_points_in_assessments() -> None:
    tool = parse_tool(
        {
            "id": "multi",
            "title": "Multi",
            "kind": "assessment",
            "scoring": {"categories": [{"id": "tools", "title": "Tools"}]},
            "inputs": [
                {
                    "id": "used",
                    "type": "multiselect",
                    "label": "Used",
                    "category": "tools",
                    "options": [
                        {"value": "crm", "label": "CRM", "points": 2},
                        {"value": "erp", "label": "ERP", "points": 1},
                        {"value": "none", "label": "None of these", "is_na": True},
                    ],
                },
                {"id": "cloud", "type": "yes_no", "label": "Cloud?", "category": "tools"},
            ],
        }
    )
    # CRM 2 of 3 possible; yes/no without options: yes 1 of 1 -> 3 of 4.
    result = run(tool, {"used": ["crm"], "cloud": True})
    assert result.category_scores == {"tools": 75.0}
    only_yes = run(tool, {"used": ["none"], "cloud": "yes"})
    assert only_yes.category_scores == {"tools": 100.0}
    assert only_yes.model_dump(mode="json")["scores"] == {
        "total": 1.0,
        "max": 1.0,
        "percent": 100.0,
    }


def test_today_in_a_calculation_reads_the_time_run_is_given() -> None:
    data = CALCULATOR.model_dump()
    data["calculations"].append(
        {"id": "days_to_2030", "label": "Days to 2030", "formula": "DATE(2030, 1, 1) - TODAY()"}
    )
    dated = parse_tool(data)
    answers = {"amount": 1000, "rate": 5, "years": 5}
    eve = run(dated, answers, now=datetime(2029, 12, 31, 23, 59, tzinfo=UTC))
    earlier = run(dated, answers, now=datetime(2029, 12, 1, 8, 0, tzinfo=UTC))
    assert (eve.values["days_to_2030"], earlier.values["days_to_2030"]) == (1.0, 31.0)
    # only a tool whose formulas read the time is handed it (the others skip that work)
    assert compile_tool(dated).reads_clock and not compile_tool(CALCULATOR).reads_clock
