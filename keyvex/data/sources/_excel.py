"""Workbooks (.xlsx, .xls, .ods) through python-calamine, behind a zip-bomb guard.

Zip guard (xlsx and ods are ZIP archives), run before calamine sees a byte: at most 10,000
entries; declared uncompressed total at most 20 x ``max_bytes`` (1 GB for the 50 MB default);
no entry above 1 MB unpacking more than 200:1 (real sheets compress 5-30:1); only stored or
deflated entries. Declared sizes can lie, so every entry is then inflated in bounded chunks and
its real size checked against what it declared: the check costs one decompression pass and
never holds more than a megabyte. The same pass measures how large a grid calamine would build
for each sheet and refuses a sheet spanning too many cells (``_grid``: a workbook holding A1
and XFD1048576 would otherwise ask for 17 billion cells). ``.xls`` (OLE2) is bounded by the
file size limit and, like every workbook, by the sandbox that reads it (``_sandbox``).

calamine quirks normalised: integral floats become ``int``; datetimes, dates and times become
ISO-8601 text; durations (timedelta) become a number of seconds (formulas compute with
numbers); empty strings become ``None``; fully empty rows are skipped; the header is the first
non-empty row; trailing empty columns are dropped (calamine already starts at the first used
column). calamine reads error cells (``#DIV/0!``) as empty, or as 0 in .ods: the xlsx sheet
XML (``t="e"``) and ods content (``calcext:value-type="error"``) are scanned for them during
the guard pass, those cells become ``None`` and a warning names them. In .xls they cannot be
told from empty cells.
"""

from __future__ import annotations

import datetime as dt
import math
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

