"""Administrators' actions on accounts: disable and enable, the admin role (never the last
one), deletion; each in the audit log."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import ApiUser, Browser


def _uid(user: ApiUser) -> str:
    return str(user.get("/api/v1/me").json()["id"])


def _act(admin: ApiUser, uid: str, action: str) -> Any:
    return admin.browser.submit("/admin/users", f"/admin/users/{uid}/{action}")


def test_a_disabled_account_cannot_sign_in_or_use_its_tokens_until_enabled(
    admin: ApiUser, creator: ApiUser, make_browser: Any
) -> None:
    uid = _uid(creator)
    tool = creator.post("/api/v1/tools/from-template/roi-calculator").json()
    slug = creator.post(f"/api/v1/tools/{tool['id']}/publish").json()["slug"]

    done = _act(admin, uid, "disable")
    assert done.status_code == 303 and done.headers["location"] == "/admin/users?done=disable"
    refused = creator.get("/api/v1/me")
    assert refused.status_code == 403 and "disabled" in refused.json()["detail"]
    # Signed out everywhere, and signing in again is refused with a sentence.
    assert creator.client.get("/dashboard", follow_redirects=False).status_code == 303
    again = Browser(TestClient(creator.client.app)).log_in("creator@example.com")
    assert again.status_code == 422 and "has been disabled" in again.text
    assert "Disabled" in admin.client.get("/admin/users").text
    # The published tool keeps working for visitors (the decision in keyvex.accounts.roles).
    assert admin.client.get(f"/t/{slug}").status_code == 200

    assert _act(admin, uid, "enable").status_code == 303
    assert creator.get("/api/v1/me").status_code == 200  # the same token works again
    fresh = Browser(TestClient(creator.client.app))
    assert fresh.log_in("creator@example.com").status_code == 303


def test_the_last_administrator_cannot_be_revoked_disabled_or_deleted(
    admin: ApiUser, creator: ApiUser
) -> None:
    admin_id = _uid(admin)
    for action in ("revoke-admin", "disable", "delete"):
        refused = _act(admin, admin_id, action)
        assert refused.status_code == 409, action
        assert "only administrator" in refused.text
        api = admin.post(f"/api/v1/admin/users/{admin_id}/{action}")
        assert api.status_code == 409 and api.headers["content-type"] == "application/problem+json"
    assert admin.client.get("/admin").status_code == 200

    # With a second administrator, the first may step down.
    creator_id = _uid(creator)
    granted = admin.post(f"/api/v1/admin/users/{creator_id}/grant-admin")
    assert granted.status_code == 200 and granted.json()["is_admin"] is True
    assert creator.client.get("/admin").status_code == 200
    stepped = _act(admin, admin_id, "revoke-admin")
    assert stepped.status_code == 303
    assert admin.client.get("/admin").status_code == 403
    # Now the creator is the last one.
    last = creator.post(f"/api/v1/admin/users/{creator_id}/revoke-admin")
    assert last.status_code == 409


def test_an_administrator_deletes_an_account_and_the_audit_log_forgets_who(
    admin: ApiUser, creator: ApiUser
) -> None:
    uid = _uid(creator)
    assert _act(admin, uid, "disable").status_code == 303
    confirm = admin.client.get(f"/admin/users/{uid}/delete")
    assert confirm.status_code == 200 and "creator@example.com" in confirm.text
    assert _act(admin, uid, "delete").status_code == 303
    assert creator.get("/api/v1/me").status_code == 401
    assert "creator@example.com" not in admin.client.get("/admin/users").text
    log = admin.get("/api/v1/admin/audit").json()["entries"]
    assert [e["action"] for e in log] == ["delete account", "disable"]
    assert {e["target"] for e in log} == {"a deleted account"}
    assert {e["actor"] for e in log} == {"admin@example.com"}
    page = admin.client.get("/admin/audit").text
    assert "delete account" in page and "creator@example.com" not in page
    assert admin.post(f"/api/v1/admin/users/{uid}/enable").status_code == 404
