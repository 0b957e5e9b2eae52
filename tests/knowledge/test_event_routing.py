"""Wedding budgets and venue quotes reach different calculators.

A wedding planner's budget brief once got the venue price estimator (with 'Book a venue
tour' and conference test cases); a venue's quote brief must keep it.
"""

from __future__ import annotations

import pytest

from keyvex.knowledge import Slots, choose, compose, fit_of, understand

WEDDING_BUDGET = (
    ("Wedding budget planner for engaged couples, with a breakdown per supplier", "wedding"),
    ("What does the average wedding cost? A calculator for brides-to-be", "wedding"),
    ("Budget calculator for couples planning an elopement", "micro-wedding"),
    ("Luxury wedding budget estimator for a high-end planner", "luxury-wedding"),
)
VENUE_QUOTE = (
    ("Quote calculator for our wedding venue: guests, day of the week and bar package", "wedding"),
    ("Conference venue hire quote: day delegate packages for meeting planners", "conference"),
    ("Birthday party venue price estimator", "private-party"),
)
CASES = [(b, f"wedding-budget/{v}") for b, v in WEDDING_BUDGET] + [
    (b, f"event-quote/{v}") for b, v in VENUE_QUOTE
]


@pytest.mark.parametrize(("brief", "source"), CASES)
def test_a_brief_reaches_the_calculator_for_its_subject(brief: str, source: str) -> None:
    assert choose(understand(brief)).source_id == source


def test_the_wedding_budget_reads_as_a_budget_for_couples() -> None:
    u = understand("Wedding budget planner for engaged couples, with a breakdown per supplier")
    plan = choose(u)
    tool = compose(plan, Slots(audience=u.audience, offer=u.offer))
    assert "wedding budget" in tool.title.lower()
    assert "venue tour" not in " ".join(str(b.model_dump()) for b in tool.results).lower()
    assert {"venue_cost", "catering_cost", "photo_cost", "contingency_cost", "per_guest"} <= {
        c.id for c in tool.calculations
    }
    assert fit_of(plan, tool).level == "high"
