"""What the usage figures keep of a deleted account: its spend in the totals, nothing that
says it was theirs; and closed days, cached per process, do not bring it back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from keyvex.admin import usage_summary
from keyvex.admin._views import today
from keyvex.ai.usage_counters import count_call
from tests.conftest import ApiUser

PASSWORD = "correct horse battery"


def test_a_deleted_creator_leaves_the_lists_but_not_the_totals(
    admin: ApiUser, creator: ApiUser, client: TestClient
) -> None:
    app = client.app.state.keyvex  # type: ignore[attr-defined]
    uid = creator.get("/api/v1/me").json()["id"]
    closed_day = today() - timedelta(days=5)  # a closed day: cached and kept once read
    old = closed_day.isoformat()
    for day, cost in ((closed_day, 2.0), (today(), 1.0)):
        client.portal.call(count_call, app.store, {  # type: ignore[union-attr]
            "at": f"{day.isoformat()}T08:00:00+00:00", "process": "builder",
            "provider": "openai", "model": "gpt-4o", "input_tokens": 10, "output_tokens": 5,
            "cost_usd": cost, "latency_ms": 500, "success": True, "user_id": uid,
            "session_id": "sess-del",
        })  # fmt: skip
    start = today() - timedelta(days=6)
    before = client.portal.call(usage_summary, app, start, today())  # type: ignore[union-attr]
    assert [s.email for s in before.creators] == ["creator@example.com"]
    assert before.creators[0].figures.cost_usd == pytest.approx(3.0)
    assert [t.session_id for t in before.tools] == ["sess-del"]
    assert {c["user_id"] for c in before.expensive} == {uid}

    kept = client.portal.call(app.store.get, "AI_USAGE", f"LEADERS#AI_CREATORS#{old}")  # type: ignore[union-attr]
    assert kept is not None and kept["leaders"][0]["uid"] == uid  # the closed day's list
    deleted = creator.browser.submit("/account/delete", "/account/delete", password=PASSWORD)
    assert deleted.status_code == 303

    after = client.portal.call(usage_summary, app, start, today())  # type: ignore[union-attr]
    assert after.totals.cost_usd == pytest.approx(3.0) and after.totals.requests == 2
    assert after.creators == [] and after.tools == []
    assert {c["user_id"] for c in after.expensive} == {""}
    assert {c["session_id"] for c in after.expensive} == {""}
    for index in ("AI_CREATORS", "AI_SESSIONS"):
        gone = client.portal.call(app.store.get, "AI_USAGE", f"LEADERS#{index}#{old}")  # type: ignore[union-attr]
        assert gone is None or uid not in str(gone)
    page = admin.client.get("/admin?days=7").text
    assert "creator@example.com" not in page and uid not in page
