"""SQL database sources: one checked, read-only SELECT against PostgreSQL, MariaDB/MySQL,
SQL Server or an uploaded SQLite file.

Layers of protection, each enough on its own for the common case:

- the statement is checked before it is sent (``_sqlcheck.check_select``): one SELECT, no
  writes, no locking clauses, no denied functions;
- it runs in a read-only transaction where the database has one (PostgreSQL:
  ``default_transaction_read_only`` for the session plus ``SET TRANSACTION READ ONLY``;
  MariaDB/MySQL: ``SET SESSION TRANSACTION READ ONLY`` plus ``START TRANSACTION READ ONLY``),
  with a statement timeout (``statement_timeout``, ``max_statement_time``, ``max_execution_time``)
  and a connect timeout, and the transaction is always rolled back, never committed. SQL
  Server (pymssql) has no read-only transaction: the checker and the rollback protect it,
  with the driver's query timeout; grant the source's login read access only. No SQL Server
  runs here, so only its driver paths that need no server are tested;
- rows are streamed (server-side cursors) and the fetch stops past ``ctx.max_rows``.

SSRF: the URL's host is user-controlled, so it is resolved once and every address must be
public (``keyvex.net.outbound.checked_address``; loopback only when ``ctx.allow_loopback``,
for tests);
the driver connects to the checked address (PostgreSQL: ``hostaddr`` with the name kept as
``host`` for TLS; MySQL: the address as host), so DNS rebinding cannot redirect it. Known
limitation: databases on private networks (a self-hosted Keyvex next to its database) are
refused; a future setting may allow listed private ranges.

SQLite files on the server are refused (a path could read Keyvex's own database); an
uploaded file (``blob_key``, in ``ctx.blobs``) is copied to a private temp file and opened
read-only (``mode=ro``) with a progress-handler deadline.

URLs carry no password (it is a secret field) and only the query options ``sslmode``
(PostgreSQL) and ``charset`` (MySQL): any other option could redirect the driver (``host``,
``hostaddr``, ``unix_socket``) or read server files (``sslkey``, ``passfile``). Messages are
built here, never copied from SQLAlchemy (whose errors may contain the URL).
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

import anyio
from pydantic import Field, ValidationError, model_validator
from sqlalchemy import URL, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import NullPool

from keyvex.data._types import (
    Cell,
    Connector,
    Dataset,
    SecretField,
    SourceConfig,
    SourceContext,
    SourceError,
    clean_cell,
    unique_columns,
    upload_field,
)
from keyvex.data.sources import register
from keyvex.data.sources._sqlcheck import check_select
from keyvex.data.sources._sqlerrors import timed_out, translate
from keyvex.errors import KeyvexError
from keyvex.net.outbound import HostUnresolved, NonPublicAddress, checked_address

Family = Literal["postgresql", "mysql", "mssql", "sqlite"]
_FAMILIES: dict[str, tuple[Family, str, str, int, frozenset[str]]] = {
    # backend: (family, SQLAlchemy driver, sqlglot dialect, default port, allowed URL options)
    "postgresql": ("postgresql", "postgresql+psycopg", "postgres", 5432, frozenset({"sslmode"})),
    "postgres": ("postgresql", "postgresql+psycopg", "postgres", 5432, frozenset({"sslmode"})),
    "mysql": ("mysql", "mysql+pymysql", "mysql", 3306, frozenset({"charset"})),
    "mariadb": ("mysql", "mysql+pymysql", "mysql", 3306, frozenset({"charset"})),
    "mssql": ("mssql", "mssql+pymssql", "tsql", 1433, frozenset()),
}
_SSLMODES = frozenset({"disable", "allow", "prefer", "require", "verify-ca", "verify-full"})
_SUPPORTED = "postgresql://, mysql://, mariadb:// and mssql://"
_FETCH_CHUNK = 1000


class SqlConfig(SourceConfig):
    """A database URL without password (or an uploaded SQLite file) and one SELECT."""

    url: str = Field(
        "",
        max_length=2000,
        title="Database URL",
        description="Without the password, e.g. postgresql://reader@db.example.com/shop "
        "(PostgreSQL, MySQL, MariaDB or SQL Server). Leave it empty for an SQLite file.",
    )
    query: str = Field(
        min_length=1,
        max_length=20_000,
        title="Query",
        description="One SELECT statement; it runs read-only with a time limit.",
    )
    #: An uploaded SQLite file (``uploads/{owner}/...`` in the blob store) instead of a URL.
    blob_key: str | None = Field(
        default=None,
        max_length=512,
        title="SQLite database file",
        description="Instead of a database server: an SQLite file (.sqlite, .sqlite3 or .db).",
        json_schema_extra=upload_field((".sqlite", ".sqlite3", ".db")),
    )

    @model_validator(mode="after")
    def _one_target(self) -> SqlConfig:
        if bool(self.url) == bool(self.blob_key):
            raise ValueError("give either a database URL or an uploaded SQLite file")
        return self


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything ``run_plan`` needs: a checked query and where to send it."""

    family: Family
    url: URL
    query: str
    host: str
    timeout: float
    max_rows: int
    connect_args: dict[str, Any] = field(default_factory=dict)
    password: str = field(default="", repr=False)


