"""Binding tables to data: value conversion, column maps, filters, lookups verified, limits."""

from __future__ import annotations

from typing import Any

import pytest

from keyvex.data._coerce import coerce_column, guess_type, parse_number
from keyvex.data._types import Dataset
from keyvex.data.binding import DATE_COLUMNS, table_from_dataset, with_rows
from keyvex.engine import run
from keyvex.errors import Invalid
from keyvex.tools import DataTable, TableRecommendationsBlock, get_template

from . import _api as api


@pytest.mark.parametrize(
    ("text", "comma", "expected"),
    [
        ("$1,234.50", False, 1234.5),
        ("1.234,50 EUR", True, 1234.5),
        ("(1,234.00)", False, -1234.0),
        ("-$5", False, -5.0),
        ("12%", False, 0.12),
        ("12.5 %", False, 0.125),
        ("£ 99", False, 99.0),
        ("abc", False, None),
        ("", False, None),
        (7, False, 7.0),
        (True, False, None),
    ],
)
def test_numbers_are_read_as_people_write_them(text: Any, comma: bool, expected: Any) -> None:
    assert parse_number(text, comma=comma) == expected


def test_columns_convert_by_type_and_keep_unparseable_text() -> None:
    assert coerce_column(["$1,000.00", "n/a", "", None], "currency") == [1000.0, "n/a", None, None]
    assert coerce_column(["1.234,5", "2,5"], "number") == [1234.5, 2.5]
    assert coerce_column(["yes", "No", "maybe"], "boolean") == [True, False, "maybe"]
    assert coerce_column(["a", ""], "string") == ["a", None]


def test_types_are_guessed_when_no_analysis_exists() -> None:
    assert guess_type(["$5", "$6.50", "", "7"]) == "number"
    assert guess_type(["yes", "no", "Y"]) == "boolean"
    assert guess_type(["red", "5"]) == "string"


def bound(columns: list[str], **binding: Any) -> DataTable:
    return DataTable.model_validate(
        {"name": "items", "columns": columns, "binding": {"source_id": "s1", **binding}}
    )


DATA = Dataset(
    columns=["Product name", "Price (USD)", "Active"],
    rows=[["A", "$10.00", "yes"], ["B", "$20.00", "no"], ["C", "$30.00", "yes"]],
)


def test_a_column_map_reads_source_columns_and_a_filter_keeps_rows() -> None:
    table = bound(
        ["name", "price", "active"],
        column_map={"name": "Product name", "price": "Price (USD)", "active": "Active"},
        filter="active and price > 15",
    )
    rows, dates = table_from_dataset(table, DATA, {"Price (USD)": "currency"}, "tables[0]")
    assert rows == [{"name": "C", "price": 30.0, "active": True}]
    assert dates == []


EVENTS = Dataset(
    columns=["Event", "Starts"],
    rows=[["Kick-off", "2024-02-29"], ["Review", "2024-03-15"]],
)


def test_date_columns_reach_formulas_as_serial_numbers_and_show_as_dates() -> None:
    """A date a creator's table showed as text before dates became numbers stays a date on
    the page (not '45,351'), and formulas get the number DATE() gives."""
    table = bound(["event", "starts"], column_map={"event": "Event", "starts": "Starts"})
    rows, dates = table_from_dataset(table, EVENTS, {"Starts": "date"}, "tables[0]")
    assert rows[0] == {"event": "Kick-off", "starts": 45351.0}
    assert dates == ["starts"]
    block = TableRecommendationsBlock.model_validate(
        {
            "type": "table_recommendations",
            "table": "items",
            "title_column": "event",
            "show": [{"column": "starts", "label": "Starts"}, {"column": "event"}],
        }
    )
    tool = get_template("roi-calculator")
    tool = tool.model_copy(update={"tables": [table], "results": [*tool.results, block]})
    shown = with_rows(tool, {"items": rows, DATE_COLUMNS: [{"table": "items", "column": "starts"}]})
    views = shown.results[-1].show  # type: ignore[union-attr]
    assert [v.format for v in views] == ["date", "text"]
    cards = run(shown, {}).blocks[-1].cards
    assert [f.display for f in cards[0].fields] == ["29 Feb 2024", "Kick-off"]
    assert with_rows(tool, {"items": rows}).results[-1] == block  # an older data blob


