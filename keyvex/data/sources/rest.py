"""REST API sources: JSON records from one URL, following next links or page numbers.

Every request goes through the SSRF guard (``keyvex.net.send``): public addresses only
(loopback only when ``ctx.allow_loopback``, for tests), redirects never followed, a timeout and
a size cap per page (``min(ctx.max_bytes, 20 MB)``). Next links are resolved against the page
they came from, checked by the guard like the first URL and must stay on the configured host,
so the secret headers are never sent anywhere else. A page seen twice ends the walk.

Secrets: ``secret_headers`` (a JSON object, e.g. ``{"Authorization": "Bearer ..."}``) is
stored encrypted; plain ``headers`` refuse credential-looking names so a token never lands
in the non-secret config. No message ever contains a secret header value.

Statuses: 3xx refused (redirects are not followed), 401/403 auth, 404 not_found, 429
rate_limited after up to two retries when ``Retry-After`` is at most 5 seconds, 5xx
unreachable, other 4xx config. Records become rows as described in ``_records``.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Annotated, Any, Literal
from urllib.parse import quote, quote_plus, urljoin

import httpx
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    ValidationError,
    field_validator,
    model_validator,
)

from keyvex.data._types import (
    Connector,
    Dataset,
    FailureKind,
    SecretField,
    SourceConfig,
    SourceContext,
    SourceError,
)
from keyvex.data.sources import register
from keyvex.data.sources._records import records_at, to_dataset
from keyvex.net.outbound import OutboundRefused, OutboundResponse, send

PAGE_CAP = 20_000_000
RETRIES = 2
MAX_RETRY_WAIT = 5.0
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$")
_RESERVED = frozenset({"host", "content-length", "transfer-encoding", "connection", "te"})
_CREDENTIAL = ("auth", "token", "secret", "password", "api-key", "apikey", "cookie", "session")
_LINK = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]*)*)")


class NoPagination(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mode: Literal["none"] = "none"


class NextLinkPagination(BaseModel):
    """The next page's URL from the body at ``path`` (dotted), or the ``Link: rel="next"``
    header when ``path`` is empty."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    mode: Literal["next_link"]
    path: str = Field("", max_length=200)


