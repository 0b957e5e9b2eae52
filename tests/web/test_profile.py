"""The profile page: a display name, and changing the sign-in email with the password."""

from __future__ import annotations

from typing import Any

PASSWORD = "correct horse battery"


def test_the_name_is_saved_and_escaped(browser: Any) -> None:
    browser.sign_up("ada@example.com")
    page = browser.client.get("/account/profile")
    assert page.status_code == 200 and 'aria-current="page">Profile<' in page.text
    saved = browser.submit("/account/profile", "/account/profile", name="  Ada  <b>L</b> ")
    assert saved.status_code == 303
    shown = browser.client.get("/account/profile?done=name").text
    assert 'value="Ada &lt;b&gt;L&lt;/b&gt;"' in shown and "Your name was saved." in shown
    too_long = browser.submit("/account/profile", "/account/profile", name="x" * 101)
    assert too_long.status_code == 422 and 'id="e-name"' in too_long.text


def test_the_email_changes_with_the_current_password(browser: Any, make_browser: Any) -> None:
    browser.sign_up("ada@example.com")
    wrong = browser.submit(
        "/account/profile", "/account/profile/email", email="ada@new.example", password="nope"
    )
    assert wrong.status_code == 422 and 'id="e-password"' in wrong.text
    done = browser.submit(
        "/account/profile", "/account/profile/email", email="Ada@New.Example", password=PASSWORD
    )
    assert done.status_code == 303
    assert (
        '<strong id="current-email">ada@new.example</strong>'
        in browser.client.get("/account/profile").text
    )
    other = make_browser()
    assert other.log_in("ada@example.com").status_code != 303  # the old address is gone
    assert other.log_in("ada@new.example").status_code == 303
    assert make_browser().sign_up("ada@example.com").status_code == 303  # and is free again


def test_an_email_in_use_by_another_account_is_refused(browser: Any, make_browser: Any) -> None:
    make_browser().sign_up("bob@example.com")
    browser.sign_up("ada@example.com")
    taken = browser.submit(
        "/account/profile", "/account/profile/email", email="bob@example.com", password=PASSWORD
    )
    assert taken.status_code == 422 and "Another account uses this email" in taken.text
    same = browser.submit(
        "/account/profile", "/account/profile/email", email="ada@example.com", password=PASSWORD
    )
    assert same.status_code == 422
    assert make_browser().log_in("bob@example.com").status_code == 303
    assert make_browser().log_in("ada@example.com").status_code == 303


def test_profile_forms_need_sign_in_and_the_csrf_token(browser: Any, client: Any) -> None:
    for path in ("/account/profile", "/account/smtp"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and "/login" in response.headers["location"]
    browser.sign_up("ada@example.com")
    for action in ("/account/profile", "/account/profile/email"):
        response = browser.client.post(action, data={"name": "x", "email": "x@example.com"})
        assert response.status_code == 403, action


def test_each_account_sees_and_changes_only_its_own_profile(
    browser: Any, make_browser: Any
) -> None:
    bob = make_browser()
    browser.sign_up("ada@example.com")
    bob.sign_up("bob@example.com")
    browser.submit("/account/profile", "/account/profile", name="Ada")
    bob.submit("/account/profile", "/account/profile", name="Bob")
    assert 'value="Ada"' in browser.client.get("/account/profile").text
    page = bob.client.get("/account/profile").text
    assert 'value="Bob"' in page and "ada@example.com" not in page
