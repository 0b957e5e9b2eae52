"""A whole-formula fast path: one generated Python function for formulas over plain numbers.

For a formula made only of numbers, names, ``+ - * /``, comparisons, unary minus and IF,
MIN / MAX (two values), ROUND and ABS, the compiler also writes one Python function that
computes it with the very float operations of the closures' fast paths, inline, without a
call per node (a calculator's formula is mostly this). The function hands the evaluation
back to the closures (``slow``) whenever a name is not a finite float, a result is not
finite, a divisor is 0, a condition is not TRUE/FALSE or anything raises; and a sum that
may have cancelled out is finished by ``_approx`` exactly as the closures do. So it changes
speed, never results: the differential and oracle tests run through it.

Any other formula (text, lists, tables, other functions) has no fast path. The source is
built only from float literals (``repr``, exact) and quoted names, never from formula text.
"""

from __future__ import annotations

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
from ._errors import Fail
from ._values import Value, round_half

Node = dict[str, Any]
Fn = Callable[[Mapping[str, object], Mapping[str, object]], Value]
Fold = Callable[[Node], Any]
#: Deepest IF nesting written as nested blocks (deeper formulas keep the closures).
MAX_DEPTH = 20
_COMPARE = {"==": "EQ", "!=": "NE", "<": "LT", "<=": "LE", ">": "GT", ">=": "GE"}
_EXACT = {"==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_HELPERS: dict[str, Any] = {
    "ADD": approx_add,
    "SUB": approx_sub,
    "EQ": approx_equal,
    "NE": approx_ne,
    "LT": approx_lt,
    "LE": approx_le,
    "GT": approx_gt,
    "GE": approx_ge,
    "ROUND": round_half,
    "S2": 2.0**-96,
    "NORMAL": 2.0**-1022,
    "ERRORS": (ArithmeticError, ValueError, TypeError, LookupError, Fail),
}


class _Declined(Exception):
    """The formula has a part the fast path does not write."""


def fast_path(tree: Node, slow: Fn, constant: Callable[[Node], bool], fold: Fold) -> Fn | None:
    """The generated function for ``tree`` (falling back to ``slow``), or None.

    ``constant`` says whether a node's value is fixed (as the closures fold it) and ``fold``
    gives that value."""
    writer = _Writer(constant, fold)
    try:
        result = writer.expression(tree, 1)
    except _Declined:
        return None
    if not writer.names and not writer.lines:
        return None  # a constant: the closures already hold its value
    head = [
        f"    {var} = v.get({name!r})\n"
        f"    if type({var}) is not float or {var} - {var} != 0.0:\n"
        "        return SLOW(v, t)"
        for name, var in writer.names.items()
    ]
    source = "\n".join(
        ["def run(v, t):", "  try:", *head, *writer.lines, f"    return {result}",
         "  except ERRORS:", "    pass", "  return SLOW(v, t)"]
    )  # fmt: skip
    namespace: dict[str, Any] = {**_HELPERS, "SLOW": slow}
    # The one exec of the package: ``source`` holds only the templates above, float literals
    # and quoted names (tests/formula/test_fastpath.py checks every token it can contain).
    exec(compile(source, "<formula fast path>", "exec"), namespace)
    run: Fn = namespace["run"]
    run.__doc__ = source  # for the token check and for reading
    return run


