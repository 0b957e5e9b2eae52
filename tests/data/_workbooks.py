"""Tiny spreadsheet writers for the file-source tests: .xlsx (OOXML) and .ods (ODF) via zipfile.

They write just enough of each format for calamine to read what a real office suite writes:
inline strings, numbers, booleans, error cells, and date/time/duration cells through the
built-in number formats (xlsx) or the ODF value types (ods).
"""

from __future__ import annotations

import datetime as dt
import struct
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

Rows = Sequence[Sequence[Any]]
EXCEL_EPOCH = dt.datetime(1899, 12, 30)


@dataclass(frozen=True)
class ErrorCell:
    """A spreadsheet error value such as ``#DIV/0!``."""

    code: str


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# cellXfs indexes below: 0 general, 1 date (14), 2 date-time (22), 3 time (21), 4 duration (46)
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="5"><xf numFmtId="0" xfId="0"/><xf numFmtId="14" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="22" xfId="0" applyNumberFormat="1"/><xf numFmtId="21" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="46" xfId="0" applyNumberFormat="1"/></cellXfs>
</styleSheet>"""


def _serial(value: dt.date | dt.datetime | dt.time | dt.timedelta) -> tuple[float, int]:
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 86400, 4
    if isinstance(value, dt.time):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        return seconds / 86400, 3
    if isinstance(value, dt.datetime):
        return (value - EXCEL_EPOCH).total_seconds() / 86400, 2
    return float((value - EXCEL_EPOCH.date()).days), 1


def _xlsx_cell(ref: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, ErrorCell):
        return f'<c r="{ref}" t="e"><v>{escape(value.code)}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        serial, style = _serial(value)
        return f'<c r="{ref}" s="{style}"><v>{serial!r}</v></c>'
    text = escape(str(value))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _xlsx_sheet(rows: Rows) -> str:
    body = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(_xlsx_cell(f"{_column_letters(c)}{r}", v) for c, v in enumerate(row))
        body.append(f'<row r="{r}">{cells}</row>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{''.join(body)}</sheetData></worksheet>"
    )


def write_xlsx(path: Path, sheets: Mapping[str, Rows]) -> Path:
    """Write a workbook with one worksheet per entry of ``sheets`` (in order)."""
    ns = "http://schemas.openxmlformats.org"
    names = list(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(names) + 1)
    )
    content_types = (
        f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{ns}/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{overrides}</Types>"
    )
    root_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    sheet_entries = "".join(
        f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(names, start=1)
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}/spreadsheetml/2006/main" '
        f'xmlns:r="{ns}/officeDocument/2006/relationships"><sheets>{sheet_entries}</sheets>'
        "</workbook>"
    )
    rel = f"{ns}/officeDocument/2006/relationships"
    wb_rels = (
        "".join(
            f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(names) + 1)
        )
        + f'<Relationship Id="rIdS" Type="{rel}/styles" Target="styles.xml"/>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", content_types)
        zf.writestr("_rels/.rels", root_rels)
        zf.writestr("xl/workbook.xml", workbook)
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/'
            f'relationships">{wb_rels}</Relationships>',
        )
        zf.writestr("xl/styles.xml", _STYLES)
        for i, name in enumerate(names, start=1):
            zf.writestr(f"xl/worksheets/sheet{i}.xml", _xlsx_sheet(sheets[name]))
    return path


def _ods_cell(value: Any) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, ErrorCell):  # as LibreOffice writes =1/0
        return (
            '<table:table-cell table:formula="of:=1/0" office:value-type="float" '
            f'office:value="0" calcext:value-type="error"><text:p>{escape(value.code)}</text:p>'
            "</table:table-cell>"
        )
    if isinstance(value, bool):
        flag = "true" if value else "false"
        return (
            f'<table:table-cell office:value-type="boolean" office:boolean-value="{flag}">'
            f"<text:p>{flag.upper()}</text:p></table:table-cell>"
        )
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value!r}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    if isinstance(value, dt.date):
        iso = value.isoformat()
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{iso}">'
            f"<text:p>{iso}</text:p></table:table-cell>"
        )
    text = escape(str(value))
    return (
        f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'
    )


def write_ods(path: Path, sheets: Mapping[str, Rows]) -> Path:
    """Write an OpenDocument spreadsheet with one table per entry of ``sheets``."""
    odf = "urn:oasis:names:tc:opendocument:xmlns"
    tables = "".join(
        f"<table:table table:name={quoteattr(name)}>"
        + "".join(
            "<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>"
            for row in rows
        )
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document-content xmlns:office="{odf}:office:1.0" '
        f'xmlns:table="{odf}:table:1.0" xmlns:text="{odf}:text:1.0" '
        'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
        'office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<manifest:manifest xmlns:manifest="{odf}:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        zf.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def _ref(ref: str) -> tuple[int, int]:
    """'XFD1048576' -> (1048575, 16383)."""
    letters = ref.rstrip("0123456789")
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    return int(ref[len(letters) :]) - 1, column - 1


def write_xlsx_cells(path: Path, cells: Mapping[str, Any], *, dimension: str | None = None) -> Path:
    """A one-sheet workbook ('S') holding exactly ``cells`` (reference -> value), as Excel
    writes them: ``<row r>`` around ``<c r>``; a ``None`` value is a self-closing (formatted,
    empty) cell. ``dimension`` writes a ``<dimension ref>`` (which may lie)."""
    rows: dict[int, list[str]] = {}
    for ref, value in sorted(cells.items(), key=lambda kv: _ref(kv[0])):
        cell = f'<c r="{ref}" s="0"/>' if value is None else _xlsx_cell(ref, value)
        rows.setdefault(_ref(ref)[0], []).append(cell)
    body = "".join(f'<row r="{r + 1}">{"".join(c)}</row>' for r, c in sorted(rows.items()))
    return write_sheet_xml(path, body, dimension=dimension)


def write_sheet_xml(path: Path, sheet_data: str, *, dimension: str | None = None) -> Path:
    """A one-sheet workbook ('S') whose ``<sheetData>`` is exactly ``sheet_data``."""
    write_xlsx(path, {"S": [["placeholder"]]})
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dim}<sheetData>{sheet_data}</sheetData></worksheet>"
    )
    return _replace_parts(path, {"xl/worksheets/sheet1.xml": xml})


def _replace_parts(path: Path, parts: Mapping[str, str]) -> Path:
    with zipfile.ZipFile(path) as source:
        kept = {i.filename: source.read(i) for i in source.infolist() if i.filename not in parts}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in kept.items():
            target.writestr(name, data)
        for name, text in parts.items():
            target.writestr(name, text)
    return path


def write_shared_strings_bomb(path: Path, unique_count: int) -> Path:
    """A small workbook whose sharedStrings part declares ``unique_count`` strings (holds one)."""
    write_xlsx(path, {"S": [["a"], [1]]})
    ns = "http://schemas.openxmlformats.org"
    with zipfile.ZipFile(path) as source:
        types = source.read("[Content_Types].xml").decode()
        rels = source.read("xl/_rels/workbook.xml.rels").decode()
    types = types.replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    rels = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdT" Type="{ns}/officeDocument/2006/relationships/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>',
    )
    strings = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{ns}/spreadsheetml/2006/main" '
        f'count="1" uniqueCount="{unique_count}"><si><t>a</t></si></sst>'
    )
    return _replace_parts(
        path,
        {
            "[Content_Types].xml": types,
            "xl/_rels/workbook.xml.rels": rels,
            "xl/sharedStrings.xml": strings,
        },
    )


def write_ods_cells(path: Path, cells: Mapping[str, Any]) -> Path:
    """A one-table spreadsheet ('S') holding exactly ``cells``, the gaps between them written
    as LibreOffice writes them: repeated empty rows and cells."""
    rows: dict[int, dict[int, Any]] = {}
    for ref, value in cells.items():
        row, column = _ref(ref)
        rows.setdefault(row, {})[column] = value
    body, next_row = [], 0
    for row in sorted(rows):
        if row > next_row:
            body.append(
                f'<table:table-row table:number-rows-repeated="{row - next_row}">'
                "<table:table-cell/></table:table-row>"
            )
        parts, next_column = [], 0
        for column in sorted(rows[row]):
            if column > next_column:
                parts.append(
                    f'<table:table-cell table:number-columns-repeated="{column - next_column}"/>'
                )
            parts.append(_ods_cell(rows[row][column]))
            next_column = column + 1
        body.append(f"<table:table-row>{''.join(parts)}</table:table-row>")
        next_row = row + 1
    return write_ods_xml(path, "".join(body))


def write_ods_xml(path: Path, table_body: str, name: str = "S") -> Path:
    """A one-table spreadsheet whose ``<table:table>`` holds exactly ``table_body``."""
    write_ods(path, {name: []})
    with zipfile.ZipFile(path) as source:
        content = source.read("content.xml").decode()
    empty = f"<table:table table:name={quoteattr(name)}></table:table>"
    assert empty in content
    content = content.replace(
        empty, f"<table:table table:name={quoteattr(name)}>{table_body}</table:table>"
    )
    with zipfile.ZipFile(path) as source:
        kept = [(i, source.read(i)) for i in source.infolist() if i.filename != "content.xml"]
    with zipfile.ZipFile(path, "w") as target:
        for info, data in kept:
            target.writestr(info, data)
        target.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


FILES = Path(__file__).parent / "files"
SANDBOX_STOPPED = "could not be read within 256 MB of memory"


def _lying_xls(path: Path) -> Path:
    """sample.xls whose first DIMENSIONS record claims 2**31 rows by 65,535 columns (calamine
    reserves room for that many cells before reading one)."""
    data = bytearray((FILES / "sample.xls").read_bytes())
    record = data.index(bytes.fromhex("00020e00"))  # DIMENSIONS, 14 bytes
    struct.pack_into("<IIHH", data, record + 4, 0, 2**31 - 1, 0, 0xFFFF)
    path.write_bytes(bytes(data))
    return path


def write_hostile_files(directory: Path) -> dict[str, tuple[Path, str]]:
    """The probe's hostile files, each tiny, with a phrase of the error each must give: two
    cells far apart (A1 and XFD1048576, A1 and ALL20000) in .xlsx, .ods and .xls, and the same
    dense-grid idea through other doors (cells without references, repeated cells, a shared-
    strings count, a lying .xls DIMENSIONS record, a run of spaces)."""
    far = {"A1": "a", "XFD1048576": 1}
    wide = {"A1": "a", "ALL20000": 1}
    unreferenced = (  # no r="..." on the cells: calamine counts them along the row
        '<row r="1">' + "<c><v>1</v></c>" * 2000 + '</row><row r="20000"><c><v>2</v></c></row>'
    )
    value = '<table:table-cell office:value-type="float" office:value="1"'
    files = {
        "far.xlsx": (write_xlsx_cells(directory / "far.xlsx", far), "from A1 to XFD1048576"),
        "wide.xlsx": (write_xlsx_cells(directory / "wide.xlsx", wide), "from A1 to ALL20000"),
        "unreferenced.xlsx": (
            write_sheet_xml(directory / "unreferenced.xlsx", unreferenced),
            "from A1 to BXX20000",
        ),
        "strings.xlsx": (
            write_shared_strings_bomb(directory / "strings.xlsx", 10**11),
            "declares 100,000,000,000 distinct texts",
        ),
        "far.ods": (write_ods_cells(directory / "far.ods", far), "from A1 to XFD1048576"),
        "wide.ods": (write_ods_cells(directory / "wide.ods", wide), "from A1 to ALL20000"),
        "repeated.ods": (
            write_ods_xml(
                directory / "repeated.ods",
                '<table:table-row table:number-rows-repeated="1048576">'
                f'{value} table:number-columns-repeated="16384"/></table:table-row>',
            ),
            "from A1 to XFD1048576",
        ),
        "spaces.ods": (
            write_ods_xml(
                directory / "spaces.ods",
                '<table:table-row><table:table-cell office:value-type="string"><text:p>'
                '<text:s text:c="2000000000"/></text:p></table:table-cell></table:table-row>',
            ),
            "repeats a space 2,000,000,000 times",
        ),
        "far.xls": (FILES / "a_to_iv65536.xls", SANDBOX_STOPPED),
        "dimensions.xls": (_lying_xls(directory / "dimensions.xls"), SANDBOX_STOPPED),
    }
    return files
