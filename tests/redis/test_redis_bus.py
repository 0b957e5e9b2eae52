"""The bus across processes: delivery, own messages, bad messages, and a lost connection."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable

import redis.asyncio as aioredis

from keyvex.bus import Appended, Bus, Invalidate, Reset
from keyvex.bus.remote import RedisBus
from keyvex.caches import Caches, CacheSpec

SHARED: CacheSpec[str, int] = CacheSpec("shared test cache", max_entries=8, shared=True)
PRIVATE: CacheSpec[str, int] = CacheSpec("private test cache", max_entries=8)


async def _until(check: Callable[[], bool], timeout: float = 3.0) -> float:
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < timeout, "not delivered in time"
        await asyncio.sleep(0.005)
    return time.monotonic() - started


def test_the_in_process_bus_delivers_at_once() -> None:
    bus, seen = Bus(), []
    bus.subscribe(Appended, seen.append)
    bus.publish(Appended(sid="s1", seq=3))
    bus.publish(Invalidate(cache="x", key="y"))  # nobody listens: nothing happens
    assert seen == [Appended(sid="s1", seq=3)]


def test_a_message_reaches_the_other_process_once_and_not_its_sender_twice(
    redis_url: str, prefix: str
) -> None:
    async def go() -> float:
        a, b = RedisBus(redis_url, prefix), RedisBus(redis_url, prefix)
        on_a: list[Appended] = []
        on_b: list[Appended] = []
        a.subscribe(Appended, on_a.append)
        b.subscribe(Appended, on_b.append)
        await a.start()
        await b.start()
        try:
            sent = time.monotonic()
            a.publish(Appended(sid="s1", seq=1))
            await _until(lambda: len(on_b) == 1)
            took = time.monotonic() - sent
            await asyncio.sleep(0.1)  # A's own copy comes back from Redis and is skipped
            assert on_a == on_b == [Appended(sid="s1", seq=1)]
            return took
        finally:
            await a.aclose()
            await b.aclose()

    assert asyncio.run(go()) < 0.5


def test_shared_caches_drop_entries_everywhere_and_private_ones_are_untouched(
    redis_url: str, prefix: str
) -> None:
    async def go() -> None:
        a, b = RedisBus(redis_url, prefix), RedisBus(redis_url, prefix)
        caches = Caches()
        b.subscribe(Invalidate, lambda m: caches.drop(m.cache, m.key))
        caches(SHARED).update({"k": 1, "other": 2})
        caches(PRIVATE)["k"] = 3
        await b.start()
        try:
            a.publish(Invalidate.of(SHARED, "k"))
            a.publish(Invalidate(cache=PRIVATE.name, key="k"))
            await _until(lambda: "k" not in caches(SHARED))
            await a.flush()
            await asyncio.sleep(0.05)
            assert dict(caches(SHARED)) == {"other": 2}
            assert dict(caches(PRIVATE)) == {"k": 3}
        finally:
            await a.aclose()
            await b.aclose()

    asyncio.run(go())


def test_a_malformed_message_is_ignored(redis_url: str, prefix: str) -> None:
    async def go() -> None:
        bus, seen = RedisBus(redis_url, prefix), []
        bus.subscribe(Appended, seen.append)
        await bus.start()
        async with aioredis.Redis.from_url(redis_url) as raw:
            await raw.publish(bus.channel, b"not json")
            await raw.publish(bus.channel, json.dumps({"o": "x", "m": {"kind": "reset"}}))
            await raw.publish(bus.channel, json.dumps({"o": "x", "m": {"kind": "appended"}}))
            good = {"o": "x", "m": {"kind": "appended", "sid": "s", "seq": 2}}
            await raw.publish(bus.channel, json.dumps(good))
        try:
            await _until(lambda: len(seen) == 1)
            assert seen == [Appended(sid="s", seq=2)]
        finally:
            await bus.aclose()

    asyncio.run(go())


def test_a_lost_connection_clears_shared_caches_and_the_bus_comes_back(
    redis_url: str, prefix: str
) -> None:
    async def go() -> None:
        a, b = RedisBus(redis_url, prefix), RedisBus(redis_url, prefix)
        caches, resets, seen = Caches(), [], []
        b.subscribe(Reset, lambda m: (resets.append(m), caches.clear_shared()))
        b.subscribe(Appended, seen.append)
        await b.start()
        assert b.listening and len(resets) == 1
        caches(SHARED)["stale"] = 1
        async with aioredis.Redis.from_url(redis_url) as admin:
            clients = await admin.client_list()
            ids = [c["id"] for c in clients if c.get("name") == b.client_name]
            assert ids, "the bus names its connections"
            for client_id in ids:  # only this bus's connections: other tests share the Redis
                await admin.execute_command("CLIENT", "KILL", "ID", client_id)
        try:
            await _until(lambda: len(resets) >= 2 and b.listening)
            assert "stale" not in caches(SHARED)
            a.publish(Appended(sid="s", seq=9))
            await _until(lambda: seen == [Appended(sid="s", seq=9)])
        finally:
            await a.aclose()
            await b.aclose()

    asyncio.run(go())


def test_a_process_that_never_listens_still_sends(redis_url: str, prefix: str) -> None:
    """A ``keyvex worker`` or a CLI command publishes without starting the listener."""

    async def go() -> None:
        worker, web, seen = RedisBus(redis_url, prefix), RedisBus(redis_url, prefix), []
        web.subscribe(Appended, seen.append)
        await web.start()
        try:
            worker.publish(Appended(sid="s", seq=1))
            worker.publish(Appended(sid="s", seq=2))
            assert await worker.flush()
            await _until(lambda: [m.seq for m in seen] == [1, 2])
        finally:
            await worker.aclose()
            await web.aclose()

    asyncio.run(go())


def test_a_redis_that_is_away_never_fails_a_publisher(prefix: str) -> None:
    """Start, publish and close all return while nobody answers (the process keeps serving;
    its caches still expire after KEYVEX_PUBLISH_CACHE_SECONDS)."""

    async def go() -> float:
        bus, seen = RedisBus("redis://127.0.0.1:1/0", prefix), []
        bus.subscribe(Invalidate, seen.append)
        started = time.monotonic()
        await bus.start()
        assert not bus.listening
        bus.publish(Invalidate(cache="c", key="k"))
        assert seen == [Invalidate(cache="c", key="k")]  # delivered here all the same
        assert not await bus.flush(timeout=0.2)
        await bus.aclose()
        return time.monotonic() - started

    assert asyncio.run(go()) < 8
