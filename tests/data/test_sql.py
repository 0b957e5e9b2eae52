"""SQL sources against the real PostgreSQL and MariaDB here, and against an uploaded SQLite file."""

from __future__ import annotations

import dataclasses
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest

from keyvex.data import SourceContext, SourceError
from keyvex.data.sources import connector
from keyvex.data.sources.sql import SqlConfig, prepare, run_plan, sqlite_plan
from keyvex.store.blobs import LocalBlobStore

from ._sql_servers import MARIADB, POSTGRES, Server, require

pytestmark = pytest.mark.anyio

LOOPBACK = SourceContext(allow_loopback=True, timeout=10)
SQL = connector("sql")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=[POSTGRES, MARIADB], ids=lambda s: s.name)
def server(request: pytest.FixtureRequest) -> Server:
    return require(request.param)


async def fetch(
    url: str,
    query: str,
    *,
    ctx: SourceContext = LOOPBACK,
    limit: int | None = None,
    password: str = "",
) -> Any:
    secrets = {"password": password} if password else {}
    return await SQL.fetch({"url": url, "query": query}, secrets, ctx, limit=limit)


async def refusal(url: str, query: str = "SELECT 1", **kwargs: Any) -> SourceError:
    with pytest.raises(SourceError) as caught:
        await fetch(url, query, **kwargs)
    return caught.value


def test_sql_connector_is_registered_with_password_as_its_optional_secret() -> None:
    assert SQL.source_type == "sql" and SQL.label == "SQL database"
    assert SQL.secret_fields == ("password",) and SQL.optional_secrets == ("password",)


async def test_fetch_delivers_numbers_text_dates_booleans_and_nulls(server: Server) -> None:
    columns = "id INTEGER, price DECIMAL(10, 2), name VARCHAR(40), born DATE, active BOOLEAN"
    rows = "(1, 19.99, 'Ann', '1990-05-17', TRUE), (2, NULL, 'Bo 100%', NULL, FALSE)"
    with server.table(columns, rows) as table:
        data = await fetch(server.url, f"SELECT * FROM {table} ORDER BY id")
    assert data.columns == ["id", "price", "name", "born", "active"]
    # MariaDB's BOOLEAN is TINYINT(1): it answers 1/0, PostgreSQL answers true/false.
    assert data.rows == [[1, 19.99, "Ann", "1990-05-17", True], [2, None, "Bo 100%", None, False]]
    assert data.row_count == 2 and not data.truncated


async def test_preview_has_the_first_rows_and_the_exact_row_count(server: Server) -> None:
    values = ", ".join(f"({n}, 'row {n}')" for n in range(1, 38))
    with server.table("n INTEGER, label VARCHAR(20)", values) as table:
        data = await fetch(server.url, f"SELECT * FROM {table} ORDER BY n;", limit=5)
    assert data.rows == [[n, f"row {n}"] for n in range(1, 6)]
    assert data.row_count == 37 and data.truncated


async def test_preview_counts_rows_even_with_repeated_column_names(server: Server) -> None:
    with server.table("n INTEGER", "(1), (2), (3)") as table:
        data = await fetch(server.url, f"SELECT n, n FROM {table} ORDER BY n", limit=1)
    assert data.columns == ["n", "n_2"] and data.rows == [[1, 1]]
    assert data.row_count == 3


async def test_more_rows_than_the_limit_is_too_large(server: Server) -> None:
    values = ", ".join(f"({n})" for n in range(11))
    ctx = dataclasses.replace(LOOPBACK, max_rows=10)
    with server.table("n INTEGER", values) as table:
        error = await refusal(server.url, f"SELECT n FROM {table}", ctx=ctx)
        exactly = await fetch(server.url, f"SELECT n FROM {table} WHERE n < 10", ctx=ctx)
    assert error.kind == "too_large" and "more than 10 rows" in str(error)
    assert exactly.row_count == 10


SLOW = {
    "postgresql": "SELECT COUNT(*) FROM generate_series(1, 20000) a CROSS JOIN "
    "generate_series(1, 20000) b",
    "mariadb": "SELECT COUNT(*) FROM information_schema.columns a, "
    "information_schema.columns b, information_schema.columns c",
}


async def test_a_slow_query_is_stopped_by_the_statement_timeout(server: Server) -> None:
    ctx = dataclasses.replace(LOOPBACK, timeout=0.5)
    error = await refusal(server.url, SLOW[server.name], ctx=ctx)
    assert error.kind == "timeout"
    assert str(error) == "The query did not finish within 0.5 seconds."


