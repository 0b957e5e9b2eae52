"""Lookup functions over tool tables and lists, in Python and formula.js alike."""

from __future__ import annotations

from typing import Any

import keyvex.formula as formula

VARIABLES: dict[str, Any] = {
    "plans": ["Basic", "Team", "Pro"],
    "costs": [29, 99.5, 199],
    "steps": [0, 1000, 5000, 10000],
    "desc": [50, 40, 30, 20],
}
TABLES: dict[str, Any] = {
    "prices": [
        {"plan": "Basic", "price": 29, "seats": 1},
        {"plan": "Team", "price": 99.5, "seats": 5},
        {"plan": "Pro", "price": 199, "seats": 20},
    ],
    "tiers": [
        {"from": 0, "rate": 0.1},
        {"from": 1000, "rate": 0.15},
        {"from": 5000, "rate": 0.2},
        {"from": 10000, "rate": 0.25},
    ],
    "single": [{"v": 1}, {"v": 2}],
}

ORDINARY = [
    ('VLOOKUP("Team", prices, 2, FALSE)', 99.5),
    ('VLOOKUP("team", prices, 3, FALSE)', 5),
    ("VLOOKUP(2500, tiers, 2, TRUE)", 0.15),
    ("VLOOKUP(2500, tiers, 2)", 0.15),
    ("VLOOKUP(1000, tiers, 2, TRUE)", 0.15),
    ("VLOOKUP(5000, tiers, 2, FALSE)", 0.2),
    ("INDEX(costs, 2)", 99.5),
    ("INDEX(plans, 2)", "Team"),
    ("INDEX(prices, 2, 2)", 99.5),
    ("INDEX(prices, 3, 1)", "Pro"),
    ("INDEX(single, 2)", 2),
    ('MATCH("Team", plans, 0)', 2),
    ('MATCH("pro", plans, 0)', 3),
    ("MATCH(99.5, costs, 0)", 2),
    ("MATCH(100, costs, 1)", 2),
    ("MATCH(100, costs)", 2),
    ("MATCH(2500, steps, 1)", 2),
    ("MATCH(35, desc, -1)", 2),
    ('INDEX(costs, MATCH("Pro", plans, 0))', 199),
    ('XLOOKUP("Team", plans, costs)', 99.5),
    ("XLOOKUP(199, costs, plans)", "Pro"),
    ('XLOOKUP("Gold", plans, costs, "none")', "none"),
    ('XLOOKUP("Basic", plans, costs) * 12', 348),
    ('TABLECOLUMN(prices, "plan")', ["Basic", "Team", "Pro"]),
    ('SUM(TABLECOLUMN(prices, "PRICE"))', 327.5),
    ('XLOOKUP("Pro", TABLECOLUMN(prices, "plan"), TABLECOLUMN(prices, "seats"))', 20),
]

BOUNDARY = [
    ("VLOOKUP(50000, tiers, 2, TRUE)", 0.25),
    ("VLOOKUP(999, tiers, 2, TRUE)", 0.1),
    ("MATCH(10000, steps, 1)", 4),
    ("INDEX(costs, 3)", 199),
    ("INDEX(prices, 1, 3)", 1),
    ("INDEX(7, 1)", 7),
]

ERRORS = [
    ('VLOOKUP("Gold", prices, 2, FALSE)', "NA"),
    ("VLOOKUP(-1, tiers, 2, TRUE)", "NA"),
    ("VLOOKUP(5001, tiers, 2, FALSE)", "NA"),
    ('VLOOKUP("Team", prices, 4, FALSE)', "ARG"),
    ('VLOOKUP("Team", prices, 0, FALSE)', "ARG"),
    ('VLOOKUP("Team", "prices", 2)', "ARG"),
    ('VLOOKUP("Team", nowhere, 2)', "NAME"),
    ("INDEX(costs, 4)", "ARG"),
    ("INDEX(costs, 0)", "ARG"),
    ("INDEX(prices, 4, 1)", "ARG"),
    ("INDEX(prices, 1, 4)", "ARG"),
    ("INDEX(prices, 1)", "ARG"),
    ('MATCH("Gold", plans, 0)', "NA"),
    ("MATCH(5, costs, 1)", "NA"),
    ("MATCH(60, desc, -1)", "NA"),
    ('XLOOKUP("Gold", plans, costs)', "NA"),
    ("XLOOKUP(1, plans, steps)", "ARG"),
    ('TABLECOLUMN(prices, "colour")', "ARG"),
    ('TABLECOLUMN("prices", "plan")', "ARG"),
]


def test_lookup_functions_give_spreadsheet_results(both: Any) -> None:
    both.check(ORDINARY, VARIABLES, TABLES)


def test_lookup_functions_at_their_boundaries(both: Any) -> None:
    both.check(BOUNDARY, VARIABLES, TABLES)


def test_lookup_functions_report_errors(both: Any) -> None:
    both.check(ERRORS, VARIABLES, TABLES)


def test_table_names_are_tables_not_inputs() -> None:
    compiled = formula.compile('VLOOKUP(plan, prices, 2) + SUM(TABLECOLUMN(tiers, "rate"))')
    assert compiled.names == {"plan"}
    assert compiled.tables == {"prices", "tiers"}
    tables = {"prices": [{"plan": "a", "price": 1}], "tiers": [{"rate": 1}]}
    assert formula.analyze("VLOOKUP(plan, prices, 2)", {"plan"}, tables) == []
    [missing] = formula.analyze('SUM(TABLECOLUMN(tiers, "colour"))', set(), tables)
    assert missing.code == "ARG" and missing.severity == "warning"
    [unknown] = formula.analyze("VLOOKUP(plan, nowhere, 2)", {"plan"}, tables)
    assert unknown.code == "NAME"
