"""The SQLite item-store backend: one WAL table, both GSIs as partial indexes, one writer."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from keyvex.errors import Invalid
from keyvex.store._cursor import decode_cursor, encode_cursor
from keyvex.store._model import (
    INDEXES,
    SK,
    CancelReason,
    Condition,
    ConditionFailed,
    Delete,
    Item,
    Key,
    Page,
    Put,
    TransactionCanceled,
    TransactOp,
    Update,
    WouldBlock,
)
from keyvex.store._rules import (
    apply_update,
    check_limit,
    check_query,
    check_transaction,
    check_update,
    condition_message,
    encode_item,
    encoded_put,
    op_key,
)

T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    pk TEXT NOT NULL,
    sk TEXT NOT NULL,
    gsi1pk TEXT,
    gsi1sk TEXT,
    gsi2pk TEXT,
    gsi2sk TEXT,
    ttl INTEGER,
    data TEXT NOT NULL,
    PRIMARY KEY (pk, sk)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS items_gsi1 ON items (gsi1pk, gsi1sk, pk, sk) WHERE gsi1pk IS NOT NULL;
CREATE INDEX IF NOT EXISTS items_gsi2 ON items (gsi2pk, gsi2sk, pk, sk) WHERE gsi2pk IS NOT NULL;
CREATE INDEX IF NOT EXISTS items_ttl ON items (ttl) WHERE ttl IS NOT NULL;
"""
_LIVE = "(ttl IS NULL OR ttl > ?)"
_GET = f"SELECT data FROM items WHERE pk = ? AND sk = ? AND {_LIVE}"
_UPSERT = (
    "INSERT OR REPLACE INTO items (pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, ttl, data) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_DELETE = "DELETE FROM items WHERE pk = ? AND sk = ?"
_SK_SQL = {
    "eq": "{c} = ?",
    "lt": "{c} < ?",
    "le": "{c} <= ?",
    "gt": "{c} > ?",
    "ge": "{c} >= ?",
    "between": "{c} BETWEEN ? AND ?",
}
_BATCH_GET_CHUNK = 100


def batch_get_sql(count: int) -> str:
    """The query for ``count`` keys: a join from the keys, so that each is a primary-key
    search (SQLite plans ``(pk, sk) IN (VALUES ...)`` as a scan of the whole table)."""
    values = ",".join("(?, ?)" for _ in range(count))
    return (
        f"SELECT i.data FROM (VALUES {values}) AS k CROSS JOIN items AS i "
        "ON i.pk = k.column1 AND i.sk = k.column2 WHERE (i.ttl IS NULL OR i.ttl > ?)"
    )


def _prefix_upper(prefix: str) -> str | None:
    """The smallest string greater than every string starting with ``prefix``."""
    for i in range(len(prefix) - 1, -1, -1):
        code = ord(prefix[i])
        if code < 0x10FFFF:
            return prefix[:i] + chr(code + 1)
    return None


@contextmanager
def _would_block(inline: bool) -> Iterator[None]:
    """On the inline connection, SQLite's "database is locked" means "would have waited"."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if inline and ("locked" in str(exc) or "busy" in str(exc)):
            raise WouldBlock(str(exc)) from exc
        raise


class SQLiteItemStore:
    """Synchronous single-table store on SQLite.

    Reads use one connection per thread; every write goes through one writer
    connection under a lock, inside ``BEGIN IMMEDIATE`` so that several processes
    sharing the file also serialise their read-check-write sequences.

    ``ItemStore`` runs reads and writes on the event loop's own thread (:meth:`run_inline`):
    a key lookup takes ~10 µs and a lead's transaction ~150 µs here, while handing either to
    another thread costs the loop more than that (the hop, the wake-up, the GIL changing
    hands), and JSON work holds the GIL wherever it runs. The one thing the loop must never
    do is wait: for a lock another connection holds (a write in progress on the writer
    thread or in another process; a reader only waits while another process resets the WAL)
    or for a checkpoint's fsync. So inline work uses its own connection with no busy timeout
    and no automatic checkpoint: what would have to wait raises :class:`WouldBlock`, and
    ``ItemStore`` hands it to the writer thread (or a reader thread) instead; the WAL is
    checkpointed on the writer thread (:meth:`checkpoint`) every ``CHECKPOINT_EVERY`` inline
    commits.
    """

    #: Inline commits between two checkpoints (SQLite's own default is 1,000 WAL pages; a
    #: lead's commit writes a few): each RESTART briefly sends writes to the writer thread.
    CHECKPOINT_EVERY = 1000

    def __init__(self, path: str | Path, *, clock: Callable[[], float] = time.time) -> None:
        self.path = str(path)
        self._clock = clock
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._writer = self._connect()
        with self._write_lock:
            self._writer.executescript(_SCHEMA)
        self._query_sql: dict[tuple[str | None, str | None, bool, bool], str] = {}

    def _connect(self, busy_ms: int = 30_000) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=busy_ms / 1000
        )
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(f"PRAGMA busy_timeout={busy_ms}")
        return conn

    def run_inline(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call ``fn`` (a method of this store) so that it never waits: on this thread's
        inline connection, raising :class:`WouldBlock` where it would have to wait."""
        self._local.inline = True
        try:
            return fn(*args, **kwargs)
        finally:
            self._local.inline = False

    def _connection(self) -> tuple[sqlite3.Connection, bool]:
        """This thread's connection for the current call, and whether it is the inline one."""
        inline = bool(getattr(self._local, "inline", False))
        name = "inline_conn" if inline else "conn"
        conn: sqlite3.Connection | None = getattr(self._local, name, None)
        if conn is None:
            conn = self._connect(busy_ms=0 if inline else 30_000)
            if inline:
                conn.execute("PRAGMA wal_autocheckpoint=0")  # see checkpoint()
            setattr(self._local, name, conn)
            with self._readers_lock:
                self._readers.append(conn)
        return conn, inline

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        conn, inline = self._connection()
        with _would_block(inline):
            yield conn

    def checkpoint(self) -> None:
        """Copy the WAL back into the database and start it again from the beginning.

        Two passes. PASSIVE first: it copies nearly everything while inline commits go on
        (it takes no write lock), but racing steady commits it never catches up, so alone
        it would let the WAL grow without end. Then RESTART, which holds the write lock
        while it copies the little written meanwhile and makes the next commit start the
        WAL from its beginning. Inline writes during that short pass raise ``WouldBlock``
        and queue behind it on this (the writer) thread: the event loop never waits for an
        fsync. Measured on a lead load: RESTART alone after 1,000 commits held writes back
        for 37-107 ms (every request in flight waited, which was the submit p99); after the
        passive pass the held part is a few ms.
        """
        with self._write_lock:
            self._writer.execute("PRAGMA wal_checkpoint(PASSIVE)")
        with self._write_lock:
            self._writer.execute("PRAGMA wal_checkpoint(RESTART)")

    def close(self) -> None:
        with self._readers_lock:
            for conn in self._readers:
                conn.close()
            self._readers.clear()
        with self._write_lock:
            self._writer.close()

    def now(self) -> float:
        return self._clock()

    def ping(self) -> None:
        with self._reading() as conn:
            conn.execute("SELECT 1").fetchone()

    # -- reads -------------------------------------------------------------------------------

    # Reads: SQLite has no replicas, so every read is consistent; ``consistent`` is accepted
    # for the contract (and refused on index queries, as DynamoDB refuses it).

    def get(self, pk: str, sk: str, *, consistent: bool = False) -> Item | None:
        with self._reading() as conn:
            row = conn.execute(_GET, (pk, sk, int(self._clock()))).fetchone()
        return None if row is None else json.loads(row[0])

    def batch_get(self, keys: Sequence[Key], *, consistent: bool = False) -> list[Item]:
        """Items for ``keys`` in request order; missing or expired keys are skipped."""
        found: dict[Key, Item] = {}
        now = int(self._clock())
        for start in range(0, len(keys), _BATCH_GET_CHUNK):
            chunk = keys[start : start + _BATCH_GET_CHUNK]
            params: list[Any] = [part for key in chunk for part in key]
            sql = batch_get_sql(len(chunk))
            with self._reading() as conn:
                rows = conn.execute(sql, [*params, now]).fetchall()
            for (data,) in rows:
                item = json.loads(data)
                found[(item["PK"], item["SK"])] = item
        return [found[key] for key in keys if key in found]

    def query(
        self,
        pk: str,
        sk: SK | None = None,
        *,
        index: str | None = None,
        ascending: bool = True,
        limit: int | None = None,
        cursor: str | None = None,
        consistent: bool = False,
    ) -> Page:
        """Items of one partition (of the table or of GSI1/GSI2), ordered by sort key."""
        check_query(index, consistent)
        size = check_limit(limit)
        params: list[Any] = [pk]
        if sk is not None:
            params.extend(self._sk_params(sk))
        if cursor is not None:
            params.extend(decode_cursor(cursor, index, pk, 1 if index is None else 3))
        params.extend([int(self._clock()), size + 1])
        sql = self._sql_for(index, sk, ascending, cursor is not None)
        with self._reading() as conn:
            rows = conn.execute(sql, params).fetchall()
        items = [json.loads(data) for (data,) in rows[:size]]
        next_cursor = None
        if len(rows) > size:
            next_cursor = encode_cursor(index, pk, self._position(items[-1], index))
        return Page(items, next_cursor)

    @staticmethod
    def _sk_params(sk: SK) -> list[str]:
        if sk.op == "begins_with":
            upper = _prefix_upper(sk.value)
            return [sk.value] if upper is None else [sk.value, upper]
        if sk.op == "between":
            if sk.upper is None:
                raise Invalid("A between condition needs two values.")
            return [sk.value, sk.upper]
        return [sk.value]

    @staticmethod
    def _position(item: Item, index: str | None) -> list[str]:
        if index is None:
            return [item["SK"]]
        return [item[INDEXES[index][1]], item["PK"], item["SK"]]

    def _sql_for(self, index: str | None, sk: SK | None, ascending: bool, paged: bool) -> str:
        op = None if sk is None else sk.op
        if op == "begins_with" and sk is not None and _prefix_upper(sk.value) is None:
            op = "ge"
        key = (index, op, ascending, paged)
        sql = self._query_sql.get(key)
        if sql is None:
            sql = self._build_query_sql(index, op, ascending, paged)
            self._query_sql[key] = sql
        return sql

    @staticmethod
    def _build_query_sql(index: str | None, op: str | None, ascending: bool, paged: bool) -> str:
        pk_col, sk_col = (
            ("pk", "sk") if index is None else (f"{index.lower()}pk", f"{index.lower()}sk")
        )
        order_cols = [sk_col] if index is None else [sk_col, "pk", "sk"]
        where = [f"{pk_col} = ?"]
        if op == "begins_with":
            where.append(f"{sk_col} >= ? AND {sk_col} < ?")
        elif op is not None:
            where.append(_SK_SQL[op].format(c=sk_col))
        if paged:
            cmp = ">" if ascending else "<"
            placeholders = ", ".join("?" for _ in order_cols)
            where.append(f"({', '.join(order_cols)}) {cmp} ({placeholders})")
        where.append(_LIVE)
        direction = "ASC" if ascending else "DESC"
        order = ", ".join(f"{c} {direction}" for c in order_cols)
        return f"SELECT data FROM items WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ?"

    # -- writes ------------------------------------------------------------------------------

    def _write(self, fn: Callable[[sqlite3.Connection, float], T]) -> T:
        conn, inline = self._connection()
        if inline:
            with _would_block(inline=True):
                conn.execute("BEGIN IMMEDIATE")  # the one statement of a WAL write that waits
            return self._transaction(conn, fn)
        with self._write_lock:
            conn = self._writer
            conn.execute("BEGIN IMMEDIATE")
            return self._transaction(conn, fn)

    def _transaction(
        self, conn: sqlite3.Connection, fn: Callable[[sqlite3.Connection, float], T]
    ) -> T:
        try:
            result = fn(conn, self._clock())
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return result

    @staticmethod
    def _current(conn: sqlite3.Connection, key: Key, now: float) -> Item | None:
        row = conn.execute(_GET, (key[0], key[1], int(now))).fetchone()
        return None if row is None else json.loads(row[0])

    @staticmethod
    def _store(conn: sqlite3.Connection, item: Item, data: str | None = None) -> None:
        if data is None:
            data = encode_item(item)
        conn.execute(
            _UPSERT,
            (
                item["PK"],
                item["SK"],
                item.get("GSI1PK"),
                item.get("GSI1SK"),
                item.get("GSI2PK"),
                item.get("GSI2SK"),
                item.get("ttl"),
                data,
            ),
        )

    def put(self, item: Item, condition: Condition | None = None) -> Item:
        """Write a whole item; its stored ``version`` is the given version + 1."""
        prepared, data = encoded_put(item)

        def op(conn: sqlite3.Connection, now: float) -> Item:
            if condition is not None:
                current = self._current(conn, (item["PK"], item["SK"]), now)
                if not condition.holds(current):
                    raise ConditionFailed(condition_message(condition, item["PK"], item["SK"]))
            self._store(conn, prepared, data)
            return prepared

        return self._write(op)

    def update(
        self,
        pk: str,
        sk: str,
        *,
        set: Item | None = None,
        add: dict[str, float] | None = None,
        remove: Iterable[str] = (),
        condition: Condition | None = None,
    ) -> Item:
        """Set, atomically add to and remove attributes; creates the item if absent."""
        change = Update(pk, sk, dict(set or {}), dict(add or {}), tuple(remove), condition)
        check_update(change)

        def op(conn: sqlite3.Connection, now: float) -> Item:
            current = self._current(conn, (pk, sk), now)
            if condition is not None and not condition.holds(current):
                raise ConditionFailed(condition_message(condition, pk, sk))
            new = apply_update(current, change)
            self._store(conn, new)
            return new

        return self._write(op)

    def delete(self, pk: str, sk: str, condition: Condition | None = None) -> Item | None:
        """Delete an item; returns what was deleted (None if nothing was there)."""

        def op(conn: sqlite3.Connection, now: float) -> Item | None:
            current = self._current(conn, (pk, sk), now)
            if condition is not None and not condition.holds(current):
                raise ConditionFailed(condition_message(condition, pk, sk))
            conn.execute(_DELETE, (pk, sk))
            return current

        return self._write(op)

    def batch_write(self, puts: Sequence[Item] = (), deletes: Sequence[Key] = ()) -> None:
        """Unconditional puts and deletes; everything is validated before anything is written."""
        prepared = [encoded_put(item) for item in puts]

        def op(conn: sqlite3.Connection, now: float) -> None:
            for item, data in prepared:
                self._store(conn, item, data)
            for pk, sk in deletes:
                conn.execute(_DELETE, (pk, sk))

        self._write(op)

    def transact_write(self, ops: Sequence[TransactOp]) -> None:
        """Up to 100 operations on distinct items, applied all together or not at all."""
        check_transaction(ops)
        prepared: list[TransactOp] = []
        texts: dict[int, str] = {}  # encoded once: the size check's text is what is stored
        for i, o in enumerate(ops):
            if isinstance(o, Put):
                item, texts[i] = encoded_put(o.item)
                prepared.append(Put(item, o.condition))
            else:
                if isinstance(o, Update):
                    check_update(o)
                prepared.append(o)

        def op(conn: sqlite3.Connection, now: float) -> None:
            currents = [self._current(conn, op_key(o), now) for o in prepared]
            reasons: list[CancelReason | None] = [
                CancelReason.CONDITION_FAILED
                if o.condition is not None and not o.condition.holds(cur)
                else None
                for o, cur in zip(prepared, currents, strict=True)
            ]
            if any(reasons):
                failed = [i for i, r in enumerate(reasons) if r]
                raise TransactionCanceled(
                    f"The transaction was cancelled: condition failed on operation(s) {failed}.",
                    reasons,
                )
            for i, (o, cur) in enumerate(zip(prepared, currents, strict=True)):
                if isinstance(o, Put):
                    self._store(conn, o.item, texts[i])
                elif isinstance(o, Update):
                    self._store(conn, apply_update(cur, o))
                elif isinstance(o, Delete):
                    conn.execute(_DELETE, (o.pk, o.sk))

        self._write(op)

    def sweep_expired(self, limit: int = 500) -> int:
        """Delete up to ``limit`` expired items; returns how many went."""

        def op(conn: sqlite3.Connection, now: float) -> int:
            cur = conn.execute(
                "DELETE FROM items WHERE (pk, sk) IN (SELECT pk, sk FROM items "
                "WHERE ttl IS NOT NULL AND ttl <= ? LIMIT ?)",
                (int(now), limit),
            )
            return cur.rowcount

        return self._write(op)
