"""The admin pages through the real app: usage at a glance, CSV export, users, health, audit."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from keyvex.admin._views import today
from keyvex.ai.usage_counters import count_call
from keyvex.clock import now_iso
from tests.conftest import ApiUser


def _calls(client: TestClient, uid: str) -> None:
    """Yesterday: 3 builder calls on openai (one failed); today: one on anthropic."""
    app = client.app.state.keyvex  # type: ignore[attr-defined]
    yesterday = (today() - timedelta(days=1)).isoformat() + "T10:00:00+00:00"
    calls = [
        {"at": yesterday, "process": "builder", "provider": "openai", "model": "gpt-4o",
         "input_tokens": 1000, "output_tokens": 200, "cost_usd": 0.25, "latency_ms": 800,
         "success": True, "user_id": uid, "session_id": "s-1"},
        {"at": yesterday, "process": "builder", "provider": "openai", "model": "gpt-4o",
         "input_tokens": 500, "output_tokens": 0, "cost_usd": 0.0, "latency_ms": 30000,
         "success": False, "error_kind": "timeout", "user_id": uid, "session_id": "s-1"},
        {"at": yesterday, "process": "conversation", "provider": "openai", "model": "gpt-4o",
         "input_tokens": 100, "output_tokens": 50, "cost_usd": 0.5, "latency_ms": 400,
         "success": True, "fallback_used": True, "user_id": uid, "session_id": "s-1"},
        {"at": now_iso(), "process": "editor", "provider": "anthropic", "model": "claude",
         "input_tokens": 10, "output_tokens": 10, "cost_usd": 1.0, "latency_ms": 100,
         "success": True},
    ]  # fmt: skip
    for call in calls:
        client.portal.call(count_call, app.store, call)  # type: ignore[union-attr]


def test_usage_page_answers_the_three_questions_at_a_glance(
    admin: ApiUser, creator: ApiUser, client: TestClient
) -> None:
    uid = creator.get("/api/v1/me").json()["id"]
    _calls(client, uid)
    page = admin.client.get("/admin?days=7")
    assert page.status_code == 200, page.text
    assert 'id="kpi-yesterday">$0.75<' in page.text
    assert 'id="kpi-failing">openai:gpt-4o<' in page.text
    assert 'id="kpi-creator" class="adm-email">creator@<wbr>example<wbr>.com<' in page.text
    assert 'id="kpi-cost">$1.75<' in page.text
    assert "<svg" in page.text and "AI cost per day over the last 7 days" in page.text
    only = admin.client.get("/admin?days=7&process=builder")
    assert 'id="kpi-requests">2<' in only.text


def test_usage_csv_parses_and_matches_the_counters(
    admin: ApiUser, creator: ApiUser, client: TestClient
) -> None:
    _calls(client, creator.get("/api/v1/me").json()["id"])
    export = admin.client.get("/admin/usage.csv?days=30")
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert len(rows) == 3
    builder = next(r for r in rows if r["process"] == "builder")
    assert (builder["requests"], builder["errors"], builder["input_tokens"]) == ("2", "1", "1500")
    assert float(builder["cost_usd"]) == pytest.approx(0.25)
    assert float(builder["error_rate"]) == pytest.approx(0.5)
    assert sum(float(r["cost_usd"]) for r in rows) == pytest.approx(1.75)
    api = admin.get("/api/v1/admin/usage.csv?days=30")
    assert api.status_code == 200 and list(csv.DictReader(io.StringIO(api.text))) == rows


def test_usage_api_gives_the_same_figures(
    admin: ApiUser, creator: ApiUser, client: TestClient
) -> None:
    _calls(client, creator.get("/api/v1/me").json()["id"])
    body = admin.get("/api/v1/admin/usage", params={"days": 7}).json()
    assert body["totals"]["requests"] == 4 and body["totals"]["errors"] == 1
    assert body["totals"]["cost_usd"] == pytest.approx(1.75)
    assert body["creators"][0]["email"] == "creator@example.com"
    assert body["expensive"][0]["cost_usd"] == 1.0
    day = (today() - timedelta(days=1)).isoformat()
    ranged = admin.get("/api/v1/admin/usage", params={"from": day, "to": day}).json()
    assert ranged["totals"]["cost_usd"] == pytest.approx(0.75)
    refused = creator.get("/api/v1/admin/usage")
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"


def test_admin_pages_render_and_escape(admin: ApiUser, creator: ApiUser) -> None:
    for path in ("/admin", "/admin/users", "/admin/health", "/admin/audit", "/admin/alerts",
                 "/admin/playground"):  # fmt: skip
        page = admin.client.get(path)
        assert page.status_code == 200, (path, page.text[:500])
        title = page.text.split("<title>", 1)[1].split("</title>", 1)[0]
        assert "<" not in title and len(title) < 80, (path, title)  # a title, not the page
        assert creator.client.get(path).status_code == 403
    assert "creator@example.com" in admin.client.get("/admin/users?q=CREATOR").text
    assert "creator@example.com" not in admin.client.get("/admin/users?q=nobody").text
    hostile = admin.client.get("/admin/users", params={"q": "<script>x</script>"}).text
    assert "<script>x</script>" not in hostile and "&lt;script&gt;" in hostile


def test_signed_out_visitors_are_sent_to_sign_in(client: TestClient, admin: Any) -> None:
    anonymous = TestClient(client.app)
    response = anonymous.get("/admin", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
