"""A creator's view of one tool's counters: daily series, totals, funnel and step drop-off.

The funnel counts visits (see ``_visits``): views, starts, steps reached, completions and
converted visits (visits that left a lead). ``leads`` in the totals is every lead received,
which the leads table lists; a visitor who sends the form twice is two leads, one conversion.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from keyvex.accounts.models import User
from keyvex.analytics._visits import planned_steps
from keyvex.analytics.service import MAX_STEP, stat_key
from keyvex.app import App
from keyvex.errors import Invalid
from keyvex.store import SK
from keyvex.tools.service import get_tool

MAX_RANGE_DAYS = 366
DAILY = ("views", "starts", "completions", "converted", "leads", "abandons")


async def tool_stats(app: App, user: User, tool_id: str, start: date, end: date) -> dict[str, Any]:
    """Counters of every day from ``start`` to ``end`` (inclusive, zeros filled), one query."""
    tool = await get_tool(app, user, tool_id)
    if end < start:
        raise Invalid("The range is backwards.", fields={"to": "Must be on or after 'from'."})
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise Invalid(
            "The range is too long.", fields={"to": f"At most {MAX_RANGE_DAYS} days after 'from'."}
        )
    pk, low = stat_key(tool_id, start.isoformat())
    high = stat_key(tool_id, end.isoformat())[1]
    found: dict[str, dict[str, Any]] = {}
    async for item in app.store.query_all(pk, SK.between(low, high)):
        found[item["SK"].removeprefix("STAT#")] = item
    days = [
        _day(found.get(day.isoformat(), {}), day)
        for day in (start + timedelta(n) for n in range((end - start).days + 1))
    ]
    steps = _sum_steps(found.values())
    step_count = max([planned_steps(tool.definition, MAX_STEP), *steps.keys()])
    totals = {name: sum(day[name] for day in days) for name in DAILY}
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "days": days,
        "totals": totals,
        "funnel": _funnel(totals, steps, step_count),
        "steps": _drop_off(totals["starts"], steps, step_count),
    }


def _day(item: dict[str, Any], day: date) -> dict[str, Any]:
    return {"date": day.isoformat(), **{name: int(item.get(name, 0)) for name in DAILY}}


def _sum_steps(items: Any) -> dict[int, int]:
    steps: dict[int, int] = {}
    for item in items:
        for name, value in item.items():
            if name.startswith("step_") and name[5:].isdigit():
                steps[int(name[5:])] = steps.get(int(name[5:]), 0) + int(value)
    return {n: c for n, c in steps.items() if c > 0}


def _rate(count: int, previous: int | None) -> float | None:
    """``count`` as a percentage of ``previous`` (one decimal); None when there is no base.

    Capped at 100: counters recorded before stages counted visits (starts per page load)
    can hold more starts than views, and a share above 100% means nothing to a reader.
    """
    if not previous:
        return None
    return min(round(100 * count / previous, 1), 100.0)


def _funnel(totals: dict[str, int], steps: dict[int, int], step_count: int) -> list[dict[str, Any]]:
    stages = [("views", totals["views"]), ("starts", totals["starts"])]
    stages += [(f"step {n}", steps.get(n, 0)) for n in range(1, step_count + 1)]
    stages += [("completions", totals["completions"]), ("leads", totals["converted"])]
    funnel: list[dict[str, Any]] = []
    previous: int | None = None
    for stage, count in stages:
        funnel.append(
            {"stage": stage, "count": count, "rate_from_previous": _rate(count, previous)}
        )
        previous = count
    return funnel


def _drop_off(starts: int, steps: dict[int, int], step_count: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    previous = starts
    for n in range(1, step_count + 1):
        reached = steps.get(n, 0)
        lost = _rate(max(previous - reached, 0), previous)
        rows.append({"step": n, "reached": reached, "drop_off_pct": lost})
        previous = reached
    return rows
