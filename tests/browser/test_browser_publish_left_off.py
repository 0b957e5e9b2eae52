"""A creator publishes a template whose button still links to example.com: the tool page says
the button is left off the public page, its link opens the editor at that field, and once
the creator gives a real link and publishes again the warning goes and visitors see it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from keyvex.tools import get_template

PASSWORD = "correct horse battery"
SENTENCE = (
    "Your 'Talk through your business case' button links to example.com, so it is left off "
    "the public page until you give it a real link."
)
REAL_LINK = "https://calendly.com/acme-consulting/30min"


def publish_roi_calculator(page: Any, url: str) -> str:
    """Sign up, make the ROI calculator from its template and publish it; its tool page."""
    page.goto(f"{url}/signup")
    page.locator("#f-email").fill("creator@example.com")
    page.locator("#f-password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{url}/dashboard")
    page.goto(f"{url}/dashboard/new")
    title = get_template("roi-calculator").title
    page.get_by_role("button", name=f"Use template: {title}").click()
    page.wait_for_url("**/dashboard/tools/*?done=created")
    page.locator("#publish-button").click()
    page.wait_for_url("**?done=published")
    return str(page.url.split("?")[0])


def test_the_creator_is_told_and_fixes_the_placeholder_button(
    dashboard_site: Any, page: Any, artifacts: Path
) -> None:
    tool_url = publish_roi_calculator(page, dashboard_site.url)
    warning = page.locator("#left-off")
    assert warning.inner_text().startswith(SENTENCE)
    assert page.locator("#tool-status").inner_text() == "Published"  # not refused
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(artifacts / f"publish-left-off-{width}.png"))
    page.set_viewport_size({"width": 390, "height": 844})

    warning.get_by_role("link", name="Give the 'Talk through your business case' button").click()
    page.wait_for_url("**/edit#field=results.5.url")
    link = page.locator(":focus")
    link.wait_for()
    assert link.get_attribute("data-path") == "results.5.url"
    assert link.input_value() == "https://example.com/book-a-call"
    assert link.is_visible()
    link.fill(REAL_LINK)
    page.locator("#ed-save").click()
    page.locator("#ed-status", has_text="Saved").wait_for()

    page.goto(tool_url)
    assert page.locator("#left-off").count() == 0
    page.locator("#publish-button").click()
    page.wait_for_url("**?done=published")
    assert page.locator("#left-off").count() == 0
    page.goto(page.locator("#public-url").inner_text())
    button = page.locator(f'#kvx-result a[href="{REAL_LINK}"]')  # the live result shows it
    button.wait_for()
    assert button.inner_text() == "Talk through your business case"
