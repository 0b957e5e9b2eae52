"""Visits: the unit every funnel stage counts, so no stage can outnumber the one before it.

Why: starts used to be counted once per page load while views were de-duplicated per visitor
per 30 minutes, so a visitor who reloaded, opened a second tab or came back to an open tab
added starts without views, and funnels showed "starts 130% of views". Now every stage counts
*visits*, each at most once:

- a visit is one visitor (the anonymous daily hash of address, browser and tool) for 30
  minutes from the view that opened it; the ``VIEW#{visitor}`` / ``VIEW`` marker (ttl) keeps
  the day the visit began and the stages it reached;
- a later event counts its stage, and every stage it implies (a completion implies a start and
  every planned step; step 3 means "got at least as far as step 3"; a lead implies a
  completion, since the lead form answers with the result), on the day the visit began;
- an event with no live visit (the page stayed open past 30 minutes, or the view was not
  counted) opens one, counted as a view: the visitor clearly saw the page.

So, per day: views >= starts >= step 1 >= step 2 ... >= completions >= converted visits.
Stored leads stay counted apart (``leads``, one per lead received, in the lead's own
transaction): a visitor who sends the form twice is two leads but one converted visit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from keyvex.app import App
from keyvex.store import Condition, ConditionFailed, Put, Update

if TYPE_CHECKING:
    from keyvex.tools import ToolDefinition

#: The counter each stage adds to.
STAGE_COUNTERS = {
    "view": "views",
    "start": "starts",
    "complete": "completions",
    "abandon": "abandons",
    "lead": "converted",
}
_ATTEMPTS = 3
VIEW_WINDOW_SECONDS = 30 * 60


def planned_steps(definition: ToolDefinition, limit: int) -> int:
    """Pages the public runtime shows: declared steps, or one per question in a quiz."""
    if definition.steps:
        return min(len(definition.steps), limit)
    return 0 if definition.kind == "calculator" else min(len(definition.inputs), limit)


def implied_stages(event: str, step: int | None, planned: int) -> list[str]:
    """The stages an event proves a visit reached, in funnel order."""
    if event == "view":
        return ["view"]
    reached = planned if event in ("complete", "lead") else (step or 0)
    stages = ["start", *(f"step_{n}" for n in range(1, max(reached, min(planned, 1)) + 1))]
    if event in ("complete", "lead"):
        stages.append("complete")
    if event in ("abandon", "lead"):
        stages.append(event)
    return stages


def counter_of(stage: str) -> str:
    return STAGE_COUNTERS.get(stage, stage)


async def advance_visit(
    app: App, tool_id: str, key: tuple[str, str], stages: list[str], today: str
) -> tuple[bool, float]:
    """Count the stages this visit had not reached yet, on the visit's day.

    Returns whether anything was counted and when the visit ends. The marker and the day's
    counters change in one transaction guarded by the marker's version, so two beacons
    racing for one visit count each stage once. A missing visit is opened (a view).
    """
    ttl = app.store.now() + VIEW_WINDOW_SECONDS
    for _ in range(_ATTEMPTS):
        marker = await app.store.get(*key)
        fresh = marker is None
        if marker is None:
            marker = _new_marker(key, today, int(app.store.now()))
        # A marker from before visits kept their stages stands for a counted view.
        reached = list(marker.get("stages", ["view"]))
        ttl = float(marker["ttl"])
        wanted = [s for s in dict.fromkeys(["view", *stages]) if s not in reached]
        if not wanted:
            return False, ttl
        day = str(marker.get("day") or today)
        guard = Condition.not_exists() if fresh else Condition.version_is(int(marker["version"]))
        counters = Update(
            f"TOOL#{tool_id}",
            f"STAT#{day}",
            set={"entity_type": "tool_stats", "tool_id": tool_id, "day": day},
            add={counter_of(stage): 1 for stage in wanted},
        )
        changed = {**marker, "stages": reached + wanted}
        try:
            await app.store.transact_write([Put(changed, guard), counters])
        except ConditionFailed:
            continue  # another beacon of this visit won the race: read it again
        return True, ttl
    return False, ttl


def _new_marker(key: tuple[str, str], today: str, now: int) -> dict[str, Any]:
    return {
        "PK": key[0],
        "SK": key[1],
        "entity_type": "view_marker",
        "day": today,
        "stages": [],
        "ttl": now + VIEW_WINDOW_SECONDS,
    }
