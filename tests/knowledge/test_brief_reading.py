"""Reading a brief as a visitor would read the tool: compound subjects stay whole, a
question's scaffolding is not its subject, and the creator's own trade is not the visitor's."""

from __future__ import annotations

from keyvex.knowledge import Slots, choose, compose, fit_of, understand
from keyvex.tools import ToolDefinition


def _built(brief: str) -> tuple[ToolDefinition, str]:
    u = understand(brief)
    plan = choose(u)
    slots = Slots(
        audience=u.audience,
        business=u.industry.business if u.industry else "",
        offer=u.offer,
        currency=u.currency or "",
        questions=u.questions,
        categories=u.categories,
    )
    tool = compose(plan, slots)
    return tool, fit_of(plan, tool).level


def test_a_compound_subject_stays_whole() -> None:
    brief = "Time management assessment for busy executives - I am an executive coach"
    assert understand(brief).subject == "time management"
    tool, _ = _built(brief)
    assert "time management" in tool.title
    assert understand("Customer service scorecard for retailers").subject == "customer service"
    assert understand("A quiz: how much time do you waste in meetings?").subject == "waste"


def test_the_creator_saying_what_they_are_is_not_the_visitor_s_business() -> None:
    brief = "Time management assessment for busy executives - I am an executive coach"
    u = understand(brief)
    assert u.creator == "executive coach"
    assert u.industry is None
    tool, _ = _built(brief)
    assert "practice" not in tool.title
    u = understand("I'm a financial planner: a quiz on retirement readiness for couples")
    assert (u.creator, u.subject) == ("financial planner", "retirement")


def test_a_question_s_scaffolding_is_not_its_subject() -> None:
    brief = (
        "Calculator for solar installers: how long until solar panels pay for themselves "
        "for a home in Texas?"
    )
    assert understand(brief).subject_words == ["solar", "panels"]
    u = understand("What does a kitchen remodel cost? calculator for homeowners")
    assert u.subject == "kitchen remodel"
