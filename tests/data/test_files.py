"""File sources end to end: CSV encodings and delimiters, xlsx/xls/ods workbooks, Access files."""

from __future__ import annotations

import codecs
import datetime as dt
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import anyio
import pytest
from pydantic import ValidationError

from keyvex.data import SourceContext, SourceError
from keyvex.data.sources import connector
from keyvex.data.sources.files import (
    CsvDialect,
    FileConfig,
    FileConnector,
    list_sheets,
    read_file,
    sniff_csv,
)
from keyvex.store.blobs import LocalBlobStore

from ._workbooks import ErrorCell, write_ods, write_xlsx

FILES = Path(__file__).parent / "files"
TEXT = "Name,City,Spend\nZoë,Málaga,12.5\nRené,Köln,\n"
ROWS = [["Zoë", "Málaga", "12.5"], ["René", "Köln", None]]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@contextmanager
def raises(kind: str, phrase: str) -> Iterator[None]:
    with pytest.raises(SourceError, match=phrase) as info:
        yield
    assert info.value.kind == kind


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("latin-1"), "cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "latin1"],
)
def test_csv_encodings_are_sniffed_and_decoded(tmp_path: Path, data: bytes, encoding: str) -> None:
    assert sniff_csv(data).encoding == encoding
    dataset = read_file(write(tmp_path, "people.csv", data))
    assert dataset.columns == ["Name", "City", "Spend"]
    assert dataset.rows == ROWS
    assert dataset.warnings == []


def test_cp1252_punctuation_is_read_as_windows_writes_it(tmp_path: Path) -> None:
    data = "Quote,Price\n“Smart”,€5\n".encode("cp1252")
    assert read_file(write(tmp_path, "q.csv", data)).rows == [["“Smart”", "€5"]]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"], ids=["comma", "semi", "tab", "pipe"])
def test_csv_delimiters_are_sniffed(tmp_path: Path, delimiter: str) -> None:
    lines = [["id", "label", "note"], ["1", "a, b; c", "x"], ["2", "d", ""]]
    body = "\n".join(
        delimiter.join(f'"{c}"' if any(d in c for d in ",;\t|") else c for c in line)
        for line in lines
    )
    assert sniff_csv(body.encode()) == CsvDialect(encoding="utf-8", delimiter=delimiter)
    dataset = read_file(write(tmp_path, "d.csv", body.encode()))
    assert dataset.rows == [["1", "a, b; c", "x"], ["2", "d", None]]


def test_tsv_extension_means_tab_even_when_commas_dominate(tmp_path: Path) -> None:
    data = b"a,b\tc\n1,2,3\t4\n5,6,7\t8\n"
    dataset = read_file(write(tmp_path, "x.tsv", data))
    assert dataset.columns == ["a,b", "c"]
    assert dataset.rows == [["1,2,3", "4"], ["5,6,7", "8"]]


def test_csv_keeps_quoted_newlines_line_separators_and_cr_endings(tmp_path: Path) -> None:
    data = 'k,v\r1,"two\r\nlines"\r2,a\u2028b\r'.encode()
    dataset = read_file(write(tmp_path, "mac.csv", data))
    assert dataset.rows == [["1", "two\r\nlines"], ["2", "a\u2028b"]]


def test_csv_header_names_are_made_unique_and_short_rows_padded(tmp_path: Path) -> None:
    data = b"Name,,name,City\n\nAnn,1\n,,,\nBob,2,3,4,5\n"
    dataset = read_file(write(tmp_path, "h.csv", data))
    assert dataset.columns == ["Name", "column_2", "name_2", "City", "column_5"]
    assert dataset.rows == [["Ann", "1", None, None, None], ["Bob", "2", "3", "4", "5"]]
    assert dataset.row_count == 2
    assert any("more cells than the header" in w for w in dataset.warnings)


def test_csv_preview_keeps_the_exact_row_count(tmp_path: Path) -> None:
    data = ("n\n" + "".join(f"{i}\n" for i in range(250))).encode()
    path = write(tmp_path, "n.csv", data)
    preview = read_file(path, limit=5, max_rows=100)
    assert preview.rows == [[str(i)] for i in range(5)]
    assert (preview.row_count, preview.truncated) == (250, True)
    with raises("too_large", "more than 100 data rows"):
        read_file(path, max_rows=100)
    assert read_file(path, max_rows=250).row_count == 250


