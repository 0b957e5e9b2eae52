"""System health for operators: are the store, blob store, cache and queue reachable; the job
backlog and failures (dead letters, which can be retried); failing email jobs; data sources
whose last sync or test failed; webhook endpoints disabled after failing deliveries. Each
list is one index query (``JOB_DUE``, ``JOB_DEAD``, ``DATA_FAILING``, ``WEBHOOK_DISABLED``)."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import anyio

from keyvex import clock
from keyvex.accounts import get_user
from keyvex.app import App
from keyvex.data.service import FAILING_INDEX
from keyvex.errors import Conflict, NotFound
from keyvex.jobs import JobRecord, dead_jobs
from keyvex.jobs.records import DEAD, DUE, due_sk, job_key
from keyvex.store import SK, Condition, ConditionFailed, due_key
from keyvex.webhooks.service import DISABLED_INDEX

#: Most due jobs counted (the index is read up to here; "1000+" beyond).
BACKLOG_LIMIT = 1000
PROBE_SECONDS = 3.0


@dataclass(frozen=True, slots=True)
class Check:
    """One dependency: reachable or not, how long it took, and what it is."""

    name: str
    ok: bool
    detail: str
    ms: float

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail, "ms": self.ms}


@dataclass(frozen=True, slots=True)
class Problem:
    """A creator's data source or webhook endpoint that is failing, and why."""

    id: str
    name: str
    owner_email: str
    since: str
    reason: str

    def as_json(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "owner": self.owner_email,
                "since": self.since, "reason": self.reason}  # fmt: skip


@dataclass(slots=True)
class Health:
    checks: list[Check]
    due_now: int
    pending: int
    dead: list[JobRecord]
    failures_by_task: dict[str, int] = field(default_factory=dict)
    failing_sources: list[Problem] = field(default_factory=list)
    disabled_webhooks: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks) and not (
            self.dead or self.failing_sources or self.disabled_webhooks
        )

    @property
    def email_failures(self) -> list[JobRecord]:
        return [job for job in self.dead if job.name.startswith("email.")]

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checks": [c.as_json() for c in self.checks],
            "jobs": {"due_now": self.due_now, "pending": self.pending,
                     "failed": len(self.dead), "failed_by_task": self.failures_by_task},
            "dead_letters": [_job_json(job) for job in self.dead],
            "email_failures": [_job_json(job) for job in self.email_failures],
            "failing_data_sources": [p.as_json() for p in self.failing_sources],
            "disabled_webhooks": [p.as_json() for p in self.disabled_webhooks],
        }  # fmt: skip


def _job_json(job: JobRecord) -> dict[str, Any]:
    return {"id": job.id, "task": job.name, "attempts": job.attempts, "error": job.error,
            "updated_at": job.updated_at}  # fmt: skip


async def system_health(app: App) -> Health:
    checks = [await _timed("Item store", _store, app), await _timed("Blob store", _blobs, app)]
    checks += [await _timed("Cache (Redis)", _redis, app), await _timed("Job queue", _queue, app)]
    now = clock.now()
    due = await app.store.query(DUE, SK.le(due_key(now, "~")), index="GSI2", limit=BACKLOG_LIMIT)
    pending = await app.store.query(DUE, index="GSI2", limit=BACKLOG_LIMIT)
    dead = await dead_jobs(app.store, limit=100)
    by_task: dict[str, int] = {}
    for job in dead:
        by_task[job.name] = by_task.get(job.name, 0) + 1
    health = Health(checks, len(due.items), len(pending.items), dead, by_task)
    health.failing_sources = await failing_sources(app)
    health.disabled_webhooks = await disabled_webhooks(app)
    return health


async def _owners(app: App, items: list[dict[str, Any]]) -> dict[str, str]:
    emails: dict[str, str] = {}
    for uid in {str(item.get("owner_id")) for item in items}:
        user = await get_user(app, uid)
        emails[uid] = user.email if user else ""
    return emails