async def prepare(config: SqlConfig, secrets: Mapping[str, str], ctx: SourceContext) -> Plan:
    """Check the URL, the statement and the host's addresses; SourceError otherwise."""
    url = _parse_url(config.url)
    family, driver, dialect, default_port, allowed = _FAMILIES[url.get_backend_name()]
    _check_options(url, allowed)
    if family == "mssql" and importlib.util.find_spec("pymssql") is None:
        raise SourceError(
            "config", "The SQL Server driver (pymssql) is not installed on this Keyvex server."
        )
    query = check_select(config.query, dialect)
    host, port = str(url.host), url.port or default_port
    address = await _checked_address(host, port, ctx.allow_loopback)
    password = secrets.get("password") or ""
    plan_url = url.set(drivername=driver, port=port, password=password or None)
    connect_args = _connect_args(family, ctx.timeout)
    if family == "postgresql":
        connect_args["hostaddr"] = address
    else:
        plan_url = plan_url.set(host=address)
    return Plan(family, plan_url, query, host, ctx.timeout, ctx.max_rows, connect_args, password)


def _parse_url(raw: str) -> URL:
    example = "use the form postgresql://user@db.example.com:5432/database"
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError):
        raise SourceError("config", f"The database URL is not valid; {example}.") from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        raise SourceError(
            "refused",
            "SQLite files on the Keyvex server cannot be opened; upload the .sqlite file instead.",
        )
    if backend not in _FAMILIES:
        raise SourceError(
            "config", f"The database type '{backend}' is not supported; use {_SUPPORTED}."
        )
    if url.password:
        raise SourceError(
            "config", "The URL contains a password; put the password in the password field."
        )
    if not url.host or any(c in url.host for c in ",/"):
        raise SourceError("config", f"The database URL needs one host name; {example}.")
    if not url.username:
        raise SourceError("config", f"The database URL needs a user name; {example}.")
    return url


def _check_options(url: URL, allowed: frozenset[str]) -> None:
    for name, value in url.query.items():
        if name not in allowed:
            options = ", ".join(sorted(allowed)) or "none"
            raise SourceError(
                "config", f"The URL option '{name}' is not allowed (allowed: {options})."
            )
        if name == "sslmode" and value not in _SSLMODES:
            raise SourceError("config", f"sslmode must be one of {', '.join(sorted(_SSLMODES))}.")


async def _checked_address(host: str, port: int, allow_loopback: bool) -> str:
    try:
        return await checked_address(host, port, allow_loopback=allow_loopback)
    except HostUnresolved:
        raise SourceError("unreachable", f"The host {host} could not be resolved.") from None
    except NonPublicAddress as exc:
        raise SourceError(
            "refused",
            f"{host} resolves to {exc.address}, {exc.reason}; Keyvex connects only to public "
            "database servers.",
        ) from None