def test_a_file_over_the_byte_limit_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "big.csv", b"a\n" * 1000)
    with pytest.raises(SourceError, match="the limit is 0.0 MB") as info:
        read_file(path, max_bytes=1000)
    assert info.value.kind == "too_large"


def test_empty_csv_gives_no_columns(tmp_path: Path) -> None:
    dataset = read_file(write(tmp_path, "e.csv", b""))
    assert (dataset.columns, dataset.rows, dataset.row_count) == ([], [], 0)


def test_extension_and_content_must_agree(tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "book.xlsx", {"S": [["a"], [1]]})
    renamed = shutil.copy(book, tmp_path / "book.csv")
    with pytest.raises(SourceError, match="looks like a ZIP archive") as info:
        read_file(Path(renamed))
    assert info.value.kind == "format"
    with raises("format", "looks like plain text"):
        read_file(write(tmp_path, "t.xlsx", b"a,b\n1,2\n"))
    with raises("format", "looks like an old-style Office file"):
        read_file(FILES / "sample.xls", filename="sample.mdb")
    with raises("format", "not a supported file type"):
        read_file(write(tmp_path, "r.pdf", b"%PDF-1.4"))


def test_ods_renamed_to_xlsx_is_named_for_what_it_is(tmp_path: Path) -> None:
    ods = write_ods(tmp_path / "s.ods", {"S": [["a"], [1]]})
    with raises("format", "OpenDocument spreadsheet"):
        read_file(ods, filename="s.xlsx")


def sample_rows() -> list[list[object]]:
    return [
        [],
        [None, "Product", "Price", "Launched", "At", "Opens", "Length", "Result", "Ok", "", None],
        [None, "Tea", 2.0, dt.date(2024, 1, 2), dt.datetime(2024, 1, 2, 3, 4, 5), dt.time(9, 30)]
        + [dt.timedelta(hours=1, minutes=30), ErrorCell("#DIV/0!"), True, "", None],
        [None, "=SUM(B1:B9)", 2.5, None, None, None, None, 7, False, None, None],
        [None] * 11,
    ]


def test_xlsx_values_are_normalised(tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "b.xlsx", {"Prices": sample_rows(), "Other": [["x"], [1]]})
    dataset = read_file(book)
    assert dataset.columns == ["Product", "Price", "Launched", "At", "Opens", "Length"] + [
        "Result",
        "Ok",
    ]
    assert dataset.rows == [
        ["Tea", 2, "2024-01-02", "2024-01-02T03:04:05", "09:30:00", 5400, None, True],
        ["=SUM(B1:B9)", 2.5, None, None, None, None, 7, False],
    ]
    assert type(dataset.rows[0][1]) is int
    assert dataset.warnings == ["Sheet 'Prices' has 1 error cell(s) (H3); they were read as empty."]
    assert list_sheets(book) == ["Prices", "Other"]


def test_xlsx_sheet_is_chosen_by_name_and_unknown_sheets_are_listed(tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "b.xlsx", {"Prices": sample_rows(), "Other": [["x"], [1], [2]]})
    other = read_file(book, sheet="other", limit=1)
    assert (other.columns, other.rows, other.row_count, other.truncated) == (
        ["x"],
        [[1]],
        2,
        True,
    )
    with pytest.raises(SourceError, match="the workbook has: Prices, Other") as info:
        read_file(book, sheet="Costs")
    assert info.value.kind == "not_found"


def test_xlsx_row_and_column_limits(tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "b.xlsx", {"S": [["n"]] + [[i] for i in range(30)]})
    with raises("too_large", "more than 10 data rows"):
        read_file(book, max_rows=10)
    assert read_file(book, max_rows=10, limit=3).row_count == 30
    wide = write_xlsx(tmp_path / "w.xlsx", {"S": [[f"c{i}" for i in range(1001)]]})
    with raises("too_large", "1,001 columns wide"):
        read_file(wide)


def test_ods_values_and_error_cells(tmp_path: Path) -> None:
    rows = [
        ["City", "Visits", "Since", "Rate", "Member"],
        ["Oslo", 3.0, dt.date(2023, 5, 6), ErrorCell("#DIV/0!"), True],
        ["", 1.5, None, 0.25, False],
    ]
    book = write_ods(tmp_path / "s.ods", {"Visits": rows, "Empty": []})
    dataset = read_file(book)
    assert dataset.columns == ["City", "Visits", "Since", "Rate", "Member"]
    assert dataset.rows == [["Oslo", 3, "2023-05-06", None, True], [None, 1.5, None, 0.25, False]]
    assert dataset.warnings == ["Sheet 'Visits' has 1 error cell(s) (D2); they were read as empty."]
    assert list_sheets(book) == ["Visits", "Empty"]


