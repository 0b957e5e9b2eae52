"""ToolDefinition validation: strict fields, cross-field rules, path-named sentences."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from keyvex.tools import ToolDefinition, ToolValidationError, json_schema, parse_tool

BASE: dict[str, Any] = {
    "id": "savings-calculator",
    "title": "Savings calculator",
    "kind": "calculator",
    "inputs": [
        {"id": "staff", "type": "number", "label": "Staff", "min": 1, "max": 100, "default": 5},
        {
            "id": "plan",
            "type": "select",
            "label": "Plan",
            "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
            "default": "a",
        },
    ],
    "calculations": [{"id": "total", "label": "Total", "formula": "staff * 2"}],
}


def tool(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


def errors_of(data: Any) -> dict[str, str]:
    with pytest.raises(ToolValidationError) as info:
        parse_tool(data)
    return {e["path"]: e["message"] for e in info.value.errors}


def test_valid_definition_parses_with_defaults() -> None:
    parsed = parse_tool(tool())
    assert isinstance(parsed, ToolDefinition)
    assert parsed.schema_version == 1
    assert parsed.lead_capture.mode == "after_results"
    assert parsed.theme.background == "#ffffff"


def test_json_text_is_accepted_and_bad_json_is_one_sentence() -> None:
    assert parse_tool(json.dumps(tool())).id == "savings-calculator"
    errors = errors_of("{not json")
    assert list(errors) == [""]
    assert errors[""].startswith("is not valid JSON")


def test_option_points_error_names_the_full_path() -> None:
    data = tool()
    data["inputs"][1]["options"][0]["points"] = "lots"
    assert errors_of(data) == {"inputs[1].options[0].points": "must be a number."}


def test_unknown_fields_are_rejected_everywhere() -> None:
    data = tool(colour="red")
    data["inputs"][0]["size"] = 3
    assert errors_of(data) == {
        "colour": "is not a known field.",
        "inputs[0].size": "is not a known field.",
    }


def test_identifiers_slugs_and_colours_have_readable_messages() -> None:
    data = tool(id="Bad Id", theme={"primary": "blue"})
    data["inputs"][0]["id"] = "2staff"
    errors = errors_of(data)
    assert "lowercase" in errors["id"]
    assert "#rrggbb" in errors["theme.primary"]
    assert "letter or underscore" in errors["inputs[0].id"]


def test_duplicate_ids_across_sections_are_named() -> None:
    data = tool(constants=[{"id": "staff", "value": 3}])
    assert errors_of(data) == {"constants[0].id": "'staff' is already the id of inputs[0]."}


def test_reserved_words_cannot_be_ids() -> None:
    data = tool()
    data["calculations"][0]["id"] = "score"
    assert "reserved" in errors_of(data)["calculations[0].id"]


def test_choice_questions_need_two_distinct_options() -> None:
    data = tool()
    data["inputs"][1]["options"] = [{"value": "a", "label": "A"}, {"value": "a", "label": "A2"}]
    assert errors_of(data) == {"inputs[1].options[1].value": "'a' is used by another option."}
    data["inputs"][1]["options"] = [{"value": "a", "label": "A"}]
    assert "at least two options" in errors_of(data)["inputs[1].options"]


def test_min_above_max_and_slider_without_range() -> None:
    data = tool()
    data["inputs"][0].update(min=10, max=1)
    assert errors_of(data) == {"inputs[0].max": "must be at least min (10)."}
    data["inputs"][0].update(type="slider", min=None, max=None)
    assert errors_of(data) == {"inputs[0].type": "A slider needs both min and max."}


def test_steps_must_cover_known_inputs_once() -> None:
    data = tool(steps=[{"id": "one", "title": "One", "inputs": ["staff", "ghost"]}])
    assert errors_of(data) == {
        "steps[0].inputs[1]": "There is no input called 'ghost'.",
        "inputs[1]": "'plan' is not in any step.",
    }


def test_kind_rules_for_quiz_and_assessment() -> None:
    assert "needs a scoring section" in errors_of(tool(kind="assessment"))["scoring"]
    quiz = tool(kind="quiz", scoring={})
    assert "knowledge" in errors_of(quiz)["scoring.quiz_type"]
    scored = tool(kind="assessment", scoring={"categories": [{"id": "ops", "title": "Ops"}]})
    scored["inputs"][1]["category"] = "sales"
    assert errors_of(scored) == {
        "inputs[1].category": "There is no category called 'sales'.",
    }


def test_outcome_points_must_name_outcomes() -> None:
    data = tool(
        kind="quiz",
        scoring={"quiz_type": "outcome"},
        outcomes=[{"id": "bold", "title": "Bold"}, {"id": "calm", "title": "Calm"}],
    )
    data["inputs"][1]["options"][0]["outcome_points"] = {"wild": 2}
    assert errors_of(data) == {
        "inputs[1].options[0].outcome_points": "There is no outcome called 'wild'."
    }


def test_outcome_with_condition_and_range_is_rejected() -> None:
    data = tool(
        outcomes=[{"id": "x", "title": "X", "condition": "1", "min_score": 0, "max_score": 5}]
    )
    errors = errors_of(data)
    assert (
        errors["outcomes[0].condition"] == "An outcome uses a condition or a score range, not both."
    )


def test_cta_urls_are_limited_to_safe_schemes() -> None:
    data = tool(results=[{"type": "cta", "label": "Book", "url": "javascript:alert(1)"}])
    assert "https:" in errors_of(data)["results[0].url"]
    ok = tool(results=[{"type": "cta", "label": "Call", "url": "tel:+15551234"}])
    assert parse_tool(ok).results[0].type == "cta"


def test_unknown_block_type_is_one_sentence() -> None:
    data = tool(results=[{"type": "video"}])
    assert "'video' is not a known type" in errors_of(data)["results[0]"]


def test_theme_font_and_logo_are_restricted() -> None:
    data = tool(theme={"font": "Inter; } body { x", "logo_url": "http://example.com/a.png"})
    errors = errors_of(data)
    assert set(errors) == {"theme.font", "theme.logo_url"}
    good = parse_tool(tool(theme={"font": '"Open Sans", Arial, sans-serif'}))
    assert good.theme.font_stack().startswith('"Open Sans"')


def test_lead_capture_needs_an_email_field() -> None:
    data = tool(lead_capture={"mode": "teaser", "fields": [{"id": "n", "label": "Name"}]})
    assert errors_of(data) == {"lead_capture.fields": "Lead capture needs an email field."}


def test_test_cases_must_use_known_names() -> None:
    data = tool(test_cases=[{"name": "t", "answers": {"nope": 1}, "expected": {"ghost": 1}}])
    assert errors_of(data) == {
        "test_cases[0].answers.nope": "There is no input called 'nope'.",
        "test_cases[0].expected.ghost": "'ghost' is not a value of this tool.",
    }


def test_error_is_a_keyvex_invalid_with_fields() -> None:
    with pytest.raises(ToolValidationError) as info:
        parse_tool(tool(kind="poll"))
    assert info.value.status == 422
    assert info.value.fields == {"kind": "must be one of: 'calculator', 'quiz' or 'assessment'."}
    assert str(info.value).startswith("kind: must be one of")


def test_json_schema_describes_the_definition() -> None:
    schema = json_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    assert {"id", "title", "kind", "inputs"} <= set(schema["required"])
    assert "ToolTestCase" in schema["$defs"]
    json.dumps(schema)
