"""Rate limits on top of the `limits` library's async API (in memory by default, Redis when
scaled out), so that a check never blocks the event loop on a network round trip.

Storage URIs are the library's: ``memory://`` (one process) or ``redis://host:6379`` (shared
by every process); the async flavour (``async+...``) is chosen here.
"""

from __future__ import annotations

import math

from limits import RateLimitItem, parse_many
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.storage import storage_from_string

from keyvex import clock
from keyvex.errors import RateLimited


def async_uri(uri: str) -> str:
    """The async flavour of a ``limits`` storage URI."""
    return uri if uri.startswith("async+") else f"async+{uri}"


class RateLimiter:
    """Named rules ("5/minute;20/hour") checked against keys such as an IP or an account."""

    def __init__(self, storage_uri: str = "memory://") -> None:
        storage = storage_from_string(async_uri(storage_uri))
        # The sliding-window counter keeps two counters per key and window, not one entry per
        # hit (the moving window copies and searches a list of every hit, on a thread, in
        # memory storage): O(1) per check, and the same on Redis. It weighs the previous
        # window by how much of it still overlaps, a close approximation of a true moving window.
        self._limiter = SlidingWindowCounterRateLimiter(storage)
        self._parsed: dict[str, list[RateLimitItem]] = {}

    def _items(self, rule: str) -> list[RateLimitItem]:
        items = self._parsed.get(rule)
        if items is None:
            items = parse_many(rule)
            self._parsed[rule] = items
        return items

    async def allowed(self, rule: str, *key: str) -> bool:
        """True when one more hit would stay within every limit of ``rule``."""
        for item in self._items(rule):
            if not await self._limiter.test(item, *key):
                return False
        return True

    async def hit(self, rule: str, *key: str) -> bool:
        """Count one hit; False when a limit was already reached."""
        # Every window must count the hit, so no stopping at the first full one.
        results = [await self._limiter.hit(item, *key) for item in self._items(rule)]
        return all(results)

    async def retry_after(self, rule: str, *key: str) -> int:
        """Seconds until ``rule`` would allow another hit for ``key``."""
        waits = [0.0]
        for item in self._items(rule):
            stats = await self._limiter.get_window_stats(item, *key)
            if stats.remaining <= 0:
                waits.append(stats.reset_time - clock.now())
        return max(1, math.ceil(max(waits)))

    async def check(self, rule: str, *key: str, message: str) -> None:
        """Count a hit and raise RateLimited (with Retry-After) when over the limit."""
        if not await self.hit(rule, *key):
            raise RateLimited(message, retry_after=await self.retry_after(rule, *key))

    async def clear(self, rule: str, *key: str) -> None:
        for item in self._items(rule):
            await self._limiter.clear(item, *key)
