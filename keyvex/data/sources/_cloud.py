"""What the cloud connectors (Google Sheets, Airtable, Salesforce) share: threads, sessions."""

from __future__ import annotations

import ipaddress
import json
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import anyio
import requests

from keyvex.data._types import Cell, SourceContext, SourceError, clean_cell, unique_columns

T = TypeVar("T")

#: Pauses before the retries of a rate-limited request: short, so a fetch stays well inside
#: its time limit; a service that still refuses after them is reported as rate limited.
RETRY_PAUSES = (0.2, 0.5)


async def run_blocking(fn: Callable[[], T], ctx: SourceContext, service: str) -> T:
    """Run a blocking SDK call in a worker thread, within ``ctx.timeout`` seconds overall."""
    try:
        with anyio.fail_after(ctx.timeout):
            return await anyio.to_thread.run_sync(fn, abandon_on_cancel=True)
    except TimeoutError:
        raise timed_out(service, ctx) from None


def timed_out(service: str, ctx: SourceContext) -> SourceError:
    return SourceError("timeout", f"{service} did not answer within {ctx.timeout:g} seconds.")


def unreachable(service: str, root: str) -> SourceError:
    return SourceError("unreachable", f"Could not connect to {service} at {root}.")


def pause(attempt: int) -> bool:
    """Sleep before retry number ``attempt`` (0-based); False when no retry is left."""
    if attempt >= len(RETRY_PAUSES):
        return False
    time.sleep(RETRY_PAUSES[attempt])
    return True


class TimeoutSession(requests.Session):
    """A requests session that ignores proxy variables and .netrc and always has a timeout.

    The SDKs build URLs from settings (never from user input), so the environment must not
    reroute them; and simple-salesforce's login posts without a timeout of its own.
    """

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.trust_env = False
        self.default_timeout = timeout

    def request(self, method: Any, url: Any, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.default_timeout
        return super().request(method, url, *args, **kwargs)


def require(secrets: Mapping[str, str], name: str, what: str) -> str:
    """A secret the configured auth mode needs, or a config error naming it."""
    value = (secrets.get(name) or "").strip()
    if not value:
        raise SourceError("config", f"{what} is missing.", fields={name: f"{what} is required."})
    return value


def scrub(text: str, secrets: Iterable[str]) -> str:
    """Server-supplied text with any secret value masked (a last line of defence)."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return " ".join(text.split())[:300]


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def too_many_rows(service: str, count: int, ctx: SourceContext) -> SourceError:
    return SourceError(
        "too_large",
        f"The {service} data has more than {ctx.max_rows:,} rows, the most a source may have.",
    )


def text_of(value: Any) -> Cell:
    """A nested JSON value as one cell: lists joined with ", ", objects as compact JSON."""
    if isinstance(value, list):
        parts = [text_of(item) for item in value]
        return ", ".join(str(part) for part in parts if part is not None and part != "")
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return clean_cell(value)


def table_of(records: Iterable[Mapping[str, Any]]) -> tuple[list[str], list[list[Cell]]]:
    """Column names (union of keys, first-seen order) and rows of cells from flat records."""
    rows: list[Mapping[str, Any]] = list(records)
    names: dict[str, None] = {}
    for record in rows:
        names.update(dict.fromkeys(record))
    keys = list(names)
    return unique_columns(keys), [[record.get(key) for key in keys] for record in rows]
