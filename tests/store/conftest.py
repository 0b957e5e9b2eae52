"""Backends under contract test: every backend must pass the same suite unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from keyvex.store import Backend, SQLiteItemStore


class FakeClock:
    """A settable clock so TTL behaviour is tested without sleeping."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _sqlite(tmp_path: Path, clock: FakeClock) -> Backend:
    return SQLiteItemStore(tmp_path / "items.db", clock=clock)


BACKENDS = {"sqlite": _sqlite}


@pytest.fixture(params=sorted(BACKENDS))
def backend(request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock) -> Iterator[Backend]:
    store = BACKENDS[request.param](tmp_path, clock)
    yield store
    store.close()
