"""How large a grid calamine would build for a sheet, worked out from the XML before it reads.

calamine turns a sheet into one dense grid from its first to its last non-empty cell, so a
1.5 KB workbook holding A1 and XFD1048576 asks for 17 billion cells (a Rust allocation failure
aborts the whole process). The zip guard pass feeds each sheet's XML through a scanner here,
which finds the bounding box of the cells actually present; a sheet is refused when it is wider
than ``MAX_COLUMNS`` or holds more than ``MAX_CELLS`` cells (``ODS_MAX_CELLS`` for .ods, whose
grid keeps each cell's formula beside its value). The refusal names the box (Excel's Ctrl+End
shows the far corner) so the creator can delete the stray cells. The ``<dimension ref>`` an
xlsx sheet declares is not trusted either way: it can lie, and calamine only uses it to reserve
room below 100,000 cells.

The scanners follow calamine's own rules, not a general XML parser's:

- xlsx: a cell element with a value is placed by its ``r`` reference; without one it goes
  where calamine's cursor stands (the next column, on the row from ``<row r>`` or the row
  after the previous one). A self-closing cell is empty. The fast path reads the form every
  writer uses (``<c r="B7"``) with a few C-speed regex passes; a sheet with any other cell form
  (no reference, namespace prefixes, odd spacing) is scanned again, cell by cell.
- ods: rows and cells repeat (``number-rows-repeated``, ``number-columns-repeated``, capped at
  1,048,576 rows and 16,384 columns as calamine does); a cell is present when it carries a
  value, a value type or a formula attribute. calamine reads every table of an .ods when it
  opens the file, so every table is checked; it also keeps each row's cells before it builds
  the grid, so those are bounded too. A ``<text:s text:c>`` run of more than ``MAX_SPACES``
  spaces is refused (calamine would spell it out).
- xlsx shared strings: calamine reserves room for ``uniqueCount`` strings before reading one;
  more than ``MAX_SHARED_STRINGS`` is refused.

What a scanner cannot see (a reader bug, a form calamine accepts and this code does not) is
still stopped by the sandbox's memory limit (``_sandbox``).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field

from keyvex.data._types import SourceError

MAX_COLUMNS = 1_000
MAX_CELLS = 5_000_000  # 32 bytes a cell in calamine's grid: 160 MB
ODS_MAX_CELLS = 2_500_000  # value and formula grids, about 64 bytes a cell
MAX_SHARED_STRINGS = 5_000_000
MAX_SPACES = 100_000
MAX_TAG = 8 * 1024 * 1024  # XML between two '<' kept across chunks at most
ODS_MAX_ROWS, ODS_MAX_COLS = 1_048_576, 16_384

_C_START = re.compile(rb"<c[\s/>]")
_C_ROW = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"[^>]*(?<!/)>')  # self-closing: empty
_C_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})[0-9]{1,7}"[^>]*(?<!/)>')
_C_SELF_CLOSED = re.compile(rb'<c r="[A-Z]{1,3}[0-9]{1,7}"[^>]*/>')
_PREFIXED = re.compile(rb"<[A-Za-z_][\w.-]*:(?:c|row)[\s/>]")
_TOKEN = re.compile(rb"<(/?)(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_R_ATTR = re.compile(rb"""(?:^|\s)r\s*=\s*["']([^"']*)["']""")
_REF = re.compile(rb"([A-Za-z]*)([0-9]*)")
_SST = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sst(?=[\s/>])([^>]*)>")
_UNIQUE_COUNT = re.compile(rb"""\suniqueCount\s*=\s*["']\s*([0-9]+)""")
_ODS_TOKEN = re.compile(  # start tags of cells, rows and tables; end tags of rows and tables
    rb"<table:(table-cell|covered-table-cell|table-row|table)(?=[\s/>])([^>]*)>"
    rb"|</table:(table-row|table)\s*>"
)
_ODS_NAME = re.compile(rb"""\stable:name\s*=\s*["']([^"']*)["']""")
_ODS_ROWS = re.compile(rb"""\stable:number-rows-repeated\s*=\s*["']\s*([0-9]+)""")
_ODS_COLS = re.compile(rb"""\stable:number-columns-repeated\s*=\s*["']\s*([0-9]+)""")
_ODS_SPACES = re.compile(rb"""\stext:c\s*=\s*["']\s*([0-9]+)""")


def column_letters(index: int) -> str:
    """0 -> 'A', 16383 -> 'XFD'."""
    letters, index = "", index + 1
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """'A' -> 0, 'XFD' -> 16383 (any case, as calamine reads it)."""
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index - 1


