"""A brief that names its outcomes gets a quiz with exactly those outcomes: reviewed text and
scoring where the knowledge base has them, general wording from the names where it does not,
and a fit report that says which is which.

Every brief goes through the offline planner as a creator's does (the conversation agent's
first turn, then the builder), and the built tool is read as a visitor reads it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from keyvex.ai.models import ConversationState
from keyvex.ai.planner import fit_report
from keyvex.ai.planner.model import answer
from keyvex.knowledge import Slots, compose, find_plan, knowledge_base, understand
from keyvex.knowledge._named import named_outcomes
from keyvex.tools import ToolDefinition, parse_tool, verify

LEADERSHIP = (
    "Leadership quiz for new managers: are you a visionary, a coach, a commander or a diplomat?"
)


def _build(brief: str) -> tuple[ToolDefinition, dict[str, Any], str]:
    """The tool the offline planner builds from the brief alone, its fit and its message."""
    state = ConversationState(brief=brief, build_now=True).model_dump(mode="json")
    turn = answer({"task": "conversation", "state": state})
    built = answer({"task": "build", "brief": turn["build_brief"], "state": state})
    tool = parse_tool(built["definition"])
    fit = fit_report(brief, tool, built["source"]).as_json()
    return tool, fit, turn["build_brief"]["explanation"]


def _points_to(tool: ToolDefinition) -> list[set[str]]:
    """For each question, the outcomes its answers point to."""
    return [
        {k for o in item.options for k, v in (o.outcome_points or {}).items() if v > 0}
        for item in tool.inputs
    ]


def _assert_every_question_tells_outcomes_apart(tool: ToolDefinition) -> None:
    ids = {o.id for o in tool.outcomes}
    for item, pointed in zip(tool.inputs, _points_to(tool), strict=True):
        assert pointed <= ids, (item.label, pointed - ids)
        assert len(pointed) >= 2, item.label
    assert set().union(*_points_to(tool)) == ids
    report = verify(tool)
    assert not report.errors, [e.message for e in report.errors]


# ---- reading the names ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("brief", "names", "personal"),
    [
        (LEADERSHIP, ["visionary", "coach", "commander", "diplomat"], True),
        (
            "Which of saver, spender or investor are you? A money quiz",
            ["saver", "spender", "investor"],
            False,
        ),
        ("am I more of a saver or a spender? quiz", ["saver", "spender"], True),
        ("Red, white, rosé or bubbly? A wine quiz", ["red", "white", "rosé", "bubbly"], False),
        (
            "which content format suits your brand best - video, podcast, blog or newsletter?",
            ["video", "podcast", "blog", "newsletter"],
            False,
        ),
        (
            "Which website platform should you build on: WordPress, Shopify, Webflow or "
            "Squarespace?",
            ["WordPress", "Shopify", "Webflow", "Squarespace"],
            False,
        ),
        (
            "A pricing-model quiz for freelance designers: hourly, project-based, retainer or "
            "value-based?",
            ["hourly", "project-based", "retainer", "value-based"],
            False,
        ),
    ],
)
def test_the_brief_reader_finds_the_outcomes_a_brief_names(
    brief: str, names: list[str], personal: bool
) -> None:
    named = understand(brief).named
    assert (named.names, named.personal) == (names, personal)
    assert f"Outcomes: {', '.join(names)}" in understand(brief).summary()


@pytest.mark.parametrize(
    "brief",
    [
        "Which CRM is right for your small business? quiz",
        "quiz: which marketing channel should your startup focus on first? 6 questions",
        "What kind of leader are you? leadership style quiz for new team leads",
        "cost calculator for rent, staff or software?",
        "which plan suits you, your partner or your kids? quiz",
        "A quiz on whether to rent or buy for first-time buyers",
        "Which coffee suits you? A quiz for our cafe in the morning, at lunch or after dinner",
    ],
)
def test_a_brief_without_a_list_of_outcomes_names_none(brief: str) -> None:
    assert not named_outcomes(brief) and not understand(brief).named


# ---- a set that has some of the named outcomes ---------------------------------------------


def test_a_leadership_quiz_has_exactly_the_styles_the_brief_names() -> None:
    tool, fit, explanation = _build(LEADERSHIP)
    assert [o.title for o in tool.outcomes] == [
        "The visionary",
        "The coach",
        "The commander",
        "The diplomat",
    ]
    reviewed = {a.id: a for a in knowledge_base().get("leadership-style").archetypes}  # type: ignore[union-attr]
    for outcome in tool.outcomes[:3]:  # the reviewed styles keep their reviewed text
        assert outcome.description == " ".join(reviewed[outcome.id].description.split())
    assert "six" not in tool.description and "diplomat" in tool.description
    _assert_every_question_tells_outcomes_apart(tool)
    labels = [o.label for item in tool.inputs for o in item.options]
    assert "Bring them together and rebuild the relationship" not in labels  # affiliative only
    assert labels.count("None of these: I'm more of a diplomat") == len(tool.inputs)
    assert "outcomes: visionary, coach, commander, diplomat" in explanation


def test_a_named_outcome_the_set_lacks_reads_in_general_words_and_lowers_the_fit() -> None:
    tool, fit, _ = _build(LEADERSHIP)
    diplomat = tool.outcomes[-1]
    assert diplomat.description == (
        "Of the four types in this quiz, your answers point most to the diplomat."
    )
    assert diplomat.recommendations == [
        "Look back at the answers that pointed to the diplomat: they show what you lean on most.",
        "Talk it through with us to see what this result means for you.",
    ]
    assert fit["level"] == "medium"
    assert "the outcomes you named: 'visionary', 'coach' and 'commander'" in fit["covered"]
    assert any(m.startswith("reviewed content for 'diplomat':") for m in fit["missing"])


def test_a_reviewed_set_narrowed_to_three_named_formats_drops_the_fourth() -> None:
    tool, fit, _ = _build(
        "which content format suits your brand best - video, podcast or newsletter?"
    )
    assert [o.id for o in tool.outcomes] == ["video", "podcast", "newsletter"]
    _assert_every_question_tells_outcomes_apart(tool)
    assert all("blog" not in (o.outcome_points or {}) for i in tool.inputs for o in i.options)
    assert "blog" not in tool.description.lower()
    assert fit["level"] == "high"


def test_the_content_format_brief_of_the_shared_set_uses_exactly_the_named_formats() -> None:
    tool, fit, _ = _build(
        "which content format suits your brand best - video, podcast, blog or newsletter?"
    )
    assert {o.id for o in tool.outcomes} == {"video", "podcast", "blog", "newsletter"}
    assert fit["level"] == "high"
    assert any("the outcomes you named" in c for c in fit["covered"])


def test_a_pricing_quiz_keeps_the_four_models_it_names() -> None:
    tool, fit, _ = _build(
        "A pricing-model quiz for freelance designers: hourly, project-based, retainer or "
        "value-based?"
    )
    assert [o.title for o in tool.outcomes] == [
        "Hourly or day rate",
        "Fixed project fee",
        "Monthly retainer",
        "Value-based pricing",
    ]
    _assert_every_question_tells_outcomes_apart(tool)
    assert "packages" not in tool.description
    assert fit["level"] in ("high", "medium")
    assert not any("reviewed content" in m for m in fit["missing"])


# ---- none of the named outcomes is reviewed ------------------------------------------------


def test_a_set_with_none_of_the_names_asks_which_of_each_two_and_says_so() -> None:
    tool, fit, _ = _build("Leadership style quiz: are you a lion, an owl, a dolphin or a peacock?")
    assert [o.title for o in tool.outcomes] == ["The lion", "The owl", "The dolphin", "The peacock"]
    assert tool.inputs[0].label == "Which sounds more like you: a lion or an owl?"
    assert [o.label for o in tool.inputs[0].options] == ["A lion", "An owl"]
    assert len(tool.inputs) == 6  # every two of the four
    _assert_every_question_tells_outcomes_apart(tool)
    assert fit["level"] == "low"
    assert any(
        m.startswith("reviewed content for 'lion', 'owl', 'dolphin' and 'peacock':")
        for m in fit["missing"]
    )


def test_a_generic_quiz_takes_the_creator_s_question_as_its_title() -> None:
    tool, fit, _ = _build("A fun quiz for our bakery: are you a croissant, a baguette or a bagel?")
    assert tool.title == "Are you a croissant, a baguette or a bagel?"
    assert [o.title for o in tool.outcomes] == ["The croissant", "The baguette", "The bagel"]
    assert "easy-going" not in " ".join(fit["missing"])  # no general profiles built
    assert fit["level"] == "low"
    _assert_every_question_tells_outcomes_apart(tool)


def test_a_set_with_one_of_the_names_asks_which_of_each_two_named_things() -> None:
    tool, fit, _ = _build(
        "which content format suits you: video, webinars, livestreams or slide decks?"
    )
    assert [o.title for o in tool.outcomes] == ["Video", "Webinars", "Livestreams", "Slide decks"]
    reviewed = knowledge_base().get("content-format").archetypes[1]  # type: ignore[union-attr]
    assert tool.outcomes[0].description == " ".join(reviewed.description.split())
    assert tool.inputs[0].label == "Which appeals to you more: video or webinars?"
    labels = [o.label for i in tool.inputs for o in i.options]
    assert not any("I'm more of" in label or "None of these" in label for label in labels)
    assert tool.outcomes[1].description == (
        "Of the four options in this quiz, your answers point most to webinars."
    )
    _assert_every_question_tells_outcomes_apart(tool)
    assert fit["level"] == "low"
    assert "the outcomes you named: 'video'" in fit["covered"]


SHARED = [
    c["brief"]
    for c in yaml.safe_load(Path(__file__).with_name("briefs.yaml").read_text(encoding="utf-8"))[
        "briefs"
    ]
    if c["kind"] == "outcome_quiz" and named_outcomes(c["brief"])
]


@pytest.mark.parametrize("brief", SHARED)
def test_a_shared_brief_that_names_its_outcomes_gets_one_outcome_per_name(brief: str) -> None:
    tool, _, _ = _build(brief)
    assert len(tool.outcomes) == len(understand(brief).named.names), [
        o.title for o in tool.outcomes
    ]
    _assert_every_question_tells_outcomes_apart(tool)


def test_a_name_that_matches_several_reviewed_outcomes_is_reported() -> None:
    """Which of two equally matching reviewed outcomes a name stands for is the creator's call:
    the quiz keeps one and the fit says which, and that the other exists."""
    tool, fit, _ = _build("Which wine suits you: red, white, rosé or bubbly? quiz for our wine bar")
    assert len(tool.outcomes) == 4
    _assert_every_question_tells_outcomes_apart(tool)
    said = [m for m in fit["missing"] if m.startswith("'red' matches 2 reviewed outcomes")]
    assert said and f"the quiz uses '{tool.outcomes[0].title}'" in said[0]
    assert fit["level"] == "medium"


def test_a_model_s_quiz_is_judged_by_the_outcomes_it_has() -> None:
    """A model writes every outcome itself: its fit names the outcomes it lacks and never
    says that one it has uses general wording."""
    u = understand(LEADERSHIP)
    plan = find_plan("leadership-style", u)
    six_styles = compose(replace(plan, understanding=understand("leadership style quiz")), Slots())
    fit = fit_report(LEADERSHIP, six_styles, None).as_json()
    assert "the outcomes you named that the quiz does not have: 'diplomat'" in fit["missing"]
    assert fit["level"] == "medium"
    four = compose(plan, Slots())
    fit = fit_report(LEADERSHIP, four, None).as_json()
    assert not any("reviewed content" in m for m in fit["missing"]), fit
    assert (
        "the outcomes you named: 'visionary', 'coach', 'commander' and 'diplomat'"
        in (fit["covered"])
    )
