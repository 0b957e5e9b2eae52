"""The async face of the item store: sync backends on threads (one writer), async ones awaited."""

from __future__ import annotations

import asyncio
import queue
import random
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from functools import partial
from typing import Any, TypeVar

from anyio import to_thread

from keyvex.store._model import (
    SK,
    Condition,
    Item,
    Key,
    Page,
    TransactionCanceled,
    TransactOp,
    WouldBlock,
)
from keyvex.store._protocol import AsyncBackend, Backend, InlineBackend, is_async_backend

T = TypeVar("T")
CONFLICT_ATTEMPTS = 4


class ItemStore:
    """What the web app and services use; never blocks the event loop.

    A backend whose calls cost less on the loop's thread than handed to another
    (``InlineBackend``: SQLite) runs them there unless they would wait; the rest go to
    threads. Writes that cannot run inline are funnelled through one writer thread
    (Datasette's ``execute_write_fn`` pattern). The writer drains every write queued
    meanwhile and hands all their results back to the event loop in one wake-up, so under
    load the cost of crossing threads is shared by many writes. Each write is still its own
    backend call (its own transaction): one failing write never affects another.
    """

    def __new__(cls, backend: Backend | AsyncBackend) -> ItemStore:
        """An async backend (DynamoDB) gets the subclass that awaits it directly."""
        if cls is ItemStore and is_async_backend(backend):
            return super().__new__(_AwaitingItemStore)
        return super().__new__(cls)

    def __init__(self, backend: Backend | AsyncBackend) -> None:
        if is_async_backend(backend):
            raise TypeError("ItemStore.__new__ gives async backends their own class")
        self.backend = backend
        #: The backend's calls are quicker on the event loop's thread than handed to
        #: another (SQLite; see ``SQLiteItemStore``), as long as they need not wait.
        self._inline = backend if isinstance(backend, InlineBackend) else None
        self._inline_writes = 0
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._writer = threading.Thread(
            target=self._write_loop, name="keyvex-store-writer", daemon=True
        )
        self._writer.start()

    def _write_loop(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            batch = [job]
            while True:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._queue.put(None)  # finish this batch, then stop
                    break
                batch.append(more)
            done: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[Any], Any, bool]]] = {}
            for fn, loop, future in batch:
                try:
                    outcome, failed = fn(), False
                except BaseException as exc:  # handed to the awaiting coroutine
                    outcome, failed = exc, True
                if loop is None or future is None:  # housekeeping nobody awaits (checkpoints)
                    continue
                done.setdefault(loop, []).append((future, outcome, failed))
            for loop, results in done.items():
                try:
                    loop.call_soon_threadsafe(_settle, results)
                except RuntimeError:  # the loop closed while its writes ran
                    pass

    async def _read(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if self._inline is not None:
            try:
                return self._inline.run_inline(fn, *args, **kwargs)
            except WouldBlock:
                pass
        return await to_thread.run_sync(partial(fn, *args, **kwargs))

    async def _write(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if self._inline is not None:
            try:
                result = self._inline.run_inline(fn, *args, **kwargs)
            except WouldBlock:
                pass
            else:
                self._inline_writes += 1
                if self._inline_writes % self._inline.CHECKPOINT_EVERY == 0:
                    self._queue.put((self._inline.checkpoint, None, None))
                return result
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._queue.put((partial(fn, *args, **kwargs), loop, future))
        return await future

    async def get(self, pk: str, sk: str, *, consistent: bool = False) -> Item | None:
        """One item; ``consistent=True`` where a conditional write follows (claims)."""
        return await self._read(self.backend.get, pk, sk, consistent=consistent)

    async def batch_get(self, keys: Sequence[Key], *, consistent: bool = False) -> list[Item]:
        return await self._read(self.backend.batch_get, keys, consistent=consistent)

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
        return await self._read(
            self.backend.query,
            pk,
            sk,
            index=index,
            ascending=ascending,
            limit=limit,
            cursor=cursor,
            consistent=consistent,
        )

    async def query_all(
        self, pk: str, sk: SK | None = None, *, index: str | None = None, ascending: bool = True
    ) -> AsyncIterator[Item]:
        """Every item of one partition, page by page (a key query, never a scan)."""
        cursor: str | None = None
        while True:
            page = await self.query(pk, sk, index=index, ascending=ascending, cursor=cursor)
            for item in page.items:
                yield item
            if page.cursor is None:
                return
            cursor = page.cursor

    async def put(self, item: Item, condition: Condition | None = None) -> Item:
        return await self._write(self.backend.put, item, condition)

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
        return await self._write(
            self.backend.update, pk, sk, set=set, add=add, remove=tuple(remove), condition=condition
        )

    async def delete(self, pk: str, sk: str, condition: Condition | None = None) -> Item | None:
        return await self._write(self.backend.delete, pk, sk, condition)

    async def batch_write(self, puts: Sequence[Item] = (), deletes: Sequence[Key] = ()) -> None:
        await self._write(self.backend.batch_write, puts, deletes)

    async def delete_keys(self, keys: Iterable[Key]) -> int:
        """Delete every (PK, SK) given, in order, in batches of 25 (DynamoDB's BatchWriteItem
        limit); returns how many keys were given."""
        ordered = list(dict.fromkeys(keys))
        for start in range(0, len(ordered), 25):
            await self.batch_write(deletes=ordered[start : start + 25])
        return len(ordered)

    async def partition_keys(
        self, pk: str, sk: SK | None = None, *, index: str | None = None
    ) -> list[Key]:
        """The (PK, SK) of every item of one partition (of the table or of an index)."""
        return [(item["PK"], item["SK"]) async for item in self.query_all(pk, sk, index=index)]

    async def transact_write(self, ops: Sequence[TransactOp]) -> None:
        """All or nothing. A transaction cancelled only because others touched its items at
        the same moment (``CancelReason.CONFLICT``) is tried again, up to 4 times with a
        short random pause; a failed condition is an answer and reaches the caller at once."""
        for attempt in range(CONFLICT_ATTEMPTS):
            try:
                await self._transact_once(ops)
                return
            except TransactionCanceled as exc:
                if not exc.conflict_only or attempt == CONFLICT_ATTEMPTS - 1:
                    raise
                await asyncio.sleep(random.uniform(0.005, 0.02) * 2**attempt)

    async def _transact_once(self, ops: Sequence[TransactOp]) -> None:
        await self._write(self.backend.transact_write, ops)

    async def sweep_expired(self, limit: int = 500) -> int:
        return await self._write(self.backend.sweep_expired, limit)

    def now(self) -> float:
        """The store's clock (cheap, no I/O): what TTLs are compared with."""
        return self.backend.now()

    async def ping(self) -> None:
        await self._read(self.backend.ping)

    def close(self) -> None:
        self._queue.put(None)
        self._writer.join(timeout=30)
        self.backend.close()


_Job = tuple[Callable[[], Any], asyncio.AbstractEventLoop | None, "asyncio.Future[Any] | None"]


def _settle(results: list[tuple[asyncio.Future[Any], Any, bool]]) -> None:
    for future, outcome, failed in results:
        if future.cancelled():
            continue
        if failed:
            future.set_exception(outcome)
        else:
            future.set_result(outcome)


class _AwaitingItemStore(ItemStore):
    """``ItemStore`` over an :class:`AsyncBackend`: every operation is awaited directly on
    the caller's loop (no threads, no writer queue); paging, batched deletes and conflict
    retries are the base class's."""

    def __init__(self, backend: Backend | AsyncBackend) -> None:
        if not is_async_backend(backend):
            raise TypeError("a synchronous backend belongs to ItemStore itself")
        self.aio = backend

    async def get(self, pk: str, sk: str, *, consistent: bool = False) -> Item | None:
        return await self.aio.get(pk, sk, consistent=consistent)

    async def batch_get(self, keys: Sequence[Key], *, consistent: bool = False) -> list[Item]:
        return await self.aio.batch_get(keys, consistent=consistent)

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
        return await self.aio.query(
            pk, sk, index=index, ascending=ascending, limit=limit, cursor=cursor,
            consistent=consistent,
        )  # fmt: skip

    async def put(self, item: Item, condition: Condition | None = None) -> Item:
        return await self.aio.put(item, condition)

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
        return await self.aio.update(
            pk, sk, set=set, add=add, remove=tuple(remove), condition=condition
        )

    async def delete(self, pk: str, sk: str, condition: Condition | None = None) -> Item | None:
        return await self.aio.delete(pk, sk, condition)

    async def batch_write(self, puts: Sequence[Item] = (), deletes: Sequence[Key] = ()) -> None:
        await self.aio.batch_write(puts, deletes)

    async def _transact_once(self, ops: Sequence[TransactOp]) -> None:
        await self.aio.transact_write(ops)

    async def sweep_expired(self, limit: int = 500) -> int:
        return await self.aio.sweep_expired(limit)

    def now(self) -> float:
        return self.aio.now()

    async def ping(self) -> None:
        await self.aio.ping()

    def close(self) -> None:
        self.aio.close()
