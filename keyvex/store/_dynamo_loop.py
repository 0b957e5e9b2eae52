"""The DynamoDB client's own event loop: one thread, every request of the process on it.

An aiobotocore client (its aiohttp connection pool) belongs to the event loop it was opened
on and must be closed on that loop before the loop ends. The app's loop is not a safe home:
tests and the command line run several ``asyncio.run`` loops against one store, and
``ItemStore.close`` is synchronous. So the client lives on a loop of its own: callers on any
loop await ``call``; requests are multiplexed on that one loop (never a thread per call), and
``close`` can shut the client down cleanly from anywhere.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class ClientLoop:
    """Runs ``open_client`` on a private loop thread and hands out the client's calls."""

    def __init__(self, open_client: Callable[[], Any], name: str) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name=name, daemon=True)
        self._thread.start()
        self._context = open_client()
        try:
            self.client: Any = self.run(self._context.__aenter__())
        except BaseException:
            self._stop()
            raise
        self._closed = False

    def run(self, coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        """Run ``coro`` on the client's loop from a thread that is not that loop's."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    async def call(self, make: Callable[[], Awaitable[T]]) -> T:
        """Await ``make()`` on the client's loop, from whichever loop the caller is on."""
        if asyncio.get_running_loop() is self.loop:
            return await make()

        async def on_client_loop() -> T:
            return await make()

        return await asyncio.wrap_future(
            asyncio.run_coroutine_threadsafe(on_client_loop(), self.loop)
        )

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self.run(self._context.__aexit__(None, None, None), timeout=30)
        finally:
            self._stop()

    def _stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=30)
        self.loop.close()
