"""System health: dependencies reachable, dead-letter jobs retried, failing data sources and
disabled webhook endpoints listed until they recover."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from keyvex.clock import now_iso
from keyvex.data import SourceError
from keyvex.data.service import record_failure
from keyvex.jobs import task
from keyvex.webhooks.service import DISABLED_INDEX, endpoint_key
from tests.conftest import ApiUser
from tests.data._api import file_source

RUNS: list[str] = []


@task("test.admin.always_fails", max_attempts=1)
async def _always_fails(app: Any, note: str) -> None:
    RUNS.append(note)
    raise RuntimeError(f"the receiver said no ({note})")


def _keyvex(client: TestClient) -> Any:
    return client.app.state.keyvex  # type: ignore[attr-defined]


def test_health_lists_dead_jobs_and_a_retry_runs_one_again(
    admin: ApiUser, client: TestClient
) -> None:
    app = _keyvex(client)
    RUNS.clear()
    client.portal.call(lambda: app.jobs.submit("test.admin.always_fails", note="x<b>"))  # type: ignore[union-attr]
    client.portal.call(app.jobs.wait_idle, 30)  # type: ignore[union-attr]
    body = admin.get("/api/v1/admin/health").json()
    assert [c["ok"] for c in body["checks"]] == [True, True, True, True]
    assert body["jobs"]["failed_by_task"] == {"test.admin.always_fails": 1}
    job = body["dead_letters"][0]
    page = admin.client.get("/admin/health").text
    assert "the receiver said no (x&lt;b&gt;)" in page and body["ok"] is False

    retried = admin.browser.submit("/admin/health", f"/admin/jobs/{job['id']}/retry")
    assert retried.status_code == 303
    client.portal.call(app.jobs.wait_idle, 30)  # type: ignore[union-attr]
    assert RUNS == ["x<b>", "x<b>"]
    again = admin.post(f"/api/v1/admin/jobs/{job['id']}/retry")
    assert again.status_code == 200  # it failed again, so it is a dead letter again
    client.portal.call(app.jobs.wait_idle, 30)  # type: ignore[union-attr]
    assert admin.post("/api/v1/admin/jobs/nope/retry").status_code == 404
    actions = [e["action"] for e in admin.get("/api/v1/admin/audit").json()["entries"]]
    assert actions == ["retry job", "retry job"]


def test_failing_sources_and_disabled_webhooks_are_listed_until_they_recover(
    admin: ApiUser, creator: ApiUser, client: TestClient
) -> None:
    app = _keyvex(client)
    creator.client = client  # token requests through the running app: jobs outlive them
    source = file_source(creator)
    uid = creator.get("/api/v1/me").json()["id"]
    item = client.portal.call(app.store.get, f"USER#{uid}", f"DATA_SOURCE#{source['id']}")  # type: ignore[union-attr]
    failure = SourceError("unreachable", "The server did not answer.")
    client.portal.call(lambda: record_failure(app, item, failure, activity="sync"))  # type: ignore[union-attr]
    # A webhook endpoint disabled after its deliveries failed (as keyvex.webhooks does).
    pk, sk = endpoint_key(uid, "w1")
    client.portal.call(lambda: app.store.put({  # type: ignore[union-attr]
        "PK": pk, "SK": sk, "entity_type": "webhook", "webhook_id": "w1", "owner_id": uid,
        "url": "https://hooks.example.com/in", "events": ["lead.created"], "secret": "x",
        "status": "disabled", "notice": "Disabled: a delivery failed 8 times.",
        "GSI2PK": DISABLED_INDEX, "GSI2SK": now_iso(),
    }))  # fmt: skip
    health = admin.get("/api/v1/admin/health").json()
    assert [s["reason"] for s in health["failing_data_sources"]] == ["The server did not answer."]
    assert health["failing_data_sources"][0]["owner"] == "creator@example.com"
    assert [w["name"] for w in health["disabled_webhooks"]] == ["https://hooks.example.com/in"]
    page = admin.client.get("/admin/health").text
    assert "The server did not answer." in page and "hooks.example.com" in page

    assert creator.post(f"/api/v1/data-sources/{source['id']}/sync").status_code == 202
    client.portal.call(app.jobs.wait_idle, 30)  # type: ignore[union-attr]
    assert creator.post("/api/v1/webhooks/w1/enable").status_code == 200
    health = admin.get("/api/v1/admin/health").json()
    assert health["failing_data_sources"] == [] and health["disabled_webhooks"] == []
