"""The real PostgreSQL and MariaDB servers of this machine, for the SQL source tests."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

import psycopg
import pymysql
import pytest


def need_service(available: bool, reason: str) -> None:
    """Skip with ``reason``, or fail when KEYVEX_REQUIRE_SERVICES=1 (as tests/conftest.py)."""
    if not available:
        if os.environ.get("KEYVEX_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{reason} (KEYVEX_REQUIRE_SERVICES=1)")
        pytest.skip(reason)


def _postgres() -> Any:
    conn = psycopg.connect(
        host="127.0.0.1", port=5432, user="postgres", dbname="test", connect_timeout=3
    )
    conn.autocommit = True
    return conn


def _mariadb() -> Any:
    return pymysql.connect(
        host="127.0.0.1", port=3306, user="root", password="", database="test",
        connect_timeout=3, autocommit=True,
    )  # fmt: skip


@dataclass(frozen=True)
class Server:
    """One database server: its source URL and an admin connection for fixtures."""

    name: str
    url: str
    connect: Callable[[], Any]

    def execute(self, *statements: str) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = []
        with closing(self.connect()) as conn, closing(conn.cursor()) as cur:
            for statement in statements:
                cur.execute(statement)
                rows = list(cur.fetchall()) if cur.description else []
        return rows

    @contextmanager
    def table(self, columns: str, *inserts: str) -> Iterator[str]:
        """A uniquely named table with ``columns`` (SQL), filled by ``inserts`` (VALUES lists)."""
        name = f"kv_{uuid.uuid4().hex[:10]}"
        self.execute(f"CREATE TABLE {name} ({columns})")
        try:
            for values in inserts:
                self.execute(f"INSERT INTO {name} VALUES {values}")
            yield name
        finally:
            self.execute(f"DROP TABLE IF EXISTS {name}")


POSTGRES = Server("postgresql", "postgresql://postgres@127.0.0.1:5432/test", _postgres)
MARIADB = Server("mariadb", "mysql://root@127.0.0.1:3306/test", _mariadb)


@cache
def available(server: Server) -> bool:
    try:
        server.execute("SELECT 1")
    except Exception:
        return False
    return True


def require(server: Server) -> Server:
    need_service(available(server), f"{server.name} is not reachable on 127.0.0.1")
    return server
