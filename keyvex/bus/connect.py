"""Choosing and checking the bus at start: in-process by default, Redis when configured."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from keyvex.bus.local import Bus
from keyvex.bus.messages import Invalidate, Reset
from keyvex.caches import Caches
from keyvex.errors import ConfigError
from keyvex.settings import Settings

_REASON = re.compile(r"^Error -?\d+ connecting to \S+?\.? (.+?)\.?$")
CHECK_TIMEOUT_SECONDS = 3


def redacted(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return parts._replace(netloc=netloc).geturl()


def _require_package(shown: str) -> None:
    try:
        import redis  # noqa: F401
    except ImportError:
        raise ConfigError(
            f"{shown}: the redis package is not installed (pip install 'keyvex[redis]')."
        ) from None


def check_redis(url: str, setting: str) -> None:
    """Ping the Redis at ``url`` once; ConfigError (one line naming ``setting``) when the
    client package is missing, the URL is not a Redis URL or the server cannot be reached."""
    shown = f"{setting}={redacted(url)}"
    _require_package(shown)
    import redis

    try:
        client = redis.Redis.from_url(
            url, socket_connect_timeout=CHECK_TIMEOUT_SECONDS, socket_timeout=CHECK_TIMEOUT_SECONDS
        )
    except ValueError as exc:
        raise ConfigError(f"{shown}: not a Redis URL ({exc}).") from None
    try:
        client.ping()
    except redis.RedisError as exc:
        match = _REASON.match(str(exc))
        raise ConfigError(f"{shown}: cannot connect ({match.group(1) if match else exc})") from None
    finally:
        client.close()


def check_redis_settings(settings: Settings) -> None:
    """At start (``keyvex serve``): every Redis the settings name answers, checked once:
    KEYVEX_REDIS_URL and a redis:// KEYVEX_RATE_LIMIT_STORAGE. Raises ConfigError."""
    if settings.redis_url:
        check_redis(settings.redis_url, "KEYVEX_REDIS_URL")
    limits = settings.rate_limit_storage.removeprefix("async+")
    if limits.startswith(("redis://", "rediss://")) and limits != settings.redis_url:
        check_redis(limits, "KEYVEX_RATE_LIMIT_STORAGE")


def open_bus(settings: Settings) -> Bus:
    """The bus ``KEYVEX_REDIS_URL`` asks for (connected when started, not here): raises
    ConfigError when the redis package is missing."""
    if not settings.redis_url:
        return Bus()
    _require_package(f"KEYVEX_REDIS_URL={redacted(settings.redis_url)}")
    from keyvex.bus.remote import RedisBus

    return RedisBus(settings.redis_url, settings.redis_prefix)


def follow(bus: Bus, caches: Caches) -> None:
    """Shared caches drop what ``Invalidate`` names and empty on ``Reset``."""
    bus.subscribe(Invalidate, lambda message: caches.drop(message.cache, message.key))
    bus.subscribe(Reset, lambda _: caches.clear_shared())
