"""API tokens: created in settings and shown once, used as Bearer tokens, revoked at once."""

from __future__ import annotations

import re
from typing import Any

TOKEN = re.compile(r'<code id="new-token">(kvx_[A-Za-z0-9_-]+)</code>')


def create_token(browser: Any, name: str = "CRM sync") -> str:
    page = browser.submit("/account", "/account/tokens", name=name)
    assert page.status_code == 200
    match = TOKEN.search(page.text)
    assert match, "the new token is shown on the page"
    return match.group(1)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_token_is_shown_once_and_stored_only_as_a_digest(browser: Any, settings: Any) -> None:
    browser.sign_up("ada@example.com")
    token = create_token(browser)
    listing = browser.client.get("/account").text
    assert "CRM sync" in listing
    assert token not in listing
    assert token[:10] in listing
    database = (settings.data_dir / "keyvex.db").read_bytes()
    wal = settings.data_dir / "keyvex.db-wal"
    stored = database + (wal.read_bytes() if wal.exists() else b"")
    assert token.encode() not in stored


def test_api_accepts_a_token_and_names_its_user(browser: Any) -> None:
    browser.sign_up("ada@example.com")
    token = create_token(browser)
    me = browser.client.get("/api/v1/me", headers=bearer(token))
    assert me.status_code == 200
    assert me.json()["email"] == "ada@example.com"


def test_api_without_a_token_is_a_problem_document(client: Any) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 401 and "Bearer" in body["detail"]
    assert client.get("/api/v1/me", headers=bearer("kvx_made_up")).status_code == 401


def test_session_cookie_does_not_open_the_api(browser: Any) -> None:
    browser.sign_up("ada@example.com")
    assert browser.client.get("/api/v1/me").status_code == 401


def test_revoked_token_stops_working_at_once(browser: Any) -> None:
    browser.sign_up("ada@example.com")
    token = create_token(browser)
    assert browser.client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    token_id = browser.client.get("/api/v1/tokens", headers=bearer(token)).json()["tokens"][0]["id"]
    revoked = browser.submit("/account", f"/account/tokens/{token_id}/revoke")
    assert revoked.status_code == 303
    assert browser.client.get("/api/v1/me", headers=bearer(token)).status_code == 401
    assert "CRM sync" not in browser.client.get("/account").text


def test_tokens_can_be_managed_through_the_api(browser: Any) -> None:
    browser.sign_up("ada@example.com")
    admin_token = create_token(browser, "admin")
    created = browser.client.post(
        "/api/v1/tokens", json={"name": "zap"}, headers=bearer(admin_token)
    )
    assert created.status_code == 201
    new = created.json()
    assert new["token"].startswith("kvx_") and new["name"] == "zap"
    names = [
        t["name"]
        for t in browser.client.get("/api/v1/tokens", headers=bearer(admin_token)).json()["tokens"]
    ]
    assert sorted(names) == ["admin", "zap"]
    gone = browser.client.delete(f"/api/v1/tokens/{new['id']}", headers=bearer(admin_token))
    assert gone.status_code == 204
    assert browser.client.get("/api/v1/me", headers=bearer(new["token"])).status_code == 401


def test_token_name_is_validated(browser: Any) -> None:
    browser.sign_up("ada@example.com")
    page = browser.submit("/account", "/account/tokens", name="   ")
    assert page.status_code == 422
    assert "Use 1 to 60 characters." in page.text
    token = create_token(browser)
    bad = browser.client.post("/api/v1/tokens", json={"name": ""}, headers=bearer(token))
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "name"
