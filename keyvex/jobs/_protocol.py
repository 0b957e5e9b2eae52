"""The JobRunner protocol every runner (in-process now, distributed later) implements."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, runtime_checkable

Work = Callable[[], Awaitable[None]]


@runtime_checkable
class JobRunner(Protocol):
    """Runs work in the background; ``submit`` returns at once with the job id."""

    def submit(self, name: str, work: Work, *, owner: str | None = None) -> str:
        """Queue ``work`` under a descriptive ``name``; never blocks the caller. ``owner``
        (a user id) files the job record under ``USER#{owner}#JOBS`` so that deleting the
        account finds it."""
        ...

    async def progress(self, message: str) -> None:
        """Record progress of the job this is called from (a no-op outside a job)."""
        ...

    async def wait_idle(self, timeout: float = 30) -> None:
        """Wait until no job is queued or running (tests, shutdown); TimeoutError past it."""
        ...

    async def aclose(self, timeout: float = 10) -> None:
        """At shutdown: let running jobs finish within ``timeout``, then cancel the rest."""
        ...
