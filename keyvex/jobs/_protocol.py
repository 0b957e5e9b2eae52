"""The JobRunner protocol every runner (in-process, the Redis queue) implements."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from keyvex.app import App
    from keyvex.jobs._execution import PreparedJob


@runtime_checkable
class JobRunner(Protocol):
    """Runs named jobs (see ``keyvex.jobs.registry``); ``submit`` returns the job id once the
    job's record is stored, so the job outlives the caller and the process."""

    def bind(self, app: App) -> None:
        """The App every task receives."""
        ...

    async def submit(
        self, name: str, *, owner: str | None = None, delay: float = 0.0, **args: Any
    ) -> str:
        """Store a job running task ``name`` with JSON ``args``, due after ``delay`` seconds.
        ``owner`` (a user id) files the record under ``USER#{owner}#JOBS`` so that deleting
        the account finds it."""
        ...

    def prepare(
        self, name: str, *, owner: str | None = None, delay: float = 0.0, **args: Any
    ) -> PreparedJob:
        """The job's item, to be written in the caller's own transaction (an outbox)."""
        ...

    def start(self, job: PreparedJob) -> None:
        """Run a prepared job once its transaction has committed."""
        ...

    async def run_due(self, limit: int = 100) -> int:
        """Start the jobs that are due (queued ones, and running ones whose runner died)."""
        ...

    async def progress(self, message: str) -> None:
        """Record progress of the job this is called from (a no-op outside a job)."""
        ...

    async def wait_idle(self, timeout: float = 30) -> None:
        """Wait until no job runs in this process (tests, shutdown); TimeoutError past it."""
        ...

    async def aclose(self, timeout: float = 10) -> None:
        """At shutdown: let running jobs finish within ``timeout``, then hand the rest back."""
        ...
