"""/metrics: scraped through the real app and parsed with prometheus-client's own parser."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from keyvex import events
from keyvex.accounts import sign_up
from keyvex.ai import AIContext
from keyvex.ai.usage import record_call
from keyvex.events import SourceSynced, ToolBuilt
from keyvex.settings import Settings
from keyvex.tools import get_template
from keyvex.tools.publishing import publish
from keyvex.tools.service import create_tool
from keyvex.web.app import create_app

LOOPBACK = ("127.0.0.1", 50000)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), client=LOOPBACK) as test_client:
        yield test_client


Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(client: TestClient, **headers: str) -> Samples:
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=")
    found: Samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def published_slug(client: TestClient) -> str:
    app = client.app.state.keyvex  # type: ignore[attr-defined]

    async def make() -> str:
        user = await sign_up(app, "metrics@example.com", "correct horse battery")
        stored = await create_tool(app, user, get_template("roi-calculator"))
        return (await publish(app, user, stored.id)).slug

    return client.portal.call(make)  # type: ignore[union-attr]


def lead(n: int) -> dict[str, Any]:
    return {
        "answers": {"investment": 10_000 + n, "monthly_revenue_gain": 2_000},
        "contact": {"name": "Visitor", "email": f"visitor{n}@example.com"},
        "consent": True,
        "idempotency_key": f"metrics-lead-{n:06d}",
        "elapsed_ms": 20_000,
    }


def test_requests_are_counted_by_route_template_method_and_status(client: TestClient) -> None:
    slug = published_slug(client)
    before = scrape(client)
    for n in range(3):
        assert client.post(f"/t/{slug}/submit", json=lead(n)).status_code == 201
    retry = client.post(f"/t/{slug}/submit", json=lead(0))  # answered with the stored lead
    assert retry.status_code == 201
    assert client.post(f"/t/{slug}/submit", json={"answers": {}}).status_code == 422
    assert client.get("/no/such/page").status_code == 404
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/me").status_code == 401  # a FastAPI route, through a router
    after = scrape(client)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    submit = {"route": "/t/{slug}/submit", "method": "POST"}
    assert grew("keyvex_http_requests_total", **submit, status="201") == 4
    assert grew("keyvex_http_requests_total", **submit, status="422") == 1
    assert grew("keyvex_lead_submissions_total") == 3  # leads stored: the retry is not one
    assert grew("keyvex_http_requests_total", route="unmatched", method="GET", status="404") == 1
    assert grew("keyvex_http_requests_total", route="/healthz", method="GET", status="200") == 1
    assert grew("keyvex_http_requests_total", route="/api/v1/me", method="GET", status="401") == 1
    assert not [
        k for k, v in after.items() if k[0] == "keyvex_http_requests_total"
        and dict(k[1])["route"] == "unmatched" and dict(k[1])["status"] != "404"
    ], "every answered route has its template"  # fmt: skip
    # the latency histogram of the submissions: 5 observations, cumulative buckets
    count = grew("keyvex_http_request_duration_seconds_count", **submit)
    assert count == 5
    assert grew("keyvex_http_request_duration_seconds_bucket", **submit, le="+Inf") == 5
    assert value(after, "keyvex_http_request_duration_seconds_sum", **submit) > 0


def test_tool_page_views_served_from_the_page_cache_are_counted(client: TestClient) -> None:
    slug = published_slug(client)
    before = scrape(client)
    for _ in range(4):  # the first renders through the stack, the rest come from the cache
        assert client.get(f"/t/{slug}").status_code == 200
    assert client.get(f"/t/{slug}").headers["x-request-id"]
    after = scrape(client)
    page = {"route": "/t/{slug}", "method": "GET"}
    grew = value(after, "keyvex_http_requests_total", **page, status="200") - value(
        before, "keyvex_http_requests_total", **page, status="200"
    )
    assert grew == 5
    timed = value(after, "keyvex_http_request_duration_seconds_count", **page) - value(
        before, "keyvex_http_request_duration_seconds_count", **page
    )
    assert timed == 5


def test_store_figures_show_ai_usage_today_and_the_job_backlog(client: TestClient) -> None:
    app = client.app.state.keyvex  # type: ignore[attr-defined]
    calls = [
        {"process": "builder", "provider": "openai", "model": "gpt-4o", "cost_usd": 0.25,
         "input_tokens": 1000, "output_tokens": 500, "success": True, "latency_ms": 900.0},
        {"process": "builder", "provider": "openai", "model": "gpt-4o", "cost_usd": 0.0,
         "input_tokens": 0, "output_tokens": 0, "success": False, "error_kind": "timeout",
         "latency_ms": 60000.0},
        {"process": "builder", "provider": "anthropic", "model": "claude-sonnet-4-5",
         "cost_usd": 0.5, "input_tokens": 10, "output_tokens": 20, "success": True,
         "fallback_used": True, "latency_ms": 1500.0},
    ]  # fmt: skip

    async def record() -> None:
        for call in calls:
            await record_call(AIContext(app), call)

    client.portal.call(record)  # type: ignore[union-attr]
    samples = scrape(client)
    gpt = {"process": "builder", "provider": "openai", "model": "gpt-4o"}
    claude = {"process": "builder", "provider": "anthropic", "model": "claude-sonnet-4-5"}
    assert value(samples, "keyvex_ai_requests_total", **gpt) == 2
    assert value(samples, "keyvex_ai_errors_total", **gpt) == 1
    assert value(samples, "keyvex_ai_cost_usd_total", **gpt) == pytest.approx(0.25)
    assert value(samples, "keyvex_ai_fallbacks_total", **claude) == 1
    assert value(samples, "keyvex_ai_tokens_total", **gpt, direction="input") == 1000
    assert value(samples, "keyvex_jobs_due") == 0
    assert value(samples, "keyvex_store_figures_up") == 1


def test_builds_and_syncs_are_counted_from_their_domain_events(client: TestClient) -> None:
    app = client.app.state.keyvex  # type: ignore[attr-defined]
    before = scrape(client)

    async def happen() -> None:
        await events.publish(app, ToolBuilt("u1", "s1", offline=True))
        await events.publish(app, ToolBuilt("u1", "s2", offline=False))
        await events.publish(app, SourceSynced("u1", "d1", "ok"))
        await events.publish(app, SourceSynced("u1", "d1", "error"))

    client.portal.call(happen)  # type: ignore[union-attr]
    after = scrape(client)
    for name, labels in (
        ("keyvex_tool_builds_total", {"how": "offline"}),
        ("keyvex_tool_builds_total", {"how": "model"}),
        ("keyvex_data_syncs_total", {"outcome": "ok"}),
        ("keyvex_data_syncs_total", {"outcome": "error"}),
    ):
        assert value(after, name, **labels) - value(before, name, **labels) == 1, (name, labels)


def test_without_a_token_only_loopback_peers_are_answered(settings: Settings) -> None:
    with TestClient(create_app(settings), client=("203.0.113.9", 40000)) as remote:
        response = remote.get("/metrics")
        assert response.status_code == 404
        assert "keyvex_" not in response.text


def test_with_a_token_every_peer_needs_it(tmp_path: Path) -> None:
    settings = Settings(env="test", data_dir=tmp_path / "data", metrics_token="s3cret-metrics")
    with TestClient(create_app(settings), client=LOOPBACK) as local:
        assert local.get("/metrics").status_code == 401
        wrong = local.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        assert wrong.headers["content-type"].startswith("text/html")
        good = scrape(local, Authorization="Bearer s3cret-metrics")
        assert value(good, "keyvex_store_figures_up") == 1
