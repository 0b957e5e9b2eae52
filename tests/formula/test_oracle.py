"""Both evaluators against LibreOffice Calc: the oracle file made by oracle/build_oracle.py.

``oracle/results.json`` holds what LibreOffice Calc computed for every formula of
``oracle/corpus.txt`` (no value in it is written by hand; regenerate it with the script when
the corpus changes). Python and the browser runtime must agree with it on at least 99% of the
formulas, leaving out the deliberate differences below, and the functions still pending.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import keyvex.formula as formula

ORACLE = Path(__file__).parent / "oracle"
REQUIRED_AGREEMENT = 0.99

# Where keyvex differs from a spreadsheet on purpose: the formula docs have the same table.
DIFFERENCES = {
    "minus-power": "-2^2 is -4: ^ binds tighter than a unary minus on its left",
    "power-right": "2^3^2 is 512: ^ is right-associative",
    "boolean-number": "TRUE and FALSE are not numbers, so TRUE = 1 is FALSE",
    "blank-empty-text": "ISBLANK treats empty text (and an empty list) as blank",
    "cumulative-any-rate": "CUMIPMT and CUMPRINC accept a rate of 0 or below (above -1)",
    "text-case": "text compares case-insensitively (Calc's default is case-sensitive)",
    "division-by-zero": "0^-1, POWER(0, -1) and NPV(-1, ...) are DIV_ZERO (Calc: #NUM!)",
    "odd-root": "a negative number to a fractional power is NUM, even (-8)^(1/3)",
    "rate-below-minus-100": "IRR, XIRR and RATE never give a rate at or below -100% (NUM)",
    "calc-precision": "Calc loses digits (growth by pow, cancellation); keyvex is exact to 15 "
    "digits against a 60-digit reference (test_finance.py)",
    "exponent-digits": "numbers as text write at least two exponent digits, 1E+21 as in Excel "
    "(Calc 7.4 writes 1E+021)",
    "date-range": "dates run from the year 1 to 9999 (Calc also takes DATE(10000, 1, 1))",
    "decimal-exact": "MROUND, FLOOR and CEILING work on the 15-digit decimals: MROUND(0.35, 0.1) "
    "is 0.4 (Calc: 0.3)",
    "calc-inline-array": "Calc's SUMIF and AVERAGEIF without a sum range misread an inline array",
    "index-zero": "INDEX(list, 0) is ARG (Calc gives the first item)",
    "empty-text-zero": "empty text counts as 0 in arithmetic, like a blank input",
}

# Functions of the corpus that keyvex does not have yet; their formulas are left out until
# they exist. Shrink this list as functions land (a test fails when a name here exists).
# Empty: every function of issue 17 exists.
PENDING: frozenset[str] = frozenset()
# Formulas (keyvex text) whose spreadsheet semantics keyvex does not have yet; a test fails
# when one of them agrees with the spreadsheet, so the list only ever shrinks. Empty since
# issue 17's item 1 (tolerant equality, snapping, MOD, COUNT, number text, PMT) landed.
PENDING_SEMANTICS: frozenset[str] = frozenset()
# Functions whose two-value form keyvex does not take yet (FLOOR and CEILING to a multiple
# were the last; empty now).
PENDING_TWO_VALUE_FORMS: frozenset[str] = frozenset()

# Calc's error codes (FormulaError numbers) and the keyvex codes that mean the same. Calc
# reports several kinds of bad argument as Err:502 where another spreadsheet says #NUM! or
# #VALUE!, so 502 accepts all three.
ERROR_CODES: dict[int, frozenset[str]] = {
    532: frozenset({"DIV_ZERO"}),  # #DIV/0!
    519: frozenset({"TYPE"}),  # #VALUE!
    503: frozenset({"NUM"}),  # #NUM!
    523: frozenset({"NUM"}),  # Err:523, an iteration that does not converge
    502: frozenset({"NUM", "ARG", "TYPE"}),  # Err:502, invalid argument
    32767: frozenset({"NA", "ARG"}),  # #N/A, nothing found
    525: frozenset({"NAME"}),  # #NAME?
    504: frozenset({"ARG"}),  # Err:504, error in the parameter list
}
# Functions found by iteration: agreement within a relative 1e-10 (Calc stops near 1e-10 too).
ITERATIVE = frozenset({"IRR", "XIRR", "RATE"})
_CALLED = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\s*\(")


def load_oracle() -> dict[str, Any]:
    oracle: dict[str, Any] = json.loads((ORACLE / "results.json").read_text("utf-8"))
    return oracle


def called(source: str) -> set[str]:
    return {name.upper() for name in _CALLED.findall(source)}


def is_pending(case: dict[str, Any]) -> bool:
    if case["keyvex"] in PENDING_SEMANTICS:
        return True
    names = called(case["keyvex"])
    if names & PENDING:
        return True
    return any(
        re.search(rf"\b{name}\s*\([^()]*,", case["keyvex"], re.IGNORECASE)
        for name in PENDING_TWO_VALUE_FORMS
    )


def python_outcome(case: dict[str, Any]) -> tuple[str, Any]:
    try:
        value = formula.evaluate(case["keyvex"], case["variables"], case.get("tables"))
    except formula.FormulaError as error:
        return ("error", error.code)
    return ("ok", value)


def js_outcome(result: dict[str, Any]) -> tuple[str, Any]:
    if not result["ok"]:
        return ("error", result["code"])
    value = result["value"]
    if isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    return ("ok", value)


def agrees(case: dict[str, Any], outcome: tuple[str, Any]) -> bool:
    expected = case["result"]
    status, value = outcome
    if expected["kind"] == "error":
        return status == "error" and value in ERROR_CODES.get(expected["code"], frozenset())
    if status == "error":
        return False
    if value is None:  # blank reads as 0 or "" in a spreadsheet cell
        value = "" if expected["kind"] == "text" else 0.0
    if expected["kind"] == "text":
        return isinstance(value, str) and value == expected["value"]
    if expected["kind"] == "boolean":
        return isinstance(value, bool) and value == expected["value"]
    if isinstance(value, bool) or not isinstance(value, float):
        return False
    tolerance = 1e-10 if called(case["keyvex"]) & ITERATIVE else 1e-14
    if tolerance > 1e-14 and abs(value) < 1e-12 and abs(expected["value"]) < 1e-12:
        return True  # both found a rate of zero, to within the iteration's precision
    return value == expected["value"] or math.isclose(value, expected["value"], rel_tol=tolerance)


def agreement(outcomes: list[tuple[dict[str, Any], tuple[str, Any]]]) -> tuple[int, int, list[Any]]:
    counted = [(case, outcome) for case, outcome in outcomes if "difference" not in case]
    wrong = [
        (case["line"], case["keyvex"], outcome, case["result"])
        for case, outcome in counted
        if not agrees(case, outcome)
    ]
    return len(counted) - len(wrong), len(counted), wrong


@pytest.fixture(scope="module")
def oracle() -> dict[str, Any]:
    return load_oracle()


@pytest.fixture(scope="module")
def cases(oracle: dict[str, Any]) -> list[dict[str, Any]]:
    return [case for case in oracle["cases"] if not is_pending(case)]


def test_the_oracle_file_was_made_from_the_current_corpus(oracle: dict[str, Any]) -> None:
    corpus = (ORACLE / "corpus.txt").read_text("utf-8")
    digest = hashlib.sha256(corpus.encode("utf-8")).hexdigest()
    assert oracle["corpus_sha256"] == digest, (
        "corpus.txt changed: run /usr/bin/python3 tests/formula/oracle/build_oracle.py"
    )
    assert oracle["libreoffice"].startswith("LibreOffice ")
    assert len(oracle["cases"]) >= 600


def test_deliberate_differences_are_documented_and_still_differ(
    oracle: dict[str, Any],
) -> None:
    tagged = [case for case in oracle["cases"] if "difference" in case]
    assert {case["difference"] for case in tagged} <= set(DIFFERENCES)
    stale = [
        case["keyvex"]
        for case in tagged
        if not is_pending(case) and agrees(case, python_outcome(case))
    ]
    assert not stale, f"these agree with the spreadsheet now: drop their tag {stale}"


def test_pending_names_only_functions_that_keyvex_lacks(oracle: dict[str, Any]) -> None:
    landed = PENDING & set(formula.FUNCTIONS)
    assert not landed, f"remove {sorted(landed)} from PENDING: they exist now"
    used = set().union(*(called(case["keyvex"]) for case in oracle["cases"]))
    assert used >= PENDING, PENDING - used


def test_pending_semantics_still_differ_from_the_spreadsheet(oracle: dict[str, Any]) -> None:
    pending = [case for case in oracle["cases"] if case["keyvex"] in PENDING_SEMANTICS]
    assert {case["keyvex"] for case in pending} == PENDING_SEMANTICS, "not in the corpus"
    fixed = [case["keyvex"] for case in pending if agrees(case, python_outcome(case))]
    assert not fixed, f"remove {fixed} from PENDING_SEMANTICS: they agree now"


def test_every_function_is_in_the_oracle_corpus(oracle: dict[str, Any]) -> None:
    used = set().union(*(called(case["keyvex"]) for case in oracle["cases"]))
    keyvex_only = {"AVG", "CLAMP", "CONTAINS", "COUNTSELECTED", "COALESCE", "LOOKUP"}
    missing = set(formula.FUNCTIONS) - used - keyvex_only
    assert not missing, f"add formulas calling {sorted(missing)} to oracle/corpus.txt"


def test_python_agrees_with_the_spreadsheet(cases: list[dict[str, Any]]) -> None:
    agreed, total, wrong = agreement([(case, python_outcome(case)) for case in cases])
    assert total and agreed / total >= REQUIRED_AGREEMENT, (agreed, total, wrong[:20])


def test_javascript_agrees_with_the_spreadsheet(
    cases: list[dict[str, Any]], node_runtime: Any
) -> None:
    compiled = [
        {
            "ast": formula.compile(case["keyvex"]).to_json(),
            "variables": case["variables"],
            "tables": case.get("tables", {}),
        }
        for case in cases
    ]
    outcomes = [js_outcome(result) for result in node_runtime.evaluate(compiled)]
    agreed, total, wrong = agreement(list(zip(cases, outcomes, strict=True)))
    assert total and agreed / total >= REQUIRED_AGREEMENT, (agreed, total, wrong[:20])


def summary() -> dict[str, Counter[str]]:
    """Agreement per family for Python (for reports: `python tests/formula/test_oracle.py`)."""
    counts: dict[str, Counter[str]] = {}
    for case in load_oracle()["cases"]:
        family = counts.setdefault(case["family"], Counter())
        if is_pending(case):
            family["pending"] += 1
        elif "difference" in case:
            family["difference"] += 1
        else:
            family["agree" if agrees(case, python_outcome(case)) else "differ"] += 1
    return counts


if __name__ == "__main__":
    import sys

    for name, count in summary().items():
        sys.stdout.write(f"{name}: {dict(count)}\n")
