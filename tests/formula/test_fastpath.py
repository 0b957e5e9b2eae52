"""The generated fast path: the same values as the closures, and source made of safe tokens."""

from __future__ import annotations

import io
import keyword
import random
import re
import tokenize
from typing import Any

import pytest

import keyvex.formula as formula
from keyvex.formula._evaluate import compile_node
from keyvex.formula._parser import parse

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
ALLOWED_NAMES = {"run", "v", "t", "get", "type", "float", "bool", "abs", "SLOW", "ERRORS"}
ALLOWED_NAMES |= {"ADD", "SUB", "EQ", "NE", "LT", "LE", "GT", "GE", "ROUND", "S2", "NORMAL"}
GENERATED = re.compile(r"[nx]\d+\Z")
FORMULAS = [
    "ROUND(IF(a > 0, MIN(a * b * (1 - c) * 12, d), 0) + MAX(0, (b - c) * 15%) - d / 12, 2)",
    "a + b - c",
    "0.1 + 0.2 - 0.3",
    "a - a",
    "1 / (a - a)",
    "IF(a > b, a, b) * 2",
    "IF(a = b, 1, 0)",
    "ABS(a - b) <= 0.5",
    "-a + +b",
    "a * 1e308 * 10",
    "ROUND(a / 3, 2) + ROUND(b)",
    "IF(a > 0, IF(b > 0, a * b, 0), -1)",
    "(a > b) + 1",
    "-(a > b)",
    "MIN(a > b, 1)",
]
VALUES: list[Any] = [0.0, -0.0, 1.0, 0.1, 0.30000000000000004, 3.0, -2.5, 1e-300, 1e300,
                     True, None, "", "7", [1.0]]  # fmt: skip


def slow(source: str) -> Any:
    return compile_node(parse(source), source)


def outcome(run: Any, variables: dict[str, Any]) -> Any:
    value = run(variables, {})
    return ("error", value.code) if type(value).__name__ == "ErrorValue" else ("ok", value)


@pytest.mark.parametrize("source", FORMULAS)
def test_the_fast_path_gives_what_the_closures_give(source: str) -> None:
    fast = formula.compile(source)._run
    closures = slow(source)
    rng = random.Random(source)
    for _ in range(300):
        variables = {name: rng.choice(VALUES) for name in "abcd"}
        got, want = outcome(fast, variables), outcome(closures, variables)
        assert got == want and type(got[1]) is type(want[1]), (source, variables)


def test_plain_number_formulas_get_a_fast_path_and_others_do_not() -> None:
    assert formula.compile("a * b + 1")._run.__doc__.startswith("def run(v, t):")
    for source in ('a & "x"', "SUM(a, b)", 'LOOKUP(t, a, "c")', "a ^ b", "TODAY() - a"):
        run = formula.compile(source)._run
        assert not (run.__doc__ or "").startswith("def run"), source


@pytest.mark.parametrize("source", [*FORMULAS, "exec + import_os * print", "a1 + b_2 * x9"])
def test_the_generated_source_holds_only_known_tokens(source: str) -> None:
    text = formula.compile(source)._run.__doc__ or ""
    if not text.startswith("def run"):
        return
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.NAME:
            name = token.string
            assert (keyword.iskeyword(name) or name in ALLOWED_NAMES
                    or GENERATED.match(name)), name  # fmt: skip
        elif token.type == tokenize.STRING:
            quoted = token.string[1:-1]
            assert token.string[0] == token.string[-1] == "'" and NAME.match(quoted), token
        elif token.type == tokenize.NUMBER:
            float(token.string)
