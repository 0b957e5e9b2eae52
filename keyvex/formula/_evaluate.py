"""Compile an AST once into nested closures, for fast repeated evaluation."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

from ._approx import (
    approx_add,
    approx_equal,
    approx_ge,
    approx_gt,
    approx_le,
    approx_lt,
    approx_ne,
    approx_sub,
)
from ._errors import ErrorValue, Fail, FormulaError
from ._fastops import specialise, specialise_arithmetic, specialise_sum
from ._fn_dates import VOLATILE
from ._functions import COMPILERS, EAGER, TABLE_ARGS, TOLERANT, arity_problem, divide, modulo, power
from ._site import Site
from ._values import (
    INF,
    Value,
    check_text,
    compare,
    describe,
    normalize,
    round_digits,
    round_half,
    to_bool,
    to_number,
    to_text,
)

Node = dict[str, Any]
Variables = Mapping[str, object]
Tables = Mapping[str, object]
Fn = Callable[[Variables, Tables], Value]
_MISSING: Any = object()


def compile_node(node: Node, source: str | None) -> Fn:
    """A closure computing the value of `node` from variables and tables."""
    fn = _COMPILERS[node["type"]](node, source)
    if node["type"] not in ("number", "text", "boolean") and _is_constant(node):
        value = fn({}, {})
        return lambda variables, tables: value
    return fn


def _is_constant(node: Node) -> bool:
    kind = node["type"]
    if kind == "call" and node["name"] in VOLATILE:
        return False  # TODAY() and NOW() read the evaluation time
    if kind == "name" or (kind == "call" and node["name"] in TABLE_ARGS):
        return False
    if kind == "unary":
        return _is_constant(node["operand"])
    if kind == "binary":
        return _is_constant(node["left"]) and _is_constant(node["right"])
    if kind == "call":
        return all(_is_constant(arg) for arg in node["args"])
    return True


def _literal(node: Node, source: str | None) -> Fn:
    value = node["value"]
    if node["type"] == "number":
        value = float(value)
        if not -INF < value < INF:
            raise FormulaError("NUM", "A number in the formula is not finite.", node.get("pos"))
    elif node["type"] == "text" and len(value) > 10_000:
        value = Site(node, None).error("LIMIT", "A text is longer than 10,000 characters")
    return lambda variables, tables: value


def _name(node: Node, source: str | None) -> Fn:
    name = node["name"]
    site = Site(node, None)

    def slow(raw: object) -> Value:
        if raw is _MISSING:
            return site.error("NAME", f"No value was given for '{name}'")
        try:
            return normalize(raw)
        except Fail as failure:
            return site.error(failure.code, f"{failure.text} (in '{name}')")

    def run(variables: Variables, tables: Tables) -> Value:
        raw = variables.get(name, _MISSING)
        if type(raw) is float and raw - raw == 0.0:
            return raw
        return slow(raw)

    return run


def _unary(node: Node, source: str | None) -> Fn:
    operand = compile_node(node["operand"], source)
    site = Site(node, source)
    op = node["op"]

    def slow(value: Value) -> Value:
        if type(value) is ErrorValue:
            return value
        try:
            if op == "not":
                return not to_bool(value)
            number = to_number(value)
            return -number if op == "-" else number
        except Fail as failure:
            return site.fail(failure)

    if op == "-":

        def negate(variables: Variables, tables: Tables) -> Value:
            value = operand(variables, tables)
            if type(value) is float:
                return -value
            return slow(value)

        return negate
    return lambda variables, tables: slow(operand(variables, tables))


def _binary(node: Node, source: str | None) -> Fn:
    op = node["op"]
    left = compile_node(node["left"], source)
    right = compile_node(node["right"], source)
    site = Site(node, source)
    if op in _ARITHMETIC:
        return _arithmetic(op, left, right, site, node)
    if op in ("and", "or"):
        want = op == "or"

        def logic(variables: Variables, tables: Tables) -> Value:
            a, b = left(variables, tables), right(variables, tables)
            if type(a) is ErrorValue:
                return a
            if type(b) is ErrorValue:
                return b
            try:
                x, y = to_bool(a), to_bool(b)
                return (x or y) if want else (x and y)
            except Fail as failure:
                return site.fail(failure)

        return logic
    if op == "&":

        def concat(variables: Variables, tables: Tables) -> Value:
            a, b = left(variables, tables), right(variables, tables)
            if type(a) is ErrorValue:
                return a
            if type(b) is ErrorValue:
                return b
            try:
                return check_text(to_text(a) + to_text(b))
            except Fail as failure:
                return site.fail(failure)

        return concat
    return _comparison(op, left, right, site, node)


_ARITHMETIC: dict[str, Callable[[float, float], float]] = {
    "+": approx_add,
    "-": approx_sub,
    "*": lambda a, b: a * b,
    "/": divide,
    "^": power,
}


def _arithmetic(op: str, left: Fn, right: Fn, site: Site, node: Node) -> Fn:
    apply = _ARITHMETIC[op]

    def slow(a: Value, b: Value) -> Value:
        if type(a) is ErrorValue:
            return a
        if type(b) is ErrorValue:
            return b
        try:
            result = apply(to_number(a), to_number(b))
        except Fail as failure:
            if failure.code == "DIV_ZERO" and op == "/":
                return _division_by_zero(site, node, b)
            return site.fail(failure)
        if -INF < result < INF:
            return result
        return site.error("NUM", "The result is too large to be a number")

    if op in ("+", "-", "*"):
        nodes = (node["left"], node["right"])
        constants = (_is_constant(nodes[0]), _is_constant(nodes[1]))
        if op == "*":
            return specialise_arithmetic(operator.mul, nodes, (left, right), constants, slow)
        sign = 1.0 if op == "+" else -1.0
        return specialise_sum(sign, nodes, (left, right), constants, slow)
    return _specialise(_FAST_ARITHMETIC[op], node, left, right, slow)


def _specialise(
    apply: Callable[[float, float], Any], node: Node, left: Fn, right: Fn, slow: Any
) -> Fn:
    nodes = (node["left"], node["right"])
    constants = (_is_constant(nodes[0]), _is_constant(nodes[1]))
    return specialise(apply, nodes, (left, right), constants, slow)


def _division_by_zero(site: Site, node: Node, divisor: Value) -> ErrorValue:
    right = node["right"]
    detail = ""
    if right["type"] == "name":
        detail = f" ({right['name']} is {'blank' if divisor is None else describe(divisor)})"
    if site.snippet:
        return ErrorValue("DIV_ZERO", f"Division by zero in '{site.snippet}'{detail}.", site.pos)
    return ErrorValue("DIV_ZERO", f"Division by zero at position {site.pos}{detail}.", site.pos)


_ORDER: dict[str, Callable[[int], bool]] = {
    "==": lambda c: c == 0,
    "!=": lambda c: c != 0,
    "<": lambda c: c < 0,
    "<=": lambda c: c <= 0,
    ">": lambda c: c > 0,
    ">=": lambda c: c >= 0,
}
# Numbers compare equal to 15 significant digits; against a literal 0 that is exact equality.
_FAST_ORDER: dict[str, Callable[[float, float], bool]] = {
    "==": approx_equal,
    "!=": approx_ne,
    "<": approx_lt,
    "<=": approx_le,
    ">": approx_gt,
    ">=": approx_ge,
}
_EXACT_ORDER: dict[str, Callable[[float, float], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_FAST_ARITHMETIC: dict[str, Callable[[float, float], float]] = {
    "+": approx_add,
    "-": approx_sub,
    "*": operator.mul,
    "/": operator.truediv,
    "^": power,
}


def _comparison(op: str, left: Fn, right: Fn, site: Site, node: Node) -> Fn:
    test = _ORDER[op]

    def slow(a: Value, b: Value) -> Value:
        if type(a) is ErrorValue:
            return a
        if type(b) is ErrorValue:
            return b
        try:
            return test(compare(a, b))
        except Fail as failure:
            return site.fail(failure)

    zero = any(_is_zero(side) for side in (node["left"], node["right"]))
    return _specialise((_EXACT_ORDER if zero else _FAST_ORDER)[op], node, left, right, slow)


def _is_zero(node: Node) -> bool:
    return node["type"] == "number" and float(node["value"]) == 0.0


def _call(node: Node, source: str | None) -> Fn:
    name = node["name"]
    site = Site(node, source)
    if name not in EAGER and name not in COMPILERS:
        error = site.error("NAME", f"Unknown function {name}")
        return lambda variables, tables: error
    problem = arity_problem(name, len(node["args"]))
    if problem is not None:
        error = site.error("ARG", problem)
        return lambda variables, tables: error
    args = [compile_node(arg, source) for arg in node["args"]]
    compiler = COMPILERS.get(name)
    if compiler is not None:
        return compiler(node["args"], args, site)
    return _eager(name, node, args, site)


def _digits(number: float) -> int:
    return int(number) if -400.0 <= number <= 400.0 else (400 if number > 0 else -400)


# Same results as the general implementations, for calls whose values are all numbers.
_FAST_ONE: dict[str, Callable[[float], Value]] = {
    "ABS": abs,
    "ROUND": lambda x: round_half(x, 0.0),
}
_FAST_TWO: dict[str, Callable[[float, float], Value]] = {
    "MIN": lambda a, b: b if b < a else a,
    "MAX": lambda a, b: b if b > a else a,
    "ROUND": round_half,
    "ROUNDUP": lambda x, d: round_digits(x, _digits(d), "up"),
    "ROUNDDOWN": lambda x, d: round_digits(x, _digits(d), "down"),
    "MOD": modulo,
    "POWER": power,
}


def _eager(name: str, node: Node, args: list[Fn], site: Site) -> Fn:
    impl = EAGER[name]
    tolerant = name in TOLERANT

    def finish(values: tuple[Value, ...]) -> Value:
        for value in values:
            if type(value) is ErrorValue and not tolerant:
                return value
        try:
            return impl(values)
        except Fail as failure:
            return site.fail(failure)

    if len(args) == 1:
        (only,) = args
        fast_one = _FAST_ONE.get(name)
        if fast_one is None:
            return lambda variables, tables: finish((only(variables, tables),))

        def one(variables: Variables, tables: Tables) -> Value:
            a = only(variables, tables)
            if type(a) is float:
                try:
                    return fast_one(a)
                except Fail:
                    pass
            return finish((a,))

        return one
    if len(args) == 2:
        first, second = args
        fast_two = _FAST_TWO.get(name)
        if fast_two is None:
            return lambda variables, tables: finish(
                (first(variables, tables), second(variables, tables))
            )
        nodes = (node["args"][0], node["args"][1])
        constants = (_is_constant(nodes[0]), _is_constant(nodes[1]))
        return specialise(fast_two, nodes, (first, second), constants, lambda a, b: finish((a, b)))
    return lambda variables, tables: finish(tuple([arg(variables, tables) for arg in args]))


_COMPILERS: dict[str, Callable[[Node, str | None], Fn]] = {
    "number": _literal,
    "text": _literal,
    "boolean": _literal,
    "name": _name,
    "unary": _unary,
    "binary": _binary,
    "call": _call,
}