class PagePagination(BaseModel):
    """Page numbers in the query string (``?page=1&per_page=100``) until an empty page."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    mode: Literal["page"]
    param: str = Field("page", min_length=1, max_length=100)
    start: int = Field(1, ge=0)
    size_param: str = Field("", max_length=100)
    size: int | None = Field(None, ge=1, le=10_000)


Pagination = Annotated[
    NoPagination | NextLinkPagination | PagePagination, Field(discriminator="mode")
]


def _check_headers(headers: Mapping[str, Any], *, secret: bool) -> dict[str, str]:
    checked: dict[str, str] = {}
    for name, value in headers.items():
        low = str(name).lower()
        if not _TOKEN.match(str(name)) or low in _RESERVED:
            raise ValueError(f"'{str(name)[:100]}' is not a header name Keyvex can send")
        if not isinstance(value, str) or any(c in value for c in "\r\n\0") or len(value) > 8000:
            raise ValueError(f"the header {name} needs a single line of text as its value")
        if not secret and any(word in low for word in _CREDENTIAL):
            raise ValueError(
                f"the header {name} looks like a credential: put it in the secret headers"
            )
        checked[str(name)] = value
    return checked


class RestConfig(SourceConfig):
    """Where the records are and how to page through them (no secrets here)."""

    url: str = Field(
        min_length=1,
        max_length=2000,
        title="API URL",
        description="The address that answers with JSON, e.g. https://api.example.com/v1/items.",
    )
    method: Literal["GET", "POST"] = Field("GET", title="Request method")
    headers: dict[str, str] = Field(
        default_factory=dict,
        title="Headers",
        description='A JSON object, e.g. {"Accept": "application/json"}. Put tokens and keys '
        "in the secret headers.",
    )
    body: JsonValue = Field(None, title="Request body", description="JSON, for POST only.")
    record_path: str = Field(
        "",
        max_length=200,
        title="Where the records are",
        description="A dotted path to the list of records in the answer, e.g. data.items; "
        "empty: the answer itself is the list.",
    )
    pagination: Pagination = Field(
        default_factory=NoPagination,
        title="Pagination",
        description='JSON: {"mode": "next_link", "path": "links.next"} or {"mode": "page", '
        '"param": "page"}; empty: one page.',
    )
    max_pages: int = Field(
        50, ge=1, le=1000, title="Most pages to read", description="From 1 to 1,000."
    )

    @field_validator("headers")
    @classmethod
    def _plain_headers(cls, value: dict[str, str]) -> dict[str, str]:
        return _check_headers(value, secret=False)

    @model_validator(mode="after")
    def _body_needs_post(self) -> RestConfig:
        if self.body is not None and self.method != "POST":
            raise ValueError("a body is only sent with POST")
        return self


def _config(config: Any) -> RestConfig:
    if isinstance(config, RestConfig):
        return config
    try:
        return RestConfig.model_validate(config)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "settings"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise SourceError("config", f"REST source {where}: {message}.") from None


def _secret_headers(secrets: Mapping[str, str]) -> dict[str, str]:
    text = (secrets.get("secret_headers") or "").strip()
    if not text:
        return {}
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise SourceError(
            "config", 'The secret headers must be a JSON object such as {"Authorization": "..."}.'
        )
    try:
        return _check_headers(parsed, secret=True)
    except ValueError as exc:
        raise SourceError("config", f"Secret headers: {exc}.") from None


class _Walk:
    """One fetch: the pages read so far, the records collected and where to go next."""

    def __init__(self, cfg: RestConfig, secret: dict[str, str], ctx: SourceContext) -> None:
        self.cfg, self.ctx = cfg, ctx
        self.headers = {"Accept": "application/json", "User-Agent": "Keyvex data source"}
        self.headers.update(cfg.headers)
        self.headers.update(secret)
        self.content = b""
        if cfg.method == "POST":
            self.content = json.dumps(cfg.body).encode()
            self.headers["Content-Type"] = "application/json"
        try:
            self.origin = httpx.URL(cfg.url).netloc
        except (httpx.InvalidURL, ValueError):
            raise SourceError("config", "The API URL is not a valid http(s) URL.") from None
        self.last_body: bytes | None = None
        self.records: list[Any] = []
        self.seen: set[str] = set()
        self.warnings: list[str] = []
        self.bytes_read = 0

    async def run(self, limit: int | None) -> Dataset:
        pagination = self.cfg.pagination
        paged = isinstance(pagination, PagePagination)
        page_number = pagination.start if isinstance(pagination, PagePagination) else 0
        url: str | None = self._page_url(page_number)
        pages = 0
        while url is not None and pages < self.cfg.max_pages:
            self.seen.add(url)
            response = await self._request(url)
            pages += 1
            if response.body == self.last_body:
                self.warnings.append("The API answered two pages with the same records; stopped.")
                url = None
                break
            self.last_body = response.body
            page = records_at(self._json(response), self.cfg.record_path)
            if paged and not page:
                url = None
                break
            self.records.extend(page)
            if len(self.records) > self.ctx.max_rows:
                raise SourceError(
                    "too_large", f"The API returned more than {self.ctx.max_rows:,} records."
                )
            page_number += 1
            url = self._next(url, response, page_number)
            if limit is not None and len(self.records) >= limit:
                break
        return self._dataset(limit, more=url is not None, pages=pages)

    def _dataset(self, limit: int | None, *, more: bool, pages: int) -> Dataset:
        data = to_dataset(self.records)
        if more and limit is not None and len(self.records) >= limit:
            self.warnings.append(
                f"The preview read {pages} page(s); the API has more, so the total row count "
                "is not known yet."
            )
        elif more:
            self.warnings.append(
                f"Stopped after {pages} pages (the page limit); raise max_pages to read the rest."
            )
        if limit is not None and len(data.rows) > limit:
            data.rows = data.rows[:limit]
        data.truncated = more or data.row_count > len(data.rows)
        data.warnings = self.warnings
        return data

    def _page_url(self, number: int) -> str:
        pagination = self.cfg.pagination
        if not isinstance(pagination, PagePagination):
            return self.cfg.url
        try:
            url = httpx.URL(self.cfg.url).copy_set_param(pagination.param, str(number))
            if pagination.size_param and pagination.size:
                url = url.copy_set_param(pagination.size_param, str(pagination.size))
        except (httpx.InvalidURL, ValueError):
            raise SourceError("config", "The API URL is not a valid http(s) URL.") from None
        return str(url)

    def _next(self, current: str, response: OutboundResponse, number: int) -> str | None:
        pagination = self.cfg.pagination
        if isinstance(pagination, PagePagination):
            url: str | None = self._page_url(number)
        elif isinstance(pagination, NextLinkPagination):
            url = self._next_link(current, response, pagination.path)
        else:
            return None
        if url is not None and url in self.seen:
            self.warnings.append("The API pointed back at a page already read; stopped there.")
            return None
        return url

    def _next_link(self, current: str, response: OutboundResponse, path: str) -> str | None:
        if path:
            value: Any = self._json(response)
            for segment in path.split("."):
                value = value.get(segment) if isinstance(value, dict) else None
            if value in (None, ""):
                return None
            if not isinstance(value, str):
                raise SourceError("format", f"The next-page link at '{path}' is not a URL.")
            link: str | None = value
        else:
            link = _link_next(response.headers.get("link", ""))
        if link is None:
            return None
        url = urljoin(current, link.strip())
        try:
            netloc = httpx.URL(url).netloc
        except (httpx.InvalidURL, ValueError):
            raise SourceError("format", "The next-page link is not a valid URL.") from None
        if netloc != self.origin:
            raise SourceError(
                "refused",
                f"The next-page link points to another host ({netloc.decode(errors='replace')}); "
                "Keyvex sends the API's headers only to the configured host.",
            )
        return url

    async def _request(self, url: str) -> OutboundResponse:
        for attempt in range(RETRIES + 1):
            response = await self._send(url)
            if response.status != 429:
                return self._checked(response, url)
            wait = _retry_after(response.headers.get("retry-after", ""))
            if attempt == RETRIES or wait is None or wait > MAX_RETRY_WAIT:
                after = f" (it asked to wait {wait:g} seconds)" if wait is not None else ""
                raise SourceError("rate_limited", f"The API is rate limiting Keyvex{after}.")
            await asyncio.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send(self, url: str) -> OutboundResponse:
        try:
            return await send(
                self.cfg.method,
                url,
                content=self.content,
                headers=self.headers,
                timeout=self.ctx.timeout,
                max_bytes=min(self.ctx.max_bytes, PAGE_CAP),
                allow_loopback=self.ctx.allow_loopback,
            )
        except OutboundRefused as exc:
            raise SourceError("refused", str(exc)) from None
        except httpx.TimeoutException:
            raise SourceError(
                "timeout", f"The API did not answer within {self.ctx.timeout:g} seconds."
            ) from None
        except httpx.HTTPError:
            host = httpx.URL(url).host
            raise SourceError("unreachable", f"Could not connect to the API at {host}.") from None

    def _checked(self, response: OutboundResponse, url: str) -> OutboundResponse:
        status = response.status
        if 300 <= status < 400:
            where = response.headers.get("location", "")[:200]
            to = f" to {where}" if where else ""
            raise SourceError(
                "refused",
                f"The API answered with a redirect (HTTP {status}){to}; redirects are not "
                "followed, so use the final URL.",
            )
        kinds: dict[int, tuple[FailureKind, str]] = {
            401: ("auth", "The API refused the credentials (HTTP 401); check the secret headers."),
            403: ("auth", "The API refused access (HTTP 403); check the secret headers."),
            404: ("not_found", f"The API has nothing at {url.split('?')[0][:200]} (HTTP 404)."),
        }
        if status in kinds:
            kind, message = kinds[status]
            raise SourceError(kind, message)
        if status >= 500:
            raise SourceError("unreachable", f"The API failed with HTTP {status}.")
        if status >= 400 or status < 200:
            raise SourceError("config", f"The API rejected the request with HTTP {status}.")
        if response.truncated:
            raise SourceError(
                "too_large",
                f"A page of the API's answer is larger than {len(response.body):,} bytes.",
            )
        self.bytes_read += len(response.body)
        if self.bytes_read > self.ctx.max_bytes:
            raise SourceError(
                "too_large", f"The API's pages add up to more than {self.ctx.max_bytes:,} bytes."
            )
        return response

    def _json(self, response: OutboundResponse) -> Any:
        try:
            return json.loads(response.body)
        except ValueError:
            kind = response.headers.get("content-type", "").split(";")[0].strip() or "unknown"
            raise SourceError(
                "format", f"The API did not answer with JSON (content type: {kind})."
            ) from None


def _link_next(header: str) -> str | None:
    """The ``rel="next"`` target of an RFC 8288 ``Link`` header, if any."""
    for target, params in _LINK.findall(header):
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "rel" and "next" in value.strip('"').lower().split():
                return str(target)
    return None


def _retry_after(value: str) -> float | None:
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _scrub(error: SourceError, secret: Mapping[str, str]) -> SourceError:
    """The error with every secret header value masked, whole, URL-encoded or word by word."""
    message = str(error)
    for value in secret.values():
        forms = {value, quote(value), quote_plus(value), *value.split()}
        for form in sorted(forms, key=len, reverse=True):
            if len(form) >= 6:
                message = message.replace(form, "***")
    return error if message == str(error) else SourceError(error.kind, message)


class RestConnector(Connector):
    source_type = "rest"
    label = "REST API"
    config_model = RestConfig
    secret_fields = ("secret_headers",)
    optional_secrets = ("secret_headers",)
    secret_help = {
        "secret_headers": SecretField(
            "Secret headers",
            'A JSON object, e.g. {"Authorization": "Bearer ..."}. Stored encrypted and sent '
            "only to this API's host.",
        )
    }

    async def fetch(
        self,
        config: Any,
        secrets: Mapping[str, str],
        ctx: SourceContext,
        *,
        limit: int | None = None,
    ) -> Dataset:
        cfg = _config(config)
        secret = _secret_headers(secrets)
        try:
            return await _Walk(cfg, secret, ctx).run(limit)
        except SourceError as exc:
            raise _scrub(exc, secret) from None


register(RestConnector())
