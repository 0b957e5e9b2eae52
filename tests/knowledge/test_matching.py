"""Entry matching: a calculator variant's word alone does not outweigh the brief's subject."""

from __future__ import annotations

from keyvex.knowledge import choose, understand


def test_an_audience_word_that_names_a_variant_does_not_pull_the_brief_elsewhere() -> None:
    plan = choose(understand("A burnout check for nurses working night shifts"))
    assert plan.kind == "assessment"
    assert plan.entry is not None and "burnout" in plan.entry.terms


def test_a_variant_named_only_by_the_audience_is_not_chosen_alone() -> None:
    """'For small business owners' names who, not what: it once turned a late-payment brief
    into the retirement calculator's business-owner variant, reported as a high fit."""
    brief = "A calculator for small business owners about the cost of debtor days"
    assert choose(understand(brief)).source_id == "late-payment-cost"
    leak = choose(understand("A calculator for small business owners: what a leaking roof costs"))
    assert leak.entry is None or leak.entry.id != "retirement-savings-gap"
    pension = choose(understand("Pension gap calculator for business owners"))
    assert pension.source_id == "retirement-savings-gap/business-owner"  # with its family word


def test_a_term_found_only_in_the_audience_weighs_little() -> None:
    """'for marketing agencies' once made a client-retention scorecard a marketing one."""
    brief = "Scorecard for marketing agencies: how healthy is your client retention?"
    assert choose(understand(brief)).source_id == "customer-retention"
    brief = "A marketing maturity scorecard for marketing agencies"
    assert choose(understand(brief)).source_id == "marketing-maturity"


def test_a_variant_with_its_family_term_still_wins() -> None:
    plan = choose(understand("Payroll outsourcing calculator for cafe owners"))
    assert plan.source_id == "outsourcing-cost/payroll"


def test_a_quiz_that_asks_how_ready_the_visitor_is_is_a_scorecard() -> None:
    assert understand("Quiz: how ready is your gym for peak season?").kind == "assessment"
    assert understand("fun quiz - are your stores prepared for black friday?").kind == "assessment"
    assert understand("Which yoga style are you ready for? quiz").kind == "outcome_quiz"


def test_the_subject_is_a_phrase_not_a_fragment() -> None:
    u = understand("How much do we lose from apprentices who drop out of training early?")
    assert u.subject_words == "apprentices who drop out of training".split()
    u = understand("pricing: large office buildings, deep cleaning")
    assert u.subject_words == ["large", "office", "buildings"]  # punctuation ends a phrase


def test_a_variant_follows_the_brief_s_industry_only_with_its_family_s_words() -> None:
    plan = choose(understand("Missed recalls calculator for veterinary practices"))
    assert plan.source_id == "missed-recall-cost/veterinary"
    plan = choose(understand("A revenue calculator for veterinary practices"))
    assert plan.entry is None or plan.entry.id != "missed-recall-cost"


def test_a_variant_that_names_only_people_is_not_chosen_without_its_model_s_subject() -> None:
    """'Sales reps' name who the turnover model's sales variant serves, not turnover: a
    brief about their admin time once got the turnover calculator with a high fit."""
    plan = choose(understand("How much time do your sales reps waste on admin? calculator"))
    assert plan.entry is None or plan.entry.id != "employee-turnover-cost"
    plan = choose(understand("What do our account executives lose to CRM data entry? calculator"))
    assert plan.entry is None or plan.entry.id != "employee-turnover-cost"
    plan = choose(understand("What does nurse turnover cost a care home? calculator"))
    assert plan.source_id == "employee-turnover-cost/nurses"  # the model's own word is there


def test_a_possessive_audience_does_not_hide_the_subject_it_holds() -> None:
    brief = "Calculator for solar installers' customers in California showing 25-year savings"
    assert choose(understand(brief)).source_id.startswith("solar-savings")
