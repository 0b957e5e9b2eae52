"""Deleting every data item and blob of an account (called by ``keyvex.accounts.deletion``).

Found by key queries only, starting from the user's own partition:

- ``USER#{uid}`` / ``DATA_SOURCE#{id}``: each source, with its whole ``DATA_SOURCE#{id}``
  partition (activity log, links to the tools reading it) and its blobs: the snapshot
  ``data/{id}/{sha}.json``, its analysis ``data/{id}/analysis-{sha}.json`` and the uploaded
  file ``uploads/{uid}/...`` it reads;
- ``TOOL#{tool_id}`` / ``DATA_SOURCE#{id}``: the other half of each link;
- the data snapshot of each published tool, ``tooldata/{tool_id}/{sha}.json``, named by the
  ``data_key`` of the tool's ``SLUG#{slug}`` item (current slugs and ``OLDSLUG#`` ones).

The blob store cannot list keys, so blobs no item names any more are out of reach here: an
upload never used by a source, and tool data snapshots replaced by a later sync.
"""

from __future__ import annotations

from typing import Any

from anyio import to_thread

from keyvex.app import App
from keyvex.data.service import _blob_keys
from keyvex.store import SK

Key = tuple[str, str]
BATCH = 25  # DynamoDB's BatchWriteItem limit


async def delete_account_data(app: App, uid: str) -> int:
    """Delete the data sources of user ``uid`` with everything they own, and the data
    snapshots of the user's tools; returns how many items and blobs were deleted."""
    own = [item async for item in app.store.query_all(f"USER#{uid}")]
    sources = [item for item in own if item["SK"].startswith("DATA_SOURCE#")]
    keys: dict[Key, None] = {}
    blobs: dict[str, None] = {}
    tool_ids = _tool_ids(own)
    for source in sources:
        async for entry in app.store.query_all(f"DATA_SOURCE#{source['source_id']}"):
            keys[(entry["PK"], entry["SK"])] = None
            if entry["SK"].startswith("TOOL#"):
                tool_ids.add(entry["tool_id"])
        blobs.update(dict.fromkeys(_blob_keys(source)))
    for tool_id in sorted(tool_ids):
        page = app.store.query_all(f"TOOL#{tool_id}", SK.begins_with("DATA_SOURCE#"))
        keys.update(dict.fromkeys([(link["PK"], link["SK"]) async for link in page]))
    blobs.update(dict.fromkeys(await _tool_data_keys(app, uid, own)))
    # Blobs first and the source items last: if anything fails midway, the items that name
    # what is left are still there for a retry.
    for key in blobs:
        await to_thread.run_sync(app.blobs.delete, key)
    ordered = list(keys) + [(source["PK"], source["SK"]) for source in sources]
    for start in range(0, len(ordered), BATCH):
        await app.store.batch_write(deletes=ordered[start : start + BATCH])
    return len(ordered) + len(blobs)


def _tool_ids(own: list[dict[str, Any]]) -> set[str]:
    ids = {item["SK"].removeprefix("TOOL#") for item in own if item["SK"].startswith("TOOL#")}
    ids |= {item["tool_id"] for item in own if item["SK"].startswith("OLDSLUG#")}
    return ids


async def _tool_data_keys(app: App, uid: str, own: list[dict[str, Any]]) -> list[str]:
    """The ``data_key`` of every slug item of the user's tools (only ``tooldata/`` blobs of
    a tool the slug belongs to, so a stale or foreign item can never name another blob)."""
    slugs = {item.get("slug") for item in own if item["SK"].startswith(("TOOL#", "OLDSLUG#"))}
    found = []
    for slug in sorted(filter(None, slugs)):
        claim = await app.store.get(f"SLUG#{slug}", "SLUG")
        if claim is None or claim.get("owner_id") != uid:
            continue
        key = claim.get("data_key")
        if key and str(key).startswith(f"tooldata/{claim.get('tool_id')}/"):
            found.append(str(key))
    return found
