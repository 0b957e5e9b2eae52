"""Untrusted files are parsed in a child process with memory, time and output limits.

Workbooks (.xlsx, .xls, .ods) are parsed by calamine (Rust) and Access files by a parser that
trusts the file; a hostile file can make either allocate without bound, and a failed Rust
allocation aborts the whole process. So the server never parses them itself: ``read`` and
``sheets`` start a child Python (isolated mode, the server's own import path) that runs
``main`` here with the request as one JSON argument. The child sets its own limits before it
imports a parser or opens the file:

- ``RLIMIT_AS``: ``memory`` bytes of address space (``KEYVEX_DATA_READER_MEMORY_BYTES``,
  256 MB by default; a small workbook needs about 45 MB, 100,000 rows of 20 columns about 200);
- ``RLIMIT_CPU``: the time limit plus a second, a backstop should the server die first;
- ``RLIMIT_FSIZE``: its output, rows as JSON lines in a temporary file, at most
  ``max(64 MB, 2 x the upload limit)``;
- ``RLIMIT_CORE``: 0, so an abort leaves no core file behind.

The server waits at most ``timeout`` seconds (``KEYVEX_DATA_TIMEOUT_SECONDS``), then kills the
child. A child that is killed, dies on a signal or exits without an answer becomes one
``SourceError`` sentence naming the limits; its stderr goes to the server log. At most
``SLOTS`` children run at once, so a burst of uploads costs at most that many times the
memory limit; a read waits for a slot within its own time limit.

The child's output is data, never code: JSON lines (each data row an array without its trailing
empty cells, streamed as the sheet is read, so the child never holds the rows), then one
object: ``{"dataset": {...}}`` (columns, row count, warnings), ``{"sheets": [...]}`` or
``{"error": {"kind": ..., "message": ...}}``. The price is a process start: about 0.2 s a read.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path
from typing import IO, Any, cast, get_args

from keyvex.data._types import Cell, Dataset, FailureKind, SourceError
from keyvex.logs import get_logger

DEFAULT_MEMORY = 256_000_000
SLOTS = 2
MIN_OUTPUT = 64_000_000
_slots = threading.BoundedSemaphore(SLOTS)
_BOOT = (  # -I ignores PYTHON* variables and the working directory: the path is the server's
    "import json, sys; sys.path[:] = json.loads(sys.argv[2]); "
    "from keyvex.data.sources._sandbox import main; main()"
)


def read(
    path: Path, options: dict[str, Any], *, timeout: float, memory: int = DEFAULT_MEMORY
) -> Dataset:
    """The rows of a workbook or Access file, parsed in a child (``options`` as for
    ``files.read_file``: filename, sheet, table, limit, max_rows, max_bytes)."""
    rows, answer = _run({"op": "read", "path": str(path), **options}, timeout, memory)
    meta = answer.get("dataset")
    if not isinstance(meta, dict) or not isinstance(meta.get("columns"), list):
        raise _unreadable(timeout, memory)
    width = len(meta["columns"])
    for row in rows:
        row.extend([None] * (width - len(row)))
    return Dataset(
        columns=[str(c) for c in meta["columns"]],
        rows=rows,
        row_count=int(meta.get("row_count", len(rows))),
        truncated=bool(meta.get("truncated", False)),
        warnings=[str(w) for w in meta.get("warnings", [])],
    )


def sheets(path: Path, filename: str, *, timeout: float, memory: int = DEFAULT_MEMORY) -> list[str]:
    """Worksheet or table names of a workbook or Access file, read in a child."""
    _, answer = _run({"op": "sheets", "path": str(path), "filename": filename}, timeout, memory)
    names = answer.get("sheets")
    if not isinstance(names, list):
        raise _unreadable(timeout, memory)
    return [str(n) for n in names]


def _run(
    request: dict[str, Any], timeout: float, memory: int
) -> tuple[list[list[Cell]], dict[str, Any]]:
    deadline = time.monotonic() + timeout
    if not _slots.acquire(timeout=timeout):
        raise SourceError(
            "timeout", "The server is busy reading other files; try again in a minute."
        )
    try:
        output = max(MIN_OUTPUT, 2 * int(request.get("max_bytes") or 0))
        request |= {"memory": memory, "timeout": timeout, "output": output}
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            started = time.monotonic()
            code = _wait(request, out, err, deadline)
            out.seek(0)
            rows, answer = _answer(out, err, code, request)
    finally:
        _slots.release()
    seconds = round(time.monotonic() - started, 2)
    peak_mb = round(int(answer.get("peak_kb") or 0) / 1024)
    error = answer.get("error")
    _log("file parsed", request, seconds=seconds, peak_mb=peak_mb, refused=bool(error))
    if isinstance(error, dict):
        kind = error.get("kind")
        known = cast(FailureKind, kind) if kind in get_args(FailureKind) else "format"
        raise SourceError(known, str(error.get("message")))
    return rows, answer


def _wait(request: dict[str, Any], out: IO[bytes], err: IO[bytes], deadline: float) -> int:
    path = json.dumps([os.path.abspath(entry) for entry in sys.path if entry])
    child = subprocess.Popen(
        [sys.executable, "-I", "-c", _BOOT, json.dumps(request), path],
        stdin=subprocess.DEVNULL, stdout=out, stderr=err,
        env={**os.environ, "RUST_BACKTRACE": "0"},
    )  # fmt: skip
    try:
        return child.wait(timeout=max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        _log_stop(request, "timeout", err)
        raise SourceError(
            "timeout",
            f"Reading the file took longer than {request['timeout']:g} s; save it as CSV, "
            "or split it, and upload again.",
        ) from None


def _answer(
    out: IO[bytes], err: IO[bytes], code: int, request: dict[str, Any]
) -> tuple[list[list[Cell]], dict[str, Any]]:
    if code != 0 and os.fstat(out.fileno()).st_size >= request["output"]:
        # Python ignores SIGXFSZ: the write over RLIMIT_FSIZE failed and the child gave up
        raise SourceError(
            "too_large",
            f"The data in the file is larger than {request['output'] // 1_000_000} MB as "
            "text; keep fewer rows or columns and upload again.",
        )
    if code == -signal.SIGXCPU:
        _log_stop(request, "cpu limit", err)
        raise SourceError("timeout", f"Reading the file took longer than {request['timeout']:g} s.")
    rows: list[list[Cell]] = []
    answer: dict[str, Any] = {}
    try:
        for line in out:
            if line.startswith(b"["):
                rows.append(json.loads(line))
            else:
                answer = json.loads(line)
    except ValueError:
        answer = {}
    if code != 0 or not answer:
        _log_stop(request, f"exit {code}", err)
        raise _unreadable(request["timeout"], request["memory"])
    return rows, answer


def _unreadable(timeout: float, memory: int) -> SourceError:
    return SourceError(
        "too_large",
        f"The file could not be read within {memory // 1_000_000} MB of memory and "
        f"{timeout:g} s: it needs more than that, or it is damaged. Save it as CSV, or split "
        "it, and upload again.",
    )


def _log_stop(request: dict[str, Any], why: str, err: IO[bytes]) -> None:
    err.seek(0)
    stderr = err.read(2000).decode("utf-8", "replace")
    _log("file reader stopped", request, level="warning", reason=why, stderr=stderr)


def _log(event: str, request: dict[str, Any], level: str = "info", **fields: Any) -> None:
    import structlog  # here: the child never logs, and starts faster without it

    if structlog.is_configured():  # the CLI prints its one error line and nothing else
        logger = get_logger("keyvex.data")
        fields |= {"op": request.get("op"), "filename": request.get("filename")}
        getattr(logger, level)(event, **fields)


# --- the child -------------------------------------------------------------------------


def _limit(memory: int, timeout: float, output: int) -> None:
    seconds = int(timeout) + 1
    for kind, soft, hard in (
        (resource.RLIMIT_AS, memory, memory),
        (resource.RLIMIT_CPU, seconds, seconds + 1),  # soft: SIGXCPU, hard: SIGKILL
        (resource.RLIMIT_FSIZE, output, output),
        (resource.RLIMIT_CORE, 0, 0),
    ):
        _, ceiling = resource.getrlimit(kind)
        if ceiling != resource.RLIM_INFINITY:
            soft, hard = min(soft, ceiling), min(hard, ceiling)
        resource.setrlimit(kind, (soft, hard))


def _serve(request: dict[str, Any], out: IO[bytes]) -> dict[str, Any]:
    from keyvex.data.sources import files

    def emit(row: list[Cell]) -> None:
        out.write(json.dumps(row, separators=(",", ":")).encode() + b"\n")

    path = Path(request["path"])
    if request["op"] == "sheets":
        return {"sheets": files.parse_sheets(path, request["filename"])}
    dataset = files.parse_file(
        path, filename=request["filename"], sheet=request.get("sheet"),
        table=request.get("table"), limit=request.get("limit"), max_rows=request["max_rows"],
        max_bytes=request["max_bytes"], sink=emit,
    )  # fmt: skip
    for row in dataset.rows:
        emit(row)
    meta = dataset.to_json()
    del meta["rows"]
    return {"dataset": meta}


def main() -> None:
    """The child: limits first, then parse, answer on stdout, exit 0 (see the module)."""
    request = json.loads(sys.argv[1])
    _limit(int(request["memory"]), float(request["timeout"]), int(request["output"]))
    out = sys.stdout.buffer
    try:
        answer = _serve(request, out)
    except SourceError as exc:
        answer = {"error": {"kind": exc.kind, "message": exc.message}}
    except MemoryError:
        stopped = _unreadable(request["timeout"], request["memory"])
        answer = {"error": {"kind": stopped.kind, "message": stopped.message}}
    except Exception:  # a reader bug: the server logs the traceback, the creator a sentence
        traceback.print_exc()
        answer = {
            "error": {"kind": "format", "message": "The file could not be read: it looks damaged."}
        }
    answer["peak_kb"] = _peak_kb()
    out.write(json.dumps(answer).encode() + b"\n")
    out.flush()


def _peak_kb() -> int | None:
    """This process's peak resident memory since it started Python (``ru_maxrss`` would also
    count the server's memory, shared with the child until the exec)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    peak = next((line for line in status.splitlines() if line.startswith("VmHWM:")), "")
    return int(peak.split()[1]) if peak else None


if __name__ == "__main__":
    main()
