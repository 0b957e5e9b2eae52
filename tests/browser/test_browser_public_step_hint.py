"""A stepped quiz's "Please answer the question before you continue." is gone once the
question is answered or left, and never follows the visitor to the result screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from keyvex.tools import ToolDefinition, get_template
from tests.public import _visitor as visitor

HINT = "Please answer the question before you continue."


@pytest.fixture
def site(live_server: Any) -> Any:
    return visitor.Site(live_server)


def quiz(lead_mode: str) -> ToolDefinition:
    data = get_template("email-marketing-quiz").model_dump(mode="json")
    data["lead_capture"]["mode"] = lead_mode
    data["presentation"] = {"layout": "one_per_screen"}
    return ToolDefinition.model_validate(data)


def open_quiz(site: Any, page: Any, tool: ToolDefinition) -> None:
    published = site.publish(tool)
    page.goto(f"{site.url}/t/{published.slug}")
    page.locator("#kvx-step-0").wait_for()


def skip_unanswered(page: Any, tool: ToolDefinition, step: int) -> None:
    """Press Next on the unanswered question: the hint and the field's error appear."""
    page.locator("#kvx-next").click()
    page.locator("#kvx-status").filter(has_text=HINT).wait_for()
    first = tool.inputs[step].id
    assert page.inner_text(f"#kvx-in-{first}-err") == "This question needs an answer."
    assert page.locator(f"#kvx-step-{step}").is_visible()  # it did not move on


def status_after_announce(page: Any) -> str:
    page.wait_for_timeout(100)  # past the status line's announcement delay
    return str(page.inner_text("#kvx-status"))


@pytest.mark.parametrize("lead_mode", ["off", "after_results", "before_results"])
def test_the_hint_is_gone_on_the_result_screen_after_a_skipped_question(
    site: Any, page: Any, page_problems: list[str], lead_mode: str
) -> None:
    tool = quiz(lead_mode)
    open_quiz(site, page, tool)
    steps = page.locator(".kvx-step").count()
    for step in range(steps):
        page.locator(f"#kvx-step-{step}").wait_for()
        if step in (0, steps - 1):  # the first and the last question are skipped once
            skip_unanswered(page, tool, step)
        visitor.answer_step(page, tool)
        page.locator("#kvx-next").click()
    shown = "#kvx-lead" if lead_mode == "before_results" else "#kvx-result .kvx-headline"
    page.locator(shown).wait_for()
    assert HINT not in status_after_announce(page)
    assert page.locator("#kvx-status:visible", has_text=HINT).count() == 0


def test_answering_the_question_clears_its_hint_and_its_error(site: Any, page: Any) -> None:
    tool = quiz("off")
    open_quiz(site, page, tool)
    skip_unanswered(page, tool, 0)
    visitor.answer_step(page, tool)
    assert status_after_announce(page) == ""
    assert page.inner_text(f"#kvx-in-{tool.inputs[0].id}-err") == ""
    assert page.locator("#kvx-step-0 [aria-invalid=true]").count() == 0


def test_leaving_the_question_by_back_clears_its_hint(site: Any, page: Any) -> None:
    tool = quiz("off")
    open_quiz(site, page, tool)
    visitor.answer_step(page, tool)
    page.locator("#kvx-next").click()
    page.locator("#kvx-step-1").wait_for()
    skip_unanswered(page, tool, 1)
    page.locator("#kvx-back").click()
    page.locator("#kvx-step-0").wait_for()
    assert status_after_announce(page) == ""


@pytest.mark.parametrize("width", [390, 1280])
def test_screenshot_of_the_result_after_a_skipped_question(
    site: Any, page: Any, artifacts: Path, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 844})
    tool = quiz("after_results")
    open_quiz(site, page, tool)
    skip_unanswered(page, tool, 0)
    page.screenshot(path=str(artifacts / f"public-step-hint-{width}.png"))
    for _ in range(page.locator(".kvx-step").count()):
        visitor.answer_step(page, tool)
        page.locator("#kvx-next").click()
    page.locator("#kvx-result .kvx-headline").wait_for()
    assert HINT not in status_after_announce(page)
    page.screenshot(path=str(artifacts / f"public-result-after-hint-{width}.png"), full_page=True)
