"""docs/formulas.md cannot rot: every function has a row whose example gives the documented
result in Python and in formula.js, with the example data the page shows."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import keyvex.formula as formula

DOC = Path(__file__).resolve().parents[2] / "docs" / "formulas.md"
ROW = re.compile(r"^\| `([A-Z0-9]+)\(.*\| `(.+)` \| `(.+)` \|$", re.M)


def _data() -> dict[str, Any]:
    block = re.search(r"```json\n(.*?)```", DOC.read_text(), re.S)
    assert block is not None
    data: dict[str, Any] = json.loads(block.group(1))
    return data


def _rows() -> list[tuple[str, str, str]]:
    return [(m.group(1), m.group(2), m.group(3)) for m in ROW.finditer(DOC.read_text())]


def _matches(value: Any, documented: str) -> bool:
    if documented == "varies":
        return True
    expected = json.loads(documented)
    if isinstance(expected, int | float) and not isinstance(expected, bool):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        decimals = len(documented.partition(".")[2])  # shown rounded to this many decimals
        tolerance = 0.5 * 10.0**-decimals if decimals else 1e-9 * max(1.0, abs(expected))
        return abs(value - expected) <= tolerance
    return bool(value == expected and type(value) is type(expected))


def test_every_function_has_a_documented_example() -> None:
    documented = [name for name, _, _ in _rows()]
    assert len(documented) == len(set(documented))
    assert set(documented) == set(formula.FUNCTIONS)


def test_documented_examples_give_their_results_in_python() -> None:
    data = _data()
    wrong = []
    for name, example, result in _rows():
        value = formula.evaluate(example, data["variables"], data["tables"])
        if not _matches(value, result):
            wrong.append((name, example, value, result))
    assert not wrong


def test_documented_examples_give_their_results_in_javascript(node_runtime: Any) -> None:
    data = _data()
    rows = _rows()
    cases = [
        {
            "ast": formula.compile(example).to_json(),
            "variables": data["variables"],
            "tables": data["tables"] | {"@now": 46000.5},
        }
        for _, example, _ in rows
    ]
    results = node_runtime.evaluate(cases)
    wrong = [
        (name, example, result)
        for (name, example, documented), result in zip(rows, results, strict=True)
        if not result["ok"] or not _matches(result["value"], documented)
    ]
    assert not wrong
