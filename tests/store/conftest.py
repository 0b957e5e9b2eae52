"""Backends under contract test: every backend must pass the same suite unchanged.

SQLite runs on a file under ``tmp_path``; DynamoDB on a fresh table of the local emulator
(``tests/aws_emulator.py``), through a synchronous face, with the same injected clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from keyvex.store import Backend, BlobStore, LocalBlobStore, SQLiteItemStore


class FakeClock:
    """A settable clock so TTL behaviour is tested without sleeping."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _sqlite(request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock) -> Backend:
    return SQLiteItemStore(tmp_path / "items.db", clock=clock)


def _dynamodb(request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock) -> Backend:
    from keyvex.store.dynamodb import DynamoDBItemStore
    from tests.aws_emulator import SyncFace

    table = request.getfixturevalue("dynamodb_table")
    return SyncFace(DynamoDBItemStore(table, clock=clock))  # type: ignore[return-value]


BACKENDS: dict[str, Callable[[pytest.FixtureRequest, Path, FakeClock], Backend]] = {
    "sqlite": _sqlite,
    "dynamodb": _dynamodb,
}


@pytest.fixture(params=sorted(BACKENDS))
def backend(request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock) -> Iterator[Backend]:
    store = BACKENDS[request.param](request, tmp_path, clock)
    yield store
    store.close()


def _local_blobs(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    return LocalBlobStore(tmp_path / "blobs")


def _s3_blobs(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    from keyvex.store.s3 import S3BlobStore

    return S3BlobStore(request.getfixturevalue("s3_bucket"))


BLOB_STORES: dict[str, Callable[[pytest.FixtureRequest, Path], BlobStore]] = {
    "local": _local_blobs,
    "s3": _s3_blobs,
}


@pytest.fixture(params=sorted(BLOB_STORES))
def blobs(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    return BLOB_STORES[request.param](request, tmp_path)
