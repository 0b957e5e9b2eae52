"""Workbooks and Access files are parsed in a child process with memory, time and output limits.

A child that runs out of memory (calamine aborts), out of time or out of output becomes one
sentence; this test process, like the server, never notices anything else.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from keyvex.data import SourceError
from keyvex.data.sources import _sandbox
from keyvex.data.sources.files import list_sheets, read_file

from ._workbooks import FILES, SANDBOX_STOPPED, write_xlsx

REPO = Path(__file__).resolve().parents[2]


def test_a_small_workbook_is_read_through_the_sandbox_quickly(tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "b.xlsx", {"Prices": [["Product", "Price"], ["Tea", 2.5]]})
    started = time.perf_counter()
    dataset = read_file(book)
    assert time.perf_counter() - started < 5  # about 0.2 s: a process start and its imports
    assert (dataset.columns, dataset.rows) == (["Product", "Price"], [["Tea", 2.5]])
    assert list_sheets(book) == ["Prices"]


def test_rows_come_back_exactly_with_their_types_and_padding(tmp_path: Path) -> None:
    rows = [["a", "b", "c"], [1, 2.5, True], ["x\ny", None, None], [None, "é ✓", -(2**40)]]
    book = write_xlsx(tmp_path / "b.xlsx", {"S": rows})
    dataset = read_file(book)
    assert dataset.rows == [[1, 2.5, True], ["x\ny", None, None], [None, "é ✓", -(2**40)]]
    assert [type(v) for v in dataset.rows[0]] == [int, float, bool]
    assert read_file(book, limit=1).rows == [[1, 2.5, True]]


def test_a_workbook_needing_more_memory_than_allowed_is_refused(tmp_path: Path) -> None:
    rows = [["n", *"abcde"]] + [[i] + [f"row {i} " * 8] * 5 for i in range(40_000)]
    book = write_xlsx(tmp_path / "big.xlsx", {"S": rows})
    with pytest.raises(SourceError, match="could not be read within 64 MB of memory") as info:
        read_file(book, memory=64_000_000)
    assert info.value.kind == "too_large"
    assert read_file(book).row_count == 40_000  # the default 256 MB is enough


def test_a_reader_over_its_time_is_stopped(tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "b.xlsx", {"S": [["a"], [1]]})
    with pytest.raises(SourceError, match="took longer than 0.01 s") as info:
        read_file(book, timeout=0.01)
    assert info.value.kind == "timeout"


def test_a_reader_writing_more_than_its_output_limit_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_sandbox, "MIN_OUTPUT", 10_000)
    book = write_xlsx(tmp_path / "b.xlsx", {"S": [["text"]] + [["same words " * 5]] * 2000})
    assert book.stat().st_size < 20_000
    with pytest.raises(SourceError, match="larger than .* as text"):
        read_file(book, max_bytes=20_000)  # 40 KB of output at most


def test_a_reader_that_aborts_is_one_sentence_and_this_process_lives_on() -> None:
    """calamine asks for about 1 GB and aborts on the refusal (SIGABRT): before the sandbox,
    that took the server with it."""
    for _ in range(3):
        with pytest.raises(SourceError, match=SANDBOX_STOPPED) as info:
            read_file(FILES / "a_to_iv65536.xls")
        assert "memory allocation" not in info.value.message
        with pytest.raises(SourceError, match=SANDBOX_STOPPED):
            list_sheets(FILES / "a_to_iv65536.xls")


def test_the_reader_before_the_sandbox_really_aborted_its_process() -> None:
    """What the sandbox prevents, shown in a throwaway process: calamine on the hostile file
    kills the interpreter with SIGABRT (never run in this process)."""
    code = (
        "import resource\n"
        "resource.setrlimit(resource.RLIMIT_AS, (512_000_000, 512_000_000))\n"
        "resource.setrlimit(resource.RLIMIT_CORE, (0, 0))\n"
        "from python_calamine import CalamineWorkbook\n"
        f"CalamineWorkbook.from_path({str(FILES / 'a_to_iv65536.xls')!r})\n"
    )
    env = {**os.environ, "RUST_BACKTRACE": "0"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60, env=env)
    assert done.returncode < 0, done.stderr[-300:]
    assert b"memory allocation" in done.stderr


def test_the_child_finds_the_package_from_any_directory(tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "b.xlsx", {"S": [["a"], [1]]})
    code = (
        "from pathlib import Path\n"
        "from keyvex.data.sources.files import read_file\n"
        f"print(read_file(Path({str(book)!r})).rows)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, timeout=60, env=env
    )
    assert done.stdout.strip() == b"[[1]]", done.stderr[-500:]
