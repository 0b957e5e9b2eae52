"""Turning a file or a Dataset into a lazy polars frame of text columns (nulls normalised)."""

from __future__ import annotations

import codecs
import csv
import importlib
import io
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from keyvex.data._types import Cell, Dataset, SourceError, unique_columns

CSV_SUFFIXES = frozenset({".csv", ".tsv", ".tab", ".txt"})
#: Cell texts that mean "empty" (compared after trimming, case-insensitively).
NULL_WORDS = ("", "na", "n/a", "null", "none", "nan", "#n/a", "-")
NULL_SPELLINGS = sorted({v for w in NULL_WORDS for v in (w, w.upper(), w.title())} | {" "})
SNIFF_BYTES = 64 * 1024
_DELIMITERS = (",", ";", "\t", "|")


@dataclass
class Frame:
    """Text columns ready for profiling: ``columns`` are the names shown, ``sources`` the
    frame's own names; ``row_count`` is set when the source knows better than the rows."""

    lazy: pl.LazyFrame
    columns: list[str]
    sources: list[str]
    row_count: int | None = None
    warnings: list[str] = field(default_factory=list)
    path: Path | None = None
    delimiter: str = ","

    def head(self, rows: int) -> pl.DataFrame:
        """The first ``rows`` rows. From a file, only a prefix of about the right size is
        parsed (polars' own scan would load the whole file to read its head)."""
        if self.path is not None:
            found = _prefix(self.path, self.delimiter, rows)
            if found is not None and found.columns == self.sources:
                return found
        return self.lazy.head(rows).collect()

    def cleaned(self, index: int, *, has_null_words: bool = True) -> pl.Expr:
        """Column ``index`` as ``c{index}``, the words meaning "empty" (NA, n/a, null, -, ...)
        turned into nulls unless the caller knows there are none."""
        col = pl.col(self.sources[index])
        if has_null_words:
            col = pl.when(col.is_in(NULL_SPELLINGS)).then(None).otherwise(col)
        return col.alias(f"c{index}")


@contextmanager
def open_frame(data: Dataset | Path) -> Iterator[Frame]:
    """A frame over ``data``; a CSV/TSV path is scanned by polars straight from the file."""
    if isinstance(data, Dataset):
        yield dataset_frame(data)
        return
    path = Path(data)
    if path.suffix.lower() not in CSV_SUFFIXES:
        yield dataset_frame(read_other(path))
        return
    with _csv_frame(path) as frame:
        yield frame


def dataset_frame(dataset: Dataset) -> Frame:
    """A frame of strings built from a Dataset's rows (numbers and booleans as text)."""
    names = unique_columns(dataset.columns)
    width = len(names)
    columns: list[list[str | None]] = [[] for _ in range(width)]
    for row in dataset.rows:
        for index in range(width):
            columns[index].append(_text(row[index]) if index < len(row) else None)
    frame = pl.DataFrame(
        [
            pl.Series(name, values, dtype=pl.String)
            for name, values in zip(names, columns, strict=True)
        ]
    )
    rows = max(dataset.row_count, len(dataset.rows))
    return Frame(frame.lazy(), names, list(names), row_count=rows)


def _text(cell: Cell) -> str | None:
    if cell is None or isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "true" if cell else "false"
    return str(cell)


def read_other(path: Path, *, sheet: str | None = None, table: str | None = None) -> Dataset:
    """Spreadsheets and other formats go through the file connector's reader."""
    files = _files_module()
    if files is None:
        raise SourceError(
            "format", f"{path.name} is not a CSV or TSV file, the only formats readable here."
        )
    options = {k: v for k, v in (("sheet", sheet), ("table", table)) if v is not None}
    result: Dataset = files.read_file(path, **options)
    return result


def _files_module() -> Any:
    """keyvex.data.sources.files (read_file, sniff_csv) when it is installed, else None."""
    try:
        return importlib.import_module("keyvex.data.sources.files")
    except ModuleNotFoundError as exc:
        if exc.name != "keyvex.data.sources.files":
            raise
        return None


