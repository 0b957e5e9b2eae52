"""One piece of work per co-creation session at a time, across processes: a lease item.

``SESSION#{sid}`` / ``WORK`` names who holds the session (a random holder id) and until when.
A turn or an edit takes it with a conditional write before it starts, renews it every third
of its length while it runs and gives it back at the end; another process's job for the same
session waits for it. A holder that died leaves a lease that simply runs out, so the session
is never stuck. It lives in the session's own partition, which goes with the session.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections.abc import AsyncIterator
from typing import Any

from keyvex import clock
from keyvex.app import App
from keyvex.errors import Unavailable
from keyvex.store import Condition, ConditionFailed

POLL_SECONDS = 0.2


def work_key(sid: str) -> tuple[str, str]:
    return (f"SESSION#{sid}", "WORK")


@contextlib.asynccontextmanager
async def session_work(app: App, sid: str, wait_seconds: float = 600) -> AsyncIterator[None]:
    """Hold the session's work lease for the duration of the block."""
    lease = float(app.settings.job_lease_seconds)
    holder = secrets.token_hex(8)
    await _take(app, sid, holder, lease, wait_seconds)
    renewal = asyncio.create_task(_renew(app, sid, holder, lease))
    try:
        yield
    finally:
        renewal.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await renewal
        await _give_back(app, sid, holder)


async def _take(app: App, sid: str, holder: str, lease: float, wait_seconds: float) -> None:
    deadline = time.monotonic() + wait_seconds
    while True:
        current = await app.store.get(*work_key(sid), consistent=True)
        if current is None or float(current["lease_until"]) <= clock.now():
            condition = (
                Condition.not_exists() if current is None
                else Condition.version_is(current["version"])
            )  # fmt: skip
            with contextlib.suppress(ConditionFailed):
                await app.store.put(_item(sid, holder, lease), condition)
                return
        if time.monotonic() > deadline:
            raise Unavailable("This session is busy with another change; try again shortly.")
        await asyncio.sleep(POLL_SECONDS)


def _item(sid: str, holder: str, lease: float) -> dict[str, Any]:
    pk, sk = work_key(sid)
    return {"PK": pk, "SK": sk, "entity_type": "session_work", "holder": holder,
            "lease_until": clock.now() + lease}  # fmt: skip


async def _renew(app: App, sid: str, holder: str, lease: float) -> None:
    while True:
        await asyncio.sleep(lease / 3)
        current = await app.store.get(*work_key(sid))
        if current is None or current.get("holder") != holder:
            return  # lost (the session went, or the lease ran out and was taken)
        with contextlib.suppress(ConditionFailed):
            await app.store.put(_item(sid, holder, lease), Condition.version_is(current["version"]))


async def _give_back(app: App, sid: str, holder: str) -> None:
    current = await app.store.get(*work_key(sid))
    if current is not None and current.get("holder") == holder:
        with contextlib.suppress(ConditionFailed):
            await app.store.delete(
                *work_key(sid), condition=Condition.version_is(current["version"])
            )
