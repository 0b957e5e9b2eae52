"""Export and import of tools (API and CLI): definition, tests and theme travel; problems named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from keyvex.cli import app as cli


def test_export_then_import_round_trips_through_the_api(alice: Any, bob: Any) -> None:
    tool = alice.post("/api/v1/tools/from-template/wellbeing-scorecard").json()
    exported = alice.get(f"/api/v1/tools/{tool['id']}/export").json()
    assert exported["format"] == "keyvex-tool" and exported["format_version"] == 1
    assert exported["definition"]["test_cases"] and exported["definition"]["theme"]
    assert "leads" not in json.dumps(exported).lower().replace("lead_capture", "")
    imported = bob.post("/api/v1/tools/import", json=exported)
    assert imported.status_code == 201
    assert imported.json()["definition"] == exported["definition"]
    assert bob.get(f"/api/v1/tools/{tool['id']}/export").status_code == 404


def test_import_names_every_problem_and_stores_nothing(alice: Any) -> None:
    exported = alice.get(
        f"/api/v1/tools/{alice.post('/api/v1/tools/from-template/roi-calculator').json()['id']}/export"
    ).json()
    broken = exported["definition"]
    broken["calculations"][0]["formula"] = "unknown_thing * 2"
    broken["theme"]["text"] = "#ffffff"
    broken["theme"]["background"] = "#ffffff"
    refused = alice.post("/api/v1/tools/import", json=exported)
    assert refused.status_code == 422
    fields = " ".join(e["field"] + e["message"] for e in refused.json()["errors"])
    assert "unknown_thing" in fields and "contrast" in fields.lower()
    assert len(alice.get("/api/v1/tools").json()["tools"]) == 1
    wrong_version = {**exported, "format_version": 99}
    assert alice.post("/api/v1/tools/import", json=wrong_version).status_code == 422


def test_cli_export_and_import(tmp_path: Path) -> None:
    runner = CliRunner()
    data = str(tmp_path / "data")
    runner.invoke(
        cli,
        ["users", "create", "ops@example.com", "--password-stdin", "--data-dir", data],
        input="a long enough password\n",
    )
    template = tmp_path / "tool.json"
    template.write_text(runner.invoke(cli, ["templates", "show", "roi-calculator"]).output)
    imported = runner.invoke(
        cli, ["tools", "import", str(template), "--email", "ops@example.com", "--data-dir", data]
    )
    assert imported.exit_code == 0, imported.output
    tool_id = imported.output.strip().rsplit(" ", 1)[-1].rstrip(".")
    exported = runner.invoke(
        cli, ["tools", "export", tool_id, "--email", "ops@example.com", "--data-dir", data]
    )
    assert exported.exit_code == 0, exported.output
    assert json.loads(exported.output)["definition"]["id"] == "roi-calculator"
    missing = runner.invoke(
        cli, ["tools", "import", str(tmp_path / "nope.json"), "--email", "ops@example.com"]
    )
    assert missing.exit_code == 1 and "Cannot read" in missing.output
