"""Sheets whose dense grid would be too large are refused before calamine builds it.

The probe's two-cell workbooks (A1 and XFD1048576: 17 billion cells; A1 and ALL20000: 700 MB)
aborted the whole server; they are refused here with a sentence naming the cells, in a child
process (``_sandbox``) that would survive them anyway. calamine itself only ever runs on small
grids in this file: the scanner is compared with it on sheets of at most 40 x 30 cells.
"""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from keyvex.data import SourceError
from keyvex.data.sources._grid import Box, OdsScan, XlsxSheetScan, check_box, column_letters
from keyvex.data.sources.files import list_sheets, read_file

from ._workbooks import (
    write_hostile_files,
    write_ods_cells,
    write_ods_xml,
    write_sheet_xml,
    write_xlsx_cells,
)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    return write_hostile_files(tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize(
    "name",
    [
        "far.xlsx", "wide.xlsx", "unreferenced.xlsx", "strings.xlsx", "far.ods", "wide.ods",
        "repeated.ods", "spaces.ods", "far.xls", "dimensions.xls",
    ],
)  # fmt: skip
def test_a_hostile_workbook_is_refused_in_a_sentence_quickly(
    hostile: dict[str, tuple[Path, str]], name: str
) -> None:
    path, phrase = hostile[name]
    assert path.stat().st_size < 6_000
    started = time.perf_counter()
    with pytest.raises(SourceError, match=phrase) as info:
        read_file(path)
    assert info.value.kind == "too_large"
    assert time.perf_counter() - started < 10


def test_the_refusal_names_the_cells_and_the_way_out(hostile: dict[str, tuple[Path, str]]) -> None:
    with pytest.raises(SourceError) as info:
        read_file(hostile["wide.xlsx"][0])
    assert info.value.message == (
        "Sheet 'S' has cells from A1 to ALL20000: a grid of 20,000 rows by 1,000 columns "
        "(20,000,000 cells), more than the 5,000,000 a sheet may span. Delete the stray cells "
        "far from the data (Ctrl+End in Excel shows the last one) and upload again."
    )
    with pytest.raises(SourceError, match="16,384 columns wide; at most 1,000"):
        read_file(hostile["far.xlsx"][0])


def test_an_xlsx_sheet_is_only_checked_when_it_is_read(tmp_path: Path) -> None:
    """calamine opens an xlsx without reading its sheets, so the list of sheets still works;
    an .ods is read whole when it is opened, so its list is refused too."""
    far = write_xlsx_cells(tmp_path / "far.xlsx", {"A1": "a", "XFD1048576": 1})
    assert list_sheets(far) == ["S"]
    ods = write_ods_cells(tmp_path / "far.ods", {"A1": "a", "XFD1048576": 1})
    with pytest.raises(SourceError, match="from A1 to XFD1048576"):
        list_sheets(ods)


def test_a_lying_dimension_and_a_far_formatted_empty_cell_are_harmless(tmp_path: Path) -> None:
    """Neither makes calamine allocate: the dimension is not trusted, a self-closing (empty,
    formatted) cell is not part of the grid."""
    cells = {"A1": "name", "B1": "n", "A2": "x", "B2": 1}
    lying = write_xlsx_cells(tmp_path / "d.xlsx", cells, dimension="A1:XFD1048576")
    formatted = write_xlsx_cells(tmp_path / "f.xlsx", {**cells, "XFD1048576": None})
    for path in (lying, formatted):
        dataset = read_file(path)
        assert (dataset.columns, dataset.rows) == (["name", "n"], [["x", 1]])


def test_five_million_cells_and_one_thousand_columns_are_the_limits(tmp_path: Path) -> None:
    box = Box()
    box.add(0, 0, 999_999, 4)
    check_box("S", box)
    box.add(1_000_000, 4)
    with pytest.raises(SourceError, match="A1 to E1000001: .* \\(5,000,005 cells\\)"):
        check_box("S", box)
    wide = Box()
    wide.add(9, 3, 9, 1002)  # D10:ALO10, 1,000 columns from D
    check_box("S", wide)
    wide.add(9, 1003)
    with pytest.raises(SourceError, match="D10 to ALP10: 1,001 columns wide"):
        check_box("S", wide)
    over = write_xlsx_cells(tmp_path / "over.xlsx", {"A1": "a", "E1": "e", "A1000001": 1})
    with pytest.raises(SourceError, match="5,000,005 cells"):
        read_file(over)


def test_every_ods_table_is_checked_not_only_the_one_read(tmp_path: Path) -> None:
    cell = '<table:table-cell office:value-type="float" office:value="1"/>'
    gap = '<table:table-cell table:number-columns-repeated="9"/>'
    ok = f"<table:table-row>{cell}</table:table-row>"
    far = (
        f"<table:table-row>{cell}</table:table-row><table:table-row table:number-rows-repeated="
        f'"3000000"><table:table-cell/></table:table-row><table:table-row>{gap}{cell}'
        "</table:table-row>"
    )  # repeated rows stop at 1,048,576 in all, as calamine caps them
    path = write_ods_xml(
        tmp_path / "two.ods", ok + '</table:table><table:table table:name="Far">' + far
    )
    with pytest.raises(SourceError, match="Sheet 'Far' has cells from A1 to J1048577"):
        read_file(path, sheet="S")


# --- the scanner agrees with calamine -------------------------------------------------------

ROWS, COLUMNS = 40, 30
cells = st.dictionaries(
    st.tuples(st.integers(0, ROWS - 1), st.integers(0, COLUMNS - 1)),
    st.sampled_from(["text", 7, None]),  # None: a self-closing, empty cell
    min_size=1,
    max_size=25,
)


def _calamine_box(path: Path) -> Box:
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    box = Box()
    if sheet.start is not None and sheet.end is not None and sheet.height:
        box.add(sheet.start[0], sheet.start[1], sheet.end[0], sheet.end[1])
    return box


def _xlsx_box(path: Path, exact: bool) -> Box:
    scan = XlsxSheetScan("sheet", exact=exact)
    with zipfile.ZipFile(path) as zf:
        data = zf.read("xl/worksheets/sheet1.xml")
    for start in range(0, len(data), 97):  # small chunks: tags cut anywhere
        scan.feed(data[start : start + 97])
    scan.feed(b"", final=True)
    assert scan.needs_exact == (not exact and (b"<c>" in data or b"<c/>" in data))
    return scan.box


def _xlsx_xml(grid: dict[tuple[int, int], object], references: bool) -> str:
    """Rows in order; cells with or without r="..." (without: every gap is an empty cell)."""
    out = []
    for row in sorted({r for r, _ in grid}):
        row_cells, column = [], 0
        for col in sorted(c for r, c in grid if r == row):
            if not references:
                row_cells += ["<c/>"] * (col - column)
            ref = f' r="{column_letters(col)}{row + 1}"' if references else ""
            value = grid[row, col]
            if value is None:
                row_cells.append(f"<c{ref}/>")
            elif isinstance(value, int):
                row_cells.append(f"<c{ref}><v>{value}</v></c>")
            else:
                row_cells.append(f'<c{ref} t="inlineStr"><is><t>{value}</t></is></c>')
            column = col + 1
        out.append(f'<row r="{row + 1}">{"".join(row_cells)}</row>')
    return "".join(out)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(grid=cells, references=st.booleans())
def test_the_xlsx_scanner_finds_the_box_calamine_builds(
    tmp_path: Path, grid: dict[tuple[int, int], object], references: bool
) -> None:
    path = write_sheet_xml(tmp_path / "g.xlsx", _xlsx_xml(grid, references))
    expected = _calamine_box(path)
    exact = _xlsx_box(path, exact=True)
    assert (exact.top, exact.left, exact.bottom, exact.right) == (
        expected.top, expected.left, expected.bottom, expected.right,
    )  # fmt: skip
    if references:
        fast = _xlsx_box(path, exact=False)
        assert fast == exact


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(grid=cells)
def test_the_ods_scanner_finds_the_box_calamine_builds(
    tmp_path: Path, grid: dict[tuple[int, int], object]
) -> None:
    path = write_ods_cells(
        tmp_path / "g.ods",
        {f"{column_letters(c)}{r + 1}": v for (r, c), v in grid.items()},
    )
    expected = _calamine_box(path)
    scan = OdsScan()
    with zipfile.ZipFile(path) as zf:
        data = zf.read("content.xml")
    for start in range(0, len(data), 97):
        scan.feed(data[start : start + 97])
    scan.feed(b"", final=True)
    assert [name for name, _ in scan.checked] == ["S"]
    found = scan.checked[0][1]
    if expected.bottom < 0:
        assert found.bottom < 0
    else:
        assert (found.top, found.left, found.bottom, found.right) == (
            expected.top, expected.left, expected.bottom, expected.right,
        )  # fmt: skip
