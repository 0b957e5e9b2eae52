"""Static analysis: unknown names, arity, literal type errors and constant division by zero."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterator, Mapping
from typing import Any

from ._errors import Diagnostic, ErrorValue, Fail, FormulaError
from ._evaluate import compile_node
from ._fn_dates import VOLATILE
from ._functions import FUNCTIONS, TABLE_ARGS, arity_problem
from ._parser import Node, parse
from ._values import describe, to_bool, to_number

_NUMERIC_OPS = frozenset({"+", "-", "*", "/", "^"})
# Functions whose every value must be a number (aggregates also skip blanks and empty text).
_NUMERIC_FUNCTIONS = frozenset(
    "SUM AVERAGE AVG MIN MAX NPV ROUND ROUNDUP ROUNDDOWN FLOOR CEILING ABS SQRT POWER EXP LN "
    "LOG10 MOD CLAMP PMT FV PV".split()
) | frozenset(name for name, arity in FUNCTIONS.items() if arity.numeric)


def analyze(
    source: str,
    known_names: Collection[str] | None = None,
    tables: Mapping[str, Any] | Collection[str] | None = None,
) -> list[Diagnostic]:
    """Everything wrong with `source` that can be seen without its input values; never raises."""
    try:
        tree = parse(source)
    except FormulaError as error:
        return [Diagnostic(error.code, error.message, error.position, "error")]
    found: dict[tuple[str, int | None], Diagnostic] = {}
    for diagnostic in _check(tree, source, known_names, tables):
        found.setdefault((diagnostic.code, diagnostic.position), diagnostic)
    return sorted(found.values(), key=lambda d: (d.position or 0, d.code))


def _walk(node: Node, parent_constant: bool = False) -> Iterator[tuple[Node, bool]]:
    stack = [(node, parent_constant)]
    while stack:
        current, inside_constant = stack.pop()
        yield current, inside_constant
        constant = inside_constant or _is_constant(current)
        stack.extend((child, constant) for child in reversed(_children(current)))


def _children(node: Node) -> list[Node]:
    kind = node["type"]
    if kind == "unary":
        return [node["operand"]]
    if kind == "binary":
        return [node["left"], node["right"]]
    if kind == "call":
        return list(node["args"])
    return []


def _is_constant(node: Node) -> bool:
    if node["type"] == "call" and node["name"] in VOLATILE:
        return False
    if node["type"] == "name" or (node["type"] == "call" and node["name"] in TABLE_ARGS):
        return False
    return all(_is_constant(child) for child in _children(node))


def _check(
    tree: Node,
    source: str,
    known_names: Collection[str] | None,
    tables: Mapping[str, Any] | Collection[str] | None,
) -> Iterator[Diagnostic]:
    table_names, bound = _table_and_bound_names(tree, tables)
    for node, inside_constant in _walk(tree):
        kind = node["type"]
        if kind == "name" and (id(node) in table_names or node["name"] in bound):
            continue
        if kind == "name" and known_names is not None and node["name"] not in known_names:
            yield _unknown_name(node, known_names)
        elif kind == "call":
            yield from _check_call(node, tables)
            yield from _check_modulo(node, source)
            if not _is_constant(node):
                yield from _check_typed_args(node, source)
        if kind in ("unary", "binary") and not _is_constant(node):
            yield from _check_operands(node, source)
        elif kind not in ("number", "text", "boolean") and not inside_constant:
            if _is_constant(node):
                value = compile_node(node, source)({}, {})
                if isinstance(value, ErrorValue):
                    yield Diagnostic(value.code, value.message, value.position)


def _table_and_bound_names(
    tree: Node, tables: Mapping[str, Any] | Collection[str] | None
) -> tuple[set[int], set[str]]:
    """Ids of the name nodes that name a table, and the names LET binds (known inside it)."""
    table_names: set[int] = set()
    bound: set[str] = set()
    for node, _ in _walk(tree):
        if node["type"] != "call":
            continue
        args, position = node["args"], TABLE_ARGS.get(node["name"])
        if position is not None and position < len(args) and args[position]["type"] == "name":
            table = args[position]
            if node["name"] != "INDEX" or (tables is not None and table["name"] in tables):
                table_names.add(id(table))
        if node["name"] == "LET":
            bound |= {arg["name"] for arg in args[:-1:2] if arg["type"] == "name"}
    return table_names, bound


def _unknown_name(node: Node, known_names: Collection[str]) -> Diagnostic:
    name, position = node["name"], node["pos"]
    message = f"Unknown name '{name}' at position {position}."
    close = difflib.get_close_matches(name, list(known_names), n=1)
    if close:
        message += f" Did you mean '{close[0]}'?"
    return Diagnostic("NAME", message, position)


def _check_call(
    node: Node, tables: Mapping[str, Any] | Collection[str] | None
) -> Iterator[Diagnostic]:
    name, position, args = node["name"], node["pos"], node["args"]
    if name not in FUNCTIONS:
        yield Diagnostic("NAME", f"Unknown function {name} at position {position}.", position)
        return
    problem = arity_problem(name, len(args))
    if problem is not None:
        yield Diagnostic("ARG", f"{problem} (at position {position}).", position)
        return
    position = TABLE_ARGS.get(name)
    if position is None or name == "INDEX":
        return
    table = args[position]
    if table["type"] != "name":
        which = "first" if position == 0 else "second"
        yield Diagnostic(
            "ARG",
            f"{name} needs the name of a table as its {which} value (position {table['pos']}).",
            table["pos"],
        )
        return
    if tables is None:
        return
    column = args[2] if name == "LOOKUP" else (args[1] if name == "TABLECOLUMN" else None)
    if table["name"] not in tables:
        message = f"There is no table named '{table['name']}' (position {table['pos']})."
        yield Diagnostic("NAME", message, table["pos"])
    elif isinstance(tables, Mapping) and column is not None and column["type"] == "text":
        yield from _check_column(table["name"], tables[table["name"]], column)


def _check_column(table: str, rows: Any, column: Node) -> Iterator[Diagnostic]:
    wanted = str(column["value"]).lower()
    first = next(iter(rows), None) if isinstance(rows, list | tuple) else None
    if isinstance(first, Mapping) and wanted not in (str(key).lower() for key in first):
        message = (
            f"The table '{table}' has no column '{column['value']}' (position {column['pos']})."
        )
        yield Diagnostic("ARG", message, column["pos"], "warning")


def _kinds(name: str) -> str:
    """What each value of `name` must be ("n" number, "b" TRUE/FALSE, anything else free);
    the last letter stands for the remaining values."""
    arity = FUNCTIONS.get(name)
    if arity is None:
        return ""
    if arity.kinds:
        return arity.kinds
    return "n" if name in _NUMERIC_FUNCTIONS else ""


def _check_typed_args(node: Node, source: str) -> Iterator[Diagnostic]:
    kinds = _kinds(node["name"])
    if not kinds.strip("a"):
        return
    for index, arg in enumerate(node["args"]):
        kind = kinds[min(index, len(kinds) - 1)]
        if kind not in "nb" or not _is_constant(arg):
            continue
        value = compile_node(arg, source)({}, {})
        if isinstance(value, ErrorValue) or value is None or value == "":
            continue
        try:
            to_number(value) if kind == "n" else to_bool(value)
        except Fail:
            wanted = "a number" if kind == "n" else "TRUE or FALSE"
            message = (
                f"{describe(value).capitalize()} cannot be used as {wanted} in {node['name']} "
                f"(position {arg['pos']})."
            )
            yield Diagnostic("TYPE", message, arg["pos"])


def _check_modulo(node: Node, source: str) -> Iterator[Diagnostic]:
    args = node["args"]
    if node["name"] != "MOD" or len(args) != 2 or not _is_constant(args[1]):
        return
    if _is_constant(args[0]):
        return  # the whole call is constant and reported by evaluation
    divisor = compile_node(args[1], source)({}, {})
    if divisor == 0.0 or divisor is None:
        snippet = source[node["pos"] : node["end"]]
        yield Diagnostic("DIV_ZERO", f"MOD by zero in '{snippet}'.", node["pos"])


def _check_operands(node: Node, source: str) -> Iterator[Diagnostic]:
    op = node["op"]
    if op not in _NUMERIC_OPS and node["type"] == "binary":
        return
    if op == "not":
        return
    for child in _children(node):
        if not _is_constant(child):
            continue
        value = compile_node(child, source)({}, {})
        if isinstance(value, ErrorValue):
            continue  # reported where it arises
        try:
            number = to_number(value)
        except Fail:
            snippet = source[node["pos"] : node["end"]]
            message = (
                f"{describe(value).capitalize()} cannot be used as a number in '{snippet}' "
                f"(position {child['pos']})."
            )
            yield Diagnostic("TYPE", message, child["pos"])
            continue
        if op == "/" and child is node["right"] and number == 0.0:
            snippet = source[node["pos"] : node["end"]]
            yield Diagnostic("DIV_ZERO", f"Division by zero in '{snippet}'.", node["pos"])
