"""A stranger who knows a creator's email cannot lock them out: the owner's known device still
signs in, while strangers, password sprays and the owner's own device stay rate limited."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from keyvex.settings import Settings
from tests.conftest import Browser

OWNER = "ada@example.com"
PASSWORD = "correct horse battery"
LIMIT = 5  # KEYVEX_LOGIN_LIMIT_ACCOUNT's default: 5/minute;20/hour

MakeFrom = Callable[[str], Browser]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """A per-IP limit low enough for a short spray, and the per-account limit's default count,
    both per day: the limiter's sliding-window counter floors the previous window's weighted
    count, so one more hit passes right after a window ends, and per-minute windows made these
    exact counts fail whenever a test ran across a minute (seen in CI)."""
    return Settings(
        env="test",
        data_dir=tmp_path / "data",
        login_limit_ip="8/day",
        login_limit_account=f"{LIMIT}/day",
    )


@pytest.fixture
def browser_from(client: TestClient) -> MakeFrom:
    """A browser of its own (cookie jar) at the given IP address."""

    def make(ip: str) -> Browser:
        return Browser(TestClient(client.app, client=(ip, 50000)))

    return make


@pytest.fixture
def owner(browser_from: MakeFrom) -> Browser:
    """Ada signed up from home and signed out again: her browser keeps its device cookie."""
    home = browser_from("198.51.100.7")
    assert home.sign_up(OWNER).status_code == 303
    home.log_out()
    return home


def _strangers_guess(browser_from: MakeFrom, count: int) -> list[int]:
    """``count`` wrong passwords, each from another address (a botnet)."""
    return [
        browser_from(f"203.0.113.{n}").log_in(OWNER, f"guess-{n}-xxxx").status_code
        for n in range(1, count + 1)
    ]


def test_strangers_failing_from_many_ips_do_not_lock_the_owner_out(
    owner: Browser, browser_from: MakeFrom
) -> None:
    statuses = _strangers_guess(browser_from, LIMIT + 3)
    assert statuses == [422] * LIMIT + [429] * 3
    assert owner.client.cookies.get("kvx_device"), "signing up made this a known device"
    signed_in = owner.log_in(OWNER)
    assert signed_in.status_code == 303, signed_in.text
    assert owner.client.get("/dashboard").status_code == 200


def test_past_the_limit_a_stranger_waits_even_with_the_right_password(
    owner: Browser, browser_from: MakeFrom
) -> None:
    _strangers_guess(browser_from, LIMIT)
    stranger = browser_from("203.0.113.99")
    blocked = stranger.log_in(OWNER)
    assert blocked.status_code == 429
    assert "Too many sign-in attempts" in blocked.text
    assert int(blocked.headers["retry-after"]) > 0
    # The owner on a browser she never signed in from is a stranger too (OWASP's trade-off).
    assert browser_from("198.51.100.7").log_in(OWNER).status_code == 429


def test_a_device_cookie_of_another_account_or_forged_one_is_no_pass(
    owner: Browser, browser_from: MakeFrom
) -> None:
    mallory = browser_from("203.0.113.50")
    mallory.sign_up("mallory@example.com")  # a genuine device cookie, for her own account
    mallory.log_out()
    forged = browser_from("203.0.113.51")
    forged.client.cookies.set("kvx_device", "nonce.0123456789abcdef", path="/login")
    statuses = [mallory.log_in(OWNER, f"guess-{n}-xxxx").status_code for n in range(3)]
    statuses += [forged.log_in(OWNER, f"other-{n}-xxxx").status_code for n in range(3)]
    assert statuses == [422] * LIMIT + [429]
    assert owner.log_in(OWNER).status_code == 303


def test_the_owners_own_device_is_limited_by_its_own_failures(owner: Browser) -> None:
    statuses = [owner.log_in(OWNER, f"typo-{n}-xxxx").status_code for n in range(LIMIT + 1)]
    assert statuses == [422] * LIMIT + [429]
    assert owner.log_in(OWNER).status_code == 429


def test_a_password_spray_from_one_ip_is_still_limited(
    owner: Browser, browser_from: MakeFrom
) -> None:
    sprayer = browser_from("203.0.113.66")
    sprayer.sign_up("sprayer@example.com")  # a known device of its own changes nothing
    accounts = [f"user{n}@example.com" for n in range(9)]
    statuses = [sprayer.log_in(email, "Summer2024!!").status_code for email in accounts]
    assert statuses == [422] * 8 + [429]
    assert sprayer.log_in(OWNER).status_code == 429  # even a right password from that address
    assert owner.log_in(OWNER).status_code == 303