@dataclass
class Box:
    """The bounding box of the cells seen, 0-based and inclusive; ``bottom < 0`` when empty."""

    top: int = sys.maxsize
    left: int = sys.maxsize
    bottom: int = -1
    right: int = -1

    def add(self, top: int, left: int, bottom: int | None = None, right: int | None = None) -> None:
        self.top, self.left = min(self.top, top), min(self.left, left)
        self.bottom = max(self.bottom, top if bottom is None else bottom)
        self.right = max(self.right, left if right is None else right)

    @property
    def columns(self) -> int:
        return max(0, self.right - self.left + 1)

    @property
    def cells(self) -> int:
        return max(0, self.bottom - self.top + 1) * self.columns

    def corners(self) -> str:
        return (
            f"{column_letters(self.left)}{self.top + 1} to "
            f"{column_letters(self.right)}{self.bottom + 1}"
        )


def check_box(sheet: str, box: Box, max_cells: int = MAX_CELLS) -> None:
    """Refuse a sheet whose grid would be too wide or too large for calamine to build."""
    if box.bottom < 0:
        return
    if box.columns > MAX_COLUMNS:
        raise SourceError(
            "too_large",
            f"Sheet {sheet!r} has cells from {box.corners()}: {box.columns:,} columns wide; "
            f"at most {MAX_COLUMNS:,}. Delete the stray cells far to the right of the data "
            "(Ctrl+End in Excel shows the last one) and upload again.",
        )
    if box.cells > max_cells:
        rows = box.bottom - box.top + 1
        raise SourceError(
            "too_large",
            f"Sheet {sheet!r} has cells from {box.corners()}: a grid of {rows:,} rows by "
            f"{box.columns:,} columns ({box.cells:,} cells), more than the {max_cells:,} a "
            "sheet may span. Delete the stray cells far from the data (Ctrl+End in Excel "
            "shows the last one) and upload again.",
        )


class _Chunks:
    """Cuts a stream of XML chunks at the last '<', so every piece holds whole tags."""

    def __init__(self, part: str) -> None:
        self.part, self.carry = part, b""

    def pieces(self, chunk: bytes, final: bool) -> bytes:
        data = self.carry + chunk
        cut = len(data) if final else data.rfind(b"<")
        if cut < 0:  # text only: no tag starts here
            self.carry = b""
            return data
        self.carry = data[cut:]
        if len(self.carry) > MAX_TAG:
            raise SourceError(
                "format", f"The workbook part {self.part!r} has a tag longer than 8 MB."
            )
        return data[:cut]


@dataclass
class XlsxSheetScan:
    """Bounding box of the cells of one worksheet part, fed its XML chunk by chunk."""

    part: str
    box: Box = field(default_factory=Box)
    exact: bool = False  # True: the slow, cell-by-cell pass (set by ``needs_exact``)
    needs_exact: bool = False
    _row: int = 0
    _col: int = 0
    _chunks: _Chunks | None = None

    def feed(self, chunk: bytes, final: bool = False) -> None:
        if self._chunks is None:
            self._chunks = _Chunks(self.part)
        piece = self._chunks.pieces(chunk, final)
        if self.exact:
            self._exact(piece)
        elif not self.needs_exact:
            self._fast(piece)

    def _fast(self, piece: bytes) -> None:
        rows = _C_ROW.findall(piece)
        common = len(rows) + len(_C_SELF_CLOSED.findall(piece))
        if common != len(_C_START.findall(piece)) or _PREFIXED.search(piece):
            self.needs_exact = True
            return
        if rows:
            numbers = [int(r) for r in set(rows)]
            columns = [column_index(c.decode()) for c in set(_C_COLUMN.findall(piece))]
            self.box.add(min(numbers) - 1, min(columns), max(numbers) - 1, max(columns))

    def _exact(self, piece: bytes) -> None:
        for match in _TOKEN.finditer(piece):
            closing, name, attrs = match.groups()
            empty = attrs.endswith(b"/")
            ref = None if closing else _R_ATTR.search(attrs)
            if name == b"row":
                if ref is not None:
                    self._row = _ref(ref.group(1))[0]
                if closing or empty:  # calamine expands <row/> into a start and an end
                    self._row, self._col = self._row + 1, 0
            elif not closing:
                top, left = self._row, self._col
                if ref is not None:
                    top, left = _ref(ref.group(1))
                    self._col = left
                if not empty and top >= 0 and left >= 0:
                    self.box.add(top, left)
                self._col += 1


def _ref(text: bytes) -> tuple[int, int]:
    """(row, column), 0-based, of a reference such as ``XFD1048576``; -1 for a missing part."""
    match = _REF.fullmatch(text.strip())
    if match is None:
        return -1, -1
    letters, digits = match.groups()
    return (int(digits) - 1 if digits else -1), column_index(letters.decode())


