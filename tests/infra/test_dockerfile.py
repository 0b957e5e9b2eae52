"""The Dockerfile and the services' commands: every command the image or a task runs is a
real `keyvex` command with real options (parsed by the CLI itself, not run)."""

from __future__ import annotations

import json
import re
import tomllib

import pytest
import typer

from keyvex.cli import app
from tests.infra._synth import INFRA

ROOT = INFRA.parent
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def _instructions(name: str) -> list[str]:
    joined = DOCKERFILE.replace("\\\n", " ")
    return [m.group(1).strip() for m in re.finditer(rf"^{name}\s+(.+)$", joined, re.M)]


def _parses(argv: list[str]) -> None:
    """Let the CLI parse ``argv`` (bad commands and options raise click's usage errors)."""
    assert argv[0] == "keyvex"
    group = typer.main.get_command(app)
    command = group.commands[argv[1]]  # type: ignore[attr-defined]
    with command.make_context(argv[1], list(argv[2:])) as ctx:
        assert ctx.command is command


def test_the_default_command_serves_on_every_interface() -> None:
    (cmd,) = _instructions("CMD")
    argv = json.loads(cmd)
    assert argv == ["keyvex", "serve", "--host", "0.0.0.0"]
    _parses(argv)
    assert _instructions("EXPOSE") == ["8000"]  # KEYVEX_PORT's default


def test_the_services_commands_are_real_cli_commands() -> None:
    from keyvex_infra.services import WEB_COMMAND, WEB_PORT, WORKER_COMMAND

    _parses(WEB_COMMAND)
    _parses(WORKER_COMMAND)
    assert str(WEB_PORT) in _instructions("EXPOSE")


def test_a_wrong_option_would_be_caught() -> None:
    with pytest.raises(Exception, match="No such option: --listen"):
        _parses(["keyvex", "serve", "--listen", "0.0.0.0"])


def test_the_image_installs_existing_extras_and_runs_as_a_user() -> None:
    assert _instructions("FROM")[-1] == "python:3.11-slim"
    (install,) = [r for r in _instructions("RUN") if "pip install" in r]
    extras = set(re.search(r"\.\[([a-z,]+)\]", install).group(1).split(","))  # type: ignore[union-attr]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert extras == {"aws", "redis", "queue"}
    assert extras <= set(project["optional-dependencies"])
    (user,) = _instructions("USER")
    assert user not in ("root", "0")
    assert any(user in r for r in _instructions("RUN") if "useradd" in r)


def test_the_build_context_holds_only_what_the_image_needs() -> None:
    lines = [
        line
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert lines[0] == "*"
    kept = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    copied = {part for c in _instructions("COPY") if "--from" not in c for part in c.split()[:-1]}
    assert copied <= kept
    assert all((ROOT / path).exists() for path in kept)
