"""Public result pages in a real browser: the lead form after a failed try, the bar chart's
text alternative and the radar chart's axis labels, at phone and desktop widths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from keyvex.tools import ToolDefinition, get_template
from tests.public import _visitor as visitor

LONG_AREAS = {
    "strategy": "Strategy and business case",
    "channels": "People and skills",
    "measurement": "Detecting and recovering from attacks",
}


@pytest.fixture
def site(live_server: Any) -> Any:
    return visitor.Site(live_server)


def open_page(site: Any, page: Any, tool: ToolDefinition) -> None:
    published = site.publish(tool)
    page.goto(f"{site.url}/t/{published.slug}")
    page.locator("h1").wait_for()


def assessment_with_long_areas(lead_mode: str = "after_results") -> ToolDefinition:
    data = get_template("marketing-maturity-scorecard").model_dump(mode="json")
    for category in data["scoring"]["categories"]:
        category["title"] = LONG_AREAS[category["id"]]
    data["lead_capture"]["mode"] = lead_mode
    return ToolDefinition.model_validate(data)


def finish_quiz(page: Any, tool: ToolDefinition) -> None:
    for _ in range(page.locator(".kvx-step").count()):
        visitor.answer_step(page, tool)
        page.locator("#kvx-next").click()
    page.locator("#kvx-result figure.kvx-chart").wait_for()


@pytest.mark.parametrize("kind", ["calculator", "assessment"])
def test_a_lead_sent_after_a_refused_try_leaves_no_error_behind(
    site: Any, page: Any, artifacts: Path, kind: str
) -> None:
    tool = get_template("roi-calculator") if kind == "calculator" else assessment_with_long_areas()
    open_page(site, page, tool)
    if kind == "assessment":
        finish_quiz(page, tool)
    page.locator("#kvx-lead").wait_for()
    page.locator("#kvx-lead-submit").click()  # empty: refused, fields highlighted
    page.locator("#kvx-status").filter(has_text="Please check the highlighted fields.").wait_for()
    assert page.locator("#kvx-lead [aria-invalid=true]").count() >= 1
    visitor.fill_lead(page, tool)
    thanks = page.locator("#kvx-lead-thanks")
    thanks.wait_for()
    assert thanks.inner_text() == "Thank you! We'll be in touch."
    page.wait_for_timeout(100)  # past the status line's announcement delay
    assert page.inner_text("#kvx-status") == ""
    assert page.inner_text("#kvx-lead-error") == ""
    field_errors = page.eval_on_selector_all(
        "#kvx-lead .kvx-error", "ns => ns.map(n => n.textContent)"
    )
    assert "".join(field_errors) == ""
    assert page.locator("[aria-invalid=true]").count() == 0
    page.screenshot(path=str(artifacts / f"public-lead-after-retry-{kind}.png"), full_page=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_a_bar_chart_shows_its_figures_once_and_keeps_a_text_alternative(
    site: Any, page: Any, artifacts: Path, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    open_page(site, page, get_template("roi-calculator"))
    figure = page.locator("#kvx-result figure.kvx-chart-bar")
    figure.wait_for()
    legend = figure.locator(".kvx-legend")
    assert legend.locator("li").count() == 2
    assert legend.evaluate("n => n.getBoundingClientRect().height") <= 1  # visually hidden
    assert all(": $" in item for item in legend.locator("li").all_text_contents())
    figure.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"public-bar-chart-{width}.png"))


@pytest.mark.parametrize("width", [390, 1280])
def test_radar_axis_labels_fit_inside_the_chart_unclipped(
    site: Any, page: Any, artifacts: Path, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    tool = assessment_with_long_areas(lead_mode="off")
    open_page(site, page, tool)
    finish_quiz(page, tool)
    svg = page.locator("#kvx-result figure.kvx-chart-radar svg")
    labels = svg.evaluate(
        """s => { const vb = s.viewBox.baseVal;
          return [...s.querySelectorAll('text')].map(t => { const b = t.getBBox();
            return { text: [...t.querySelectorAll('tspan')].map(x => x.textContent).join(' '),
                     inside: b.x >= vb.x && b.y >= vb.y && b.x + b.width <= vb.x + vb.width
                             && b.y + b.height <= vb.y + vb.height }; }); }"""
    )
    assert sorted(label["text"] for label in labels[:2]) == [
        "People and skills", "Strategy and business case"
    ]  # fmt: skip
    assert labels[2]["text"].startswith("Detecting and")  # three lines at most, then "…"
    assert all(label["inside"] for label in labels), labels
    # the radar shows no figures itself, so its legend stays on screen
    assert page.locator("#kvx-result figure.kvx-chart-radar .kvx-legend").is_visible()
    svg.scroll_into_view_if_needed()
    page.locator("#kvx-result figure.kvx-chart-radar").screenshot(
        path=str(artifacts / f"public-radar-{width}.png")
    )
