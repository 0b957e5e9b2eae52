"""The in-process bus: a publish reaches this process's subscribers at once (one process)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

from keyvex.bus.messages import Message
from keyvex.logs import get_logger

M = TypeVar("M", bound=Message)
log = get_logger("keyvex.bus")


class Bus:
    """Typed publish/subscribe between the parts of an app. Handlers are quick and
    synchronous (drop a cache entry, wake a queue); a failing one is logged, never raised
    to the publisher. ``RedisBus`` extends it to every process sharing a Redis."""

    mode = "in-process"

    def __init__(self) -> None:
        self._handlers: dict[type[BaseModel], list[Callable[[Any], None]]] = {}

    def subscribe(self, kind: type[M], handler: Callable[[M], None]) -> None:
        self._handlers.setdefault(kind, []).append(handler)

    def publish(self, message: Message) -> None:
        """Deliver ``message`` here now (and, for a shared bus, to the other processes)."""
        self.deliver(message)

    def deliver(self, message: Message) -> None:
        """Run this process's handlers for ``message``."""
        for handler in self._handlers.get(type(message), ()):
            try:
                handler(message)
            except Exception as exc:  # one broken subscriber must not stop the others
                log.warning("bus handler failed", kind=message.kind, error=str(exc))

    async def start(self) -> None:
        """Begin receiving other processes' messages (nothing to do in one process)."""

    async def flush(self, timeout: float = 5.0) -> bool:
        """Wait until published messages have left this process; False on timeout."""
        return True

    async def aclose(self) -> None:
        """Stop receiving and release connections."""
