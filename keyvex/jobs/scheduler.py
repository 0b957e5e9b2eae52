"""Periodic work once per cluster: the process holding the scheduler lease runs it, others wait.

Every ``keyvex serve`` and ``keyvex worker`` process runs a :class:`ClusterScheduler`. They
compete for one lease item, ``SCHEDULER`` / ``LEASE`` (``holder``, ``lease_until``), taken
and renewed with conditional writes on its version, so at most one process holds it at a
time. The holder runs the periodic rounds (the due-job sweep, webhook retries, digests, data
syncs, the TTL sweep) and renews the lease every third of its length; the others look every
third of it and take over once it has gone unrenewed for the whole lease (its holder died or
hangs). A holder that stops cleanly gives the lease up at once. A holder on the same machine
whose process is gone is taken over at once too (a restarted single server does not wait).

Each round is also safe to run twice (every piece of due work is claimed with a conditional
update of its own item), so a holder that loses its lease mid-round does no harm; the lease
is about not doing the same work N times, not about correctness.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from keyvex.logs import get_logger
from keyvex.store import Condition, ConditionFailed

if TYPE_CHECKING:
    from keyvex.app import App

log = get_logger("keyvex.scheduler")
LEASE_KEY = ("SCHEDULER", "LEASE")
Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class Periodic:
    """One kind of periodic work: ``work(app)`` every ``every`` seconds (first after one
    interval), failures logged and retried next round."""

    name: str
    every: float
    work: Callable[[App], Awaitable[object]]


def _this_process() -> str:
    """host:pid-namespace:pid:random; the middle parts let a holder on this machine be
    recognised as gone, the random part tells two holders with one pid apart."""
    try:
        namespace = str(os.stat("/proc/self/ns/pid").st_ino)
    except OSError:
        namespace = "-"
    return f"{socket.gethostname()}:{namespace}:{os.getpid()}:{secrets.token_hex(4)}"


def _gone(holder: str) -> bool:
    """Whether ``holder`` was a process on this machine (same host and pid namespace) that
    no longer exists. Anything else is presumed alive until its lease runs out."""
    host, namespace, pid, _ = (holder.split(":") + ["", "", "", ""])[:4]
    mine = _this_process().split(":")
    if [host, namespace] != mine[:2] or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # it exists (perhaps another user's): not ours to judge
    return False


class ClusterScheduler:
    """Holds or waits for the cluster's scheduler lease and runs ``periodic`` while holding."""

    def __init__(
        self,
        app: App,
        periodic: list[Periodic],
        *,
        lease_seconds: float = 30.0,
        clock: Clock = time.time,
    ) -> None:
        self.app = app
        self.periodic = periodic
        self.lease_seconds = lease_seconds
        self.clock = clock
        self.holder = _this_process()
        self._version: int | None = None  # of the lease item, while we hold it
        self._held_until = 0.0
        self._rounds: list[asyncio.Task[None]] = []
        self._loop: asyncio.Task[None] | None = None

    @property
    def holding(self) -> bool:
        return self._version is not None and self.clock() < self._held_until

    def start(self) -> None:
        """Start competing for the lease on this event loop."""
        self._loop = asyncio.get_running_loop().create_task(self._run(), name="scheduler")

    async def stop(self, release: bool = True) -> None:
        """Stop the periodic work; give the lease up at once unless ``release`` is False
        (as a crash would: the others then wait for it to run out)."""
        if self._loop is not None:
            self._loop.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop
            self._loop = None
        await self._stop_rounds()
        if release and self._version is not None:
            with contextlib.suppress(Exception):
                await self.app.store.delete(*LEASE_KEY, Condition.version_is(self._version))
        self._version = None

    async def _run(self) -> None:
        while True:
            try:
                await self.beat()
            except Exception as exc:  # the store is unreachable: keep the lease we know of
                log.warning("scheduler lease check failed", error=str(exc))
            if not self.holding:
                await self._stop_rounds()
            await asyncio.sleep(self.lease_seconds / 3)

    async def beat(self) -> bool:
        """Take or renew the lease if we may; start the periodic rounds when we hold it.
        Returns whether this process holds the lease now."""
        if await self._acquire():
            if not self._rounds:
                log.info("scheduler lease taken: this process runs the periodic work")
                self._rounds = [
                    asyncio.create_task(self._round(p), name=f"periodic:{p.name}")
                    for p in self.periodic
                ]
            return True
        if self._version is not None:
            log.info("scheduler lease lost to another process")
        self._version = None
        return False

    async def _acquire(self) -> bool:
        store = self.app.store
        item = await store.get(*LEASE_KEY, consistent=True)
        now = self.clock()
        lease = now + self.lease_seconds
        if item is None:
            fields = _lease_item(self.holder, lease)
            condition = Condition.not_exists()
            try:
                stored = await store.put(fields, condition)
            except ConditionFailed:
                return False
            return self._held(stored, lease)
        ours = item.get("holder") == self.holder
        free = float(item.get("lease_until", 0)) <= now or _gone(str(item.get("holder", "")))
        if not (ours or free):
            return False
        try:
            stored = await store.update(
                *LEASE_KEY,
                set={"holder": self.holder, "lease_until": lease},
                condition=Condition.version_is(int(item["version"])),
            )
        except ConditionFailed:
            return False
        return self._held(stored, lease)

    def _held(self, stored: dict[str, Any], lease: float) -> bool:
        self._version = int(stored["version"])
        self._held_until = lease
        return True

    async def _round(self, periodic: Periodic) -> None:
        while True:
            await asyncio.sleep(periodic.every)
            if not self.holding:
                continue
            try:
                await periodic.work(self.app)
            except Exception as exc:  # retried next round, never fatal
                log.warning(f"{periodic.name} round failed", error=str(exc))

    async def _stop_rounds(self) -> None:
        rounds, self._rounds = self._rounds, []
        for task in rounds:
            task.cancel()
        for task in rounds:
            with contextlib.suppress(asyncio.CancelledError):
                await task


def _lease_item(holder: str, lease_until: float) -> dict[str, Any]:
    pk, sk = LEASE_KEY
    return {"PK": pk, "SK": sk, "entity_type": "scheduler_lease", "holder": holder,
            "lease_until": lease_until}  # fmt: skip
