"""Rate limits count hits on every process when they live in Redis."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from keyvex.errors import ConfigError, Unavailable
from keyvex.ratelimit import RateLimiter, limiter_for, storage_uri
from keyvex.settings import Settings
from keyvex.web.app import create_app


def _fail_log_in(client: TestClient, email: str) -> int:
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    form = {"csrf_token": token, "email": email, "password": "x" * 12}
    return client.post("/login", data=form).status_code


def test_failed_sign_ins_on_a_count_on_b(shared: Settings) -> None:
    strict = shared.model_copy(update={"login_limit_ip": "3/day"})
    with TestClient(create_app(strict)) as a, TestClient(create_app(strict)) as b:
        on_a = [_fail_log_in(a, f"user{i}@example.com") for i in range(2)]
        on_b = [_fail_log_in(b, f"user{i}@example.com") for i in range(2, 4)]
    assert on_a == [422, 422]
    assert on_b == [422, 429]  # the third failure was B's first; the fourth is over the limit


def test_the_rate_limit_storage_follows_the_redis_url(tmp_path: Path, redis_url: str) -> None:
    alone = Settings(env="test", data_dir=tmp_path)
    assert storage_uri(alone) == ("memory://", "KEYVEX_RATE_LIMIT_STORAGE")
    scaled = alone.model_copy(update={"redis_url": redis_url})
    assert storage_uri(scaled) == (redis_url, "KEYVEX_REDIS_URL")
    local = scaled.model_copy(update={"rate_limit_storage": "memory://"})
    assert storage_uri(local) == ("memory://", "KEYVEX_RATE_LIMIT_STORAGE")


def test_a_redis_lost_mid_request_is_a_503_sentence(tmp_path: Path) -> None:
    settings = Settings(env="test", data_dir=tmp_path, rate_limit_storage="redis://127.0.0.1:1")
    limiter = limiter_for(settings)  # reached on first use, like a Redis that went away

    async def hit() -> None:
        try:
            await limiter.hit("5/minute", "ip", "1.2.3.4")
        finally:
            await limiter.aclose()

    with pytest.raises(Unavailable, match="Rate limits cannot be checked right now"):
        asyncio.run(hit())


def test_an_unknown_storage_is_one_config_error() -> None:
    with pytest.raises(ConfigError, match="KEYVEX_RATE_LIMIT_STORAGE=bogus://x: unknown storage"):
        RateLimiter("bogus://x")
