"""The hot path for public pages: repeat GET /t/{slug} served from whole cached responses.

A tool page is the same for every visitor (no cookie, no user, no per-request data), so the
first request for a slug goes through the full stack (middlewares, routing, publishing
lookup, rendering) and its complete response, security headers included, is kept. Later
requests within ``publish_cache_seconds`` get those bytes straight from this outermost ASGI
layer, with a fresh request id; after that the full path runs again and re-validates the
tool against the store. A publish or unpublish in this process drops the entry at once.
The view is still counted (in a background task, skipped when this process has just
counted the same visitor), and the request is recorded in the HTTP metrics under the page's
route template like any other (``record``, the same recorder ``EdgeMiddleware`` uses), so a
busy public page does not vanish from the request counts once it is cached.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from keyvex.analytics import record_event, view_already_counted
from keyvex.app import App
from keyvex.caches import CacheSpec
from keyvex.logs import get_logger
from keyvex.tools.publishing import PUBLISHED
from keyvex.web.middleware import new_request_id

_PAGE = re.compile(r"^/t/([a-z0-9][a-z0-9-]{0,59})$")
_DROPPED = {b"x-request-id", b"date"}
log = get_logger("keyvex.public")
_Entry = tuple[float, Any, list[tuple[bytes, bytes]], bytes]
#: Whole responses by (slug, scheme): (captured at, tool object, headers, body). A page is
#: at most some tens of KB; the bound keeps a site with many tools from filling memory.
RENDERED: CacheSpec[tuple[str, str], _Entry] = CacheSpec("rendered public pages", 2048)


class PublicPageCache:
    """ASGI layer wrapped around the whole app (see ``install``) answering repeat tool-page
    requests from memory."""

    def __init__(
        self, app: ASGIApp, state: App, record: Callable[[Scope, int, float], None] | None = None
    ) -> None:
        self.app = app
        self.state = state
        self.entries = state.caches(RENDERED)
        self.tasks: set[asyncio.Task[None]] = set()
        self.record = record
        #: What the metrics know the page route by: the scope the full stack routed.
        self.routed: Scope | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = None
        if scope["type"] == "http" and scope["method"] == "GET" and not scope["query_string"]:
            match = _PAGE.match(scope["path"])
        if match is None:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        slug = match.group(1)
        key = (slug, scope.get("scheme", "http"))
        entry = self.entries.get(key)
        live = self.state.caches(PUBLISHED).get(slug)
        ttl = self.state.settings.publish_cache_seconds
        if (
            entry is not None
            and live is not None
            and live[2] is entry[1]  # rendered from the definition that is live now
            and time.monotonic() - entry[0] < ttl
        ):
            await self._serve(scope, send, entry[2], entry[3], entry[1])
            if self.record is not None and self.routed is not None:
                self.record(self.routed, 200, time.perf_counter() - started)
            return
        await self._capture(scope, receive, send, key)

    async def _serve(
        self, scope: Scope, send: Send, headers: list[tuple[bytes, bytes]], body: bytes, tool: Any
    ) -> None:
        request_id = new_request_id().encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [*headers, (b"x-request-id", request_id)],
            }
        )
        await send({"type": "http.response.body", "body": body})
        try:
            self._count_view(scope, tool)
        except Exception as exc:  # this layer sits outside the error handlers: never raise
            log.warning("view not recorded", slug=tool.slug, error=str(exc))
        if self.state.settings.access_log:
            log.info("request", method="GET", path=scope["path"], status=200, cached=True)

    def _count_view(self, scope: Scope, tool: Any) -> None:
        client = scope.get("client")
        ip = client[0] if client else ""
        agent = dict(scope["headers"]).get(b"user-agent", b"").decode("latin-1")[:500]
        if view_already_counted(self.state, tool.tool_id, ip, agent):
            return
        task = asyncio.get_running_loop().create_task(self._record(tool, ip, agent))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _record(self, tool: Any, ip: str, agent: str) -> None:
        try:
            await record_event(self.state, tool, "view", step=None, ip=ip, user_agent=agent)
        except Exception as exc:  # counting is best effort and must never break a page
            log.warning("view not recorded", slug=tool.slug, error=str(exc))

    async def _capture(
        self, scope: Scope, receive: Receive, send: Send, key: tuple[str, str]
    ) -> None:
        """Run the full stack; keep a complete, plain 200 response for the next visitors."""
        started = time.monotonic()
        head: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                head.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and head.get("status") == 200:
                    headers = [(k, v) for k, v in head["headers"] if k.lower() not in _DROPPED]
                    live = self.state.caches(PUBLISHED).get(key[0])
                    cookie = any(k.lower() == b"set-cookie" for k, _ in headers)
                    if live is not None and not cookie:
                        self.entries[key] = (started, live[2], headers, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, send_wrapper)
        routed = scope.get("route") or scope.get("endpoint")  # as HttpRecorder reads them
        if self.routed is None and head.get("status") == 200 and routed is not None:
            self.routed = {"method": "GET", "route": scope.get("route"), "endpoint": routed}


def install(
    app: Any, state: App, record: Callable[[Scope, int, float], None] | None = None
) -> None:
    """Wrap the app's complete middleware stack (FastAPI's own layers included), so a cached
    page skips every layer (``record``: the HTTP metrics recorder, called for each page
    served from the cache); the rest of the app is untouched."""
    build = app.build_middleware_stack

    def build_with_cache() -> ASGIApp:
        return PublicPageCache(build(), state, record)

    app.build_middleware_stack = build_with_cache
