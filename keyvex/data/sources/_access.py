"""Access databases (.mdb Jet 4, .accdb ACE) through access-parser, made safe for hostile files.

access-parser trusts the file: a cycle in a table definition's page chain or in a long-value
(memo) chain makes it loop forever, and damaged pages raise anything (struct.error,
IndexError, KeyError, TypeError, construct errors). So the two chain-following methods are
replaced by versions that refuse a page seen twice and cap the bytes at the file size, every
exception becomes one SourceError("format", "... looks damaged or truncated ..."), and the
library's own log lines (which dump raw page bytes) are silenced. The work is bounded by the
file size limit: the whole file is in memory once, and each page is parsed at most once per
table.

Values: columns keep the table's order; dates become ISO-8601 text (``(Empty Date)`` becomes
``None``); Currency without a format is scaled from its 1/10,000 units; Decimal becomes a
number; binary and OLE columns become ``None`` with a warning. User tables only: the
``MSys*`` catalogue tables and ``~`` temporary tables are left out.
"""

from __future__ import annotations

import logging
import struct
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from access_parser import AccessParser
from access_parser.access_parser import AccessTable, TableObj
from access_parser.parsing_primitives import MEMO, TDEF_HEADER
from access_parser.utils import TYPE_TEXT, parse_type

from keyvex.data._types import Cell, Dataset, SourceError, clean_cell, unique_columns

logging.getLogger("access_parser").setLevel(logging.CRITICAL)

TYPE_MONEY, TYPE_DATETIME, TYPE_BINARY, TYPE_OLE, TYPE_NUMERIC = 5, 8, 9, 11, 16
MAX_COLUMNS = 1_000
SYSTEM_FLAGS = {-0x80000000, -0x00000002, 0x80000000, 0x00000002}


class _Damaged(Exception):
    """A chain in the file loops or points nowhere."""


class _BoundedTable(AccessTable):  # type: ignore[misc]  # access-parser is untyped
    def _merge_table_data(self, first_page: int) -> bytes:
        pieces, seen, page = [], set(), first_page
        while page:
            definition = self._table_defs.get(page * self.page_size)
            if page in seen or definition is None:
                raise _Damaged
            seen.add(page)
            header = TDEF_HEADER.parse(definition)
            pieces.append(definition[header.header_end :])
            page = header.next_page_ptr
        return b"".join(pieces)

    def _parse_memo(self, relative_obj_data: bytes, return_raw: bool = False) -> Any:
        memo = MEMO.parse(relative_obj_data)
        if memo.memo_length & 0x80000000:
            length = memo.memo_length & 0x3FFFFFFF
            data = relative_obj_data[memo.memo_end : memo.memo_end + length]
        elif memo.memo_length & 0x40000000:
            data = self._get_overflow_record(memo.record_pointer)
        else:
            data = self._long_value_chain(memo.record_pointer)
        if not data:
            return None
        return data if return_raw else parse_type(TYPE_TEXT, data, len(data), version=self.version)

    def _long_value_chain(self, pointer: int) -> bytes:
        pieces: list[bytes] = []
        seen: set[int] = set()
        budget = len(self._data_pages) * self.page_size
        while pointer:
            record = self._get_overflow_record(pointer)
            if pointer in seen or record is None or len(record) < 4:
                raise _Damaged
            seen.add(pointer)
            pieces.append(record[4:])
            budget -= len(record)
            if budget < 0:
                raise _Damaged
            pointer = struct.unpack("<I", record[:4])[0]
        return b"".join(pieces)


class _BoundedParser(AccessParser):  # type: ignore[misc]
    system_tables: set[str]

    def _table(self, table: Any, props: Any = None) -> _BoundedTable:
        return _BoundedTable(
            table, self.version, self.page_size, self._data_pages, self._table_defs, props
        )

    def _parse_catalog(self) -> dict[str, int]:
        catalog = self._table(self._tables_with_data[2 * self.page_size]).parse()
        rows = zip(catalog["Name"], catalog["Id"], catalog["Type"], catalog["Flags"], strict=True)
        tables = [(name, ident, flags) for name, ident, kind, flags in rows if kind == 1 and name]
        self.system_tables = {name for name, _, flags in tables if flags in SYSTEM_FLAGS}
        return {name: ident for name, ident, _ in tables}

    def get_table(self, table_name: str) -> _BoundedTable:
        offset = self.catalog[table_name] * self.page_size
        table = self._tables_with_data.get(offset)
        if table is None:
            table = TableObj(offset=offset, val=self._table_defs[offset])
        props = (getattr(self, "extra_props", None) or {}).get(table_name)
        return self._table(table, props)


