"""The browser runtime stays small and safe, and the Python side never executes code."""

from __future__ import annotations

import ast
import gzip
import re
from pathlib import Path
from typing import Any

import keyvex.formula as formula

PACKAGE = Path(formula.__file__).parent
RUNTIME = PACKAGE / "js" / "formula.js"


def test_the_runtime_is_under_12_kb_gzipped() -> None:
    assert len(gzip.compress(RUNTIME.read_bytes(), compresslevel=9)) < 12 * 1024


def test_the_runtime_never_evaluates_code_or_writes_html() -> None:
    source = RUNTIME.read_text()
    for forbidden in (r"\beval\s*\(", r"new\s+Function", r"innerHTML", r"setTimeout\s*\(\s*['\"]"):
        assert re.search(forbidden, source) is None, forbidden


def test_the_runtime_knows_every_function() -> None:
    names = re.search(r"var ARITY = \{(.*?)\};", RUNTIME.read_text(), re.S)
    assert names is not None
    assert set(re.findall(r"([A-Z0-9]+): \[", names.group(1))) == set(formula.FUNCTIONS)


def test_the_runtime_reports_errors_as_code_and_sentence(node_runtime: Any) -> None:
    ast_json = formula.compile("revenue / visitors").to_json()
    [result] = node_runtime.evaluate(
        [{"ast": ast_json, "variables": {"revenue": 1, "visitors": 0}, "tables": {}}]
    )
    assert result == {
        "ok": False,
        "code": "DIV_ZERO",
        "message": "Division by zero at position 0.",
        "position": 0,
    }


def test_the_python_package_never_calls_eval_exec_or_import() -> None:
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"eval", "exec", "__import__", "getattr"}, path
