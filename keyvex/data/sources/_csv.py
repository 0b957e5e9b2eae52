"""CSV/TSV reading: encoding and delimiter sniffing, then a bounded streaming parse.

Decisions:

* Encoding, in order: a BOM (UTF-8, UTF-16 LE/BE); BOM-less UTF-16 recognised by its NUL
  pattern (ASCII text in UTF-16 has a NUL in every other byte); UTF-8 when the 64 KB sample
  decodes as UTF-8; otherwise Windows-1252 (what Excel on a Western Windows writes), with the
  five bytes cp1252 leaves undefined read as Latin-1. charset-normalizer is deliberately not
  used: on short Western samples its answer wavers between cp1250, cp1252 and mac_roman, and a
  wrong guess silently garbles every accent, whereas cp1252 is predictable and right for the
  files our users export.
* Bytes that do not decode later in the file (a UTF-8 file with a few Latin-1 bytes pasted in)
  are read as cp1252, byte by byte, and reported once in ``Dataset.warnings`` with the offset
  of the first one: the rest of the file keeps its correct UTF-8 text.
* Delimiter: among ``,`` ``;`` TAB ``|``, the one that splits most sample records into the
  same number of fields (quotes respected); ``,`` when none does. ``.tsv`` files use TAB.
* Hostile input is bounded: 1 MB per field (``csv.field_size_limit``, raised process-wide
  from the 128 KB default), 8 MB per physical line, 1,000 columns; each gives ``too_large``
  naming the line. NUL characters are removed (with a warning). Cells are strings, ``None``
  when empty; a cell starting with ``=``, ``+``, ``-`` or ``@`` stays plain text. Fully empty
  rows are skipped.
"""

from __future__ import annotations

import codecs
import csv
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from keyvex.data._types import Cell, Dataset, SourceError, unique_columns

SAMPLE_BYTES = 64 * 1024
CHUNK_BYTES = 1024 * 1024
FIELD_LIMIT = 1_000_000
LINE_LIMIT = 8_000_000
MAX_COLUMNS = 1_000
DELIMITERS = (",", ";", "\t", "|")
_FALLBACK = "keyvex-cp1252-bytes"

csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))


@dataclass(frozen=True, slots=True)
class CsvDialect:
    """How to read a delimited text file.

    ``encoding`` is a Python codec name usable for the whole stream: ``utf-8-sig`` and
    ``utf-16`` consume their BOM; ``utf-16-le``/``utf-16-be`` are BOM-less UTF-16.
    """

    encoding: str
    delimiter: str
    quotechar: str = '"'
    bom: bool = False


@dataclass
class _Decoding:
    """Where the fallback error handler reports undecodable bytes for the current read."""

    base: int = 0
    count: int = 0
    first: int | None = None


_state = threading.local()


def _byte_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    tracker: _Decoding | None = getattr(_state, "decoding", None)
    if tracker is not None:
        tracker.count += len(bad)
        if tracker.first is None:
            tracker.first = tracker.base + exc.start
    return "".join(_cp1252_char(b) for b in bad), exc.end


def _cp1252_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: Latin-1 control characters


codecs.register_error(_FALLBACK, _byte_fallback)


def sniff_encoding(sample: bytes) -> tuple[str, bool]:
    """The codec of ``sample`` and whether it starts with a BOM."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", True
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", True
    pairs = len(sample) // 2
    if pairs >= 2:
        even = sample[0 : pairs * 2 : 2].count(0)
        odd = sample[1 : pairs * 2 : 2].count(0)
        if odd >= pairs * 0.3 and even <= pairs * 0.05:
            return "utf-16-le", False
        if even >= pairs * 0.3 and odd <= pairs * 0.05:
            return "utf-16-be", False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "cp1252", False
    return "utf-8", False


def _records(text: str) -> list[str]:
    """Split text into records at newlines outside quotes (the last one may be cut short)."""
    records, start, quoted = [], 0, False
    for match in re.finditer(r'"|\r\n|\n|\r', text):
        token = match.group()
        if token == '"':
            quoted = not quoted
        elif not quoted:
            records.append(text[start : match.start()])
            start = match.end()
    records.append(text[start:])
    return records


def _unquoted(record: str) -> str:
    return re.sub(r'"[^"]*"', "", record)


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits most sample records into the same number of fields."""
    records = _records(text)
    records = [r for r in (records[:-1] or records) if r.strip()][:50]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        counts = [_unquoted(r).count(delimiter) for r in records]
        nonzero = [c for c in counts if c]
        if not nonzero:
            continue
        mode = max(set(nonzero), key=nonzero.count)
        score = (counts.count(mode), mode)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def sniff_csv(sample: bytes) -> CsvDialect:
    """Encoding and delimiter of a CSV file from its first bytes (64 KB is plenty)."""
    encoding, bom = sniff_encoding(sample)
    decoder = codecs.getincrementaldecoder(encoding)(_FALLBACK)
    text = decoder.decode(sample[:SAMPLE_BYTES], final=False)
    return CsvDialect(encoding=encoding, delimiter=sniff_delimiter(text), bom=bom)


