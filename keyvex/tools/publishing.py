"""Publishing: verified snapshots behind stable, unique slugs, and fast lookup by slug.

``SLUG#{slug}`` / ``SLUG`` points at the published version of a tool (and, for tools with
tables bound to data sources, at the data snapshot taken when it was published or last
synced: ``data_key``; see ``keyvex.data.binding``). The public page keeps
the parsed definition in an in-process cache: a publish or unpublish drops the entry at once
in this process and, through ``app.bus`` with KEYVEX_REDIS_URL, in every other; otherwise an
entry is trusted for ``publish_cache_seconds`` and then re-validated against the slug item's
version (one get), so a process that missed a message catches up within that time without a
store read on every page view.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from dataclasses import dataclass
from typing import Any

from anyio import to_thread

from keyvex import events
from keyvex.accounts.models import User
from keyvex.app import App
from keyvex.bus import Invalidate
from keyvex.caches import CacheSpec
from keyvex.clock import now_iso
from keyvex.data.binding import (
    build_tool_data,
    link_ops,
    read_tool_data,
    store_tool_data,
    with_rows,
)
from keyvex.errors import Conflict, Gone, Invalid, NotFound
from keyvex.events import ToolPublished
from keyvex.store import Condition, Delete, Put, TransactionCanceled, TransactOp, Update
from keyvex.tools._parse import parse_tool
from keyvex.tools._verify import verify
from keyvex.tools.definition import ToolDefinition
from keyvex.tools.service import StoredTool, get_tool, tool_key, version_key

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$")
RESERVED = frozenset(
    {
        "admin", "api", "app", "account", "dashboard", "docs", "embed", "embed-js", "help",
        "login", "logout", "new", "signup", "static", "t", "tools", "www", "keyvex", "settings",
        "healthz", "readyz", "about", "pricing", "terms", "privacy", "support", "status",
    }
)  # fmt: skip
MAX_ORIGINS = 20
_ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(:\d{1,5})?$")
#: Parsed live tools by slug: (when last checked, slug item version, tool, weight). Bound by
#: weight (the definition's JSON size, data rows included) so large data tools cannot fill
#: memory: 64 MB per process. Shared: a publish, unpublish or data refresh drops the entry in
#: every process through ``app.bus`` (at once with KEYVEX_REDIS_URL).
PUBLISHED: CacheSpec[str, tuple[float, int, PublishedTool, int]] = CacheSpec(
    "published tools",
    max_entries=4096,
    max_weight=64 * 1024 * 1024,
    weigh=lambda e: e[3],
    shared=True,
)


@dataclass(frozen=True, slots=True)
class PublishedTool:
    tool_id: str
    owner_id: str
    slug: str
    version: int
    definition: ToolDefinition
    allowed_origins: tuple[str, ...]
    published_at: str


def slug_key(slug: str) -> tuple[str, str]:
    return (f"SLUG#{slug}", "SLUG")


SLUG_FROM_TITLE_MAX = 50


#: Words a long title's address can do without ("what-are-missed-recalls-costing-your-
#: practice" reads as well as "missed-recalls-costing-practice").
SLUG_FILLER = frozenset(
    "a an the and or of to for in on at by with from into about this that these those "
    "what which who how much many is are be was were do does did would will could can "
    "should your you our my their its it we they i me us".split()
)


def slugify(title: str, limit: int = SLUG_FROM_TITLE_MAX) -> str:
    """The address made from a title: ASCII words joined by dashes, at most ``limit`` long.

    A title that fits is kept word for word. A longer one first loses its filler words
    (``SLUG_FILLER``), then, if still too long, is cut after the last whole word that fits,
    never ending on a filler word ("missed-recalls-return-investment", not
    "missed-recalls-what-return-on-investment-would"); only a first word longer than the
    limit on its own is cut inside it, as there is no boundary to cut at.
    """
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    if len("-".join(words)) > limit:
        words = [w for w in words if w not in SLUG_FILLER] or words
    kept: list[str] = []
    for word in words:
        if len("-".join([*kept, word])) > limit:
            break
        kept.append(word)
    while len(kept) > 1 and kept[-1] in SLUG_FILLER:
        kept.pop()
    slug = "-".join(kept) if kept else "-".join(words)[:limit]
    return slug or "tool"


def check_slug(slug: str) -> str:
    if not SLUG.match(slug):
        raise Invalid(
            "That address is not valid.",
            fields={"slug": "Use 1-60 lower-case letters, digits and dashes (not at the ends)."},
        )
    if slug in RESERVED:
        raise Invalid("That address is reserved.", fields={"slug": f"'{slug}' is reserved."})
    return slug


def check_origins(origins: list[str]) -> tuple[str, ...]:
    if len(origins) > MAX_ORIGINS:
        raise Invalid(
            "Too many embedding origins.",
            fields={"allowed_origins": f"At most {MAX_ORIGINS}."},
        )
    cleaned = []
    for origin in origins:
        value = origin.strip().lower().rstrip("/")
        if not _ORIGIN.match(value):
            raise Invalid(
                "An embedding origin is not valid.",
                fields={"allowed_origins": f"'{origin}' is not like https://www.example.com."},
            )
        cleaned.append(value)
    return tuple(dict.fromkeys(cleaned))


async def publish(
    app: App,
    user: User,
    tool_id: str,
    slug: str | None = None,
    allowed_origins: list[str] | None = None,
) -> PublishedTool:
    """Publish the current version if it verifies without errors; returns what is live.

    One transaction: the slug claim (with its data snapshot), the data-source links, the
    freed old slug, the tool's publishing state (only if the tool has not changed since it
    was verified) and what other domains write with ``ToolPublished`` (webhook deliveries).
    """
    tool = await get_tool(app, user, tool_id)
    if tool.archived_at is not None:
        raise Invalid("The tool is archived; unarchive it before publishing it.")
    tables = await build_tool_data(app, user.id, tool.definition)
    report = await to_thread.run_sync(verify, with_rows(tool.definition, tables))
    if report.errors:
        raise Invalid(
            f"The tool cannot be published: verification found {len(report.errors)} error(s).",
            fields={issue.path or issue.code: issue.message for issue in report.errors},
        )
    origins = tool.allowed_origins if allowed_origins is None else check_origins(allowed_origins)
    data_ref: dict[str, Any] = {"data_key": None, "data_sha256": None}
    if tables:
        data_ref = await store_tool_data(app, tool_id, tables)
    candidates = _candidates(slug, tool.slug, tool.definition)
    for candidate in candidates:
        if await _try_publish(app, user, tool, candidate, origins, data_ref):
            if tool.slug and tool.slug != candidate:
                drop_cached(app, tool.slug)
            drop_cached(app, candidate)
            return await published_by_slug(app, candidate)
    raise Conflict(
        "That address is taken.", fields={"slug": f"'{candidates[0]}' is used by another tool."}
    )


def _candidates(wanted: str | None, current: str | None, definition: ToolDefinition) -> list[str]:
    """The requested slug, the current one, or ones made from the title."""
    if wanted is not None:
        return [check_slug(wanted)]
    if current is not None:
        return [current]
    base = slugify(definition.title)
    base = base if base not in RESERVED else f"{base}-tool"
    return [base] + [f"{base[:55]}-{n}" for n in range(2, 50)]


async def _try_publish(
    app: App,
    user: User,
    tool: StoredTool,
    slug: str,
    origins: tuple[str, ...],
    data_ref: dict[str, Any],
) -> bool:
    """Publish at ``slug`` in one transaction; False when the slug is another tool's."""
    existing = await app.store.get(*slug_key(slug))
    if existing is not None and existing.get("tool_id") != tool.id:
        return False
    claim = _slug_item(existing, slug, tool, user.id, origins, data_ref)
    ops: list[TransactOp] = [
        Put(claim, Condition.not_exists() if existing is None
            else Condition.version_is(existing["version"])),
        Update(*tool_key(user.id, tool.id), set={
            "status": "published", "slug": slug, "published_version": tool.version,
            "allowed_origins": list(origins),
        }, condition=Condition.version_is(tool.item_version)),
        *await link_ops(app, user.id, tool.id, tool.definition),
    ]  # fmt: skip
    if tool.slug and tool.slug != slug:
        ops.append(Delete(*slug_key(tool.slug)))
    event = ToolPublished(user.id, tool.id, slug, tool.version, tool.definition.title)
    outbox = await events.outbox(app, event)
    try:
        await app.store.transact_write([*ops, *outbox.ops])
    except TransactionCanceled as exc:
        if exc.failed_condition(0):
            return False  # the slug was taken meanwhile
        raise Conflict("The tool changed while it was being published; publish it again.") from None
    outbox.start(app)
    return True


