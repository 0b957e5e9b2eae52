"""The `keyvex` command line, run as a user would (subprocesses for serve)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from keyvex import __version__
from keyvex.cli import app

runner = CliRunner()
KEYVEX = [sys.executable, "-m", "keyvex"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_version() -> None:
    result = runner.invoke(app, ["version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"keyvex {__version__}"


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    for command in ("serve", "users", "tokens", "version"):
        assert command in result.output


def test_users_create_then_tokens_create(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    created = runner.invoke(
        app,
        ["users", "create", "ops@example.com", "--admin", "--password-stdin", "--data-dir", data],
        input="a long enough password\n",
    )
    assert created.exit_code == 0, created.output
    assert "Created administrator ops@example.com" in created.output
    token = runner.invoke(
        app, ["tokens", "create", "ops@example.com", "deploy", "--data-dir", data]
    )
    assert token.exit_code == 0, token.output
    assert token.output.strip().startswith("kvx_")


def test_users_create_explains_bad_input_in_one_line(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    args = ["users", "create", "bad-email", "--password-stdin", "--data-dir", data]
    result = runner.invoke(app, args, input="a long enough password\n")
    assert result.exit_code == 1
    assert "Error: The email address is not valid." in result.output
    assert "Traceback" not in result.output
    short = runner.invoke(
        app,
        ["users", "create", "a@example.com", "--password-stdin", "--data-dir", data],
        input="x\n",
    )
    assert short.exit_code == 1 and "at least 10 characters" in short.output


def test_tokens_create_for_an_unknown_user(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["tokens", "create", "ghost@example.com", "x", "--data-dir", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert "There is no user with the email ghost@example.com." in result.output


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEYVEX_")}
    env["KEYVEX_CONFIG"] = str(tmp_path / "absent.toml")
    return env


def test_serve_answers_healthz_within_three_seconds(tmp_path: Path) -> None:
    port = _free_port()
    started = time.monotonic()
    proc = subprocess.Popen(
        [*KEYVEX, "serve", "--port", str(port)],
        cwd=tmp_path,
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status = None
        while time.monotonic() - started < 3.0 and status != 200:
            try:
                status = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=0.5).status_code
            except httpx.TransportError:
                time.sleep(0.05)
        assert status == 200, "no answer on /healthz within 3 s"
        assert (tmp_path / "keyvex-data" / "keyvex.db").exists()
    finally:
        proc.terminate()
        output = proc.communicate(timeout=10)[0]
    assert f"http://127.0.0.1:{port}/" in output


def test_serve_reports_a_port_in_use_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [*KEYVEX, "serve", "--port", str(port)],
            cwd=tmp_path,
            env=_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == f"Error: Port {port} on 127.0.0.1 is already in use; pick another with --port."
    )


def test_serve_reports_an_unwritable_data_dir_in_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = subprocess.run(
        [*KEYVEX, "serve", "--data-dir", str(blocker / "data")],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Error: The data directory")
    assert "Traceback" not in result.stderr


def test_every_command_in_the_readme_exists() -> None:
    import re

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    commands = set(re.findall(r"^\| `keyvex ([a-z]+(?: [a-z]+)?)", readme, re.MULTILINE))
    assert {"serve", "version", "create"} <= {c.split()[0] for c in commands}
    for command in sorted(commands):
        words = command.split()
        result = runner.invoke(app, [*words, "--help"])
        if result.exit_code != 0 and len(words) == 2:  # "verify FILE": the 2nd word is an argument
            result = runner.invoke(app, [words[0], "--help"])
        assert result.exit_code == 0, f"keyvex {command}: {result.output}"
