"""Deleting every data item and blob of an account (on ``AccountDeleted``, before the tools).

Found by key queries only, starting from the user's own partition:

- ``USER#{uid}`` / ``DATA_SOURCE#{id}``: each source, with its whole ``DATA_SOURCE#{id}``
  partition (activity log, links to the tools reading it);
- ``TOOL#{tool_id}`` / ``DATA_SOURCE#{id}``: the other half of each link;
- blobs by folder, whether an item still names them or not: ``uploads/{uid}/`` (every file
  the user uploaded, used by a source or not), ``data/{id}/`` of each source (snapshots and
  analyses, old ones included) and ``tooldata/{tool_id}/`` of each of the user's tools (the
  published data snapshots, replaced ones included). Source and tool ids are random, so a
  folder never holds another creator's blobs.

On ``ToolDeleted`` the tool's side goes: both halves of each of its links (``TOOL#{tool_id}`` /
``DATA_SOURCE#{id}`` and ``DATA_SOURCE#{id}`` / ``TOOL#{tool_id}``, so a sync no longer
refreshes a tool that is gone) and its ``tooldata/{tool_id}/`` snapshots. The sources, their
snapshots and activity stay: they belong to the account, not to the tool.
"""

from __future__ import annotations

from typing import Any

from anyio import to_thread

from keyvex import events
from keyvex.app import App
from keyvex.events import AccountDeleted, ToolDeleted
from keyvex.store import SK

Key = tuple[str, str]


@events.on(AccountDeleted, order=10)  # before the tools: it finds their data through them
async def _account_deleted(app: App, event: AccountDeleted) -> None:
    await delete_account_data(app, event.user_id)


async def delete_account_data(app: App, uid: str) -> int:
    """Delete the data sources of user ``uid`` with everything they own, and the data
    snapshots of the user's tools; returns how many items and blobs were deleted."""
    own = [item async for item in app.store.query_all(f"USER#{uid}")]
    sources = [item for item in own if item["SK"].startswith("DATA_SOURCE#")]
    keys: dict[Key, None] = {}
    tool_ids = _tool_ids(own)
    folders = [f"uploads/{uid}/"]
    for source in sources:
        async for entry in app.store.query_all(f"DATA_SOURCE#{source['source_id']}"):
            keys[(entry["PK"], entry["SK"])] = None
            if entry["SK"].startswith("TOOL#"):
                tool_ids.add(entry["tool_id"])
        folders.append(f"data/{source['source_id']}/")
    for tool_id in sorted(tool_ids):
        page = app.store.query_all(f"TOOL#{tool_id}", SK.begins_with("DATA_SOURCE#"))
        keys.update(dict.fromkeys([(link["PK"], link["SK"]) async for link in page]))
        folders.append(f"tooldata/{tool_id}/")
    # Blobs first and the source items last: if anything fails midway, the items that lead
    # to what is left are still there for a retry.
    blobs = 0
    for folder in folders:
        blobs += await to_thread.run_sync(app.blobs.delete_prefix, folder)
    ordered = list(keys) + [(source["PK"], source["SK"]) for source in sources]
    return await app.store.delete_keys(ordered) + blobs


@events.on(ToolDeleted)
async def _tool_deleted(app: App, event: ToolDeleted) -> None:
    await delete_tool_data(app, event.tool_id)


async def delete_tool_data(app: App, tool_id: str) -> int:
    """Delete the data links and data snapshots of tool ``tool_id``; returns how many items
    and blobs were deleted."""
    keys: list[Key] = []
    async for link in app.store.query_all(f"TOOL#{tool_id}", SK.begins_with("DATA_SOURCE#")):
        keys.append((f"DATA_SOURCE#{link['source_id']}", f"TOOL#{tool_id}"))
        keys.append((link["PK"], link["SK"]))  # after its other half, which it leads to
    blobs = await to_thread.run_sync(app.blobs.delete_prefix, f"tooldata/{tool_id}/")
    return await app.store.delete_keys(keys) + blobs


def _tool_ids(own: list[dict[str, Any]]) -> set[str]:
    ids = {item["SK"].removeprefix("TOOL#") for item in own if item["SK"].startswith("TOOL#")}
    ids |= {item["tool_id"] for item in own if item["SK"].startswith("OLDSLUG#")}
    return ids
