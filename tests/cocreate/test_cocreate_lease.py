"""One turn or edit per session at a time, across processes: the session's work lease."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from keyvex.app import App, build_app
from keyvex.cocreate._lease import session_work, work_key
from keyvex.errors import Unavailable
from keyvex.settings import Settings


def _apps(tmp_path: Path) -> tuple[App, App]:
    """Two processes' App objects on one store file."""
    settings = Settings(env="test", data_dir=tmp_path / "data", job_lease_seconds=3)
    return build_app(settings), build_app(settings)


def test_a_second_process_waits_for_the_first_ones_work(tmp_path: Path) -> None:
    one, two = _apps(tmp_path)
    order: list[str] = []

    async def work(app: App, name: str, hold: float) -> None:
        async with session_work(app, "s1"):
            order.append(f"{name} in")
            await asyncio.sleep(hold)
            order.append(f"{name} out")

    async def go() -> None:
        first = asyncio.create_task(work(one, "first", 0.5))
        await asyncio.sleep(0.1)
        await work(two, "second", 0)
        await first

    asyncio.run(go())
    assert order == ["first in", "first out", "second in", "second out"]
    assert asyncio.run(one.store.get(*work_key("s1"))) is None  # given back


def test_a_lease_left_by_a_dead_process_runs_out(tmp_path: Path) -> None:
    one, two = _apps(tmp_path)

    async def go() -> float:
        pk, sk = work_key("s1")
        stale = {"PK": pk, "SK": sk, "entity_type": "session_work", "holder": "dead",
                 "lease_until": time.time() + 0.5}  # fmt: skip
        await one.store.put(stale)
        started = time.monotonic()
        async with session_work(two, "s1"):
            return time.monotonic() - started

    waited = asyncio.run(go())
    assert 0.3 < waited < 3


def test_a_busy_session_is_refused_after_the_wait(tmp_path: Path) -> None:
    one, two = _apps(tmp_path)

    async def go() -> None:
        async with session_work(one, "s1"):
            with pytest.raises(Unavailable, match="busy"):
                async with session_work(two, "s1", wait_seconds=0.3):
                    pass

    asyncio.run(go())
