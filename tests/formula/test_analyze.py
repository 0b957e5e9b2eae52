"""Static analysis reports problems with positions, without input values, and never raises."""

from __future__ import annotations

import keyvex.formula as formula
from keyvex.formula import Diagnostic


def codes(source: str, **kwargs: object) -> list[tuple[str, int | None]]:
    return [(d.code, d.position) for d in formula.analyze(source, **kwargs)]  # type: ignore[arg-type]


def test_a_clean_formula_has_no_diagnostics() -> None:
    assert (
        formula.analyze("ROUND(revenue / visitors, 2)", known_names={"revenue", "visitors"}) == []
    )


def test_unknown_names_are_reported_with_position_and_a_suggestion() -> None:
    [diagnostic] = formula.analyze("revenue / visitor", known_names={"revenue", "visitors"})
    assert diagnostic == Diagnostic(
        "NAME", "Unknown name 'visitor' at position 10. Did you mean 'visitors'?", 10, "error"
    )


def test_names_are_not_checked_without_a_set_of_known_names() -> None:
    assert formula.analyze("anything + at_all") == []


def test_unknown_function_is_a_name_error_at_its_position() -> None:
    assert formula.analyze("1 + FOO(2)") == [
        Diagnostic("NAME", "Unknown function FOO at position 4.", 4, "error")
    ]


def test_wrong_number_of_values_is_an_arity_error() -> None:
    [diagnostic] = formula.analyze("1 + ROUND(a, 2, 3)")
    assert (diagnostic.code, diagnostic.position) == ("ARG", 4)
    assert "ROUND takes 1 to 2 values, but got 3" in diagnostic.message
    assert codes("IFS(a, 1, b)") == [("ARG", 0)]
    assert codes("SUM()") == [("ARG", 0)]


def test_literal_type_errors_are_reported() -> None:
    [diagnostic] = formula.analyze('price * "abc"')
    assert (diagnostic.code, diagnostic.position) == ("TYPE", 8)
    assert 'The text "abc" cannot be used as a number' in diagnostic.message
    assert codes('"abc" + 1') == [("TYPE", 0)]
    assert codes('SQRT("x")') == [("TYPE", 0)]
    assert codes('price * "12"') == []
    [in_call] = formula.analyze('ROUND(price, "two")')
    assert (in_call.code, in_call.position) == ("TYPE", 13)
    assert in_call.message == 'The text "two" cannot be used as a number in ROUND (position 13).'
    assert codes('SUM(price, "", "7")') == []


def test_constant_division_by_zero_is_reported() -> None:
    assert formula.analyze("revenue / 0") == [
        Diagnostic("DIV_ZERO", "Division by zero in 'revenue / 0'.", 0, "error")
    ]
    assert codes("revenue / (2 - 2)") == [("DIV_ZERO", 0)]
    assert codes("1 + 1/0") == [("DIV_ZERO", 4)]
    assert codes("MOD(a, 0)") == [("DIV_ZERO", 0)]


def test_constant_domain_errors_are_reported() -> None:
    assert codes("x + SQRT(-1)") == [("NUM", 4)]
    assert codes("x + 9^9^9^9") == [("NUM", 6)]  # where the overflow happens: 9^9^9


def test_parse_errors_come_back_as_a_single_diagnostic() -> None:
    assert formula.analyze("1 +") == [
        Diagnostic("PARSE", "The formula ends too early: expected a value at position 3.", 3)
    ]
    assert codes("(" * 100 + "1") == [("LIMIT", 64)]


def test_lookup_tables_and_columns_are_checked() -> None:
    tables = {"prices": [{"plan": "Basic", "price": 29}]}
    assert codes('LOOKUP(prices, "basic", "price")', tables=tables) == []
    assert codes('LOOKUP(pricez, "basic", "price")', tables=tables) == [("NAME", 7)]
    [warning] = formula.analyze('LOOKUP(prices, "basic", "cost")', tables=tables)
    assert (warning.code, warning.position, warning.severity) == ("ARG", 24, "warning")
    assert codes('LOOKUP("prices", 1, "price")') == [("ARG", 7)]
    assert codes("LOOKUP(prices, 1, 2)", tables={"prices"}) == []


def test_table_names_are_not_reported_as_unknown_input_names() -> None:
    source = 'LOOKUP(prices, plan, "price")'
    assert formula.analyze(source, known_names={"plan"}, tables={"prices"}) == []


def test_analysis_never_raises_on_any_input() -> None:
    for source in ["", "(", ")", "a b", "'", "1e999", "NOT(1,2)", "\x00", "x" * 3000, 12]:
        diagnostics = formula.analyze(source)  # type: ignore[arg-type]
        assert all(isinstance(d, Diagnostic) for d in diagnostics)


def test_constant_values_of_the_wrong_kind_are_reported_for_every_typed_function() -> None:
    cases = {
        'LEFT(name, "x")': "a number in LEFT",
        'IF("maybe", a, b)': "TRUE or FALSE in IF",
        'FIXED(a, 2, "perhaps")': "TRUE or FALSE in FIXED",
        'VLOOKUP(key, prices, "two")': "a number in VLOOKUP",
        'TEXTJOIN(",", "yes", a)': "TRUE or FALSE in TEXTJOIN",
        'PERCENTILE(xs, "half")': "a number in PERCENTILE",
    }
    for source, wanted in cases.items():
        [problem] = formula.analyze(source)
        assert problem.code == "TYPE" and wanted in problem.message, (source, problem)
    assert formula.analyze('MID(t, "1", 2) & LEFT(t, " 2 ") & TEXT(a, "0.0%")') == []


def test_every_function_says_what_it_gives() -> None:
    kinds = {arity.result for arity in formula.FUNCTIONS.values()}
    assert kinds <= {"number", "text", "boolean", "any"}
    assert formula.FUNCTIONS["LEFT"].result == "text"
    assert formula.FUNCTIONS["MEDIAN"].result == "number"