class _Writer:
    def __init__(self, constant: Callable[[Node], bool], fold: Fold) -> None:
        self.constant = constant
        self.fold = fold
        self.names: dict[str, str] = {}
        #: Temporaries that may hold TRUE/FALSE (comparisons, IFs choosing one): they may only
        #: be a condition or the result; booleans elsewhere follow the closures' own rules.
        self.bools: set[str] = set()
        self.lines: list[str] = []
        self.count = 0
        self.indent = "    "

    def temp(self) -> str:
        self.count += 1
        return f"x{self.count}"

    def emit(self, line: str) -> None:
        self.lines.append(self.indent + line)

    def checked(self, expression: str) -> str:
        """A temporary holding ``expression``, back to the closures unless it is finite."""
        var = self.temp()
        self.emit(f"{var} = {expression}")
        self.emit(f"if {var} - {var} != 0.0: return SLOW(v, t)")
        return var

    def number(self, node: Node, depth: int) -> str:
        """An operand that must be a number (never a TRUE/FALSE)."""
        value = self.expression(node, depth)
        if value in self.bools:
            raise _Declined
        return value

    def expression(self, node: Node, depth: int) -> str:
        kind = node["type"]
        if kind == "number":
            number = float(node["value"])
            if number - number != 0.0:  # 1e999: the closures report NUM
                raise _Declined
            return repr(number)
        if kind == "name":
            name = node["name"]
            if name not in self.names:
                self.names[name] = f"n{len(self.names)}"
            return self.names[name]
        if self.constant(node):
            value = self.fold(node)
            if type(value) is not float or value - value != 0.0:
                raise _Declined
            return repr(value)
        if kind == "unary" and node["op"] in ("-", "+"):
            operand = self.number(node["operand"], depth)
            return f"(-{operand})" if node["op"] == "-" else operand
        if kind == "binary":
            return self.binary(node, depth)
        if kind == "call":
            return self.call(node, depth)
        raise _Declined

    def binary(self, node: Node, depth: int) -> str:
        op = node["op"]
        left = self.number(node["left"], depth)
        right = self.number(node["right"], depth)
        if op in ("+", "-"):
            var = self.checked(f"{left} {op} {right}")
            helper = "ADD" if op == "+" else "SUB"
            # As the closures: a result that may have cancelled out goes through _approx.
            self.emit(
                f"if not ({var} * {var} > {left} * {left} * S2 >= NORMAL or {left} == 0.0): "
                f"{var} = {helper}({left}, {right})"
            )
            return var
        if op == "*":
            return self.checked(f"{left} * {right}")
        if op == "/":
            self.emit(f"if {right} == 0.0: return SLOW(v, t)")
            return self.checked(f"{left} / {right}")
        if op in _COMPARE:
            var = self.temp()
            zero = any(n["type"] == "number" and float(n["value"]) == 0.0
                       for n in (node["left"], node["right"]))  # fmt: skip
            if zero:  # against a literal 0 the closures compare exactly
                self.emit(f"{var} = {left} {_EXACT[op]} {right}")
            else:
                self.emit(f"{var} = {_COMPARE[op]}({left}, {right})")
            self.bools.add(var)
            return var
        raise _Declined

    def call(self, node: Node, depth: int) -> str:
        name, args = node["name"], node["args"]
        if name == "IF" and len(args) == 3 and depth < MAX_DEPTH:
            return self.branch(args, depth)
        values = [self.number(arg, depth) for arg in args]
        if name in ("MIN", "MAX") and len(values) == 2:
            a, b = values
            var = self.temp()
            self.emit(f"{var} = {b} if {b} {'<' if name == 'MIN' else '>'} {a} else {a}")
            return var
        if name == "ROUND" and len(values) in (1, 2):
            digits = values[1] if len(values) == 2 else "0.0"
            return self.checked(f"ROUND({values[0]}, {digits})")
        if name == "ABS" and len(values) == 1:
            return self.checked(f"abs({values[0]})")
        raise _Declined

    def branch(self, args: list[Node], depth: int) -> str:
        condition = self.expression(args[0], depth)
        var = self.temp()
        self.emit(f"if type({condition}) is not bool: return SLOW(v, t)")
        outer = self.indent
        for keyword, arg in (("if", args[1]), ("else", args[2])):
            self.emit(f"if {condition}:" if keyword == "if" else "else:")
            self.indent = outer + "    "
            value = self.expression(arg, depth + 1)
            if value in self.bools:
                self.bools.add(var)
            self.emit(f"{var} = {value}")
            self.indent = outer
        return var
