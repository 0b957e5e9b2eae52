"""The machine's Redis for the KEYVEX_REDIS_URL tests: a fresh key prefix per test, and two
apps (each its own ``create_app``) sharing one data directory and one Redis."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient

from keyvex.settings import Settings
from keyvex.web.app import create_app
from tests.conftest import need_service

REDIS_URL = os.environ.get("KEYVEX_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_url() -> str:
    try:
        with redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1) as client:
            client.ping()
    except redis.RedisError as exc:
        need_service(False, f"Redis is not reachable at {REDIS_URL} ({exc})")
    return REDIS_URL


@pytest.fixture
def prefix(redis_url: str) -> Iterator[str]:
    """A key prefix of this test's own; its keys are deleted afterwards."""
    name = f"kvtest-{secrets.token_hex(6)}"
    yield name
    with redis.Redis.from_url(redis_url) as client:
        keys = list(client.scan_iter(match=f"{name}:*", count=1000))
        if keys:
            client.delete(*keys)


@pytest.fixture
def shared(tmp_path: Path, redis_url: str, prefix: str) -> Settings:
    """Settings of a scaled-out process: Redis on, a long cache time (60 s) so that anything
    seen sooner in another process came through Redis, not through the cache running out."""
    return Settings(
        env="test",
        data_dir=tmp_path / "data",
        redis_url=redis_url,
        redis_prefix=prefix,
        publish_cache_seconds=60,
    )


@pytest.fixture
def pair(shared: Settings) -> Iterator[tuple[TestClient, TestClient]]:
    """Two apps, A and B, as two web processes would be: one store, one Redis."""
    with TestClient(create_app(shared)) as a, TestClient(create_app(shared)) as b:
        yield a, b
