"""Sign-up, log-in, log-out and password change through the real app and its forms."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from keyvex.settings import Settings
from keyvex.web.app import create_app

PASSWORD = "correct horse battery"


def test_sign_up_signs_in_and_shows_the_dashboard(browser: Any) -> None:
    response = browser.sign_up("ada@example.com")
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard"
    page = browser.client.get("/dashboard")
    assert page.status_code == 200
    assert "ada@example.com" in page.text


def test_first_account_becomes_admin_and_the_second_does_not(
    browser: Any, make_browser: Any
) -> None:
    browser.sign_up("first@example.com")
    assert "Administrator" in browser.client.get("/dashboard").text
    other = make_browser()
    other.sign_up("second@example.com")
    assert "Administrator" not in other.client.get("/dashboard").text


def test_log_out_then_log_in_again(browser: Any) -> None:
    browser.sign_up("ada@example.com")
    assert browser.log_out().status_code == 303
    assert browser.client.get("/dashboard", follow_redirects=False).status_code == 303
    response = browser.log_in("ADA@example.com")
    assert response.status_code == 303
    assert browser.client.get("/dashboard").status_code == 200


def test_invalid_email_is_explained_on_the_form(browser: Any) -> None:
    response = browser.sign_up("not-an-email")
    assert response.status_code == 422
    assert "An email address must have an @-sign." in response.text  # beside the field
    assert 'aria-invalid="true"' in response.text and 'class="alert"' not in response.text


def test_short_password_is_explained_on_the_form(browser: Any) -> None:
    response = browser.sign_up("ada@example.com", "short")
    assert response.status_code == 422
    assert "Use at least 10 characters." in response.text
    assert browser.log_in("ada@example.com", "short").status_code == 422


def test_existing_email_is_refused(browser: Any, make_browser: Any) -> None:
    browser.sign_up("ada@example.com")
    response = make_browser().sign_up("Ada@Example.com")
    assert response.status_code == 422
    assert "An account with this email already exists" in response.text


def test_wrong_password_is_refused_with_a_message(browser: Any) -> None:
    browser.sign_up("ada@example.com")
    browser.log_out()
    response = browser.log_in("ada@example.com", "wrong password!")
    assert response.status_code == 422
    assert "Wrong email or password." in response.text
    assert "kvx_session" not in response.headers.get("set-cookie", "")


def test_unknown_account_gets_the_same_message(browser: Any) -> None:
    response = browser.log_in("nobody@example.com")
    assert response.status_code == 422
    assert "Wrong email or password." in response.text


def test_missing_csrf_token_is_forbidden(client: Any) -> None:
    client.get("/signup")
    response = client.post("/signup", data={"email": "a@example.com", "password": PASSWORD})
    assert response.status_code == 403
    assert "could not be verified" in response.text


def test_forged_csrf_token_is_forbidden(client: Any) -> None:
    client.get("/signup")
    data = {"csrf_token": "0" * 64, "email": "a@example.com", "password": PASSWORD}
    assert client.post("/signup", data=data).status_code == 403


def test_csrf_token_from_another_browser_is_forbidden(browser: Any, make_browser: Any) -> None:
    stolen = browser.csrf("/signup")
    victim = make_browser()
    victim.client.get("/signup")
    data = {"csrf_token": stolen, "email": "a@example.com", "password": PASSWORD}
    assert victim.client.post("/signup", data=data).status_code == 403


def test_session_cookie_is_httponly_and_lax(browser: Any) -> None:
    cookie = browser.sign_up("ada@example.com").headers["set-cookie"]
    assert "kvx_session=" in cookie
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_behind_https(settings: Settings) -> None:
    with TestClient(create_app(settings), base_url="https://keyvex.test") as client:
        page = client.get("/signup")
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        data = {"csrf_token": token, "email": "a@example.com", "password": PASSWORD}
        response = client.post("/signup", data=data, follow_redirects=False)
    assert "Secure" in response.headers["set-cookie"]
    assert "max-age=31536000" in response.headers["strict-transport-security"]


def test_log_in_rotates_the_session(browser: Any) -> None:
    browser.sign_up("ada@example.com")
    first = browser.client.cookies["kvx_session"]
    browser.log_in("ada@example.com")
    second = browser.client.cookies["kvx_session"]
    assert first != second
    assert browser.client.get("/dashboard").status_code == 200
    stale = TestClient(browser.client.app, cookies={"kvx_session": first})
    assert stale.get("/dashboard", follow_redirects=False).status_code == 303


def test_failed_log_ins_are_rate_limited_per_account(browser: Any, make_browser: Any) -> None:
    browser.sign_up("ada@example.com")
    attacker = make_browser()
    statuses = [attacker.log_in("ada@example.com", f"guess-{i}-xxxx").status_code for i in range(6)]
    assert statuses[:5] == [422] * 5
    assert statuses[5] == 429
    blocked = attacker.log_in("ada@example.com")  # even the right password waits
    assert blocked.status_code == 429
    assert "Too many sign-in attempts" in blocked.text
    assert int(blocked.headers["retry-after"]) > 0


def test_failed_log_ins_are_rate_limited_per_ip(settings: Settings) -> None:
    from keyvex.web.middleware import CSRF_COOKIE

    strict = settings.model_copy(update={"login_limit_ip": "3/day"})
    with TestClient(create_app(strict)) as client:
        page = client.get("/login")
        assert client.cookies.get(CSRF_COOKIE)
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        statuses = [
            client.post(
                "/login",
                data={"csrf_token": token, "email": f"user{i}@example.com", "password": "x" * 12},
            ).status_code
            for i in range(4)
        ]
    assert statuses == [422, 422, 422, 429]


def test_next_parameter_only_follows_local_paths(browser: Any) -> None:
    browser.sign_up("ada@example.com")
    browser.log_out()
    local = browser.log_in("ada@example.com", next="/account")
    assert local.headers["location"] == "/account"
    browser.log_out()
    evil = browser.log_in("ada@example.com", next="//evil.example/steal")
    assert evil.headers["location"] == "/dashboard"


def test_pages_that_need_a_user_redirect_to_log_in(client: Any) -> None:
    response = client.get("/account", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/account"


def test_password_change_signs_out_other_devices(browser: Any, make_browser: Any) -> None:
    browser.sign_up("ada@example.com")
    laptop = make_browser()
    laptop.log_in("ada@example.com")
    response = browser.submit(
        "/account", "/account/password", current_password=PASSWORD, new_password="a much better one"
    )
    assert response.status_code == 200
    assert "Your password was changed." in response.text
    assert browser.client.get("/dashboard").status_code == 200
    assert laptop.client.get("/dashboard", follow_redirects=False).status_code == 303
    browser.log_out()
    assert browser.log_in("ada@example.com").status_code == 422
    assert browser.log_in("ada@example.com", "a much better one").status_code == 303


def test_password_change_needs_the_current_password(browser: Any) -> None:
    browser.sign_up("ada@example.com")
    response = browser.submit(
        "/account", "/account/password", current_password="nope nope nope", new_password="x" * 12
    )
    assert response.status_code == 422
    assert "This is not your current password." in response.text
    short = browser.submit(
        "/account", "/account/password", current_password=PASSWORD, new_password="x"
    )
    assert short.status_code == 422
    assert "Use at least 10 characters." in short.text


def test_scripts_may_send_the_csrf_token_as_a_header(browser: Any) -> None:
    browser.sign_up("ada@example.com")
    token = browser.csrf("/account")
    ok = browser.client.post(
        "/account/tokens", data={"name": "from a script"}, headers={"X-CSRF-Token": token}
    )
    assert ok.status_code == 200
    forged = browser.client.post(
        "/account/tokens", data={"name": "forged"}, headers={"X-CSRF-Token": "0" * 64}
    )
    assert forged.status_code == 403