@contextmanager
def _csv_frame(path: Path) -> Iterator[Frame]:
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise SourceError("not_found", f"Cannot read {path.name} ({exc.strerror}).") from None
    if not head.strip():
        raise SourceError("format", f"{path.name} is empty.")
    encoding, delimiter = sniff(head, tsv=path.suffix.lower() in {".tsv", ".tab"})
    if encoding.replace("-", "").replace("_", "").lower() in {"utf8", "utf8sig", "ascii"}:
        yield _scan(path, head.decode("utf-8", "replace"), delimiter)
        return
    with tempfile.TemporaryDirectory(prefix="keyvex-analysis-") as tmp:
        target = Path(tmp) / "utf8.csv"
        transcode(path, target, encoding)
        frame = _scan(target, head.decode(encoding, "replace"), delimiter)
        frame.warnings.append(f"{path.name} was read as {encoding} text.")
        yield frame


def sniff(head: bytes, *, tsv: bool = False) -> tuple[str, str]:
    """Encoding and delimiter: the file connector's sniffer when installed, else a fallback
    (UTF-8 if it decodes, else charset-normalizer's guess; the delimiter splitting the first
    lines most evenly)."""
    files = _files_module()
    if files is not None and hasattr(files, "sniff_csv"):
        dialect = files.sniff_csv(head)
        return str(dialect.encoding), "\t" if tsv else str(dialect.delimiter)
    encoding = _encoding(head)
    text = head.decode(encoding, "replace")
    return encoding, "\t" if tsv else _delimiter(text)


def _encoding(head: bytes) -> str:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the sniff boundary
            from charset_normalizer import from_bytes

            best = from_bytes(head).best()
            return best.encoding if best is not None else "cp1252"
    return "utf-8"


def _delimiter(text: str) -> str:
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut at the sniff boundary

    def score(delim: str) -> tuple[int, int]:
        counts = [len(next(csv.reader([line], delimiter=delim))) for line in lines]
        mode = max(set(counts), key=counts.count)
        return (counts.count(mode) if mode > 1 else 0, mode)

    return max(_DELIMITERS, key=score)


def transcode(source: Path, target: Path, encoding: str, chunk: int = 1 << 20) -> None:
    """Copy ``source`` to ``target`` as UTF-8, a chunk at a time."""
    decoder = codecs.getincrementaldecoder(encoding)("replace")
    with source.open("rb") as src, target.open("w", encoding="utf-8", newline="") as out:
        while block := src.read(chunk):
            out.write(decoder.decode(block))
        out.write(decoder.decode(b"", final=True))


def _scan(path: Path, head: str, delimiter: str) -> Frame:
    """A lazy scan of every column as text (the header named as the file connector would)."""
    lazy = pl.scan_csv(path, separator=delimiter, infer_schema=False, truncate_ragged_lines=True)
    sources = lazy.collect_schema().names()
    header = next(csv.reader(io.StringIO(head.lstrip("\ufeff")), delimiter=delimiter), [])
    shown = unique_columns(header if len(header) == len(sources) else sources)
    return Frame(lazy, shown, sources, path=path, delimiter=delimiter)


def _prefix(path: Path, delimiter: str, rows: int) -> pl.DataFrame | None:
    """The first ``rows`` rows parsed from a prefix of the file sized from its first MB;
    None when the prefix would be most of the file anyway or does not parse."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        probe = handle.read(1 << 20)
        per_row = len(probe) / max(1, probe.count(b"\n"))
        want = int(per_row * (rows + 1) * 1.25) + 65536
        if want * 2 >= size:
            return None
        handle.seek(0)
        data = handle.read(want)
    try:
        return pl.read_csv(
            data[: _row_end(data)],
            separator=delimiter,
            infer_schema=False,
            n_rows=rows,
            truncate_ragged_lines=True,
        )
    except pl.exceptions.PolarsError:
        return None


def _row_end(data: bytes) -> int:
    """Where the last complete row of ``data`` ends: after a newline outside quotes (an even
    number of quote characters before it, since CSV escapes quotes by doubling them)."""
    cut = data.rfind(b"\n")
    quotes = data.count(b'"', 0, max(cut, 0))
    while cut > 0 and quotes % 2:
        previous = data.rfind(b"\n", 0, cut)
        quotes -= data.count(b'"', previous + 1, cut)
        cut = previous
    return cut + 1 if cut > 0 else len(data)
