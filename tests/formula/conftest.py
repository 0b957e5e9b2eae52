"""Fixtures for the formula tests: one long-lived node process running the JS runtime."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import keyvex.formula

JS_RUNTIME = Path(keyvex.formula.__file__).parent / "js" / "formula.js"
JS_MORE = JS_RUNTIME.with_name("formula-more.js")
DRIVER = Path(__file__).parent / "driver.js"


class NodeRuntime:
    """Evaluates batches of ASTs in one node process, speaking JSON lines."""

    def __init__(self, node: str) -> None:
        self.process = subprocess.Popen(
            [node, str(DRIVER), str(JS_RUNTIME), str(JS_MORE)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def evaluate(self, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(cases, allow_nan=False) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the node driver exited")
        results: list[dict[str, Any]] = json.loads(line)
        return results

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()


@pytest.fixture(scope="session")
def node_runtime() -> Iterator[NodeRuntime]:
    node = shutil.which("node") or ("/usr/bin/node" if Path("/usr/bin/node").exists() else None)
    if node is None:
        if os.environ.get("KEYVEX_REQUIRE_SERVICES") == "1":
            pytest.fail("node is required (KEYVEX_REQUIRE_SERVICES=1) but was not found")
        pytest.skip("node is not installed, so the JS formula runtime cannot be compared")
    runtime = NodeRuntime(node)
    yield runtime
    runtime.close()
