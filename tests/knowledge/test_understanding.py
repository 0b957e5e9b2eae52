"""Reading a brief and writing generic copy: the creator's business, places and verbs are not
the subject; standard names keep their case; generic titles, headlines and descriptions
read as English and promise only what the tool scores."""

from __future__ import annotations

from keyvex.knowledge import Slots, choose, compose, fit_of, understand
from keyvex.tools import ToolDefinition


def test_the_creator_s_own_business_is_neither_subject_nor_audience() -> None:
    u = understand(
        "A scorecard for how ready a firm is for ISO 9001, for my quality consulting practice"
    )
    assert u.subject == "ISO 9001"
    assert u.offer == "quality consulting"
    assert u.creator == "quality consulting practice"
    u = understand("Which houseplant suits your flat? A quiz for my plant shop")
    assert (u.subject, u.audience, u.industry) == ("houseplant", "", None)
    assert understand("GDPR scorecard for my newsletter readers").audience == "newsletter readers"


def test_standard_names_keep_their_number_and_case() -> None:
    assert understand("Are you ready for SOC 2? assessment for SaaS startups").subject == "SOC 2"
    u = understand("a scorecard for how ready a small manufacturer is for ISO 9001 certification")
    assert u.subject == "ISO 9001 certification"
    assert u.subject_words == ["iso", "9001", "certification"]


def test_places_verbs_and_the_visitor_s_things_are_not_subject_or_audience() -> None:
    u = understand(
        "Calculator that shows how much switching to solar panels for homeowners in Texas saves"
    )
    assert (u.subject, u.audience, u.location) == ("solar panels", "homeowners", "Texas")
    u = understand("A quiz that recommends the right houseplant for your home")
    assert (u.subject, u.audience, u.kind) == ("houseplant", "", "outcome_quiz")


def test_an_everyday_word_needs_context_to_name_an_industry() -> None:
    assert understand("Which plant suits your windowsill? quiz").industry is None
    industry = understand("OEE calculator for plant managers").industry
    assert industry is not None and industry.id == "manufacturing"


def test_generic_copy_reads_as_english() -> None:
    tool = _tool("How ready is your business for a hurricane? A scorecard for bakeries")
    assert tool.title == "How ready is your organisation for a hurricane?"
    tool = _tool("A scorecard for how ready bakeries are for a Michelin inspection visit")
    headline = next(b for b in tool.results if b.type == "headline")
    assert headline.text.startswith("Your Michelin inspection visit readiness score")  # type: ignore[union-attr]
    areas = [c.title.lower() for c in tool.scoring.categories]  # type: ignore[union-attr]
    assert all(a in tool.description.lower() for a in areas)
    tool = _tool("Missed deliveries calculator for couriers")
    assert tool.title.startswith("Missed deliveries: what ")
    assert "our service" not in " ".join(str(b.model_dump()) for b in tool.results)


def test_a_which_thing_suits_you_quiz_is_not_a_service_choice() -> None:
    plan = choose(understand("Which houseplant suits your flat? A quiz for my plant shop"))
    tool = compose(plan, Slots())
    assert plan.entry is not None and plan.entry.id == "generic-pick"
    assert tool.title == "Which houseplant suits you?"
    assert "houseplants" in fit_of(plan, tool).missing[0]
    plan = choose(understand("Which approach to bookkeeping fits you? quiz for sole traders"))
    assert plan.entry is not None and plan.entry.id == "generic-approach"


def test_a_reviewed_bank_lists_only_the_areas_it_scores() -> None:
    tool = _tool("ISO 9001 readiness scorecard for manufacturers, 3 areas")
    areas = [c.title.lower() for c in tool.scoring.categories]  # type: ignore[union-attr]
    assert len(areas) == 3
    listed = tool.description.split(":", 1)[1]
    assert all(a in listed for a in areas) and "supplier" not in listed


def _tool(brief: str) -> ToolDefinition:
    u = understand(brief)
    return compose(choose(u), Slots(audience=u.audience, offer=u.offer, categories=u.categories))
