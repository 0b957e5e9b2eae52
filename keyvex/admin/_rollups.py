"""Closed days' usage kept in one item per day and kind, so a 90-day page reads a few
queries' worth of items in any process, cold or not.

``AI_USAGE`` / ``ROLLUP#{day}`` holds the day's counter items' fields (``rows``); ``AI_USAGE`` /
``LEADERS#{index}#{day}`` the day's biggest spenders (creators or sessions). Each is written
the first time a closed day is read (a conditional put: two processes writing it at once
write the same thing). A closed day never changes (see ``_days.closed``); the rows hold no
user, and account deletion deletes the leader lists of the creator's days
(``keyvex.ai.usage``), which are then built again without them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from keyvex.ai.usage_counters import USAGE_PK, leaders_key
from keyvex.app import App
from keyvex.store import SK, Condition, ConditionFailed

KEPT = ("PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "created_at", "updated_at",
        "version", "entity_type")  # fmt: skip


def rollup_key(day: str) -> tuple[str, str]:
    return (USAGE_PK, f"ROLLUP#{day}")


async def read_rollups(app: App, first: date, last: date) -> dict[str, list[dict[str, Any]]]:
    """The rows of every rolled-up day from ``first`` to ``last``, by day."""
    low, high = rollup_key(first.isoformat())[1], rollup_key(last.isoformat())[1]
    found: dict[str, list[dict[str, Any]]] = {}
    async for item in app.store.query_all(USAGE_PK, SK.between(low, high)):
        found[item["day"]] = item["rows"]
    return found


async def write_rollup(app: App, day: str, items: list[dict[str, Any]]) -> None:
    rows = [{k: v for k, v in item.items() if k not in KEPT} for item in items]
    pk, sk = rollup_key(day)
    item = {"PK": pk, "SK": sk, "entity_type": "ai_usage_rollup", "day": day, "rows": rows}
    try:
        await app.store.put(item, Condition.not_exists())
    except ConditionFailed:
        pass  # another process rolled it up first: the same rows


async def read_leaders(
    app: App, index: str, first: date, last: date
) -> dict[str, list[dict[str, Any]]]:
    """The kept leader lists of ``index`` from ``first`` to ``last``, by day."""
    low, high = leaders_key(index, first.isoformat())[1], leaders_key(index, last.isoformat())[1]
    return {
        item["day"]: item["leaders"]
        async for item in app.store.query_all(USAGE_PK, SK.between(low, high))
    }


async def write_leaders(app: App, index: str, day: str, items: list[dict[str, Any]]) -> None:
    leaders = [{k: v for k, v in item.items() if k not in KEPT} for item in items]
    pk, sk = leaders_key(index, day)
    item = {"PK": pk, "SK": sk, "entity_type": "ai_usage_leaders", "day": day,
            "leaders": leaders}  # fmt: skip
    try:
        await app.store.put(item, Condition.not_exists())
    except ConditionFailed:
        pass
