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


ERROR_CODES = frozenset({"PARSE", "DIV_ZERO", "TYPE", "NAME", "ARG", "NUM", "LIMIT", "NA"})


def _outcome_python(source: str, variables: Any, tables: Any) -> tuple[str, Any]:
    try:
        return ("ok", keyvex.formula.evaluate(source, variables, tables))
    except keyvex.formula.FormulaError as error:
        return ("error", error.code)


def _outcome_js(result: dict[str, Any]) -> tuple[str, Any]:
    if not result["ok"]:
        return ("error", result["code"])
    value = result["value"]
    if isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if isinstance(value, list):
        value = [float(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in value]
    return ("ok", value)


def _expected(value: Any) -> tuple[str, Any]:
    if isinstance(value, str) and value in ERROR_CODES:
        return ("error", value)
    return ("ok", float(value) if type(value) is int else value)


def _agree(got: tuple[str, Any], want: tuple[str, Any]) -> bool:
    if got[0] != want[0]:
        return False
    a, b = got[1], want[1]
    if isinstance(a, float) and isinstance(b, float):
        return a == b or abs(a - b) <= 1e-12 * max(abs(a), abs(b))
    return type(a) is type(b) and a == b


class BothEvaluators:
    """Checks (formula, spreadsheet answer) cases in Python and in formula.js."""

    def __init__(self, runtime: NodeRuntime | None) -> None:
        self.runtime = runtime

    def check(
        self, cases: list[tuple[str, Any]], variables: Any = None, tables: Any = None
    ) -> None:
        variables, tables = variables or {}, tables or {}
        wrong = []
        for source, expected in cases:
            got = _outcome_python(source, variables, tables)
            if not _agree(got, _expected(expected)):
                wrong.append(("python", source, got, expected))
        if self.runtime is not None:
            batch = [
                {
                    "ast": keyvex.formula.compile(source).to_json(),
                    "variables": variables,
                    "tables": tables,
                }
                for source, _ in cases
            ]
            for (source, expected), result in zip(cases, self.runtime.evaluate(batch), strict=True):
                got = _outcome_js(result)
                if not _agree(got, _expected(expected)):
                    wrong.append(("javascript", source, got, expected))
        assert not wrong, wrong


@pytest.fixture
def both(node_runtime: NodeRuntime) -> BothEvaluators:
    """Runs cases through both evaluators (the JS side is skipped only without node)."""
    return BothEvaluators(node_runtime)
