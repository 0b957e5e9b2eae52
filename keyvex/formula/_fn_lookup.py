"""Lookup functions over the tool's tables (constant or bound to data) and lists: VLOOKUP,
INDEX, MATCH, XLOOKUP, and TABLECOLUMN, which gives a table column as a list for COUNTIF,
SUMIFS, MATCH ... A table is named by its name; its columns count from 1 in their order
(the key column first). "Nothing found" is the NA error, which IFNA catches.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ._errors import ErrorValue, Fail
from ._family import MORE_SCRIPT, Args, Family, Fn, Node, Tables, Variables, typed
from ._site import Site
from ._values import Scalar, Value, compare, normalize, to_bool, to_number, to_text

_MISSING: Any = object()


def table_rows(name: str, tables: Tables) -> list[Mapping[str, Any]]:
    rows = tables.get(name, _MISSING)
    if rows is _MISSING:
        raise Fail("NAME", f"There is no table named '{name}'")
    return [row for row in rows if isinstance(row, Mapping) and row]  # type: ignore[attr-defined]


def _column(name: str, rows: list[Mapping[str, Any]], column: str) -> str:
    keys = [str(key) for key in rows[0]] if rows else []
    for candidate in (column, column.lower()):
        for key in keys:
            if key == candidate or key.lower() == candidate:
                return key
    raise Fail("ARG", f"The table '{name}' has no column '{column}'")


def _kind(value: Value) -> int:
    return 2 if isinstance(value, bool) else 1 if isinstance(value, str) else 0


def find(key: Value, cells: list[Scalar], mode: int) -> int | None:
    """Index of the match: mode 0 equal, 1 the last not above key (ascending cells),
    -1 the last not below key (descending cells)."""
    if isinstance(key, list | ErrorValue):
        raise Fail("TYPE", "The value to find must be one value, not a list")
    found = None
    for index, cell in enumerate(cells):
        if cell is None or _kind(cell) != _kind(key):
            continue
        order = compare(cell, key)
        if mode == 0:
            if order == 0:
                return index
        elif order * mode <= 0:
            found = index
        else:
            break
    return found


def _not_found(key: Value) -> Fail:
    shown = to_text(key) if not isinstance(key, list | ErrorValue) else "the value"
    return Fail("NA", f"Nothing matches {shown[:30]!r}")


def _vlookup(nodes: list[Node], args: list[Fn], site: Site) -> Fn:
    table = nodes[1]
    if table["type"] != "name":
        error = site.error("ARG", "VLOOKUP needs the name of a table as its second value")
        return lambda variables, tables: error
    key_fn, column_fn = args[0], args[2]
    approximate_fn = args[3] if len(args) > 3 else None

    def run(variables: Variables, tables: Tables) -> Value:
        key, column = key_fn(variables, tables), column_fn(variables, tables)
        approximate = True if approximate_fn is None else approximate_fn(variables, tables)
        for value in (key, column, approximate):
            if type(value) is ErrorValue:
                return value
        try:
            rows = table_rows(table["name"], tables)
            keys = [str(name) for name in rows[0]] if rows else []
            index = math.trunc(to_number(column))
            if not 1 <= index <= len(keys):
                raise Fail("ARG", f"VLOOKUP's column must be from 1 to {len(keys)}")
            firsts = [_cell(row[keys[0]]) for row in rows]
            found = find(key, firsts, 1 if to_bool(approximate) else 0)
            if found is None:
                raise _not_found(key)
            return normalize(rows[found].get(keys[index - 1]))
        except Fail as failure:
            return site.fail(failure)

    return run


def _cell(raw: object) -> Scalar:
    value = normalize(raw)
    return None if isinstance(value, list) else value  # type: ignore[return-value]


def _index(nodes: list[Node], args: list[Fn], site: Site) -> Fn:
    source = nodes[0]
    table = source["name"] if source["type"] == "name" else None

    def run(variables: Variables, tables: Tables) -> Value:
        values = [arg(variables, tables) for arg in args[1:]]
        for value in values:
            if type(value) is ErrorValue:
                return value
        try:
            row = math.trunc(to_number(values[0]))
            column = math.trunc(to_number(values[1])) if len(values) > 1 else None
            if table is not None and table in tables and table not in variables:
                return _table_cell(table, tables, row, column)
            items = args[0](variables, tables)
            if type(items) is ErrorValue:
                return items
            cells = items if isinstance(items, list) else [items]
            if column not in (None, 1) or not 1 <= row <= len(cells):
                raise Fail("ARG", f"INDEX needs a position from 1 to {len(cells)}")
            return cells[row - 1]
        except Fail as failure:
            return site.fail(failure)

    return run


def _table_cell(name: str, tables: Tables, row: int, column: int | None) -> Value:
    rows = table_rows(name, tables)
    keys = [str(key) for key in rows[0]] if rows else []
    if column is None:
        if len(keys) != 1:
            raise Fail("ARG", "INDEX on a table needs a row and a column")
        column = 1
    if not 1 <= row <= len(rows) or not 1 <= column <= len(keys):
        raise Fail(
            "ARG", f"INDEX needs a row from 1 to {len(rows)} and a column from 1 to {len(keys)}"
        )
    return normalize(rows[row - 1].get(keys[column - 1]))


def _cells(value: Value) -> list[Scalar]:
    return value if isinstance(value, list) else [value]  # type: ignore[list-item]


def _match(args: Args) -> Value:
    mode = to_number(args[2]) if len(args) > 2 else 1.0
    found = find(args[0], _cells(args[1]), (mode > 0) - (mode < 0))
    if found is None:
        raise _not_found(args[0])
    return float(found + 1)


def _xlookup(args: Args) -> Value:
    keys, results = _cells(args[1]), _cells(args[2])
    if len(keys) != len(results):
        raise Fail("ARG", "XLOOKUP needs the two lists to be of the same length")
    found = find(args[0], keys, 0)
    if found is None:
        if len(args) > 3:
            return args[3]
        raise _not_found(args[0])
    return results[found]


def _tablecolumn(nodes: list[Node], args: list[Fn], site: Site) -> Fn:
    table = nodes[0]
    if table["type"] != "name":
        error = site.error("ARG", "TABLECOLUMN needs the name of a table as its first value")
        return lambda variables, tables: error
    column_fn = args[1]

    def run(variables: Variables, tables: Tables) -> Value:
        column = column_fn(variables, tables)
        if type(column) is ErrorValue:
            return column
        try:
            rows = table_rows(table["name"], tables)
            key = _column(table["name"], rows, to_text(column))
            return [_cell(row.get(key)) for row in rows]
        except Fail as failure:
            return site.fail(failure)

    return run


FAMILY = Family(
    arities={
        "VLOOKUP": typed(
            3,
            4,
            "VLOOKUP(key, table, column, approximate=TRUE): a cell of the row whose first "
            "column matches key (approximate: the last row not above key)",
            "any",
            "aTnb",
        ),
        "INDEX": typed(
            2, 3, "INDEX(list_or_table, row, column): the item at that position", "any", "lnn"
        ),
        "MATCH": typed(
            2,
            3,
            "MATCH(key, list, type=1): position of key (0 exact, 1 last not above, -1 "
            "last not below)",
            "number",
            "aln",
        ),
        "XLOOKUP": typed(
            3,
            4,
            "XLOOKUP(key, keys, results, if_not_found): the result at key's position",
            "any",
            "alla",
        ),
        "TABLECOLUMN": typed(
            2, 2, 'TABLECOLUMN(table, "column"): a table column as a list', "any", "Tt"
        ),
    },
    eager={"MATCH": _match, "XLOOKUP": _xlookup},
    compilers={"VLOOKUP": _vlookup, "INDEX": _index, "TABLECOLUMN": _tablecolumn},
    tables={"VLOOKUP": 1, "INDEX": 0, "TABLECOLUMN": 0},
    script=MORE_SCRIPT,
)
