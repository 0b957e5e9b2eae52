"""The "recommendations from table" block: filters on answers, sorting, limits, formats."""

from __future__ import annotations

from typing import Any

import pytest

from keyvex.engine import run
from keyvex.engine._tables import matches
from keyvex.tools import parse_tool, verify

ROWS = [
    {"name": "Alpha", "kind": "Laptop", "price": 1299.0, "tags": "work, travel", "eco": True},
    {"name": "Beta", "kind": "Laptop", "price": 899.5, "tags": "gaming", "eco": False},
    {"name": "Gamma", "kind": "Tablet", "price": 499.0, "tags": "travel", "eco": True},
    {"name": "Delta", "kind": "Phone", "price": None, "tags": "", "eco": None},
]


def tool(block: dict[str, Any], inputs: list[dict[str, Any]] | None = None) -> Any:
    return parse_tool(
        {
            "id": "finder",
            "title": "Finder",
            "kind": "calculator",
            "inputs": inputs
            or [
                {"id": "budget", "type": "currency", "label": "Budget", "default": 1000},
                {"id": "kind", "type": "text", "label": "Kind", "required": False},
            ],
            "tables": [
                {"name": "items", "columns": ["name", "kind", "price", "tags", "eco"], "rows": ROWS}
            ],  # fmt: skip
            "results": [
                {"type": "table_recommendations", "table": "items", "title_column": "name", **block}
            ],  # fmt: skip
        }
    )


def titles(definition: Any, answers: dict[str, Any]) -> list[str]:
    block = run(definition, answers).blocks[0]
    return [card.title for card in block.cards]


@pytest.mark.parametrize(
    ("cell", "op", "value", "expected"),
    [
        (899.5, "lte", 900, True),
        (899.5, "lt", 899.5, False),
        (899.5, "gte", 899.5, True),
        ("Laptop", "eq", "laptop", True),
        ("Laptop", "eq", " LAPTOP ", True),
        ("Laptop", "ne", "Tablet", True),
        ("Laptop", "in", ["tablet", "laptop"], True),
        ("Phone", "in", ["tablet", "laptop"], False),
        ("work, travel", "contains", "travel", True),
        ("gaming", "contains", ["travel", "work"], False),
        (None, "eq", "x", False),
        (None, "ne", "x", True),
        ("n/a", "lte", 5, False),
        (12, "eq", 12.0, True),
        (True, "eq", True, True),
    ],
)
def test_filter_operators_follow_the_documented_semantics(
    cell: Any, op: str, value: Any, expected: bool
) -> None:
    assert matches(cell, op, value) is expected


def test_rows_are_filtered_by_the_answers_and_sorted() -> None:
    definition = tool(
        {
            "filters": [
                {"column": "price", "op": "lte", "value": "budget"},
                {"column": "kind", "op": "eq", "value": "kind"},
            ],
            "sort_by": "price",
            "limit": 5,
        }  # fmt: skip
    )
    assert titles(definition, {"budget": 1000}) == ["Gamma", "Beta"]
    assert titles(definition, {"budget": 2000, "kind": "Laptop"}) == ["Beta", "Alpha"]
    assert titles(definition, {"budget": 100}) == []


def test_an_unanswered_filter_is_left_out() -> None:
    definition = tool({"filters": [{"column": "kind", "op": "eq", "value": "kind"}]})
    assert titles(definition, {"budget": 1}) == ["Alpha", "Beta", "Gamma"]  # limit 3


def test_descending_sort_puts_blanks_last_and_limit_cuts() -> None:
    definition = tool({"sort_by": "price", "descending": True, "limit": 4})
    assert titles(definition, {"budget": 1}) == ["Alpha", "Beta", "Gamma", "Delta"]
    definition = tool({"sort_by": "name", "descending": True, "limit": 2})
    assert titles(definition, {"budget": 1}) == ["Gamma", "Delta"]


def test_shown_columns_are_formatted_like_calculations() -> None:
    definition = tool(
        {
            "show": [
                {"column": "price", "label": "Price", "format": "currency", "decimals": 2},
                {"column": "eco", "label": "Eco"},
                {"column": "kind"},
            ],
            "sort_by": "price",
            "limit": 1,
        }  # fmt: skip
    )
    card = run(definition, {"budget": 1}).blocks[0].cards[0]
    assert card.title == "Gamma"
    assert [(f.label, f.display) for f in card.fields] == [
        ("Price", "$499.00"), ("Eco", "Yes"), ("kind", "Tablet"),
    ]  # fmt: skip


def test_no_match_shows_the_empty_text() -> None:
    definition = tool(
        {
            "filters": [{"column": "price", "op": "lt", "value": "budget"}],
            "empty_text": "Nothing fits.",
        }  # fmt: skip
    )
    block = run(definition, {"budget": 10}).blocks[0]
    assert block.cards == [] and block.text == "Nothing fits."


def test_unknown_table_and_columns_are_named_by_path() -> None:
    with pytest.raises(Exception) as info:
        tool({"sort_by": "weight", "filters": [{"column": "colour", "value": "1"}]})
    text = str(info.value.errors if hasattr(info.value, "errors") else info.value)
    assert "results[0].sort_by" in text and "weight" in text
    assert "results[0].filters[0].column" in text and "colour" in text


def test_verification_checks_filter_formulas() -> None:
    definition = tool({"filters": [{"column": "price", "op": "lte", "value": "budgett"}]})
    report = verify(definition)
    assert any("budgett" in e.message and "filters[0]" in e.path for e in report.errors)
