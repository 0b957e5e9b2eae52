"""Searching a creator's leads: per tool or across tools, with filters and a stable cursor.

Per tool the leads live in ``TOOL#{tool_id}`` (``SK = LEAD#{created}#{id}``); across tools in the
``USER#{uid}#LEADS`` partition of GSI1 (``GSI1SK = created``). A date range is a key condition;
text search and the outcome filter are applied to what the key query returns (like a DynamoDB
filter expression), reading at most ``MAX_EXAMINED`` leads per page request. The cursor is the
creation time of the last lead shown (plus the ids shown at that instant), so a page can end in
the middle of a store page and a forged cursor can only move within the creator's own partition.
The dashboard's tables, its CSV downloads and the API's lists all page through this one search.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from datetime import date

from keyvex.accounts.models import User
from keyvex.app import App
from keyvex.errors import Invalid
from keyvex.leads.models import Lead
from keyvex.store import SK
from keyvex.tools.service import get_tool

PAGE_SIZE = 25
MAX_EXAMINED = 2000
BATCH = 100
TIME_PATTERN = re.compile(r"^[0-9T:.+\-]{10,40}$")


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
    if not isinstance(created, str) or not TIME_PATTERN.match(created) or not isinstance(ids, list):
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
