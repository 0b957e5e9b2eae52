"""One day's usage rows, summed once per day: from the counters, or for a closed day (one
that can no longer change) from its rollup item and the process's cache."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from keyvex.admin._rollups import read_rollups, write_rollup
from keyvex.admin.figures import Figures
from keyvex.ai.usage_counters import USAGE_PK
from keyvex.app import App
from keyvex.caches import CacheSpec
from keyvex.clock import now_iso
from keyvex.store import SK

MAX_DAYS = 366
#: A closed day's summed rows never change, so each process reads them once (for a day).
CLOSED_DAYS: CacheSpec[str, Day] = CacheSpec(
    "admin usage of closed days", max_entries=MAX_DAYS + 1, ttl_seconds=86400
)


@dataclass(slots=True)
class Row:
    """Counters of one day and (process, provider, model)."""

    day: str
    process: str
    provider: str
    model: str
    figures: Figures


def closed(day: date) -> bool:
    """Whether no call can be counted on ``day`` any more (a day ago and more, with a day's
    margin for calls recorded around midnight)."""
    return day <= date.fromisoformat(now_iso()[:10]) - timedelta(days=2)


def days_of(start: date, end: date) -> list[date]:
    return [start + timedelta(n) for n in range((end - start).days + 1)]


@dataclass(slots=True)
class Day:
    """One day's rows, summed once: its total and its figures per process, provider, model
    (read-only once built; closed days keep theirs in the cache)."""

    rows: list[Row]
    total: Figures
    groups: dict[str, dict[str, Figures]]

    @classmethod
    def of(cls, rows: list[Row]) -> Day:
        total = Figures()
        groups: dict[str, dict[str, Figures]] = {"process": {}, "provider": {}, "model": {}}
        for row in rows:
            total.add(row.figures)
            names = {"process": row.process, "provider": row.provider,
                     "model": f"{row.provider}:{row.model}"}  # fmt: skip
            for group, name in names.items():
                groups[group].setdefault(name, Figures()).add(row.figures)
        return cls(rows, total, groups)


def row_of(item: dict[str, Any]) -> Row:
    figures = Figures()
    figures.add_item(item)
    return Row(item["day"], item["process"], item["provider"], item["model"], figures)


async def all_days(app: App, start: date, end: date) -> dict[str, Day]:
    """Every day of the range: closed days from the process's cache, else from their rollup
    items (one query), else from their counters (one query from the first such day, which
    then writes the rollups of the closed ones); open days always from their counters."""
    cache = app.caches(CLOSED_DAYS)
    names = [d.isoformat() for d in days_of(start, end)]
    days: dict[str, Day] = {}
    for name in names:
        if (part := cache.get(name)) is not None:
            days[name] = part
    missing = [d for d in days_of(start, end) if closed(d) and d.isoformat() not in days]
    if missing:
        for name, rows in (await read_rollups(app, missing[0], missing[-1])).items():
            if name in names and name not in days:
                days[name] = cache[name] = Day.of([row_of({**row, "day": name}) for row in rows])
    counted = [name for name in names if name not in days]
    if counted:
        low, high = f"DAY#{counted[0]}", f"DAY#{end.isoformat()}#~"
        fetched: dict[str, list[dict[str, Any]]] = {name: [] for name in counted}
        async for item in app.store.query_all(USAGE_PK, SK.between(low, high)):
            if item.get("entity_type") == "ai_usage" and item["day"] in fetched:
                fetched[item["day"]].append(item)
        for name, items in fetched.items():
            days[name] = Day.of([row_of(item) for item in items])
            if closed(date.fromisoformat(name)):
                cache[name] = days[name]
                await write_rollup(app, name, items)
    return {name: days[name] for name in names}


def by_day(start: date, end: date, rows: list[Row]) -> dict[str, Day]:
    grouped: dict[str, list[Row]] = {day.isoformat(): [] for day in days_of(start, end)}
    for row in rows:
        grouped.setdefault(row.day, []).append(row)
    return {day: Day.of(found) for day, found in grouped.items()}
