"""The metrics read from the store at each scrape: job backlog and failures, AI usage today."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from keyvex import clock
from keyvex.admin import usage_summary
from keyvex.jobs import dead_jobs
from keyvex.jobs.records import DUE, due_sk
from keyvex.store import SK

if TYPE_CHECKING:
    from keyvex.app import App

#: Most jobs read from an index at one scrape; a larger backlog shows as this number.
JOB_LIMIT = 1000


async def store_families(app: App) -> list[Metric]:
    return [*await _job_families(app), *await _ai_families(app)]


async def _job_families(app: App) -> list[Metric]:
    now = clock.now()
    due = await app.store.query(DUE, SK.le(due_sk(now, "~")), index="GSI2", limit=JOB_LIMIT)
    pending = await app.store.query(DUE, index="GSI2", limit=JOB_LIMIT)
    dead = await dead_jobs(app.store, limit=JOB_LIMIT)
    backlog = GaugeMetricFamily(
        "keyvex_jobs_due",
        f"Jobs due now and not started (the queue depth; read up to {JOB_LIMIT}).",
    )
    backlog.add_metric([], len(due.items))
    waiting = GaugeMetricFamily(
        "keyvex_jobs_pending", "Jobs queued or running, due now or later (read up to 1000)."
    )
    waiting.add_metric([], len(pending.items))
    by_task: dict[str, int] = {}
    for job in dead:
        by_task[job.name] = by_task.get(job.name, 0) + 1
    failed = GaugeMetricFamily(
        "keyvex_jobs_dead_letter",
        "Jobs given up after their last attempt and kept 30 days (the dead-letter list), by task.",
        labels=["task"],
    )
    for name, count in sorted(by_task.items()):
        failed.add_metric([name], count)
    return [backlog, waiting, failed]


async def _ai_families(app: App) -> list[Metric]:
    today = datetime.fromtimestamp(clock.now(), UTC).date()
    summary = await usage_summary(app, today, today, detail=False)
    labels = ["process", "provider", "model"]
    # Counters of the UTC day: they start again from 0 at midnight, which Prometheus' rate()
    # and increase() read as a counter reset.
    requests = CounterMetricFamily(
        "keyvex_ai_requests", "Model requests today (UTC), cluster-wide.", labels=labels
    )
    errors = CounterMetricFamily("keyvex_ai_errors", "Failed model requests today.", labels=labels)
    fallbacks = CounterMetricFamily(
        "keyvex_ai_fallbacks", "Model requests answered by a fallback model today.", labels=labels
    )
    cost = CounterMetricFamily("keyvex_ai_cost_usd", "Model cost today, in USD.", labels=labels)
    tokens = CounterMetricFamily(
        "keyvex_ai_tokens", "Tokens sent and received today.", labels=[*labels, "direction"]
    )
    for row in summary.rows:
        key = [row.process, row.provider, row.model]
        figures = row.figures
        requests.add_metric(key, figures.requests)
        errors.add_metric(key, figures.errors)
        fallbacks.add_metric(key, figures.fallbacks)
        cost.add_metric(key, figures.cost_usd)
        tokens.add_metric([*key, "input"], figures.input_tokens)
        tokens.add_metric([*key, "output"], figures.output_tokens)
    return [requests, errors, fallbacks, cost, tokens]
