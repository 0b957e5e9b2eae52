"""Every domain filled for one account, the account deleted, then the whole table and blob
store scanned: nothing of it is left, and the other creator keeps everything of hers."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from keyvex.settings import Settings
from tests.conftest import ApiUser, Browser
from tests.data._api import file_source, upload

PASSWORD = "correct horse battery"
RATES = "Plan,Monthly rate\nbasic,$10.00\npro,$25.00\n"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(env="test", data_dir=tmp_path / "data", outbound_allow_loopback=True)


def _wait_jobs(client: TestClient) -> None:
    jobs = client.app.state.keyvex.jobs  # type: ignore[attr-defined]
    client.portal.call(jobs.wait_idle, 60)  # type: ignore[union-attr]


def _lead(client: TestClient, slug: str, n: int) -> None:
    sent = client.post(f"/t/{slug}/submit", json={
        "answers": {}, "contact": {"email": f"visitor{n}@example.com"}, "consent": True,
        "idempotency_key": f"scan-test-{slug}-{n:04d}", "elapsed_ms": 9000,
    })  # fmt: skip
    assert sent.status_code == 201, sent.text


def _fill(user: ApiUser, browser: Browser | None, client: TestClient) -> dict[str, Any]:
    """A creator who used every part of the product (co-creation too, given her browser);
    returns what must not survive her."""
    me = user.get("/api/v1/me").json()
    found: dict[str, Any] = {"uid": me["id"], "email": user.email, "tools": [], "slugs": []}
    for template, slug in (("break-even-calculator", f"be-{me['id'][:6]}"),
                           ("roi-calculator", f"roi-{me['id'][:6]}")):  # fmt: skip
        tool = user.post(f"/api/v1/tools/from-template/{template}").json()
        published = user.post(f"/api/v1/tools/{tool['id']}/publish", json={"slug": slug})
        assert published.status_code == 200, published.text
        found["tools"].append(tool["id"])
        found["slugs"].append(slug)
    hook = user.post("/api/v1/webhooks", json={"url": "http://127.0.0.1:9/hook",
                                               "events": ["lead.created"]})  # fmt: skip
    assert hook.status_code == 201, hook.text
    found["webhook"] = hook.json()["id"]
    for n in range(3):
        _lead(client, found["slugs"][0], n)
    client.post(f"/t/{found['slugs'][0]}/events", json={"type": "view"})
    # The second tool is deleted with its leads kept; its slug stays reserved.
    _lead(client, found["slugs"][1], 9)
    assert user.delete(f"/api/v1/tools/{found['tools'][1]}").status_code == 204
    user.put("/api/v1/account/notifications", json={"lead_email": "digest"})
    source = file_source(user, RATES)
    found["source"] = source["id"]
    assert user.post(f"/api/v1/data-sources/{source['id']}/sync").status_code == 202
    found["upload"] = upload(user, RATES, "never-used.csv")
    _wait_jobs(client)
    if browser is None:
        found["session"] = "no-session"
        return found
    csrf = browser.csrf("/create")
    started = browser.client.post("/create/sessions", json={
        "brief": "A burnout check for nurses working night shifts", "build_now": True,
    }, headers={"X-CSRF-Token": csrf})  # fmt: skip
    assert started.status_code == 201, started.text
    found["session"] = started.json()["session_id"]
    _wait_jobs(client)
    session = browser.client.get(f"/create/sessions/{found['session']}").json()
    assert session.get("tool_id"), json.dumps(session)[:3000]
    found["tools"].append(session["tool_id"])
    return found


def _rows(client: TestClient) -> list[str]:
    app = client.app.state.keyvex  # type: ignore[attr-defined]
    with sqlite3.connect(app.settings.database_path) as db:
        rows = db.execute(
            "SELECT pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, data FROM items "
            "WHERE ttl IS NULL OR ttl > ?",
            (int(time.time()),),
        ).fetchall()
    return [json.dumps(row) for row in rows]


def _blobs(client: TestClient) -> list[str]:
    root = Path(client.app.state.keyvex.settings.blob_path)  # type: ignore[attr-defined]
    return [str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()]


def _needles(found: dict[str, Any]) -> list[str]:
    values = [found["uid"], found["email"], found["webhook"], found["source"],
              found["session"], *found["tools"]]  # fmt: skip
    return [f'"SLUG#{slug}"' for slug in found["slugs"]] + values


def _mentioning(texts: list[str], found: dict[str, Any]) -> list[str]:
    return [text for text in texts if any(needle in text for needle in _needles(found))]


def test_nothing_of_a_deleted_account_is_left_anywhere(
    browser: Browser, make_browser: Any, client: TestClient
) -> None:
    bob = ApiUser(make_browser(), "bob@example.com")  # first: the site's administrator
    alice = ApiUser(browser, "alice@example.com")
    bob.client = client  # his token, through the running app (jobs outlive the request)
    gone = _fill(alice, browser, client)
    kept = _fill(bob, None, client)
    assert len(_mentioning(_rows(client), gone)) > 20  # every domain holds something of hers
    assert any(gone["uid"] in name for name in _blobs(client))
    before = {"rows": len(_mentioning(_rows(client), kept)),
              "blobs": len(_mentioning(_blobs(client), kept))}  # fmt: skip

    done = browser.submit("/account/delete", "/account/delete", password=PASSWORD)
    assert done.status_code == 303
    _wait_jobs(client)

    assert _mentioning(_rows(client), gone) == []
    assert _mentioning(_blobs(client), gone) == []
    assert client.get(f"/t/{gone['slugs'][0]}").status_code == 404
    assert len(_mentioning(_rows(client), kept)) == before["rows"]
    assert len(_mentioning(_blobs(client), kept)) == before["blobs"]
    assert client.get(f"/t/{kept['slugs'][0]}").status_code == 200
