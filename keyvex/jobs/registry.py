"""Named jobs: task functions registered by name, called with the App and JSON arguments.

A domain declares its deferred work next to the code it runs::

    @task("email.lead", max_attempts=8)
    async def email_lead(app: App, tool_id: str, lead_id: str) -> None: ...

and submits it with ids, never objects (``await app.jobs.submit("email.lead", tool_id=...,
lead_id=...)``), so that the job can run in another process or after a restart: the ``JOB#``
item holds the name and the arguments, and the task loads what it needs by id. Tasks must be
safe to run more than once (delivery is at least once).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from keyvex.app import App

TaskFn = Callable[..., Awaitable[None]]


class UnknownTask(LookupError):
    """No task of that name is registered in this process."""


@dataclass(frozen=True, slots=True)
class TaskSpec:
    """A registered task and how it is retried."""

    name: str
    fn: TaskFn
    #: Runs in all before the job is given up (it then lands in the dead-letter list).
    max_attempts: int = 5
    #: The first retry waits this long; each later one twice as long as the one before.
    backoff_seconds: float = 30.0

    def retry_delay(self, attempts: int) -> float:
        return float(self.backoff_seconds * 2 ** max(0, attempts - 1))

    async def __call__(self, app: App, args: dict[str, Any]) -> None:
        await self.fn(app, **args)


class TaskRegistry:
    """Every task this process can run, by name."""

    def __init__(self) -> None:
        self._tasks: dict[str, TaskSpec] = {}

    def register(
        self,
        name: str,
        *,
        max_attempts: int = 5,
        backoff_seconds: float = 30.0,
    ) -> Callable[[TaskFn], TaskFn]:
        def decorate(fn: TaskFn) -> TaskFn:
            known = self._tasks.get(name)
            if known is not None and known.fn is not fn:
                raise ValueError(f"Two tasks are named {name!r}.")
            self._tasks[name] = TaskSpec(name, fn, max_attempts, backoff_seconds)
            return fn

        return decorate

    def get(self, name: str) -> TaskSpec:
        try:
            return self._tasks[name]
        except KeyError:
            raise UnknownTask(f"No task named {name!r} is registered in this process.") from None

    def names(self) -> list[str]:
        return sorted(self._tasks)


#: The process-wide registry the ``task`` decorator fills at import time.
tasks = TaskRegistry()
task = tasks.register
