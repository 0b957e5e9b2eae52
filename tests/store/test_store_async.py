"""The async face of the store: the same operations, off the event loop, writes serialised."""

from __future__ import annotations

import asyncio
from pathlib import Path

from keyvex.store import SK, ItemStore, SQLiteItemStore


def test_concurrent_async_counter_adds_are_all_kept(tmp_path: Path) -> None:
    store = ItemStore(SQLiteItemStore(tmp_path / "a.db"))

    async def scenario() -> None:
        await asyncio.gather(*(store.update("T#1", "STAT#d", add={"views": 1}) for _ in range(200)))
        got = await store.get("T#1", "STAT#d")
        assert got is not None and got["views"] == 200

        for i in range(25):
            await store.put({"PK": "P", "SK": f"I#{i:02d}", "i": i})
        collected = [x["i"] async for x in store.query_all("P", SK.begins_with("I#"))]
        assert collected == list(range(25))
        page = await store.query("P", limit=10)
        assert len(page.items) == 10 and page.cursor
        await store.ping()

    try:
        asyncio.run(scenario())
    finally:
        store.close()
