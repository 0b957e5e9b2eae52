"""Hostile uploads get a clear SourceError (or safe handling) in bounded time and memory.

Memory is measured with tracemalloc, which sees Python allocations only; every bomb here is
refused before calamine (Rust) or access-parser would allocate anything large.
"""

from __future__ import annotations

import struct
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from keyvex.data import Dataset, SourceError
from keyvex.data.sources.files import list_sheets, read_file

from ._workbooks import write_xlsx

FILES = Path(__file__).parent / "files"
MB = 1024 * 1024
MEMORY_CAP = 64 * MB
TIME_CAP = 10.0


@contextmanager
def raises(kind: str, phrase: str) -> Iterator[None]:
    with pytest.raises(SourceError, match=phrase) as info:
        yield
    assert info.value.kind == kind


def bounded(call: Callable[[], Any]) -> Any:
    """Run ``call`` and check its peak Python memory and its time; re-raise what it raised."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        return call()
    finally:
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert peak < MEMORY_CAP, f"peak {peak / MB:.0f} MB"
        assert elapsed < TIME_CAP, f"took {elapsed:.1f} s"


def test_a_50_mb_single_line_csv_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "line.csv"
    with path.open("wb") as out:
        out.write(b"a,b\n")
        for _ in range(50):
            out.write(b"x" * MB)
    with raises("too_large", "Line 2 is longer than 8 MB"):
        bounded(lambda: read_file(path, max_bytes=100_000_000))


def test_a_quoted_field_over_1_mb_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "field.csv"
    path.write_bytes(b'id,text\n1,ok\n2,"' + b"word\n" * 300_000 + b'"\n')
    with raises("too_large", "A field on line [0-9]+ is larger than 1 MB"):
        bounded(lambda: read_file(path))


def test_a_csv_with_two_million_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_bytes(b"c," * 2_000_000 + b"c\n1\n")
    with raises("too_large", "Line 1 has more than 1,000 columns"):
        bounded(lambda: read_file(path))


def test_one_thousand_columns_are_fine_but_not_one_more(tmp_path: Path) -> None:
    path = tmp_path / "k.csv"
    path.write_text(",".join(f"c{i}" for i in range(1000)) + "\n" + "1," * 999 + "1\n")
    assert len(read_file(path).columns) == 1000
    path.write_text(",".join(f"c{i}" for i in range(1001)) + "\n")
    with raises("too_large", "more than 1,000 columns"):
        read_file(path)


def test_invalid_utf8_later_in_a_utf8_file_is_read_as_cp1252_with_a_warning(
    tmp_path: Path,
) -> None:
    head = "name,city\n" + "Zoë,Málaga\n" * 10_000
    path = tmp_path / "mixed.csv"
    path.write_bytes(head.encode() + b"Ren\xe9,K\xf6ln\n")
    dataset = bounded(lambda: read_file(path))
    assert dataset.rows[0] == ["Zoë", "Málaga"]
    assert dataset.rows[-1] == ["René", "Köln"]
    offset = len(head.encode()) + 3
    assert dataset.warnings == [
        f"2 byte(s) were not valid UTF-8 (the first at byte offset {offset:,}); "
        "they were read as Windows-1252."
    ]


def test_nul_bytes_are_removed_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(b"a,b\n1\x00,2\n\x00\x00,3\n")
    dataset = read_file(path)
    assert dataset.rows == [["1", "2"], [None, "3"]]
    assert dataset.warnings == ["The file contains NUL characters; they were removed."]


FORMULAS = ["=1+2", "+33", "-5", "@SUM(A1:A9)", '=HYPERLINK("http://x.example","go")']


def test_formulas_in_csv_cells_stay_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    quoted = ",".join('"' + f.replace('"', '""') + '"' for f in FORMULAS)
    path.write_text("a,b,c,d,e\n" + quoted + "\n")
    assert read_file(path).rows == [FORMULAS]


def test_formulas_in_workbook_text_cells_stay_plain_text(tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "f.xlsx", {"S": [list("abcde"), FORMULAS]})
    assert read_file(book).rows == [FORMULAS]


def write_zeros_member(zf: zipfile.ZipFile, name: str, size: int) -> None:
    chunk = bytes(MB)
    with zf.open(name, "w", force_zip64=True) as member:
        for _ in range(size // MB):
            member.write(chunk)


def bomb_with_workbook(path: Path, size: int, level: int = 9) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        write_zeros_member(zf, "xl/worksheets/sheet1.xml", size)
    return path


@pytest.fixture(scope="module")
def two_gb_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # level 1 writes 2 GB of zeros in about 2 s (as a 9 MB file); level 9 takes twice as long
    return bomb_with_workbook(tmp_path_factory.mktemp("bomb") / "bomb.xlsx", 2048 * MB, level=1)


def test_a_zip_bomb_renamed_xlsx_is_refused_before_calamine(two_gb_bomb: Path) -> None:
    assert two_gb_bomb.stat().st_size < 16 * MB
    with raises("too_large", "would unpack to 2,147 MB, more than the 1,000 MB allowed"):
        bounded(lambda: read_file(two_gb_bomb))
    with raises("too_large", "zip bomb"):
        bounded(lambda: list_sheets(two_gb_bomb))


def test_a_highly_compressed_part_is_refused_even_under_the_total(tmp_path: Path) -> None:
    bomb = bomb_with_workbook(tmp_path / "r.xlsx", 300 * MB)
    with raises("too_large", "compressed more than 200:1"):
        bounded(lambda: read_file(bomb))


def forge_declared_size(path: Path, name: str, declared: int) -> None:
    """Make the central directory claim ``declared`` bytes for ``name`` (a lying archive)."""
    data = bytearray(path.read_bytes())
    entry = 0
    encoded = name.encode()
    while True:
        entry = data.index(b"PK\x01\x02", entry)
        name_len = struct.unpack_from("<H", data, entry + 28)[0]
        if data[entry + 46 : entry + 46 + name_len] == encoded:
            break
        entry += 4
    struct.pack_into("<I", data, entry + 24, declared)
    path.write_bytes(bytes(data))


def test_a_part_that_unpacks_to_more_than_it_declares_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "liar.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", bytes(8 * MB))
    forge_declared_size(path, "xl/worksheets/sheet1.xml", 100_000)
    with raises("format", "unpacks to more than it declares"):
        bounded(lambda: read_file(path))


def test_too_many_zip_entries_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(10_001):
            zf.writestr(f"xl/media/{i}.bin", b"")
    with raises("too_large", "holds 10,002 files"):
        read_file(path)


def test_a_truncated_or_garbage_workbook_is_a_format_error(tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "b.xlsx", {"S": [["a"], [1]] * 500})
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(book.read_bytes()[: book.stat().st_size // 2])
    with raises("format", "looks damaged or truncated"):
        read_file(cut)
    garbage = tmp_path / "g.xls"
    garbage.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\x07" * 4000)
    with raises("format", "looks damaged or truncated"):
        read_file(garbage)
    with raises("format", "looks like a ZIP archive"):
        read_file(tmp_path / "b.xlsx", filename="b.xls")  # a zip is not OLE2
    (tmp_path / "noise.xlsx").write_bytes(bytes(range(256)) * 8)
    with raises("format", "looks like binary data"):
        read_file(tmp_path / "noise.xlsx")


@pytest.mark.parametrize("size", [100, 4096, 4096 * 2 + 100, 4096 * 5, 4096 * 6 + 7])
def test_a_truncated_access_file_is_a_format_error(tmp_path: Path, size: int) -> None:
    path = tmp_path / "cut.accdb"
    path.write_bytes((FILES / "customers.accdb").read_bytes()[:size])
    with raises("format", "looks damaged or truncated"):
        bounded(lambda: read_file(path))
    with raises("format", "looks damaged or truncated"):
        list_sheets(path)


def test_an_access_file_whose_page_chain_loops_is_refused_quickly(tmp_path: Path) -> None:
    data = bytearray((FILES / "customers.mdb").read_bytes())
    struct.pack_into("<I", data, 4 * 4096 + 4, 4)  # Customers' table definition -> itself
    path = tmp_path / "loop.mdb"
    path.write_bytes(bytes(data))
    with raises("format", "looks damaged or truncated"):
        bounded(lambda: read_file(path))


def test_garbage_pages_after_a_valid_access_header_are_a_format_error(tmp_path: Path) -> None:
    data = (FILES / "customers.mdb").read_bytes()[:4096] + bytes(range(256)) * 64
    path = tmp_path / "junk.mdb"
    path.write_bytes(data)
    result: Dataset | None = None
    with raises("format", "looks damaged or truncated"):
        result = bounded(lambda: read_file(path))
    assert result is None
