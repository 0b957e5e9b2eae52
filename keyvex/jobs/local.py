"""The in-process job runner: named jobs run as asyncio tasks, their ``JOB#`` items the truth.

``submit`` writes the job item first (queued, due now) and then starts it on this event loop,
so a job survives the request that started it and, because the item is written before any
work, also the process: a restart (or another process) finds it through the ``JOB_DUE`` index
and runs it. Claiming, leases, retries and the dead-letter list are shared with the queue
runner (:mod:`keyvex.jobs._execution`).
"""

from __future__ import annotations

import asyncio
from typing import Any

from keyvex.jobs._execution import JobExecutor, PreparedJob
from keyvex.store import Condition

__all__ = ["LocalJobRunner", "PreparedJob"]


class LocalJobRunner(JobExecutor):
    """Runs named jobs in this process; every state change is written to the store first."""

    async def submit(
        self, name: str, *, owner: str | None = None, delay: float = 0.0, **args: Any
    ) -> str:
        job = self.prepare(name, owner=owner, delay=delay, **args)
        await self.store.put(job.item, Condition.not_exists())
        self.start(job)
        return job.id

    def start(self, job: PreparedJob) -> None:
        """Run a stored job now if it is due (a later one waits for :meth:`run_due`)."""
        if job.run_at <= self.clock():
            self._start(job.id)

    def _start(self, job_id: str) -> None:
        if job_id in self._tasks:
            return
        task = asyncio.get_running_loop().create_task(self.run(job_id), name=f"job:{job_id}")
        self._tasks[job_id] = task
        task.add_done_callback(lambda _: self._tasks.pop(job_id, None))

    async def run_due(self, limit: int = 100) -> int:
        """Start every job that is due: queued ones whose time has come, and running ones
        whose lease ran out (their runner died). Called at start-up and by the scheduler."""
        started = 0
        for item in await self.due_items(limit):
            if item["job_id"] not in self._tasks:
                self._start(item["job_id"])
                started += 1
        return started

    async def aclose(self, timeout: float = 10) -> None:
        """At shutdown: let running jobs finish within ``timeout``, then hand the rest back
        (queued, due now) for the next start to run."""
        await self._cancel_running(timeout)
