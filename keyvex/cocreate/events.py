"""The session event log: numbered events persisted in the store, pushed live to listeners.

Each event is one item ``SESSION#{sid}`` / ``EVENT#{n:08d}``, written with a not-exists
condition, so numbers are unique even when several processes write to one session. A
process remembers the last number per session and appends under a per-session lock, so a
listener never sees event n+1 before event n. Listeners in this process get each event
pushed right after it is stored (no store read on the live path). Every append is also
announced on ``app.bus`` (``Appended``): with KEYVEX_REDIS_URL, listeners in the other
processes get a wake-up (``None`` on their queue) and read the log at once; the periodic
read of the log stays as the safety net, and the log stays the only truth.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator
from typing import Any

from keyvex.app import App
from keyvex.bus import Appended, Reset
from keyvex.caches import CacheSpec
from keyvex.cocreate.models import Event, EventType, event_key
from keyvex.store import SK, Condition, ConditionFailed

_MAX_REMEMBERED = 10_000


class EventHub:
    """Per-process state of the event logs: last numbers, append locks, live listeners."""

    def __init__(self) -> None:
        self.last: dict[str, int] = {}
        #: Each listener's queue gets this process's events, and ``None`` when the log
        #: grew elsewhere (read it).
        self.listeners: dict[str, set[asyncio.Queue[Event | None]]] = {}
        self._locks: weakref.WeakValueDictionary[tuple[str, str], asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

    def lock(self, sid: str, purpose: str = "append") -> asyncio.Lock:
        """A per-session lock: ``append`` orders events, ``work`` runs one job at a time."""
        found = self._locks.get((purpose, sid))
        if found is None:
            found = self._locks[(purpose, sid)] = asyncio.Lock()
        return found

    def publish(self, sid: str, event: Event) -> None:
        for queue in self.listeners.get(sid, ()):
            queue.put_nowait(event)

    def wake(self, message: Appended) -> None:
        """Another process appended to a session: its listeners here read the log."""
        known = self.last.get(message.sid)
        if known is not None and known >= message.seq:
            return  # appended here: the listeners got the event itself
        self.last.pop(message.sid, None)  # the next append here must look at the log's end
        for queue in self.listeners.get(message.sid, ()):
            queue.put_nowait(None)

    def wake_all(self, _: Reset) -> None:
        """Wake-ups may have been missed: every listener reads its log."""
        self.last.clear()
        for group in self.listeners.values():
            for queue in group:
                queue.put_nowait(None)


#: This process's hub (listeners and locks live here, so it is one object per App).
HUB: CacheSpec[str, EventHub] = CacheSpec("co-creation event hub", max_entries=1)


def hub(app: App) -> EventHub:
    cache = app.caches(HUB)
    found = cache.get("hub")
    if found is None:
        found = cache["hub"] = EventHub()
        app.bus.subscribe(Appended, found.wake)
        app.bus.subscribe(Reset, found.wake_all)
    return found


async def last_event_id(app: App, sid: str) -> int:
    """The number of the newest event of a session (0 when there is none)."""
    page = await app.store.query(
        f"SESSION#{sid}", SK.begins_with("EVENT#"), ascending=False, limit=1
    )
    return int(page.items[0]["seq"]) if page.items else 0


async def append_event(app: App, sid: str, type_: EventType, data: dict[str, Any]) -> Event:
    """Store the next event of a session and push it to this process's listeners."""
    events = hub(app)
    async with events.lock(sid):
        for _ in range(10):
            seq = events.last.get(sid)
            if seq is None:
                seq = await last_event_id(app, sid)
            event = Event(id=seq + 1, type=type_, data=data)
            try:
                await app.store.put(event.to_item(sid), Condition.not_exists())
            except ConditionFailed:  # another process appended meanwhile: re-read the end
                events.last.pop(sid, None)
                continue
            if len(events.last) >= _MAX_REMEMBERED:
                events.last.clear()
            events.last[sid] = event.id
            events.publish(sid, event)
            app.bus.publish(Appended(sid=sid, seq=event.id))
            return event
    raise ConditionFailed("The session's event log is too busy; try again.")


async def events_after(app: App, sid: str, after: int) -> list[Event]:
    """Every stored event with a number above ``after``, oldest first."""
    return [
        Event.from_item(item)
        async for item in app.store.query_all(
            f"SESSION#{sid}", SK.between(event_key(sid, after + 1)[1], "EVENT#99999999")
        )
    ]


@contextlib.asynccontextmanager
async def listen(app: App, sid: str) -> AsyncIterator[asyncio.Queue[Event | None]]:
    """A queue receiving every event appended in this process while the block runs, and
    ``None`` when one was appended in another process (read the log then)."""
    listeners = hub(app).listeners
    queue: asyncio.Queue[Event | None] = asyncio.Queue()
    listeners.setdefault(sid, set()).add(queue)
    try:
        yield queue
    finally:
        group = listeners.get(sid)
        if group is not None:
            group.discard(queue)
            if not group:
                del listeners[sid]


class TextRelay:
    """Relays a model's text deltas as ``text`` events without slowing the model down.

    The first delta is stored and pushed at once; after each event the relay gathers what
    arrives for up to ``interval`` seconds (25 ms: quicker than a person reads) and sends it
    as one event, so a fast model costs a handful of store writes instead of one per token,
    and the model's own stream is barely delayed. Replay stays exact: every event is stored
    before it is pushed. ``close()`` sends what is left at once.
    """

    def __init__(self, app: App, sid: str, interval: float = 0.025) -> None:
        self.app, self.sid, self.interval = app, sid, interval
        self.text = ""
        self._pending: list[str] = []
        self._drain: asyncio.Task[None] | None = None
        self._closing = asyncio.Event()

    async def push(self, delta: str) -> None:
        if not delta:
            return
        self.text += delta
        self._pending.append(delta)
        if self._drain is None or self._drain.done():
            self._drain = asyncio.get_running_loop().create_task(self._flush())
            await asyncio.sleep(0)  # let it take this delta now: the first one is never held

    async def _flush(self) -> None:
        while self._pending:
            chunk = "".join(self._pending)
            self._pending.clear()
            await append_event(self.app, self.sid, "text", {"delta": chunk})
            if not self._closing.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._closing.wait(), self.interval)

    async def close(self) -> None:
        """Send every delta pushed so far, without waiting for the next frame."""
        self._closing.set()
        if self._drain is not None:
            await self._drain
        if self._pending:
            await self._flush()
