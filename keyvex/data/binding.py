"""Binding tool tables to data sources: the data snapshot a published tool reads.

A table with ``binding`` takes its rows from the owner's source: each table column reads the
source column named in ``column_map`` (or the same name), values are converted by the
column's analysed type (``_coerce``), and ``binding.filter`` (a formula over the table's
columns) keeps the rows for which it is true. Publishing and each sync write the rows of all
bound tables as one JSON blob (``tooldata/{tool_id}/{sha256}.json``, at most
``KEYVEX_DATA_SNAPSHOT_MAX_BYTES``) referenced from the slug item, so public pages never
query a source; the engine and the browser runtime read the snapshot like static rows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from anyio import to_thread

from keyvex import formula
from keyvex.app import App
from keyvex.caches import CacheSpec
from keyvex.data._coerce import coerce_column, guess_type
from keyvex.data._types import Dataset
from keyvex.data.models import Snapshot
from keyvex.errors import Invalid
from keyvex.store import SK, Delete, Put, TransactOp
from keyvex.tools import DataTable, ResultBlock, TableRecommendationsBlock, ToolDefinition

TableRows = dict[str, list[dict[str, Any]]]
#: The one entry of TableRows that is not a table (no table is named so: names are
#: identifiers): ``[{"table": t, "column": c}, ...]`` for the bound columns holding dates,
#: which reach formulas as serial numbers (see ``keyvex.formula.date_serial``). It travels
#: with the rows (publishing stores it in the tool's data blob) so that ``with_rows`` shows
#: those columns as dates wherever the tool shows them as plain text; without it a date a
#: creator's table showed as "2024-02-29" before dates became numbers would read "45,351".
DATE_COLUMNS = "@dates"
#: Source snapshots by checksum (a few MB each at most: see MAX_TOOL_DATA_BYTES).
DATASETS: CacheSpec[str, Dataset] = CacheSpec("data snapshots", max_entries=32)


def bound_tables(definition: ToolDefinition) -> list[DataTable]:
    return [t for t in definition.tables if t.binding is not None]


def source_ids(definition: ToolDefinition) -> list[str]:
    return sorted({t.binding.source_id for t in bound_tables(definition) if t.binding})


def with_rows(
    definition: ToolDefinition, tables: Mapping[str, list[dict[str, Any]]]
) -> ToolDefinition:
    """A copy of ``definition`` whose bound tables hold ``tables``' rows (and whose table
    blocks show date columns as dates, see ``DATE_COLUMNS``)."""
    if not tables:
        return definition
    replaced = [
        t.model_copy(update={"rows": tables[t.name]}) if t.name in tables else t
        for t in definition.tables
    ]
    dates = {(d["table"], d["column"]) for d in tables.get(DATE_COLUMNS, [])}
    results = [_dates_shown(block, dates) for block in definition.results] if dates else None
    update: dict[str, Any] = {"tables": replaced}
    if results is not None:
        update["results"] = results
    return definition.model_copy(update=update)


def table_rows(tables: Mapping[str, list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """The row lists of ``tables``, without the ``DATE_COLUMNS`` entry."""
    return [rows for name, rows in tables.items() if name != DATE_COLUMNS]


def _dates_shown(block: ResultBlock, dates: set[tuple[str, str]]) -> ResultBlock:
    if not isinstance(block, TableRecommendationsBlock):
        return block
    show = [
        view.model_copy(update={"format": "date"})
        if view.format == "text" and (block.table, view.column) in dates
        else view
        for view in block.show
    ]
    return block.model_copy(update={"show": show})


async def load_dataset(app: App, snapshot: Snapshot) -> Dataset:
    """A source snapshot from the blob store, kept in-process by its checksum."""
    cache = app.caches(DATASETS)
    hit = cache.get(snapshot.sha256)
    if hit is not None:
        return hit
    raw = await to_thread.run_sync(app.blobs.get, snapshot.blob_key)
    dataset = Dataset.from_json(json.loads(raw))
    cache[snapshot.sha256] = dataset
    return dataset


async def column_types(app: App, snapshot: Snapshot) -> dict[str, str]:
    """Analysed type per source column ('string' when no analysis is stored)."""
    if not snapshot.analysis_key:
        return {}
    try:
        raw = await to_thread.run_sync(app.blobs.get, snapshot.analysis_key)
    except Exception:  # an analysis is a refinement; rows stay usable without it
        return {}
    return {c["name"]: c["type"] for c in json.loads(raw).get("columns", [])}


def table_from_dataset(
    table: DataTable, dataset: Dataset, types: Mapping[str, str], path: str
) -> tuple[list[dict[str, Any]], list[str]]:
    """The rows of one bound table from its source's rows, and which of its columns hold
    dates (as serial numbers); problems name the path."""
    assert table.binding is not None
    position = {name: i for i, name in enumerate(dataset.columns)}
    reads: dict[str, int] = {}
    for column in table.columns:
        wanted = table.binding.column_map.get(column, column)
        if wanted not in position:
            raise Invalid(
                f"The data source has no column '{wanted}' for table '{table.name}'.",
                fields={f"{path}.binding.column_map": f"'{wanted}' is not a source column."},
            )
        reads[column] = position[wanted]
    converted = {}
    dates = []
    for column, i in reads.items():
        cells = [row[i] if i < len(row) else None for row in dataset.rows]
        kind = types.get(dataset.columns[i]) or guess_type(cells)
        converted[column] = coerce_column(cells, kind)
        if kind == "date":
            dates.append(column)
    rows = [
        {column: converted[column][n] for column in table.columns} for n in range(len(dataset.rows))
    ]
    return _filtered(table, rows, path), dates


def _filtered(table: DataTable, rows: list[dict[str, Any]], path: str) -> list[dict[str, Any]]:
    assert table.binding is not None
    if not table.binding.filter:
        return rows
    try:
        keep = formula.compile(table.binding.filter)
    except formula.FormulaError as exc:
        raise Invalid(
            "The table's filter is not a valid formula.",
            fields={f"{path}.binding.filter": exc.message},
        ) from None
    kept = []
    for row in rows:
        try:
            if keep.evaluate(row) is True:
                kept.append(row)
        except formula.FormulaError:
            continue  # a row the filter cannot judge is left out, like a false one
    return kept


async def build_tool_data(app: App, owner_id: str, definition: ToolDefinition) -> TableRows:
    """Rows for every bound table from the owner's latest source snapshots (and which
    bound columns hold dates: ``DATE_COLUMNS``)."""
    tables: TableRows = {}
    dates: list[dict[str, Any]] = []
    for index, table in enumerate(definition.tables):
        if table.binding is None:
            continue
        path = f"tables[{index}]"
        item = await app.store.get(f"USER#{owner_id}", f"DATA_SOURCE#{table.binding.source_id}")
        if item is None:
            raise Invalid(
                f"Table '{table.name}' is bound to a data source that does not exist.",
                fields={f"{path}.binding.source_id": "No such data source in this account."},
            )
        if not item.get("snapshot"):
            raise Invalid(
                f"The data source '{item['name']}' has not been synced yet.",
                fields={f"{path}.binding.source_id": "Sync the source first."},
            )
        snapshot = Snapshot.model_validate(item["snapshot"])
        dataset = await load_dataset(app, snapshot)
        types = await column_types(app, snapshot)
        tables[table.name], date_columns = table_from_dataset(table, dataset, types, path)
        dates += [{"table": table.name, "column": column} for column in date_columns]
    if dates:
        tables[DATE_COLUMNS] = dates
    return tables


def encode_tool_data(app: App, tables: TableRows) -> bytes:
    body = json.dumps(tables, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    data = body.encode("utf-8")
    limit = app.settings.data_snapshot_max_bytes
    if len(data) > limit:
        raise Invalid(
            f"The tool's data is {len(data) // 1000} KB; a published tool may carry at most "
            f"{limit // 1000} KB. Filter the rows or bind fewer columns."
        )
    return data


async def store_tool_data(app: App, tool_id: str, tables: TableRows) -> dict[str, Any]:
    """Write the snapshot blob; returns the attributes the slug item keeps."""
    data = encode_tool_data(app, tables)
    sha = hashlib.sha256(data).hexdigest()
    key = f"tooldata/{tool_id}/{sha}.json"
    await to_thread.run_sync(app.blobs.put, key, data)
    return {"data_key": key, "data_sha256": sha}


async def read_tool_data(app: App, key: str) -> TableRows:
    raw = await to_thread.run_sync(app.blobs.get, key)
    tables: TableRows = json.loads(raw)
    return tables


async def link_sources(app: App, owner_id: str, tool_id: str, definition: ToolDefinition) -> None:
    """Record which sources this tool reads (both directions), dropping stale links."""
    ops = await link_ops(app, owner_id, tool_id, definition)
    if ops:
        await app.store.transact_write(ops)


async def link_ops(
    app: App, owner_id: str, tool_id: str, definition: ToolDefinition
) -> list[TransactOp]:
    """The writes that make the tool's source links match ``definition`` (for a caller's
    own transaction, like publishing's)."""
    wanted = set(source_ids(definition))
    ops: list[TransactOp] = []
    async for item in app.store.query_all(f"TOOL#{tool_id}", SK.begins_with("DATA_SOURCE#")):
        if item["source_id"] not in wanted:
            ops.append(Delete(item["PK"], item["SK"]))
            ops.append(Delete(f"DATA_SOURCE#{item['source_id']}", f"TOOL#{tool_id}"))
    for source_id in sorted(wanted):
        common = {"entity_type": "data_link", "tool_id": tool_id, "source_id": source_id}
        common["owner_id"] = owner_id
        ops.append(Put({"PK": f"TOOL#{tool_id}", "SK": f"DATA_SOURCE#{source_id}", **common}))
        ops.append(Put({"PK": f"DATA_SOURCE#{source_id}", "SK": f"TOOL#{tool_id}", **common}))
    return ops


async def effective_definition(
    app: App, owner_id: str, definition: ToolDefinition
) -> ToolDefinition:
    """``definition`` with its bound tables filled from the latest snapshots (for previews);
    unchanged when it binds nothing or a source is not ready (the preview then shows the
    static rows, and publishing names the problem)."""
    if not bound_tables(definition):
        return definition
    try:
        return with_rows(definition, await build_tool_data(app, owner_id, definition))
    except Invalid:
        return definition
