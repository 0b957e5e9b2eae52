"""Offline 'replace X with Y everywhere': every human text changes, nothing the maths reads."""

from __future__ import annotations

import json

import pytest

from keyvex.ai import NeedsModel
from keyvex.ai.planner import apply_edit
from keyvex.engine import run
from keyvex.tools import ToolDefinition, get_template, verify

SCORECARD = get_template("cyber-security-scorecard")


def _texts(tool: ToolDefinition) -> str:
    return json.dumps(tool.model_dump(mode="json"), ensure_ascii=False).lower()


@pytest.mark.parametrize(
    "request_text",
    [
        "replace security with protection",
        'Replace "security" with "protection" everywhere',
        "please replace the word security by protection throughout",
        'change every "security" to "protection"',
        "change security to protection everywhere",
        "use protection instead of security",
    ],
)
def test_a_wording_is_replaced_everywhere_however_it_is_asked(request_text: str) -> None:
    before = _texts(SCORECARD)
    changed, said = apply_edit(SCORECARD, request_text)
    assert verify(changed).errors == []
    after = _texts(changed)
    assert "security" in before and "protection" in after
    assert said.startswith("Replaced 'security' with 'protection' (")
    assert changed.title == "Small business cyber protection scorecard"


def test_ids_formulas_option_values_and_links_stay_as_they_were() -> None:
    changed, _ = apply_edit(SCORECARD, "replace security with protection")
    old, new = SCORECARD.model_dump(mode="json"), changed.model_dump(mode="json")
    assert [i["id"] for i in new["inputs"]] == [i["id"] for i in old["inputs"]]
    assert [c["formula"] for c in new["calculations"]] == [
        c["formula"] for c in old["calculations"]
    ]
    values = [[o["value"] for o in i["options"]] for i in new["inputs"]]
    assert values == [[o["value"] for o in i["options"]] for i in old["inputs"]]
    assert [c.get("id") for c in new["scoring"]["categories"]] == [
        c.get("id") for c in old["scoring"]["categories"]
    ]
    assert new["test_cases"] == old["test_cases"]  # the results do not change
    answers = SCORECARD.test_cases[0].answers
    assert run(changed, answers).scores == run(SCORECARD, answers).scores


def test_the_new_wording_takes_the_case_of_what_it_replaces() -> None:
    tool = get_template("roi-calculator")
    changed, _ = apply_edit(tool, "replace project with ISO 9001 programme")
    assert changed.title == "What return will this ISO 9001 programme bring?"
    capitalised, _ = apply_edit(tool, "replace what with which")
    assert capitalised.title.startswith("Which return")  # a sentence keeps its capital


def test_a_wording_no_text_has_is_refused_by_name() -> None:
    with pytest.raises(NeedsModel) as caught:
        apply_edit(SCORECARD, "replace banana with apple")
    assert "No text of the tool says 'banana'" in caught.value.message


def test_other_edits_that_start_with_replace_still_reach_their_own_edit() -> None:
    with pytest.raises(NeedsModel) as caught:  # a chart request, not a wording
        apply_edit(SCORECARD, "replace the chart with a gauge")
    assert "gauge" in caught.value.message and "No text" not in caught.value.message
