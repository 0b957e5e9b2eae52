"""What the alert rules compare with their thresholds, read from counters and indexes only."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from keyvex.admin import usage_summary
from keyvex.alerts.models import KINDS, RuleKind
from keyvex.data.service import FAILING_INDEX
from keyvex.jobs import dead_jobs

if TYPE_CHECKING:
    from keyvex.app import App

DAY_SECONDS = 86_400
#: Most items one reading takes from an index (failing sources, dead letters).
READ_LIMIT = 1000


async def readings(app: App, now: float) -> dict[RuleKind, float | None]:
    """The current value of every kind; None where there is nothing to judge yet (fewer AI
    requests today than ``alert_min_requests`` for the rates, cost per request and p95)."""
    today = datetime.fromtimestamp(now, UTC).date()
    totals = (await usage_summary(app, today, today, detail=False)).totals
    enough = totals.requests >= app.settings.alert_min_requests
    values: dict[RuleKind, float | None] = {
        "daily_cost": totals.cost_usd,
        "cost_per_request": totals.cost_per_request,
        "error_rate": totals.error_rate,
        "p95_latency": totals.p95_ms,
        "fallback_rate": totals.fallback_rate,
        "failing_sources": float(await _failing_sources(app)),
        "job_failures": float(await _recent_dead_jobs(app, now)),
    }
    for kind, spec in KINDS.items():
        if spec.needs_requests and not enough:
            values[kind] = None
    return values


async def _failing_sources(app: App) -> int:
    """Data sources whose last sync or test failed (they sit in an index until one succeeds)."""
    page = await app.store.query(FAILING_INDEX, index="GSI2", limit=READ_LIMIT)
    return len(page.items)


async def _recent_dead_jobs(app: App, now: float) -> int:
    """Jobs given up in the last 24 hours (the dead-letter list, newest first)."""
    since = datetime.fromtimestamp(now - DAY_SECONDS, UTC).isoformat(timespec="microseconds")
    return sum(1 for job in await dead_jobs(app.store, limit=READ_LIMIT) if job.updated_at >= since)
