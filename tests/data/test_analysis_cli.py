"""`keyvex data analyze`: the JSON shape, the human summary and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from keyvex.cli import app

from ._workbooks import FILES, write_xlsx_cells

runner = CliRunner()


def catalogue_csv(path: Path) -> Path:
    lines = ["Product,Category,Price,Email"]
    lines += [
        f'Item {i},{"AB"[i % 2]},"${i},000.50",{"" if i % 3 else f"a{i}@x.io"}' for i in range(9)
    ]
    lines.append(lines[1])  # one duplicate row
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_json_output_has_exactly_the_documented_shape(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["data", "analyze", str(catalogue_csv(tmp_path / "c.csv")), "--json"]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert set(body) == {
        "row_count",
        "column_count",
        "quality",
        "columns",
        "suggested_tool_types",
        "field_mappings",
        "suggestions",
    }
    assert body["row_count"] == 10
    assert set(body["quality"]) == {
        "score", "completeness", "type_consistency", "uniqueness", "duplicate_rows",
        "duplicate_pct",
    }  # fmt: skip
    assert body["quality"]["duplicate_rows"] == 1
    assert all(
        set(c) == {"name", "type", "null_pct", "distinct_count", "distinct_estimated", "min",
                   "max", "samples", "consistency", "currency", "date_format"}
        for c in body["columns"]
    )  # fmt: skip
    price = next(c for c in body["columns"] if c["name"] == "Price")
    assert (price["type"], price["samples"][0]) == ("currency", "$0,000.50")
    assert all(set(s) == {"kind", "confidence", "reason"} for s in body["suggested_tool_types"])
    assert {m["column"] for m in body["field_mappings"]} >= {"Product", "Category", "Price"}


def test_the_summary_shows_a_column_table_quality_and_suggestions(tmp_path: Path) -> None:
    result = runner.invoke(app, ["data", "analyze", str(catalogue_csv(tmp_path / "c.csv"))])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "c.csv: 10 rows, 4 columns" in out
    assert "Quality 0." in out
    header = next(line for line in out.splitlines() if line.startswith("column"))
    assert header.split() == ["column", "type", "null", "%", "distinct", "range", "samples"]
    assert any(line.split()[:2] == ["Price", "currency"] for line in out.splitlines())
    assert "- Column Email is 60% empty." in out
    assert "- 1 duplicate row." in out


def test_a_missing_file_is_one_error_line_and_exit_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["data", "analyze", str(tmp_path / "absent.csv")])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"Error: There is no file at {tmp_path / 'absent.csv'}."
    ]


def test_an_empty_file_is_one_error_line_and_exit_1(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"  \n")
    result = runner.invoke(app, ["data", "analyze", str(path), "--json"])
    assert result.exit_code == 1
    assert result.stderr == "Error: empty.csv is empty.\n"
    assert "Traceback" not in result.output


def test_data_is_listed_in_the_main_help() -> None:
    result = runner.invoke(app, ["--help"])
    assert "data" in result.stdout
    assert "analyze" in runner.invoke(app, ["data", "--help"]).stdout


def test_a_hostile_workbook_is_one_error_line_and_exit_1_in_a_real_process(
    tmp_path: Path,
) -> None:
    """The probe's workbooks (A1 and XFD1048576; A1 and IV65536 in .xls) aborted the CLI with a
    Rust backtrace; the command runs as it would from a shell, in a process of its own."""
    far = write_xlsx_cells(tmp_path / "far.xlsx", {"A1": "a", "XFD1048576": 1})
    for path in (far, FILES / "a_to_iv65536.xls"):
        done = subprocess.run(
            [sys.executable, "-m", "keyvex", "data", "analyze", str(path)],
            capture_output=True, text=True, timeout=120, env={**os.environ, "RUST_BACKTRACE": "1"},
        )  # fmt: skip
        assert done.returncode == 1, done.stderr
        assert done.stdout == ""
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), done.stderr
        assert "backtrace" not in done.stderr and "Traceback" not in done.stderr