def _slug_item(
    existing: dict[str, Any] | None,
    slug: str,
    tool: StoredTool,
    owner_id: str,
    origins: tuple[str, ...],
    data_ref: dict[str, Any],
) -> dict[str, Any]:
    pk, sk = slug_key(slug)
    item: dict[str, Any] = {
        **(existing or {}),
        "PK": pk,
        "SK": sk,
        "entity_type": "slug",
        "slug": slug,
        "tool_id": tool.id,
        "owner_id": owner_id,
        "version_number": tool.version,
        "status": "published",
        "published_at": now_iso(),
        "allowed_origins": list(origins),
        **data_ref,
    }
    return {k: v for k, v in item.items() if v is not None}


async def unpublish(app: App, user: User, tool_id: str) -> None:
    """Take the page down: the slug stays reserved for this tool and answers 410."""
    tool = await get_tool(app, user, tool_id)
    if tool.slug is None or tool.status != "published":
        raise Invalid("The tool is not published.")
    await app.store.update(*slug_key(tool.slug), set={"status": "unpublished"})
    await app.store.update(*tool_key(user.id, tool_id), set={"status": "draft"})
    drop_cached(app, tool.slug)


def drop_cached(app: App, slug: str) -> None:
    """Forget the cached live tool at ``slug`` here at once and in every other process (at
    once through Redis when configured, else when their cache time is up)."""
    app.bus.publish(Invalidate.of(PUBLISHED, slug))


