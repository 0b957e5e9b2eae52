"""Date inputs and date results live in a page: the browser shows what the engine computes."""

from __future__ import annotations

from typing import Any

import pytest

from keyvex.engine import run
from keyvex.tools import parse_tool
from tests.public import _visitor as visitor

PLANNER = parse_tool(
    {
        "id": "planner",
        "title": "Project dates",
        "kind": "calculator",
        "lead_capture": {"mode": "off"},
        "inputs": [
            {"id": "start", "type": "date", "label": "Start date", "default": "2025-01-31"},
            {"id": "months", "type": "number", "label": "Months", "default": 1, "min": 0},
        ],
        "calculations": [
            {
                "id": "finish",
                "label": "Finish",
                "formula": "EDATE(start, months)",
                "format": "date",
            },
            {
                "id": "working",
                "label": "Working days",
                "formula": "NETWORKDAYS(start, EDATE(start, months))",
                "unit": "days",
            },
            {"id": "weekday", "label": "Starts on", "formula": 'TEXT(start, "dddd")'},
        ],  # fmt: skip
        "results": [
            {"type": "metric", "value": "finish"},
            {"type": "metric", "value": "working"},
            {"type": "metric", "value": "weekday"},
        ],
    }
)


def figures_shown(page: Any) -> list[str]:
    return page.eval_on_selector_all(  # type: ignore[no-any-return]
        "#kvx-result .kvx-metric-value", "els => els.map(e => e.textContent)"
    )


@pytest.mark.parametrize(
    ("start", "months"),
    [("2025-01-31", "1"), ("2024-02-29", "12"), ("2026-12-03", "6")],
)
def test_date_answers_give_the_engines_figures(
    live_server: Any, page: Any, start: str, months: str
) -> None:
    site = visitor.Site(live_server)
    published = site.publish(PLANNER)
    page.goto(f"{site.url}/t/{published.slug}")
    page.locator("#kvx-in-start").fill(start)
    page.locator("#kvx-in-months").fill(months)
    result = run(PLANNER, {"start": start, "months": float(months)})
    expected = [result.display["finish"], result.display["working"], result.display["weekday"]]
    page.wait_for_function(
        "want => Array.from(document.querySelectorAll('#kvx-result .kvx-metric-value'))"
        ".map(e => e.textContent).join('|') === want",
        arg="|".join(expected),
        timeout=5000,
    )
    assert figures_shown(page) == expected
    assert "," not in expected[0]  # a date, not a serial number such as 45,716
