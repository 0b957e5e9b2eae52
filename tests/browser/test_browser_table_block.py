"""The "recommendations from table" block live in a calculator: the page agrees with the engine."""

from __future__ import annotations

from typing import Any

import pytest

from keyvex.engine import run
from keyvex.tools import parse_tool
from tests.public import _visitor as visitor

ROWS = [
    {"name": "Starter", "kind": "Laptop", "price": 499.0, "tags": "work, travel"},
    {"name": "Pro", "kind": "Laptop", "price": 1299.0, "tags": "work"},
    {"name": "Gamer", "kind": "Laptop", "price": 1899.0, "tags": "gaming"},
    {"name": "Slate", "kind": "Tablet", "price": 349.0, "tags": "travel"},
    {"name": "Mystery", "kind": "Tablet", "price": None, "tags": ""},
]
FINDER = parse_tool(
    {
        "id": "finder",
        "title": "Device finder",
        "kind": "calculator",
        "lead_capture": {"mode": "off"},
        "inputs": [
            {"id": "budget", "type": "currency", "label": "Budget", "default": 1500, "min": 0},
            {
                "id": "kind",
                "type": "select",
                "label": "Kind",
                "default": "any",
                "options": [
                    {"value": "any", "label": "Any"},
                    {"value": "Laptop", "label": "Laptop"},
                    {"value": "Tablet", "label": "Tablet"},
                ],
            },
            {
                "id": "uses",
                "type": "multiselect",
                "label": "Uses",
                "required": False,
                "options": [
                    {"value": "work", "label": "Work"},
                    {"value": "travel", "label": "Travel"},
                ],
            },
        ],  # fmt: skip
        "tables": [{"name": "items", "columns": ["name", "kind", "price", "tags"], "rows": ROWS}],
        "results": [
            {
                "type": "table_recommendations",
                "table": "items",
                "title_column": "name",
                "filters": [
                    {"column": "price", "op": "lte", "value": "budget"},
                    {"column": "kind", "op": "eq", "value": 'IF(kind = "any", "", kind)'},
                    {"column": "tags", "op": "contains", "value": "uses"},
                ],
                "sort_by": "price",
                "descending": True,
                "limit": 3,
                "show": [
                    {"column": "price", "label": "Price", "format": "currency", "decimals": 2},
                    {"column": "kind", "label": "Kind"},
                ],
            },
        ],  # fmt: skip
    }
)


def cards_shown(page: Any) -> list[list[str]]:
    return page.eval_on_selector_all(  # type: ignore[no-any-return]
        "#kvx-result .kvx-card",
        "cards => cards.map(c => [c.querySelector('.kvx-card-title').textContent]"
        ".concat(Array.from(c.querySelectorAll('dd')).map(d => d.textContent)))",
    )


def cards_expected(answers: dict[str, Any]) -> list[list[str]]:
    block = run(FINDER, answers).blocks[0]
    return [[card.title, *(f.display for f in card.fields)] for card in block.cards]


@pytest.mark.parametrize(
    "answers",
    [
        {"budget": "1500", "kind": "any", "uses": []},
        {"budget": "1500", "kind": "Laptop", "uses": ["travel"]},
        {"budget": "300", "kind": "any", "uses": []},
        {"budget": "5000", "kind": "Tablet", "uses": ["work"]},
    ],
)
def test_live_table_recommendations_match_the_engine(
    live_server: Any, page: Any, answers: dict[str, Any]
) -> None:
    site = visitor.Site(live_server)
    published = site.publish(FINDER)
    page.goto(f"{site.url}/t/{published.slug}")
    page.locator("#kvx-in-budget").fill(answers["budget"])
    page.locator("#kvx-in-kind").select_option(answers["kind"])
    for use in answers["uses"]:
        page.locator(f"input[name='uses'][value='{use}']").check()
    page.locator("#kvx-result .kvx-table-recs").wait_for()
    expected = cards_expected({**answers, "budget": float(answers["budget"])})
    page.wait_for_function(
        "n => document.querySelectorAll('#kvx-result .kvx-card').length === n", arg=len(expected)
    )
    assert cards_shown(page) == expected
    if not expected:
        assert page.locator("#kvx-result .kvx-table-recs .kvx-help").text_content()
