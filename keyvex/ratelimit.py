"""Rate limits on top of the `limits` library's async API (in memory by default, Redis when
scaled out), so that a check never blocks the event loop on a network round trip.

Storage URIs are the library's: ``memory://`` (one process) or ``redis://host:6379`` (shared
by every process); the async flavour (``async+...``) is chosen here. Redis is reached
through the ``redis`` package's asyncio client (limits' ``redispy`` implementation, the one
client Keyvex depends on), on a connection pool this limiter owns and closes.
``KEYVEX_RATE_LIMIT_STORAGE`` left empty means ``KEYVEX_REDIS_URL`` when that is set.
"""

from __future__ import annotations

import math
from typing import Any

from limits import RateLimitItem, parse_many
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.errors import ConfigurationError, StorageError
from limits.storage import storage_from_string

from keyvex import clock
from keyvex.bus import redacted
from keyvex.errors import ConfigError, RateLimited, Unavailable
from keyvex.settings import Settings

_REDIS_SCHEMES = ("async+redis://", "async+rediss://", "async+redis+unix://")
_DOWN = "Rate limits cannot be checked right now; try again in a moment."


def async_uri(uri: str) -> str:
    """The async flavour of a ``limits`` storage URI."""
    return uri if uri.startswith("async+") else f"async+{uri}"


def storage_uri(settings: Settings) -> tuple[str, str]:
    """The storage URI rate limits use and the setting it comes from."""
    if settings.rate_limit_storage:
        return settings.rate_limit_storage, "KEYVEX_RATE_LIMIT_STORAGE"
    if settings.redis_url:
        return settings.redis_url, "KEYVEX_REDIS_URL"
    return "memory://", "KEYVEX_RATE_LIMIT_STORAGE"


def limiter_for(settings: Settings) -> RateLimiter:
    """The limiter the settings ask for (its Redis is reached on first use; ``keyvex serve``
    checks it at start: ``keyvex.bus.check_redis_settings``)."""
    uri, setting = storage_uri(settings)
    return RateLimiter(uri, key_prefix=f"{settings.redis_prefix}:limits", setting=setting)


class RateLimiter:
    """Named rules ("5/minute;20/hour") checked against keys such as an IP or an account."""

    def __init__(
        self,
        storage_uri: str = "memory://",
        *,
        key_prefix: str = "keyvex:limits",
        setting: str = "KEYVEX_RATE_LIMIT_STORAGE",
    ) -> None:
        uri = async_uri(storage_uri)
        options: dict[str, Any] = {}
        self._pool: Any = None
        if uri.startswith(_REDIS_SCHEMES):
            self._pool = _redis_pool(uri, storage_uri, setting)
            options = {
                "implementation": "redispy",
                "key_prefix": key_prefix,
                "connection_pool": self._pool,
            }
        try:
            storage = storage_from_string(uri, wrap_exceptions=True, **options)
        except ConfigurationError as exc:
            raise ConfigError(f"{setting}={redacted(storage_uri)}: {exc}") from None
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
        try:
            for item in self._items(rule):
                if not await self._limiter.test(item, *key):
                    return False
        except StorageError:
            raise Unavailable(_DOWN) from None
        return True

    async def hit(self, rule: str, *key: str) -> bool:
        """Count one hit; False when a limit was already reached."""
        # Every window must count the hit, so no stopping at the first full one.
        try:
            results = [await self._limiter.hit(item, *key) for item in self._items(rule)]
        except StorageError:
            raise Unavailable(_DOWN) from None
        return all(results)

    async def retry_after(self, rule: str, *key: str) -> int:
        """Seconds until ``rule`` would allow another hit for ``key``."""
        waits = [0.0]
        try:
            for item in self._items(rule):
                stats = await self._limiter.get_window_stats(item, *key)
                if stats.remaining <= 0:
                    waits.append(stats.reset_time - clock.now())
        except StorageError:
            raise Unavailable(_DOWN) from None
        return max(1, math.ceil(max(waits)))

    async def check(self, rule: str, *key: str, message: str) -> None:
        """Count a hit and raise RateLimited (with Retry-After) when over the limit."""
        if not await self.hit(rule, *key):
            raise RateLimited(message, retry_after=await self.retry_after(rule, *key))

    async def clear(self, rule: str, *key: str) -> None:
        try:
            for item in self._items(rule):
                await self._limiter.clear(item, *key)
        except StorageError:
            raise Unavailable(_DOWN) from None

    async def aclose(self) -> None:
        """Close the Redis connections (made on the event loop that used them)."""
        if self._pool is not None:
            await self._pool.aclose()


def _redis_pool(uri: str, shown: str, setting: str) -> Any:
    """A connection pool of the ``redis`` package's asyncio client for ``uri``."""
    try:
        from redis.asyncio import ConnectionPool
    except ImportError:
        raise ConfigError(
            f"{setting}={redacted(shown)}: the redis package is not installed "
            "(pip install 'keyvex[redis]')."
        ) from None
    plain = uri.removeprefix("async+").replace("redis+unix://", "unix://")
    try:
        return ConnectionPool.from_url(plain, socket_connect_timeout=3, socket_timeout=5)
    except ValueError as exc:
        raise ConfigError(f"{setting}={redacted(shown)}: not a Redis URL ({exc}).") from None
