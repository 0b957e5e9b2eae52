"""A person signs up, signs out and signs in again in a real browser (Chromium)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

PASSWORD = "correct horse battery"


def test_sign_up_log_out_and_log_in_with_a_keyboard(
    live_server: Any, page: Any, artifacts: Path
) -> None:
    errors: list[str] = []
    missing: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda res: missing.append(res.url) if res.status == 404 else None)
    page.goto(live_server.url + "/")
    page.screenshot(path=str(artifacts / "landing-390.png"), full_page=True)
    page.get_by_role("link", name="Sign up").first.click()

    page.get_by_label("Email").fill("not-an-email")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    # Shown once, next to its field, and tied to it for screen readers.
    assert page.locator("#e-email").inner_text() == "An email address must have an @-sign."
    assert page.get_by_label("Email").get_attribute("aria-describedby") == "e-email"
    assert page.get_by_label("Email").get_attribute("aria-invalid") == "true"

    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/dashboard")
    assert "ada@example.com" in page.inner_text("header")

    page.get_by_label("Account menu").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(live_server.url + "/")

    page.goto(live_server.url + "/login")
    page.get_by_label("Email").focus()
    page.keyboard.type("ada@example.com")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(artifacts / "dashboard-1280.png"), full_page=True)
    assert errors == [], f"script errors: {errors}"
    assert missing == [], f"missing resources: {missing}"


def test_pages_load_no_third_party_resources(live_server: Any, page: Any) -> None:
    requested: list[str] = []
    page.on("request", lambda req: requested.append(req.url))
    for path in ("/", "/signup", "/login"):
        page.goto(live_server.url + path)
    assert requested and all(url.startswith(live_server.url) for url in requested)
