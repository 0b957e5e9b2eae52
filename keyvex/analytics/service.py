"""Analytics events as per-tool per-day atomic counters, with cookie-free view de-duplication.

``TOOL#{tool_id}`` / ``STAT#{YYYY-MM-DD}`` holds the day's counters (``views``, ``starts``,
``step_{n}``, ``completions``, ``converted``, ``abandons``: visits that reached each stage;
``leads``: leads stored), bumped with atomic adds: no scans. Every stage counts a visit once,
on the day the visit began (``_visits``), so no share of the funnel can pass 100%. The
visitor is ``sha256(daily salt + ip + user agent + tool id)`` and only that hash, as the key
of a short-lived marker item, is ever written.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from keyvex.analytics._bots import is_bot
from keyvex.analytics._salt import cached_salt, daily_salt, visitor_hash
from keyvex.analytics._visits import advance_visit, implied_stages, planned_steps
from keyvex.app import App
from keyvex.caches import CacheSpec
from keyvex.errors import Invalid
from keyvex.store import Update

if TYPE_CHECKING:
    from keyvex.tools.publishing import PublishedTool

EVENTS = frozenset({"view", "start", "step", "complete", "lead", "abandon"})
COUNTERS = {
    "view": "views",
    "start": "starts",
    "complete": "completions",
    "lead": "leads",
    "abandon": "abandons",
}
MAX_STEP = 50
_LIMIT_KEY = "event"  # one rate-limit bucket per address for views and beacons alike


def stat_key(tool_id: str, day: str) -> tuple[str, str]:
    return (f"TOOL#{tool_id}", f"STAT#{day}")


def view_key(visitor: str) -> tuple[str, str]:
    return (f"VIEW#{visitor}", "VIEW")


def utc_day() -> str:
    return datetime.now(UTC).date().isoformat()


def counter_name(event: str, step: int | None = None) -> str:
    """The counter attribute an event bumps; Invalid for unknown events or steps."""
    if event not in EVENTS:
        known = ", ".join(sorted(EVENTS))
        raise Invalid("Unknown analytics event.", fields={"event": f"Use one of: {known}."})
    if event != "step":
        return COUNTERS[event]
    if not isinstance(step, int) or isinstance(step, bool) or not 1 <= step <= MAX_STEP:
        raise Invalid(
            "A step event needs a step number.",
            fields={"step": f"Send a whole number from 1 to {MAX_STEP}."},
        )
    return f"step_{step}"


def count_op(tool_id: str, event: str, step: int | None = None) -> Update:
    """The atomic add of one to today's counter for ``event``, for use in a transaction."""
    attribute = counter_name(event, step)
    day = utc_day()
    return Update(
        *stat_key(tool_id, day),
        set={"entity_type": "tool_stats", "tool_id": tool_id, "day": day},
        add={attribute: 1},
    )


async def count(app: App, tool_id: str, event: str, step: int | None = None) -> None:
    """Add one to today's counter for ``event`` (an atomic add; creates the day's item)."""
    op = count_op(tool_id, event, step)
    await app.store.update(op.pk, op.sk, set=op.set, add=op.add)


async def over_event_limit(app: App, ip: str) -> bool:
    """True when ``ip`` has used up ``KEYVEX_EVENT_LIMIT_IP``: its events are not counted, so
    a route can ignore them before reading anything."""
    return not await app.limiter.allowed(app.settings.event_limit_ip, _LIMIT_KEY, ip)


async def record_event(
    app: App, tool: PublishedTool, event: str, *, step: int | None, ip: str, user_agent: str
) -> bool:
    """Count a visitor's event once per visit; False when it is not counted (bot, a stage
    this visit already reached, flood). See ``_visits`` for what a visit is.

    ``lead`` is accepted but never counted from a beacon: the server counts a lead when it
    stores one, so a forged beacon cannot inflate conversions.
    """
    counter_name(event, step)  # refuse malformed events before anything else
    if event == "lead" or is_bot(user_agent):
        return False
    if not await app.limiter.hit(app.settings.event_limit_ip, _LIMIT_KEY, ip):
        return False
    if event == "view" and view_already_counted(app, tool.tool_id, ip, user_agent):
        return False
    return await _advance(app, tool, event, step, ip, user_agent)


async def record_converted_visit(app: App, tool: PublishedTool, ip: str, user_agent: str) -> bool:
    """Mark the visit that just left a stored lead as converted (and so started and
    completed); called by the lead service, never from a beacon."""
    if is_bot(user_agent):
        return False
    return await _advance(app, tool, "lead", None, ip, user_agent)


async def _advance(
    app: App, tool: PublishedTool, event: str, step: int | None, ip: str, user_agent: str
) -> bool:
    today = utc_day()
    salt = await daily_salt(app, today)
    visitor = visitor_hash(salt, ip, user_agent, tool.tool_id)
    planned = planned_steps(tool.definition, MAX_STEP)
    stages = implied_stages(event, step, planned)
    counted, until = await advance_visit(app, tool.tool_id, view_key(visitor), stages, today)
    _remember(app, visitor, until)
    return counted


#: Visitors whose view marker this process knows is live (forgetting one costs a write).
RECENT: CacheSpec[str, float] = CacheSpec("recent views", max_entries=200_000)


def _remembered(app: App, visitor: str, now: float) -> bool:
    """True when this process already knows the visitor's view marker is live."""
    expiry = app.caches(RECENT).get(visitor)
    return expiry is not None and expiry > now


def _remember(app: App, visitor: str, until: float) -> None:
    app.caches(RECENT)[visitor] = until


def view_already_counted(app: App, tool_id: str, ip: str, user_agent: str) -> bool:
    """Cheap, synchronous pre-check for hot paths: a view this process has just counted."""
    salt = cached_salt(app, utc_day())
    if salt is None:
        return False
    return _remembered(app, visitor_hash(salt, ip, user_agent, tool_id), app.store.now())