async def test_unknown_table_is_not_found_with_the_servers_words(server: Server) -> None:
    error = await refusal(server.url, "SELECT * FROM kv_no_such_table")
    assert error.kind == "not_found" and "kv_no_such_table" in str(error)


async def test_unknown_database_is_not_found(server: Server) -> None:
    error = await refusal(server.url.replace("/test", "/kv_no_such_db"))
    assert error.kind == "not_found"
    assert str(error) == "The database 'kv_no_such_db' does not exist at 127.0.0.1:" + (
        "5432." if server.name == "postgresql" else "3306."
    )


async def test_closed_port_is_unreachable() -> None:
    error = await refusal("postgresql://postgres@127.0.0.1:9/test")
    assert error.kind == "unreachable"
    assert str(error) == "Could not connect to the database server at 127.0.0.1:9."


async def test_wrong_password_is_refused_without_echoing_it() -> None:
    """PostgreSQL here trusts every local login, so only MariaDB can check a password."""
    server = require(MARIADB)
    user, password = f"kv_{uuid.uuid4().hex[:8]}", f"Pw-{uuid.uuid4().hex}"
    server.execute(f"CREATE USER '{user}'@'%' IDENTIFIED BY '{password}'")
    try:
        server.execute(f"GRANT SELECT ON test.* TO '{user}'@'%'")
        url = f"mysql://{user}@127.0.0.1:3306/test"
        good = await fetch(url, "SELECT 42 AS answer", password=password)
        error = await refusal(url, password=password[::-1])
    finally:
        server.execute(f"DROP USER '{user}'@'%'")
    assert good.rows == [[42]]
    assert error.kind == "auth"
    assert str(error) == "The database at 127.0.0.1:3306 refused the user name or password."
    assert password[::-1] not in repr(error.to_problem())


@pytest.mark.parametrize(
    "query",
    [
        "DELETE FROM {t}",
        "UPDATE {t} SET n = 0",
        "DROP TABLE {t}",
        "SELECT n FROM {t}; DELETE FROM {t}",
        "INSERT INTO {t} VALUES (99)",
        "SELECT n FROM {t} FOR UPDATE",
    ],
)
async def test_write_statements_are_refused_before_reaching_the_server(
    server: Server, query: str
) -> None:
    with server.table("n INTEGER", "(1), (2)") as table:
        error = await refusal(server.url, query.format(t=table))
        left = server.execute(f"SELECT COUNT(*) FROM {table} WHERE n > 0")
    assert error.kind == "refused"
    assert str(error).startswith("Only a single SELECT statement is allowed; found ")
    assert left == [(2,)]


async def checked_plan(server: Server, bypass: str) -> Any:
    """A plan for a harmless SELECT whose query is then swapped for one the checker refuses."""
    plan = await prepare(SqlConfig(url=server.url, query="SELECT 1"), {}, LOOPBACK)
    return dataclasses.replace(plan, query=bypass)


async def test_read_only_transaction_stops_a_sequence_change_on_postgres() -> None:
    server = require(POSTGRES)
    name = f"kv_seq_{uuid.uuid4().hex[:8]}"
    server.execute(f"CREATE SEQUENCE {name}")
    try:
        plan = await checked_plan(server, f"SELECT nextval('{name}')")
        with pytest.raises(SourceError) as caught:
            run_plan(plan)
        after = server.execute(f"SELECT last_value, is_called FROM {name}")
    finally:
        server.execute(f"DROP SEQUENCE {name}")
    assert caught.value.kind == "refused" and "read-only" in str(caught.value)
    assert after == [(1, False)]


@pytest.mark.parametrize("write", ["INSERT INTO {t} VALUES (3)", "DROP TABLE {t}"])
async def test_read_only_transaction_stops_writes_on_mariadb(write: str) -> None:
    server = require(MARIADB)
    with server.table("n INTEGER", "(1), (2)") as table:
        plan = await checked_plan(server, write.format(t=table))
        with pytest.raises(SourceError) as caught:
            run_plan(plan)
        left = server.execute(f"SELECT COUNT(*) FROM {table}")
    assert caught.value.kind == "refused" and "read-only" in str(caught.value)
    assert left == [(2,)]


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("postgresql://u@10.0.0.1:5432/db", "10.0.0.1, a private network address"),
        ("mysql://u@169.254.169.254/db", "169.254.169.254, a cloud metadata address"),
        ("postgresql://u@127.0.0.1:5432/test", "127.0.0.1, a loopback address"),
        ("mysql://u@localhost/test", "a loopback address"),
    ],
)
async def test_non_public_database_hosts_are_refused(url: str, words: str) -> None:
    error = await refusal(url, ctx=SourceContext(timeout=2))
    assert error.kind == "refused" and words in str(error)


