"""Print an AST back to formula text, with only the parentheses it needs."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ._errors import FormulaError

_PRECEDENCE = {
    "or": 1,
    "and": 2,
    "==": 4,
    "!=": 4,
    "<": 4,
    "<=": 4,
    ">": 4,
    ">=": 4,
    "&": 5,
    "+": 6,
    "-": 6,
    "*": 7,
    "/": 7,
    "^": 9,
}
_UNARY = 8
_ATOM = 10


def to_source(node: Mapping[str, Any]) -> str:
    """Formula text for an AST produced by `Formula.to_json()`."""
    return _print(node)[0]


def _number(value: float) -> str:
    if not math.isfinite(value):
        raise FormulaError("NUM", "An AST number is not finite.", None)
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def _print(node: Mapping[str, Any]) -> tuple[str, int]:
    kind = node.get("type")
    if kind == "number":
        text = _number(float(node["value"]))
        return text, (_UNARY if text.startswith("-") else _ATOM)
    if kind == "text":
        return '"' + str(node["value"]).replace('"', '""') + '"', _ATOM
    if kind == "boolean":
        return ("true" if node["value"] else "false"), _ATOM
    if kind == "name":
        return str(node["name"]), _ATOM
    if kind == "call":
        return f"{node['name']}({', '.join(_print(arg)[0] for arg in node['args'])})", _ATOM
    if kind == "unary":
        return _print_unary(node)
    if kind == "binary":
        return _print_binary(node)
    raise FormulaError("PARSE", f"An AST node has an unknown type {kind!r}.", None)


def _print_unary(node: Mapping[str, Any]) -> tuple[str, int]:
    operand, precedence = _print(node["operand"])
    if node["op"] == "not":
        return f"NOT({operand})", _ATOM
    if precedence < _UNARY:
        operand = f"({operand})"
    return f"{node['op']}{operand}", _UNARY


def _print_binary(node: Mapping[str, Any]) -> tuple[str, int]:
    op = node["op"]
    mine = _PRECEDENCE[op]
    left, left_precedence = _print(node["left"])
    right, right_precedence = _print(node["right"])
    if op == "^":
        wrap_left, wrap_right = left_precedence <= mine, right_precedence < _UNARY
    else:
        wrap_left, wrap_right = left_precedence < mine, right_precedence <= mine
    if wrap_left:
        left = f"({left})"
    if wrap_right:
        right = f"({right})"
    return f"{left} {op} {right}", mine
