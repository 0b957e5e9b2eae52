"""A creator's tools in the item store: create, read, list, update (new version), restore,
archive, delete.

Keys: ``USER#{uid}`` / ``TOOL#{tool_id}`` holds the current definition and publishing state
(so a tool can only ever be read through its owner's partition); ``TOOL#{tool_id}`` /
``VERSION#{n:06d}`` keeps every saved definition. Deleting a published tool keeps its slug
reserved (the old address answers 410) and leaves ``USER#{uid}`` / ``OLDSLUG#{slug}`` behind,
so deleting the account later finds that slug without a scan.

What deleting a tool does with each item keyed by it (``ToolDeleted``, ``tool.deleted``):

- deleted: the tool item and its ``VERSION#`` items (here); its data links, both halves, and
  its ``tooldata/{tool_id}/`` snapshot blobs (``keyvex.data.deletion``); its ``STAT#{day}``
  counters (``keyvex.analytics.deletion``: only the tool's own stats page reads them);
- kept: its leads (``LEAD#...``, still in the creator's leads list and export) and their
  ``IDEMP#{key}`` guards (a retried submission must still find its lead; they expire in 7
  days); the ``SLUG#{slug}`` claim (answers 410) and ``OLDSLUG#{slug}``, both until the
  account goes (``keyvex.tools.deletion``);
- left to expire: visit markers (``VIEW#{visitor}``, keyed by an anonymous hash, not the tool).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any, Literal

from keyvex import events
from keyvex.accounts.models import User
from keyvex.app import App
from keyvex.clock import now_iso
from keyvex.errors import Conflict, NotFound
from keyvex.events import ToolDeleted
from keyvex.store import SK, Condition, ConditionFailed, Delete, Put, TransactionCanceled, Update
from keyvex.tools._parse import parse_tool
from keyvex.tools.definition import ToolDefinition

Status = Literal["draft", "published"]
NEW = Condition.not_exists()


@dataclass(frozen=True, slots=True)
class StoredTool:
    id: str
    owner_id: str
    definition: ToolDefinition
    version: int
    status: Status
    slug: str | None
    published_version: int | None
    allowed_origins: tuple[str, ...]
    created_at: str
    updated_at: str
    item_version: int
    archived_at: str | None = None
    #: Set when a sync's new data failed verification and the live page kept the old data.
    data_notice: str | None = None

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> StoredTool:
        return cls(
            id=item["tool_id"],
            owner_id=item["owner_id"],
            definition=parse_tool(item["definition"]),
            version=int(item["current_version"]),
            status=item.get("status", "draft"),
            slug=item.get("slug"),
            published_version=item.get("published_version"),
            allowed_origins=tuple(item.get("allowed_origins", ())),
            created_at=item["created_at"],
            updated_at=item["updated_at"],
            item_version=int(item["version"]),
            archived_at=item.get("archived_at"),
            data_notice=item.get("data_notice"),
        )

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.definition.title,
            "kind": self.definition.kind,
            "status": self.status,
            "slug": self.slug,
            "version": self.version,
            "published_version": self.published_version,
            "allowed_origins": list(self.allowed_origins),
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "archived": self.archived_at is not None,
            "archived_at": self.archived_at,
            "data_notice": self.data_notice,
        }


def tool_key(uid: str, tool_id: str) -> tuple[str, str]:
    return (f"USER#{uid}", f"TOOL#{tool_id}")


def version_key(tool_id: str, version: int) -> tuple[str, str]:
    return (f"TOOL#{tool_id}", f"VERSION#{version:06d}")


def _version_item(tool_id: str, owner: str, n: int, definition: dict[str, Any], note: str) -> Any:
    pk, sk = version_key(tool_id, n)
    return {
        "PK": pk,
        "SK": sk,
        "entity_type": "tool_version",
        "tool_id": tool_id,
        "owner_id": owner,
        "number": n,
        "definition": definition,
        "author_id": owner,
        "note": note[:200],
    }


async def create_tool(
    app: App, user: User, definition: ToolDefinition, note: str = ""
) -> StoredTool:
    """Store a new tool (version 1, a draft)."""
    tool_id = secrets.token_hex(8)
    data = definition.model_dump(mode="json")
    pk, sk = tool_key(user.id, tool_id)
    item = {
        "PK": pk,
        "SK": sk,
        "entity_type": "tool",
        "tool_id": tool_id,
        "owner_id": user.id,
        "definition": data,
        "current_version": 1,
        "status": "draft",
        "allowed_origins": [],
    }
    await app.store.transact_write(
        [
            Put(item, Condition.not_exists()),
            Put(
                _version_item(tool_id, user.id, 1, data, note or "Created"), Condition.not_exists()
            ),
        ]
    )
    return await get_tool(app, user, tool_id)


async def get_tool(app: App, user: User, tool_id: str) -> StoredTool:
    """The user's tool; another user's tool id is simply not found."""
    if not tool_id.isalnum() or len(tool_id) > 40:
        raise NotFound("There is no such tool.")
    item = await app.store.get(*tool_key(user.id, tool_id))
    if item is None:
        raise NotFound("There is no such tool.")
    return StoredTool.from_item(item)


async def list_tools(app: App, user: User) -> list[StoredTool]:
    tools = [
        StoredTool.from_item(item)
        async for item in app.store.query_all(f"USER#{user.id}", SK.begins_with("TOOL#"))
    ]
    return sorted(tools, key=lambda t: t.updated_at, reverse=True)


async def update_tool(
    app: App,
    user: User,
    tool_id: str,
    definition: ToolDefinition,
    *,
    expected_version: int | None = None,
    note: str = "",
) -> StoredTool:
    """Save a new version of the definition; ``expected_version`` guards against lost edits."""
    current = await get_tool(app, user, tool_id)
    if expected_version is not None and expected_version != current.version:
        raise Conflict(
            f"The tool was changed meanwhile (now version {current.version}); reload and retry."
        )
    n = current.version + 1
    data = definition.model_dump(mode="json")
    try:
        await app.store.transact_write(
            [
                Update(
                    *tool_key(user.id, tool_id),
                    set={"definition": data, "current_version": n},
                    condition=Condition.version_is(current.item_version),
                ),
                Put(
                    _version_item(tool_id, user.id, n, data, note or "Edited"),
                    Condition.not_exists(),
                ),
            ]
        )
    except TransactionCanceled:
        raise Conflict("The tool was changed meanwhile; reload and retry.") from None
    return await get_tool(app, user, tool_id)


async def list_versions(app: App, user: User, tool_id: str) -> list[dict[str, Any]]:
    await get_tool(app, user, tool_id)
    return [
        {
            "number": item["number"],
            "created_at": item["created_at"],
            "author_id": item["author_id"],
            "note": item.get("note", ""),
        }
        async for item in app.store.query_all(
            f"TOOL#{tool_id}", SK.begins_with("VERSION#"), ascending=False
        )
    ]


async def get_version(app: App, user: User, tool_id: str, number: int) -> ToolDefinition:
    await get_tool(app, user, tool_id)
    item = await app.store.get(*version_key(tool_id, number))
    if item is None or item.get("owner_id") != user.id:
        raise NotFound(f"Version {number} does not exist.")
    return parse_tool(item["definition"])


async def restore_version(app: App, user: User, tool_id: str, number: int) -> StoredTool:
    """Restoring saves the old definition as a new version; history is never rewritten."""
    definition = await get_version(app, user, tool_id, number)
    return await update_tool(app, user, tool_id, definition, note=f"Restored version {number}")


async def delete_tool(app: App, user: User, tool_id: str) -> None:
    """Delete a tool and its versions; its public page goes away (410). Leads are kept.

    ``ToolDeleted`` lets the other domains delete what they keep of the tool (data links and
    snapshots, day counters) before the tool item goes, so a failure leaves it to retry.
    """
    from keyvex.tools.publishing import unpublish

    tool = await get_tool(app, user, tool_id)
    if tool.status == "published":
        await unpublish(app, user, tool_id)
    await events.publish(app, ToolDeleted(user.id, tool_id, tool.slug))
    versions = [
        (item["PK"], item["SK"])
        async for item in app.store.query_all(f"TOOL#{tool_id}", SK.begins_with("VERSION#"))
    ]
    ops: list[Any] = [Delete(*tool_key(user.id, tool_id), Condition.exists())]
    if tool.slug:  # the slug stays reserved for this tool; the account's deletion removes it
        ops.append(Put(_retired_slug(user.id, tool_id, tool.slug)))
    try:
        await app.store.transact_write(ops)
    except TransactionCanceled:
        raise NotFound("There is no such tool.") from None
    if versions:
        await app.store.batch_write(deletes=versions)


def _retired_slug(uid: str, tool_id: str, slug: str) -> dict[str, Any]:
    return {
        "PK": f"USER#{uid}",
        "SK": f"OLDSLUG#{slug}",
        "entity_type": "retired_slug",
        "slug": slug,
        "tool_id": tool_id,
    }


async def archive_tool(app: App, user: User, tool_id: str) -> StoredTool:
    """Archive a tool: hidden from the tools list by default, leads and versions kept.

    A published tool is unpublished first (its address answers 410 and the slug stays
    reserved for it); unarchiving brings it back as a draft, and an archived tool cannot
    be published. Archiving an archived tool changes nothing.
    """
    from keyvex.tools.publishing import unpublish

    tool = await get_tool(app, user, tool_id)
    if tool.archived_at is not None:
        return tool
    if tool.status == "published":
        await unpublish(app, user, tool_id)
    await _set_archived(app, user, tool_id, now_iso())
    return await get_tool(app, user, tool_id)


async def unarchive_tool(app: App, user: User, tool_id: str) -> StoredTool:
    """Bring an archived tool back to the list (as it was: a draft when it was unpublished)."""
    tool = await get_tool(app, user, tool_id)
    if tool.archived_at is not None:
        await _set_archived(app, user, tool_id, None)
    return await get_tool(app, user, tool_id)


async def _set_archived(app: App, user: User, tool_id: str, when: str | None) -> None:
    try:
        await app.store.update(
            *tool_key(user.id, tool_id),
            set={"archived_at": when} if when else {},
            remove=() if when else ("archived_at",),
            condition=Condition.exists(),
        )
    except ConditionFailed:
        raise NotFound("There is no such tool.") from None
