"""When an account goes: its tools with everything kept in their partitions and their slugs.

Found by key queries from the user's own partition: ``USER#{uid}`` / ``TOOL#{tool_id}`` items
(current tools) and ``OLDSLUG#{slug}`` items (slugs of tools deleted earlier, still reserved),
plus the ``USER#{uid}#LEADS`` index, whose leads may sit in the partitions of tools deleted
earlier with their leads kept. Each ``TOOL#{tool_id}`` partition goes whole (versions, leads,
day counters, idempotency guards, data-source links), then each ``SLUG#{slug}`` claim the user
holds (the public page answers 404 afterwards), then the user's tool items.
"""

from __future__ import annotations

from keyvex import events
from keyvex.app import App
from keyvex.events import AccountDeleted
from keyvex.store import SK, Key
from keyvex.tools.publishing import drop_cached, slug_key


@events.on(AccountDeleted, order=30)
async def delete_account_tools(app: App, event: AccountDeleted) -> None:
    uid = event.user_id
    tool_ids: set[str] = set()
    slugs: set[str] = set()
    own: list[Key] = []
    for prefix in ("TOOL#", "OLDSLUG#"):
        async for item in app.store.query_all(f"USER#{uid}", SK.begins_with(prefix)):
            own.append((item["PK"], item["SK"]))
            tool_ids.add(item.get("tool_id") or item["SK"].removeprefix("TOOL#"))
            if item.get("slug"):
                slugs.add(item["slug"])
    async for lead in app.store.query_all(f"USER#{uid}#LEADS", index="GSI1"):
        if lead["PK"].startswith("TOOL#"):
            tool_ids.add(lead["PK"].removeprefix("TOOL#"))
    keys: list[Key] = []
    for tool_id in sorted(tool_ids):
        keys += await app.store.partition_keys(f"TOOL#{tool_id}")
    for slug in sorted(slugs):
        claim = await app.store.get(*slug_key(slug))
        if claim is not None and claim.get("owner_id") == uid:
            keys.append((claim["PK"], claim["SK"]))
    await app.store.delete_keys(keys + own)  # the user's items last: a retry finds the rest
    for slug in slugs:
        drop_cached(app, slug)
