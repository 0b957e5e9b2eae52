"""The browser runtime stays small and safe, and the Python side never executes code."""

from __future__ import annotations

import ast
import gzip
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import keyvex.formula as formula
from keyvex.formula._functions import SCRIPTS
from tests.conftest import need_service

PACKAGE = Path(formula.__file__).parent
RUNTIME = PACKAGE / "js" / "formula.js"
MORE = PACKAGE / "js" / "formula-more.js"


def test_the_runtime_is_under_12_kb_gzipped() -> None:
    assert len(gzip.compress(RUNTIME.read_bytes(), compresslevel=9)) < 12 * 1024


def test_the_runtime_never_evaluates_code_or_writes_html() -> None:
    for path in (RUNTIME, MORE):
        source = path.read_text()
        for forbidden in (
            r"\beval\s*\(",
            r"new\s+Function",
            r"innerHTML",
            r"setTimeout\s*\(\s*['\"]",
        ):
            assert re.search(forbidden, source) is None, (path.name, forbidden)


def _js_functions(*files: Path) -> set[str]:
    node = shutil.which("node")
    need_service(node is not None, "node is not installed, so formula.js cannot be loaded")
    assert node is not None
    loads = "".join(f"require({json.dumps(str(path))});" for path in files)
    script = loads + "process.stdout.write(JSON.stringify(globalThis.KeyvexFormula.FUNCTIONS));"
    output = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True)
    return set(json.loads(output.stdout))


def test_formula_js_holds_the_core_families_and_formula_more_js_the_rest() -> None:
    core = {name for name, script in SCRIPTS.items() if script == "formula.js"}
    assert _js_functions(RUNTIME) == core
    assert _js_functions(RUNTIME, MORE) == set(formula.FUNCTIONS)
    assert set(SCRIPTS.values()) <= {"formula.js", "formula-more.js"}


def test_a_page_loads_formula_more_js_only_for_formulas_that_need_it() -> None:
    assert formula.browser_scripts(["ROUND(a * 2, 1)", "IF(x, 1, 2)", "((("]) == ("formula.js",)
    more = [name for name, script in SCRIPTS.items() if script == "formula-more.js"]
    if more:
        call = f"{more[0]}(1)"
        assert formula.browser_scripts(["a + 1", call]) == ("formula.js", "formula-more.js")


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
    """The one exception: _fastpath.py runs the source it writes itself from templates,
    float literals and quoted names (tests/formula/test_fastpath.py checks its tokens)."""
    execs = []
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id == "exec":
                    execs.append(path.name)
                    continue
                assert node.func.id not in {"eval", "__import__", "getattr"}, path
    assert execs == ["_fastpath.py"]
