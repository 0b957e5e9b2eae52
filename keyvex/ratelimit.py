"""Rate limits on top of the `limits` library (in memory by default, Redis when scaled out)."""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from keyvex.errors import RateLimited


class RateLimiter:
    """Named rules ("5/minute;20/hour") checked against keys such as an IP or an account."""

    def __init__(self, storage_uri: str = "memory://") -> None:
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self._parsed: dict[str, list[RateLimitItem]] = {}

    def _items(self, rule: str) -> list[RateLimitItem]:
        items = self._parsed.get(rule)
        if items is None:
            items = parse_many(rule)
            self._parsed[rule] = items
        return items

    def allowed(self, rule: str, *key: str) -> bool:
        """True when one more hit would stay within every limit of ``rule``."""
        return all(self._limiter.test(item, *key) for item in self._items(rule))

    def hit(self, rule: str, *key: str) -> bool:
        """Count one hit; False when a limit was already reached."""
        # Every window must count the hit, so no short-circuiting all() over a generator.
        results = [self._limiter.hit(item, *key) for item in self._items(rule)]
        return all(results)

    def retry_after(self, rule: str, *key: str) -> int:
        """Seconds until ``rule`` would allow another hit for ``key``."""
        waits = [0.0]
        for item in self._items(rule):
            stats = self._limiter.get_window_stats(item, *key)
            if stats.remaining <= 0:
                waits.append(stats.reset_time - time.time())
        return max(1, math.ceil(max(waits)))

    def check(self, rule: str, *key: str, message: str) -> None:
        """Count a hit and raise RateLimited (with Retry-After) when over the limit."""
        if not self.hit(rule, *key):
            raise RateLimited(message, retry_after=self.retry_after(rule, *key))

    def clear(self, rule: str, *key: str) -> None:
        for item in self._items(rule):
            self._limiter.clear(item, *key)
