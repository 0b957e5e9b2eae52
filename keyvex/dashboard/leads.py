"""Leads as the dashboard reads them: one lead by its URL reference, erasure, the newest lead.

Searching and paging (per tool or across tools) is ``keyvex.leads.filtered_leads``, shared with
the API; it is re-exported here for the dashboard's routes.
"""

from __future__ import annotations

import base64
import binascii
import re

from keyvex import webhooks
from keyvex.accounts.models import User
from keyvex.app import App
from keyvex.errors import NotFound
from keyvex.leads import (
    PAGE_SIZE,
    TIME_PATTERN,
    FilteredLeads,
    Lead,
    LeadFilter,
    filtered_leads,
    parse_day,
)
from keyvex.store import SK, Condition, ConditionFailed
from keyvex.tools.service import get_tool

__all__ = [
    "PAGE_SIZE",
    "FilteredLeads",
    "LeadFilter",
    "delete_lead",
    "delete_tool_leads",
    "filtered_leads",
    "get_lead",
    "last_lead_at",
    "lead_ref",
    "parse_day",
]

_LEAD_ID = re.compile(r"^[A-Za-z0-9]{1,64}$")


def lead_ref(lead: Lead) -> str:
    """The URL segment naming one lead of a tool: its creation time and id, URL-safe."""
    raw = f"{lead.created_at}#{lead.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _lead_key(tool_id: str, ref: str) -> tuple[str, str]:
    try:
        created, _, lead_id = (
            base64.urlsafe_b64decode(ref + "=" * (-len(ref) % 4)).decode().partition("#")
        )
    except (ValueError, binascii.Error):
        raise NotFound("There is no such lead.") from None
    if not TIME_PATTERN.match(created) or not _LEAD_ID.match(lead_id) or not tool_id.isalnum():
        raise NotFound("There is no such lead.")
    return (f"TOOL#{tool_id}", f"LEAD#{created}#{lead_id}")


async def get_lead(app: App, user: User, tool_id: str, ref: str) -> Lead:
    """One of the user's leads (also of a deleted tool, whose leads were kept)."""
    item = await app.store.get(*_lead_key(tool_id, ref))
    if item is None or item.get("owner_id") != user.id or item.get("entity_type") != "lead":
        raise NotFound("There is no such lead.")
    return Lead.from_item(item)


async def delete_lead(app: App, user: User, tool_id: str, ref: str) -> Lead:
    """Erase one lead (GDPR): the item goes; CSV exports made afterwards cannot contain it."""
    lead = await get_lead(app, user, tool_id, ref)
    try:
        await app.store.delete(*_lead_key(tool_id, ref), Condition.exists())
    except ConditionFailed:
        raise NotFound("There is no such lead.") from None
    await webhooks.emit(
        app,
        user.id,
        "lead.deleted",
        {"id": lead.id, "tool_id": lead.tool_id, "created_at": lead.created_at},
        tool_id=lead.tool_id,
    )
    return lead


async def delete_tool_leads(app: App, user: User, tool_id: str) -> int:
    """Erase every lead of one of the user's tools; returns how many were removed."""
    await get_tool(app, user, tool_id)
    keys = [
        (item["PK"], item["SK"])
        async for item in app.store.query_all(f"TOOL#{tool_id}", SK.begins_with("LEAD#"))
        if item.get("owner_id") == user.id
    ]
    for start in range(0, len(keys), 25):
        await app.store.batch_write(deletes=keys[start : start + 25])
    return len(keys)


async def last_lead_at(app: App, tool_id: str) -> str | None:
    """When the newest lead of a tool arrived (one query of one item)."""
    page = await app.store.query(
        f"TOOL#{tool_id}", SK.begins_with("LEAD#"), ascending=False, limit=1
    )
    return str(page.items[0]["created_at"]) if page.items else None
