"""The backend interfaces item-store engines implement: synchronous (SQLite) or async."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TypeVar, runtime_checkable

from typing_extensions import TypeIs

from keyvex.store._model import SK, Condition, Item, Key, Page, TransactOp

T = TypeVar("T")


class Backend(Protocol):
    """Maps one-to-one onto DynamoDB operations (see README, "Item store").

    Reads take ``consistent``: True asks for a strongly consistent read (what a claim or a
    read-then-conditional-write needs), False allows an eventually consistent one (cheaper on
    DynamoDB). Index queries are eventually consistent on every backend that has replicas,
    so ``consistent=True`` with an index is refused. SQLite reads are always consistent.
    """

    def get(self, pk: str, sk: str, *, consistent: bool = False) -> Item | None: ...

    def batch_get(self, keys: Sequence[Key], *, consistent: bool = False) -> list[Item]: ...

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
    ) -> Page: ...

    def put(self, item: Item, condition: Condition | None = None) -> Item: ...

    def update(
        self,
        pk: str,
        sk: str,
        *,
        set: Item | None = None,
        add: dict[str, float] | None = None,
        remove: Iterable[str] = (),
        condition: Condition | None = None,
    ) -> Item: ...

    def delete(self, pk: str, sk: str, condition: Condition | None = None) -> Item | None: ...

    def batch_write(self, puts: Sequence[Item] = (), deletes: Sequence[Key] = ()) -> None: ...

    def transact_write(self, ops: Sequence[TransactOp]) -> None: ...

    def sweep_expired(self, limit: int = 500) -> int: ...

    def ping(self) -> None: ...

    def now(self) -> float:
        """The store's clock (epoch seconds): what TTLs are compared with."""
        ...

    def close(self) -> None: ...


@runtime_checkable
class InlineBackend(Protocol):
    """A backend whose calls cost less on the event loop's thread than handed to another,
    as long as they need not wait (SQLite; see ``SQLiteItemStore``)."""

    #: Inline commits between two checkpoints run on the writer thread.
    CHECKPOINT_EVERY: int

    def run_inline(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call ``fn`` (a method of the backend); raises ``WouldBlock`` instead of waiting."""
        ...

    def checkpoint(self) -> None: ...


class AsyncBackend(Protocol):
    """The same operations as :class:`Backend`, awaited (DynamoDB through aiobotocore).

    ``ItemStore`` awaits them directly: no thread per call, no writer thread (the service
    serialises conflicting writes itself). ``now`` and ``close`` stay synchronous: the clock
    is cheap and closing happens where no event loop may be running.
    """

    async def get(self, pk: str, sk: str, *, consistent: bool = False) -> Item | None: ...

    async def batch_get(self, keys: Sequence[Key], *, consistent: bool = False) -> list[Item]: ...

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
    ) -> Page: ...

    async def put(self, item: Item, condition: Condition | None = None) -> Item: ...

    async def update(
        self,
        pk: str,
        sk: str,
        *,
        set: Item | None = None,
        add: dict[str, float] | None = None,
        remove: Iterable[str] = (),
        condition: Condition | None = None,
    ) -> Item: ...

    async def delete(self, pk: str, sk: str, condition: Condition | None = None) -> Item | None: ...

    async def batch_write(self, puts: Sequence[Item] = (), deletes: Sequence[Key] = ()) -> None: ...

    async def transact_write(self, ops: Sequence[TransactOp]) -> None: ...

    async def sweep_expired(self, limit: int = 500) -> int: ...

    async def ping(self) -> None: ...

    def now(self) -> float: ...

    def close(self) -> None: ...


def is_async_backend(backend: Backend | AsyncBackend) -> TypeIs[AsyncBackend]:
    """Whether ``backend``'s operations are coroutines (an :class:`AsyncBackend`)."""
    return inspect.iscoroutinefunction(type(backend).get)
