"""Item store (SQLite backend) vs plain sqlite3 running the equivalent statements, same run.

Run: python bench/store.py [--n 20000]. Prints operations per second for both and the ratio
(store time / sqlite3 time; target: within 1.5x for get and query).

python bench/store.py --backend dynamodb [--n 2000] [--concurrency 32] also runs the same puts,
gets and queries through the async ``ItemStore`` on the DynamoDB backend, against the local
AWS emulator (moto, in its own process; tests/aws_emulator.py), and prints them beside the
SQLite store's. Emulator figures are context, not targets: moto is an in-memory Python server
serving one request at a time, nothing like DynamoDB's latency or throughput.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from keyvex.store import SK, ItemStore, SQLiteItemStore

PAYLOAD = {"email": "visitor@example.com", "answers": {"staff": 12, "hours": 5}, "score": 71.5}


def _timed(fn: Callable[[], None], rounds: int = 3) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def _plain(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(
        "CREATE TABLE items (pk TEXT NOT NULL, sk TEXT NOT NULL, data TEXT NOT NULL, "
        "PRIMARY KEY (pk, sk)) WITHOUT ROWID"
    )
    return conn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=None, help="items per run (20000; dynamodb 2000)")
    parser.add_argument("--backend", choices=["sqlite", "dynamodb"], default="sqlite")
    parser.add_argument("--concurrency", type=int, default=32, help="DynamoDB calls in flight")
    args = parser.parse_args()
    if args.backend == "dynamodb":
        compare_dynamodb(args.n or 2_000, args.concurrency)
    else:
        compare_sqlite(args.n or 20_000)


def compare_sqlite(n: int) -> None:
    partitions = max(1, n // 50)
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteItemStore(Path(tmp) / "store.db")
        plain = _plain(Path(tmp) / "plain.db")
        keys = [(f"TOOL#{i % partitions}", f"LEAD#{i:08d}") for i in range(n)]

        def store_put() -> None:
            for pk, sk in keys:
                store.put({"PK": pk, "SK": sk, **PAYLOAD})

        def plain_put() -> None:
            for pk, sk in keys:
                data = json.dumps({"PK": pk, "SK": sk, **PAYLOAD})
                plain.execute("BEGIN IMMEDIATE")
                plain.execute("INSERT OR REPLACE INTO items VALUES (?, ?, ?)", (pk, sk, data))
                plain.execute("COMMIT")

        def store_get() -> None:
            for pk, sk in keys:
                store.get(pk, sk)

        def plain_get() -> None:
            for pk, sk in keys:
                row = plain.execute(
                    "SELECT data FROM items WHERE pk = ? AND sk = ?", (pk, sk)
                ).fetchone()
                json.loads(row[0])

        def store_query() -> None:
            for p in range(partitions):
                store.query(f"TOOL#{p}", SK.begins_with("LEAD#"), limit=50)

        def plain_query() -> None:
            for p in range(partitions):
                rows = plain.execute(
                    "SELECT data FROM items WHERE pk = ? AND sk >= ? AND sk < ? "
                    "ORDER BY sk LIMIT ?",
                    (f"TOOL#{p}", "LEAD#", "LEAD$", 51),
                ).fetchall()
                [json.loads(r[0]) for r in rows[:50]]

        print(f"item store vs plain sqlite3, {n} items, {partitions} partitions of 50")
        print(f"{'operation':<8} {'store ops/s':>12} {'sqlite3 ops/s':>14} {'ratio':>7}  target")
        for name, ours, base, count, target in (
            ("put", store_put, plain_put, n, None),
            ("get", store_get, plain_get, n, 1.5),
            ("query", store_query, plain_query, partitions, 1.5),
        ):
            t_base = _timed(base)
            t_ours = _timed(ours)
            ratio = t_ours / t_base
            verdict = (
                "" if target is None else ("ok" if ratio <= target else "MISSED") + f" <= {target}x"
            )
            rates = f"{count / t_ours:>12,.0f} {count / t_base:>14,.0f}"
            print(f"{name:<8} {rates} {ratio:>6.2f}x  {verdict}")
        store.close()
        plain.close()


def _async_ops(store: ItemStore, keys: list[tuple[str, str]], partitions: int) -> dict[str, Any]:
    """The benchmark's puts, gets and queries as coroutine factories on an ``ItemStore``."""

    async def put(pk: str, sk: str) -> None:
        await store.put({"PK": pk, "SK": sk, **PAYLOAD})

    async def get(pk: str, sk: str) -> None:
        await store.get(pk, sk)

    async def query(p: int) -> None:
        await store.query(f"TOOL#{p}", SK.begins_with("LEAD#"), limit=50)

    return {
        "put": [(put, key) for key in keys],
        "get": [(get, key) for key in keys],
        "query": [(query, (p,)) for p in range(partitions)],
    }


async def _drive(
    calls: list[tuple[Callable[..., Awaitable[None]], tuple[Any, ...]]], c: int
) -> float:
    """Run ``calls`` with ``c`` in flight; returns the seconds taken."""
    pending = iter(calls)

    async def worker() -> None:
        for fn, args in pending:
            await fn(*args)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(c)))
    return time.perf_counter() - started


def _rates(store: ItemStore, n: int, concurrency: int) -> dict[str, float]:
    partitions = max(1, n // 50)
    keys = [(f"TOOL#{i % partitions}", f"LEAD#{i:08d}") for i in range(n)]
    ops = _async_ops(store, keys, partitions)

    async def run() -> dict[str, float]:
        return {name: len(calls) / await _drive(calls, concurrency) for name, calls in ops.items()}

    return asyncio.run(run())


def compare_dynamodb(n: int, concurrency: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from keyvex.store.dynamodb import DynamoDBItemStore
    from tests.aws_emulator import emulator_process

    with tempfile.TemporaryDirectory() as tmp:
        sqlite = ItemStore(SQLiteItemStore(Path(tmp) / "store.db"))
        try:
            on_sqlite = _rates(sqlite, n, concurrency)
        finally:
            sqlite.close()
    with emulator_process("keyvex-bench") as env:
        dynamo = ItemStore(DynamoDBItemStore("keyvex-bench"))
        try:
            on_dynamo = _rates(dynamo, n, concurrency)
        finally:
            dynamo.close()
    print(f"ItemStore (async, {concurrency} in flight), {n} items, {max(1, n // 50)} partitions")
    print(f"DynamoDB = moto at {env['AWS_ENDPOINT_URL']}: an emulator; context, not a target")
    print(f"{'operation':<8} {'sqlite ops/s':>13} {'dynamodb ops/s':>15}")
    for name in ("put", "get", "query"):
        print(f"{name:<8} {on_sqlite[name]:>13,.0f} {on_dynamo[name]:>15,.0f}")


if __name__ == "__main__":
    main()