def _decoded(stream: BinaryIO, encoding: str, tracker: _Decoding) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(encoding)(_FALLBACK)
    consumed = 0
    _state.decoding = tracker
    try:
        while chunk := stream.read(CHUNK_BYTES):
            tracker.base = consumed - len(decoder.getstate()[0])
            consumed += len(chunk)
            yield decoder.decode(chunk)
        tracker.base = consumed - len(decoder.getstate()[0])
        yield decoder.decode(b"", final=True)
    finally:
        _state.decoding = None


_BREAK = re.compile(r"(\r\n|\n|\r)")


@dataclass
class _Lines:
    """Physical lines of the decoded text, each at most LINE_LIMIT characters long.

    Only LF, CRLF and CR end a line: ``str.splitlines`` would also split at U+2028 and more,
    which are data inside a cell.
    """

    pieces: Iterator[str]
    number: int = 0
    had_nul: bool = False

    def __iter__(self) -> Iterator[str]:
        pending = ""
        for piece in self.pieces:
            if "\x00" in piece:
                piece, self.had_nul = piece.replace("\x00", ""), True
            pending += piece
            held = pending.endswith("\r")  # its \n may open the next piece
            parts = _BREAK.split(pending[:-1] if held else pending)
            pending = parts[-1] + ("\r" if held else "")
            for text, end in zip(parts[0:-1:2], parts[1::2], strict=True):
                self.number += 1
                yield text + end
            if len(pending) > LINE_LIMIT:
                raise _too_long(self.number + 1)
        if pending:
            self.number += 1
            yield pending


def _too_long(line: int) -> SourceError:
    return SourceError(
        "too_large", f"Line {line} is longer than {LINE_LIMIT // 1_000_000} MB; is this a CSV file?"
    )


def _check_width(line: str, delimiter: str, number: int) -> None:
    if line.count(delimiter) >= MAX_COLUMNS and _unquoted(line).count(delimiter) >= MAX_COLUMNS:
        raise _too_wide(number)


def _too_wide(line: int) -> SourceError:
    return SourceError("too_large", f"Line {line} has more than {MAX_COLUMNS:,} columns.")


def _checked(lines: _Lines, delimiter: str) -> Iterator[str]:
    for line in lines:
        if len(line) > LINE_LIMIT:
            raise _too_long(lines.number)
        _check_width(line, delimiter, lines.number)
        yield line


def read_csv(
    path: Path, *, dialect: CsvDialect | None, tsv: bool, limit: int | None, max_rows: int
) -> Dataset:
    """Parse the file row by row; keep at most ``limit`` (or ``max_rows``) rows."""
    with path.open("rb") as stream:
        dialect = dialect or sniff_csv(stream.read(SAMPLE_BYTES))
        if tsv:
            dialect = replace(dialect, delimiter="\t")
        stream.seek(0)
        tracker = _Decoding()
        lines = _Lines(_decoded(stream, dialect.encoding, tracker))
        reader = csv.reader(
            _checked(lines, dialect.delimiter),
            delimiter=dialect.delimiter,
            quotechar=dialect.quotechar,
            doublequote=True,
            strict=False,
        )
        dataset = _collect(reader, lines, limit=limit, max_rows=max_rows)
    if tracker.count:
        dataset.warnings.append(
            f"{tracker.count:,} byte(s) were not valid {_codec_label(dialect.encoding)} "
            f"(the first at byte offset {tracker.first:,}); they were read as Windows-1252."
        )
    if lines.had_nul:
        dataset.warnings.append("The file contains NUL characters; they were removed.")
    return dataset


def _codec_label(encoding: str) -> str:
    return {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "cp1252": "Windows-1252"}.get(
        encoding, "UTF-16"
    )


def _collect(
    reader: Iterator[list[str]], lines: _Lines, *, limit: int | None, max_rows: int
) -> Dataset:
    keep = limit if limit is not None else max_rows
    header: list[str] | None = None
    rows: list[list[Cell]] = []
    count, width, warnings = 0, 0, []
    try:
        for record in reader:
            if not any(record):
                continue
            if header is None:
                if len(record) > MAX_COLUMNS:
                    raise _too_wide(lines.number)
                header, width = record, len(record)
                continue
            count += 1
            if limit is None and count > max_rows:
                raise SourceError(
                    "too_large",
                    f"The file has more than {max_rows:,} data rows; the limit is {max_rows:,}.",
                )
            if len(record) > width:
                if len(record) > MAX_COLUMNS:
                    raise _too_wide(lines.number)
                if width == len(header):
                    warnings.append(f"Line {lines.number} has more cells than the header row.")
                width = len(record)
            if len(rows) < keep:
                rows.append([cell or None for cell in record])
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise SourceError(
                "too_large",
                f"A field on line {lines.number} is larger than {FIELD_LIMIT // 1_000_000} MB.",
            ) from None
        raise SourceError("format", f"Line {lines.number} is not valid CSV: {exc}.") from None
    if header is None:
        return Dataset(columns=[], rows=[], row_count=0, warnings=["The file is empty."])
    columns = unique_columns(header + [None] * (width - len(header)))
    for row in rows:
        row.extend([None] * (width - len(row)))
    return Dataset(columns, rows, row_count=count, truncated=count > len(rows), warnings=warnings)
