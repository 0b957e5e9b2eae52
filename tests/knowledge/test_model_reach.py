"""Existing calculators reach briefs written in owners' words, and the new-service model's
figures agree with an independent computation.

Owners rarely use the model's own vocabulary: a gym owner asks what members who cancel
cost, a small firm what it costs when someone quits, an accountant what moving the books to
cloud software saves, a dentist what adding whitening would earn. Each reaches the calculator
built for it, with the variant whose labels speak the owner's language, and neighbouring
subjects keep their own models.
"""

from __future__ import annotations

import math
import random

import pytest

from keyvex.engine import run
from keyvex.knowledge import Slots, calculator_tool, choose, compose, knowledge_base, understand

MODELS = {m.id: m for m in knowledge_base().calculators}
NEW_SERVICE = calculator_tool(MODELS["new-service-revenue"], None, Slots())


def _source(brief: str) -> str:
    return choose(understand(brief)).source_id


@pytest.mark.parametrize(
    ("brief", "source"),
    [
        ("how much do members leaving cost a yoga studio every year?", "customer-churn-cost/gym"),
        ("calculator for fitness clubs: what each member who cancels costs them",
         "customer-churn-cost/gym"),
        ("the cost of a staff member resigning - calculator for dental practice managers",
         "employee-turnover-cost"),
        ("what do we lose when employees quit? calculator for restaurant owners",
         "employee-turnover-cost"),
        ("calculator: hours an owner would save doing their bookkeeping in QuickBooks instead "
         "of spreadsheets", "automation-time-savings/bookkeeping"),
        ("what would a physio clinic make by adding a new service like sports massage? calculator",
         "new-service-revenue"),
        ("Calculator for cosmetic dentists: revenue from offering tooth whitening",
         "new-service-revenue/teeth-whitening"),
        ("beauty salon calculator: what would adding brow lamination bring in over a year",
         "new-service-revenue/salon-treatment"),
        # neighbours keep their models
        ("How much are late cancellations costing my salon? calculator", "no-show-cost/salon"),
        ("calculator for recruiters: what does a bad hire cost your company?", "bad-hire-cost"),
        ("how much could moving our servers to the cloud save? calculator",
         "cloud-cost-savings"),
        ("saas churn calculator for founders", "customer-churn-cost/saas"),
    ],
)  # fmt: skip
def test_briefs_in_owners_words_reach_the_calculator_built_for_them(
    brief: str, source: str
) -> None:
    assert _source(brief) == source


def test_a_gym_brief_gets_labels_about_members_and_their_monthly_fee() -> None:
    u = understand("what are cancelled memberships costing my gym? calculator")
    tool = compose(choose(u), Slots(audience=u.audience, business="gym"))
    labels = [i.label for i in tool.inputs]
    assert "Average monthly fee per member" in labels
    assert "Share of members who cancel each month" in labels
    assert tool.title == "What does losing members to churn cost your gym?"


def test_a_small_business_turnover_brief_gets_small_team_figures() -> None:
    u = understand("calculator for small business owners: what it costs when an employee resigns")
    plan = choose(u)
    assert plan.source_id == "employee-turnover-cost/small-business"
    tool = compose(plan, Slots(audience=u.audience, business="business"))
    defaults = {i.id: i.default for i in tool.inputs}
    # a dozen people, a hire made through job boards by the owner, no agency fee
    assert defaults["employees"] == 12 and defaults["hiring_cost"] == 1500


def _expected(
    clients: float, take_up: float, price: float, purchases: float, cost: float,
    launch: float, running: float,
) -> dict[str, float | str]:  # fmt: skip
    """The new-service figures computed sale by sale, not from the model's formulas."""
    buyers = clients * take_up / 100
    margin_per_buyer = purchases * (price - cost)
    profit = buyers * margin_per_buyer - 12 * running
    payback: float | str = "not reached"
    if profit > 0:
        payback = "immediate" if launch == 0 else launch * 12 / profit
    needed: float | str = "not reached at this price"
    if price > cost:  # the smallest whole number of buyers whose margin covers the first year
        needed = 0
        while needed * margin_per_buyer < launch + 12 * running - 1e-9:
            needed += 1
    return {"buyers": buyers, "revenue": buyers * purchases * price, "yearly_profit": profit,
            "first_year_profit": profit - launch, "payback_months": payback,
            "buyers_needed": needed}  # fmt: skip


def _service_cases() -> list[tuple[float, ...]]:
    picked = random.Random(20261204)
    cases: list[tuple[float, ...]] = [
        (2500, 4, 400, 1, 100, 2000, 150),
        (150, 8, 500, 12, 170, 3000, 100),
        (400, 3, 250, 1, 90, 12000, 200),
        (300, 10, 80, 4, 80, 500, 0),  # sold at cost: never profitable
        (800, 5, 120, 2, 40, 0, 0),  # nothing to launch: immediate payback
    ]
    for _ in range(30):
        cases.append((
            picked.randrange(20, 20000, 10),
            picked.choice([1, 2.5, 5, 8, 15, 30]),
            picked.choice([40, 150, 400, 900, 2500]),
            picked.choice([1, 1, 2, 4, 12]),
            picked.choice([0, 20, 90, 300]),
            picked.choice([0, 500, 3000, 15000]),
            picked.choice([0, 50, 250]),
        ))  # fmt: skip
    return cases


@pytest.mark.parametrize(
    ("clients", "take_up", "price", "purchases", "cost", "launch", "running"), _service_cases()
)
def test_new_service_figures_match_an_independent_computation(
    clients: float, take_up: float, price: float, purchases: float, cost: float,
    launch: float, running: float,
) -> None:  # fmt: skip
    answers = {"clients": clients, "take_up": take_up, "price": price, "purchases": purchases,
               "direct_cost": cost, "launch_cost": launch, "running_cost": running}  # fmt: skip
    values = run(NEW_SERVICE, answers).values
    for name, want in _expected(clients, take_up, price, purchases, cost, launch, running).items():
        if isinstance(want, str):
            assert values[name] == want, name
        elif name == "buyers_needed":
            assert values[name] == want, name
        else:
            assert math.isclose(values[name], want, rel_tol=1e-9, abs_tol=1e-6), name
