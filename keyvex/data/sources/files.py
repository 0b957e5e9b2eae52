"""File data sources: CSV/TSV, Excel (.xlsx, .xls), OpenDocument (.ods), Access (.mdb, .accdb).

The format comes from the file name's extension and is confirmed by the file's first bytes (a
ZIP archive for xlsx/ods, an OLE2 compound file for xls, the Jet/ACE signature for Access);
a mismatch is a ``format`` error naming what the file really looks like. The first non-empty
row is the header (through :func:`unique_columns`). ``limit`` asks for a preview: at most that
many rows, with ``row_count`` still the exact count; without it, more than ``max_rows`` data
rows is ``too_large``, as is a file above ``max_bytes``. CSV cells are text (type inference
belongs to the analysis); workbook and Access cells keep their types (see ``_excel`` and
``_access`` for the normalisation, ``_csv`` for encodings and hostile-input bounds).

CSV is read here, in bounded memory. Workbooks and Access files are parsed by native or
trusting code, so :func:`read_file` and :func:`list_sheets` check their size and signature
here and parse them in a child process with memory and time limits (``_sandbox``, which calls
:func:`parse_file` and :func:`parse_sheets`): no file can take the server down.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
from pydantic import Field

from keyvex.data._types import (
    Cell,
    Connector,
    Dataset,
    SourceConfig,
    SourceContext,
    SourceError,
    shown_for,
    upload_field,
)
from keyvex.data.sources import _sandbox, register
from keyvex.data.sources._access import access_tables, read_access
from keyvex.data.sources._csv import CsvDialect, read_csv, sniff_csv
from keyvex.data.sources._excel import inspect_zip, read_workbook, workbook_sheets
from keyvex.errors import KeyvexError

if TYPE_CHECKING:
    from keyvex.store import BlobStore

__all__ = ["CsvDialect", "FileConfig", "FileConnector", "list_sheets", "read_file", "sniff_csv"]

FORMATS = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".ods": "ods",
    ".mdb": "access",
    ".accdb": "access",
}
DEFAULT_MAX_BYTES = 50_000_000
_OLE2 = bytes.fromhex("d0cf11e0a1b11ae1")
_WANTS = {"xlsx": "zip", "ods": "zip", "xls": "ole2", "access": "access"}
_LOOKS = {
    "zip": "a ZIP archive (an .xlsx or .ods workbook)",
    "ole2": "an old-style Office file (.xls)",
    "access": "an Access database",
    "pdf": "a PDF document",
    "text": "plain text (CSV?)",
    "binary": "binary data of an unknown kind",
}


def _format(path: Path, filename: str | None) -> tuple[str, str]:
    name = filename or path.name
    suffix = Path(name).suffix.lower()
    if suffix not in FORMATS:
        raise SourceError(
            "format",
            f"{name!r} is not a supported file type: upload CSV, TSV, Excel (.xlsx, .xls), "
            "OpenDocument (.ods) or Access (.mdb, .accdb).",
        )
    return FORMATS[suffix], name


def _looks_like(head: bytes) -> str:
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(_OLE2):
        return "ole2"
    if head[:4] == b"\x00\x01\x00\x00" and head[4:20] in (
        b"Standard Jet DB\x00",
        b"Standard ACE DB\x00",
    ):
        return "access"
    if head.startswith(b"%PDF"):
        return "pdf"
    # NUL is left out: BOM-less UTF-16 text has one in every other byte
    controls = sum(1 for b in head if 0 < b < 9 or 13 < b < 32)
    return "text" if controls <= len(head) * 0.1 else "binary"


def _confirm(path: Path, kind: str, name: str) -> None:
    with path.open("rb") as stream:
        head = stream.read(512)
    looks = _looks_like(head)
    wanted = _WANTS.get(kind, "text")
    if looks != wanted:
        raise SourceError(
            "format",
            f"{name!r} does not look like its extension says: it looks like {_LOOKS[looks]}.",
        )


def _mb(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"


def _check_size(path: Path, name: str, max_bytes: int) -> None:
    size = path.stat().st_size
    if size > max_bytes:
        raise SourceError(
            "too_large",
            f"{name!r} is {_mb(size)}; the limit is {_mb(max_bytes)}.",
        )


def read_file(
    path: Path,
    *,
    filename: str | None = None,
    sheet: str | None = None,
    table: str | None = None,
    limit: int | None = None,
    max_rows: int = 100_000,
    max_bytes: int = 50_000_000,
    timeout: float = 30.0,
    memory: int = _sandbox.DEFAULT_MEMORY,
) -> Dataset:
    """The rows of a data file; ``sheet``/``table`` pick a worksheet or Access table.

    A workbook or Access file is parsed in a child process that may use ``memory`` bytes and
    ``timeout`` seconds (see ``_sandbox``).
    """
    kind, name = _format(path, filename)
    _check_size(path, name, max_bytes)
    _confirm(path, kind, name)
    if kind in ("csv", "tsv"):
        return read_csv(path, dialect=None, tsv=kind == "tsv", limit=limit, max_rows=max_rows)
    options = {"filename": name, "sheet": sheet, "table": table, "limit": limit}
    options |= {"max_rows": max_rows, "max_bytes": max_bytes}
    return _sandbox.read(path, options, timeout=timeout, memory=memory)


def list_sheets(
    path: Path,
    *,
    filename: str | None = None,
    timeout: float = 30.0,
    memory: int = _sandbox.DEFAULT_MEMORY,
) -> list[str]:
    """Worksheet names of a workbook, user table names of an Access file, ``[]`` for CSV
    (workbooks and Access files are opened in a child process, as by :func:`read_file`)."""
    kind, name = _format(path, filename)
    _check_size(path, name, DEFAULT_MAX_BYTES)
    _confirm(path, kind, name)
    if kind in ("csv", "tsv"):
        return []
    return _sandbox.sheets(path, name, timeout=timeout, memory=memory)


def parse_file(
    path: Path,
    *,
    filename: str,
    sheet: str | None,
    table: str | None,
    limit: int | None,
    max_rows: int,
    max_bytes: int,
    sink: Callable[[list[Cell]], None] | None = None,
) -> Dataset:
    """Parse a workbook or Access file in this process: only the sandbox's child calls this.
    Workbook rows go to ``sink`` as they are read (see ``_excel.read_workbook``)."""
    kind, name = _format(path, filename)
    if kind == "access":
        return read_access(path, repr(name), table=table, limit=limit, max_rows=max_rows)
    facts = inspect_zip(path, max_bytes) if kind in ("xlsx", "ods") else None
    if facts is not None and facts.kind != kind:
        real = "an OpenDocument spreadsheet (.ods)" if facts.kind == "ods" else "an .xlsx workbook"
        raise SourceError(
            "format", f"{name!r} does not look like its extension says: it is {real}."
        )
    return read_workbook(path, facts, sheet=sheet, limit=limit, max_rows=max_rows, sink=sink)


def parse_sheets(path: Path, filename: str) -> list[str]:
    """Worksheet or table names, parsed in this process: only the sandbox's child calls this."""
    kind, name = _format(path, filename)
    if kind == "access":
        return access_tables(path, repr(name))
    if kind in ("xlsx", "ods"):
        inspect_zip(path, DEFAULT_MAX_BYTES)
    return workbook_sheets(path)


