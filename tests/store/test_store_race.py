"""Optimistic locking under contention: exactly one writer wins each round, no update is lost."""

from __future__ import annotations

import multiprocessing as mp
import threading
import warnings
from pathlib import Path
from typing import Any

from keyvex.store import Backend, Condition, ConditionFailed, SQLiteItemStore

ROUNDS = 25


def _race_round(store: Backend, barrier: Any) -> bool:
    """Read the counter, wait for everyone, then try a version-conditioned increment."""
    current = store.get("COUNTER", "C")
    assert current is not None
    barrier.wait()
    try:
        store.update(
            "COUNTER", "C", add={"n": 1}, condition=Condition.version_is(current["version"])
        )
        won = True
    except ConditionFailed:
        won = False
    barrier.wait()
    return won


def test_threads_racing_version_conditioned_updates_lose_nothing(backend: Backend) -> None:
    backend.put({"PK": "COUNTER", "SK": "C", "n": 0})
    workers = 8
    barrier = threading.Barrier(workers)
    wins = [0] * workers
    failures = [0] * workers

    def run(slot: int) -> None:
        for _ in range(ROUNDS):
            if _race_round(backend, barrier):
                wins[slot] += 1
            else:
                failures[slot] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sum(wins) == ROUNDS
    assert sum(failures) == ROUNDS * (workers - 1)
    final = backend.get("COUNTER", "C")
    assert final is not None and final["n"] == ROUNDS and final["version"] == ROUNDS + 1


def _process_worker(path: str, barrier: Any, results: Any) -> None:
    store = SQLiteItemStore(path)
    wins = sum(_race_round(store, barrier) for _ in range(ROUNDS))
    store.close()
    results.put(wins)


def test_processes_sharing_one_sqlite_file_serialise_conditioned_updates(tmp_path: Path) -> None:
    path = str(tmp_path / "race.db")
    setup = SQLiteItemStore(path)
    setup.put({"PK": "COUNTER", "SK": "C", "n": 0})
    # fork: the worker lives in this test module, which spawned interpreters cannot import.
    ctx = mp.get_context("fork")
    workers = 4
    barrier = ctx.Barrier(workers)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=_process_worker, args=(path, barrier, results)) for _ in range(workers)
    ]
    with warnings.catch_warnings():
        # Python >= 3.12 warns that forking a threaded process may deadlock; the children
        # only open their own SQLite connections, so nothing inherited is locked.
        warnings.simplefilter("ignore", DeprecationWarning)
        for p in procs:
            p.start()
    wins = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    assert sum(wins) == ROUNDS
    final = setup.get("COUNTER", "C")
    setup.close()
    assert final is not None and final["n"] == ROUNDS
