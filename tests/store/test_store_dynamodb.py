"""What only the DynamoDB backend has to show: its async face across event loops, atomic
counters under concurrency, the resumable TTL sweep and DynamoDB's cancellation reasons."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from keyvex.store import CancelReason, ItemStore, Put, TransactionCanceled
from keyvex.store.dynamodb import DynamoDBItemStore
from tests.store.conftest import FakeClock


@pytest.fixture
def dynamo(dynamodb_table: str, clock: FakeClock) -> Iterator[DynamoDBItemStore]:
    backend = DynamoDBItemStore(dynamodb_table, clock=clock)
    yield backend
    backend.close()


def test_the_item_store_awaits_dynamodb_from_any_event_loop(dynamodb_table: str) -> None:
    store = ItemStore(DynamoDBItemStore(dynamodb_table))
    assert type(store) is not ItemStore  # the subclass that awaits an async backend

    async def count() -> int:
        await asyncio.gather(*(store.update("T#1", "STAT#d", add={"views": 1}) for _ in range(50)))
        got = await store.get("T#1", "STAT#d", consistent=True)
        assert got is not None
        return int(got["views"])

    try:
        assert asyncio.run(count()) == 50  # atomic ADD: no lost update
        assert asyncio.run(count()) == 100  # a second loop uses the same store
        asyncio.run(store.ping())
    finally:
        store.close()


def test_the_sweep_resumes_where_it_stopped(dynamo: DynamoDBItemStore, clock: FakeClock) -> None:
    async def scenario() -> list[int]:
        now = int(clock.now)
        for i in range(10):
            ttl = {"ttl": now + 10} if i % 2 else {}
            await dynamo.put({"PK": f"S#{i}", "SK": "X", **ttl})
        clock.now += 60
        return [await dynamo.sweep_expired(limit=3) for _ in range(6)]

    swept = asyncio.run(scenario())
    assert sum(swept) == 5 and max(swept) <= 3


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("TransactionConflict", CancelReason.CONFLICT),
        ("ThrottlingError", CancelReason.OTHER),
        ("ConditionalCheckFailed", CancelReason.CONDITION_FAILED),
    ],
)
def test_cancellation_reasons_become_typed(
    dynamo: DynamoDBItemStore, code: str, reason: CancelReason
) -> None:
    ops = [Put({"PK": "A", "SK": "1"}), Put({"PK": "B", "SK": "1"})]
    reasons = [{"Code": "None"}, {"Code": code, "Message": "from DynamoDB"}]
    with pytest.raises(TransactionCanceled) as caught:
        asyncio.run(dynamo._settle(list(ops), reasons, 0))
    assert caught.value.reasons == [None, reason]
    assert caught.value.conflict_only is (reason is CancelReason.CONFLICT)
    assert code in str(caught.value)
