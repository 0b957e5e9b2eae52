"""The biggest spenders of a range: creators and co-creation sessions (with the tool each
built), found among each day's leaders (cost-ordered index queries; closed days' lists kept
and cached) and then summed exactly over the range."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

from keyvex.accounts import get_user
from keyvex.admin._days import MAX_DAYS, closed, days_of
from keyvex.admin._rollups import read_leaders, write_leaders
from keyvex.admin.figures import Figures
from keyvex.ai.usage_counters import (
    CREATORS_INDEX,
    SESSIONS_INDEX,
    session_usage_key,
    user_usage_key,
)
from keyvex.app import App
from keyvex.caches import CacheSpec
from keyvex.clock import now_iso
from keyvex.cocreate.models import session_key
from keyvex.store import SK
from keyvex.tools.service import tool_key

TOP = 20


@dataclass(slots=True)
class Spender:
    """A creator's usage over the range; ``email`` is empty once the account has gone."""

    uid: str
    email: str
    figures: Figures


@dataclass(slots=True)
class ToolCost:
    """A co-creation session's usage over the range, and the tool it built (if any)."""

    uid: str
    email: str
    session_id: str
    tool_id: str | None
    title: str
    figures: Figures


#: A day's biggest spenders (creators, sessions) read as candidates for the range's.
RANK_PER_DAY = 20
#: A closed day's leaders never change: read once per process (for a day). A deleted
#: account's entries may stay in memory meanwhile; the lists show existing accounts only.
CLOSED_LEADERS: CacheSpec[tuple[str, str], list[dict[str, Any]]] = CacheSpec(
    "admin usage leaders of closed days", max_entries=2 * MAX_DAYS + 2, ttl_seconds=86400
)
#: A session's figures over the closed part of a range (which moves every day).
CLOSED_SUMS: CacheSpec[str, Figures] = CacheSpec(
    "admin usage sums of closed days", max_entries=400, ttl_seconds=3600
)


async def _day_leaders(
    app: App, index: str, start: date, end: date, key: str
) -> list[tuple[dict[str, Any], Figures, set[str]]]:
    """Candidates for the range's biggest spenders: each day's ``RANK_PER_DAY`` leaders (an
    index query a day, cost-ordered; closed days' lists kept), summed over the days they led;
    the best ``TOP``, each with the days it led."""
    cache = app.caches(CLOSED_LEADERS)
    lists: dict[str, list[dict[str, Any]]] = {}
    for day in days_of(start, end):
        if (found := cache.get((index, day.isoformat()))) is not None:
            lists[day.isoformat()] = found
    missing = [d for d in days_of(start, end) if closed(d) and d.isoformat() not in lists]
    if missing:
        for name, leaders in (await read_leaders(app, index, missing[0], missing[-1])).items():
            if start.isoformat() <= name <= end.isoformat():
                lists[name] = cache[(index, name)] = leaders
    for day in days_of(start, end):
        if day.isoformat() in lists:
            continue
        page = await app.store.query(
            f"{index}#{day.isoformat()}", index="GSI1", ascending=False, limit=RANK_PER_DAY
        )
        lists[day.isoformat()] = page.items
        if closed(day):
            cache[(index, day.isoformat())] = page.items
            await write_leaders(app, index, day.isoformat(), page.items)
    sums: dict[str, tuple[dict[str, Any], Figures, set[str]]] = {}
    for name, leaders in lists.items():
        for item in leaders:
            entry = sums.setdefault(str(item[key]), (item, Figures(), set()))
            entry[1].add_item(item)
            entry[2].add(name)
    ranked = sorted(sums.values(), key=lambda e: (-e[1].cost_usd, -e[1].tokens))
    return ranked[:TOP]


