"""Driver errors of SQL sources (psycopg, PyMySQL, sqlite3) as SourceErrors a creator can act on.

PostgreSQL errors are read by SQLSTATE (connection failures, which psycopg reports without
one, by their text), MySQL/MariaDB errors by their error number, SQLite errors by their text.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError

from keyvex.data._types import FailureKind, SourceError


def timed_out(timeout: float) -> SourceError:
    return SourceError("timeout", f"The query did not finish within {timeout:g} seconds.")


_PG_KINDS: dict[str, FailureKind] = {
    "28P01": "auth", "28000": "auth", "42501": "auth",
    "3D000": "not_found", "42P01": "not_found", "42703": "not_found", "42883": "not_found",
    "3F000": "not_found", "42704": "not_found",
    "57014": "timeout", "25006": "refused", "42601": "config",
}  # fmt: skip
_MYSQL_KINDS: dict[int, FailureKind] = {
    1045: "auth", 1044: "auth", 1142: "auth", 1143: "auth", 1698: "auth",
    1049: "not_found", 1146: "not_found", 1054: "not_found", 1305: "not_found",
    1109: "not_found", 1969: "timeout", 3024: "timeout", 2013: "timeout",
    1792: "refused", 1290: "refused", 2003: "unreachable", 2005: "unreachable",
    2006: "unreachable", 1064: "config",
}  # fmt: skip

#: SQL Server error numbers (pymssql passes them as the first argument).
_MSSQL_KINDS: dict[int, FailureKind] = {
    18456: "auth", 18452: "auth", 229: "auth", 230: "auth", 262: "auth",
    4060: "not_found", 208: "not_found", 207: "not_found", 2812: "not_found",
    20009: "unreachable", 20002: "unreachable", 20003: "timeout", 3906: "refused",
    102: "config", 156: "config",
}  # fmt: skip
_MSSQL_CONNECT = frozenset({18456, 18452, 4060, 20009, 20002})


def translate(
    exc: BaseException, *, where: str, database: str, timeout: float, password: str
) -> SourceError:
    """One sentence for a driver error (raw or wrapped by SQLAlchemy): server text only for
    query errors, never the URL, and the password masked even there."""
    if isinstance(exc, SourceError):
        return exc
    orig = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    kind, detail = _classify(orig)
    if len(password) >= 4:
        detail = detail.replace(password, "***")
    if kind == "timeout":
        return timed_out(timeout)
    if kind == "unreachable":
        return SourceError("unreachable", f"Could not connect to the database server at {where}.")
    if kind == "auth" and detail.startswith("connect:"):
        return SourceError("auth", f"The database at {where} refused the user name or password.")
    if kind == "not_found" and detail.startswith("connect:"):
        return SourceError("not_found", f"The database '{database}' does not exist at {where}.")
    messages: dict[FailureKind, str] = {
        "auth": "The database user may not read this data",
        "not_found": "The query names something the database does not have",
        "refused": "The database refused the query because the connection is read-only",
        "config": "The query is not valid for this database",
        "format": "The database could not run the query",
    }
    text = detail.removeprefix("query:").strip()[:300]
    return SourceError(kind, f"{messages.get(kind) or messages['format']}: {text}")


def _classify(orig: BaseException) -> tuple[FailureKind, str]:
    """(failure kind, "connect:..." or "query:..." server text) for a driver exception."""
    module = type(orig).__module__
    if module.startswith("pymysql"):
        code = orig.args[0] if orig.args and isinstance(orig.args[0], int) else 0
        text = str(orig.args[1]) if len(orig.args) > 1 else ""
        phase = "connect:" if code in (1045, 1698, 1049) else "query:"
        return _MYSQL_KINDS.get(code, "config"), phase + text
    if module.startswith("psycopg"):
        sqlstate = getattr(orig, "sqlstate", None)
        if sqlstate is None:  # psycopg reports connection failures without a SQLSTATE
            return _pg_connect_failure(str(orig).lower()), "connect:"
        diag = getattr(orig, "diag", None)
        text = (getattr(diag, "message_primary", None) or str(orig)).strip()
        fallback: FailureKind = "format" if sqlstate.startswith("22") else "config"
        return _PG_KINDS.get(sqlstate, fallback), "query:" + text
    if module.startswith("pymssql"):
        args = orig.args[0] if orig.args and isinstance(orig.args[0], tuple) else orig.args
        code = args[0] if args and isinstance(args[0], int) else 0
        raw = args[1] if len(args) > 1 else b""
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        phase = "connect:" if code in _MSSQL_CONNECT else "query:"
        first = text.strip().splitlines()[0] if text.strip() else ""
        return _MSSQL_KINDS.get(code, "config"), phase + first
    if isinstance(orig, sqlite3.Error):
        return _classify_sqlite(str(orig))
    if isinstance(orig, OSError):
        return "unreachable", "connect:"
    return "format", f"query:{type(orig).__name__}"


def _pg_connect_failure(text: str) -> FailureKind:
    if "password" in text or "authentication" in text or "role" in text:
        return "auth"
    if "database" in text and "does not exist" in text:
        return "not_found"
    return "timeout" if "timeout" in text else "unreachable"


def _classify_sqlite(text: str) -> tuple[FailureKind, str]:
    low = text.lower()
    checks: tuple[tuple[str, FailureKind], ...] = (
        ("interrupted", "timeout"),
        ("no such", "not_found"),
        ("readonly", "refused"),
        ("read-only", "refused"),
        ("not a database", "format"),
        ("syntax error", "config"),
    )
    for needle, kind in checks:
        if needle in low:
            return kind, "query:" + text
    return "config", "query:" + text
