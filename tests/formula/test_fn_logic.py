"""Logic and check functions, LET included, in Python and formula.js alike."""

from __future__ import annotations

from typing import Any

import keyvex.formula as formula

VARIABLES: dict[str, Any] = {"n": 3, "empty": "", "nothing": None, "plans": ["Basic", "Team"]}

ORDINARY = [
    ("XOR(TRUE, FALSE)", True),
    ("XOR(TRUE, TRUE, TRUE)", True),
    ("XOR(1, 0)", True),
    ('IFERROR(1/0, "oops")', "oops"),
    ('IFERROR(5, "oops")', 5),
    ("IFERROR(SQRT(-1), 0)", 0),
    ('IFERROR("a" + 1, -1)', -1),
    ('IFERROR(MATCH("x", plans, 0), "none")', "none"),
    ('IFNA(MATCH("x", plans, 0), "missing")', "missing"),
    ('IFNA(5, "missing")', 5),
    ('IFNA(IFS(n > 5, "big"), "small")', "small"),
    ('SWITCH(2, 1, "one", 2, "two", "other")', "two"),
    ('SWITCH(3, 1, "one", 2, "two", "other")', "other"),
    ('SWITCH("B", "a", 1, "b", 2)', 2),
    ('SWITCH(n, 3, "three", 4, "four")', "three"),
    ("ISNUMBER(5)", True),
    ('ISNUMBER("5")', False),
    ("ISNUMBER(1/0)", False),
    ('ISTEXT("a")', True),
    ("ISTEXT(5)", False),
    ("ISERROR(1/0)", True),
    ('ISERROR(MATCH("x", plans, 0))', True),
    ("ISERROR(5)", False),
    ("LET(x, 2, x * x)", 4),
    ("LET(s, 3 + 4, s * s + 1)", 50),
    ("LET(a, n * 10, b, a + 1, a + b)", 61),
    ('LET(t, "ab", t & t)', "abab"),
    ("LET(n, 10, n) + n", 13),
]

BOUNDARY = [
    ("XOR(FALSE, FALSE)", False),
    ("XOR(0, 0, 1, 1)", False),
    ('ISTEXT("")', True),
    ("ISTEXT(nothing)", False),
    ("ISNUMBER(nothing)", False),
    ("ISNUMBER(TRUE)", False),
    ("IFERROR(nothing, 1)", None),
    ("LET(x, nothing, ISBLANK(x))", True),
    ("IF(TRUE, 1, IFERROR(1/0, 2))", 1),
]

ERRORS = [
    ("IFERROR(1/0, 1/0)", "DIV_ZERO"),
    ('IFNA(1/0, "missing")', "DIV_ZERO"),
    ('SWITCH(3, 1, "one", 2, "two")', "NA"),
    ("IFS(n > 5, 1, n > 4, 2)", "NA"),
    ("SWITCH(1/0, 1, 2)", "DIV_ZERO"),
    ("LET(x, 0, 1/x)", "DIV_ZERO"),
    ("LET(x, 1/0, 5)", "DIV_ZERO"),
    ("LET(1, 2, 3)", "ARG"),
    ("LET(x, 1, y, 2)", "ARG"),
    ('XOR("maybe")', "TYPE"),
    ("ISERROR()", "ARG"),
]


def test_logic_functions_give_spreadsheet_results(both: Any) -> None:
    both.check(ORDINARY, VARIABLES)


def test_logic_functions_at_their_boundaries(both: Any) -> None:
    both.check(BOUNDARY, VARIABLES)


def test_logic_functions_report_errors(both: Any) -> None:
    both.check(ERRORS, VARIABLES)


def test_let_names_are_not_inputs_and_analysis_knows_them() -> None:
    compiled = formula.compile("LET(rate, base * 2, rate + extra)")
    assert compiled.names == {"base", "extra"}
    assert formula.analyze("LET(rate, base * 2, rate + extra)", {"base", "extra"}) == []
    [problem] = formula.analyze("LET(rate, 2, rate + extra)", {"base"})
    assert problem.code == "NAME" and "extra" in problem.message