async def _creator_exact(
    app: App, uid: str, led: Figures, days_led: set[str], start: date, end: date
) -> Figures:
    """A creator's figures over the range: the days they led, plus one get for each other
    day (a creator who leads most days costs a few gets)."""
    figures = Figures()
    figures.add(led)
    for day in days_of(start, end):
        if day.isoformat() not in days_led:
            item = await app.store.get(*user_usage_key(uid, day.isoformat()))
            if item is not None:
                figures.add_item(item)
    return figures


async def _exact(
    app: App, key: Callable[[date], tuple[str, str]], start: date, end: date
) -> Figures:
    """A leader's figures over the whole range, from every one of its counter items
    (``key(day)`` is its counter item of ``day``); the closed days' part is cached."""
    figures = Figures()
    last_closed = min(end, date.fromisoformat(now_iso()[:10]) - timedelta(days=2))
    if start <= last_closed:
        (pk, low), high = key(start), key(last_closed)[1]
        cache = app.caches(CLOSED_SUMS)
        part = cache.get(f"{pk}|{low}|{high}")
        if part is None:
            part = await _sum(app, pk, low, high)
            cache[f"{pk}|{low}|{high}"] = part
        figures.add(part)
    first_open = max(start, last_closed + timedelta(1))
    if first_open <= end:
        (pk, low), high = key(first_open), key(end)[1]
        figures.add(await _sum(app, pk, low, high))
    return figures


async def _sum(app: App, pk: str, low: str, high: str) -> Figures:
    figures = Figures()
    async for item in app.store.query_all(pk, SK.between(low, high)):
        figures.add_item(item)
    return figures


async def _emails(app: App, uids: set[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for uid in uids:
        user = await get_user(app, uid)
        found[uid] = user.email if user else ""
    return found


def _session_day(uid: str, sid: str, day: date) -> tuple[str, str]:
    return session_usage_key(uid, sid, day.isoformat())


def _by_spend(rows: list[Any]) -> list[Any]:
    return sorted(rows, key=lambda r: (-r.figures.cost_usd, -r.figures.tokens))


async def creators(app: App, start: date, end: date) -> list[Spender]:
    top = await _day_leaders(app, CREATORS_INDEX, start, end, "uid")
    emails = await _emails(app, {str(entry[0]["uid"]) for entry in top})
    found = []
    for item, led, days_led in top:
        uid = str(item["uid"])
        if not emails[uid]:  # the account was deleted meanwhile
            continue
        figures = await _creator_exact(app, uid, led, days_led, start, end)
        found.append(Spender(uid, emails[uid], figures))
    return _by_spend(found)


async def tools(app: App, start: date, end: date) -> list[ToolCost]:
    top = await _day_leaders(app, SESSIONS_INDEX, start, end, "session_id")
    keys = [session_key(str(e[0]["uid"]), str(e[0]["session_id"])) for e in top]
    sessions = {s["session_id"]: s for s in await get_each(app, keys)}
    tool_keys = [
        tool_key(str(s["owner_id"]), str(s["tool_id"]))
        for s in sessions.values()
        if s.get("tool_id")
    ]
    tools = {t["tool_id"]: t for t in await get_each(app, tool_keys)}
    emails = await _emails(app, {str(entry[0]["uid"]) for entry in top})
    found: list[ToolCost] = []
    for item, _, _ in top:
        uid, sid = str(item["uid"]), str(item["session_id"])
        if not emails[uid]:  # the account was deleted meanwhile
            continue
        figures = await _exact(app, partial(_session_day, uid, sid), start, end)
        session = sessions.get(sid, {})
        tool_id = session.get("tool_id")
        tool = tools.get(tool_id, {}) if tool_id else {}
        title = str((tool.get("definition") or {}).get("title") or "")
        found.append(ToolCost(uid, emails[uid], sid, tool_id, title, figures))
    return _by_spend(found)


async def get_each(app: App, keys: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Items by key, one get each: a few dozen key lookups (about 10 us each on SQLite)
    cost less here than one ``batch_get``, whose row-value IN list SQLite answers by
    scanning a large table."""
    found = [await app.store.get(pk, sk) for pk, sk in keys]
    return [item for item in found if item is not None]
