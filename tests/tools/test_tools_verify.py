"""verify(): a broken tool gets every problem named; a clean tool scores 100."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from keyvex.tools import get_template, parse_tool, verify

CLEAN: dict[str, Any] = {
    "id": "clean",
    "title": "Clean",
    "kind": "calculator",
    "inputs": [
        {"id": "hours", "type": "number", "label": "Hours", "min": 0, "max": 40, "default": 5},
        {"id": "rate", "type": "currency", "label": "Rate", "min": 10, "max": 300, "default": 50},
    ],
    "calculations": [
        {"id": "weekly", "label": "Weekly", "formula": "hours * rate", "format": "currency"},
        {"id": "yearly", "label": "Yearly", "formula": "weekly * 52", "format": "currency"},
    ],
    "outcomes": [
        {"id": "big", "title": "Big", "condition": "yearly >= 100000"},
        {"id": "small", "title": "Small"},
    ],
    "results": [
        {"type": "headline", "text": "{{yearly}} a year"},
        {"type": "metric", "value": "weekly"},
    ],
    "test_cases": [
        {"name": "defaults", "answers": {}, "expected": {"yearly": 13000}, "notes": "5 x 50 x 52"}
    ],
}


def broken() -> dict[str, Any]:
    data = copy.deepcopy(CLEAN)
    data["calculations"] += [
        {"id": "a", "label": "A", "formula": "b + 1"},
        {"id": "b", "label": "B", "formula": "a * 2"},
        {"id": "c", "label": "C", "formula": "hours * hourly_wage"},
    ]
    data["outcomes"].insert(0, {"id": "never", "title": "Never", "condition": "hours > 1000"})
    data["theme"] = {"text": "#ffffff", "background": "#ffffff"}
    return data


def test_clean_tool_has_no_issues_and_full_quality() -> None:
    report = verify(CLEAN)
    assert report.ok and report.errors == [] and report.warnings == []
    assert report.quality == 100
    assert report.stats.samples >= 200
    assert report.stats.test_cases_passed == 1
    assert set(report.stats.outcomes_reached) == {"big", "small"}


def test_broken_tool_names_each_error() -> None:
    report = verify(broken())
    by_code = {i.code: i for i in report.errors}
    assert not report.ok
    assert by_code["cycle"].path == "calculations[2].formula"
    assert "a -> b -> a" in by_code["cycle"].message
    assert by_code["unknown_name"].path == "calculations[4].formula"
    assert "hourly_wage" in by_code["unknown_name"].message
    assert by_code["unreachable_outcome"].path == "outcomes[0]"
    assert by_code["low_contrast"].path == "theme.text"
    assert "1.00:1" in by_code["low_contrast"].message
    assert report.quality <= 40


def test_schema_errors_are_reported_not_raised() -> None:
    report = verify({"id": "x", "kind": "calculator"})
    assert not report.ok
    assert {(i.path, i.code) for i in report.errors} >= {("title", "schema"), ("inputs", "schema")}
    assert report.quality == 0


def test_failing_test_case_and_sampled_division_by_zero() -> None:
    data = copy.deepcopy(CLEAN)
    data["test_cases"][0]["expected"]["yearly"] = 12000
    data["calculations"].append(
        {"id": "per_hour", "label": "Per hour", "formula": "weekly / hours", "format": "currency"}
    )
    data["results"].append({"type": "metric", "value": "per_hour"})
    report = verify(data)
    codes = {(i.code, i.path) for i in report.errors}
    assert ("test_failed", "test_cases[0].expected.yearly") in codes
    assert ("sample_error", "calculations[2].formula") in codes


def test_score_gaps_and_overlaps_are_errors() -> None:
    data = {
        "id": "tiers",
        "title": "Tiers",
        "kind": "quiz",
        "scoring": {"quiz_type": "knowledge"},
        "inputs": [
            {
                "id": "q",
                "type": "radio",
                "label": "Q",
                "options": [
                    {"value": "a", "label": "A", "correct": True},
                    {"value": "b", "label": "B"},
                ],
            }
        ],
        "outcomes": [
            {"id": "low", "title": "Low", "min_score": 0, "max_score": 40},
            {"id": "mid", "title": "Mid", "min_score": 50, "max_score": 80},
            {"id": "high", "title": "High", "min_score": 70, "max_score": 90},
        ],
    }
    codes = [(i.code, i.path) for i in verify(data).errors]
    assert ("score_gap", "outcomes[1].min_score") in codes
    assert ("score_overlap", "outcomes[2].min_score") in codes
    assert ("score_gap", "outcomes[2].max_score") in codes
    assert ("unreachable_outcome", "outcomes[1]") in codes


def test_warnings_for_unused_inputs_and_missing_tests() -> None:
    data = copy.deepcopy(CLEAN)
    data["inputs"].append({"id": "notes", "type": "text", "label": "Notes", "required": False})
    del data["test_cases"]
    report = verify(parse_tool(data))
    assert report.ok
    assert {i.code for i in report.warnings} == {"unused_input", "no_test_cases"}
    assert report.quality == 90


def test_verification_is_deterministic() -> None:
    first, second = verify(CLEAN), verify(CLEAN)
    assert first.stats.outcomes_reached == second.stats.outcomes_reached


def test_parse_errors_are_named_and_other_checks_still_run() -> None:
    data = broken()
    data["calculations"][0]["formula"] = "hours * (rate"
    report = verify(data)
    codes = {(i.code, i.path) for i in report.errors}
    assert ("formula_parse", "calculations[0].formula") in codes
    assert ("cycle", "calculations[2].formula") in codes
    assert ("unreachable_outcome", "outcomes[0]") in codes
    assert not any(i.code == "test_failed" for i in report.errors)


def test_references_defaults_and_teaser_problems() -> None:
    data = copy.deepcopy(CLEAN)
    data["results"].append({"type": "chart", "chart": "bar", "series": ["ghost"]})
    data["inputs"][0]["default"] = 99
    data["inputs"][1]["visible_if"] = "weekly > 10"
    data["lead_capture"] = {"mode": "teaser"}
    data["results"][0] = {"type": "text", "text": "{{yearly}} and {{mystery}}"}
    report = verify(data)
    found = {(i.code, i.path) for i in report.errors}
    assert ("unknown_reference", "results[0].text") in found
    assert ("unknown_reference", "results[2].series[0]") in found
    assert ("invalid_default", "inputs[0].default") in found
    assert ("unknown_name", "inputs[1].visible_if") in found
    assert ("teaser_without_headline", "lead_capture.mode") in found


def test_failing_outcome_condition_in_samples_is_an_error() -> None:
    data = copy.deepcopy(CLEAN)
    data["outcomes"][0]["condition"] = "yearly / (hours - 5) > 1"
    codes = {(i.code, i.path) for i in verify(data).errors}
    assert ("sample_error", "outcomes[0].condition") in codes


def test_hidden_calculation_failures_are_warnings() -> None:
    data = copy.deepcopy(CLEAN)
    data["calculations"].append({"id": "spare", "label": "Spare", "formula": "1 / (hours - 5)"})
    report = verify(data)
    assert report.ok
    assert [(w.code, w.path) for w in report.warnings] == [
        ("sample_error", "calculations[2].formula")
    ]


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://example.com/book-a-call", "example.com"),
        ("https://www.example.org/", "example.org"),
        ("mailto:hello@example.net", "example.net"),
        ("https://shop.test/book", "shop.test"),
        ("https://calendly.com/jo/intro", None),
        ("https://examples.com/", None),
        ("mailto:jo@smiledental.co.uk", None),
        ("tel:+441632960001", None),
    ],
)
def test_a_button_linking_to_a_placeholder_domain_is_a_warning(url: str, host: str | None) -> None:
    data = json.loads(get_template("roi-calculator").model_dump_json())
    index = next(i for i, b in enumerate(data["results"]) if b["type"] == "cta")
    data["results"][index]["url"] = url
    report = verify(parse_tool(data))
    found = [w for w in report.warnings if w.code == "placeholder_link"]
    assert report.ok
    if host is None:
        assert not found
    else:
        assert [w.path for w in found] == [f"results[{index}].url"]
        assert f"links to {host}, a placeholder address" in found[0].message
