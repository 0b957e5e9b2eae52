"""The site's last administrator deleting their own account: refused while other accounts
depend on them, allowed when theirs is the site's only account (the next sign-up is then the
administrator, as on a new site)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from keyvex.accounts import find_user
from keyvex.accounts._keys import COUNTERS
from keyvex.accounts.deletion import delete_account
from tests.conftest import ApiUser, Browser

PASSWORD = "correct horse battery"


def _me(user: ApiUser) -> dict[str, Any]:
    return dict(user.get("/api/v1/me").json())


def _store_call(client: TestClient, fn: Any, *args: Any) -> Any:
    return client.portal.call(fn, client.app.state.keyvex, *args)  # type: ignore[union-attr,attr-defined]


def test_the_last_administrator_is_told_before_and_refused_on_deleting_themselves(
    browser: Browser, make_browser: Any
) -> None:
    admin = ApiUser(browser, "owner@example.com")
    creator = ApiUser(make_browser(), "creator@example.com")
    assert _me(admin)["is_admin"] is True

    page = browser.client.get("/account/delete")
    assert page.status_code == 200
    assert "only administrator" in page.text and 'name="password"' not in page.text
    assert "Nothing was deleted" not in page.text  # nothing was asked yet
    assert 'href="/admin/users"' in page.text

    refused = browser.submit("/account/delete", "/account/delete", password=PASSWORD)
    assert refused.status_code == 409
    assert "only administrator" in refused.text and "Nothing was deleted" in refused.text
    assert _me(admin)["email"] == "owner@example.com"  # still there, token and all
    assert _me(creator)["is_admin"] is False

    # Once another account is an administrator, the first one may go.
    creator_id = _me(creator)["id"]
    assert admin.post(f"/api/v1/admin/users/{creator_id}/grant-admin").status_code == 200
    assert 'name="password"' in browser.client.get("/account/delete").text
    done = browser.submit("/account/delete", "/account/delete", password=PASSWORD)
    assert done.status_code == 303
    assert admin.get("/api/v1/me").status_code == 401
    assert _me(creator)["is_admin"] is True


def test_an_ordinary_account_deletes_itself_while_the_administrator_stays(
    browser: Browser, make_browser: Any
) -> None:
    admin = ApiUser(make_browser(), "owner@example.com")
    ApiUser(browser, "creator@example.com")
    done = browser.submit("/account/delete", "/account/delete", password=PASSWORD)
    assert done.status_code == 303
    assert _me(admin)["is_admin"] is True


def test_the_sites_only_account_may_go_and_the_next_sign_up_runs_the_site(
    browser: Browser, make_browser: Any, client: TestClient
) -> None:
    ApiUser(browser, "owner@example.com")
    done = browser.submit("/account/delete", "/account/delete", password=PASSWORD)
    assert done.status_code == 303
    counters = _store_call(client, lambda app: app.store.get(*COUNTERS))
    assert counters["users"] == 0

    newcomer = ApiUser(make_browser(), "newcomer@example.com")
    assert _me(newcomer)["is_admin"] is True
    later = ApiUser(make_browser(), "later@example.com")
    assert _me(later)["is_admin"] is False


def test_a_deletion_run_again_counts_the_account_once(
    browser: Browser, make_browser: Any, client: TestClient
) -> None:
    ApiUser(browser, "owner@example.com")
    ApiUser(make_browser(), "creator@example.com")
    found = _store_call(client, find_user, "creator@example.com")
    user = found[0]
    _store_call(client, delete_account, user)
    _store_call(client, delete_account, user)  # a rerun after a cut-off deletion
    counters = _store_call(client, lambda app: app.store.get(*COUNTERS))
    assert counters["users"] == 1
    assert _store_call(client, find_user, "creator@example.com") is None
