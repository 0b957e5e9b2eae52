"""Text functions, TEXT and FIXED formats included, in Python and formula.js alike."""

from __future__ import annotations

from typing import Any

VARIABLES: dict[str, Any] = {
    "word": "Hello World",
    "spaced": "  lots   of   space  ",
    "nothing": None,
    "letters": ["x", "y", "z"],
    "accented": "héllo",
}

ORDINARY = [
    ('CONCAT("a", "b", "c")', "abc"),
    ("CONCAT(letters, 1)", "xyz1"),
    ('CONCAT(1.5, "%")', "1.5%"),
    ('TEXTJOIN(", ", TRUE, "a", "b", "c")', "a, b, c"),
    ('TEXTJOIN("-", TRUE, "a", "", "c")', "a-c"),
    ('TEXTJOIN("-", FALSE, "a", "", "c")', "a--c"),
    ('TEXTJOIN("/", TRUE, letters)', "x/y/z"),
    ('LEFT("Hello", 2)', "He"),
    ('LEFT("Hello")', "H"),
    ("LEFT(12345, 3)", "123"),
    ('RIGHT("Hello", 3)', "llo"),
    ('MID("Hello World", 7, 5)', "World"),
    ("MID(accented, 2, 2)", "él"),
    ("TRIM(spaced)", "lots of space"),
    ('SUBSTITUTE("a-b-c", "-", "+")', "a+b+c"),
    ('SUBSTITUTE("a-b-c", "-", "+", 2)', "a-b+c"),
    ('SUBSTITUTE("aaa", "a", "bb")', "bbbbbb"),
    ('FIND("o", "Hello World")', 5),
    ('FIND("o", "Hello World", 6)', 8),
    ('FIND("l", accented)', 3),
    ('SEARCH("O", "Hello World")', 5),
    ('SEARCH("world", "Hello World")', 7),
    ('PROPER("hello world")', "Hello World"),
    ('PROPER("HELLO wORLD")', "Hello World"),
    ('PROPER("o\'neil mc-donald")', "O'Neil Mc-Donald"),
    ('PROPER("abc123def")', "Abc123Def"),
    ('REPT("ab", 3)', "ababab"),
    ('REPT("-", 2.9)', "--"),
    ('EXACT("abc", "abc")', True),
    ('EXACT("abc", "ABC")', False),
    ('EXACT(1, "1")', True),
    ('VALUE("12")', 12),
    ('VALUE(" 3.5 ")', 3.5),
    ('VALUE("1e3")', 1000),
    ('VALUE("$1,250.50")', 1250.5),
    ('VALUE("15%")', 0.15),
    ("VALUE(7)", 7),
    ('TEXT(1234.567, "#,##0.00")', "1,234.57"),
    ('TEXT(0.256, "0%")', "26%"),
    ('TEXT(0.256, "0.0%")', "25.6%"),
    ('TEXT(1234.5, "0")', "1235"),
    ('TEXT(1234.5, "$#,##0")', "$1,235"),
    ('TEXT(-1234.567, "#,##0.00")', "-1,234.57"),
    ('TEXT(3.14159, "0.000")', "3.142"),
    ('TEXT(42, "000")', "042"),
    ('TEXT(7, "00.0")', "07.0"),
    ('TEXT(1.005, "0.00")', "1.01"),
    ('TEXT(-2.5, "0")', "-3"),
    ('TEXT(3.14159, "0.0#")', "3.14"),
    ('TEXT(3, "0.0#")', "3.0"),
    ('TEXT(-1234.5, "$#,##0.00;($#,##0.00)")', "($1,234.50)"),
    ("TEXT(5, '0 \"units\"')", "5 units"),
    ('"Total: " & TEXT(1234.5, "#,##0.00")', "Total: 1,234.50"),
    ("FIXED(1234.567)", "1,234.57"),
    ("FIXED(1234.567, 1)", "1,234.6"),
    ("FIXED(1234.567, 1, TRUE)", "1234.6"),
    ("FIXED(-1234.567, 2)", "-1,234.57"),
    ("FIXED(1234.567, -2)", "1,200"),
    ("FIXED(2.675, 2)", "2.68"),
]

BOUNDARY = [
    ('LEFT("Hello", 0)', ""),
    ('LEFT("Hello", 10)', "Hello"),
    ('RIGHT("Hello", 0)', ""),
    ('RIGHT("Hello", 10)', "Hello"),
    ('MID("Hello", 10, 2)', ""),
    ('MID("Hello", 5, 10)', "o"),
    ('TRIM("")', ""),
    ('SUBSTITUTE("abc", "", "x")', "abc"),
    ('SUBSTITUTE("a-b-c", "-", "+", 5)', "a-b-c"),
    ('REPT("x", 0)', ""),
    ('TEXT(0, "0.00")', "0.00"),
    ('TEXT(0.5, "#.00")', ".50"),
    ('TEXT(-0.001, "0.00")', "0.00"),
    ('TEXT("abc", "0")', "abc"),
    ('TEXT(1000000, "#,##0")', "1,000,000"),
    ('TEXT(1/3, "General")', "0.333333333333333"),
    ("FIXED(0.5, 0)", "1"),
    ('LOWER(nothing) & "x"', "x"),
    ("CONCAT(nothing)", ""),
]

ERRORS = [
    ('LEFT("Hello", -1)', "ARG"),
    ('RIGHT("Hello", -1)', "ARG"),
    ('MID("Hello", 0, 2)', "ARG"),
    ('MID("Hello", 1, -1)', "ARG"),
    ('FIND("O", "Hello World")', "TYPE"),
    ('FIND("z", "Hello")', "TYPE"),
    ('FIND("", "Hello")', "TYPE"),
    ('FIND("l", "Hello", 10)', "TYPE"),
    ('SEARCH("z", "Hello")', "TYPE"),
    ('REPT("a", -1)', "ARG"),
    ('REPT("ab", 5001)', "LIMIT"),
    ('VALUE("abc")', "TYPE"),
    ('VALUE("")', "TYPE"),
    ('VALUE("1,2")', "TYPE"),
    ('TEXT(12, "abc")', "ARG"),
    ('SUBSTITUTE("abc", "b", "x", 0)', "ARG"),
    ("FIXED(1, 101)", "ARG"),
]


def test_text_functions_give_spreadsheet_results(both: Any) -> None:
    both.check(ORDINARY, VARIABLES)


def test_text_functions_at_their_boundaries(both: Any) -> None:
    both.check(BOUNDARY, VARIABLES)


def test_text_functions_report_errors(both: Any) -> None:
    both.check(ERRORS, VARIABLES)
