"""The async face of the item store: reads on worker threads, writes on one writer thread."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from anyio import to_thread

from keyvex.store._model import SK, Condition, Item, Key, Page, TransactOp
from keyvex.store._protocol import Backend

T = TypeVar("T")


class ItemStore:
    """What the web app and services use; never blocks the event loop.

    Writes are funnelled through a single-thread executor (Datasette's
    ``execute_write_fn`` pattern) so a burst of requests does not pile up on the
    backend's write lock across many threads.
    """

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="keyvex-store-writer")

    async def _read(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await to_thread.run_sync(partial(fn, *args, **kwargs))

    async def _write(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._writer, partial(fn, *args, **kwargs))

    async def get(self, pk: str, sk: str) -> Item | None:
        return await self._read(self.backend.get, pk, sk)

    async def batch_get(self, keys: Sequence[Key]) -> list[Item]:
        return await self._read(self.backend.batch_get, keys)

    async def query(
        self,
        pk: str,
        sk: SK | None = None,
        *,
        index: str | None = None,
        ascending: bool = True,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page:
        return await self._read(
            self.backend.query,
            pk,
            sk,
            index=index,
            ascending=ascending,
            limit=limit,
            cursor=cursor,
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

    async def transact_write(self, ops: Sequence[TransactOp]) -> None:
        await self._write(self.backend.transact_write, ops)

    async def sweep_expired(self, limit: int = 500) -> int:
        return await self._write(self.backend.sweep_expired, limit)

    async def ping(self) -> None:
        await self._read(self.backend.ping)

    def close(self) -> None:
        self._writer.shutdown(wait=True)
        self.backend.close()