def test_xls_fixture_is_read() -> None:
    dataset = read_file(FILES / "sample.xls")
    assert dataset.columns == ["Product", "Price", "Launched", "In stock", "Note"]
    assert dataset.rows == [
        ["Café crème", 3.5, "2021-03-01", True, "bestseller"],
        ["Tea", 2, "2020-11-30", False, None],
        ["=1+1", 10, None, True, "+not a formula"],
    ]
    assert list_sheets(FILES / "sample.xls") == ["Prices", "Notes"]
    assert read_file(FILES / "sample.xls", sheet="Notes").columns == ["Nothing here yet"]


CUSTOMERS = [
    [1, "Ann Smith", "2023-01-15T00:00:00", 1250.5, True, "first order"],
    [2, "Zoë Müller", "2023-06-01T09:30:00", 300, False, None],
    [3, "=SUM(A1)", "2024-02-29T00:00:00", 0.25, True, "formula-looking name"],
]


@pytest.mark.parametrize("name", ["customers.mdb", "customers.accdb"])
def test_access_files_are_read_table_by_table(name: str) -> None:
    path = FILES / name
    assert list_sheets(path) == ["Customers", "Regions"]
    dataset = read_file(path)
    assert dataset.columns == ["ID", "Name", "Joined", "Spend", "Active", "Notes"]
    assert dataset.rows == CUSTOMERS
    regions = read_file(path, table="regions", limit=1)
    assert (regions.rows, regions.row_count, regions.truncated) == ([["N", "North"]], 2, True)
    with pytest.raises(SourceError, match="the file has: Customers, Regions") as info:
        read_file(path, table="Orders")
    assert info.value.kind == "not_found"
    with raises("too_large", "more than 2 rows"):
        read_file(path, max_rows=2)


def test_csv_has_no_sheets(tmp_path: Path) -> None:
    assert list_sheets(write(tmp_path, "a.csv", b"a\n1\n")) == []


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def blob_context(tmp_path: Path, **limits: int) -> tuple[LocalBlobStore, SourceContext]:
    blobs = LocalBlobStore(tmp_path / "blobs")
    return blobs, SourceContext(blobs=blobs, **limits)


@pytest.mark.anyio
async def test_file_connector_reads_an_uploaded_blob(tmp_path: Path) -> None:
    blobs, ctx = blob_context(tmp_path, max_rows=10)
    blobs.put("uploads/u1/abc", (FILES / "customers.accdb").read_bytes())
    file_connector = connector("file")
    assert isinstance(file_connector, FileConnector)
    assert (file_connector.label, file_connector.secret_fields) == ("File upload", ())
    config = FileConfig(blob_key="uploads/u1/abc", filename="Customers.ACCDB", table="Regions")
    dataset = await file_connector.fetch(config, {}, ctx)
    assert dataset.rows == [["N", "North"], ["S", "South"]]
    preview = await file_connector.test(config.model_copy(update={"table": None}), {}, ctx)
    assert (len(preview.rows), preview.row_count) == (3, 3)


@pytest.mark.anyio
async def test_file_connector_reports_missing_and_oversized_blobs(tmp_path: Path) -> None:
    blobs, ctx = blob_context(tmp_path, max_bytes=100)
    blobs.put("big", b"a\n" * 200)
    with raises("too_large", "larger than 0.0 MB"):
        await FileConnector().fetch(FileConfig(blob_key="big", filename="b.csv"), {}, ctx)
    with pytest.raises(SourceError, match="no longer stored") as info:
        await FileConnector().fetch(FileConfig(blob_key="gone", filename="g.csv"), {}, ctx)
    assert info.value.kind == "not_found"


def test_file_config_refuses_unknown_fields() -> None:
    with pytest.raises(ValidationError):
        FileConfig.model_validate({"blob_key": "k", "filename": "a.csv", "path": "/etc/passwd"})


def test_fetch_accepts_a_plain_config_mapping(tmp_path: Path) -> None:
    blobs, ctx = blob_context(tmp_path)
    blobs.put("k", b"a;b\n1;2\n")

    async def main() -> list[list[object]]:
        dataset = await FileConnector().fetch({"blob_key": "k", "filename": "x.csv"}, {}, ctx)
        return list(dataset.rows)

    assert anyio.run(main) == [["1", "2"]]
