"""The DynamoDB item-store backend: the same single table and contract as SQLite, async.

Needs the ``aws`` extra (aiobotocore). The table, region, endpoint and credentials come from
``KEYVEX_DYNAMODB_TABLE`` and the standard AWS variables (``AWS_REGION``, ``AWS_ENDPOINT_URL``,
keys or a role), which botocore reads itself. ``init_table`` creates the table
(``keyvex store init``).

How the contract maps onto DynamoDB:

- TTL: DynamoDB deletes expired items lazily (within days), so every read hides an item
  whose ``ttl`` <= the backend's clock, and every write treats one as absent (see
  ``_dynamo_expr``). ``sweep_expired`` deletes what one bounded scan page finds.
- ``update`` is one native ``UpdateItem`` (atomic ``ADD`` counters, no read first); when its
  guard fails, the current item (returned with the failure) says why: the caller's condition,
  an expired leftover (deleted, then the update is tried again) or a rule of ``_rules``.
- Transactions map onto ``TransactWriteItems``; ``CancellationReasons`` become typed
  ``CancelReason`` values (``ItemStore`` retries conflicts).
- Cursors are the last returned item's key (what ``ExclusiveStartKey`` takes), wrapped like
  SQLite's, so a page has ``limit`` live items and no cursor when nothing follows.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from keyvex.clock import now_iso
from keyvex.errors import Invalid
from keyvex.store import _dynamo_expr as ex
from keyvex.store._cursor import decode_cursor, encode_cursor
from keyvex.store._dynamo_calls import Canceled, CheckFailed, DynamoCalls
from keyvex.store._dynamo_codec import decode_item, encode_item
from keyvex.store._dynamo_rules import (
    check_set_values,
    expired,
    failed,
    key,
    position,
    start_key,
    why_update_failed,
)
from keyvex.store._dynamo_table import init_table
from keyvex.store._model import (
    INDEXES,
    SK,
    CancelReason,
    Check,
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
)
from keyvex.store._protocol import AsyncBackend
from keyvex.store._rules import (
    check_limit,
    check_query,
    check_transaction,
    check_update,
    op_key,
    prepare_put,
)

__all__ = ["DynamoDBItemStore", "init_table"]

_BATCH_GET = 100  # BatchGetItem's limit
_BATCH_WRITE = 25  # BatchWriteItem's limit
_LEFTOVER_ATTEMPTS = 3
_CODES = {
    "ConditionalCheckFailed": CancelReason.CONDITION_FAILED,
    "TransactionConflict": CancelReason.CONFLICT,
}


class DynamoDBItemStore:
    """Async single-table store on DynamoDB (implements ``AsyncBackend``)."""

    def __init__(
        self,
        table: str = "keyvex",
        *,
        clock: Callable[[], float] = time.time,
        max_connections: int = 64,
    ) -> None:
        self.table = table
        self._clock = clock
        self._calls = DynamoCalls(table, max_connections)
        self._sweep_from: dict[str, Any] | None = None

    def now(self) -> float:
        return self._clock()

    def close(self) -> None:
        self._calls.close()

    async def ping(self) -> None:
        await self._calls.call("get_item", Key=key("PING", "PING"))

    def _live(self, raw: dict[str, Any] | None, now: int | None = None) -> Item | None:
        if raw is None:
            return None
        item = decode_item(raw)
        return None if expired(item, int(self._clock()) if now is None else now) else item

    # -- reads -------------------------------------------------------------------------------

    async def get(self, pk: str, sk: str, *, consistent: bool = False) -> Item | None:
        resp = await self._calls.call("get_item", Key=key(pk, sk), ConsistentRead=consistent)
        return self._live(resp.get("Item"))

    async def batch_get(self, keys: Sequence[Key], *, consistent: bool = False) -> list[Item]:
        """Items for ``keys`` in request order; missing or expired keys are skipped."""
        unique = list(dict.fromkeys(keys))
        chunks = [unique[i : i + _BATCH_GET] for i in range(0, len(unique), _BATCH_GET)]
        pages = await asyncio.gather(*(self._batch_get(chunk, consistent) for chunk in chunks))
        now = int(self._clock())
        found: dict[Key, Item] = {}
        for raw in (raw for page in pages for raw in page):
            item = self._live(raw, now)
            if item is not None:
                found[(item["PK"], item["SK"])] = item
        return [found[key] for key in keys if key in found]

    async def _batch_get(self, keys: list[Key], consistent: bool) -> list[dict[str, Any]]:
        request: dict[str, Any] = {
            self.table: {"Keys": [key(*k) for k in keys], "ConsistentRead": consistent}
        }
        found: list[dict[str, Any]] = []
        async for resp in self._calls.until_processed(
            "batch_get_item", "RequestItems", "UnprocessedKeys", request
        ):
            found.extend(resp.get("Responses", {}).get(self.table, []))
        return found

    async def query(
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
        pk_attr, sk_attr = ("PK", "SK") if index is None else INDEXES[index]
        expr = ex.Expr()
        key_condition = ex.key_condition(expr, pk_attr, sk_attr, pk, sk)
        if key_condition is None:
            return Page([], None)
        params: dict[str, Any] = {
            "KeyConditionExpression": key_condition,
            "ScanIndexForward": ascending,
            "ConsistentRead": consistent,
            **expr.params(),
        }
        if index is not None:
            params["IndexName"] = index
        if cursor is not None:
            position = decode_cursor(cursor, index, pk, 1 if index is None else 3)
            params["ExclusiveStartKey"] = start_key(index, pk, position)
        return await self._collect(params, index, pk, size)

    async def _collect(self, params: dict[str, Any], index: str | None, pk: str, size: int) -> Page:
        """Query until ``size`` live items and one more are seen, or the partition ends."""
        items: list[Item] = []
        now = int(self._clock())
        while True:
            params["Limit"] = size + 1 - len(items)
            resp = await self._calls.call("query", **params)
            items.extend(i for i in map(decode_item, resp.get("Items", [])) if not expired(i, now))
            if len(items) > size:
                last = position(items[size - 1], index)
                return Page(items[:size], encode_cursor(index, pk, last))
            if not resp.get("LastEvaluatedKey"):
                return Page(items, None)
            params["ExclusiveStartKey"] = resp["LastEvaluatedKey"]

    # -- writes ------------------------------------------------------------------------------

    async def put(self, item: Item, condition: Condition | None = None) -> Item:
        """Write a whole item; its stored ``version`` is the given version + 1."""
        prepared = prepare_put(item)
        params: dict[str, Any] = {"Item": encode_item(prepared)}
        if condition is not None:
            expr = ex.Expr()
            params["ConditionExpression"] = ex.condition(expr, condition, int(self._clock()))
            params.update(expr.params())
        try:
            await self._calls.call("put_item", **params)
        except CheckFailed:
            raise failed(condition, item["PK"], item["SK"]) from None
        return prepared

    async def update(
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
        check_set_values(change)
        for _ in range(_LEFTOVER_ATTEMPTS):
            now = int(self._clock())
            try:
                resp = await self._calls.call(
                    "update_item", ReturnValues="ALL_NEW", **self._update_params(change, now)
                )
                return decode_item(resp["Attributes"])
            except CheckFailed as refused:
                current = refused.item or await self._raw(pk, sk)
                reason = why_update_failed(change, current, now)
                if reason is CancelReason.CONDITION_FAILED:
                    raise failed(condition, pk, sk) from None
                await self._delete_if_expired(pk, sk, now)
        raise ConditionFailed(f"Item {pk}/{sk} kept changing while it was updated.")

    def _update_params(self, change: Update, now: int) -> dict[str, Any]:
        expr = ex.Expr()
        return {
            "Key": key(change.pk, change.sk),
            "UpdateExpression": ex.update_expression(expr, change, now_iso()),
            "ConditionExpression": ex.update_condition(expr, change, now),
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            **expr.params(),
        }

    async def _raw(self, pk: str, sk: str) -> dict[str, Any] | None:
        resp = await self._calls.call("get_item", Key=key(pk, sk), ConsistentRead=True)
        item: dict[str, Any] | None = resp.get("Item")
        return item

    async def _delete_if_expired(self, pk: str, sk: str, now: int) -> bool:
        expr = ex.Expr()
        try:
            await self._calls.call(
                "delete_item",
                Key=key(pk, sk),
                ConditionExpression=f"{expr.name('ttl')} <= {expr.value(now)}",
                **expr.params(),
            )
        except CheckFailed:
            return False
        return True

    async def delete(self, pk: str, sk: str, condition: Condition | None = None) -> Item | None:
        """Delete an item; returns what was deleted (None if nothing live was there)."""
        now = int(self._clock())
        params: dict[str, Any] = {"Key": key(pk, sk), "ReturnValues": "ALL_OLD"}
        if condition is not None:
            expr = ex.Expr()
            params["ConditionExpression"] = ex.condition(expr, condition, now)
            params.update(expr.params())
        try:
            resp = await self._calls.call("delete_item", **params)
        except CheckFailed:
            raise failed(condition, pk, sk) from None
        return self._live(resp.get("Attributes"), now)

    async def batch_write(self, puts: Sequence[Item] = (), deletes: Sequence[Key] = ()) -> None:
        """Unconditional puts, then deletes (as SQLite applies them); everything is validated
        before anything is written. Not atomic across items, as on SQLite's callers' view."""
        prepared = {(i["PK"], i["SK"]): i for i in (prepare_put(item) for item in puts)}
        put_requests = [{"PutRequest": {"Item": encode_item(i)}} for i in prepared.values()]
        delete_requests = [{"DeleteRequest": {"Key": key(*k)}} for k in dict.fromkeys(deletes)]
        for requests in (put_requests, delete_requests):
            chunks = [requests[i : i + _BATCH_WRITE] for i in range(0, len(requests), _BATCH_WRITE)]
            await asyncio.gather(*(self._batch_write(chunk) for chunk in chunks))

    async def _batch_write(self, requests: list[dict[str, Any]]) -> None:
        async for _ in self._calls.until_processed(
            "batch_write_item", "RequestItems", "UnprocessedItems", {self.table: requests}
        ):
            pass

    async def transact_write(self, ops: Sequence[TransactOp]) -> None:
        """Up to 100 operations on distinct items, applied all together or not at all."""
        check_transaction(ops)
        prepared: list[TransactOp] = []
        for o in ops:
            if isinstance(o, Put):
                prepared.append(Put(prepare_put(o.item), o.condition))
                continue
            if isinstance(o, Update):
                check_update(o)
                check_set_values(o)
            prepared.append(o)
        for _ in range(_LEFTOVER_ATTEMPTS):
            now = int(self._clock())
            items = [self._transact_item(o, now) for o in prepared]
            try:
                await self._calls.call("transact_write_items", TransactItems=items)
                return
            except Canceled as canceled:
                await self._settle(prepared, canceled.reasons, now)
        raise ConditionFailed("The transaction kept meeting items that changed meanwhile.")

    def _transact_item(self, o: TransactOp, now: int) -> dict[str, Any]:
        if isinstance(o, Update):
            return {"Update": {"TableName": self.table, **self._update_params(o, now)}}
        expr = ex.Expr()
        body: dict[str, Any] = {"TableName": self.table}
        if isinstance(o, Put):
            body["Item"] = encode_item(o.item)
        else:
            body["Key"] = key(o.pk, o.sk)
        if o.condition is not None:
            body["ConditionExpression"] = ex.condition(expr, o.condition, now)
            body.update(expr.params())
        kind = {Put: "Put", Delete: "Delete", Check: "ConditionCheck"}[type(o)]
        return {kind: body}

    async def _settle(self, ops: list[TransactOp], reasons: list[dict[str, Any]], now: int) -> None:
        """Raise the typed cancellation, unless the only failures were expired leftovers under
        updates: those are deleted and the caller tries the transaction again."""
        typed: list[CancelReason | None] = []
        leftovers: list[Key] = []
        for o, raw in zip(ops, reasons, strict=True):
            code = raw.get("Code") or "None"
            reason = None if code == "None" else _CODES.get(code, CancelReason.OTHER)
            if code == "ValidationError":
                raise Invalid(f"DynamoDB refused the transaction: {raw.get('Message')}")
            if reason is CancelReason.CONDITION_FAILED and isinstance(o, Update):
                reason = why_update_failed(o, raw.get("Item"), now)
                if reason is None:
                    leftovers.append(op_key(o))
            typed.append(reason)
        if any(typed) or not leftovers:
            codes = [f"{i}: {r.get('Code')}" for i, r in enumerate(reasons) if typed[i]]
            raise TransactionCanceled(f"The transaction was cancelled ({', '.join(codes)}).", typed)
        await asyncio.gather(*(self._delete_if_expired(pk, sk, now) for pk, sk in leftovers))

    async def sweep_expired(self, limit: int = 500) -> int:
        """Delete the expired items among the next ``limit`` items of the table; returns how
        many went (0 when that stretch had none, though others may remain further on).

        DynamoDB's own TTL deletes expired items for free (within days) and reads hide them
        meanwhile, so this only speeds things up: each call scans one bounded page, from
        where the previous call stopped (a whole-table scan per round would cost read
        capacity on every round)."""
        now = int(self._clock())
        expr = ex.Expr()
        params: dict[str, Any] = {
            "FilterExpression": f"{expr.name('ttl')} <= {expr.value(now)}",
            "ProjectionExpression": f"{expr.name('PK')}, {expr.name('SK')}",
            "Limit": limit,
            **expr.params(),
        }
        if self._sweep_from is not None:
            params["ExclusiveStartKey"] = self._sweep_from
        resp = await self._calls.call("scan", **params)
        self._sweep_from = resp.get("LastEvaluatedKey")
        keys = [(raw["PK"]["S"], raw["SK"]["S"]) for raw in resp.get("Items", [])]
        done = await asyncio.gather(*(self._delete_if_expired(pk, sk, now) for pk, sk in keys))
        return sum(done)


if TYPE_CHECKING:  # mypy proves the class implements the protocol ItemStore awaits
    _CONFORMS: type[AsyncBackend] = DynamoDBItemStore