def _connect_args(family: Family, timeout: float) -> dict[str, Any]:
    connect = max(2, min(int(timeout), 15))
    if family == "postgresql":
        ms = max(1, int(timeout * 1000))
        options = f"-c default_transaction_read_only=on -c statement_timeout={ms}"
        return {"connect_timeout": connect, "options": options}
    if family == "mysql":
        return {"connect_timeout": connect, "read_timeout": int(timeout) + 5}
    return {"login_timeout": connect, "timeout": max(1, int(timeout))}


def sqlite_plan(path: Path, query: str, ctx: SourceContext) -> Plan:
    """A plan for an uploaded SQLite file copied to ``path`` (opened read-only)."""
    checked = check_select(query, "sqlite")
    url = make_url(f"sqlite:///file:{quote(str(path))}?mode=ro&uri=true")
    return Plan("sqlite", url, checked, "the uploaded file", ctx.timeout, ctx.max_rows)


def run_plan(plan: Plan, limit: int | None = None) -> Dataset:
    """Run the plan's query in a read-only transaction (blocking; call it in a thread)."""
    engine = create_engine(plan.url, connect_args=plan.connect_args, poolclass=NullPool)
    deadline = time.monotonic() + plan.timeout
    if plan.family == "sqlite":
        event.listen(engine, "connect", _sqlite_guard(deadline))
    try:
        with engine.connect() as sa_conn:
            dbapi: Any = sa_conn.connection.driver_connection
            mariadb = bool(getattr(sa_conn.dialect, "is_mariadb", False))
            try:
                _begin_read_only(dbapi, plan, mariadb)
                return _read(dbapi, plan, limit, deadline, mariadb)
            finally:
                dbapi.rollback()
    except SourceError:
        raise
    except Exception as exc:  # driver errors, raw or wrapped by SQLAlchemy
        raise _translate(exc, plan) from None
    finally:
        engine.dispose()


def _sqlite_guard(deadline: float) -> Callable[[Any, Any], None]:
    def on_connect(connection: sqlite3.Connection, _record: Any) -> None:
        connection.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        connection.execute("PRAGMA query_only = ON")

    return on_connect


def _begin_read_only(dbapi: Any, plan: Plan, mariadb: bool) -> None:
    cursor = dbapi.cursor()
    try:
        if plan.family == "postgresql":
            cursor.execute("SET TRANSACTION READ ONLY")
        elif plan.family == "mysql":
            if mariadb:
                cursor.execute(f"SET SESSION max_statement_time = {plan.timeout:.3f}")
            else:
                cursor.execute(f"SET SESSION max_execution_time = {int(plan.timeout * 1000)}")
            cursor.execute("SET SESSION TRANSACTION READ ONLY")
            cursor.execute("START TRANSACTION READ ONLY")
    finally:
        cursor.close()


def _stream_cursor(dbapi: Any, plan: Plan) -> Any:
    if plan.family == "postgresql":
        return dbapi.cursor(name="keyvex_source")
    if plan.family == "mysql":
        import pymysql.cursors

        return dbapi.cursor(pymysql.cursors.SSCursor)
    return dbapi.cursor()


def _read(dbapi: Any, plan: Plan, limit: int | None, deadline: float, mariadb: bool) -> Dataset:
    wanted = plan.max_rows + 1 if limit is None else min(limit, plan.max_rows)
    cursor = _stream_cursor(dbapi, plan)
    try:
        cursor.execute(plan.query)
        columns = unique_columns([d[0] for d in cursor.description or ()])
        rows: list[list[Cell]] = []
        while len(rows) < wanted:
            chunk = cursor.fetchmany(min(_FETCH_CHUNK, wanted - len(rows)))
            if not chunk:
                break
            rows.extend([_cell(v) for v in row] for row in chunk)
            if time.monotonic() > deadline:
                raise _timeout(plan)
        exhausted = len(rows) < wanted
    finally:
        cursor.close()
    if limit is None:
        if len(rows) > plan.max_rows:
            raise SourceError(
                "too_large",
                f"The query returns more than {plan.max_rows:,} rows; add a WHERE or LIMIT clause.",
            )
        return Dataset(columns, rows)
    total = len(rows) if exhausted else _count(dbapi, plan, mariadb)
    dataset = Dataset(columns, rows, row_count=total, truncated=total > len(rows))
    if total > plan.max_rows:
        dataset.warnings.append(
            f"The query returns {total:,} rows, more than the limit of {plan.max_rows:,}; "
            "a full fetch would be refused."
        )
    return dataset


