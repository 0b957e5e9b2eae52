"""A Redis that is missing or unreachable at start is one line from `keyvex serve`, never a
traceback. These run without a Redis: they are about its absence."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(
    tmp_path: Path, pythonpath: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KEYVEX_")}
    clean.update(env, KEYVEX_CONFIG=str(tmp_path / "absent.toml"))
    if pythonpath is not None:
        clean["PYTHONPATH"] = pythonpath + os.pathsep + clean.get("PYTHONPATH", "")
    command = [
        sys.executable,
        "-m",
        "keyvex",
        "serve",
        "--port",
        str(_free_port()),
        "--data-dir",
        str(tmp_path / "d"),
    ]
    return subprocess.run(command, env=clean, capture_output=True, text=True, timeout=60)


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_an_unreachable_redis_url_is_one_line_and_exit_1(tmp_path: Path) -> None:
    line = _one_line(_serve(tmp_path, KEYVEX_REDIS_URL="redis://:hunter2@127.0.0.1:1/0"))
    assert (
        line
        == "Error: KEYVEX_REDIS_URL=redis://:***@127.0.0.1:1/0: cannot connect (Connection refused)"
    )


def test_an_unreachable_rate_limit_storage_is_one_line(tmp_path: Path) -> None:
    line = _one_line(_serve(tmp_path, KEYVEX_RATE_LIMIT_STORAGE="redis://127.0.0.1:1"))
    assert line == (
        "Error: KEYVEX_RATE_LIMIT_STORAGE=redis://127.0.0.1:1: cannot connect (Connection refused)"
    )


def test_a_url_that_is_not_redis_is_one_line(tmp_path: Path) -> None:
    line = _one_line(_serve(tmp_path, KEYVEX_REDIS_URL="http://127.0.0.1:6379"))
    assert line == (
        "Error: Invalid settings: KEYVEX_REDIS_URL: Value error, must be a Redis URL "
        "(redis://, rediss:// or unix://)"
    )


@pytest.mark.parametrize("setting", ["KEYVEX_REDIS_URL", "KEYVEX_RATE_LIMIT_STORAGE"])
def test_a_missing_redis_package_says_which_extra_to_install(tmp_path: Path, setting: str) -> None:
    # A `redis` that cannot be imported, as on an install without the redis extra.
    shadow = tmp_path / "shadow"
    (shadow / "redis").mkdir(parents=True)
    (shadow / "redis" / "__init__.py").write_text(
        "raise ImportError(\"No module named 'redis'\")\n"
    )
    line = _one_line(_serve(tmp_path, str(shadow), **{setting: "redis://127.0.0.1:6379"}))
    assert line == (
        f"Error: {setting}=redis://127.0.0.1:6379: the redis package is not installed "
        "(pip install 'keyvex[redis]')."
    )