async def published_by_slug(app: App, slug: str) -> PublishedTool:
    """The live tool at ``/t/{slug}``; NotFound for unknown slugs, Gone when unpublished."""
    if not SLUG.match(slug):
        raise NotFound("There is no tool at this address.")
    cache = app.caches(PUBLISHED)
    fresh = cache.get(slug)
    if fresh is not None and time.monotonic() - fresh[0] < app.settings.publish_cache_seconds:
        return fresh[2]
    item = await app.store.get(*slug_key(slug))
    if item is None:
        raise NotFound("There is no tool at this address.")
    if item.get("status") != "published":
        raise Gone("This tool is no longer available.")
    cached = cache.get(slug)
    if cached is not None and cached[1] == item["version"]:
        cache[slug] = (time.monotonic(), item["version"], cached[2], cached[3])
        return cached[2]
    snapshot = await app.store.get(*version_key(item["tool_id"], int(item["version_number"])))
    if snapshot is None:
        raise Gone("This tool is no longer available.")
    definition = parse_tool(snapshot["definition"])
    weight = len(json.dumps(snapshot["definition"], separators=(",", ":")))
    if item.get("data_key"):
        definition = with_rows(definition, await read_tool_data(app, item["data_key"]))
        weight = len(definition.model_dump_json())
    published = PublishedTool(
        tool_id=item["tool_id"],
        owner_id=item["owner_id"],
        slug=slug,
        version=int(item["version_number"]),
        definition=definition,
        allowed_origins=tuple(item.get("allowed_origins", ())),
        published_at=item["published_at"],
    )
    cache[slug] = (time.monotonic(), item["version"], published, weight)
    return published
