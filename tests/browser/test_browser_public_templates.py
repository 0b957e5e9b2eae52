"""Every template in a real browser: a visitor completes it; figures match the engine's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from keyvex.engine import run
from keyvex.tools import ToolDefinition, get_template, list_templates
from tests.public import _visitor as visitor

SCREENSHOTS = {
    "roi-calculator",
    "email-marketing-quiz",
    "ai-readiness-assessment",
    "ltv-cac-calculator",
}


@pytest.fixture
def site(live_server: Any) -> Any:
    return visitor.Site(live_server)


def watch(page: Any, base: str) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = {"errors": [], "foreign": [], "dialogs": [], "failed": []}
    page.on("pageerror", lambda exc: seen["errors"].append(str(exc)))
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: None if r.url.startswith(base) else seen["foreign"].append(r.url))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("response", lambda r: seen["failed"].append(r.url) if r.status >= 500 else None)
    return seen


def change_a_number(page: Any, tool: ToolDefinition, answers: dict[str, Any]) -> None:
    """Type a new value into the first plain number field: the result must follow live."""
    for item in tool.inputs:
        if item.type in ("number", "currency", "percent") and item.default is not None:
            value = float(item.default) * 2
            if item.max is not None:
                value = min(value, item.max)
            text = f"{value:g}"
            page.locator(f"#kvx-in-{item.id}").fill(text)
            answers[item.id] = text
            return


def complete_calculator(page: Any, tool: ToolDefinition) -> dict[str, Any]:
    answers = visitor.visitor_answers(tool)
    visitor.answer_step(page, tool)
    change_a_number(page, tool, answers)
    expected = visitor.expected_texts(run(tool, answers))
    mode = tool.lead_capture.mode
    if mode == "teaser":
        page.locator(".kvx-locked").first.wait_for()
        assert visitor.shown_texts(page)[:1] == expected[:1]
    elif mode in ("off", "after_results"):
        page.locator("#kvx-result .kvx-headline").first.wait_for()
        assert visitor.shown_texts(page) == expected
    else:
        assert page.locator("#kvx-result").is_hidden()
    if mode != "off":
        visitor.fill_lead(page, tool)
    assert visitor.shown_texts(page) == expected
    return answers


def complete_quiz(page: Any, tool: ToolDefinition) -> dict[str, Any]:
    answers = visitor.visitor_answers(tool)
    steps = page.locator(".kvx-step")
    for index in range(steps.count()):
        visitor.answer_step(page, tool)
        if index == 1:  # back and forward again: the earlier answer is still there
            page.locator("#kvx-back").click()
            assert page.locator("#kvx-step-0").is_visible()
            assert page.locator("#kvx-step-0 input:checked").count() >= 1
            page.locator("#kvx-next").click()
            assert page.locator("#kvx-step-1").is_visible()
        page.locator("#kvx-next").click()
    result = run(tool, answers)
    mode = tool.lead_capture.mode
    if mode == "before_results":
        page.locator("#kvx-lead").wait_for()
        assert page.locator("#kvx-result").is_hidden()
        visitor.fill_lead(page, tool)
    else:
        page.locator("#kvx-result .kvx-headline, #kvx-result .kvx-outcome").first.wait_for()
        if mode != "off":
            visitor.fill_lead(page, tool)
    page.locator("#kvx-result .kvx-outcome, #kvx-result .kvx-headline").first.wait_for()
    assert visitor.shown_texts(page) == visitor.expected_texts(result)
    assert result.outcome is None or result.outcome.title in page.inner_text("#kvx-result")
    return answers


@pytest.mark.parametrize("template", [t.id for t in list_templates()])
def test_visitor_completes_every_template(
    site: Any, page: Any, artifacts: Path, template: str
) -> None:
    tool = get_template(template)
    published = site.publish(tool)
    seen = watch(page, site.url)
    page.goto(f"{site.url}/t/{published.slug}")
    page.locator("h1").wait_for()
    if tool.kind == "calculator":
        answers = complete_calculator(page, tool)
    else:
        answers = complete_quiz(page, tool)
    if template in SCREENSHOTS:
        page.screenshot(path=str(artifacts / f"public-{template}-390.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=str(artifacts / f"public-{template}-1280.png"), full_page=True)
    assert seen == {"errors": [], "foreign": [], "dialogs": [], "failed": []}
    if tool.lead_capture.mode != "off":
        leads = site.leads(published.tool_id)
        assert len(leads) == 1
        assert visitor.EMAIL in str(leads[0])
        result = run(tool, answers)
        score = visitor.lead_score(leads[0])
        if result.scores is not None and score is not None:
            assert score == pytest.approx(result.scores.percent)
