"""SQLite work on the event loop's thread never waits: what would wait goes to a thread."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from keyvex.store import ItemStore, SQLiteItemStore, WouldBlock
from keyvex.store.sqlite import batch_get_sql


def _hold_write_lock(path: Path, seconds: float, held: threading.Event) -> None:
    """Another connection (as another process would) keeps the database's write lock."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    held.set()
    time.sleep(seconds)
    conn.execute("COMMIT")
    conn.close()


def test_a_write_that_would_wait_goes_to_the_writer_thread_and_the_loop_keeps_running(
    tmp_path: Path,
) -> None:
    path = tmp_path / "items.db"
    store = ItemStore(SQLiteItemStore(path))

    async def scenario() -> tuple[float, int]:
        await store.put({"PK": "P", "SK": "before"})
        held = threading.Event()
        holder = threading.Thread(target=_hold_write_lock, args=(path, 0.6, held))
        holder.start()
        held.wait(5)
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        running = asyncio.create_task(ticker())
        started = time.monotonic()
        await store.put({"PK": "P", "SK": "during"})  # waits for the lock, off the loop
        waited = time.monotonic() - started
        running.cancel()
        holder.join()
        return waited, ticks

    try:
        waited, ticks = asyncio.run(scenario())
        assert waited >= 0.3, "the write cannot have committed while the lock was held"
        assert ticks >= 10, "the event loop stood still while the write waited"
        assert store.backend.get("P", "during") is not None
    finally:
        store.close()


def test_inline_calls_raise_would_block_instead_of_waiting(tmp_path: Path) -> None:
    path = tmp_path / "items.db"
    backend = SQLiteItemStore(path)
    held = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(path, 0.5, held))
    holder.start()
    held.wait(5)
    try:
        started = time.monotonic()
        with pytest.raises(WouldBlock):
            backend.run_inline(backend.put, {"PK": "P", "SK": "x"})
        assert time.monotonic() - started < 0.2
        # Reads do not wait for a writer in WAL mode: they answer at once.
        assert backend.run_inline(backend.get, "P", "x") is None
    finally:
        holder.join()
        backend.close()


def test_inline_commits_leave_checkpoints_to_the_writer_thread(tmp_path: Path) -> None:
    """The inline connection never checkpoints (its fsync would stall the loop), so the
    store does it on the writer thread; without that the WAL would grow without bound."""
    path = tmp_path / "items.db"
    backend = SQLiteItemStore(path)
    backend.CHECKPOINT_EVERY = 100  # the WAL's high-water mark follows the commits between
    store = ItemStore(backend)
    body = "x" * 3000

    wal = Path(f"{path}-wal")

    async def scenario() -> int:
        for i in range(2000):  # ~2 pages per item: some 16 MB of WAL if never checkpointed
            await store.put({"PK": "P", "SK": f"I#{i:05d}", "body": body})
            if i % 100 == 0:
                await asyncio.sleep(0.01)  # lets the writer thread run its checkpoints
        return wal.stat().st_size  # measured open: closing the last connection checkpoints

    try:
        size = asyncio.run(scenario())
    finally:
        store.close()
    assert size < 6_000_000, size  # never checkpointed: some 18 MB


def test_batch_get_searches_each_key_instead_of_scanning_the_table(tmp_path: Path) -> None:
    """Found on a 1.7 GB store: 20 keys took 60 ms because the IN (VALUES ...) form scanned."""
    store = SQLiteItemStore(tmp_path / "plan.sqlite")
    try:
        sql = batch_get_sql(3)
        conn = sqlite3.connect(tmp_path / "plan.sqlite")
        try:
            plan = conn.execute(f"EXPLAIN QUERY PLAN {sql}", ["p", "s"] * 3 + [0]).fetchall()
        finally:
            conn.close()
        steps = [row[3] for row in plan]
        assert any("USING PRIMARY KEY" in step for step in steps), steps
        assert not any(step.startswith("SCAN i") or step == "SCAN items" for step in steps), steps
        store.put({"PK": "A", "SK": "1", "v": 1})
        store.put({"PK": "A", "SK": "2", "v": 2, "ttl": 1})  # expired: not returned
        got = store.batch_get([("A", "2"), ("A", "1"), ("B", "1")])
        assert [item["v"] for item in got] == [1]
    finally:
        store.close()
