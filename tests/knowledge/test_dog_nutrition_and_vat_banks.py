"""The dog-nutrition and UK VAT fact banks: briefs about feeding dogs reach the dog quiz, not
the human nutrition one; briefs about VAT rules reach the VAT quiz, while briefs about tax
dates keep the deadline quiz; each bank says plainly what and whose it is about."""

from __future__ import annotations

import re

import pytest

from keyvex.knowledge import FactBank, Slots, choose, compose, fact_tool, knowledge_base, understand
from keyvex.tools import verify

DOG_BRIEFS = (
    "Which foods are poisonous to dogs? A trivia quiz for our pet shop's newsletter",
    "how well do your clients know dog food labels? knowledge quiz for a canine nutritionist",
    "test your knowledge: feeding a puppy, for a breeder's puppy pack",
)
HUMAN_NUTRITION_BRIEFS = (
    "how much do you know about nutrition? quiz for gym members",
    "healthy eating trivia for a corporate wellness week",
)
VAT_BRIEFS = (
    "trivia: when do you have to register for VAT? for start-up founders",
    "test your knowledge of VAT rates and invoices, a quiz for bookkeeping clients",
    "Value added tax quiz - how well do you know it? For new limited company directors",
    "a VAT quiz for my bookkeeping newsletter",  # bare VAT: the rules, not the calendar
    "do you know the VAT threshold? quiz for sole traders",
)
TAX_DATE_BRIEFS = (
    "VAT return deadlines quiz for sole traders",
    "how well do you know your VAT and tax return deadlines? quiz for landlords",
    "quiz: how well do you know your VAT deadlines? for small shops",
)


def _bank(bank_id: str) -> FactBank:
    return next(b for b in knowledge_base().facts if b.id == bank_id)


def _pounds(text: str) -> float:
    match = re.search(r"£([\d,]+(?:\.\d+)?)", text)
    assert match, text
    return float(match.group(1).replace(",", ""))


@pytest.mark.parametrize("brief", DOG_BRIEFS)
def test_a_brief_about_feeding_dogs_gets_the_dog_nutrition_quiz(brief: str) -> None:
    plan = choose(understand(brief))
    assert plan.source_id == "dog-nutrition", plan.matched
    assert "dog" in compose(plan, Slots()).title.lower()


@pytest.mark.parametrize("brief", HUMAN_NUTRITION_BRIEFS)
def test_a_brief_about_people_s_nutrition_keeps_the_human_quiz(brief: str) -> None:
    assert choose(understand(brief)).source_id == "nutrition-basics"


def test_every_dog_question_says_it_is_about_dogs() -> None:
    """A visitor never wonders whether a question is about their own diet."""
    for fact in _bank("dog-nutrition").facts:
        assert re.search(r"\b(dogs?|dog's|puppies)\b", fact.question), fact.id


def test_every_answer_about_a_poisonous_food_tells_the_owner_to_call_a_vet() -> None:
    facts = {f.id: f for f in _bank("dog-nutrition").facts}
    for fact_id in ("chocolate", "grapes", "xylitol", "onions_garlic", "macadamia"):
        assert re.search(r"\bcall a vet\b", facts[fact_id].explanation, re.I), fact_id


@pytest.mark.parametrize("brief", VAT_BRIEFS)
def test_a_brief_about_vat_rules_gets_the_uk_vat_quiz(brief: str) -> None:
    plan = choose(understand(brief))
    assert plan.source_id == "uk-vat-basics", plan.matched


@pytest.mark.parametrize("brief", TAX_DATE_BRIEFS)
def test_a_brief_about_tax_dates_keeps_the_deadline_quiz(brief: str) -> None:
    assert choose(understand(brief)).source_id == "uk-tax-deadlines"


def test_the_vat_quiz_names_its_country_and_every_question_its_tax() -> None:
    tool = compose(choose(understand(VAT_BRIEFS[0])), Slots(questions=40))
    assert "UK" in tool.title and "VAT" in tool.title
    assert "2025-26" in tool.description  # the tax year its figures are for
    for item in tool.inputs:
        assert any(m in item.label for m in ("VAT", "HMRC", "UK")), item.label


def test_the_two_uk_banks_agree_on_the_vat_registration_threshold() -> None:
    """Both banks are reviewed every April; a threshold changed in one only fails here."""
    vat = {f.id: f for f in _bank("uk-vat-basics").facts}
    deadlines = {f.id: f for f in _bank("uk-tax-deadlines").facts}
    threshold = _pounds(vat["registration_threshold"].answer)
    assert threshold == _pounds(deadlines["vat_threshold"].answer)
    assert _pounds(vat["deregistration"].answer) < threshold


def test_the_vat_fraction_answer_is_one_sixth_of_the_gross_price() -> None:
    fact = next(f for f in _bank("uk-vat-basics").facts if f.id == "vat_fraction")
    gross = _pounds(fact.question)
    assert _pounds(fact.answer) == pytest.approx(gross * 20 / 120)


@pytest.mark.parametrize("bank_id", ["dog-nutrition", "uk-vat-basics"])
def test_a_fifteen_question_quiz_has_fifteen_different_questions(bank_id: str) -> None:
    tool = fact_tool(_bank(bank_id), Slots(questions=15))
    assert len({i.label for i in tool.inputs}) == 15
    assert not verify(tool).errors


@pytest.mark.parametrize("bank_id", ["dog-nutrition", "uk-vat-basics"])
def test_the_right_answer_does_not_sit_in_one_place(bank_id: str) -> None:
    """Options are not shuffled at run time, so the bank spreads its answers itself."""
    places = {f.options.index(f.answer) for f in _bank(bank_id).facts}
    assert len(places) >= 3
