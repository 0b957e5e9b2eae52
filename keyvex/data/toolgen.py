"""A recommendation quiz built from a data source: the deterministic "tool from this data".

From the creator's choices (which column names an item, which columns visitors choose from,
which number they set a limit on, which columns each recommendation shows) it builds a
ToolDefinition whose table is bound to the source. Each filter column becomes a question
with the column's distinct values plus "No preference" (which leaves that filter out); the
limit column becomes a number question filtered with ``lte``; the result is a
"recommendations from table" block sorted by the limit column. Co-creation sessions with a
source attached use it to build (offline and with a model alike), then edit it as usual.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from keyvex.data._coerce import coerce_column, guess_type
from keyvex.data._types import Dataset
from keyvex.tools import parse_tool
from keyvex.tools._definition import ToolDefinition

ANY = "any"
MAX_OPTIONS = 12
NUMERIC = ("number", "currency", "percent")


def identifier(name: str, taken: set[str]) -> str:
    """A formula-safe, unique id for a source column name ('Price (USD)' -> 'price_usd')."""
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:40] or "column"
    if base[0].isdigit():
        base = f"c_{base}"
    if base in {"and", "or", "not", "true", "false", "score", "max_score", "score_percent"}:
        base = f"{base}_col"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


def distinct_values(dataset: Dataset, column: str, limit: int = MAX_OPTIONS + 1) -> list[str]:
    index = dataset.columns.index(column)
    seen: dict[str, None] = {}
    for row in dataset.rows:
        cell = row[index] if index < len(row) else None
        if cell is None or str(cell).strip() == "":
            continue
        seen.setdefault(str(cell).strip()[:200], None)
        if len(seen) >= limit:
            break
    return list(seen)


def column_types(analysis: Mapping[str, Any] | None, dataset: Dataset) -> dict[str, str]:
    """Each column's analysed type, guessed from the rows where the analysis has none."""
    known = {c["name"]: c["type"] for c in (analysis or {}).get("columns", [])}
    for index, column in enumerate(dataset.columns):
        if column not in known:
            cells = [r[index] if index < len(r) else None for r in dataset.rows[:5000]]
            known[column] = guess_type(cells)
    return known


def filter_candidates(dataset: Dataset, analysis: Mapping[str, Any] | None) -> list[str]:
    """Columns with 2-12 distinct values: good questions for visitors."""
    types = column_types(analysis, dataset)
    out = []
    for column in dataset.columns:
        if types.get(column, "string") in NUMERIC or types.get(column) == "date":
            continue
        values = distinct_values(dataset, column)
        if 2 <= len(values) <= MAX_OPTIONS:
            out.append(column)
    return out


def numeric_columns(analysis: Mapping[str, Any] | None, dataset: Dataset) -> list[str]:
    types = column_types(analysis, dataset)
    return [name for name in dataset.columns if types.get(name) in NUMERIC]


def _max_of(dataset: Dataset, column: str, kind: str) -> float:
    index = dataset.columns.index(column)
    values = coerce_column([r[index] if index < len(r) else None for r in dataset.rows], kind)
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    return float(max(numbers)) if numbers else 100.0


def build_recommendation_quiz(
    *,
    source_id: str,
    source_name: str,
    dataset: Dataset,
    analysis: Mapping[str, Any] | None,
    title_column: str,
    filter_columns: Sequence[str],
    limit_column: str | None,
    show_columns: Sequence[str],
    title: str | None = None,
) -> ToolDefinition:
    """The definition (validated; not yet verified or stored)."""
    types = column_types(analysis, dataset)
    currency = next(
        (c.get("currency") for c in (analysis or {}).get("columns", []) if c.get("currency")),
        None,
    )
    wanted = [title_column, *filter_columns, *show_columns]
    if limit_column:
        wanted.append(limit_column)
    unknown = [c for c in wanted if c not in dataset.columns]
    if unknown:
        from keyvex.errors import Invalid

        raise Invalid(f"The data has no column '{unknown[0]}'.", fields={"columns": unknown[0]})
    taken: set[str] = set()
    ids = {column: identifier(column, taken) for column in dict.fromkeys(wanted)}
    inputs: list[dict[str, Any]] = []
    filters: list[dict[str, Any]] = []
    for column in filter_columns:
        input_id = identifier(f"want_{ids[column]}", taken)
        values = distinct_values(dataset, column)[:MAX_OPTIONS]
        options = [{"value": v, "label": v, "outcome_points": {"matches": 1}} for v in values] + [
            {"value": ANY, "label": "No preference", "outcome_points": {"browse": 1}}
        ]
        inputs.append(
            {"id": input_id, "type": "radio", "label": f"Which {column} do you prefer?",
             "options": options, "default": ANY}
        )  # fmt: skip
        filters.append(
            {"column": ids[column], "op": "eq",
             "value": f'IF({input_id} = "{ANY}", "", {input_id})'}
        )  # fmt: skip
    if limit_column:
        kind = types.get(limit_column, "number")
        top = _max_of(dataset, limit_column, kind)
        input_type = "currency" if kind == "currency" else "number"
        inputs.append(
            {"id": "limit", "type": input_type, "label": f"What is the most {limit_column} "
             "you want?", "min": 0, "max": max(top * 10, 1), "default": top}
        )  # fmt: skip
        filters.append({"column": ids[limit_column], "op": "lte", "value": "limit"})
    if not inputs:
        from keyvex.errors import Invalid

        raise Invalid("Choose at least one column visitors answer about.")
    show = [
        {"column": ids[c], "label": c, "format": _format_of(types.get(c, "string")),
         "decimals": 2 if types.get(c) == "currency" else 0}
        for c in show_columns if c != title_column
    ]  # fmt: skip
    name = title or f"Find your best match: {source_name}"[:120]
    definition = {
        "id": re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "data-quiz",
        "title": name,
        "description": f"Answer {len(inputs)} quick question(s) to see the best matches "
        f"from {source_name}.",
        "kind": "quiz",
        "currency": currency or "USD",
        "tags": ["recommendation", "data"],
        "inputs": inputs,
        "steps": [
            {"id": f"step_{n + 1}", "title": item["label"], "inputs": [item["id"]]}
            for n, item in enumerate(inputs)
        ],
        "scoring": {"quiz_type": "outcome"},
        "outcomes": [
            {
                "id": "matches",
                "title": "Your best matches",
                "description": "These fit what you told us best.",
            },
            {
                "id": "browse",
                "title": "A few good places to start",
                "description": "You are open to anything, so here are some of our favourites.",
            },
        ],
        "tables": [
            {
                "name": "items",
                "columns": list(ids.values()),
                "key_column": ids[title_column],
                "binding": {"source_id": source_id, "column_map": dict(_swap(ids))},
            }
        ],
        "results": [
            {"type": "outcome"},
            {
                "type": "table_recommendations",
                "table": "items",
                "title": "Recommended for you",
                "title_column": ids[title_column],
                "filters": filters,
                "sort_by": ids[limit_column] if limit_column else None,
                "limit": 3,
                "show": show,
                "empty_text": "Nothing matches all your answers; try 'No preference' on one.",
            },
        ],
    }
    return parse_tool(definition)


def _format_of(kind: str) -> str:
    return {"currency": "currency", "percent": "percent", "number": "number"}.get(kind, "text")


def _swap(ids: Mapping[str, str]) -> list[tuple[str, str]]:
    return [(ident, column) for column, ident in ids.items()]
