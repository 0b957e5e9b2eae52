"""The "recommendations from table" block: the data rows that match a visitor's answers.

Semantics (``keyvex/public/static/public/runtime.js`` implements the same, so live calculator
results and server results agree):
- A filter's value is a formula over the tool's names; a blank value (unanswered, empty
  text, empty list) or an error value leaves that filter out.
- ``eq``/``ne``: numbers compare as numbers when both sides are numbers; otherwise the
  trimmed texts compare without case. A list value means "one of" (``ne``: none of).
- ``lt``/``lte``/``gt``/``gte``: numeric; a row whose cell is not a number is left out.
- ``in``: the cell equals one of the values; ``contains``: the cell's text contains the
  value's text (any of a list's), without case. A blank cell matches only ``ne``.
- Rows are sorted by ``sort_by`` (numbers before text, blanks last; ties keep table order),
  then the first ``limit`` are shown.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from keyvex import formula
from keyvex.engine import _format
from keyvex.engine._result import RenderedBlock, TableCard, TableField
from keyvex.tools.results import Calculation, TableFilter, TableRecommendationsBlock


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    return None


def _text(value: Any) -> str:
    return _format.plain(value).strip().lower()


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def _equal(cell: Any, value: Any) -> bool:
    a, b = _number(cell), _number(value)
    if a is not None and b is not None:
        return a == b
    return _text(cell) == _text(value)


def matches(cell: Any, op: str, value: Any) -> bool:
    """Whether a row's ``cell`` passes one filter whose evaluated value is ``value``."""
    values = value if isinstance(value, list) else [value]
    if _blank(cell):
        return op == "ne"
    if op in ("eq", "in"):
        return any(_equal(cell, v) for v in values)
    if op == "ne":
        return not any(_equal(cell, v) for v in values)
    if op == "contains":
        text = _text(cell)
        return any(_text(v) in text for v in values if not _blank(v))
    a, b = _number(cell), _number(values[0])
    if a is None or b is None:
        return False
    return {"lt": a < b, "lte": a <= b, "gt": a > b, "gte": a >= b}[op]


def _filter_value(source: Any, names: Mapping[str, Any], tables: Any) -> Any:
    try:
        return source.evaluate(names, tables)
    except formula.FormulaError:
        return None


def ordered_rows(
    block: TableRecommendationsBlock, rows: Sequence[Mapping[str, Any]]
) -> list[Mapping[str, Any]]:
    """The table in ``sort_by`` order (numbers, then text, then blanks; ties keep table
    order). It depends only on the definition, so the engine computes it once per tool."""
    if not block.sort_by:
        return list(rows)
    column = block.sort_by
    numbers: list[Mapping[str, Any]] = []
    texts: list[Mapping[str, Any]] = []
    blanks: list[Mapping[str, Any]] = []
    for row in rows:
        cell = row.get(column)
        group = numbers if _number(cell) is not None else blanks if _blank(cell) else texts
        group.append(row)
    # Python's sort stays stable with reverse=True: ties keep table order both ways.
    numbers.sort(key=lambda r: _number(r.get(column)) or 0.0, reverse=block.descending)
    texts.sort(key=lambda r: _text(r.get(column)), reverse=block.descending)
    return numbers + texts + blanks


def select_rows(
    block: TableRecommendationsBlock,
    ordered: Sequence[Mapping[str, Any]],
    filters: Sequence[tuple[TableFilter, Any]],
) -> list[Mapping[str, Any]]:
    """The first ``limit`` rows of ``ordered_rows`` passing every filter (with its value)."""
    active = [(f.column, f.op, v) for f, v in filters if not _blank(v)]
    kept: list[Mapping[str, Any]] = []
    for row in ordered:
        if all(matches(row.get(c), op, v) for c, op, v in active):
            kept.append(row)
            if len(kept) == block.limit:
                break
    return kept


def cell_text(cell: Any, view_format: str, decimals: int, currency: str) -> str:
    """A table cell as shown: text as is, numbers like a calculation of that format."""
    if view_format == "text" or _number(cell) is None:
        return _format.plain(cell)
    calc = Calculation(id="cell", label="", formula="0", format="number", decimals=decimals)
    if view_format in ("currency", "percent", "date"):
        calc = calc.model_copy(update={"format": view_format})
    return _format.calculation(calc, cell, currency)


def render_table_block(
    block: TableRecommendationsBlock,
    ordered: Sequence[Mapping[str, Any]],
    filter_sources: Sequence[Any],
    names: Mapping[str, Any],
    tables: Any,
    currency: str,
) -> RenderedBlock:
    filters = [
        (f, _filter_value(src, names, tables))
        for f, src in zip(block.filters, filter_sources, strict=True)
    ]
    cards = []
    for row in select_rows(block, ordered, filters):
        fields = [
            TableField(
                label=view.label or view.column,
                display=cell_text(row.get(view.column), view.format, view.decimals, currency),
            )
            for view in block.show
        ]
        cards.append(TableCard(title=_format.plain(row.get(block.title_column)), fields=fields))
    return RenderedBlock(
        type="table_recommendations",
        title=block.title,
        text="" if cards else block.empty_text,
        cards=cards,
    )
