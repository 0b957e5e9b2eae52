"""The daily lead digest: one email per creator per day, the day's leads, claimed once."""

from __future__ import annotations

import asyncio
import hashlib
import re
import time
from datetime import UTC, datetime
from email.message import Message
from typing import Any

from fastapi.testclient import TestClient

from keyvex.app import build_app
from keyvex.notify import DIGEST_HOUR_UTC, next_digest_at, send_due_digests
from keyvex.notify.digest import DIGEST_DUE, due_sk
from keyvex.settings import Settings
from keyvex.store import SK


def _html(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/html":
            return str(part.get_payload(decode=True).decode())
    raise AssertionError("no HTML part")


def _app(client: TestClient) -> Any:
    return client.app.state.keyvex  # type: ignore[attr-defined]


def _call(client: TestClient, fn: Any, *args: Any, **kwargs: Any) -> Any:
    async def go() -> Any:
        return await fn(*args, **kwargs)

    return client.portal.call(go)  # type: ignore[union-attr]


def _publish(creator: Any, template: str) -> str:
    tool = creator.post(f"/api/v1/tools/from-template/{template}").json()
    return str(creator.post(f"/api/v1/tools/{tool['id']}/publish").json()["slug"])


def _lead(client: TestClient, slug: str, email: str, name: str) -> None:
    response = client.post(
        f"/t/{slug}/submit",
        json={
            "answers": {},
            "contact": {"email": email, "name": name},
            "consent": True,
            "idempotency_key": hashlib.sha256(f"{slug}{email}".encode()).hexdigest()[:32],
            "elapsed_ms": 9000,
        },
    )
    assert response.status_code in (200, 201), response.text
    _call(client, _app(client).jobs.wait_idle)


def _notify_item(client: TestClient, uid: str) -> dict[str, Any]:
    item = _call(client, _app(client).store.get, f"USER#{uid}", "NOTIFY")
    assert item is not None
    return dict(item)


def _due_entries(client: TestClient) -> list[dict[str, Any]]:
    async def go() -> list[dict[str, Any]]:
        store = _app(client).store
        return [i async for i in store.query_all(DIGEST_DUE, SK.ge(""), index="GSI1")]

    return list(client.portal.call(go))  # type: ignore[union-attr]


def test_the_next_digest_is_at_the_fixed_utc_hour() -> None:
    before = datetime(2026, 3, 1, DIGEST_HOUR_UTC - 1, 59, tzinfo=UTC).timestamp()
    at = datetime(2026, 3, 1, DIGEST_HOUR_UTC, 0, tzinfo=UTC).timestamp()
    assert next_digest_at(before) == at
    assert next_digest_at(at) == at + 86_400  # strictly after


def test_one_digest_lists_the_days_leads_across_tools(
    alice: Any, bob: Any, client: TestClient, inbox: Any
) -> None:
    chosen = alice.put("/api/v1/account/notifications", json={"lead_email": "digest"})
    assert chosen.json() == {"lead_email": "digest"}
    uid = alice.get("/api/v1/me").json()["id"]
    roi, other = _publish(alice, "roi-calculator"), _publish(alice, "break-even-calculator")
    _lead(client, roi, "vera@example.com", "Vera <script>")
    _lead(client, other, "wes@example.com", "Wes")
    _lead(client, _publish(bob, "roi-calculator"), "zed@example.com", "Zed")
    assert inbox.to("alice@example.com") == []  # no per-lead emails while on the digest
    assert len(inbox.to("bob@example.com")) == 1  # Bob kept the default

    scheduled = _notify_item(client, uid)
    due = scheduled["digest_due"]
    assert scheduled["digest_from"] <= time.time() and due == next_digest_at(
        scheduled["digest_from"]
    )
    assert _call(client, send_due_digests, _app(client), now=due - 1) == 0  # not yet
    assert _call(client, send_due_digests, _app(client), now=due + 1) == 1
    [digest] = inbox.to("alice@example.com")
    assert digest["Subject"].startswith("Your leads: 2 new")
    html = _html(digest)
    assert "vera@example.com" in html and "wes@example.com" in html and "zed@" not in html
    assert "What return will this project bring?" in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert len(re.findall(r"<tr><td>", html)) == 2
    assert _call(client, send_due_digests, _app(client), now=due + 2) == 0  # sent once
    item = _notify_item(client, uid)
    assert item["digest_from"] == due and item["digest_due"] == due + 86_400


def test_no_email_on_a_day_without_leads(alice: Any, client: TestClient, inbox: Any) -> None:
    alice.put("/api/v1/account/notifications", json={"lead_email": "digest"})
    uid = alice.get("/api/v1/me").json()["id"]
    due = _notify_item(client, uid)["digest_due"]
    assert _call(client, send_due_digests, _app(client), now=due + 1) == 0
    assert inbox.to("alice@example.com") == []
    assert _notify_item(client, uid)["digest_due"] == due + 86_400  # the next day is scheduled


def test_two_processes_never_both_send_a_digest(
    alice: Any, client: TestClient, inbox: Any, settings: Settings
) -> None:
    alice.put("/api/v1/account/notifications", json={"lead_email": "digest"})
    uid = alice.get("/api/v1/me").json()["id"]
    _lead(client, _publish(alice, "roi-calculator"), "vera@example.com", "Vera")
    due = _notify_item(client, uid)["digest_due"]
    other = build_app(settings)  # a second process on the same store file

    async def both() -> list[int]:
        return list(
            await asyncio.gather(
                send_due_digests(_app(client), now=due + 1), send_due_digests(other, now=due + 1)
            )
        )

    try:
        counts = client.portal.call(both)  # type: ignore[union-attr]
    finally:
        other.close()
    assert sorted(counts) == [0, 1]
    assert len(inbox.to("alice@example.com")) == 1


def test_choosing_each_or_off_leaves_the_due_index(alice: Any, client: TestClient) -> None:
    alice.put("/api/v1/account/notifications", json={"lead_email": "digest"})
    uid = alice.get("/api/v1/me").json()["id"]
    [entry] = _due_entries(client)
    first_due = entry["digest_due"]
    alice.put("/api/v1/account/notifications", json={"lead_email": "digest"})  # no reschedule
    assert _due_entries(client)[0]["GSI1SK"] == due_sk(first_due, uid)
    alice.put("/api/v1/account/notifications", json={"lead_email": "off"})
    assert _due_entries(client) == []
    assert "digest_due" not in _notify_item(client, uid)


def test_a_refusing_mail_server_is_retried_then_the_window_moves_on(
    alice: Any, client: TestClient, inbox: Any
) -> None:
    alice.put("/api/v1/account/notifications", json={"lead_email": "digest"})
    uid = alice.get("/api/v1/me").json()["id"]
    _lead(client, _publish(alice, "roi-calculator"), "vera@example.com", "Vera")
    inbox.refuse = True
    due = _notify_item(client, uid)["digest_due"]
    assert _call(client, send_due_digests, _app(client), now=due + 1) == 0
    item = _notify_item(client, uid)
    assert item["digest_tries"] == 1 and item["digest_due"] == due  # same window, later
    inbox.refuse = False
    assert _call(client, send_due_digests, _app(client), now=due + 60) == 0  # not due yet
    assert _call(client, send_due_digests, _app(client), now=due + 901) == 1
    assert len(inbox.to("alice@example.com")) == 1


def test_the_notifications_page_offers_the_digest(browser: Any) -> None:
    browser.sign_up("ada@example.com")
    saved = browser.submit("/account/notifications", "/account/notifications", lead_email="digest")
    assert saved.status_code == 200 and 'value="digest" checked' in saved.text
    assert f"{DIGEST_HOUR_UTC:02d}:00 UTC" in saved.text
