"""The parser: precedence, positions, errors, and a print/parse round trip."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import keyvex.formula as formula


def tree(source: str) -> dict[str, Any]:
    return formula.compile(source).to_json()


def without_positions(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: without_positions(v) for k, v in node.items() if k not in ("pos", "end")}
    if isinstance(node, list):
        return [without_positions(item) for item in node]
    return node


def shape(source: str) -> str:
    return formula.to_source(tree(source))


def test_power_binds_tighter_than_unary_minus_and_is_right_associative() -> None:
    assert shape("-2^2") == "-2 ^ 2"
    assert tree("-2^2")["type"] == "unary"
    assert shape("2^3^2") == "2 ^ 3 ^ 2"
    assert tree("2^3^2")["right"]["op"] == "^"
    assert shape("(2^3)^2") == "(2 ^ 3) ^ 2"


def test_operators_bind_from_loosest_or_to_tightest_power() -> None:
    assert shape("a or b and not c == d & e + f * g ^ h") == (
        "a or b and NOT(c == d & e + f * g ^ h)"
    )
    assert shape("(a + b) * c") == "(a + b) * c"
    assert shape("a - (b - c)") == "a - (b - c)"
    assert shape("a - b - c") == "a - b - c"


def test_spreadsheet_spellings_of_equality_are_accepted() -> None:
    assert tree("a = 1")["op"] == "=="
    assert tree("a <> 1")["op"] == "!="


def test_percent_literal_is_the_number_divided_by_100() -> None:
    assert tree("15%") == {"type": "number", "value": 0.15, "pos": 0, "end": 3}


def test_keywords_and_function_names_are_case_insensitive_but_names_are_not() -> None:
    assert tree("TRUE")["value"] is True
    assert tree("False")["value"] is False
    assert tree("round(x)")["name"] == "ROUND"
    assert tree("a AND b")["op"] == "and"
    assert formula.compile("Visitors + visitors").names == {"Visitors", "visitors"}


def test_strings_take_either_quote_and_double_it_to_escape() -> None:
    assert tree("'it''s'")["value"] == "it's"
    assert tree('"say ""hi"""')["value"] == 'say "hi"'


def test_nodes_carry_character_offsets() -> None:
    node = tree("1 + ROUND(x, 2)")
    assert (node["pos"], node["end"]) == (0, 15)
    call = node["right"]
    assert (call["pos"], call["end"]) == (4, 15)
    assert call["args"][0] == {"type": "name", "name": "x", "pos": 10, "end": 11}


def test_the_ast_is_plain_json() -> None:
    node = tree('IF(a > 1, "yes", ROUND(b, 2)) & LOOKUP(prices, a, "price")')
    assert json.loads(json.dumps(node)) == node


def test_names_exclude_functions_and_tables() -> None:
    compiled = formula.compile('IF(a > 1, b, c) & LOOKUP(prices, d, "price")')
    assert compiled.names == frozenset({"a", "b", "c", "d"})
    assert compiled.source == 'IF(a > 1, b, c) & LOOKUP(prices, d, "price")'


@pytest.mark.parametrize(
    ("source", "code", "position", "words"),
    [
        ("1 +", "PARSE", 3, "ends too early"),
        ("(1 + 2", "PARSE", 6, "')'"),
        ("1 2", "PARSE", 2, "operator"),
        ("FOO(1)", "NAME", 0, "Unknown function FOO at position 0."),
        ("1 + FOO(1)", "NAME", 4, "Unknown function FOO at position 4."),
        ('"abc', "PARSE", 0, "closing"),
        ("a $ b", "PARSE", 2, "Unexpected character '$'"),
        ("a % b", "PARSE", 2, "% sign"),
        ("", "PARSE", 0, "empty"),
        ("NOT(1, 2)", "ARG", 0, "NOT takes 1 value"),
        ("1e999", "NUM", 0, "too large"),
        ("f(,)", "NAME", 0, "Unknown function"),
        ("SUM(1,)", "PARSE", 6, "value"),
        ("and", "PARSE", 0, "value"),
        ("=a + b", "PARSE", 0, "leading '='"),
    ],
)
def test_bad_text_raises_a_formula_error_with_position(
    source: str, code: str, position: int, words: str
) -> None:
    with pytest.raises(formula.FormulaError) as caught:
        formula.compile(source)
    assert caught.value.code == code
    assert caught.value.position == position
    assert words in caught.value.message


NAME = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True).filter(
    lambda name: (
        name.lower() not in {"and", "or", "not", "true", "false"} and not name.startswith("__")
    )
)
LEAVES = st.one_of(
    NAME.map(lambda name: {"type": "name", "name": name}),
    st.floats(min_value=0, allow_nan=False, allow_infinity=False).map(
        lambda value: {"type": "number", "value": value}
    ),
    st.text(max_size=10)
    .filter(lambda s: "\x00" not in s)
    .map(lambda value: {"type": "text", "value": value}),
    st.booleans().map(lambda value: {"type": "boolean", "value": value}),
)
OPS = ["+", "-", "*", "/", "^", "&", "==", "!=", "<", "<=", ">", ">=", "and", "or"]


def _extend(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        st.builds(
            lambda op, operand: {"type": "unary", "op": op, "operand": operand},
            st.sampled_from(["-", "+", "not"]),
            children,
        ),
        st.builds(
            lambda op, left, right: {"type": "binary", "op": op, "left": left, "right": right},
            st.sampled_from(OPS),
            children,
            children,
        ),
        st.builds(
            lambda name, args: {"type": "call", "name": name, "args": args},
            st.sampled_from(sorted(set(formula.FUNCTIONS) - {"NOT"})),
            st.lists(children, max_size=4),
        ),
    )


@settings(max_examples=400, deadline=None)
@given(st.recursive(LEAVES, _extend, max_leaves=25))
def test_parsing_the_printed_source_gives_back_the_same_tree(node: dict[str, Any]) -> None:
    printed = formula.to_source(node)
    assert without_positions(formula.compile(printed).to_json()) == node


def test_printing_is_stable_for_a_realistic_formula() -> None:
    source = 'ROUND(IF(a > 0, MIN(a * b * (1 - c) * 12, cap), 0) + 15% * d, 2) & " EUR"'
    once = shape(source)
    assert shape(once) == once
