"""Periodic work once per cluster: two schedulers on one store, one lease, one of them works."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from keyvex.app import App, build_app
from keyvex.jobs import ClusterScheduler, Periodic
from keyvex.jobs.scheduler import LEASE_KEY
from keyvex.settings import Settings

LEASE = 1.5


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    built = build_app(Settings(env="test", data_dir=tmp_path / "data"))
    yield built
    built.close()


class Counted:
    """A scheduler whose only periodic work counts its rounds."""

    def __init__(self, app: App) -> None:
        self.rounds = 0
        self.scheduler = ClusterScheduler(
            app, [Periodic("count", 0.05, self._count)], lease_seconds=LEASE
        )

    async def _count(self, _: App) -> None:
        self.rounds += 1


async def _until(what: str, check: Callable[[], bool], timeout: float = 10) -> float:
    """Seconds until ``check()`` is true."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)
    return time.monotonic() - started


def test_two_schedulers_on_one_store_run_the_periodic_work_in_one_of_them(app: App) -> None:
    async def go() -> None:
        one, two = Counted(app), Counted(app)
        one.scheduler.start()
        two.scheduler.start()
        await asyncio.sleep(LEASE * 1.5)  # a whole lease and more: renewals included
        try:
            assert sorted([one.rounds > 0, two.rounds > 0]) == [False, True]
            assert one.scheduler.holding != two.scheduler.holding
        finally:
            await one.scheduler.stop()
            await two.scheduler.stop()

    asyncio.run(go())


def test_a_holder_that_dies_is_replaced_once_its_lease_runs_out(app: App) -> None:
    async def go() -> None:
        one, two = Counted(app), Counted(app)
        one.scheduler.start()
        await _until("the first to hold the lease", lambda: one.rounds > 0)
        two.scheduler.start()
        await asyncio.sleep(0.3)
        assert two.rounds == 0
        await one.scheduler.stop(release=False)  # as a crash: the lease is not given up
        waited = await _until("the other to take over", lambda: two.rounds > 0)
        try:
            # Not before the lease's last renewal (a third of it before the stop) ran out.
            assert LEASE * 2 / 3 - 0.1 <= waited <= LEASE + LEASE / 3 + 1
            assert two.scheduler.holding
        finally:
            await two.scheduler.stop()

    asyncio.run(go())


def test_a_holder_that_stops_cleanly_gives_the_lease_up_at_once(app: App) -> None:
    async def go() -> None:
        one, two = Counted(app), Counted(app)
        one.scheduler.start()
        await _until("the first to hold the lease", lambda: one.rounds > 0)
        two.scheduler.start()
        await asyncio.sleep(0.1)
        await one.scheduler.stop()
        assert await app.store.get(*LEASE_KEY, consistent=True) is None
        waited = await _until("the other to take over", lambda: two.scheduler.holding)
        await two.scheduler.stop()
        assert waited <= LEASE / 3 + 0.5

    asyncio.run(go())


def test_a_lease_left_by_a_process_gone_from_this_machine_is_taken_at_once(app: App) -> None:
    """A restarted single server does not wait for its own dead predecessor's lease."""
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    me = ClusterScheduler(app, [], lease_seconds=600)
    host, namespace, _, _ = me.holder.split(":")
    dead_holder = f"{host}:{namespace}:{gone.stdout.strip()}:0000"

    async def go() -> None:
        pk, sk = LEASE_KEY
        await app.store.put({"PK": pk, "SK": sk, "entity_type": "scheduler_lease",
                             "holder": dead_holder, "lease_until": time.time() + 600})  # fmt: skip
        assert await me.beat() is True
        other = ClusterScheduler(app, [], lease_seconds=600)
        assert await other.beat() is False  # a live holder (this process) keeps it
        await me.stop()

    asyncio.run(go())
