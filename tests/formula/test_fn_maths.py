"""Maths functions and the spreadsheet number semantics, in Python and formula.js alike.

Every expected value is what a spreadsheet (Excel or LibreOffice Calc) gives.
"""

from __future__ import annotations

from typing import Any

ORDINARY = [
    ("INT(2.7)", 2),
    ("INT(-2.7)", -3),
    ('INT("3.9")', 3),
    ("INT((0.1 + 0.7) * 10)", 8),
    ("TRUNC(-2.7)", -2),
    ("TRUNC(3.14159, 2)", 3.14),
    ("TRUNC(1234.5, -2)", 1200),
    ("TRUNC(0.29 * 100)", 29),
    ("MROUND(10, 3)", 9),
    ("MROUND(-10, -3)", -9),
    ("MROUND(1.3, 0.2)", 1.4),
    ("MROUND(7.5, 5)", 10),
    ("SIGN(-5)", -1),
    ("SIGN(3.2)", 1),
    ('SIGN("-1")', -1),
    ("PRODUCT(2, 3, 4)", 24),
    ("PRODUCT(arr, 4)", 24),
    ("SUMPRODUCT(arr, arr2)", 41),
    ("SUMPRODUCT(arr, arr2, arr3)", 68),
    ("SUMPRODUCT(arr)", 5),
    ("LOG(100)", 2),
    ("LOG(8, 2)", 3),
    ("LOG(0.5, 0.5)", 1),
    ("PI()", 3.141592653589793),
    ("ROUND(PI() * 2, 4)", 6.2832),
    ("EVEN(1.5)", 2),
    ("EVEN(3)", 4),
    ("EVEN(-1)", -2),
    ("ODD(1.5)", 3),
    ("ODD(2)", 3),
    ("ODD(-2)", -3),
    ("FLOOR(7, 2)", 6),
    ("FLOOR(1.58, 0.1)", 1.5),
    ("FLOOR(0.234, 0.01)", 0.23),
    ("FLOOR(-2.5, -2)", -4),
    ("FLOOR(-2.5, 2)", -4),
    ("CEILING(7, 2)", 8),
    ("CEILING(4.42, 0.05)", 4.45),
    ("CEILING(1.51, 0.1)", 1.6),
    ("CEILING(-2.5, -2)", -2),
    ("FLOOR(2.9)", 2),
    ("CEILING(-2.1)", -2),
]

BOUNDARY = [
    ("INT(0)", 0),
    ("INT(-2)", -2),
    ("INT(1e20)", 1e20),
    ("INT(2.9999999999999996)", 3),
    ("TRUNC(-0.5)", 0),
    ("MROUND(5, 0)", 0),
    ("MROUND(2.5, 5)", 5),
    ("SIGN(0)", 0),
    ("PRODUCT(5)", 5),
    ("PRODUCT(blank)", 0),
    ("LOG(1, 2)", 0),
    ("EVEN(0)", 0),
    ("EVEN(2)", 2),
    ("ODD(0)", 1),
    ("ODD(3)", 3),
    ("FLOOR(2.5, 0)", 0),
    ("CEILING(2.5, 0)", 0),
    ("FLOOR(0, 5)", 0),
    ("MOD(0, 5)", 0),
    ("MOD(7.5, 2.5)", 0),
    ("MOD(1.1, 0.1)", 0),
    ("MOD(100, 0.1)", 0),
    ("MOD(12.34, 0.01)", 0),
    ("MOD(-10, 3)", 2),
    ("MOD(10, -3)", -2),
    ("MOD(-10, -3)", -1),
]

ERRORS = [
    ("LOG(0)", "NUM"),
    ("LOG(-1, 2)", "NUM"),
    ("LOG(8, 1)", "NUM"),
    ("LOG(8, 0)", "NUM"),
    ("PRODUCT(1e200, 1e200)", "NUM"),
    ("SUMPRODUCT(arr, words)", 0),
    ("SUMPRODUCT(arr, arr4)", "TYPE"),
    ("FLOOR(2.5, -1)", "NUM"),
    ("CEILING(2.5, -1)", "NUM"),
    ('INT("abc")', "TYPE"),
    ("PI(1)", "ARG"),
    ("MOD(1, 0)", "DIV_ZERO"),
    ("TRUNC(1, 2, 3)", "ARG"),
]

SEMANTICS = [
    ('IF(0.1 + 0.2 = 0.3, "eq", "ne")', "eq"),
    ("46.08 - 4.014 = 42.066", True),
    ("3 * 1.1 = 3.3", True),
    ("0.1 * 3 <> 0.3", False),
    ("0.1 + 0.2 - 0.3", 0),
    ("1 - 0.9 - 0.1", 0),
    ("1/(0.1 + 0.2 - 0.3)", "DIV_ZERO"),
    ("100000.1 - 100000", 0.10000000000582077),
    ("1 + 1e-14 > 1", True),
    ("SUM(0.1, 0.2, -0.3)", 0),
    ("MOD(0.3, 0.1)", 0),
    ("MOD(20.70, 0.45)", 0),
    ('COUNT("abc", 1)', 1),
    ("COUNT(1/0, 2)", 1),
    ('COUNT("1", 2)', 2),
    ("COUNT(words, arr)", 2),
    ('123456789012345678 & ""', "1.23456789012346E+17"),
    ('1e21 & ""', "1E+21"),
    ('1e-8 & ""', "0.00000001"),
    ('2/3 & ""', "0.666666666666667"),
    ("PMT(1E-13, 360, 100000)", -277.777777782792),
    ("PMT(-1E-16, 10, 1000)", -100),
    ("PMT(0.3 - 0.1 - 0.2, 12, 1200)", -100),
    ("PV(10, 500, -1)", 0.1),
    ("PMT(5%/12, 360, 200000)", -1073.64324602428),
]

VARIABLES: dict[str, Any] = {
    "arr": [2, 3],
    "arr2": [7, 9],
    "arr3": [1, 2],
    "arr4": [1, 2, 3],
    "words": ["a", "b"],
    "blank": None,
}


def test_maths_functions_give_spreadsheet_results(both: Any) -> None:
    both.check(ORDINARY, VARIABLES)


def test_maths_functions_at_their_boundaries(both: Any) -> None:
    both.check(BOUNDARY, VARIABLES)


def test_maths_functions_report_errors_like_a_spreadsheet(both: Any) -> None:
    both.check(ERRORS, VARIABLES)


def test_numbers_compare_add_and_print_like_a_spreadsheet(both: Any) -> None:
    both.check(SEMANTICS, VARIABLES)