def test_a_missing_source_column_is_named() -> None:
    table = bound(["name", "weight"], column_map={"name": "Product name"})
    with pytest.raises(Invalid) as info:
        table_from_dataset(table, DATA, {}, "tables[0]")
    assert "'weight'" in info.value.message
    assert info.value.fields == {"tables[0].binding.column_map": "'weight' is not a source column."}


RATES = "Plan,Monthly rate\nbasic,$10.00\npro,$25.00\n"


def rate_tool(source_id: str, plans: list[str]) -> dict[str, Any]:
    return {
        "id": "plan-cost",
        "title": "Plan cost",
        "kind": "calculator",
        "inputs": [
            {
                "id": "plan",
                "type": "select",
                "label": "Plan",
                "default": plans[0],
                "options": [{"value": p, "label": p} for p in plans],
            },
            {
                "id": "months",
                "type": "number",
                "label": "Months",
                "default": 12,
                "min": 1,
                "max": 60,
            },
        ],  # fmt: skip
        "tables": [
            {
                "name": "rates",
                "columns": ["plan", "rate"],
                "binding": {
                    "source_id": source_id,
                    "column_map": {"plan": "Plan", "rate": "Monthly rate"},
                },
            }
        ],  # fmt: skip
        "calculations": [
            {
                "id": "total",
                "label": "Total",
                "formula": 'LOOKUP(rates, plan, "rate") * months',
                "format": "currency",
            }
        ],  # fmt: skip
        "results": [{"type": "metric", "value": "total"}],
    }


def test_lookups_on_bound_data_are_verified_and_missing_keys_refuse_publishing(
    alice: Any,
) -> None:
    source = api.file_source(alice, RATES)
    api.synced(alice, source["id"])
    good = alice.post("/api/v1/tools", json=rate_tool(source["id"], ["basic", "pro"])).json()
    published = alice.post(f"/api/v1/tools/{good['id']}/publish", json={})
    assert published.status_code == 200, published.text
    evaluated = alice.client.post(
        f"/t/{published.json()['slug']}/result", json={"answers": {"plan": "pro", "months": 2}}
    ).json()
    assert evaluated["result"]["blocks"][0]["display"] == "$50"

    gap = rate_tool(source["id"], ["basic", "pro", "enterprise"])
    gap["id"] = "plan-cost-2"
    bad = alice.post("/api/v1/tools", json=gap).json()
    refused = alice.post(f"/api/v1/tools/{bad['id']}/publish", json={})
    assert refused.status_code == 422
    assert "enterprise" in refused.text and "first column" in refused.text


def test_a_snapshot_over_the_size_limit_is_refused(alice: Any) -> None:
    app = api.app_of(alice)
    app.settings = app.settings.model_copy(update={"data_snapshot_max_bytes": 10_000})
    big = "Plan,Monthly rate\n" + "".join(f"plan{n},${n}.00\n" for n in range(2000))
    source = api.file_source(alice, big)
    api.synced(alice, source["id"])
    tool = alice.post("/api/v1/tools", json=rate_tool(source["id"], ["plan1", "plan2"])).json()
    refused = alice.post(f"/api/v1/tools/{tool['id']}/publish", json={})
    assert refused.status_code == 422
    assert "may carry at most 10 KB" in refused.json()["detail"]


def test_uploads_over_the_limit_are_refused(alice: Any) -> None:
    app = api.app_of(alice)
    app.settings = app.settings.model_copy(update={"data_max_upload_bytes": 2_000})
    response = alice.post(
        "/api/v1/data-sources/uploads?filename=big.csv", content=b"a,b\n" + b"1,2\n" * 1000
    )
    assert response.status_code == 422
    assert "larger than" in response.json()["detail"]
