"""Claim, lease, run and record one named job: what every runner (in-process, queue) shares.

A run claims the job's ``JOB#`` item with a conditional update (only one runner wins), holds
a lease it renews while working, and ends as done, as queued again for a retry after a
backoff, or as failed once its attempts are spent (the dead-letter list). A run cut off by a
crash is retried when its lease runs out; one cut off by a shutdown is handed back at once.
How a job reaches :meth:`JobExecutor.run` (an asyncio task, a queue message) is the
runner's business.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from keyvex.jobs.records import (
    DEAD,
    DEAD_TTL_SECONDS,
    DUE,
    JOB_TTL_SECONDS,
    due_sk,
    job_key,
    new_job_item,
)
from keyvex.jobs.registry import TaskRegistry, TaskSpec, UnknownTask, tasks
from keyvex.logs import get_logger
from keyvex.store import SK, Condition, ConditionFailed, ItemStore

if TYPE_CHECKING:
    from keyvex.app import App

log = get_logger("keyvex.jobs")
Clock = Callable[[], float]
_current: ContextVar[str | None] = ContextVar("keyvex_job_id", default=None)


def current_job_id() -> str | None:
    """The id of the job whose task is running in this context (None outside a job): a task
    that must not repeat its effect when delivered twice (at-least-once) records it."""
    return _current.get()


@dataclass(frozen=True, slots=True)
class PreparedJob:
    """A job's item not yet written (see :meth:`JobExecutor.prepare`)."""

    id: str
    item: dict[str, Any]
    run_at: float


