"""The student-loan model's figures agree with a month-by-month amortisation, its copy says
which loans it models, and student-loan briefs reach it while other loan briefs do not.

The model works in closed form (PMT, NPER, FV); the test pays the loan off one month at a
time, the way a servicer's statement does, and compares the two.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from keyvex.engine import run
from keyvex.knowledge import Slots, calculator_tool, choose, knowledge_base, understand
from keyvex.knowledge.plan import tool_text

MODEL = next(m for m in knowledge_base().calculators if m.id == "student-loan")
TOOL = calculator_tool(MODEL, None, Slots())


@dataclass
class Schedule:
    payment: float
    months: int
    interest_without: float
    interest_with: float


def amortise(balance: float, rate: float, years: int, extra: float) -> Schedule:
    """Interest on the balance each month, then the payment plus the extra; the last payment
    is whatever is left."""
    r = rate / 100 / 12
    n = years * 12
    payment = balance / n if r == 0 else balance * r / (1 - (1 + r) ** -n)
    owed, months, interest = balance, 0, 0.0
    while owed > 1e-7:
        charged = owed * r
        interest += charged
        owed -= min(payment + extra, owed + charged) - charged
        months += 1
    return Schedule(payment, months, payment * n - balance, interest)


def _cases() -> list[tuple[float, float, int, float]]:
    picked = random.Random(20261204)
    cases = [(30000, 6.39, 10, 100), (90000, 7.94, 10, 0), (12000, 0, 10, 20), (5000, 4.5, 5, 500)]
    for _ in range(40):
        cases.append((
            picked.randrange(1000, 250000, 250),
            round(picked.uniform(0, 14), 2),
            picked.randint(1, 30),
            picked.choice([0, 25, 50, 100, 300, 1000]),
        ))  # fmt: skip
    return cases


@pytest.mark.parametrize(("balance", "rate", "years", "extra"), _cases())
def test_student_loan_figures_match_a_month_by_month_schedule(
    balance: float, rate: float, years: int, extra: float
) -> None:
    salary = 48000
    answers = {"balance": balance, "annual_rate": rate, "term_years": years,
               "extra_monthly": extra, "annual_salary": salary}  # fmt: skip
    values = run(TOOL, answers).values
    expected = amortise(balance, rate, years, extra)
    assert values["monthly_payment"] == pytest.approx(expected.payment, abs=0.005)
    assert values["total_interest"] == pytest.approx(expected.interest_without, abs=0.01)
    assert values["salary_share"] == pytest.approx(expected.payment / (salary / 12), rel=1e-9)
    assert values["new_months"] == expected.months
    assert values["months_saved"] == years * 12 - expected.months
    assert values["interest_with_extra"] == pytest.approx(expected.interest_with, abs=0.01)
    saved = expected.interest_without - expected.interest_with
    assert values["interest_saved"] == pytest.approx(saved, abs=0.01)


@pytest.mark.parametrize(
    ("salary", "extra", "outcome"),
    [(20000, 100, "heavy"), (36000, 100, "stretching"), (60000, 0, "no_extra"),
     (60000, 100, "on_track")],
)  # fmt: skip
def test_the_outcome_follows_the_share_of_pay_the_payment_takes(
    salary: float, extra: float, outcome: str
) -> None:
    # 30,000 at 6.39% over 10 years is 338.97 a month: 20.3%, 11.3% and 6.8% of these salaries
    answers = {"balance": 30000, "annual_rate": 6.39, "term_years": 10,
               "extra_monthly": extra, "annual_salary": salary}  # fmt: skip
    result = run(TOOL, answers).outcome
    assert result is not None and result.id == outcome


def test_the_tool_says_it_models_a_fixed_term_loan_not_an_income_contingent_plan() -> None:
    text = tool_text(TOOL)  # normalised: lower case, punctuation dropped
    assert " equal monthly payments over a fixed term at a fixed rate " in text
    assert " plan 2 and plan 5 and us income-driven plans work differently " in text
    assert " 9 of income above the plan's threshold " in text
    assert " written off after a set number of years so paying extra may save nothing " in text


@pytest.mark.parametrize(
    ("brief", "source"),
    [
        ("student loan payoff calculator for recent grads", "student-loan/new-graduates"),
        ("How long until my student loans are gone if I pay $150 more each month?",
         "student-loan"),
        ("Grad school loan calculator for new MBAs", "student-loan/graduate-school"),
        # loans that buy something keep the affordability model
        ("loan repayment calculator", "loan-payment"),
        ("mortgage calculator", "loan-payment/mortgage"),
        ("car finance calculator: monthly payments for a new car", "loan-payment/car-loan"),
        ("should I overpay my car loan or keep the cash?", "mortgage-overpayment/car-loan"),
    ],
)  # fmt: skip
def test_student_loan_briefs_reach_the_model_and_other_loans_do_not(
    brief: str, source: str
) -> None:
    assert choose(understand(brief)).source_id == source
