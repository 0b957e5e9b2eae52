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


def _fit_missing(brief: str) -> list[str]:
    u = understand(brief)
    plan = choose(u)
    slots = Slots(audience=u.audience, currency=u.currency or "")
    return fit_of(plan, compose(plan, slots)).missing


def test_a_brief_s_country_gives_the_currency_it_leaves_unsaid() -> None:
    for place, code in (("the UK", "GBP"), ("Australia", "AUD"), ("Germany", "EUR")):
        brief = f"Cost of a bad hire calculator for clients in {place}"
        u = understand(brief)
        assert (u.currency, u.currency_from_place) == (code, True)
        tool, _ = _built(brief)
        assert tool.currency == code
    assert understand("ROI calculator for agencies in Germany, in USD").currency == "USD"
    assert understand("Solar savings calculator for homeowners in Texas").currency == "USD"
    assert understand("ROI calculator for agencies").currency is None
    # a scorecard has no figures, so a currency it was never asked for is not missing
    brief = "A digital transformation maturity scorecard for family-owned manufacturers in Austria"
    assert _built(brief)[1] == "high"


def test_a_model_s_general_inputs_are_named_for_the_visitor_not_the_subject() -> None:
    missing = _fit_missing("Cost of a bad hire calculator for recruiters")
    assert not any("specific to bad hire" in m for m in missing)
    assert any(m.startswith("figures for recruiters: ") for m in missing)


def test_a_trade_is_read_from_the_phrase_that_names_it() -> None:
    u = understand("Mortgage brokerage: how much can you borrow calculator")
    assert u.industry is not None and u.industry.id == "mortgage"
    assert _built("Mortgage brokerage: how much can you borrow calculator")[0].kind == "calculator"
    u = understand("ROI calculator for a website builder agency")
    assert u.industry is not None and u.industry.id != "construction"
    assert u.subject == "website builder"
    builders = understand("Renovation cost calculator for builders").industry
    assert builders is not None and builders.id == "construction"


def test_the_people_a_tool_is_for_showing_are_its_visitors() -> None:
    brief = "A calculator for HVAC contractors to show homeowners how much a new heat pump saves"
    assert understand(brief).audience == "homeowners"
    assert _built(brief)[0].kind == "calculator"
    u = understand("Calculator for accountants that shows small business owners their tax bill")
    assert u.audience == "small business owners"
    u = understand("A calculator for small business owners that shows how much late invoices cost")
    assert u.audience == "small business owners"


def test_a_quiz_about_deadlines_is_a_knowledge_quiz_whatever_its_topic_is_called() -> None:
    brief = "Self Assessment deadlines quiz for sole traders"
    assert understand(brief).kind == "knowledge_quiz"
    tool, level = _built(brief)
    assert "deadline" in tool.title.lower()
    assert level == "high"
    assert understand("Cyber security assessment for law firms").kind == "assessment"


def test_an_entry_named_only_by_the_audience_is_not_chosen_as_a_fit() -> None:
    brief = "which cheese suits you - a quiz for wine lovers"
    tool, level = _built(brief)
    assert "wine" not in tool.title.lower()
    assert "cheese" in tool.title.lower()
    assert level != "high"
    assert choose(understand("Which wine suits you? a quiz for wine lovers")).source_id == (
        "wine-style"
    )


def test_a_hyphenated_phrase_says_its_kind() -> None:
    brief = "Is your startup investor-ready? quiz"
    assert understand(brief).kind == "assessment"
    tool, level = _built(brief)
    assert tool.kind == "assessment"
    assert level == "high"
