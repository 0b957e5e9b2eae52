"""JSON records (REST answers) as a Dataset: find the list, flatten each record, union the columns.

Decisions:
- a nested object becomes dotted columns (``{"address": {"city": "Oslo"}}`` -> ``address.city``),
  down to :data:`MAX_DEPTH` levels; deeper objects are kept as JSON text;
- a list of scalars becomes one text cell, its items joined with ", " (``["a", "b"]`` ->
  ``"a, b"``: readable and searchable); a list holding objects or lists is kept as JSON text;
  an empty list is blank;
- columns are the union of every record's keys in first-seen order; a record without a key
  has a blank cell there; when flattening makes a key twice (``"a.b"`` next to
  ``{"a": {"b": ...}}``) the first one wins;
- a record that is not an object (a list of numbers, say) fills a single ``value`` column.
"""

from __future__ import annotations

import json
from typing import Any

from keyvex.data._types import Cell, Dataset, SourceError, clean_cell, unique_columns

MAX_DEPTH = 5
MAX_COLUMNS = 1000


def records_at(payload: Any, path: str) -> list[Any]:
    """The list of records at the dotted ``path`` (list items by index); SourceError("format")
    naming the path and the keys found when the path does not lead to a list."""
    value: Any = payload
    walked: list[str] = []
    for segment in [s for s in path.split(".") if s] if path else []:
        if isinstance(value, dict) and segment in value:
            value = value[segment]
        elif isinstance(value, list) and segment.isdigit() and int(segment) < len(value):
            value = value[int(segment)]
        else:
            where = ".".join(walked) or "the top level"
            raise SourceError(
                "format",
                f"The record path '{path}' does not match the answer: '{segment}' is missing "
                f"at {where}, which has {_describe(value)}.",
            )
        walked.append(segment)
    if isinstance(value, list):
        return value
    where = f"at '{path}'" if path else "at the top level"
    lists = _list_keys(value)
    hint = f"; set the record path to one of: {', '.join(lists)}" if lists else ""
    raise SourceError("format", f"The answer {where} is {_kind(value)}, not a list{hint}.")


def flatten(record: Any) -> dict[str, Cell]:
    """One record as flat ``column: cell`` pairs (see the module docstring)."""
    if not isinstance(record, dict):
        return {"value": _cell(record)}
    flat: dict[str, Cell] = {}
    _flatten_into(flat, record, "", 1)
    return flat


def _flatten_into(flat: dict[str, Cell], record: dict[str, Any], prefix: str, depth: int) -> None:
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value and depth < MAX_DEPTH:
            _flatten_into(flat, value, f"{name}.", depth + 1)
        elif name not in flat:
            flat[name] = _cell(value)


def _cell(value: Any) -> Cell:
    if isinstance(value, list):
        if not value:
            return None
        if all(not isinstance(item, dict | list) for item in value):
            return ", ".join("" if item is None else str(clean_cell(item)) for item in value)
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False) if value else None
    return clean_cell(value)


def to_dataset(records: list[Any]) -> Dataset:
    """Flattened records as rows under the union of their keys, in first-seen order."""
    flats = [flatten(record) for record in records]
    keys: dict[str, None] = {}
    for flat in flats:
        keys.update(dict.fromkeys(flat))
        if len(keys) > MAX_COLUMNS:
            raise SourceError(
                "too_large", f"The records have more than {MAX_COLUMNS} distinct fields."
            )
    order = list(keys)
    rows = [[flat.get(key) for key in order] for flat in flats]
    return Dataset(unique_columns(order), rows)


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if value is None:
        return "null"
    return "a list" if isinstance(value, list) else f"a {type(value).__name__} value"


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        names = list(value)[:20]
        return f"the keys {', '.join(names)}" if names else "no keys"
    if isinstance(value, list):
        return f"a list of {len(value)} items"
    return _kind(value)


def _list_keys(value: Any) -> list[str]:
    if not isinstance(value, dict):
        return []
    found = [key for key, item in value.items() if isinstance(item, list)]
    for key, item in value.items():
        if isinstance(item, dict):
            found += [f"{key}.{inner}" for inner, v in item.items() if isinstance(v, list)]
    return found[:10]
