"""Functions that evaluate only the values they need: IF, IFS, CHOOSE, COALESCE, LOOKUP."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ._errors import ErrorValue, Fail
from ._family import Compiler, Fn, Node, Tables, Variables
from ._site import Site
from ._values import Value, compare, describe, is_blank, normalize, to_bool, to_number, to_text

_MISSING: Any = object()


def _if(nodes: list[Node], args: list[Fn], site: Site) -> Fn:
    condition, then, otherwise = args

    def run(variables: Variables, tables: Tables) -> Value:
        test = condition(variables, tables)
        if test is True:
            return then(variables, tables)
        if test is False:
            return otherwise(variables, tables)
        if type(test) is ErrorValue:
            return test
        try:
            chosen = to_bool(test)
        except Fail as failure:
            return site.fail(failure)
        return then(variables, tables) if chosen else otherwise(variables, tables)

    return run


def _ifs(nodes: list[Node], args: list[Fn], site: Site) -> Fn:
    pairs = list(zip(args[::2], args[1::2], strict=True))

    def run(variables: Variables, tables: Tables) -> Value:
        for condition, value in pairs:
            test = condition(variables, tables)
            if type(test) is ErrorValue:
                return test
            try:
                if to_bool(test):
                    return value(variables, tables)
            except Fail as failure:
                return site.fail(failure)
        return site.error("NA", "No condition in IFS is true")

    return run


def _choose(nodes: list[Node], args: list[Fn], site: Site) -> Fn:
    index_fn, options = args[0], args[1:]

    def run(variables: Variables, tables: Tables) -> Value:
        index = index_fn(variables, tables)
        if type(index) is ErrorValue:
            return index
        try:
            number = math.trunc(to_number(index))
        except Fail as failure:
            return site.fail(failure)
        if 1 <= number <= len(options):
            return options[number - 1](variables, tables)
        shown = f"option {number}" if abs(number) < 1_000_000 else "that option"
        return site.error("ARG", f"CHOOSE has {len(options)} options, so {shown} does not exist")

    return run


def _coalesce(nodes: list[Node], args: list[Fn], site: Site) -> Fn:
    def run(variables: Variables, tables: Tables) -> Value:
        for arg in args:
            value = arg(variables, tables)
            if type(value) is ErrorValue or not is_blank(value):
                return value
        return None

    return run


def _lookup(nodes: list[Node], args: list[Fn], site: Site) -> Fn:
    """LOOKUP(table, key, column): the table must be given by its name."""
    table_node, key_fn, column_fn = nodes[0], args[1], args[2]
    if table_node["type"] != "name":
        error = site.error("ARG", "LOOKUP needs the name of a table as its first value")
        return lambda variables, tables: error
    table_name = table_node["name"]

    def run(variables: Variables, tables: Tables) -> Value:
        key, column = key_fn(variables, tables), column_fn(variables, tables)
        if type(key) is ErrorValue:
            return key
        if type(column) is ErrorValue:
            return column
        rows = tables.get(table_name, _MISSING)
        if rows is _MISSING:
            return site.error("NAME", f"There is no table named '{table_name}'")
        try:
            return _find(table_name, rows, key, to_text(column))
        except Fail as failure:
            return site.fail(failure)

    return run


def _find(table: str, rows: Any, key: Value, column: str) -> Value:
    if isinstance(key, list):
        raise Fail("TYPE", "LOOKUP needs a single key, not a list")
    for row in rows:
        if not isinstance(row, Mapping) or not row:
            continue
        cell = normalize(next(iter(row.values())))
        if not isinstance(cell, list) and _same_key(cell, key):
            if column in row:
                return normalize(row[column])
            for name, value in row.items():
                if str(name).lower() == column.lower():
                    return normalize(value)
            raise Fail("ARG", f"The table '{table}' has no column '{column}'")
    raise Fail("ARG", f"No row of the table '{table}' has {describe(key)} in its first column")


def _same_key(cell: Value, key: Value) -> bool:
    if type(cell) is float and isinstance(key, str) or type(key) is float and isinstance(cell, str):
        try:
            return to_number(cell) == to_number(key) and not is_blank(cell) and not is_blank(key)
        except Fail:
            return False
    return compare(cell, key) == 0


COMPILERS: dict[str, Compiler] = {
    "IF": _if,
    "IFS": _ifs,
    "CHOOSE": _choose,
    "COALESCE": _coalesce,
    "LOOKUP": _lookup,
}
