"""The daily visitor salt: random per UTC day, shared by every process, never kept with events.

``SYSTEM`` / ``SALT#{day}`` holds it (ttl two days); the first process to need it creates
it with a not-exists condition and everyone else reads the winner. Once the item expires
yesterday's visitor hashes cannot be recomputed from anything stored.
"""

from __future__ import annotations

import hashlib
import secrets

from keyvex import clock
from keyvex.app import App
from keyvex.caches import CacheSpec
from keyvex.store import Condition, ConditionFailed

SALT_TTL_SECONDS = 2 * 86_400
SALTS: CacheSpec[str, str] = CacheSpec("analytics salts", max_entries=4)


def salt_key(day: str) -> tuple[str, str]:
    return ("SYSTEM", f"SALT#{day}")


def cached_salt(app: App, day: str) -> str | None:
    """The salt of ``day`` if this process already holds it (no I/O)."""
    return app.caches(SALTS).get(day)


async def daily_salt(app: App, day: str) -> str:
    """The salt of ``day`` (YYYY-MM-DD, UTC), created on first use."""
    cache = app.caches(SALTS)
    cached = cache.get(day)
    if cached is not None:
        return cached
    pk, sk = salt_key(day)
    item = await app.store.get(pk, sk)
    if item is None:
        fresh = {
            "PK": pk,
            "SK": sk,
            "entity_type": "visitor_salt",
            "salt": secrets.token_hex(32),
            "ttl": int(clock.now()) + SALT_TTL_SECONDS,
        }
        try:
            item = await app.store.put(fresh, Condition.not_exists())
        except ConditionFailed:
            item = await app.store.get(pk, sk)
    assert item is not None  # created above or by the process that won the race
    salt = str(item["salt"])
    cache.clear()  # only today's salt is ever needed again
    cache[day] = salt
    return salt


def visitor_hash(salt: str, ip: str, user_agent: str, tool_id: str) -> str:
    """An anonymous visitor id that changes every day and cannot be reversed without the salt."""
    material = "\x1f".join((salt, ip, user_agent, tool_id))
    return hashlib.sha256(material.encode()).hexdigest()
