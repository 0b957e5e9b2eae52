"""AI usage for operators: figures by day, process, provider, model, creator and tool.

Read only from the counters ``keyvex.ai.usage_counters`` keeps as calls are recorded, never
from the call records themselves. Per day: the (process, provider, model) rows, the day's
top list of calls, and its 20 biggest-spending creators and co-creation sessions (cost-ordered
index queries). Closed days (``closed``) never change, so their rows and leader lists are
kept in one item each (``_rollups``) and cached per process: a 90-day page reads a few
queries' worth of items whatever the number of calls. The 20 best candidates are then summed
exactly over the range (a creator: one get per day they did not lead; a session: one query).
A creator who never ranks among a day's 20 biggest spenders cannot be listed among the
range's 20, a bound accepted to keep the page fast; the totals include everyone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from typing import Any

from keyvex.accounts import get_user
from keyvex.admin._rollups import read_leaders, read_rollups, write_leaders, write_rollup
from keyvex.admin.figures import Figures
from keyvex.ai.usage_counters import (
    CREATORS_INDEX,
    SESSIONS_INDEX,
    USAGE_PK,
    session_usage_key,
    top_calls_key,
    user_usage_key,
)
from keyvex.app import App
from keyvex.caches import CacheSpec
from keyvex.clock import now_iso
from keyvex.cocreate.models import session_key
from keyvex.errors import Invalid
from keyvex.store import SK
from keyvex.tools.service import tool_key

MAX_DAYS = 366
TOP = 20
#: A day's biggest spenders (creators, sessions) read as candidates for the range's.
RANK_PER_DAY = 20
#: What closed days hold never changes, so each process reads it once (for an hour): a day's
#: summed rows, a day's leaders (creators, sessions), and a leader's sum over the closed part
#: of a range. The leaders of a deleted account may stay in memory for that hour, but lists
#: show existing accounts only.
CLOSED_DAYS: CacheSpec[str, _Day] = CacheSpec(
    "admin usage of closed days", max_entries=MAX_DAYS + 1, ttl_seconds=86400
)
CLOSED_LEADERS: CacheSpec[tuple[str, str], list[dict[str, Any]]] = CacheSpec(
    "admin usage leaders of closed days", max_entries=2 * MAX_DAYS + 2, ttl_seconds=86400
)
CLOSED_SUMS: CacheSpec[str, Figures] = CacheSpec(
    "admin usage sums of closed days", max_entries=400, ttl_seconds=3600
)


@dataclass(slots=True)
class Row:
    """Counters of one day and (process, provider, model)."""

    day: str
    process: str
    provider: str
    model: str
    figures: Figures


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


@dataclass(slots=True)
class UsageSummary:
    start: date
    end: date
    totals: Figures
    days: list[tuple[str, Figures]]
    by_process: list[tuple[str, Figures]]
    by_provider: list[tuple[str, Figures]]
    by_model: list[tuple[str, Figures]]
    rows: list[Row]
    creators: list[Spender] = field(default_factory=list)
    tools: list[ToolCost] = field(default_factory=list)
    expensive: list[dict[str, Any]] = field(default_factory=list)

    def day(self, day: date) -> Figures:
        """The figures of one day of the range (zeros outside it)."""
        return dict(self.days).get(day.isoformat(), Figures())

    def most_failing_model(self) -> tuple[str, Figures] | None:
        """The model with the most failed requests (then the highest error rate), if any."""
        failing = [row for row in self.by_model if row[1].errors]
        return max(failing, key=lambda r: (r[1].errors, r[1].error_rate or 0), default=None)


def check_range(start: date, end: date) -> None:
    if end < start:
        raise Invalid("The range is backwards.", fields={"to": "Must be on or after 'from'."})
    if (end - start).days + 1 > MAX_DAYS:
        raise Invalid("The range is too long.", fields={"to": f"At most {MAX_DAYS} days."})


async def usage_summary(
    app: App,
    start: date,
    end: date,
    *,
    process: str | None = None,
    provider: str | None = None,
    detail: bool = True,
) -> UsageSummary:
    """Usage from ``start`` to ``end`` (inclusive), optionally of one process or provider.

    ``detail=False`` skips creators, tools and the most expensive calls (what an alert
    rule needs is the totals and the per-day and per-model figures).
    """
    check_range(start, end)
    rows = await _rows(app, start, end, process, provider)
    summary = _summarise(start, end, rows)
    if detail and process is None and provider is None:
        summary.creators = await _creators(app, start, end)
        summary.tools = await _tools(app, start, end)
        summary.expensive = await _expensive(app, start, end)
    return summary


async def _rows(
    app: App, start: date, end: date, process: str | None, provider: str | None
) -> dict[str, _Day]:
    low, high = f"DAY#{start.isoformat()}", f"DAY#{end.isoformat()}#~"
    if process:
        items = app.store.query_all(f"PROCESS#{process}", SK.between(low, high), index="GSI1")
    elif provider:
        items = app.store.query_all(f"PROVIDER#{provider}", SK.between(low, high), index="GSI2")
    else:
        return await _all_days(app, start, end)
    rows = [_row(item) async for item in items if item.get("entity_type") == "ai_usage"]
    return _by_day(start, end, rows)


def _row(item: dict[str, Any]) -> Row:
    figures = Figures()
    figures.add_item(item)
    return Row(item["day"], item["process"], item["provider"], item["model"], figures)


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(n) for n in range((end - start).days + 1)]


def closed(day: date) -> bool:
    """Whether no call can be counted on ``day`` any more (a day ago and more, with a day's
    margin for calls recorded around midnight)."""
    return day <= date.fromisoformat(now_iso()[:10]) - timedelta(days=2)


@dataclass(slots=True)
class _Day:
    """One day's rows, summed once: its total and its figures per process, provider, model
    (read-only once built; closed days keep theirs in the cache)."""

    rows: list[Row]
    total: Figures
    groups: dict[str, dict[str, Figures]]

    @classmethod
    def of(cls, rows: list[Row]) -> _Day:
        total = Figures()
        groups: dict[str, dict[str, Figures]] = {"process": {}, "provider": {}, "model": {}}
        for row in rows:
            total.add(row.figures)
            names = {"process": row.process, "provider": row.provider,
                     "model": f"{row.provider}:{row.model}"}  # fmt: skip
            for group, name in names.items():
                groups[group].setdefault(name, Figures()).add(row.figures)
        return cls(rows, total, groups)


async def _all_days(app: App, start: date, end: date) -> dict[str, _Day]:
    """Every day of the range: closed days from the process's cache, else from their rollup
    items (one query), else from their counters (one query from the first such day, which
    then writes the rollups of the closed ones); open days always from their counters."""
    cache = app.caches(CLOSED_DAYS)
    names = [d.isoformat() for d in _days(start, end)]
    days: dict[str, _Day] = {}
    for name in names:
        if (part := cache.get(name)) is not None:
            days[name] = part
    missing = [d for d in _days(start, end) if closed(d) and d.isoformat() not in days]
    if missing:
        for name, rows in (await read_rollups(app, missing[0], missing[-1])).items():
            if name in names and name not in days:
                days[name] = cache[name] = _Day.of([_row({**row, "day": name}) for row in rows])
    counted = [name for name in names if name not in days]
    if counted:
        low, high = f"DAY#{counted[0]}", f"DAY#{end.isoformat()}#~"
        fetched: dict[str, list[dict[str, Any]]] = {name: [] for name in counted}
        async for item in app.store.query_all(USAGE_PK, SK.between(low, high)):
            if item.get("entity_type") == "ai_usage" and item["day"] in fetched:
                fetched[item["day"]].append(item)
        for name, items in fetched.items():
            days[name] = _Day.of([_row(item) for item in items])
            if closed(date.fromisoformat(name)):
                cache[name] = days[name]
                await write_rollup(app, name, items)
    return {name: days[name] for name in names}


def _by_day(start: date, end: date, rows: list[Row]) -> dict[str, _Day]:
    grouped: dict[str, list[Row]] = {day.isoformat(): [] for day in _days(start, end)}
    for row in rows:
        grouped.setdefault(row.day, []).append(row)
    return {day: _Day.of(found) for day, found in grouped.items()}


def _summarise(start: date, end: date, days: dict[str, _Day]) -> UsageSummary:
    totals = Figures()
    groups: dict[str, dict[str, Figures]] = {"process": {}, "provider": {}, "model": {}}
    rows: list[Row] = []
    for part in days.values():
        totals.add(part.total)
        rows += part.rows
        for group, names in part.groups.items():
            for name, figures in names.items():
                groups[group].setdefault(name, Figures()).add(figures)
    return UsageSummary(
        start=start,
        end=end,
        totals=totals,
        days=sorted((day, part.total) for day, part in days.items()),
        by_process=_by_cost(groups["process"]),
        by_provider=_by_cost(groups["provider"]),
        by_model=_by_cost(groups["model"]),
        rows=rows,
    )


def _by_cost(group: dict[str, Figures]) -> list[tuple[str, Figures]]:
    return sorted(group.items(), key=lambda kv: (-kv[1].cost_usd, -kv[1].requests, kv[0]))


async def _day_leaders(
    app: App, index: str, start: date, end: date, key: str
) -> list[tuple[dict[str, Any], Figures, set[str]]]:
    """Candidates for the range's biggest spenders: each day's ``RANK_PER_DAY`` leaders (an
    index query a day, cost-ordered; closed days' lists kept), summed over the days they led;
    the best ``TOP``, each with the days it led."""
    cache = app.caches(CLOSED_LEADERS)
    lists: dict[str, list[dict[str, Any]]] = {}
    for day in _days(start, end):
        if (found := cache.get((index, day.isoformat()))) is not None:
            lists[day.isoformat()] = found
    missing = [d for d in _days(start, end) if closed(d) and d.isoformat() not in lists]
    if missing:
        for name, leaders in (await read_leaders(app, index, missing[0], missing[-1])).items():
            if start.isoformat() <= name <= end.isoformat():
                lists[name] = cache[(index, name)] = leaders
    for day in _days(start, end):
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
    for day in _days(start, end):
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


async def _creators(app: App, start: date, end: date) -> list[Spender]:
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


async def _tools(app: App, start: date, end: date) -> list[ToolCost]:
    top = await _day_leaders(app, SESSIONS_INDEX, start, end, "session_id")
    keys = [session_key(str(e[0]["uid"]), str(e[0]["session_id"])) for e in top]
    sessions = {s["session_id"]: s for s in await _get_each(app, keys)}
    tool_keys = [
        tool_key(str(s["owner_id"]), str(s["tool_id"]))
        for s in sessions.values()
        if s.get("tool_id")
    ]
    tools = {t["tool_id"]: t for t in await _get_each(app, tool_keys)}
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


async def _expensive(app: App, start: date, end: date) -> list[dict[str, Any]]:
    keys = [
        top_calls_key((start + timedelta(n)).isoformat()) for n in range((end - start).days + 1)
    ]
    calls: list[dict[str, Any]] = []
    for item in await _get_each(app, keys):
        calls += item.get("calls", [])
    calls.sort(key=lambda c: (float(c.get("cost_usd") or 0), _tokens(c)), reverse=True)
    return calls[:TOP]


async def _get_each(app: App, keys: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Items by key, one get each: a few dozen key lookups (about 10 us each on SQLite)
    cost less here than one ``batch_get``, whose row-value IN list SQLite answers by
    scanning a large table."""
    found = [await app.store.get(pk, sk) for pk, sk in keys]
    return [item for item in found if item is not None]


def _tokens(call: dict[str, Any]) -> int:
    return int(call.get("input_tokens") or 0) + int(call.get("output_tokens") or 0)
