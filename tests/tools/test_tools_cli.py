"""CLI commands: verify, schema and templates, registered on a local Typer app."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from keyvex.tools import get_template
from keyvex.tools.cli import register

app = typer.Typer()
register(app)
runner = CliRunner()


def test_verify_clean_template_exits_zero(tmp_path: Path) -> None:
    path = tmp_path / "roi.json"
    template = get_template("roi-calculator").model_dump_json()
    path.write_text(template.replace("https://example.com/book-a-call", "tel:+441632960001"))
    result = runner.invoke(app, ["verify", str(path)])
    assert result.exit_code == 0, result.output
    assert "OK - quality 100/100" in result.output
    assert "test cases 4/4 passed" in result.output


def test_verify_warns_about_a_placeholder_link_without_failing(tmp_path: Path) -> None:
    path = tmp_path / "roi.json"
    path.write_text(get_template("roi-calculator").model_dump_json())  # ships example.com
    result = runner.invoke(app, ["verify", str(path)])
    assert result.exit_code == 0, result.output
    assert "OK - quality 95/100, 0 error(s), 1 warning(s)" in result.output
    assert "links to example.com, a placeholder address" in result.output


def test_verify_reports_errors_and_exits_one(tmp_path: Path) -> None:
    data = json.loads(get_template("roi-calculator").model_dump_json())
    data["theme"]["text"] = "#ffffff"
    data["calculations"][0]["formula"] = "monthly_revenue_gain * margin"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    result = runner.invoke(app, ["verify", str(path)])
    assert result.exit_code == 1
    assert "FAILED" in result.output
    assert "error: theme.text:" in result.output and "[low_contrast]" in result.output
    assert "error: calculations[0].formula:" in result.output


def test_verify_json_output(tmp_path: Path) -> None:
    path = tmp_path / "quiz.json"
    path.write_text(get_template("leadership-style-quiz").model_dump_json())
    result = runner.invoke(app, ["verify", str(path), "--json"])
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert report["ok"] is True and report["tool_id"] == "leadership-style-quiz"


def test_verify_unreadable_file_exits_two_with_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["verify", str(tmp_path / "missing.json")])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert "Cannot read" in result.output


def test_verify_invalid_json_is_a_schema_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{")
    result = runner.invoke(app, ["verify", str(path)])
    assert result.exit_code == 1
    assert "not valid JSON" in result.output


def test_schema_prints_json_schema() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output)["title"] == "ToolDefinition"


def test_templates_list_and_show() -> None:
    listed = runner.invoke(app, ["templates", "list"])
    assert listed.exit_code == 0
    assert "roi-calculator" in listed.output and "assessment" in listed.output
    shown = runner.invoke(app, ["templates", "show", "email-marketing-quiz"])
    assert shown.exit_code == 0
    assert json.loads(shown.output)["kind"] == "quiz"
    missing = runner.invoke(app, ["templates", "show", "nope"])
    assert missing.exit_code == 1
    assert "no template called 'nope'" in missing.output
