"""Scorecards for people speak to a person: the generic one's personal wording, chosen by the
audience, and the reviewed banks for home buyers, people nearing retirement and boards."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import ValidationError

from keyvex.knowledge import Slots, assessment_tool, choose, knowledge_base, understand
from keyvex.knowledge.compose import for_individuals
from keyvex.knowledge.models import PersonalWording, Vocabulary
from keyvex.tools import ToolDefinition, verify
from tests.knowledge.offline import offline_tool

ORGANISATION_WORDS = re.compile(r"\b(?:we|our|us|organisation|organisation's)\b", re.IGNORECASE)


def _build(brief: str) -> ToolDefinition:
    return offline_tool(brief)[2]


def _visitor_texts(tool: ToolDefinition) -> list[str]:
    texts = [tool.title, tool.description, *(i.label for i in tool.inputs)]
    texts += [s.title for s in tool.steps]
    for outcome in tool.outcomes:
        texts += [outcome.title, outcome.description, *outcome.recommendations]
    assert tool.scoring is not None
    texts += [c.recommendation or "" for c in tool.scoring.categories]
    return texts


@pytest.mark.parametrize(
    "audience",
    ["people in their 50s", "first-time home buyers", "parents and carers", "homeowners",
     "job seekers over 50", "young couples", "dog owners, cat owners", "Patients"],
)  # fmt: skip
def test_an_audience_of_people_is_individuals(audience: str) -> None:
    assert for_individuals(audience)


@pytest.mark.parametrize(
    "audience",
    ["", "people managers", "patient services teams", "couples and event planners",
     "nonprofits", "dental practices", "HR leaders", "parents and schools"],
)  # fmt: skip
def test_an_audience_of_organisations_or_roles_is_not_individuals(audience: str) -> None:
    assert not for_individuals(audience)


def test_the_generic_scorecard_speaks_to_a_person_when_the_visitors_are_people() -> None:
    tool = _build("Marathon readiness scorecard for first-time runners")
    assert tool.title == "How ready are you for a marathon?"
    assert "first-time runners" in tool.description
    labels = [i.label for i in tool.inputs]
    assert labels[0] == "I have a written plan for a marathon."
    assert all(re.match(r"(?:I|The people closest to me) ", label) for label in labels), labels
    for text in _visitor_texts(tool):
        assert not ORGANISATION_WORDS.search(text), text
    cta = next(b for b in tool.results if b.type == "cta")
    assert cta.text == "Talk to us about help getting ready for a marathon."  # type: ignore[union-attr]
    assert not verify(tool).errors


def test_the_generic_scorecard_keeps_an_organisation_s_wording_for_businesses() -> None:
    tool = _build("Is your dental practice ready for a CQC inspection? readiness scorecard")
    assert tool.title.startswith("How ready is your practice for")
    assert tool.inputs[0].label.startswith("We have a written plan for")


def test_personal_wording_keeps_the_same_scoring_structure() -> None:
    tool = _build("Are you ready for university? a self-assessment for students")
    report = verify(tool)
    assert not report.errors, [i.message for i in report.errors]
    assert any(i.reverse_scored for i in tool.inputs)
    assert [t.min_score for t in tool.outcomes] == [0, 40, 70]


@pytest.mark.parametrize(
    ("brief", "entry"),
    [
        ("Quiz for first-time home buyers in New York: are you ready to buy?",
         "home-buying-readiness"),
        ("Are you ready to retire? an assessment for people in their 50s, by a financial planner",
         "retirement-readiness"),
        ("Assessment for nonprofit boards: how strong is your governance?", "board-governance"),
    ],
)  # fmt: skip
def test_the_three_briefs_get_their_reviewed_bank(brief: str, entry: str) -> None:
    plan = choose(understand(brief))
    assert plan.source_id == entry


@pytest.mark.parametrize("entry", ["home-buying-readiness", "retirement-readiness"])
def test_banks_for_individuals_are_in_the_first_person(entry: str) -> None:
    bank = knowledge_base().get(entry)
    tool = assessment_tool(bank, Slots(questions=40))  # type: ignore[arg-type]
    assert len(tool.inputs) >= 20
    for label in (i.label for i in tool.inputs):
        assert re.search(r"\b(?:I|My)\b", label), label
        assert not ORGANISATION_WORDS.search(label), label


def test_the_board_bank_speaks_of_the_board_never_of_me() -> None:
    bank = knowledge_base().get("board-governance")
    tool = assessment_tool(bank, Slots(questions=40))  # type: ignore[arg-type]
    for label in (i.label for i in tool.inputs):
        assert not re.search(r"\b(?:I|my|me)\b", label), label
    assert any("conflict" in i.label.lower() for i in tool.inputs)


@pytest.mark.parametrize("entry", ["home-buying-readiness", "retirement-readiness",
                                   "board-governance"])  # fmt: skip
def test_the_default_scorecard_mixes_positive_and_reverse_scored_statements(entry: str) -> None:
    tool = assessment_tool(knowledge_base().get(entry), Slots())  # type: ignore[arg-type]
    reversed_ = [i for i in tool.inputs if i.reverse_scored]
    assert 2 <= len(reversed_) <= len(tool.inputs) // 3


@pytest.mark.parametrize(
    ("entry", "uk", "us"),
    [("home-buying-readiness", "agreement in principle", "pre-approval"),
     ("retirement-readiness", "State Pension", "Social Security")],
)  # fmt: skip
def test_buyer_and_retirement_banks_hold_for_uk_and_us_visitors(
    entry: str, uk: str, us: str
) -> None:
    tool = assessment_tool(knowledge_base().get(entry), Slots())  # type: ignore[arg-type]
    text = " ".join(_visitor_texts(tool))
    assert uk in text and us in text


def _category(n: int, reverse: bool = True) -> dict[str, Any]:
    statements = [
        {"id": f"s{n}_{i}", "text": "I have a written plan for it.", "reverse": reverse and i == 2}
        for i in range(3)
    ]
    advice = "Write down what being ready means for you."
    return {"id": f"c{n}", "title": "Goals", "advice": advice, "statements": statements}


def _personal(categories: list[dict[str, Any]]) -> dict[str, Any]:
    tiers = [
        {"id": f"t{n}", "title": "Early", "description": "Not yet started on purpose.",
         "recommendation": "Start with a written plan."}
        for n in range(3)
    ]  # fmt: skip
    return {
        "title": "How ready are you?",
        "description": "A self-check of how ready you are.",
        "audience": "individuals",
        "offer": "a call",
        "categories": categories,
        "tiers": tiers,
    }


def test_personal_wording_is_validated_like_a_bank() -> None:
    PersonalWording.model_validate(_personal([_category(n) for n in range(4)]))
    with pytest.raises(ValidationError, match="reverse-scored"):
        PersonalWording.model_validate(_personal([_category(n, reverse=False) for n in range(4)]))
    with pytest.raises(ValidationError, match="unique"):
        PersonalWording.model_validate(_personal([_category(0)] * 4))


def test_the_people_nouns_are_lower_case_and_unique() -> None:
    industries = [i.model_dump() for i in knowledge_base().vocabulary.industries]
    with pytest.raises(ValidationError, match="lower case"):
        Vocabulary.model_validate({"industries": industries, "people": ["Parents"]})
    with pytest.raises(ValidationError, match="repeat"):
        Vocabulary.model_validate({"industries": industries, "people": ["parents", "parents"]})
