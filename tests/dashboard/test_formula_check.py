"""The editor's formula help: problems at their positions and live values, from a draft."""

from __future__ import annotations

from typing import Any

import pytest

from keyvex.tools import get_template, list_templates
from keyvex.tools.formula_check import check_formulas

from .conftest import Creator


def _check(creator: Creator, tool_id: str, draft: Any) -> Any:
    return creator.client.post(
        f"/dashboard/tools/{tool_id}/edit/check",
        json={"draft": draft},
        headers={"X-CSRF-Token": creator.csrf()},
    )


def _by_path(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {status["path"]: status for status in report["formulas"]}


def test_a_typo_is_reported_at_its_position_and_what_depends_on_it_waits(alice: Creator) -> None:
    tool_id = alice.create_from_template("break-even-calculator")
    draft = get_template("break-even-calculator").model_dump(mode="json")
    first = draft["calculations"][0]
    first["formula"] = "(prixce - variable_cost)"
    answer = _check(alice, tool_id, draft)
    assert answer.status_code == 200, answer.text
    report = answer.json()
    status = _by_path(report)["calculations.0.formula"]
    assert [(p["code"], p["position"]) for p in status["problems"]] == [("NAME", 1)]
    assert "price" in status["problems"][0]["message"]  # the suggestion names the right input
    assert status["value"] is None
    users = [
        s for s in report["formulas"]
        if s["path"].startswith("calculations.") and first["id"] in s["source"]
    ]  # fmt: skip
    assert users
    assert all(s["error"].startswith("Waits for '") and s["value"] is None for s in users)
    direct = [s for s in users if s["source"] == "margin_per_unit / price"]
    assert [s["error"] for s in direct] == [f"Waits for '{first['id']}', which has an error."]
    assert report["runs"] is False


def test_the_fixed_formula_shows_its_value_on_sample_answers(alice: Creator) -> None:
    tool_id = alice.create_from_template("break-even-calculator")
    tool = get_template("break-even-calculator")
    report = _check(alice, tool_id, tool.model_dump(mode="json")).json()
    assert report["runs"] is True
    statuses = _by_path(report)
    for n, calc in enumerate(tool.calculations):
        status = statuses[f"calculations.{n}.formula"]
        assert status["problems"] == [] and status["error"] is None, status
        assert status["value"], calc.id
    # The sample is the inputs' defaults, and the first value is the engine's own.
    from keyvex.engine import run

    sample = report["sample"]
    assert sample == {i.id: i.default for i in tool.inputs if i.default is not None}
    first = tool.calculations[0].id
    assert statuses["calculations.0.formula"]["value"] == run(tool, sample).display[first]


def test_names_and_functions_are_offered_for_autocomplete(alice: Creator) -> None:
    tool_id = alice.create_from_template("marketing-maturity-scorecard")
    tool = get_template("marketing-maturity-scorecard")
    report = _check(alice, tool_id, tool.model_dump(mode="json")).json()
    kinds = {entry["name"]: entry["kind"] for entry in report["names"]}
    assert kinds[tool.inputs[0].id] == "input"
    assert kinds["score_percent"] == "score"
    assert tool.scoring is not None
    categories = {name for name, kind in kinds.items() if kind == "category score"}
    assert {c.id for c in tool.scoring.categories} <= categories
    summaries = {entry["name"]: entry["summary"] for entry in report["functions"]}
    assert {"IF", "ROUND", "PMT", "LOOKUP", "XLOOKUP", "NETWORKDAYS"} <= set(summaries)
    assert summaries["PMT"].startswith("PMT(rate, nper, pv")  # shown beside the suggestion


def test_an_unfinished_draft_still_gets_formula_help(alice: Creator) -> None:
    """The draft breaks the schema elsewhere (an empty title, a result naming nothing): the
    sound calculations still get values."""
    tool_id = alice.create_from_template("roi-calculator")
    draft = get_template("roi-calculator").model_dump(mode="json")
    draft["title"] = ""
    draft["results"].append({"type": "metric", "value": "nothing_here"})
    draft["calculations"].append({"id": "half", "label": "Half", "formula": "ROUND(1 / 2, 2"})
    statuses = _by_path(_check(alice, tool_id, draft).json())
    last = statuses[f"calculations.{len(draft['calculations']) - 1}.formula"]
    assert last["problems"] and last["problems"][0]["severity"] == "error"
    assert isinstance(last["problems"][0]["position"], int)
    assert statuses["calculations.0.formula"]["value"]


@pytest.mark.parametrize("tool", list_templates(), ids=lambda tool: tool.id)
def test_every_template_formula_is_clean_and_has_a_value(tool: Any) -> None:
    report = check_formulas(tool.model_dump(mode="json"))
    assert report.runs
    for status in report.formulas:
        assert [p for p in status.problems if p.severity == "error"] == [], status
        if status.path.startswith("calculations."):
            assert status.value is not None and status.error is None, status


def test_another_creator_cannot_check_against_my_tool(alice: Creator, bob: Creator) -> None:
    tool_id = alice.create_from_template("roi-calculator")
    draft = get_template("roi-calculator").model_dump(mode="json")
    assert _check(bob, tool_id, draft).status_code == 404


def test_a_check_needs_the_csrf_token_and_a_draft(alice: Creator) -> None:
    tool_id = alice.create_from_template("roi-calculator")
    url = f"/dashboard/tools/{tool_id}/edit/check"
    assert alice.client.post(url, json={"draft": {}}).status_code == 403
    missing = alice.client.post(url, json={"tool": {}}, headers={"X-CSRF-Token": alice.csrf()})
    assert missing.status_code == 422
    assert "draft" in missing.text
