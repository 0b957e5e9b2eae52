"""/admin/alerts: rules edited by an administrator, alerts acknowledged from the page."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from keyvex.ai import AIContext
from keyvex.ai.usage import record_call
from keyvex.alerts import evaluate
from tests.conftest import ApiUser, Browser


def test_an_admin_edits_a_rule_and_acknowledges_an_alert(
    client: TestClient, browser: Browser, make_browser: Any
) -> None:
    browser.sign_up("ops@example.com")  # the first account: an administrator
    page = browser.client.get("/admin/alerts")
    assert page.status_code == 200
    assert "No alert is open." in page.text and 'data-rule="daily_cost"' in page.text

    saved = browser.submit("/admin/alerts", "/admin/alerts/rules/daily_cost", threshold="0.5",
                           enabled="true")  # fmt: skip
    assert saved.status_code == 303
    bad = browser.submit("/admin/alerts", "/admin/alerts/rules/error_rate", threshold="20")
    assert bad.status_code == 422 and "between 0 and 1" in bad.text
    app = client.app.state.keyvex  # type: ignore[attr-defined]

    async def breach() -> None:
        call = {"process": "builder", "provider": "openai", "model": "gpt-4o", "cost_usd": 0.75,
                "success": True, "latency_ms": 100.0}  # fmt: skip
        await record_call(AIContext(app), call)
        await evaluate(app)

    client.portal.call(breach)  # type: ignore[union-attr]
    page = browser.client.get("/admin/alerts")
    assert "AI cost today (UTC)" in page.text and "$0.75" in page.text
    alert_id = page.text.split('data-alert="')[1].split('"')[0]
    acked = browser.submit("/admin/alerts", f"/admin/alerts/{alert_id}/acknowledge")
    assert acked.status_code == 303
    page = browser.client.get("/admin/alerts?done=acknowledged")
    assert "The alert is acknowledged." in page.text and "by ops@example.com" in page.text
    again = browser.submit("/admin/alerts", f"/admin/alerts/{alert_id}/acknowledge")
    assert again.status_code == 409
    audit = browser.client.get("/admin/audit").text
    assert "acknowledge alert" in audit and "alert rule" in audit

    creator = make_browser()
    creator.sign_up("creator@example.com")
    assert creator.client.get("/admin/alerts").status_code == 403


def test_the_admin_api_lists_edits_and_acknowledges(client: TestClient, browser: Browser) -> None:
    ops = ApiUser(browser, "ops@example.com")  # the first account: an administrator
    listed = ops.get("/api/v1/admin/alerts").json()
    assert {r["kind"] for r in listed["rules"]} >= {"daily_cost", "job_failures"}
    assert listed["alerts"] == []
    saved = ops.put("/api/v1/admin/alerts/rules/daily_cost", json={"threshold": 0.1})
    assert saved.status_code == 200 and saved.json()["customised"] is True
    bad = ops.put("/api/v1/admin/alerts/rules/error_rate", json={"threshold": 3})
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    app = client.app.state.keyvex  # type: ignore[attr-defined]

    async def breach() -> None:
        call = {"process": "builder", "provider": "openai", "model": "gpt-4o", "cost_usd": 0.2,
                "success": True, "latency_ms": 100.0}  # fmt: skip
        await record_call(AIContext(app), call)
        await evaluate(app)

    client.portal.call(breach)  # type: ignore[union-attr]
    [alert] = ops.get("/api/v1/admin/alerts").json()["alerts"]
    assert alert["kind"] == "daily_cost" and alert["state"] == "open"
    acked = ops.post(f"/api/v1/admin/alerts/{alert['id']}/acknowledge")
    assert acked.status_code == 200 and acked.json()["state"] == "acknowledged"
    assert ops.post("/api/v1/admin/alerts/nope/acknowledge").status_code == 404
