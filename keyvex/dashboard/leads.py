"""Leads as the dashboard reads them: filtered pages per tool or across tools, one lead, erasure.

Per tool the leads live in ``TOOL#{tool_id}`` (``SK = LEAD#{created}#{id}``); across tools in the
``USER#{uid}#LEADS`` partition of GSI1 (``GSI1SK = created``). A date range is a key condition;
text search and the outcome filter are applied to what the key query returns (like a DynamoDB
filter expression), reading at most ``MAX_EXAMINED`` leads per page request. The cursor is the
creation time of the last lead shown (plus the ids shown at that instant), so a page can end in
the middle of a store page and a forged cursor can only move within the creator's own partition.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from datetime import date

from keyvex import webhooks
from keyvex.accounts.models import User
from keyvex.app import App
from keyvex.errors import Invalid, NotFound
from keyvex.leads import Lead
from keyvex.store import SK, Condition, ConditionFailed
from keyvex.tools.service import get_tool

PAGE_SIZE = 25
MAX_EXAMINED = 2000
BATCH = 100
_LEAD_ID = re.compile(r"^[A-Za-z0-9]{1,64}$")
_TIME = re.compile(r"^[0-9T:.+\-]{10,40}$")


@dataclass(frozen=True, slots=True)
class LeadFilter:
    """What the creator asked for: text in the contact, a date range (UTC days), an outcome."""

    q: str = ""
    start: date | None = None
    end: date | None = None
    outcome: str = ""

    @property
    def active(self) -> bool:
        return bool(self.q or self.start or self.end or self.outcome)

    def matches(self, lead: Lead) -> bool:
        if self.outcome and self.outcome not in (lead.outcome_id, lead.outcome_title):
            return False
        if self.q:
            needle = self.q.casefold()
            return any(needle in str(value).casefold() for value in lead.contact.values())
        return True


@dataclass(slots=True)
class FilteredLeads:
    """One page of matching leads, newest first; ``cursor`` continues after the last one."""

    items: list[Lead] = field(default_factory=list)
    cursor: str | None = None
    examined: int = 0
    capped: bool = False


def parse_day(raw: str, name: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Invalid(
            "A date is not valid.", fields={name: "Use a date like 2025-01-31."}
        ) from None


def _encode_cursor(created: str, ids: list[str]) -> str:
    raw = json.dumps({"k": created, "ids": ids}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[str, set[str]]:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        created, ids = data["k"], data["ids"]
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise Invalid("The page link is not valid; start from the first page.") from None
    if not isinstance(created, str) or not _TIME.match(created) or not isinstance(ids, list):
        raise Invalid("The page link is not valid; start from the first page.")
    return created, {str(i) for i in ids[:200]}


async def filtered_leads(
    app: App,
    user: User,
    tool_id: str | None,
    wanted: LeadFilter,
    *,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> FilteredLeads:
    """Leads of one tool (``tool_id``) or of all the user's tools (None) matching ``wanted``."""
    if tool_id is not None:
        await get_tool(app, user, tool_id)
    low = wanted.start.isoformat() if wanted.start else ""
    high = f"{wanted.end.isoformat()}~" if wanted.end else "~"
    skip: set[str] = set()
    after = ""
    if cursor:
        after, skip = _decode_cursor(cursor)
        high = after
        high = min(high, f"{wanted.end.isoformat()}~") if wanted.end else high
    if tool_id is not None:
        pk, index, prefix = f"TOOL#{tool_id}", None, "LEAD#"
        high = high if high.endswith("~") else f"{high}#~"
    else:
        pk, index, prefix = f"USER#{user.id}#LEADS", "GSI1", ""
    keys = (prefix + low, prefix + high)
    return await _collect(app, user, pk, index, keys, (after, skip), wanted, limit)


async def _collect(
    app: App,
    user: User,
    pk: str,
    index: str | None,
    keys: tuple[str, str],
    previous: tuple[str, set[str]],
    wanted: LeadFilter,
    limit: int,
) -> FilteredLeads:
    found = FilteredLeads()
    low, high = keys
    skip = previous[1]
    store_cursor: str | None = None
    while True:
        page = await app.store.query(
            pk,
            SK.between(low, high),
            index=index,
            ascending=False,
            limit=BATCH,
            cursor=store_cursor,
        )
        for item in page.items:
            if item.get("owner_id") != user.id or item.get("entity_type") != "lead":
                continue
            lead = Lead.from_item(item)
            if lead.id in skip:
                continue
            found.examined += 1
            if wanted.matches(lead):
                found.items.append(lead)
            if len(found.items) == limit or found.examined >= MAX_EXAMINED:
                found.capped = len(found.items) < limit
                found.cursor = _cursor_after(found, lead, previous)
                return found
        if page.cursor is None:
            return found
        store_cursor = page.cursor


def _cursor_after(found: FilteredLeads, last: Lead, previous: tuple[str, set[str]]) -> str:
    """Continue below ``last``: leads at the same instant that were already passed are skipped."""
    shown = {lead.id for lead in found.items if lead.created_at == last.created_at}
    carried = previous[1] if previous[0] == last.created_at else set()
    return _encode_cursor(last.created_at, sorted(shown | {last.id} | carried))


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
    if not _TIME.match(created) or not _LEAD_ID.match(lead_id) or not tool_id.isalnum():
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
