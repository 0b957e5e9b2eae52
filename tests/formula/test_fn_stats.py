"""Statistics functions in Python and formula.js alike; expected values are spreadsheet results."""

from __future__ import annotations

from typing import Any

VARIABLES: dict[str, Any] = {
    "xs": [2, 4, 4, 4, 5, 5, 7, 9],
    "ys": [1, 3, 2, 5, 4],
    "one": [7],
    "dup": [1, 2, 2, 3, 3, 3],
    "nodup": [1, 2, 3],
    "words": ["apple", "banana", "Cherry", "apple pie", None, ""],
    "amounts": [10, 20, 30, 40, 50],
    "regions": ["north", "south", "north", "east", "south"],
    "mixed": [1, "a", 3, True, "", None],
    "decimals": [0.1, 0.2, 0.3],
}
TABLES: dict[str, Any] = {
    "sales": [
        {"rep": "Ann", "region": "north", "amount": 120},
        {"rep": "Bob", "region": "south", "amount": 80},
        {"rep": "Cid", "region": "north", "amount": 200},
    ]
}

ORDINARY = [
    ("MEDIAN(xs)", 4.5),
    ("MEDIAN(ys)", 3),
    ("MEDIAN(5, 1, 3)", 3),
    ("MEDIAN(decimals)", 0.2),
    ("MODE(dup)", 3),
    ("MODE(1, 1, 2, 2)", 1),
    ("STDEV(xs)", 2.138089935299395),
    ("STDEV(1, 2)", 0.7071067811865476),
    ("VAR(xs)", 4.571428571428571),
    ("VAR(ys)", 2.5),
    ("PERCENTILE(xs, 0.9)", 7.6),
    ("PERCENTILE(xs, 0.25)", 4),
    ("PERCENTILE(ys, 0.33)", 2.32),
    ("QUARTILE(xs, 1)", 4),
    ("QUARTILE(xs, 3)", 5.5),
    ("LARGE(xs, 2)", 7),
    ("SMALL(xs, 3)", 4),
    ("RANK(5, xs)", 3),
    ("RANK(2, xs, 1)", 1),
    ("RANK(4, xs, 1)", 2),
    ('COUNTA(1, "a", TRUE)', 3),
    ("COUNTA(mixed)", 5),
    ("COUNTIF(xs, 4)", 3),
    ('COUNTIF(xs, ">4")', 4),
    ('COUNTIF(xs, "<=4")', 4),
    ('COUNTIF(xs, "<>4")', 5),
    ('COUNTIF(regions, "north")', 2),
    ('COUNTIF(words, "apple*")', 2),
    ('COUNTIF(words, "?pple")', 1),
    ('COUNTIFS(regions, "south", amounts, ">=20")', 2),
    ('SUMIF(regions, "north", amounts)', 40),
    ('SUMIF(amounts, ">25")', 120),
    ('SUMIFS(amounts, regions, "south", amounts, ">20")', 50),
    ('AVERAGEIF(regions, "north", amounts)', 20),
    ('AVERAGEIFS(amounts, amounts, ">10", amounts, "<50")', 30),
    ('MINIFS(amounts, regions, "south")', 20),
    ('MAXIFS(amounts, regions, "north", amounts, "<30")', 10),
    ('SUMIF(TABLECOLUMN(sales, "region"), "north", TABLECOLUMN(sales, "amount"))', 320),
    ('COUNTIF(TABLECOLUMN(sales, "amount"), ">100")', 2),
    ('MEDIAN(TABLECOLUMN(sales, "amount"))', 120),
]

BOUNDARY = [
    ("MEDIAN(one)", 7),
    ("PERCENTILE(xs, 0)", 2),
    ("PERCENTILE(xs, 1)", 9),
    ("PERCENTILE(one, 0.5)", 7),
    ("QUARTILE(xs, 0)", 2),
    ("QUARTILE(xs, 4)", 9),
    ("LARGE(xs, 8)", 2),
    ("SMALL(xs, 1)", 2),
    ("RANK(9, xs)", 1),
    ('COUNTA("")', 1),
    ("COUNTA(1/0, 2)", 2),
    ('COUNTIF(words, "")', 2),
    ('COUNTIF(words, "<>")', 4),
    ('COUNTIF(regions, "west")', 0),
    ('SUMIF(regions, "west", amounts)', 0),
    ('MINIFS(amounts, regions, "west")', 0),
    ('MAXIFS(amounts, regions, "west")', 0),
    ("STDEV(decimals)", 0.1),
    ("SUMIF(5, 5, blank)", 0),
    ("SUMIF(5, 5)", 5),
]

ERRORS = [
    ("MODE(nodup)", "TYPE"),
    ("STDEV(one)", "DIV_ZERO"),
    ("VAR(one)", "DIV_ZERO"),
    ("MEDIAN(blank)", "NUM"),
    ("PERCENTILE(xs, 1.5)", "NUM"),
    ("PERCENTILE(xs, -0.1)", "NUM"),
    ("QUARTILE(xs, 5)", "NUM"),
    ("LARGE(xs, 9)", "TYPE"),
    ("LARGE(xs, 0)", "TYPE"),
    ("RANK(6, ys)", "TYPE"),
    ('AVERAGEIF(regions, "west", amounts)', "DIV_ZERO"),
    ('SUMIF(regions, "north", xs)', "ARG"),
    ('COUNTIFS(regions, "north", amounts)', "ARG"),
    ("SUMIFS(amounts, regions)", "ARG"),
    ("COUNTIF(xs, xs)", "TYPE"),
    ('SUMIF(TABLECOLUMN(sales, "colour"), 1)', "ARG"),
    ('COUNTIF(TABLECOLUMN(nowhere, "a"), 1)', "NAME"),
]


def test_statistics_functions_give_spreadsheet_results(both: Any) -> None:
    both.check(ORDINARY, VARIABLES | {"blank": None}, TABLES)


def test_statistics_functions_at_their_boundaries(both: Any) -> None:
    both.check(BOUNDARY, VARIABLES | {"blank": None}, TABLES)


def test_statistics_functions_report_errors(both: Any) -> None:
    both.check(ERRORS, VARIABLES | {"blank": None}, TABLES)
