"""The in-process job runner: each job is an asyncio task on the web server's event loop."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from contextvars import ContextVar

import structlog

from keyvex.jobs._protocol import Work
from keyvex.jobs.records import job_key, new_job_item
from keyvex.store import ItemStore

log = structlog.get_logger("keyvex.jobs")
_current: ContextVar[str | None] = ContextVar("keyvex_job_id", default=None)


class LocalJobRunner:
    """Runs jobs as asyncio tasks in this process and keeps their records in ``store``.

    Jobs survive the request that started them (a closed browser tab does not stop a
    build) but not the process: a restart loses queued work, which the distributed runner
    of the scaled-out mode will not. Without a store, no records are kept (CLI, tests).
    """

    def __init__(self, store: ItemStore | None = None) -> None:
        self.store = store
        self._tasks: set[asyncio.Task[None]] = set()

    def submit(self, name: str, work: Work, *, owner: str | None = None) -> str:
        job_id = secrets.token_hex(8)
        task = asyncio.get_running_loop().create_task(
            self._run(job_id, name, work, owner), name=f"job:{name}:{job_id}"
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return job_id

    async def _run(self, job_id: str, name: str, work: Work, owner: str | None) -> None:
        _current.set(job_id)
        await self._record(job_id, name, status="running", owner=owner or "")
        try:
            await work()
        except asyncio.CancelledError:
            await self._record(job_id, name, status="failed", error="Cancelled at shutdown.")
            raise
        except Exception as exc:  # a job's failure is recorded, never lost or re-raised
            log.error("job failed", job=name, job_id=job_id, exc_info=exc)
            await self._record(job_id, name, status="failed", error=str(exc)[:1000])
        else:
            await self._record(job_id, name, status="done")

    async def _record(self, job_id: str, name: str, **fields: str) -> None:
        if self.store is None:
            return
        try:
            if fields.get("status") == "running":
                owner = fields.pop("owner", "") or None
                await self.store.put({**new_job_item(job_id, name, owner), **fields})
            else:
                await self.store.update(*job_key(job_id), set=dict(fields))
        except Exception as exc:  # bookkeeping must never break the work itself
            log.warning("job record not written", job_id=job_id, error=str(exc))

    async def progress(self, message: str) -> None:
        job_id = _current.get()
        if job_id is not None and self.store is not None:
            with contextlib.suppress(Exception):
                await self.store.update(*job_key(job_id), set={"progress": message[:500]})

    @property
    def pending(self) -> int:
        return len(self._tasks)

    async def wait_idle(self, timeout: float = 30) -> None:
        async with asyncio.timeout(timeout):
            while self._tasks:
                await asyncio.wait(set(self._tasks))

    async def aclose(self, timeout: float = 10) -> None:
        """At shutdown: let running jobs finish within ``timeout``, then cancel the rest."""
        with contextlib.suppress(TimeoutError):
            await self.wait_idle(timeout)
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