async def failing_sources(app: App, limit: int = 200) -> list[Problem]:
    """Data sources whose last sync or connection test failed, most recent failure first."""
    page = await app.store.query(FAILING_INDEX, index="GSI2", ascending=False, limit=limit)
    items = [i for i in page.items if (i.get("health") or {}).get("status") == "error"]
    owners = await _owners(app, items)
    return [
        Problem(i["source_id"], i.get("name", ""), owners[str(i.get("owner_id"))],
                i["health"].get("last_error_at", ""),
                ("Paused: " if i.get("pause_reason") else "") + i["health"].get("last_error", ""))
        for i in items
    ]  # fmt: skip


async def disabled_webhooks(app: App, limit: int = 200) -> list[Problem]:
    """Webhook endpoints disabled after a delivery failed for about 27 hours."""
    page = await app.store.query(DISABLED_INDEX, index="GSI2", ascending=False, limit=limit)
    items = [i for i in page.items if i.get("status") == "disabled"]
    owners = await _owners(app, items)
    return [
        Problem(i["webhook_id"], i.get("url", ""), owners[str(i.get("owner_id"))],
                i.get("GSI2SK", ""), i.get("notice", ""))
        for i in items
    ]  # fmt: skip


async def _timed(name: str, probe: Any, app: App) -> Check:
    started = time.perf_counter()
    try:
        with anyio.fail_after(PROBE_SECONDS):
            detail = await probe(app)
        ok = True
    except Exception as exc:  # a failing dependency is reported, never raised
        detail, ok = f"{type(exc).__name__}: {str(exc)[:200]}", False
    return Check(name, ok, detail, round((time.perf_counter() - started) * 1000, 1))


async def _store(app: App) -> str:
    await app.store.ping()
    return app.settings.store_backend


async def _blobs(app: App) -> str:
    key = f"health/{uuid.uuid4().hex}"
    await anyio.to_thread.run_sync(app.blobs.put, key, b"ok")
    try:
        assert await anyio.to_thread.run_sync(app.blobs.get, key) == b"ok"
    finally:
        await anyio.to_thread.run_sync(app.blobs.delete, key)
    return app.settings.blob_backend


async def _redis(app: App) -> str:
    if not app.settings.redis_url:
        return "in process (KEYVEX_REDIS_URL unset)"
    from redis.asyncio import Redis

    client = Redis.from_url(app.settings.redis_url, socket_timeout=PROBE_SECONDS)
    try:
        await client.ping()
    finally:
        await client.aclose()
    return "redis"


async def _queue(app: App) -> str:
    if app.settings.jobs != "queue":
        return "inline (jobs run in the web processes)"
    await _redis(app)
    return f"taskiq on Redis ({app.settings.job_queue})"


async def retry_dead_job(app: App, job_id: str) -> JobRecord:
    """Queue a given-up job again, its attempts afresh, and start it (or enqueue it)."""
    pk, sk = job_key(job_id)
    item = await app.store.get(pk, sk, consistent=True)
    if item is None:
        raise NotFound("There is no such job.")
    if item.get("GSI2PK") != DEAD:
        raise Conflict("Only failed jobs can be retried; this one is not in the dead letters.")
    now = clock.now()
    try:
        await app.store.update(
            pk, sk,
            set={"status": "queued", "attempts": 0, "next_run_at": now, "GSI2PK": DUE,
                 "GSI2SK": due_sk(now, job_id), "progress": "Retried by an administrator."},
            remove=["ttl", "lease_until"],
            condition=Condition.version_is(int(item["version"])),
        )  # fmt: skip
    except ConditionFailed:
        raise Conflict("The job changed meanwhile; reload the page.") from None
    await app.jobs.run_due()
    got = await app.store.get(pk, sk)
    assert got is not None
    return JobRecord.from_item(got)
