"""Evaluation through the public API: values, coercions, error values and laziness."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Context, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import keyvex.formula as formula
from keyvex.formula import FormulaError
from keyvex.formula._values import _round_slow, round_digits, round_half


def error_of(source: str, variables: dict[str, object] | None = None) -> FormulaError:
    with pytest.raises(FormulaError) as caught:
        formula.evaluate(source, variables)
    return caught.value


def test_numbers_come_back_as_floats_and_other_values_as_themselves() -> None:
    assert formula.evaluate("a + 1", {"a": 2}) == 3.0
    assert type(formula.evaluate("a", {"a": 2})) is float
    assert formula.evaluate("a", {"a": ["x", 1, None]}) == ["x", 1.0, None]
    assert formula.evaluate("a", {"a": None}) is None
    assert formula.evaluate('"a" & "b"') == "ab"
    assert formula.evaluate("1 < 2") is True


def test_a_compiled_formula_can_be_evaluated_many_times() -> None:
    compiled = formula.compile("ROUND(revenue / visitors, 2)")
    assert compiled.source == "ROUND(revenue / visitors, 2)"
    assert compiled.names == frozenset({"revenue", "visitors"})
    assert [compiled.evaluate({"revenue": r, "visitors": 3}) for r in (1, 2, 10)] == [
        0.33,
        0.67,
        3.33,
    ]
    assert compiled.to_json()["type"] == "call"


def test_division_by_zero_is_explained_in_words() -> None:
    error = error_of("revenue / visitors", {"revenue": 10, "visitors": 0})
    assert (error.code, error.position) == ("DIV_ZERO", 0)
    assert error.message == "Division by zero in 'revenue / visitors' (visitors is 0)."
    blank = error_of("revenue / visitors", {"revenue": 10, "visitors": None})
    assert blank.message == "Division by zero in 'revenue / visitors' (visitors is blank)."


def test_a_missing_variable_is_a_name_error_at_its_position() -> None:
    error = error_of("1 + visitors")
    assert (error.code, error.position) == ("NAME", 4)
    assert "No value was given for 'visitors'" in error.message


def test_errors_propagate_through_operators_and_functions() -> None:
    assert error_of("ROUND(1/0, 2) + 1").code == "DIV_ZERO"
    assert error_of('SUM(1, "x" * 2, 1/0)').code == "TYPE"  # the first error wins
    assert error_of('"total: " & SQRT(-4)').code == "NUM"
    assert error_of("1/0 > 1 or true").code == "DIV_ZERO"
    assert error_of("COALESCE(blank, 1/0, 3)", {"blank": None}).code == "DIV_ZERO"


def test_if_evaluates_only_the_branch_it_takes() -> None:
    assert formula.evaluate("IF(true, 1, 1/0)") == 1.0
    assert formula.evaluate("IF(x > 0, 10 / x, 0)", {"x": 0}) == 0.0
    assert formula.evaluate("IFS(x == 0, 0, true, 10 / x)", {"x": 0}) == 0.0
    assert formula.evaluate('CHOOSE(1, "a", 1/0)') == "a"
    assert formula.evaluate("COALESCE(1, 1/0)") == 1.0


def test_blank_is_zero_in_arithmetic_and_empty_in_text() -> None:
    values = {"b": None}
    assert formula.evaluate("b + 1", values) == 1.0
    assert formula.evaluate('b & "x"', values) == "x"
    assert formula.evaluate("b == 0", values) is True
    assert formula.evaluate('b == ""', values) is True
    assert formula.evaluate("b == false", values) is True
    assert formula.evaluate("b == b", values) is True
    assert formula.evaluate("ISBLANK(b)", values) is True


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('"3" + 1', 4.0),
        ('" -1.5e3 " * 1', -1500.0),
        ('"" + 1', 1.0),
        ("true + true", 2.0),
        ('1 & ""', "1"),
        ('-0.5 & ""', "-0.5"),
        ('123456789012345678 & ""', "1.23456789012346E+17"),
        ('true & ""', "TRUE"),
        ('IF("TRUE", 1, 2)', 1.0),
        ('IF("", 1, 2)', 2.0),
        ("IF(0.1, 1, 2)", 1.0),
        ('"B" > "a"', True),
        ('2 < "1"', True),
        ('"z" < false', True),
        ("-x", -2.0),
        ('+"4"', 4.0),
    ],
)
def test_values_are_coerced_like_a_spreadsheet(source: str, expected: object) -> None:
    assert formula.evaluate(source, {"x": 2}) == expected


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ('"1,000" + 1', "TYPE"),
        ('"10%" * 1', "TYPE"),
        ("x + 1", "TYPE"),
        ('IF("maybe", 1, 2)', "TYPE"),
        ("IF(x, 1, 2)", "TYPE"),
        ("x < 1", "TYPE"),
        ("y", "TYPE"),
    ],
)
def test_values_that_cannot_be_coerced_are_type_errors(source: str, code: str) -> None:
    assert error_of(source, {"x": ["a"], "y": [["nested"]]}).code == code


def test_lookup_reads_a_cell_of_a_data_table() -> None:
    tables = {"prices": [{"plan": "Basic", "price": 29}, {"plan": "Team", "price": 99}]}
    assert formula.evaluate('LOOKUP(prices, plan, "price")', {"plan": "team"}, tables) == 99.0
    with pytest.raises(FormulaError) as missing_row:
        formula.evaluate('LOOKUP(prices, "Gold", "price")', None, tables)
    assert missing_row.value.code == "ARG"
    assert "No row of the table 'prices'" in missing_row.value.message
    with pytest.raises(FormulaError) as missing_table:
        formula.evaluate('LOOKUP(plans, "Gold", "price")', None, tables)
    assert missing_table.value.code == "NAME"
    assert formula.compile('LOOKUP(prices, plan, "price")').names == {"plan"}


def test_function_arity_errors_are_raised_when_evaluated() -> None:
    error = error_of("ROUND(1, 2, 3)")
    assert (error.code, error.position) == ("ARG", 0)
    assert "ROUND takes 1 to 2 values, but got 3" in error.message
    assert formula.evaluate("IF(true, 1, ROUND())") == 1.0


def test_every_function_is_listed_with_its_arity() -> None:
    assert formula.FUNCTIONS["PMT"].minimum == 3
    assert formula.FUNCTIONS["PMT"].maximum == 5
    assert formula.FUNCTIONS["SUM"].maximum is None
    assert "AVG" in formula.FUNCTIONS and "LOOKUP" in formula.FUNCTIONS


def _reference(number: float, digits: int, mode: str) -> float:
    """ROUND on the 15 significant digits, written with decimal arithmetic."""
    if number == 0:
        return 0.0
    fifteen = Context(prec=15, rounding=ROUND_HALF_UP).plus(Decimal(number))
    if fifteen.adjusted() + 1 + digits >= 15:
        return number
    rounding = {"half": ROUND_HALF_UP, "up": ROUND_UP, "down": ROUND_DOWN}[mode]
    result = float(fifteen.quantize(Decimal(1).scaleb(-digits), rounding=rounding))
    return result if result != 0 else 0.0


@settings(max_examples=1000)
@given(
    st.one_of(
        st.floats(min_value=-1e15, max_value=1e15, allow_nan=False),
        st.integers(-(10**6), 10**6).map(lambda n: n / 1000),
        st.integers(-(10**6), 10**6).map(lambda n: n / 8),
    ),
    st.integers(-6, 12),
    st.sampled_from(["half", "up", "down"]),
)
def test_rounding_matches_decimal_arithmetic_on_15_significant_digits(
    number: float, digits: int, mode: str
) -> None:
    expected = _reference(number, digits, mode)
    assert round_digits(number, digits, mode) == expected
    if number != 0:  # round_digits answers 0 itself; the slow path assumes a non-zero number
        assert _round_slow(number, number < 0, abs(number), digits, mode) == expected
    if mode == "half":
        assert round_half(number, float(digits)) == expected
