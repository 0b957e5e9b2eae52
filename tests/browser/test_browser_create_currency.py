"""The currency question's "Other" box in a real browser: words that are no currency are
refused under the question with a sentence naming it; a code in lower case is taken as the
code and shown so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

PASSWORD = "correct horse battery"
BRIEF = "An ROI calculator that shows dental practices what missed recalls cost them"
FORM = "#cc-question form[data-question]"


def sign_up_and_reach_the_currency_question(page: Any, url: str) -> Any:
    page.goto(f"{url}/signup")
    page.locator("#f-email").fill("creator@example.com")
    page.locator("#f-password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{url}/dashboard")
    page.goto(f"{url}/create")
    page.locator("#cc-brief").fill(BRIEF)
    page.locator("#cc-brief-form").get_by_role("button", name="Start").click()
    for _ in range(6):
        form = page.locator(FORM)
        form.wait_for()
        asked = form.get_attribute("data-question")
        if asked == "currency":
            return form
        form.locator("button[type=submit]").click()  # the suggested answer
        page.locator(f'{FORM}[data-question="{asked}"]').wait_for(state="detached")
    raise AssertionError("the currency question was never asked")


def test_a_typed_currency_is_refused_or_taken_as_its_code(
    live_server: Any, page: Any, page_problems: list[str], artifacts: Path
) -> None:
    form = sign_up_and_reach_the_currency_question(page, live_server.url)
    other = form.locator("input[type=text]")
    other.fill("dollars mate")
    form.locator("button[type=submit]").click()
    error = form.locator(".field-error")
    error.filter(has_text="is not a currency").wait_for()
    assert error.inner_text() == (
        "'dollars mate' is not a currency, so it cannot answer 'Which currency should the "
        "figures use?'. Type a three-letter ISO 4217 code (for dollars: USD, AUD, CAD, HKD), "
        "a currency's name like 'Swiss francs', or pick an offered currency."
    )
    assert page.locator('#cc-messages li:has-text("dollars mate")').count() == 0
    page.screenshot(path=str(artifacts / "create-currency-refused-390.png"))

    other.fill("chf")
    form.locator("button[type=submit]").click()
    page.locator(f'{FORM}[data-question="currency"]').wait_for(state="detached")
    history = page.locator('#cc-history-list [data-question="currency"] .cc-history-a')
    history.wait_for()
    assert history.inner_text().startswith("CHF")
    assert page.locator("#cc-messages li.cc-user").last.inner_text() == "CHF"
    # the refused answer's 422 is logged by the browser; nothing else went wrong
    assert [p for p in page_problems if "422" not in p] == []