@pytest.mark.parametrize(
    ("url", "kind", "words"),
    [
        ("postgresql://u:hunter2@db.example.com/x", "config", "put the password in the password"),
        ("oracle://u@db.example.com/x", "config", "postgresql://, mysql://, mariadb://"),
        ("sqlite:////var/lib/keyvex/keyvex.db", "refused", "upload the .sqlite file"),
        ("postgresql://u@db.example.com/x?hostaddr=10.0.0.1", "config", "'hostaddr' is not"),
        ("mysql://u@db.example.com/x?unix_socket=/run/mysqld.sock", "config", "'unix_socket'"),
        ("postgresql://u@/x", "config", "needs one host name"),
        ("not a url", "config", "is not valid"),
    ],
)
async def test_unsafe_or_unsupported_urls_are_refused(url: str, kind: str, words: str) -> None:
    error = await refusal(url)
    assert error.kind == kind and words in str(error)
    assert "hunter2" not in str(error)


def sqlite_upload(tmp_path: Path) -> SourceContext:
    path = tmp_path / "shop.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE orders (id INTEGER, total REAL, note TEXT, paid BLOB)")
        db.executemany(
            "INSERT INTO orders VALUES (?, ?, ?, ?)",
            [(n, n * 1.5, f"order {n}", b"yes" if n % 2 else None) for n in range(1, 8)],
        )
    db.close()
    blobs = LocalBlobStore(tmp_path / "blobs")
    blobs.put("uploads/shop.sqlite", path.read_bytes())
    blobs.put("uploads/notes.db", b"these are not the tables you are looking for")
    return dataclasses.replace(LOOPBACK, blobs=blobs)


async def test_uploaded_sqlite_file_is_read_with_preview_and_count(tmp_path: Path) -> None:
    ctx = sqlite_upload(tmp_path)
    config = {"blob_key": "uploads/shop.sqlite", "query": "SELECT * FROM orders ORDER BY id"}
    data = await SQL.fetch(config, {}, ctx, limit=2)
    assert data.columns == ["id", "total", "note", "paid"]
    assert data.rows == [[1, 1.5, "order 1", "yes"], [2, 3.0, "order 2", None]]
    assert data.row_count == 7 and data.truncated


async def test_uploaded_sqlite_file_refuses_writes_twice(tmp_path: Path) -> None:
    ctx = sqlite_upload(tmp_path)
    config = SqlConfig(blob_key="uploads/shop.sqlite", query="DELETE FROM orders")
    with pytest.raises(SourceError) as checked:
        await SQL.fetch(config, {}, ctx)
    plan = sqlite_plan(tmp_path / "shop.sqlite", "SELECT 1", ctx)
    with pytest.raises(SourceError) as read_only:
        run_plan(dataclasses.replace(plan, query="DELETE FROM orders"))
    with sqlite3.connect(tmp_path / "shop.sqlite") as db:
        left = db.execute("SELECT COUNT(*) FROM orders").fetchone()
    db.close()
    assert checked.value.kind == "refused" and read_only.value.kind == "refused"
    assert left == (7,)


@pytest.mark.parametrize(
    ("key", "kind"), [("uploads/notes.db", "format"), ("uploads/gone.sqlite", "not_found")]
)
async def test_uploads_that_are_not_sqlite_files_are_reported(
    tmp_path: Path, key: str, kind: str
) -> None:
    ctx = sqlite_upload(tmp_path)
    with pytest.raises(SourceError) as caught:
        await SQL.fetch({"blob_key": key, "query": "SELECT 1"}, {}, ctx)
    assert caught.value.kind == kind


async def test_a_url_config_has_no_blob_key_and_the_plan_hides_the_password() -> None:
    config = SqlConfig(url=POSTGRES.url, query="SELECT 1")
    assert config.model_dump(mode="json")["blob_key"] is None
    plan = await prepare(config, {"password": "pw-hidden"}, LOOPBACK)
    assert "pw-hidden" not in repr(plan)


async def test_a_config_needs_exactly_one_of_url_and_upload() -> None:
    with pytest.raises(SourceError) as caught:
        await SQL.fetch({"query": "SELECT 1"}, {}, LOOPBACK)
    assert caught.value.kind == "config" and "either a database URL" in str(caught.value)
