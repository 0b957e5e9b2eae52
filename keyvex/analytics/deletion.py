"""When a tool is deleted: its day counters go, since nothing can show them once it has gone.

``TOOL#{tool_id}`` / ``STAT#{day}`` items are read only through the tool (its stats page); the
tool's leads, in the same partition, stay. Visit markers (``VIEW#{visitor}``) are keyed by an
anonymous hash, not by the tool, and expire by themselves.
"""

from __future__ import annotations

from keyvex import events
from keyvex.app import App
from keyvex.events import ToolDeleted
from keyvex.store import SK


@events.on(ToolDeleted)
async def delete_tool_stats(app: App, event: ToolDeleted) -> None:
    keys = await app.store.partition_keys(f"TOOL#{event.tool_id}", SK.begins_with("STAT#"))
    await app.store.delete_keys(keys)
