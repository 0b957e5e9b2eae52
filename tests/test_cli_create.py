"""`keyvex create`: the co-creation flow from the command line, offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from keyvex.cli import app as keyvex_cli
from keyvex.cli_create import register

runner = CliRunner()
BRIEF = "An ROI calculator that shows dental practices what missed recalls cost them"


def _cli() -> typer.Typer:
    """The real `keyvex` command once it includes `create`; until then, one with just that."""
    if any(c.name == "create" for c in keyvex_cli.registered_commands):
        return keyvex_cli
    app = typer.Typer()
    app.callback()(lambda: None)
    register(app)
    return app


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KEYVEX_ENV", "test")
    target = tmp_path / "data"
    made = runner.invoke(
        keyvex_cli,
        ["users", "create", "owner@example.com", "--admin", "--password-stdin",
         "--data-dir", str(target)],
        input="correct horse battery\n",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    return target


def test_create_with_defaults_prints_the_contract_json(data_dir: Path) -> None:
    result = runner.invoke(
        _cli(), ["create", "--brief", BRIEF, "--defaults", "--json", "--data-dir", str(data_dir)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["tool_id", "kind", "template", "quality", "fit", "url"]
    assert data["kind"] == "calculator" and data["url"] is None
    assert data["template"] is None or isinstance(data["template"], str)
    assert isinstance(data["quality"], int) and data["quality"] > 0
    assert set(data["fit"]) == {"level", "covered", "missing"}
    assert data["fit"]["level"] in ("high", "medium", "low")


def test_a_brief_outside_the_knowledge_base_reports_a_low_fit_with_what_is_missing(
    data_dir: Path,
) -> None:
    brief = "A scorecard telling hobby beekeepers how healthy their hives are before winter"
    args = ["create", "--brief", brief, "--defaults", "--json", "--data-dir", str(data_dir)]
    result = runner.invoke(_cli(), args)
    assert result.exit_code == 0, result.output
    fit = json.loads(result.stdout)["fit"]
    assert fit["level"] == "low"
    assert any("knowledge base has nothing" in m for m in fit["missing"]), fit


def test_create_and_publish_gives_a_url(data_dir: Path) -> None:
    args = ["create", "--brief", BRIEF, "--defaults", "--publish", "--json"]
    result = runner.invoke(_cli(), [*args, "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    url = json.loads(result.stdout)["url"]
    assert url.startswith("http://127.0.0.1:8000/t/")


def test_answers_file_is_used_and_a_missing_answer_is_one_clear_line(
    data_dir: Path, tmp_path: Path
) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text("{}")
    args = ["create", "--brief", BRIEF, "--answers", str(answers), "--data-dir", str(data_dir)]
    result = runner.invoke(_cli(), args)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: No answer for question")
    assert "Traceback" not in result.output
    answers.write_text("[1, 2]")
    result = runner.invoke(_cli(), args)
    assert result.exit_code == 1 and "JSON object" in result.stderr


def test_human_output_and_unknown_owner(data_dir: Path) -> None:
    args = ["create", "--brief", BRIEF, "--defaults", "--data-dir", str(data_dir)]
    result = runner.invoke(_cli(), args)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Built '") and "quality" in result.stdout
    result = runner.invoke(_cli(), [*args, "--email", "nobody@example.com"])
    assert result.exit_code == 1 and "no user" in result.stderr
