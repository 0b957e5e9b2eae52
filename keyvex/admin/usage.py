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

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from keyvex.admin._days import MAX_DAYS, Day, Row, all_days, by_day, row_of
from keyvex.admin._spenders import TOP, Spender, ToolCost, creators, get_each, tools
from keyvex.admin.figures import Figures
from keyvex.ai.usage_counters import top_calls_key
from keyvex.app import App
from keyvex.errors import Invalid
from keyvex.store import SK

__all__ = ["MAX_DAYS", "Row", "Spender", "ToolCost", "UsageSummary", "check_range", "usage_summary"]


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
        summary.creators = await creators(app, start, end)
        summary.tools = await tools(app, start, end)
        summary.expensive = await _expensive(app, start, end)
    return summary


async def _rows(
    app: App, start: date, end: date, process: str | None, provider: str | None
) -> dict[str, Day]:
    low, high = f"DAY#{start.isoformat()}", f"DAY#{end.isoformat()}#~"
    if process:
        items = app.store.query_all(f"PROCESS#{process}", SK.between(low, high), index="GSI1")
    elif provider:
        items = app.store.query_all(f"PROVIDER#{provider}", SK.between(low, high), index="GSI2")
    else:
        return await all_days(app, start, end)
    rows = [row_of(item) async for item in items if item.get("entity_type") == "ai_usage"]
    return by_day(start, end, rows)


def _summarise(start: date, end: date, days: dict[str, Day]) -> UsageSummary:
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


async def _expensive(app: App, start: date, end: date) -> list[dict[str, Any]]:
    keys = [
        top_calls_key((start + timedelta(n)).isoformat()) for n in range((end - start).days + 1)
    ]
    calls: list[dict[str, Any]] = []
    for item in await get_each(app, keys):
        calls += item.get("calls", [])
    calls.sort(key=lambda c: (float(c.get("cost_usd") or 0), _tokens(c)), reverse=True)
    return calls[:TOP]


def _tokens(call: dict[str, Any]) -> int:
    return int(call.get("input_tokens") or 0) + int(call.get("output_tokens") or 0)
