"""Transactions cancelled by a conflict (another writer on the same item at the same moment,
as DynamoDB reports it) are tried again; a failed condition reaches the caller at once; a
lead is stored even when the day's hot counter keeps conflicting."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from keyvex.store import (
    CancelReason,
    Condition,
    ItemStore,
    Put,
    SQLiteItemStore,
    TransactionCanceled,
    TransactOp,
)
from keyvex.store._rules import op_key


class Conflicting(SQLiteItemStore):
    """SQLite that reports a conflict on any transaction touching ``hot`` (as a busy DynamoDB
    table does), ``times`` times; SQLite itself has one writer and never conflicts."""

    def __init__(self, path: Path, hot: str, times: int) -> None:
        super().__init__(path)
        self.hot, self.times, self.attempts = hot, times, 0

    def transact_write(self, ops: Sequence[TransactOp]) -> None:
        self.attempts += 1
        keys = [op_key(o) for o in ops]
        hot = [any(part.startswith(self.hot) for part in key) for key in keys]
        if self.times > 0 and any(hot):
            self.times -= 1
            reasons = [CancelReason.CONFLICT if h else None for h in hot]
            raise TransactionCanceled("conflict", reasons)
        super().transact_write(ops)


def _run(backend: SQLiteItemStore, coro: Any) -> Any:
    store = ItemStore(backend)

    async def go() -> Any:
        try:
            return await coro(store)
        finally:
            store.close()

    return asyncio.run(go())


def test_a_conflict_is_retried_until_it_clears(tmp_path: Path) -> None:
    backend = Conflicting(tmp_path / "db.sqlite", hot="HOT", times=2)

    async def go(store: ItemStore) -> Any:
        await store.transact_write([Put({"PK": "HOT", "SK": "1"}), Put({"PK": "A", "SK": "1"})])
        return await store.get("A", "1")

    assert _run(backend, go) is not None
    assert backend.attempts == 3


def test_a_failed_condition_is_not_retried(tmp_path: Path) -> None:
    backend = Conflicting(tmp_path / "db.sqlite", hot="HOT", times=0)

    async def go(store: ItemStore) -> None:
        await store.put({"PK": "A", "SK": "1"})
        with pytest.raises(TransactionCanceled):
            await store.transact_write([Put({"PK": "A", "SK": "1"}, Condition.not_exists())])

    _run(backend, go)
    assert backend.attempts == 1


def test_conflicts_that_outlast_the_retries_reach_the_caller(tmp_path: Path) -> None:
    backend = Conflicting(tmp_path / "db.sqlite", hot="HOT", times=99)

    async def go(store: ItemStore) -> None:
        with pytest.raises(TransactionCanceled) as caught:
            await store.transact_write([Put({"PK": "HOT", "SK": "1"})])
        assert caught.value.conflict_only

    _run(backend, go)
    assert backend.attempts == 4


def test_a_lead_is_stored_when_the_day_counter_keeps_conflicting(tmp_path: Path) -> None:
    from keyvex.accounts import sign_up
    from keyvex.analytics.service import counter_name, stat_key, utc_day
    from keyvex.app import build_app
    from keyvex.leads.models import LeadSubmission, RequestMeta
    from keyvex.leads.service import submit_lead
    from keyvex.settings import Settings
    from keyvex.tools import get_template
    from keyvex.tools.publishing import publish
    from keyvex.tools.service import create_tool

    app = build_app(Settings(env="test", data_dir=tmp_path / "data"))
    app.store.close()
    backend = Conflicting(app.settings.database_path, hot="STAT#", times=99)
    app.store = app.jobs.store = ItemStore(backend)  # type: ignore[attr-defined]

    async def go() -> Any:
        user = await sign_up(app, "creator@example.com", "correct horse battery")
        stored = await create_tool(app, user, get_template("roi-calculator"))
        live = await publish(app, user, stored.id)
        submission = LeadSubmission(
            answers={}, contact={"email": "visitor@example.com"}, consent=True,
            idempotency_key="conflict-test-0001", elapsed_ms=9000,
        )  # fmt: skip
        lead, _ = await submit_lead(app, live, submission, RequestMeta("127.0.0.9", "test"))
        await app.jobs.wait_idle(5)
        return lead, await app.store.get(*stat_key(stored.id, utc_day()))

    try:
        lead, stats = asyncio.run(go())
    finally:
        app.close()
    assert lead.id
    assert stats is not None and stats[counter_name("lead")] == 1  # counted on its own
    assert backend.attempts >= 5  # four tries with the counter, then one without
