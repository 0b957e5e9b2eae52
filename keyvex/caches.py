"""Bounded, typed in-process caches, one per purpose, declared by the domain that owns it.

A domain declares ``PUBLISHED = CacheSpec[str, Entry]("published tools", max_entries=256)``
and reads it as ``app.caches(PUBLISHED)``: the key and value types come from the spec, so no
one shares a dict through a magic name, and every cache has a bound (least recently used
entries go first; a ``ttl_seconds`` also expires them). Caches hold derived data only: every
entry can be rebuilt from the store, and each domain says how it re-validates its entries
so that several processes stay correct.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from cachetools import LRUCache, TTLCache

K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class CacheSpec(Generic[K, V]):
    """What a cache is for and how large it may grow."""

    name: str
    max_entries: int
    ttl_seconds: float | None = None
    #: Bound by weight instead of count: ``weigh(value)`` (e.g. bytes) summed up to this.
    max_weight: int | None = None
    weigh: Callable[[V], int] | None = None
    #: Kept in step across processes (``keyvex.bus``): ``Invalidate`` drops an entry in
    #: every process, and the cache is emptied when the bus may have missed a message.
    shared: bool = False


class Caches:
    """The App's caches, created on first use from their specs."""

    def __init__(self) -> None:
        self._caches: dict[CacheSpec[Any, Any], MutableMapping[Any, Any]] = {}

    def __call__(self, spec: CacheSpec[K, V]) -> MutableMapping[K, V]:
        found = self._caches.get(spec)
        if found is None:
            found = _new(spec)
            self._caches[spec] = found
        return found

    def drop(self, name: str, key: object) -> None:
        """Forget ``key`` in the shared cache called ``name``, if this process has it."""
        for spec, cache in self._caches.items():
            if spec.name == name and spec.shared:
                cache.pop(key, None)

    def clear_shared(self) -> None:
        """Empty every shared cache (entries are rebuilt from the store on demand)."""
        for spec, cache in self._caches.items():
            if spec.shared:
                cache.clear()

    def sizes(self) -> dict[str, int]:
        """Entries per cache (for health pages and tests)."""
        return {spec.name: len(cache) for spec, cache in self._caches.items()}


def _new(spec: CacheSpec[K, V]) -> MutableMapping[K, V]:
    if spec.max_weight is not None and spec.weigh is not None:
        return LRUCache(spec.max_weight, getsizeof=spec.weigh)
    if spec.ttl_seconds is not None:
        return TTLCache(spec.max_entries, spec.ttl_seconds)
    return LRUCache(spec.max_entries)