class FileConfig(SourceConfig):
    """An uploaded file in the blob store, and which sheet or table of it to read."""

    blob_key: str = Field(
        title="File",
        description="CSV, TSV, Excel (.xlsx, .xls), OpenDocument (.ods) or Access (.mdb, "
        ".accdb), with the column names in the first row.",
        json_schema_extra=upload_field(tuple(FORMATS)),
    )
    filename: str = Field(title="File name", description="The uploaded file's own name.")
    sheet: str | None = Field(
        None,
        title="Worksheet",
        description="Which worksheet to read; empty: the first.",
        json_schema_extra=shown_for([s for s, f in FORMATS.items() if f in ("xlsx", "xls", "ods")]),
    )
    table: str | None = Field(
        None,
        title="Access table",
        description="Which table to read; empty: the first.",
        json_schema_extra=shown_for([s for s, f in FORMATS.items() if f == "access"]),
    )


def _copy_limited(blobs: BlobStore, key: str, target: Path, max_bytes: int, name: str) -> None:
    try:
        source = blobs.open(key)
    except KeyvexError:
        raise SourceError(
            "not_found", f"The uploaded file {name!r} is no longer stored; upload it again."
        ) from None
    with source, target.open("wb") as out:
        while chunk := source.read(1024 * 1024):
            out.write(chunk)
            if out.tell() > max_bytes:
                raise SourceError("too_large", f"{name!r} is larger than {_mb(max_bytes)}.")


def _fetch_sync(config: FileConfig, ctx: SourceContext, limit: int | None) -> Dataset:
    if ctx.blobs is None:
        raise SourceError("config", "No blob store is configured for file sources.")
    with tempfile.TemporaryDirectory(prefix="keyvex-file-") as tmp:
        local = Path(tmp) / ("upload" + Path(config.filename).suffix.lower())
        _copy_limited(ctx.blobs, config.blob_key, local, ctx.max_bytes, config.filename)
        return read_file(
            local,
            filename=config.filename,
            sheet=config.sheet,
            table=config.table,
            limit=limit,
            max_rows=ctx.max_rows,
            max_bytes=ctx.max_bytes,
            timeout=ctx.timeout,
            memory=ctx.reader_memory,
        )


class FileConnector(Connector):
    """Reads an uploaded CSV, Excel, OpenDocument or Access file from the blob store."""

    source_type = "file"
    label = "File upload"
    config_model = FileConfig

    async def fetch(
        self,
        config: Any,
        secrets: Mapping[str, str],
        ctx: SourceContext,
        *,
        limit: int | None = None,
    ) -> Dataset:
        checked = config if isinstance(config, FileConfig) else FileConfig.model_validate(config)
        return await anyio.to_thread.run_sync(_fetch_sync, checked, ctx, limit)


register(FileConnector())
