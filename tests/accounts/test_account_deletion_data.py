"""Deleting an account removes its data sources with everything they own: uploads, snapshots,
analyses, activity, tool links and published tools' data snapshots; another creator keeps hers."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ApiUser, Browser
from tests.data._api import file_source, upload

PASSWORD = "correct horse battery"
RATES = "Plan,Monthly rate\nbasic,$10.00\npro,$25.00\n"


def _rate_tool(source_id: str) -> dict[str, Any]:
    """A calculator whose price table is bound to the source."""
    return {
        "id": "plan-cost",
        "title": "Plan cost",
        "kind": "calculator",
        "inputs": [
            {"id": "plan", "type": "select", "label": "Plan", "default": "basic",
             "options": [{"value": "basic", "label": "basic"}, {"value": "pro", "label": "pro"}]},
            {"id": "months", "type": "number", "label": "Months", "default": 12, "min": 1,
             "max": 60},
        ],
        "tables": [
            {"name": "rates", "columns": ["plan", "rate"],
             "binding": {"source_id": source_id,
                         "column_map": {"plan": "Plan", "rate": "Monthly rate"}}},
        ],
        "calculations": [
            {"id": "total", "label": "Total", "formula": 'LOOKUP(rates, plan, "rate") * months',
             "format": "currency"},
        ],
        "results": [{"type": "metric", "value": "total"}],
    }  # fmt: skip


def _wait_jobs(client: TestClient) -> None:
    jobs = client.app.state.keyvex.jobs  # type: ignore[attr-defined]
    client.portal.call(jobs.wait_idle, 30)  # type: ignore[union-attr]


def _synced(user: ApiUser, client: TestClient, source_id: str) -> None:
    started = user.post(f"/api/v1/data-sources/{source_id}/sync")
    assert started.status_code == 202, started.text
    _wait_jobs(client)
    job = user.get(f"/api/v1/data-sources/{source_id}/jobs/{started.json()['job_id']}").json()
    assert job["status"] == "done", job


def _fill(user: ApiUser, client: TestClient) -> dict[str, str]:
    """A synced file source (upload, snapshot, analysis, activity) read by a published tool;
    returns the identifiers that must not survive the account."""
    source = file_source(user, RATES)
    _synced(user, client, source["id"])
    assert user.get(f"/api/v1/data-sources/{source['id']}/analysis").status_code == 200
    assert user.get(f"/api/v1/data-sources/{source['id']}/activity").json()["activity"]
    tool = user.post("/api/v1/tools", json=_rate_tool(source["id"]))
    assert tool.status_code in (200, 201), tool.text
    published = user.post(f"/api/v1/tools/{tool.json()['id']}/publish", json={})
    assert published.status_code == 200, published.text
    _synced(user, client, source["id"])  # a second sync re-verifies the tool via the links
    return {
        "uid": user.get("/api/v1/me").json()["id"],
        "source": source["id"],
        "tool": tool.json()["id"],
        "slug": published.json()["slug"],
        "email": user.email,
    }


def _rows(client: TestClient) -> list[str]:
    """Every live row of the table, as text (a test may scan; the product never does)."""
    app = client.app.state.keyvex  # type: ignore[attr-defined]
    with sqlite3.connect(app.settings.database_path) as db:
        rows = db.execute(
            "SELECT pk, sk, gsi1pk, gsi2pk, data FROM items WHERE ttl IS NULL OR ttl > ?",
            (int(app.store.now()),),
        ).fetchall()
    return [json.dumps(row) for row in rows]


def _blobs(client: TestClient) -> list[str]:
    root = Path(client.app.state.keyvex.settings.blob_path)  # type: ignore[attr-defined]
    return [str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()]


def _mentioning(texts: list[str], ids: dict[str, str]) -> list[str]:
    return [text for text in texts if any(value in text for value in ids.values())]


def test_deleting_an_account_leaves_no_data_item_or_blob_behind(
    browser: Browser, make_browser: Any, client: TestClient
) -> None:
    bob = ApiUser(make_browser(), "bob@example.com")  # first: the site's administrator
    alice = ApiUser(browser, "alice@example.com")
    bob.client = client  # his token, through the running app (jobs outlive the request)
    ids = _fill(alice, client)
    kept = _fill(bob, client)
    slug = ids.pop("slug")  # the tool's own id ("plan-cost") is in both slugs: checked by key
    blobs = _blobs(client)
    assert any(name.startswith(f"uploads/{ids['uid']}/") for name in blobs)
    assert any(name.startswith(f"data/{ids['source']}/analysis-") for name in blobs)
    assert any(name.startswith(f"tooldata/{ids['tool']}/") for name in blobs)
    assert any(row.startswith('["JOB#') and ids["source"] in row for row in _rows(client))

    done = browser.submit("/account/delete", "/account/delete", password=PASSWORD)
    assert done.status_code == 303
    _wait_jobs(client)

    assert _mentioning(_rows(client), ids) == []  # job records (JOB#) included
    assert not [row for row in _rows(client) if row.startswith(f'["SLUG#{slug}",')]
    assert _mentioning(_blobs(client), ids) == []
    assert len(_mentioning(_blobs(client), kept)) == len(_mentioning(blobs, kept))
    assert bob.get(f"/api/v1/data-sources/{kept['source']}/rows").status_code == 200
    assert client.get(f"/t/{kept['slug']}").status_code == 200


def test_an_upload_no_source_uses_goes_with_the_account(
    browser: Browser, client: TestClient
) -> None:
    alice = ApiUser(browser, "alice@example.com")
    uid = alice.get("/api/v1/me").json()["id"]
    upload(alice, RATES, "never-used.csv")
    done = browser.submit("/account/delete", "/account/delete", password=PASSWORD)
    assert done.status_code == 303
    assert [name for name in _blobs(client) if uid in name] == []


def test_a_sync_running_while_the_account_goes_writes_nothing_back(
    browser: Browser, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The source is deleted between the fetch and the write of its snapshot: the sync finds
    it gone and removes the snapshot it had just stored."""
    from keyvex.accounts.deletion import delete_account
    from keyvex.accounts.service import find_user
    from keyvex.data import sync

    alice = ApiUser(browser, "alice@example.com")
    source = file_source(alice, RATES)
    app = client.app.state.keyvex  # type: ignore[attr-defined]
    found = client.portal.call(find_user, app, "alice@example.com")  # type: ignore[union-attr]
    assert found is not None
    user = found[0]
    read = sync.service.read_source

    async def read_then_account_goes(*args: Any) -> Any:
        dataset = await read(*args)
        await delete_account(app, user)  # the account goes while the rows are in memory
        return dataset

    # Interleaving only: the real read runs, then the real deletion, then the real write.
    monkeypatch.setattr(sync.service, "read_source", read_then_account_goes)
    outcome = client.portal.call(sync.sync_source, app, user.id, source["id"])  # type: ignore[union-attr]
    assert outcome == {"status": "gone"}
    assert [name for name in _blobs(client) if source["id"] in name or user.id in name] == []
    assert _mentioning(_rows(client), {"source": source["id"], "uid": user.id}) == []