@dataclass
class SharedStringsScan:
    """Refuses a shared-strings part whose ``<sst uniqueCount>`` would make calamine reserve
    room for too many strings (it does so before reading a single one)."""

    part: str
    seen: bool = False
    _chunks: _Chunks | None = None

    def feed(self, chunk: bytes, final: bool = False) -> None:
        if self.seen:
            return
        if self._chunks is None:
            self._chunks = _Chunks(self.part)
        found = _SST.search(self._chunks.pieces(chunk, final))
        if found is None:
            return
        self.seen = True
        count = _UNIQUE_COUNT.search(found.group(1))
        if count and int(count.group(1)) > MAX_SHARED_STRINGS:
            raise SourceError(
                "too_large",
                f"The workbook declares {int(count.group(1)):,} distinct texts; "
                f"at most {MAX_SHARED_STRINGS:,}.",
            )


@dataclass
class _OdsTable:
    name: str
    rows: int = 0  # row count so far, repeats included (capped as calamine caps them)
    raw: int = 0  # cells calamine stores before it builds the grid
    box: Box = field(default_factory=Box)


@dataclass
class OdsScan:
    """Checks every table of an .ods ``content.xml``, fed chunk by chunk (see the module)."""

    table: _OdsTable | None = None
    checked: list[tuple[str, Box]] = field(default_factory=list)  # the tables passed so far
    _repeats: int = 1
    _pushed: int = 0
    _empty_run: int = 0
    _first: int = -1
    _last: int = -1
    _chunks: _Chunks = field(default_factory=lambda: _Chunks("content.xml"))

    def feed(self, chunk: bytes, final: bool = False) -> None:
        piece = self._chunks.pieces(chunk, final)
        for spaces in _ODS_SPACES.findall(piece):
            if int(spaces) > MAX_SPACES:
                raise SourceError(
                    "too_large", f"A cell repeats a space {int(spaces):,} times (text:c)."
                )
        for start, attrs, end in _ODS_TOKEN.findall(piece):
            name = start or end
            if name in (b"table-cell", b"covered-table-cell"):
                if self.table is not None:
                    self._cell(attrs)
            elif name == b"table":
                self._table(end, attrs)
            elif self.table is not None:
                if start:
                    self._row_start(attrs)
                if end or attrs.endswith(b"/"):
                    self._row_end()

    def _table(self, closing: bytes, attrs: bytes) -> None:
        if not closing:
            found = _ODS_NAME.search(attrs)
            name = found.group(1).decode("utf-8", "replace") if found else ""
            self.table = _OdsTable(name)
        if (closing or attrs.endswith(b"/")) and self.table is not None:
            table, self.table = self.table, None
            check_box(table.name, table.box, ODS_MAX_CELLS)
            self.checked.append((table.name, table.box))

    def _row_start(self, attrs: bytes) -> None:
        assert self.table is not None
        found = _ODS_ROWS.search(attrs)
        wanted = int(found.group(1)) if found else 1
        self._repeats = min(wanted, ODS_MAX_ROWS - self.table.rows)
        self._pushed = self._empty_run = 0
        self._first = self._last = -1

    def _cell(self, attrs: bytes) -> None:
        # office:value, office:value-type, office:string-value ... or table:formula; a style
        # name that happens to hold one of the words only over-counts
        present = b"value" in attrs or b"formula" in attrs
        if not self._empty_run and b"repeated" not in attrs and self._pushed < ODS_MAX_COLS:
            if present:  # the usual cell, counted without the general rules below
                self._first = self._pushed if self._first < 0 else self._first
                self._last = self._pushed
                self._pushed += 1
            else:
                self._empty_run = 1
            return
        found = _ODS_COLS.search(attrs)
        repeats = int(found.group(1)) if found else 1
        self._pushed += min(self._empty_run, ODS_MAX_COLS - self._pushed)
        self._empty_run = 0
        repeats = min(repeats, ODS_MAX_COLS - self._pushed)
        if not present:
            self._empty_run = repeats
            return
        if repeats > 0:
            self._first = self._pushed if self._first < 0 else self._first
            self._last = self._pushed + repeats - 1
        self._pushed += repeats

    def _row_end(self) -> None:
        assert self.table is not None
        table = self.table
        if self._first >= 0:
            height = max(self._repeats, 1)  # a row past the cap still holds its cells
            table.box.add(table.rows, self._first, table.rows + height - 1, self._last)
        table.raw += self._pushed
        table.rows += self._repeats
        if table.raw > ODS_MAX_CELLS:  # calamine keeps these before it builds the grid
            raise SourceError(
                "too_large",
                f"Sheet {table.name!r} repeats its cells into more than {ODS_MAX_CELLS:,} "
                "cells; delete the repeated cells and upload again.",
            )
