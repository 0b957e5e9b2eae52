"""The session event stream: replay after ``Last-Event-ID``, then live events, over SSE.

Closing the stream (a closed tab, a lost connection) only ends this generator: the jobs
that produce events run on their own, so a build finishes and its events are in the log
when the page comes back and resumes from the last id it saw. The build may run in another
process than the stream: its appends wake this stream through the bus (``listen``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from sse_starlette import EventSourceResponse, ServerSentEvent

from keyvex.app import App
from keyvex.cocreate.events import events_after, listen
from keyvex.cocreate.models import Event

#: How often a quiet stream re-reads the log: the safety net for events appended by other
#: processes (announced at once through ``app.bus`` when KEYVEX_REDIS_URL is set).
POLL_SECONDS = 2.0
PING_SECONDS = 15


def parse_last_event_id(header: str | None, query: str | None) -> int:
    """The id the client saw last (header first, then ``?last_event_id=``); 0 if none or bad."""
    for raw in (header, query):
        if raw is not None and raw.strip().isdigit() and len(raw.strip()) <= 12:
            return int(raw.strip())
    return 0


def _sse(event: Event) -> ServerSentEvent:
    return ServerSentEvent(data=event.data_json(), event=event.type, id=str(event.id))


async def session_events(app: App, sid: str, after: int) -> AsyncIterator[ServerSentEvent]:
    """Every event after ``after``, then each new one as it is appended, in order."""
    last = after
    async with listen(app, sid) as live:  # listen first, so nothing slips between the two
        for stored in await events_after(app, sid, last):
            yield _sse(stored)
            last = stored.id
        while True:
            event: Event | None
            try:
                event = await asyncio.wait_for(live.get(), POLL_SECONDS)
            except TimeoutError:
                event = None
            if event is not None and event.id == last + 1:
                yield _sse(event)
                last = event.id
            elif event is None or event.id > last:  # woken, a gap or a quiet spell: read the log
                for stored in await events_after(app, sid, last):
                    yield _sse(stored)
                    last = stored.id


def event_response(app: App, sid: str, after: int) -> EventSourceResponse:
    return EventSourceResponse(
        session_events(app, sid, after),
        ping=PING_SECONDS,
        headers={"Cache-Control": "no-store"},
    )
