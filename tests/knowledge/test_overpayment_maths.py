"""The mortgage-overpayment model's figures agree with a month-by-month amortisation.

The model works in closed form (PMT, NPER, FV); this test pays the loan off one month at a
time, the way a lender's statement does, and compares the two. It also checks that briefs
about overpaying reach the model and briefs about what a loan costs still reach loan-payment.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from keyvex.engine import run
from keyvex.knowledge import Slots, calculator_tool, choose, knowledge_base, understand

MODEL = next(m for m in knowledge_base().calculators if m.id == "mortgage-overpayment")
TOOL = calculator_tool(MODEL, next(v for v in MODEL.variants if v.id == "mortgage"), Slots())


@dataclass
class Schedule:
    payment: float
    months: int
    interest_without: float
    interest_with: float


def amortise(balance: float, rate: float, years: int, extra: float, lump: float) -> Schedule:
    """Pay the loan month by month: interest on the balance, then the payment; the last
    payment is whatever is left."""
    r = rate / 100 / 12
    n = years * 12
    payment = balance / n if r == 0 else balance * r / (1 - (1 + r) ** -n)
    owed, months, interest = max(balance - lump, 0.0), 0, 0.0
    while owed > 1e-7:
        charged = owed * r
        interest += charged
        owed -= min(payment + extra, owed + charged) - charged
        months += 1
    return Schedule(payment, months, payment * n - balance, interest)


def _cases() -> list[tuple[float, float, int, float, float]]:
    picked = random.Random(20261203)
    cases = [
        (200000, 5, 25, 200, 0),
        (150000, 4.5, 20, 0, 20000),
        (60000, 0, 10, 100, 0),
        (300000, 6.5, 30, 300, 0),
        (40000, 5, 10, 0, 50000),
        (250000, 3.99, 35, 0, 0),
    ]
    for _ in range(40):
        cases.append((
            picked.randrange(5000, 900000, 500),
            round(picked.uniform(0, 12), 2),
            picked.randint(1, 40),
            picked.choice([0, 25, 100, 250, 800, 3000]),
            picked.choice([0, 0, 1000, 15000, 60000]),
        ))  # fmt: skip
    return cases


@pytest.mark.parametrize(("balance", "rate", "years", "extra", "lump"), _cases())
def test_overpayment_figures_match_a_month_by_month_schedule(
    balance: float, rate: float, years: int, extra: float, lump: float
) -> None:
    answers = {"balance": balance, "annual_rate": rate, "remaining_years": years,
               "monthly_overpayment": extra, "lump_sum": lump, "allowance": 10}  # fmt: skip
    values = run(TOOL, answers).values
    expected = amortise(balance, rate, years, extra, lump)
    assert values["monthly_payment"] == pytest.approx(expected.payment, abs=0.005)
    assert values["new_months"] == expected.months
    assert values["months_saved"] == years * 12 - expected.months
    assert values["interest_now"] == pytest.approx(expected.interest_without, abs=0.01)
    assert values["interest_new"] == pytest.approx(expected.interest_with, abs=0.01)
    saved = expected.interest_without - expected.interest_with
    assert values["interest_saved"] == pytest.approx(saved, abs=0.01)


@pytest.mark.parametrize(
    ("months", "words"),
    [(0, "none"), (1, "1 month"), (12, "1 year"), (13, "1 year and 1 month"),
     (24, "2 years"), (74, "6 years and 2 months")],
)  # fmt: skip
def test_time_saved_reads_in_years_and_months(months: int, words: str) -> None:
    # At 0% a loan of 120 x 100 repaid at 100 a month takes 120 months; the overpayment that
    # saves `months` is 100 x months / (120 - months).
    extra = 100 * months / (120 - months)
    answers = {"balance": 12000, "annual_rate": 0, "remaining_years": 10,
               "monthly_overpayment": extra, "lump_sum": 0}  # fmt: skip
    assert run(TOOL, answers).values["time_saved"] == words


@pytest.mark.parametrize(
    ("brief", "source"),
    [
        ("Mortgage overpayment calculator for my mortgage brokerage clients in the UK",
         "mortgage-overpayment/mortgage"),
        ("how much sooner would I be mortgage-free if I paid an extra 300 a month",
         "mortgage-overpayment/mortgage"),
        ("should I overpay my car loan or keep the cash?", "mortgage-overpayment/car-loan"),
        ("mortgage calculator", "loan-payment/mortgage"),
        ("how much house can I afford on my salary? mortgage calculator",
         "loan-payment/mortgage"),
        ("car finance calculator: monthly payments for a new car", "loan-payment/car-loan"),
        # overpaying tax, suppliers or rent is not paying a loan off early
        ("Calculator for accountants that shows small business owners how much they overpay "
         "in tax", "generic-calculator"),
    ],
)  # fmt: skip
def test_overpaying_briefs_reach_the_model_and_loan_cost_briefs_do_not(
    brief: str, source: str
) -> None:
    assert choose(understand(brief)).source_id == source
