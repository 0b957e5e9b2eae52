"""The pure ASGI edge layer: request id and access log, security headers, body limits, CSRF cookie.

The body limits raise a Keyvex error from ``receive``: wherever the body is read (FastAPI's
body parsing, a route's own ``request.body()``, a form, an upload stream) the error reaches the
one error handler as a sentence (see ``keyvex.web.errors``).
"""

from __future__ import annotations

import itertools
import re
import secrets
import time
from collections.abc import Callable
from http.cookies import SimpleCookie

import structlog
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


#: Security headers every response gets unless the route set its own.
_SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)
_HSTS = (b"strict-transport-security", b"max-age=31536000")
_DENY_FRAMES = (b"x-frame-options", b"DENY")

#: Routes that stream a data file to the blob store take the larger upload limit, and their
#: bodies are files, not JSON: a binary file would look like random brackets to the depth scan.
UPLOAD_PATHS = re.compile(r"^/(api/v1/data-sources|dashboard/data)/(uploads|[0-9a-f]{16}/file)$")


class EdgeMiddleware:
    """Everything every HTTP request goes through, in one layer (one wrapper of ``receive``
    and one of ``send``, where five nested middlewares cost a cheap request a third of its
    time):

    - a request id (the client's ``X-Request-ID`` when well formed), bound to every log line
      of the request and returned in ``X-Request-ID``; one access line (always for a 5xx);
    - security headers, unless the route set its own (the embed page sets its own CSP and
      decides about framing itself); HSTS over https;
    - body limits: bodies over ``max_bytes`` (``upload_bytes`` on ``UPLOAD_PATHS``), announced
      or streamed, and bodies nesting brackets deeper than ``MAX_DEPTH`` (scanned before any
      parsing, whatever the content type, uploads excepted) raise a Keyvex error from
      ``receive``, so wherever the body is read the one error handler answers with a sentence;
    - the CSRF cookie: a browser without one gets a random one, but only with a response
      that rendered a form token (see ``csrf.py``), so public pages and the API set none.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        upload_bytes: int | None = None,
        access_log: bool = True,
        max_depth: int = MAX_DEPTH,
        record: Callable[[Scope, int, float], None] | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_bytes = upload_bytes or max_bytes
        self.access_log = access_log
        self.max_depth = max_depth
        #: Called with (scope, status, seconds) once the response has gone (the metrics).
        self.record = record

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _REQUEST_ID.match(incoming) else new_request_id()
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        state["csrf_cookie"] = _valid_csrf_cookie(headers.get(b"cookie"))
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started, status = time.perf_counter(), 500
        https = is_https(scope)
        browser_cookie = state["csrf_cookie"]

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                raw = list(message.get("headers", ()))
                _secure(raw, https)
                raw.append((b"x-request-id", request_id.encode()))
                cookie = state.get("csrf_cookie")
                if state.get("csrf_used") and cookie and cookie != browser_cookie:
                    raw.append((b"set-cookie", _csrf_set_cookie(cookie, https)))
                message["headers"] = raw
            await send(message)

        try:
            await self.app(scope, self._limited(scope, headers, receive), send_wrapper)
        finally:
            elapsed = time.perf_counter() - started
            if self.record is not None:
                self.record(scope, status, elapsed)
            if self.access_log or status >= 500:
                log.info(
                    "request",
                    method=scope["method"],
                    path=scope["path"],
                    status=status,
                    ms=round(elapsed * 1000, 1),
                )
            structlog.contextvars.unbind_contextvars("request_id")

    def _limited(self, scope: Scope, headers: dict[bytes, bytes], receive: Receive) -> Receive:
        """``receive`` with the size limit and, except for uploads, the nesting scan."""
        upload = UPLOAD_PATHS.match(scope.get("path", "")) is not None
        limit = self.upload_bytes if upload else self.max_bytes
        too_large = f"The request body is larger than the {limit // 1000} KB allowed."
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            scope["state"]["body_too_large"] = too_large
        scanner = None if upload else NestingScanner(self.max_depth)
        received = 0

        async def receive_wrapper() -> Message:
            nonlocal received
            if scope["state"].get("body_too_large"):
                raise PayloadTooLarge(too_large)
            message = await receive()
            if message["type"] == "http.request":
                body = message.get("body", b"")
                received += len(body)
                if received > limit:
                    raise PayloadTooLarge(too_large)
                if scanner is not None:
                    scanner.feed(body, last=not message.get("more_body", False))
            return message

        return receive_wrapper


def _secure(raw: list[tuple[bytes, bytes]], https: bool) -> None:
    """Add the security headers a response has not set itself."""
    present = {name.lower() for name, _ in raw}
    own_csp = b"content-security-policy" in present
    for header in _SECURITY_HEADERS:
        if header[0] not in present:
            raw.append(header)
    if not own_csp and _DENY_FRAMES[0] not in present:
        raw.append(_DENY_FRAMES)
    if https and _HSTS[0] not in present:
        raw.append(_HSTS)


def new_csrf_cookie() -> str:
    return secrets.token_urlsafe(32)


def _csrf_set_cookie(value: str, https: bool) -> bytes:
    cookie = f"{CSRF_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax"
    return (cookie + ("; Secure" if https else "")).encode("latin-1")


def _valid_csrf_cookie(raw: bytes | None) -> str | None:
    value = _cookie(raw, CSRF_COOKIE)
    return value if value is not None and _CSRF_VALUE.match(value) else None


def _cookie(raw: bytes | None, name: str) -> str | None:
    if not raw:
        return None
    jar = SimpleCookie()
    try:
        jar.load(raw.decode("latin-1"))
    except Exception:  # a malformed Cookie header is the client's problem, not a 500
        return None
    morsel = jar.get(name)
    return None if morsel is None else str(morsel.value)
