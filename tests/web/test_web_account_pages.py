"""Account settings pages: webhooks, notification preferences and deleting an account."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from keyvex.settings import Settings
from keyvex.store import SK
from keyvex.web.app import create_app

SECRET = re.compile(r'<code id="new-secret">(whsec_[A-Za-z0-9+/=]+)</code>')
HOOK = "http://127.0.0.1:9/hook"  # loopback is allowed in these tests; nothing listens there


def _paths(routes: list[Any]) -> set[str]:
    found: set[str] = set()
    for route in routes:
        nested = getattr(route, "original_router", None)
        found |= _paths(nested.routes) if nested is not None else {getattr(route, "path", "")}
    return found


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    options: dict[str, Any] = {"env": "test", "outbound_allow_loopback": True}
    return Settings(data_dir=tmp_path / "data", **options)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """The real app; the settings router is added when the factory does not include it yet."""
    from keyvex.accounts.pages import router

    app = create_app(settings)
    if "/account/webhooks" not in _paths(app.router.routes):
        app.include_router(router)
    with TestClient(app) as test_client:
        yield test_client


def _run(client: TestClient, fn: Any, *args: Any) -> Any:
    return client.portal.call(fn, *args)  # type: ignore[union-attr]


def _uid(client: TestClient, email: str) -> str:
    from keyvex.accounts import find_user

    found = _run(client, find_user, client.app.state.keyvex, email)  # type: ignore[attr-defined]
    assert found is not None
    return str(found[0].id)


def _items(client: TestClient, pk: str, index: str | None = None) -> list[dict[str, Any]]:
    store = client.app.state.keyvex.store  # type: ignore[attr-defined]

    async def go() -> list[dict[str, Any]]:
        return [item async for item in store.query_all(pk, SK.ge(""), index=index)]

    return list(_run(client, go))


def _create_hook(browser: Any, url: str = HOOK, events: tuple[str, ...] = ("lead.created",)) -> Any:
    return browser.submit("/account/webhooks", "/account/webhooks", url=url, events=list(events))


def _hook_ids(client: TestClient, uid: str) -> list[str]:
    return [
        i["webhook_id"] for i in _items(client, f"USER#{uid}") if i["SK"].startswith("WEBHOOK#")
    ]


def test_webhook_secret_is_shown_once_then_rotated_and_deleted(browser: Any) -> None:
    browser.sign_up("ada@example.com")
    page = _create_hook(browser, events=("lead.created", "tool.published"))
    assert page.status_code == 200, page.text
    secret = SECRET.search(page.text)
    assert secret, "the secret is shown after creation"
    listing = browser.client.get("/account/webhooks").text
    assert HOOK in listing and "tool.published" in listing
    assert secret.group(1) not in listing and 'id="new-secret"' not in listing

    (hook_id,) = _hook_ids(browser.client, _uid(browser.client, "ada@example.com"))
    rotated = browser.submit("/account/webhooks", f"/account/webhooks/{hook_id}/rotate")
    new_secret = SECRET.search(rotated.text)
    assert rotated.status_code == 200 and new_secret
    assert new_secret.group(1) != secret.group(1)
    assert new_secret.group(1) not in browser.client.get("/account/webhooks").text

    gone = browser.submit("/account/webhooks", f"/account/webhooks/{hook_id}/delete")
    assert gone.status_code == 303
    assert HOOK not in browser.client.get("/account/webhooks").text


def test_refused_url_shows_the_reason_next_to_the_field(browser: Any) -> None:
    browser.sign_up("ada@example.com")
    page = _create_hook(browser, url="http://10.0.0.1/x")
    assert page.status_code == 422
    assert 'id="e-url"' in page.text and "private network address" in page.text
    assert 'value="http://10.0.0.1/x"' in page.text
    assert "No webhooks yet." in page.text
    no_events = _create_hook(browser, events=())
    assert no_events.status_code == 422 and 'id="e-events"' in no_events.text


def test_disabled_webhook_is_re_enabled_and_deliveries_are_listed_and_resent(
    browser: Any,
) -> None:
    browser.sign_up("ada@example.com")
    _create_hook(browser)
    client = browser.client
    uid = _uid(client, "ada@example.com")
    (hook_id,) = _hook_ids(client, uid)
    store = client.app.state.keyvex.store

    async def disable_and_log() -> None:
        await store.update(
            f"USER#{uid}", f"WEBHOOK#{hook_id}", set={"status": "disabled", "notice": "Off now."}
        )
        await store.put(
            {
                "PK": f"WEBHOOK#{hook_id}",
                "SK": "DELIVERY#2026-01-01T00:00:00Z#msg_1",
                "delivery_id": "msg_1",
                "webhook_id": hook_id,
                "owner_id": uid,
                "event": "lead.created",
                "body": "{}",
                "state": "failed",
                "attempts": [{"at": "x", "status_code": 503, "ms": 42, "error": "Down."}],
            }
        )

    _run(client, disable_and_log)
    listing = client.get("/account/webhooks").text
    assert "disabled" in listing and "Off now." in listing and "Re-enable" in listing
    assert (
        browser.submit("/account/webhooks", f"/account/webhooks/{hook_id}/enable").status_code
        == 303
    )
    listing = client.get("/account/webhooks").text
    assert "Re-enable" not in listing and "Off now." not in listing

    log = client.get(f"/account/webhooks/{hook_id}")
    assert log.status_code == 200
    assert "failed" in log.text and "503" in log.text and "42 ms" in log.text
    resent = browser.submit(
        f"/account/webhooks/{hook_id}", f"/account/webhooks/{hook_id}/deliveries/msg_1/resend"
    )
    assert resent.status_code == 303
    (delivery,) = _items(client, f"WEBHOOK#{hook_id}")
    assert delivery.get("round_start") == 1  # a new round of attempts was queued


def test_another_users_webhook_is_404(browser: Any, make_browser: Any) -> None:
    alice, bob = browser, make_browser()
    alice.sign_up("alice@example.com")
    bob.sign_up("bob@example.com")
    _create_hook(alice)
    (hook_id,) = _hook_ids(alice.client, _uid(alice.client, "alice@example.com"))
    assert HOOK not in bob.client.get("/account/webhooks").text
    assert bob.client.get(f"/account/webhooks/{hook_id}").status_code == 404
    for action in ("delete", "rotate", "enable", "deliveries/msg_1/resend"):
        response = bob.submit("/account/webhooks", f"/account/webhooks/{hook_id}/{action}")
        assert response.status_code == 404, action
    assert HOOK in alice.client.get("/account/webhooks").text


def test_forms_need_the_csrf_token(browser: Any) -> None:
    browser.sign_up("ada@example.com")
    for path in ("/account/webhooks", "/account/notifications", "/account/delete"):
        response = browser.client.post(path, data={"password": "correct horse battery"})
        assert response.status_code == 403, path
    assert browser.client.get("/account/webhooks").status_code == 200


def test_pages_need_a_signed_in_user(client: TestClient) -> None:
    for path in ("/account/webhooks", "/account/notifications", "/account/delete"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code in (302, 303) and "/login" in response.headers["location"]


def test_notification_preference_is_saved(browser: Any) -> None:
    browser.sign_up("ada@example.com")
    page = browser.client.get("/account/notifications").text
    assert "Email is not configured" in page
    assert 'value="each" checked' in page
    saved = browser.submit("/account/notifications", "/account/notifications", lead_email="off")
    assert saved.status_code == 200 and 'value="off" checked' in saved.text
    assert 'value="off" checked' in browser.client.get("/account/notifications").text
    bad = browser.submit("/account/notifications", "/account/notifications", lead_email="daily")
    assert bad.status_code == 422


def test_notifications_page_says_when_email_is_configured(tmp_path: Path) -> None:
    from keyvex.accounts.pages import router
    from tests.conftest import Browser

    options: dict[str, Any] = {"env": "test", "smtp_host": "smtp.example.com"}
    settings = Settings(data_dir=tmp_path / "d2", **options)
    app = create_app(settings)
    if "/account/notifications" not in _paths(app.router.routes):
        app.include_router(router)
    with TestClient(app) as client:
        browser = Browser(client)
        browser.sign_up("ada@example.com")
        assert "Email is configured" in client.get("/account/notifications").text


def _creator_with_everything(
    browser: Any, email: str, key: str, main: TestClient
) -> dict[str, str]:
    """Sign up, publish a tool, get a lead, add a webhook, a token and a preference."""
    from tests.conftest import ApiUser

    user = ApiUser(browser, email)
    tool = user.post("/api/v1/tools/from-template/roi-calculator").json()
    slug = user.post(f"/api/v1/tools/{tool['id']}/publish").json()["slug"]
    lead = browser.client.post(
        f"/t/{slug}/submit",
        json={
            "answers": {},
            "contact": {"email": "visitor@example.com", "name": "V"},
            "consent": True,
            "idempotency_key": f"deletion-test-key-{key}",
            "elapsed_ms": 9000,
        },
    )
    assert lead.status_code in (200, 201), lead.text
    _create_hook(browser, events=("tool.published",))
    browser.submit("/account/notifications", "/account/notifications", lead_email="off")
    return {"uid": _uid(main, email), "tool_id": tool["id"], "slug": slug}


def test_deleting_an_account_removes_all_its_data(browser: Any, make_browser: Any) -> None:
    alice, bob = browser, make_browser()
    client = alice.client  # the fixture's client: its portal runs store calls
    theirs = _creator_with_everything(bob, "bob@example.com", "0002", client)  # the admin
    mine = _creator_with_everything(alice, "alice@example.com", "0001", client)
    uid, tool_id = mine["uid"], mine["tool_id"]
    assert client.get(f"/t/{mine['slug']}").status_code == 200
    assert _items(client, f"TOOL#{tool_id}") and _items(client, f"USER#{uid}#LEADS", "GSI1")
    hooks = _hook_ids(client, uid)
    bob_before = {
        pk: _items(client, pk)
        for pk in (f"USER#{theirs['uid']}", f"TOOL#{theirs['tool_id']}", f"SLUG#{theirs['slug']}")
    }

    page = alice.client.get("/account/delete")
    assert page.status_code == 200 and 'name="password"' in page.text
    done = alice.submit("/account/delete", "/account/delete", password="correct horse battery")
    assert done.status_code == 303 and done.headers["location"].startswith("/?")

    assert alice.client.get("/account", follow_redirects=False).status_code in (302, 303)
    assert alice.log_in("alice@example.com").status_code != 303
    assert client.get(f"/t/{mine['slug']}").status_code in (404, 410)
    for pk in (f"USER#{uid}", f"TOOL#{tool_id}", f"SLUG#{mine['slug']}", "EMAIL#alice@example.com"):
        assert _items(client, pk) == [], pk
    for suffix in ("LOGINS", "TOKENS", "LEADS"):
        assert _items(client, f"USER#{uid}#{suffix}", "GSI1") == [], suffix
    for hook_id in hooks:
        assert _items(client, f"WEBHOOK#{hook_id}") == []

    for pk, items in bob_before.items():
        assert [i["SK"] for i in _items(client, pk)] == [i["SK"] for i in items], pk
    assert bob.client.get("/account").status_code == 200
    assert client.get(f"/t/{theirs['slug']}").status_code == 200
    assert alice.sign_up("alice@example.com").status_code == 303  # the address is free again


def test_wrong_password_refuses_deletion(browser: Any) -> None:
    browser.sign_up("ada@example.com")
    uid = _uid(browser.client, "ada@example.com")
    refused = browser.submit("/account/delete", "/account/delete", password="not my password")
    assert refused.status_code == 422
    assert 'id="e-password"' in refused.text and "nothing was deleted" in refused.text
    assert _items(browser.client, f"USER#{uid}")
    assert browser.client.get("/account").status_code == 200
