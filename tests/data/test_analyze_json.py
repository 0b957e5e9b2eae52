"""`keyvex data analyze --json` carries what the analysis page shows: distinct counts, min and
max, currency code, date format (and the rest of each column's profile), as the README says."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from keyvex.cli import app
from keyvex.data.analysis import ColumnProfile

from .test_pages import Creator

README = Path(__file__).resolve().parents[2] / "README.md"
#: Euro prices, day-first dates, a yes/no column and a column with empties.
SAMPLE = (
    "Product,Category,Price,Launched,In stock,Rating\n"
    '"Trail tent",Tents,"€1.299,00",31/01/2024,yes,4.5\n'
    '"Family tent",Tents,"€899,00",15/03/2023,no,\n'
    '"Down bag",Sleeping bags,"€429,50",02/11/2022,yes,4.8\n'
    '"Camp stove",Cooking,"€59,90",20/06/2024,yes,3.9\n'
    '"Cook set",Cooking,"€34,00",13/12/2021,no,4.1\n'
)
runner = CliRunner()


def analyze_json(path: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["data", "analyze", str(path), "--json"])
    assert result.exit_code == 0, result.output
    body: dict[str, Any] = json.loads(result.stdout)
    return body


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "gear.csv"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def test_each_column_carries_distinct_count_range_currency_and_date_format(
    sample: Path,
) -> None:
    body = analyze_json(sample)
    assert (body["row_count"], body["column_count"]) == (5, 6)
    columns = {c["name"]: c for c in body["columns"]}
    price = columns["Price"]
    assert (price["type"], price["currency"], price["min"], price["max"]) == (
        "currency", "EUR", 34, 1299,
    )  # fmt: skip
    assert price["distinct_count"] == 5 and price["distinct_estimated"] is False
    launched = columns["Launched"]
    assert (launched["type"], launched["date_format"]) == ("date", "%d/%m/%Y")
    assert (launched["min"], launched["max"]) == ("2021-12-13", "2024-06-20")
    category = columns["Category"]
    assert (category["distinct_count"], category["min"], category["currency"]) == (3, None, None)
    assert columns["In stock"]["type"] == "boolean"
    rating = columns["Rating"]
    assert (rating["null_pct"], rating["min"], rating["max"]) == (20.0, 3.9, 4.8)
    assert all(0 <= c["consistency"] <= 1 for c in body["columns"])


def test_every_column_has_every_profile_field_even_when_it_does_not_apply(
    sample: Path,
) -> None:
    expected = set(ColumnProfile.model_fields) - {"best_other"}  # internal, never shown
    for column in analyze_json(sample)["columns"]:
        assert set(column) == expected


def test_the_clean_up_suggestions_the_page_lists_are_in_the_json(sample: Path) -> None:
    suggestions = analyze_json(sample)["suggestions"]
    assert any("Rating" in s and "20%" in s for s in suggestions), suggestions


def test_the_readme_names_exactly_the_keys_the_json_has(sample: Path) -> None:
    row = next(
        line for line in README.read_text().splitlines()
        if line.startswith("| `keyvex data analyze")
    )  # fmt: skip
    top = re.search(r"prints `\{(.*?)\}`", row)
    assert top, row
    body = analyze_json(sample)
    assert set(re.findall(r'"(\w+)"', top.group(1))) == set(body)
    named = set(re.findall(r"`(\w+)`", row.split("each column has", 1)[1]))
    assert named == set(body["columns"][0])


def page_columns(page: str) -> dict[str, dict[str, str]]:
    """The analysis page's column table: name -> type, distinct, range."""
    table = page[page.index('id="data-columns"') :]
    table = table[: table.index("</table>")]
    rows = {}
    for row in re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", table, re.S):
        name, rest = row.split("</th>", 1)
        cells = [
            unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", rest, re.S)
        ]
        rows[unescape(name)] = {"type": cells[0], "distinct": cells[2], "range": cells[3]}
    return rows


def test_the_json_and_the_analysis_page_show_the_same_figures(browser: Any, sample: Path) -> None:
    creator = Creator(browser, "alice@example.com")
    source_id = creator.file_source(SAMPLE, name="Gear")
    page = creator.get(f"/dashboard/data/{source_id}/analysis").text
    shown = page_columns(page)
    body = analyze_json(sample)
    assert set(shown) == {c["name"] for c in body["columns"]}
    for column in body["columns"]:
        row = shown[column["name"]]
        kind = column["type"] + (f" ({column['currency']})" if column["currency"] else "")
        assert row["type"] == kind
        assert row["distinct"] == f"{column['distinct_count']:,}"
        expected = "" if column["min"] is None else f"{column['min']} – {column['max']}"
        assert row["range"] == expected, column["name"]
