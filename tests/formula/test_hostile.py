"""Hostile formulas fail fast with a clear FormulaError: no crash, hang or code execution."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

import keyvex.formula as formula

HOSTILE: list[tuple[str, str, str, Callable[[], object]]] = [
    ("10,000 characters", "LIMIT", "limit is 2,000", lambda: formula.evaluate("1+" * 5000)),
    (
        "500 nested parentheses",
        "LIMIT",
        "nested more than 64",
        lambda: formula.evaluate("(" * 500 + "1" + ")" * 500),
    ),
    (
        "300 nested calls",
        "LIMIT",
        "nested more than 64",
        lambda: formula.evaluate("ABS(" * 300 + "1" + ")" * 300),
    ),
    ("500 unary minus signs", "LIMIT", "nested", lambda: formula.evaluate("-" * 500 + "1")),
    ("a long chain of additions", "LIMIT", "nested", lambda: formula.evaluate("+".join("1" * 900))),
    ("a tower of powers", "NUM", "too large", lambda: formula.evaluate("9^9^9^9")),
    ("a huge power", "NUM", "too large", lambda: formula.evaluate("10^400")),
    ("an unknown function", "NAME", "Unknown function", lambda: formula.evaluate("SYSTEM(1)")),
    ("a dunder name", "NAME", "two underscores", lambda: formula.evaluate("__import__")),
    (
        "a dunder call",
        "NAME",
        "two underscores",
        lambda: formula.evaluate("__import__('os').system('true')"),
    ),
    ("an attribute access", "PARSE", "Unexpected character '.'", lambda: formula.evaluate("a.b")),
    ("an unterminated string", "PARSE", "closing", lambda: formula.evaluate('"abc & 1')),
    ("a NUL byte", "PARSE", "NUL", lambda: formula.evaluate("1 +\x00 2")),
    ("a NUL byte inside text", "PARSE", "NUL", lambda: formula.evaluate('"a\x00b"')),
    (
        "a text bomb",
        "LIMIT",
        "10,000",
        lambda: formula.evaluate("t & t & t", {"t": "x" * 4000}),
    ),
    (
        "an oversized input text",
        "LIMIT",
        "10,000",
        lambda: formula.evaluate("LEN(t)", {"t": "x" * 10_001}),
    ),
    ("a lambda", "PARSE", "Unexpected character ':'", lambda: formula.evaluate("lambda: 1")),
    ("a huge integer input", "NUM", "too large", lambda: formula.evaluate("n + 1", {"n": 10**400})),
    ("a non-finite input", "NUM", "finite", lambda: formula.evaluate("n", {"n": float("nan")})),
    ("an object input", "TYPE", "not supported", lambda: formula.evaluate("n", {"n": object()})),
    ("not a string", "PARSE", "must be text", lambda: formula.evaluate(42)),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(
    ("attack", "code", "words", "run"), HOSTILE, ids=[case[0] for case in HOSTILE]
)
def test_hostile_formula_gives_a_clear_error_within_50_ms(
    attack: str, code: str, words: str, run: Callable[[], object]
) -> None:
    timings = []
    for _ in range(3):  # the best of three: the formula's cost, not a busy machine's hiccup
        start = time.perf_counter()
        with pytest.raises(formula.FormulaError) as caught:
            run()
        timings.append(time.perf_counter() - start)
    elapsed = min(timings)
    assert elapsed < 0.05, f"{attack} took {elapsed * 1000:.1f} ms"
    assert caught.value.code == code
    assert words in caught.value.message
    assert caught.value.message.endswith((".", "?"))


def test_64_levels_of_nesting_are_allowed() -> None:
    assert formula.evaluate("(" * 63 + "1" + ")" * 63) == 1.0
    assert formula.evaluate("ABS(" * 63 + "1" + ")" * 63) == 1.0
    with pytest.raises(formula.FormulaError, match="nested more than 64"):
        formula.evaluate("ABS(" * 64 + "1" + ")" * 64)


def test_analysis_of_hostile_text_returns_diagnostics_instead_of_raising() -> None:
    for source in ("(" * 500, "1+" * 5000, '"open', "\x00", "__class__", "9^9^9^9"):
        timings = []
        for _ in range(3):  # best of three, as above
            start = time.perf_counter()
            diagnostics = formula.analyze(source)
            timings.append(time.perf_counter() - start)
        assert min(timings) < 0.05
        assert diagnostics and diagnostics[0].severity == "error"
