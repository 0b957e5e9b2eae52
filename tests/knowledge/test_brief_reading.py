"""Reading a brief as a visitor would read the tool: compound subjects stay whole, a
question's scaffolding is not its subject, and the creator's own trade is not the visitor's."""

from __future__ import annotations

from keyvex.knowledge import Slots, choose, compose, fit_of, understand
from keyvex.tools import ToolDefinition
from tests.knowledge.offline import offline_tool


def _built(brief: str) -> tuple[ToolDefinition, str]:
    _, plan, tool = offline_tool(brief)
    return tool, fit_of(plan, tool).level


def test_a_compound_subject_stays_whole() -> None:
    brief = "Time management assessment for busy executives - I am an executive coach"
    assert understand(brief).subject == "time management"
    tool, _ = _built(brief)
    assert "time management" in tool.title
    assert understand("Customer service scorecard for retailers").subject == "customer service"
    # "time" heads no compound here, and the question names what the time goes on
    assert understand("A quiz: how much time do you waste in meetings?").subject == "meetings"
    u = understand("How much time do your sales reps waste on admin? calculator")
    assert u.subject == "admin"


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
    trivia = "how well do you know your self assessment and VAT deadlines? trivia for landlords"
    assert understand(trivia).kind == "knowledge_quiz"  # trivia is a quiz


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


def test_the_creator_introducing_themselves_is_not_the_subject() -> None:
    u = understand("Bookkeeper here. Calculator: what do late invoices cost a small shop?")
    assert (u.creator, u.subject) == ("bookkeeper", "late invoices")
    u = understand("Yoga teacher here - quiz: what is your stress personality?")
    assert (u.creator, u.kind, u.subject) == ("yoga teacher", "outcome_quiz", "stress")
    u = understand("Design agency: calculator showing what a slow website costs an online shop")
    assert u.creator == "design agency" and "agency" not in u.subject
    u = understand("Is your garden ready for winter? a scorecard by a landscape gardener")
    assert u.creator == "landscape gardener" and "gardener" not in u.subject
    # a plural label names the visitors, a label followed by no tool is the subject's owner
    assert understand("ecommerce brands: calculate what returns cost you").creator == ""


def test_what_the_visitor_is_ready_to_do_is_the_subject() -> None:
    u = understand("Are you ready to retire early? a scorecard for people in their 40s")
    assert u.subject == "retirement" and u.kind == "assessment"
    u = understand("Quiz for first-time home sellers in Boston: are you ready to sell?")
    assert u.subject == "home selling"
    u = understand("Quiz for first-time home buyers in New York: are you ready to buy?")
    assert (u.subject, u.location, u.currency) == ("home buying", "New York", "USD")


def test_how_prepared_or_hyphen_ready_names_what_for() -> None:
    u = understand("how prepared are you for retirement? quiz for employees in their 40s and 50s")
    assert u.subject == "retirement"
    u = understand(
        "I'm a mortgage broker: a scorecard that shows first time buyers whether they're "
        "mortgage-ready before they start viewing flats"
    )
    assert u.subject == "mortgage"


def test_contractions_and_a_leading_adverb_are_not_the_subject() -> None:
    u = understand(
        "calculator for bookkeepers to show clients how many hours they'd get back switching "
        "from spreadsheets to Xero"
    )
    assert "they'd" not in u.subject_words and "back" not in u.subject_words
    assert understand("a calculator: what do late invoices cost a bookkeeper?").subject == (
        "late invoices"
    )


def test_the_role_someone_speaks_in_is_not_the_subject() -> None:
    u = understand("How much should I charge as a freelance designer? calculator")
    assert "designer" not in u.subject_words and "as" not in u.subject_words
    assert choose(u).source_id == "freelance-rate"


def test_a_question_about_how_strong_something_is_names_it() -> None:
    u = understand("Assessment for charity boards: how healthy is your fundraising strategy?")
    assert u.subject == "fundraising strategy" and u.audience == "charity boards"
    u = understand("quiz: how well do you know the GDPR rules on cookies?")
    assert (u.kind, u.subject) == ("knowledge_quiz", "GDPR rules")


def test_what_the_creator_calls_the_tool_names_its_subject() -> None:
    u = understand("Pool heating cost calculator - every month the heater runs 300 hours")
    assert u.subject == "pool heating"
    u = understand("Pension gap calculator for people aged 50-65. I provide financial advice.")
    assert u.subject == "pension gap"
    u = understand("Beekeeping knowledge quiz for a honey shop's customers - 8 questions")
    assert u.subject == "beekeeping"
    u = understand("Opticians lose patients who skip their eye test - calculator")
    assert u.subject != "eye"  # "their eye test" is a test, not the tool


def test_a_possessive_audience_leaves_the_trade_s_word_to_the_subject() -> None:
    u = understand("Calculator for heat pump installers' customers in Ohio showing yearly savings")
    assert u.who == "installers customers"
    assert u.subject == "heat pump"
    assert choose(u).source_id.startswith("heat-pump-savings")


def test_a_style_question_is_an_outcome_quiz_about_its_words() -> None:
    u = understand("I'm a cat sitter. Quiz for cat owners: what's your cat's play style?")
    assert (u.kind, u.creator, u.subject) == ("outcome_quiz", "cat sitter", "cat play")
    u = understand("Quiz for my podcast listeners: what kind of investor are you?")
    assert (u.audience, u.subject) == ("podcast listeners", "investor")