def _count(dbapi: Any, plan: Plan, mariadb: bool) -> int:
    """The exact row count: COUNT(*) around the query, else (e.g. duplicate column names in a
    MySQL derived table) streaming the query again and counting."""
    cursor = dbapi.cursor()
    try:
        cursor.execute(f"SELECT COUNT(*) FROM (\n{plan.query}\n) AS keyvex_count")
        return int(cursor.fetchone()[0])
    except Exception as exc:
        if _translate(exc, plan).kind in ("timeout", "refused", "unreachable"):
            raise
    finally:
        cursor.close()
    dbapi.rollback()
    _begin_read_only(dbapi, plan, mariadb)
    cursor = _stream_cursor(dbapi, plan)
    try:
        cursor.execute(plan.query)
        total = 0
        while chunk := cursor.fetchmany(_FETCH_CHUNK):
            total += len(chunk)
        return total
    finally:
        cursor.close()


def _cell(value: Any) -> Cell:
    if isinstance(value, dict | list):
        return json.dumps(value, default=str, ensure_ascii=False)
    return clean_cell(value)


def _timeout(plan: Plan) -> SourceError:
    return timed_out(plan.timeout)


def _translate(exc: BaseException, plan: Plan) -> SourceError:
    where = f"{plan.host}:{plan.url.port}" if plan.family != "sqlite" else plan.host
    database = plan.url.database or ""
    return translate(
        exc, where=where, database=database, timeout=plan.timeout, password=plan.password
    )


def _config(config: Any) -> SqlConfig:
    if isinstance(config, SqlConfig):
        return config
    try:
        return SqlConfig.model_validate(config)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "settings"
        raise SourceError("config", f"SQL source {where}: {first['msg']}.") from None


def _copy_blob(ctx: SourceContext, key: str, folder: Path) -> Path:
    if ctx.blobs is None:
        raise SourceError("config", "No file store is configured for uploaded SQLite files.")
    path = folder / "upload.sqlite"
    try:
        source = ctx.blobs.open(key)
    except KeyvexError:
        raise SourceError(
            "not_found", "The uploaded SQLite file no longer exists; upload it again."
        ) from None
    size = 0
    with source, path.open("wb") as out:
        while chunk := source.read(1 << 20):
            size += len(chunk)
            if size > ctx.max_bytes:
                raise SourceError(
                    "too_large", f"The SQLite file is larger than {ctx.max_bytes:,} bytes."
                )
            out.write(chunk)
    with path.open("rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise SourceError("format", "The uploaded file is not an SQLite database.")
    return path


class SqlConnector(Connector):
    source_type = "sql"
    label = "SQL database"
    config_model = SqlConfig
    secret_fields = ("password",)
    optional_secrets = ("password",)
    secret_help = {
        "password": SecretField(
            "Password", "The database user's password, if it has one. Stored encrypted."
        )
    }

    async def fetch(
        self,
        config: Any,
        secrets: Mapping[str, str],
        ctx: SourceContext,
        *,
        limit: int | None = None,
    ) -> Dataset:
        cfg = _config(config)
        if cfg.blob_key:
            with tempfile.TemporaryDirectory(prefix="keyvex-sqlite-") as folder:
                path = await anyio.to_thread.run_sync(_copy_blob, ctx, cfg.blob_key, Path(folder))
                plan = sqlite_plan(path, cfg.query, ctx)
                return await anyio.to_thread.run_sync(run_plan, plan, limit)
        plan = await prepare(cfg, secrets, ctx)
        return await anyio.to_thread.run_sync(run_plan, plan, limit)


register(SqlConnector())