class JobExecutor:
    """Runs stored jobs by id; every state change is written to the store first."""

    def __init__(
        self,
        store: ItemStore,
        registry: TaskRegistry = tasks,
        clock: Clock = time.time,
        lease_seconds: float = 60.0,
    ) -> None:
        self.store = store
        #: How long a run may go without a heartbeat (every third of it) before another
        #: runner takes the job as abandoned and runs it again.
        self.lease_seconds = lease_seconds
        self.registry = registry
        self.clock = clock
        self._app: App | None = None
        #: The runs in progress in this process, by job id.
        self._tasks: dict[str, asyncio.Task[None]] = {}

    def bind(self, app: App) -> None:
        """The App every task receives (set once the App is built)."""
        self._app = app

    def prepare(
        self, name: str, *, owner: str | None = None, delay: float = 0.0, **args: Any
    ) -> PreparedJob:
        """The job's item, to write in the same transaction as the change that causes it (an
        outbox); call ``start`` once that transaction has committed."""
        spec = self.registry.get(name)  # an unknown name is a programming error: raise now
        try:
            stored_args = json.loads(json.dumps(args))
        except (TypeError, ValueError) as exc:
            raise TypeError(f"Job {name!r} takes JSON arguments (ids, not objects).") from exc
        job_id = secrets.token_hex(8)
        run_at = self.clock() + max(0.0, delay)
        item = new_job_item(
            job_id, name, stored_args, owner=owner, run_at=run_at, max_attempts=spec.max_attempts
        )
        return PreparedJob(job_id, item, run_at)

    async def due_items(self, limit: int = 100) -> list[dict[str, Any]]:
        """Jobs due now: queued ones whose time has come, running ones whose lease ran out."""
        now = self.clock()
        page = await self.store.query(DUE, SK.le(due_sk(now, "~")), index="GSI2", limit=limit)
        return page.items

    async def run(self, job_id: str) -> None:
        """Claim the job and run it once, recording the outcome; a no-op when it is not due
        or another runner holds it. Cancelled (a shutdown), it hands the job back."""
        claimed = await self._claim(job_id)
        if claimed is None:
            return
        item, spec = claimed
        _current.set(job_id)
        heartbeat = asyncio.create_task(self._heartbeat(job_id))
        try:
            change = await self._attempt(job_id, item, spec)
        except asyncio.CancelledError:
            await _stopped(heartbeat)
            await self._finish(job_id, self._handed_back())
            await self.handed_back(job_id)
            raise
        await _stopped(heartbeat)  # before the outcome is written: no lease renewal after it
        await self._finish(job_id, change)

    async def handed_back(self, job_id: str) -> None:
        """Called once a cut-off run is queued again (the queue runner re-enqueues it)."""

    async def _attempt(self, job_id: str, item: dict[str, Any], spec: TaskSpec) -> dict[str, Any]:
        """Run the task once; the change to write to its record."""
        try:
            if self._app is None:
                raise RuntimeError("The job runner is not bound to an App.")
            await spec(self._app, dict(item.get("args") or {}))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a job's failure is recorded and retried, never lost
            log.error("job failed", job=spec.name, job_id=job_id, exc_info=exc)
            return self._after_failure(item, spec, exc)
        return self._done()

    async def _claim(self, job_id: str) -> tuple[dict[str, Any], TaskSpec] | None:
        """Take the job if it is due and nobody else holds it; None when it is not ours."""
        item = await self.store.get(*job_key(job_id), consistent=True)
        now = self.clock()
        if item is None or item.get("GSI2PK") != DUE:
            return None
        due = float(item["next_run_at"] if item["status"] == "queued" else item["lease_until"])
        if due > now:
            return None
        try:
            spec = self.registry.get(item["name"])
        except UnknownTask as exc:
            await self._finish(job_id, self._dead(str(exc)))
            return None
        attempts = int(item.get("attempts", 0))
        if item["status"] == "running" and attempts >= int(item.get("max_attempts", 1)):
            # Its last run never finished (the process stopped during it): a job that takes
            # its process down must not do so again at every start.
            reason = f"Gave up after {attempts} attempt(s): the last run did not finish."
            await self._finish(job_id, self._dead(reason), version=int(item["version"]))
            return None
        lease = now + self.lease_seconds
        fields = {"status": "running", "lease_until": lease, "GSI2SK": due_sk(lease, job_id)}
        try:
            claimed = await self.store.update(
                *job_key(job_id),
                set=fields,
                add={"attempts": 1},
                condition=Condition.version_is(item["version"]),
            )
        except ConditionFailed:
            return None  # another runner took it first
        return claimed, spec

    async def _heartbeat(self, job_id: str) -> None:
        while True:
            await asyncio.sleep(self.lease_seconds / 3)
            lease = self.clock() + self.lease_seconds
            with contextlib.suppress(Exception):
                await self.store.update(
                    *job_key(job_id),
                    set={"lease_until": lease, "GSI2SK": due_sk(lease, job_id)},
                    condition=Condition.exists(),
                )

    def _done(self) -> dict[str, Any]:
        ttl = int(self.clock()) + JOB_TTL_SECONDS
        return {"set": {"status": "done", "ttl": ttl}, "remove": ["GSI2PK", "GSI2SK"]}

    def _handed_back(self) -> dict[str, Any]:
        now = self.clock()
        return {"set": {"status": "queued", "next_run_at": now, "GSI2SK": due_sk(now, "")}}

    def _dead(self, error: str) -> dict[str, Any]:
        now = self.clock()
        fields = {"status": "failed", "error": error[:1000], "GSI2PK": DEAD,
                  "GSI2SK": due_sk(now, ""), "ttl": int(now) + DEAD_TTL_SECONDS}  # fmt: skip
        return {"set": fields}

    def _after_failure(
        self, item: dict[str, Any], spec: TaskSpec, exc: Exception
    ) -> dict[str, Any]:
        attempts = int(item.get("attempts", 1))
        error = str(exc) or type(exc).__name__
        if attempts >= int(item.get("max_attempts", spec.max_attempts)):
            return self._dead(f"Gave up after {attempts} attempt(s): {error}")
        run_at = self.clock() + spec.retry_delay(attempts)
        fields = {"status": "queued", "next_run_at": run_at, "error": error[:1000],
                  "GSI2SK": due_sk(run_at, "")}  # fmt: skip
        return {"set": fields}

    async def _finish(
        self, job_id: str, change: dict[str, Any], version: int | None = None
    ) -> None:
        fields = dict(change["set"])
        if "GSI2SK" in fields and fields["GSI2SK"].endswith("#"):
            fields["GSI2SK"] += job_id
        try:
            await self.store.update(
                *job_key(job_id),
                set=fields,
                remove=change.get("remove", ()),
                condition=Condition.exists() if version is None else Condition.version_is(version),
            )
        except ConditionFailed:
            pass  # deleted meanwhile (its account went): nothing to record
        except Exception as exc:  # bookkeeping must never break the runner; the lease rescues
            log.warning("job record not written", job_id=job_id, error=str(exc))

    async def progress(self, message: str) -> None:
        job_id = _current.get()
        if job_id is not None:
            with contextlib.suppress(Exception):
                await self.store.update(
                    *job_key(job_id), set={"progress": message[:500]}, condition=Condition.exists()
                )

    @property
    def pending(self) -> int:
        return len(self._tasks)

    async def wait_idle(self, timeout: float = 30) -> None:
        async with asyncio.timeout(timeout):
            while self._tasks:
                await asyncio.wait(set(self._tasks.values()))

    async def _cancel_running(self, timeout: float) -> None:
        """Let running jobs finish within ``timeout``, then cancel the rest (each hands its
        job back: queued, due now)."""
        with contextlib.suppress(TimeoutError):
            await self.wait_idle(timeout)
        for task in list(self._tasks.values()):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks.values(), return_exceptions=True)


async def _stopped(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
