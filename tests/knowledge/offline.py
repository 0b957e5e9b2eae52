"""What the offline planner makes of a brief before any answer: the tests' one way to build."""

from __future__ import annotations

from keyvex.knowledge import Plan, Slots, Understanding, choose, compose, understand
from keyvex.tools import ToolDefinition


def slots_of(u: Understanding) -> Slots:
    """The brief's own words for the entry's slots, as the planner fills them untold."""
    return Slots(
        audience=u.audience,
        business=u.industry.business if u.industry else "",
        offer=u.offer,
        currency=u.currency or "",
        questions=u.questions,
        categories=u.categories,
    )


def offline_tool(brief: str) -> tuple[Understanding, Plan, ToolDefinition]:
    """Understand, choose and compose ``brief`` as a new user's first build does."""
    u = understand(brief)
    plan = choose(u)
    return u, plan, compose(plan, slots_of(u))
