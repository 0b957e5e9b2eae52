"""Public pages at peer level in a real browser: cover, one question per screen by keyboard,
the result page (big score, chart, tier, advice) and screenshots of every screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from keyvex.engine import run
from keyvex.tools import ToolDefinition, get_template
from tests.public import _visitor as visitor

COVER = {"subtitle": "", "pattern": "waves", "start_label": "Start"}
CHARTS = ("bar", "gauge", "donut", "radar")
SHAPES = "rect, path, circle, polygon"


@pytest.fixture
def site(live_server: Any) -> Any:
    return visitor.Site(live_server)


def with_presentation(template: str, results: list[dict[str, Any]] | None = None, **p: Any) -> Any:
    data = get_template(template).model_dump(mode="json")
    data["presentation"] = p
    if results is not None:
        data["results"] = results
    return ToolDefinition.model_validate(data)


def open_page(site: Any, page: Any, tool: ToolDefinition) -> Any:
    published = site.publish(tool)
    page.goto(f"{site.url}/t/{published.slug}")
    page.locator("h1").wait_for()
    return published


def progress(page: Any) -> tuple[str, int, int]:
    bar = page.locator("#kvx-progress-bar")
    text = page.locator("#kvx-progress-text").inner_text()
    return text, int(bar.evaluate("b => b.value")), int(bar.evaluate("b => b.max"))


def checked_answers(page: Any, tool: ToolDefinition) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for item in tool.inputs:
        values = page.eval_on_selector_all(
            f"#kvx-in-{item.id}-field input:checked", "nodes => nodes.map(n => n.value)"
        )
        if values:
            answers[item.id] = values if item.type == "multiselect" else values[0]
    return answers


def test_a_quiz_is_completed_one_question_per_screen_by_keyboard(
    site: Any, page: Any, page_problems: list[str]
) -> None:
    tool = with_presentation("cyber-security-scorecard", cover=COVER)
    published = open_page(site, page, tool)
    assert page.locator("#kvx-form").is_hidden()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "kvx-start"
    page.keyboard.press("Enter")
    total = len(tool.inputs)
    for index in range(total):
        screen = page.locator(f"#kvx-step-{index}")
        screen.wait_for()
        assert progress(page) == (f"Question {index + 1} of {total}", index + 1, total)
        assert screen.evaluate("s => s.contains(document.activeElement)")  # focus moved here
        assert page.locator(".kvx-step:visible").count() == 1
        if index == 0:  # Enter on the question itself, unanswered: it asks for an answer
            page.keyboard.press("Enter")
            error = page.locator(f"#kvx-in-{tool.inputs[0].id}-err")
            assert error.inner_text() == "This question needs an answer."
            assert progress(page)[1] == 1
        page.keyboard.press("2" if index % 2 else "1")
        assert screen.locator("input:checked").count() == 1
        if index == 2:  # Back by keyboard: Tab to Back, Enter; the earlier answer is kept
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.id") == "kvx-back"
            page.keyboard.press("Enter")
            page.locator("#kvx-step-1").wait_for()
            assert progress(page)[0] == f"Question 2 of {total}"
            assert page.locator("#kvx-step-1 input:checked").count() == 1
            page.keyboard.press("ArrowDown")  # from the question to its chosen option
            assert page.evaluate("document.activeElement.checked") is True
            page.keyboard.press("Enter")
            screen.wait_for()
            assert page.locator("#kvx-step-2 input:checked").count() == 1
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
    page.locator("#kvx-result .kvx-hero").wait_for()
    result = run(tool, checked_answers(page, tool))
    assert result.scores is not None and result.outcome is not None
    assert page.inner_text(".kvx-hero-value") == result.display["score_percent"]
    assert result.outcome.title in page.inner_text("#kvx-result .kvx-outcome")
    assert page.locator("#kvx-result .kvx-chart svg polygon.kvx-area").count() == 1
    assert page.locator("#kvx-progress").is_hidden()
    visitor.fill_lead(page, tool)
    assert page.locator("#kvx-lead-thanks").is_visible()
    assert page.inner_text("#kvx-lead-thanks") == "Thank you! We'll be in touch."
    lead = site.leads(published.tool_id)[0]
    assert visitor.lead_score(lead) == pytest.approx(result.scores.percent)
    assert page_problems == []


def test_a_question_needs_an_answer_before_next(site: Any, page: Any) -> None:
    tool = get_template("marketing-maturity-scorecard")
    open_page(site, page, tool)
    page.locator("#kvx-next").click()
    assert page.locator("#kvx-in-icp-err").inner_text() == "This question needs an answer."
    assert progress(page)[0] == "Question 1 of 9"
    assert page.text_content("#kvx-step-0 .kvx-kicker") == tool.steps[0].title


@pytest.mark.parametrize("pattern", ["dots", "grid"])
def test_the_cover_start_button_opens_the_first_question(
    site: Any, page: Any, artifacts: Path, pattern: str
) -> None:
    tool = with_presentation(
        "email-marketing-quiz", cover={"title": "How good are your emails?", "pattern": pattern}
    )
    open_page(site, page, tool)
    assert page.locator(f".kvx-pattern-{pattern}").is_visible()
    page.screenshot(path=str(artifacts / f"public-page-cover-{pattern}-390.png"))
    assert page.inner_text("h1") == "How good are your emails?"
    assert page.inner_text(".kvx-cover-meta") == "6 questions"
    assert page.locator("#kvx-progress").is_hidden() and page.locator("#kvx-form").is_hidden()
    page.locator("#kvx-start").click()
    assert page.locator("#kvx-step-0").is_visible()
    assert page.locator(f".kvx-pattern-{pattern}").is_hidden()
    assert page.locator("#kvx-start").is_hidden()
    assert progress(page) == ("Question 1 of 6", 1, 6)
    assert page.evaluate("document.activeElement.tagName") == "LEGEND"


def test_a_quiz_on_one_page_has_one_button(site: Any, page: Any) -> None:
    tool = with_presentation("wellbeing-scorecard", layout="all_on_one")
    open_page(site, page, tool)
    assert page.locator(".kvx-field:visible").count() == len(tool.inputs)
    assert page.locator("#kvx-progress").is_hidden() and page.locator("#kvx-back").is_hidden()
    assert page.inner_text("#kvx-next") == "See my result"
    visitor.answer_step(page, tool)
    page.locator("#kvx-next").click()
    page.locator("#kvx-result .kvx-hero").wait_for()
    result = run(tool, visitor.visitor_answers(tool))
    assert page.inner_text(".kvx-hero-value") == result.display["score_percent"]


def chart_blocks(source: str, series: list[str]) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [{"type": "headline", "text": "Your result"}]
    for chart in CHARTS:
        block: dict[str, Any] = {"type": "chart", "chart": chart, "title": f"A {chart} chart"}
        if source == "categories":
            block["source"] = "categories"
        else:
            block["series"] = series
        blocks.append(block)
    return blocks + [{"type": "outcome"}]


def outcome_quiz_with_charts() -> ToolDefinition:
    data = get_template("leadership-style-quiz").model_dump(mode="json")
    data["calculations"] = [
        {"id": f"pick_{n}", "label": f"Pick {n}", "formula": f'IF(behind_schedule = "a", {n}, 1)'}
        for n in (2, 3, 4)
    ]
    data["results"] = chart_blocks("calculations", ["pick_2", "pick_3", "pick_4"])
    data["lead_capture"]["mode"] = "off"
    return ToolDefinition.model_validate(data)


def assert_charts_drawn(page: Any) -> None:
    figures = page.locator("#kvx-result figure.kvx-chart")
    assert figures.count() == len(CHARTS)
    for index in range(figures.count()):
        figure = figures.nth(index)
        assert figure.locator("svg").count() == 1
        assert figure.locator(f"svg :is({SHAPES})").count() >= 1, figure.inner_text()
        legend = figure.locator(".kvx-legend li")
        assert legend.count() >= 1
        assert "–" not in figure.inner_text()  # every point has a figure
    donut = figures.nth(CHARTS.index("donut"))
    assert donut.locator(".kvx-key").count() == donut.locator(".kvx-legend li").count()


@pytest.mark.parametrize("kind", ["calculator", "outcome quiz", "assessment"])
def test_every_chart_type_renders_in_every_kind(
    site: Any, page: Any, page_problems: list[str], kind: str
) -> None:
    if kind == "calculator":
        tool = with_presentation(
            "roi-calculator", chart_blocks("calculations", ["monthly_benefit", "net_gain", "roi"])
        )
    elif kind == "outcome quiz":
        tool = outcome_quiz_with_charts()
    else:
        tool = with_presentation("wellbeing-scorecard", chart_blocks("categories", []))
    open_page(site, page, tool)
    if kind == "calculator":
        visitor.fill_lead(page, tool)
    else:
        for _ in range(page.locator(".kvx-step").count()):
            visitor.answer_step(page, tool)
            page.locator("#kvx-next").click()
        if tool.lead_capture.mode != "off":
            page.locator("#kvx-lead").wait_for()
            visitor.fill_lead(page, tool)
    page.locator("#kvx-result figure.kvx-chart").first.wait_for()
    assert_charts_drawn(page)
    assert page_problems == []


# ---- screenshots of every screen, looked at by a person --------------------------------

SCREENS = {
    "calculator": "roi-calculator",
    "quiz": "email-marketing-quiz",
    "assessment": "marketing-maturity-scorecard",
    "outcome-quiz": "leadership-style-quiz",
}


def shoot(page: Any, artifacts: Path, name: str, full: bool = False) -> None:
    page.wait_for_timeout(150)
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=full)
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow, f"{name}: the page is wider than the screen"


def walk_quiz(page: Any, tool: ToolDefinition, artifacts: Path, prefix: str) -> None:
    for index in range(page.locator(".kvx-step").count()):
        visitor.answer_step(page, tool)
        if index == 1:
            shoot(page, artifacts, f"{prefix}-question")
        page.locator("#kvx-next").click()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("kind", list(SCREENS))
def test_screenshots_of_cover_question_result_and_lead(
    site: Any, page: Any, artifacts: Path, page_problems: list[str], kind: str, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 844 if width == 390 else 900})
    tool = with_presentation(SCREENS[kind], cover={"pattern": "waves"})
    open_page(site, page, tool)
    prefix = f"public-page-{kind}-{width}"
    shoot(page, artifacts, f"{prefix}-cover")
    page.locator("#kvx-start").click()
    mode = tool.lead_capture.mode
    if kind == "calculator":
        shoot(page, artifacts, f"{prefix}-question")
        page.locator("#kvx-result .kvx-headline").wait_for()
        shoot(page, artifacts, f"{prefix}-result", full=True)
    else:
        walk_quiz(page, tool, artifacts, prefix)
        if mode != "before_results":
            page.locator("#kvx-result .kvx-headline").wait_for()
            shoot(page, artifacts, f"{prefix}-result", full=True)
    page.locator("#kvx-lead").scroll_into_view_if_needed()
    shoot(page, artifacts, f"{prefix}-lead")
    visitor.fill_lead(page, tool)
    page.locator("#kvx-result :is(.kvx-headline, .kvx-outcome)").first.wait_for()
    if mode == "before_results":
        page.evaluate("window.scrollTo(0, 0)")
        shoot(page, artifacts, f"{prefix}-result", full=True)
    else:
        shoot(page, artifacts, f"{prefix}-thanks", full=True)
    assert page_problems == []
