"""Bounded caches: the least recently used entries go first, by count or by weight."""

from __future__ import annotations

from keyvex.caches import Caches, CacheSpec
from keyvex.tools.publishing import PUBLISHED

SMALL: CacheSpec[str, int] = CacheSpec("small", max_entries=3)
HEAVY: CacheSpec[str, bytes] = CacheSpec("heavy", 100, max_weight=1000, weigh=len)


def test_a_cache_keeps_its_most_recently_used_entries() -> None:
    caches = Caches()
    cache = caches(SMALL)
    for n in range(3):
        cache[f"k{n}"] = n
    assert cache["k0"] == 0  # k0 is now the most recently used
    cache["k3"] = 3
    assert sorted(cache) == ["k0", "k2", "k3"]
    assert caches(SMALL) is cache  # one cache per spec
    assert caches.sizes() == {"small": 3}


def test_a_weighed_cache_stays_under_its_weight() -> None:
    cache = Caches()(HEAVY)
    for n in range(5):
        cache[f"k{n}"] = b"x" * 400
    assert sum(len(v) for v in cache.values()) <= 1000
    assert list(cache) == ["k3", "k4"]


def test_the_published_tool_cache_is_bounded_by_weight() -> None:
    assert PUBLISHED.max_weight is not None and PUBLISHED.max_weight <= 64 * 1024 * 1024
