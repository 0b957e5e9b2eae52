"""Each owner's endpoints are cached for the events that need them; every change is seen."""

from __future__ import annotations

import asyncio
from typing import Any

from keyvex.accounts import sign_up
from keyvex.app import build_app
from keyvex.bus import Invalidate
from keyvex.settings import Settings
from keyvex.store import SK
from keyvex.webhooks import create_endpoint, delete_endpoint, emit, enable_endpoint
from keyvex.webhooks.service import ENDPOINTS
from tests.webhooks.conftest import run_in_app


def test_an_endpoint_added_after_an_event_gets_the_next_one(client: Any, receiver: Any) -> None:
    receiver.fail_first = 0

    async def go(app: Any) -> list[int]:
        user = await sign_up(app, "ada@example.com", "correct horse battery")
        first = await emit(app, user.id, "lead.created", {"n": 1})  # caches "no endpoints"
        endpoint, _ = await create_endpoint(app, user, receiver.url, ["lead.created"])
        second = await emit(app, user.id, "lead.created", {"n": 2})
        await app.jobs.wait_idle()
        await delete_endpoint(app, user, endpoint.id)
        third = await emit(app, user.id, "lead.created", {"n": 3})
        return [first, second, third]

    assert run_in_app(client, go) == [0, 1, 0]
    assert len(receiver.requests) == 1


def test_a_disabled_endpoint_gets_nothing_until_it_is_enabled(client: Any, receiver: Any) -> None:
    receiver.fail_first = 0

    async def go(app: Any) -> list[int]:
        user = await sign_up(app, "ada@example.com", "correct horse battery")
        endpoint, _ = await create_endpoint(app, user, receiver.url, ["lead.created"])
        counts = [await emit(app, user.id, "lead.created", {})]
        # Disabled the way failing deliveries disable it (an update of the stored item).
        pk, sk = f"USER#{user.id}", f"WEBHOOK#{endpoint.id}"
        await app.store.update(pk, sk, set={"status": "disabled"})
        app.bus.publish(Invalidate.of(ENDPOINTS, user.id))
        counts.append(await emit(app, user.id, "lead.created", {}))
        await enable_endpoint(app, user, endpoint.id)
        counts.append(await emit(app, user.id, "lead.created", {}))
        return counts

    assert run_in_app(client, go) == [1, 0, 1]


def test_another_process_sees_a_new_endpoint_when_its_cache_time_is_up(
    tmp_path: Any, receiver: Any
) -> None:
    """Without Redis, a second process learns of another's change by re-reading the store."""
    receiver.fail_first = 0
    settings = Settings(
        env="test",
        data_dir=tmp_path / "data",
        outbound_allow_loopback=True,
        publish_cache_seconds=0.2,
    )

    async def go() -> list[int]:
        a, b = build_app(settings), build_app(settings)
        try:
            user = await sign_up(a, "ada@example.com", "correct horse battery")
            counts = [await emit(b, user.id, "lead.created", {})]
            await create_endpoint(a, user, receiver.url, ["lead.created"])
            await asyncio.sleep(0.3)
            counts.append(await emit(b, user.id, "lead.created", {}))
            await b.jobs.wait_idle()
            stored = [i async for i in b.store.query_all(f"USER#{user.id}", SK.begins_with("W"))]
            counts.append(len(stored))
            return counts
        finally:
            a.close()
            b.close()

    assert asyncio.run(go()) == [0, 1, 1]
