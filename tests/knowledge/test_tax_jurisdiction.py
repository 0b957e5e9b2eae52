"""Tax-deadline quizzes say whose deadlines they are: US words reach the IRS bank, any other
tax-deadline brief the HMRC bank, and each names its country in the title and questions."""

from __future__ import annotations

import pytest

from keyvex.knowledge import Slots, choose, compose, understand

US_BRIEFS = (
    "Quiz for 1099 contractors: how well do you know your estimated tax due dates?",
    "IRS deadline trivia for self-employed photographers",
)
UK_BRIEFS = (
    "Trivia on HMRC deadlines for sole traders",
    "how well do you know the VAT return rules? test your knowledge, a quiz for shop owners",
)


@pytest.mark.parametrize("brief", US_BRIEFS)
def test_a_brief_in_us_terms_gets_the_us_bank(brief: str) -> None:
    assert choose(understand(brief)).source_id == "us-tax-deadlines"


@pytest.mark.parametrize("brief", UK_BRIEFS)
def test_a_brief_in_uk_terms_gets_the_uk_bank(brief: str) -> None:
    assert choose(understand(brief)).source_id == "uk-tax-deadlines"


@pytest.mark.parametrize(
    ("bank", "country"), [("uk-tax-deadlines", "UK"), ("us-tax-deadlines", "US")]
)
def test_every_question_names_its_jurisdiction_or_its_own_tax_authority(
    bank: str, country: str
) -> None:
    brief = "IRS deadline trivia" if country == "US" else "HMRC deadline trivia"
    plan = choose(understand(brief))
    assert plan.source_id == bank
    tool = compose(plan, Slots())
    assert country in tool.title
    markers = {
        "UK": ("UK", "HMRC", "Self Assessment", "VAT", "£", "sole trader"),
        "US": ("federal", "IRS", "Form", "$", "self-employment"),
    }[country]
    for item in tool.inputs:
        text = item.label + " " + " ".join(o.label for o in item.options)
        assert any(m in text for m in markers), item.label