def _damaged(path_label: str) -> SourceError:
    return SourceError(
        "format", f"The Access file {path_label} looks damaged or truncated and cannot be read."
    )


def _open(path: Path, label: str) -> _BoundedParser:
    try:
        parser = _BoundedParser(str(path))
    except Exception:  # access-parser raises whatever its parsing hits
        raise _damaged(label) from None
    pages = len(parser.db_data) // parser.page_size
    if len(parser.db_data) % parser.page_size or any(
        not 0 < page < pages for page in parser.catalog.values()
    ):
        raise _damaged(label)  # cut short: a partial page, or tables past the end
    return parser


def _user_tables(parser: _BoundedParser) -> list[str]:
    return [
        name
        for name in parser.catalog
        if name not in parser.system_tables
        and not name.lower().startswith("msys")
        and not name.startswith("~")
    ]


def access_tables(path: Path, label: str) -> list[str]:
    """Names of the user tables, in catalogue order."""
    return _user_tables(_open(path, label))


def read_access(
    path: Path, label: str, *, table: str | None, limit: int | None, max_rows: int
) -> Dataset:
    """Rows of one user table (the first unless ``table`` names another)."""
    parser = _open(path, label)
    tables = _user_tables(parser)
    name = _choose(tables, table)
    try:
        access_table = parser.get_table(name)
        declared = access_table.table_header.number_of_rows
        if limit is None and declared > max_rows:
            raise _too_many(max_rows)
        columns = [access_table.columns[k] for k in sorted(access_table.columns)]
        parsed = access_table.parse()
    except SourceError:
        raise
    except Exception:
        raise _damaged(label) from None
    dataset = _dataset(columns, parsed, label, limit=limit, max_rows=max_rows)
    if declared and not dataset.row_count:
        raise _damaged(label)  # the data pages of the table are missing
    if declared != dataset.row_count:
        dataset.warnings.append(
            f"The table declares {declared:,} rows but {dataset.row_count:,} could be read; "
            "the file may be damaged."
        )
    return dataset


def _too_many(max_rows: int) -> SourceError:
    return SourceError(
        "too_large", f"The table has more than {max_rows:,} rows; the limit is {max_rows:,}."
    )


def _choose(tables: list[str], table: str | None) -> str:
    if not tables:
        raise SourceError("not_found", "The Access file has no user tables.")
    if table is None:
        return tables[0]
    for name in tables:
        if name == table or name.casefold() == table.casefold():
            return name
    raise SourceError(
        "not_found", f"Table {table!r} does not exist; the file has: {', '.join(tables)}."
    )


def _dataset(
    columns: list[Any], parsed: Mapping[str, Any], label: str, *, limit: int | None, max_rows: int
) -> Dataset:
    if len(columns) > MAX_COLUMNS:
        raise SourceError("too_large", f"The table has more than {MAX_COLUMNS:,} columns.")
    values = [parsed.get(c.col_name_str) for c in columns]
    lists = [v if isinstance(v, list) else [] for v in values]  # an empty table maps to ""
    count = len(lists[0]) if lists else 0
    if any(len(v) != count for v in lists):
        raise _damaged(label)
    if limit is None and count > max_rows:
        raise _too_many(max_rows)
    keep = min(count, limit if limit is not None else max_rows)
    warnings = [
        f"Column {c.col_name_str!r} holds binary data (OLE objects or attachments); "
        "it was left empty."
        for c in columns
        if c.type in (TYPE_BINARY, TYPE_OLE)
    ]
    rows = [[_value(c.type, lists[j][i]) for j, c in enumerate(columns)] for i in range(keep)]
    names = unique_columns([c.col_name_str for c in columns])
    return Dataset(names, rows, row_count=count, truncated=count > keep, warnings=warnings)


def _value(kind: int, value: Any) -> Cell:
    if value is None or kind in (TYPE_BINARY, TYPE_OLE):
        return None
    if kind == TYPE_DATETIME and isinstance(value, str):
        try:
            return datetime.fromisoformat(value).isoformat()
        except ValueError:
            return None  # "(Empty Date)", "(Invalid Date)"
    if kind == TYPE_MONEY and isinstance(value, int):
        return _value(TYPE_NUMERIC, str(value / 10_000))
    if kind == TYPE_NUMERIC and isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return value
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if isinstance(value, bytes):
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return clean_cell(value)