from python_calamine import (
    CalamineSheet,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from keyvex.data._types import Cell, Dataset, SourceError, unique_columns
from keyvex.data.sources._grid import (
    MAX_COLUMNS,
    Box,
    OdsScan,
    SharedStringsScan,
    XlsxSheetScan,
    check_box,
    column_index,
    column_letters,
)

MAX_ENTRIES = 10_000
MAX_RATIO = 200
RATIO_FLOOR = 1_000_000  # entries smaller than this may compress as well as they like
UNPACK_FACTOR = 20
_ERROR_CELL = re.compile(rb"""<c\b[^>]*?\bt=["']e["'][^>]*>""")
_CELL_REF = re.compile(rb"""\br=["']([A-Z]{1,3})([0-9]{1,7})["']""")
_ODS_ERROR = b'value-type="error"'
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@dataclass
class ZipFacts:
    """What the guard learnt: the workbook kind, the error cells and the bounding box of the
    cells found per xlsx sheet part (ods tables are checked during the pass itself)."""

    kind: str
    xlsx_errors: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    ods_has_errors: bool = False
    boxes: dict[str, Box] = field(default_factory=dict)


def _mb(size: int) -> str:
    return f"{size / 1_000_000:,.0f} MB"


def inspect_zip(path: Path, max_bytes: int) -> ZipFacts:
    """Refuse zip bombs, forged sizes and sheets too large to build; tell xlsx from ods;
    find error cells."""
    try:
        with zipfile.ZipFile(path) as zf, path.open("rb") as raw:
            infos = zf.infolist()
            facts = ZipFacts(kind=_zip_kind({i.filename for i in infos}))
            _check_declared(infos, max_bytes)
            budget = UNPACK_FACTOR * max_bytes
            for info in infos:
                budget -= _inflate_checked(raw, info, budget, facts)
            return facts
    except (zipfile.BadZipFile, zlib.error, struct.error, EOFError, OSError) as exc:
        raise SourceError(
            "format", f"The workbook looks damaged or truncated (its ZIP structure: {exc})."
        ) from None


def _zip_kind(names: set[str]) -> str:
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "content.xml" in names:
        return "ods"
    raise SourceError(
        "format", "The file is a ZIP archive but not an Excel (.xlsx) or OpenDocument workbook."
    )


def _check_declared(infos: list[zipfile.ZipInfo], max_bytes: int) -> None:
    if len(infos) > MAX_ENTRIES:
        raise SourceError(
            "too_large", f"The workbook holds {len(infos):,} files; at most {MAX_ENTRIES:,}."
        )
    total = sum(i.file_size for i in infos)
    if total > UNPACK_FACTOR * max_bytes:
        raise SourceError(
            "too_large",
            f"The workbook would unpack to {_mb(total)}, more than the "
            f"{_mb(UNPACK_FACTOR * max_bytes)} allowed (is it a zip bomb?).",
        )
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise SourceError(
                "too_large",
                f"The workbook part {info.filename!r} is compressed more than {MAX_RATIO}:1 "
                f"({_mb(info.file_size)} from {info.compress_size:,} bytes); "
                "it looks like a zip bomb.",
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise SourceError(
                "format", f"The workbook part {info.filename!r} uses an unsupported compression."
            )


def _chunks(raw: IO[bytes], info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The entry's bytes as calamine would inflate them, 1 MB at most at a time."""
    raw.seek(info.header_offset)
    header = raw.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header for {info.filename!r}")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    raw.seek(info.header_offset + 30 + name_len + extra_len)
    left = info.compress_size
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    while left > 0:
        data = raw.read(min(left, 256 * 1024))
        if not data:
            raise EOFError(f"{info.filename!r} is cut short")
        left -= len(data)
        if inflater is None:
            yield data
            continue
        while data:
            yield inflater.decompress(data, 1024 * 1024)
            data = inflater.unconsumed_tail
    if inflater is not None:
        yield inflater.flush()


def _scanner(
    info: zipfile.ZipInfo, kind: str
) -> XlsxSheetScan | OdsScan | SharedStringsScan | None:
    name = info.filename
    if kind == "ods":
        return OdsScan() if name == "content.xml" else None
    if name.startswith("xl/worksheets/"):
        return XlsxSheetScan(name)
    return SharedStringsScan(name) if name.lower().endswith("sharedstrings.xml") else None


def _inflate_checked(raw: IO[bytes], info: zipfile.ZipInfo, budget: int, facts: ZipFacts) -> int:
    size, carry = 0, b""
    errors: list[tuple[int, int]] = []
    scan = _scanner(info, facts.kind)
    sheet = isinstance(scan, XlsxSheetScan)
    for chunk in _chunks(raw, info):
        size += len(chunk)
        if size > info.file_size or size > budget:
            raise SourceError(
                "format" if size > info.file_size else "too_large",
                f"The workbook part {info.filename!r} unpacks to more than it declares "
                "(a forged or damaged archive, possibly a zip bomb).",
            )
        if scan is not None:
            scan.feed(chunk)
        if sheet:
            carry = _scan_errors(carry + chunk, errors)
        elif isinstance(scan, OdsScan):
            facts.ods_has_errors = facts.ods_has_errors or _ODS_ERROR in carry + chunk
            carry = chunk[-64:]
    if scan is not None:
        scan.feed(b"", final=True)
    if isinstance(scan, XlsxSheetScan):
        # an unusual cell form (no reference, a namespace prefix): scanned again, cell by cell
        facts.boxes[info.filename] = _exact_box(raw, info) if scan.needs_exact else scan.box
        _scan_errors(carry, errors, final=True)
    if errors:
        facts.xlsx_errors[info.filename] = errors
    return size


def _exact_box(raw: IO[bytes], info: zipfile.ZipInfo) -> Box:
    scan = XlsxSheetScan(info.filename, exact=True)
    for chunk in _chunks(raw, info):
        scan.feed(chunk)
    scan.feed(b"", final=True)
    return scan.box


def _scan_errors(data: bytes, found: list[tuple[int, int]], final: bool = False) -> bytes:
    """Record error cells whose start tag is complete; return the tail to carry over."""
    safe = len(data) if final else max(0, len(data) - 512)
    for match in _ERROR_CELL.finditer(data):
        if match.start() >= safe:
            return data[match.start() :]
        ref = _CELL_REF.search(match.group())
        if ref:
            found.append((int(ref.group(2)) - 1, column_index(ref.group(1).decode())))
    return data[safe:]


def _xlsx_sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name -> worksheet part, from workbook.xml and its relationships."""
    with zipfile.ZipFile(path) as zf:
        workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_RELS}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_DOC_RELS}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        parts[sheet.get("name", "")] = posixpath.normpath(part)
    return parts


def _ods_errors(path: Path, wanted: str) -> list[tuple[int, int]]:
    """(row, column) of the error cells of one table of an ods file, streaming content.xml."""
    found: list[tuple[int, int]] = []
    current, row, col = None, 0, 0
    with zipfile.ZipFile(path) as zf, zf.open("content.xml") as content:
        for event, elem in ElementTree.iterparse(content, events=("start", "end")):
            tag = elem.tag
            if event == "start":
                if tag == f"{_TABLE}table":
                    current, row = elem.get(f"{_TABLE}name"), 0
                elif tag == f"{_TABLE}table-row":
                    col = 0
                continue
            if tag in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
                repeat = int(elem.get(f"{_TABLE}number-columns-repeated", "1"))
                if current == wanted and elem.get(f"{_CALCEXT}value-type") == "error":
                    found.extend((row, c) for c in range(col, col + min(repeat, MAX_COLUMNS)))
                col += repeat
            elif tag == f"{_TABLE}table-row":
                row += int(elem.get(f"{_TABLE}number-rows-repeated", "1"))
                elem.clear()
    return found


def _cell(value: Any) -> Cell:
    if isinstance(value, str):
        return value or None
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, dt.timedelta):
        return _cell(value.total_seconds())
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return None if value is None else str(value)


def _open(path: Path) -> CalamineWorkbook:
    try:
        with path.open("rb") as stream:
            return CalamineWorkbook.from_filelike(stream)
    except PasswordError:
        raise SourceError(
            "format", "The workbook is password-protected; remove the password and upload again."
        ) from None
    except Exception:  # calamine raises its own errors and, on odd input, plain ones
        raise SourceError(
            "format", "The workbook could not be read: it looks damaged or truncated."
        ) from None


def _worksheets(book: CalamineWorkbook) -> list[str]:
    return [m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]


def workbook_sheets(path: Path) -> list[str]:
    """Names of the worksheets, in workbook order (chart sheets left out)."""
    return _worksheets(_open(path))


def _choose(book: CalamineWorkbook, sheet: str | None) -> str:
    names = _worksheets(book)
    if not names:
        raise SourceError("not_found", "The workbook has no worksheets.")
    if sheet is None:
        visible = [
            m.name
            for m in book.sheets_metadata
            if m.name in names and m.visible == SheetVisibleEnum.Visible
        ]
        return (visible or names)[0]
    for name in names:
        if name == sheet or name.casefold() == sheet.casefold():
            return name
    raise SourceError(
        "not_found", f"Sheet {sheet!r} does not exist; the workbook has: {', '.join(names)}."
    )


def read_workbook(
    path: Path,
    facts: ZipFacts | None,
    *,
    sheet: str | None,
    limit: int | None,
    max_rows: int,
    sink: Callable[[list[Cell]], None] | None = None,
) -> Dataset:
    """Rows of one worksheet (the first visible one unless ``sheet`` names another).

    With a ``sink`` each kept row goes there as it is read, without its trailing empty cells,
    and the returned Dataset has no rows (the sandbox streams rows to the server this way);
    without one they are in the Dataset, padded to its columns.
    """
    book = _open(path)
    name = _choose(book, sheet)
    part = _xlsx_part(path, name) if facts is not None and facts.kind == "xlsx" else None
    if facts is not None and part is not None:
        check_box(name, facts.boxes.get(part) or _scan_part(path, part))
    try:
        data = book.get_sheet_by_name(name)
    except Exception:
        raise SourceError("format", f"Sheet {name!r} looks damaged and cannot be read.") from None
    if data.width > MAX_COLUMNS:
        raise SourceError(
            "too_large", f"Sheet {name!r} is {data.width:,} columns wide; at most {MAX_COLUMNS:,}."
        )
    errors = _sheet_errors(path, facts, name, part)
    dataset = _collect(data, errors, limit=limit, max_rows=max_rows, sink=sink)
    if errors:
        refs = ", ".join(f"{column_letters(c)}{r + 1}" for r, c in sorted(errors)[:5])
        more = ", ..." if len(errors) > 5 else ""
        dataset.warnings.append(
            f"Sheet {name!r} has {len(errors):,} error cell(s) ({refs}{more}); "
            "they were read as empty."
        )
    return dataset


def _xlsx_part(path: Path, name: str) -> str | None:
    """The zip entry holding sheet ``name`` (matched without regard to case, as calamine)."""
    try:
        wanted = _xlsx_sheet_parts(path).get(name, "")
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except (ElementTree.ParseError, KeyError, ValueError, zipfile.BadZipFile):
        raise SourceError("format", "The workbook's XML looks damaged.") from None
    return next((n for n in names if n.lower() == wanted.lower()), None)


def _scan_part(path: Path, part: str) -> Box:
    """The cells' bounding box of a sheet part the guard pass did not scan (it lies outside
    ``xl/worksheets/``); the guard has already checked the part's size."""
    scan = XlsxSheetScan(part, exact=True)
    with zipfile.ZipFile(path) as zf, zf.open(part) as stream:
        while chunk := stream.read(1 << 20):
            scan.feed(chunk)
    scan.feed(b"", final=True)
    return scan.box


def _sheet_errors(
    path: Path, facts: ZipFacts | None, name: str, part: str | None
) -> set[tuple[int, int]]:
    if facts is None:
        return set()
    try:
        if facts.kind == "xlsx" and part is not None:
            return set(facts.xlsx_errors.get(part, []))
        if facts.kind == "ods" and facts.ods_has_errors:
            return set(_ods_errors(path, name))
    except (ElementTree.ParseError, KeyError, ValueError):
        raise SourceError("format", "The workbook's XML looks damaged.") from None
    return set()


def _collect(
    data: CalamineSheet,
    errors: set[tuple[int, int]],
    *,
    limit: int | None,
    max_rows: int,
    sink: Callable[[list[Cell]], None] | None,
) -> Dataset:
    first_col = data.start[1] if data.start else 0  # rows are counted from the first row
    by_row: dict[int, list[int]] = {}
    for er, ec in errors:
        by_row.setdefault(er, []).append(ec - first_col)
    keep = limit if limit is not None else max_rows
    header: list[Cell] | None = None
    rows: list[list[Cell]] = []
    emit = rows.append if sink is None else sink
    count = width = kept = 0
    for r, raw in enumerate(data.iter_rows()):
        cells = [_cell(v) for v in raw]
        for c in by_row.get(r, ()):
            if 0 <= c < len(cells):
                cells[c] = None
        used = [i for i, c in enumerate(cells) if c is not None]
        if not used:
            continue
        width = max(width, used[-1] + 1)
        if header is None:
            header = cells
            continue
        count += 1
        if limit is None and count > max_rows:
            raise SourceError(
                "too_large",
                f"The sheet has more than {max_rows:,} data rows; the limit is {max_rows:,}.",
            )
        if kept < keep:
            emit(cells[: used[-1] + 1])
            kept += 1
    if header is None:
        return Dataset(columns=[], rows=[], row_count=0, warnings=["The sheet is empty."])
    columns = unique_columns([header[i] if i < len(header) else None for i in range(width)])
    padded = [row + [None] * (width - len(row)) for row in rows]
    return Dataset(columns, padded, row_count=count, truncated=count > kept)
