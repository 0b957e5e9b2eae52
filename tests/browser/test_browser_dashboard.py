"""The dashboard in a real browser: a creator publishes a template, two visitors leave leads,
the creator reads them (scores, CSV), checks the funnel and restores an older version."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path
from typing import Any

import pytest

from keyvex.engine import run
from keyvex.tools import get_template

TEMPLATE = "wellbeing-scorecard"
SLUG = "team-wellbeing"
PASSWORD = "correct horse battery"
NEW_TITLE = "Team wellbeing check, 2025 edition"


def watch(page: Any) -> list[str]:
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
    page.on(
        "response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 500 else None
    )
    return problems


def visit(chromium: Any, url: str, choice: int, email: str, agent: str) -> dict[str, Any]:
    """A visitor on their own device answers every question (first or last option) and
    leaves their email after the result; returns their answers."""
    tool = get_template(TEMPLATE)
    context = chromium.new_context(viewport={"width": 390, "height": 844}, user_agent=agent)
    page = context.new_page()
    problems = watch(page)
    page.goto(url)
    answers: dict[str, Any] = {}
    for index, item in enumerate(tool.inputs):
        options = page.locator(f"#kvx-step-{index} input[type=radio]")
        options.nth(choice if choice >= 0 else options.count() + choice).check()
        answers[item.id] = item.options[choice].value
        page.locator("#kvx-next").click()
    page.locator("#kvx-result .kvx-outcome, #kvx-result .kvx-headline").first.wait_for()
    page.locator("#kvx-lead-name").fill("Visitor " + email[0].upper())
    page.locator("#kvx-lead-email").fill(email)
    page.locator("#kvx-lead-consent").check()
    waited = page.evaluate("performance.now()")  # the leads service drops sub-1.5 s forms
    if waited < 2000:
        page.wait_for_timeout(2000 - waited)
    page.locator("#kvx-lead-submit").click()
    page.locator("#kvx-lead").wait_for(state="hidden")
    page.wait_for_timeout(200)  # let the completion beacon leave before the tab closes
    context.close()
    assert problems == []
    return answers


def sign_up(page: Any, url: str) -> None:
    page.goto(f"{url}/signup")
    page.locator("#f-email").fill("creator@example.com")
    page.locator("#f-password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{url}/dashboard")


def from_template(page: Any) -> str:
    """Make a tool from the 'Healthy habits check' template; the address of its page."""
    page.get_by_role("link", name="From a template").click()
    page.get_by_role("button", name="Use template: Healthy habits check").click()
    page.wait_for_url("**/dashboard/tools/*?done=created")
    return str(page.url.split("?")[0])


def funnel_counts(page: Any) -> dict[str, str]:
    cells = page.eval_on_selector_all(
        "#funnel-table tbody tr",
        "rows => rows.map(r => [r.dataset.stage, r.querySelector('td').textContent.trim()])",
    )
    return dict(cells)


def test_creator_publishes_reads_leads_and_restores(
    dashboard_site: Any, chromium: Any, page: Any
) -> None:
    url = dashboard_site.url
    problems = watch(page)
    sign_up(page, url)
    # Create from a template and publish it under a chosen address.
    tool_url = from_template(page)
    original_title = page.locator("h1").inner_text()
    assert page.frame_locator(".dash-frame").locator("h1").inner_text() == original_title
    page.locator("#f-slug").fill(SLUG)
    page.locator("#publish-button").click()
    assert page.locator("#public-url").inner_text() == f"{url}/t/{SLUG}"
    assert f'data-tool="{SLUG}"' in page.locator("#embed-script").inner_text()
    # Version 2: a new title, published.
    page.locator("#f-title").fill(NEW_TITLE)
    page.locator("#save-details").click()
    page.locator("#publish-button").click()
    page.wait_for_url("**?done=published")
    # Two visitors on two devices, with different answers.
    public = f"{url}/t/{SLUG}"
    first = visit(chromium, public, 0, "ann@example.com", "Mozilla/5.0 (iPhone) Visitor/1")
    last = visit(chromium, public, -1, "ben@example.com", "Mozilla/5.0 (Android) Visitor/2")
    tool = get_template(TEMPLATE)
    expected = {
        "ann@example.com": run(tool, first).scores,
        "ben@example.com": run(tool, last).scores,
    }
    # Both leads in the table, with the server's scores.
    page.goto(f"{tool_url}/leads")
    rows = page.locator("#leads-table tbody tr")
    assert rows.count() == 2
    for email, scores in expected.items():
        assert scores is not None and scores.percent is not None
        row = page.locator("#leads-table tbody tr", has_text=email)
        assert row.locator(".lead-score").inner_text() == f"{round(scores.percent, 1):g}%"
    # The CSV download parses and holds both leads.
    with page.expect_download() as download:
        page.locator("#csv-link").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    table = list(csv.DictReader(io.StringIO(text)))
    by_email = {row["Work email"]: row for row in table}
    assert sorted(by_email) == sorted(expected)
    for email, scores in expected.items():
        assert scores is not None and scores.percent is not None
        assert float(by_email[email]["score"]) == pytest.approx(scores.percent)
    # The funnel counts both visitors at every stage (beacons may trail by a moment).
    deadline = time.monotonic() + 10
    while True:
        page.goto(f"{tool_url}/funnel")
        counts = funnel_counts(page)
        wanted = ("views", "starts", "completions", "leads")
        if all(counts.get(stage) == "2" for stage in wanted) or time.monotonic() > deadline:
            break
        page.wait_for_timeout(300)
    assert {stage: counts[stage] for stage in wanted} == dict.fromkeys(wanted, "2")
    assert page.locator("#kpi-conversion").inner_text() == "100.0%"
    assert page.locator("svg.dash-funnel rect.dash-bar").count() == len(counts)
    # Restore version 1 (and publish it): the public page shows the old title again.
    page.goto(tool_url)
    page.locator("#versions-table tr[data-version='1'] button").click()
    page.wait_for_url("**?done=restored_published")
    assert page.locator("h1").inner_text() == original_title
    visitor = page.context.new_page()
    visitor.goto(public)
    assert visitor.locator("h1.kvx-title").inner_text() == original_title
    visitor.close()
    assert problems == []


def boxes(page: Any, selector: str) -> list[dict[str, float]]:
    return list(
        page.eval_on_selector_all(
            selector,
            "els => els.map(e => { const r = e.getBoundingClientRect(); return"
            " {top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height}; })",
        )
    )


def test_tool_page_and_tool_list_line_up_on_desktop_and_phone(
    dashboard_site: Any, page: Any
) -> None:
    url = dashboard_site.url
    problems = watch(page)
    sign_up(page, url)
    tool_url = from_template(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(tool_url)
    # The action buttons (links and the Archive form's button) form one even row...
    buttons = boxes(page, ".dash-head .actions .button, .dash-head .actions button")
    assert len(buttons) == 8
    assert max(b["top"] for b in buttons) - min(b["top"] for b in buttons) < 1
    assert max(b["height"] for b in buttons) - min(b["height"] for b in buttons) < 1
    # ... with room before the cards below.
    first_card = boxes(page, ".dash-grid .card")[0]
    assert first_card["top"] - max(b["bottom"] for b in buttons) >= 12
    # Theme colours: the swatches of one row line up, contrast notes or not.
    swatches = boxes(page, "form.dash-colours input[type=color]")
    first_row = [b for b in swatches if abs(b["top"] - swatches[0]["top"]) < 40]
    assert len(first_row) >= 3
    assert max(b["top"] for b in first_row) - min(b["top"] for b in first_row) < 1
    # On a phone the tool list is one card per tool: every figure is on screen, labelled.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{url}/dashboard")
    for label in ("Views", "Leads", "Conversion"):
        cell = page.locator(f"#tools-table tbody tr td[data-label='{label}']").first
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, label
    caption = page.locator("#tools-table caption").bounding_box()
    assert caption is not None and caption["x"] + caption["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert problems == []
