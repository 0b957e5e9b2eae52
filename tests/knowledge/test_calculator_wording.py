"""Whose money a composed calculator talks about: the visitor's business only where the
model is about a business purchase, "you" where the visitor may be a household."""

from __future__ import annotations

import pytest

from keyvex.knowledge import (
    Slots,
    calculator_tool,
    choose,
    compose,
    fit_of,
    knowledge_base,
    understand,
)
from keyvex.knowledge.plan import tool_text

COST_SAVINGS = next(m for m in knowledge_base().calculators if m.id == "cost-savings")


def test_a_model_slot_can_name_the_visitors_business() -> None:
    variant = next(v for v in COST_SAVINGS.variants if v.id == "payment-processing")
    tool = calculator_tool(COST_SAVINGS, variant, Slots(business="practice"))
    assert tool.title == "How much could a cheaper payment provider save your practice?"


def test_the_general_savings_model_says_you_whatever_the_business() -> None:
    for business in ("company", "home", ""):
        tool = calculator_tool(COST_SAVINGS, None, Slots(business=business))
        assert tool.title == "How much could making the switch save you?"
        assert "staff time" not in tool_text(tool)


def _built(brief: str) -> tuple[str, str, str]:
    u = understand(brief)
    plan = choose(u)
    business = u.industry.business if u.industry else ""
    tool = compose(plan, Slots(audience=u.audience, business=business, offer=u.offer))
    return plan.source_id, tool.title, fit_of(plan, tool).level


@pytest.mark.parametrize(
    "brief",
    [
        "for plumbers to show homeowners how much a tankless water heater saves",
        "calculator for roofers: show homeowners what a reflective roof coating saves",
    ],
)
def test_a_savings_brief_for_homeowners_never_says_your_company(brief: str) -> None:
    _, title, _ = _built(brief)
    assert "company" not in title.lower() and "business" not in title.lower(), title


def test_a_furnace_upgrade_brief_gets_the_heating_upgrade_model() -> None:
    source, title, level = _built(
        "A calculator for HVAC contractors to show homeowners how much a new "
        "high-efficiency furnace saves per year"
    )
    assert source == "heating-upgrade/furnace"
    assert title == "How much could a high-efficiency furnace save on your heating bills?"
    assert level in {"high", "medium"}


@pytest.mark.parametrize(
    ("brief", "source"),
    [
        ("heat pump savings for homeowners replacing a gas furnace", "heat-pump-savings/from-gas"),
        ("how much would a new gas boiler save over my old one", "heating-upgrade/boiler"),
        ("HVAC upgrade savings calculator for office buildings", "energy-savings/hvac"),
    ],
)
def test_heat_pump_and_commercial_hvac_briefs_keep_their_models(brief: str, source: str) -> None:
    assert _built(brief)[0] == source
