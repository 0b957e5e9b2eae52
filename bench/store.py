"""Item store (SQLite backend) vs plain sqlite3 running the equivalent statements, same run.

Run: python bench/store.py [--n 20000]. Prints operations per second for both and the ratio
(store time / sqlite3 time; target: within 1.5x for get and query).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from keyvex.store import SK, SQLiteItemStore

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
    parser.add_argument("--n", type=int, default=20_000, help="items per run")
    n = parser.parse_args().n
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


if __name__ == "__main__":
    main()
