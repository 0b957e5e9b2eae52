"""Pure ASGI middlewares: request id and access log, security headers, body limits, CSRF cookie.

The body limits raise a Keyvex error from ``receive``: wherever the body is read (FastAPI's
body parsing, a route's own ``request.body()``, a form, an upload stream) the error reaches the
one error handler as a sentence (see ``keyvex.web.errors``).
"""

from __future__ import annotations

import itertools
import re
import secrets
import time
from http.cookies import SimpleCookie

import structlog
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from keyvex.errors import PayloadTooLarge
from keyvex.logs import get_logger
from keyvex.web._nesting import MAX_DEPTH, NestingScanner

log = get_logger("keyvex.http")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'; frame-ancestors 'none'"
)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Request ids need to be unique, not secret: a random per-process prefix and a counter
# (an urandom call per request costs more than the rest of a cached page view).
_ID_PREFIX = secrets.token_hex(4)
_ID_COUNTER = itertools.count(1)


def new_request_id() -> str:
    return f"{_ID_PREFIX}{next(_ID_COUNTER):08x}"


CSRF_COOKIE = "kvx_csrf"
_CSRF_VALUE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


def is_https(scope: Scope) -> bool:
    return scope.get("scheme") in ("https", "wss")


class RequestContextMiddleware:
    """Binds a request id to every log line of the request and logs one access line."""

    def __init__(self, app: ASGIApp, access_log: bool = True) -> None:
        self.app = app
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _REQUEST_ID.match(incoming) else new_request_id()
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started, status = time.perf_counter(), 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message).append("X-Request-ID", request_id)
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            if self.access_log or status >= 500:
                log.info(
                    "request",
                    method=scope["method"],
                    path=scope["path"],
                    status=status,
                    ms=round((time.perf_counter() - started) * 1000, 1),
                )
            structlog.contextvars.unbind_contextvars("request_id")


class SecurityHeadersMiddleware:
    """Adds security headers unless a route set its own (embeds relax frame-ancestors)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = is_https(scope)

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                # A route that sets its own CSP (the embed page) decides about framing itself.
                own_csp = "content-security-policy" in headers
                defaults = {
                    "Content-Security-Policy": CSP,
                    "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "strict-origin-when-cross-origin",
                    "Cross-Origin-Opener-Policy": "same-origin",
                    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
                }
                if not own_csp:
                    defaults["X-Frame-Options"] = "DENY"
                if https:
                    defaults["Strict-Transport-Security"] = "max-age=31536000"
                for name, value in defaults.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_wrapper)


#: Routes that stream a data file to the blob store take the larger upload limit, and their
#: bodies are files, not JSON: a binary file would look like random brackets to the depth scan.
UPLOAD_PATHS = re.compile(r"^/(api/v1/data-sources|dashboard/data)/(uploads|[0-9a-f]{16}/file)$")


class BodySizeLimitMiddleware:
    """Refuses request bodies over the limit, whether announced or streamed.

    Data-file upload routes (``UPLOAD_PATHS``) get ``upload_bytes`` instead: they stream
    the body to disk as it arrives, never holding it in memory.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, upload_bytes: int | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_bytes = upload_bytes or max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes
        if UPLOAD_PATHS.match(scope.get("path", "")):
            limit = self.upload_bytes
        declared = dict(scope["headers"]).get(b"content-length")
        too_large = f"The request body is larger than the {limit // 1000} KB allowed."
        if declared is not None and declared.isdigit() and int(declared) > limit:
            scope.setdefault("state", {})["body_too_large"] = too_large
        received = 0

        async def receive_wrapper() -> Message:
            nonlocal received
            if scope.get("state", {}).get("body_too_large"):
                raise PayloadTooLarge(too_large)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise PayloadTooLarge(too_large)
            return message

        await self.app(scope, receive_wrapper, send)


class JsonNestingLimitMiddleware:
    """Refuses any body nesting brackets deeper than ``max_depth`` (422), before it is parsed.

    Every body but data-file uploads is scanned, whatever its content type: the public
    endpoints parse JSON sent as ``text/plain`` (sendBeacon), FastAPI parses bodies sent with
    no content type, and a form may carry a JSON file. The scan is linear and recursion-free.
    """

    def __init__(self, app: ASGIApp, max_depth: int = MAX_DEPTH) -> None:
        self.app = app
        self.max_depth = max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or UPLOAD_PATHS.match(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        scanner = NestingScanner(self.max_depth)

        async def receive_wrapper() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                scanner.feed(message.get("body", b""))
            return message

        await self.app(scope, receive_wrapper, send)


class CsrfCookieMiddleware:
    """Gives a browser a random CSRF cookie when a page renders a form token (see csrf.py).

    The cookie is only sent with responses that used it, so public tool pages and the API
    set no cookie at all (visitor analytics are cookie-free).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        value = _cookie(scope, CSRF_COOKIE)
        fresh = value is None or not _CSRF_VALUE.match(value)
        if fresh:
            value = secrets.token_urlsafe(32)
        state = scope.setdefault("state", {})
        state["csrf_cookie"] = value
        https = is_https(scope)

        async def send_wrapper(message: Message) -> None:
            if fresh and state.get("csrf_used") and message["type"] == "http.response.start":
                cookie = f"{CSRF_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax"
                MutableHeaders(scope=message).append(
                    "Set-Cookie", cookie + ("; Secure" if https else "")
                )
            await send(message)

        await self.app(scope, receive, send_wrapper)


def _cookie(scope: Scope, name: str) -> str | None:
    raw = dict(scope["headers"]).get(b"cookie")
    if not raw:
        return None
    jar = SimpleCookie()
    try:
        jar.load(raw.decode("latin-1"))
    except Exception:  # a malformed Cookie header is the client's problem, not a 500
        return None
    morsel = jar.get(name)
    return None if morsel is None else str(morsel.value)
