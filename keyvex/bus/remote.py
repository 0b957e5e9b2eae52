"""The bus across processes: Redis pub/sub on one channel, with reconnection and backoff.

A publish is delivered in this process at once (as with the in-process bus) and queued for
one sender task per event loop, which sends queued messages in order (pipelined) and retries
with backoff while Redis is away, so a request never waits on Redis. A listener task
started by ``start()`` (the web app's lifespan) receives the other processes' messages; its
own come back too and are skipped by origin. Whenever the listener (re)subscribes, it
delivers ``Reset`` here: messages sent while it was away are lost, so shared caches are
cleared and streams re-read their logs; nothing stale survives a lost connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

import redis.asyncio as aioredis
from pydantic import ValidationError
from redis.exceptions import RedisError

from keyvex.bus.local import Bus, log
from keyvex.bus.messages import REMOTE, Message, Reset

CLIENT_OPTIONS: dict[str, Any] = {
    "socket_connect_timeout": 3,
    "socket_keepalive": True,
    "health_check_interval": 10,  # a silent, half-open pub/sub connection is found by a PING
}
RETRY_FIRST_SECONDS = 0.1
RETRY_MAX_SECONDS = 5.0
OUTBOX_MAX = 10_000


class RedisBus(Bus):
    """Every process sharing ``url`` and ``prefix`` gets every message."""

    mode = "redis"

    def __init__(self, url: str, prefix: str) -> None:
        super().__init__()
        self.url = url
        self.channel = f"{prefix}:bus"
        self.origin = secrets.token_hex(8)
        self.client_name = f"keyvex-bus-{self.origin}"
        self.resets = 0  # (re)subscriptions so far: 1 after a clean start
        self._loop: asyncio.AbstractEventLoop | None = None
        self._outbox: asyncio.Queue[str] | None = None
        self._sender: asyncio.Task[None] | None = None
        self._listener: asyncio.Task[None] | None = None
        self._subscribed: asyncio.Event | None = None
        self._delay = RETRY_FIRST_SECONDS
        self._warned = False

    def _client(self) -> aioredis.Redis:
        return aioredis.Redis.from_url(self.url, client_name=self.client_name, **CLIENT_OPTIONS)

    def publish(self, message: Message) -> None:
        super().publish(message)
        if isinstance(message, Reset):
            return
        outbox = self._outbox_here()
        if outbox is None:  # no event loop: no one to send it (the cache time still bounds)
            log.debug("bus message not sent outside an event loop", kind=message.kind)
            return
        payload = json.dumps({"o": self.origin, "m": message.model_dump()})
        try:
            outbox.put_nowait(payload)
        except asyncio.QueueFull:
            log.warning("bus outbox full; message dropped", kind=message.kind)

    def _outbox_here(self) -> asyncio.Queue[str] | None:
        """This loop's outbox, with its sender task started on first use."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return None
        sender = self._sender
        if self._loop is not loop or self._outbox is None or sender is None or sender.done():
            self._loop = loop
            self._outbox = asyncio.Queue(OUTBOX_MAX)
            self._sender = loop.create_task(self._send_forever(self._outbox))
        return self._outbox

    async def _send_forever(self, outbox: asyncio.Queue[str]) -> None:
        """Send batches in order; ends only when cancelled (``aclose`` or the loop's end)."""
        client = self._client()
        try:
            while True:
                batch = [await outbox.get()]
                while not outbox.empty():
                    batch.append(outbox.get_nowait())
                await self._send(client, batch)
                for _ in batch:
                    outbox.task_done()
        finally:
            await client.aclose()

    async def _send(self, client: aioredis.Redis, batch: list[str]) -> None:
        delay = RETRY_FIRST_SECONDS
        while True:
            try:
                async with client.pipeline(transaction=False) as pipe:
                    for payload in batch:
                        pipe.publish(self.channel, payload)
                    await pipe.execute()
                return
            except (RedisError, OSError) as exc:
                log.warning("bus messages not sent yet", count=len(batch), error=str(exc))
                await asyncio.sleep(delay)
                delay = min(delay * 2, RETRY_MAX_SECONDS)

    async def start(self) -> None:
        """Start listening; waits (up to 3 s) for the subscription, so messages published
        by other processes from now on arrive."""
        self._subscribed = asyncio.Event()
        self._listener = asyncio.get_running_loop().create_task(self._listen_forever())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._subscribed.wait(), 3)

    @property
    def listening(self) -> bool:
        return self._subscribed is not None and self._subscribed.is_set()

    async def _listen_forever(self) -> None:
        while True:
            try:
                await self._listen_once()
            except (RedisError, OSError) as exc:
                if not self._warned:  # once per outage, not once per retry
                    log.warning("bus connection lost; reconnecting", error=str(exc))
                    self._warned = True
                if self._subscribed is not None:
                    self._subscribed.clear()
                self.deliver(Reset())  # drop now what a missed message might have dropped
            await asyncio.sleep(self._delay * (1 + random.random() / 2))
            self._delay = min(self._delay * 2, RETRY_MAX_SECONDS)

    async def _listen_once(self) -> None:
        client = self._client()
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.subscribe(self.channel)
            self.resets += 1
            self.deliver(Reset())  # what was sent before this point was missed
            self._delay = RETRY_FIRST_SECONDS
            self._warned = False
            assert self._subscribed is not None
            self._subscribed.set()
            while True:
                found = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                if found is not None and found.get("type") == "message":
                    self._receive(found["data"])
        finally:
            with contextlib.suppress(RedisError, OSError):
                # redis-py types aclose from 8.x only: a typed name keeps mypy quiet on both
                close: Callable[[], Awaitable[None]] = pubsub.aclose
                await close()
            with contextlib.suppress(RedisError, OSError):
                await client.aclose()

    def _receive(self, data: bytes | str) -> None:
        try:
            envelope = json.loads(data)
            if envelope.get("o") == self.origin:
                return  # delivered here when it was published
            message = REMOTE.validate_python(envelope["m"])
        except (ValueError, KeyError, TypeError, AttributeError, ValidationError) as exc:
            log.warning("bus message ignored", error=str(exc)[:200])
            return
        self.deliver(message)

    async def flush(self, timeout: float = 5.0) -> bool:
        outbox = self._outbox
        if outbox is None or self._loop is not asyncio.get_running_loop():
            return True
        try:
            await asyncio.wait_for(outbox.join(), timeout)
        except TimeoutError:
            return False
        return True

    async def aclose(self) -> None:
        """Send what is queued (up to 2 s), then stop both tasks and close connections."""
        await self.flush(2.0)
        loop = asyncio.get_running_loop()
        for task in (self._listener, self._sender):
            if task is not None and task.get_loop() is loop:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._listener = self._sender = self._outbox = self._loop = None
