"""Every lead of a creator, across their tools, as one CSV (the all-leads page and the API).

Tools ask different questions, so per-tool columns cannot line up. The columns are fixed and
machine-readable: ``created_at, lead_id, tool, tool_id, name, email, other_contact, consent,
score, outcome, answers, results, tool_version, utm_*, referrer``. ``name`` and ``email`` come
from the contact fields of those types; ``answers``, ``results`` and ``other_contact`` hold
"Label: value" pairs joined by "; ", in words as on the lead page (``readable_lead``). Filters
are those of the leads table (text, UTC days, outcome), so the download is what the page shows.
For one tool's answers as separate columns, use that tool's CSV.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator

from keyvex.accounts.models import User
from keyvex.app import App
from keyvex.leads._csv import neutralise
from keyvex.leads._readable import Row, readable_lead
from keyvex.leads._search import LeadFilter, filtered_leads
from keyvex.leads.models import UTM_KEYS, Lead
from keyvex.tools import ToolDefinition
from keyvex.tools.service import list_tools

HEADER = (
    "created_at",
    "lead_id",
    "tool",
    "tool_id",
    "name",
    "email",
    "other_contact",
    "consent",
    "score",
    "outcome",
    "answers",
    "results",
    "tool_version",
    *UTM_KEYS,
    "referrer",
)
PAGE = 200


async def iter_all_leads_csv(app: App, user: User, wanted: LeadFilter) -> AsyncIterator[str]:
    """The CSV text in chunks, newest lead first; only ``user``'s leads are ever read."""
    tools = {tool.id: tool.definition for tool in await list_tools(app, user)}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    cursor: str | None = None
    while True:
        page = await filtered_leads(app, user, None, wanted, cursor=cursor, limit=PAGE)
        for lead in page.items:
            writer.writerow([neutralise(cell) for cell in _row(lead, tools.get(lead.tool_id))])
        yield _drain(buffer)
        if page.cursor is None:
            return
        cursor = page.cursor


def _row(lead: Lead, definition: ToolDefinition | None) -> list[object]:
    view = readable_lead(lead, definition)
    types: dict[str, str] = (
        {f.id: f.type for f in definition.lead_capture.fields} if definition else {}
    )
    name = _contact_of(lead, types, "name")
    email = _contact_of(lead, types, "email")
    others = [row for row in view.contact if row.name not in (name[0], email[0])]
    return [
        lead.created_at,
        lead.id,
        definition.title if definition else "(deleted tool)",
        lead.tool_id,
        name[1],
        email[1],
        _pairs(others),
        lead.consent.get("given", False),
        view.score or "",
        lead.outcome_title or "",
        _pairs(view.answers),
        _pairs(view.results),
        lead.tool_version,
        *(lead.utm.get(k, "") for k in UTM_KEYS),
        lead.referrer,
    ]


def _contact_of(lead: Lead, types: dict[str, str], kind: str) -> tuple[str, str]:
    """(field id, value) of the first contact field of ``kind`` (by type, else by id)."""
    for field_id, value in lead.contact.items():
        if types.get(field_id, field_id) == kind:
            return field_id, value
    return "", ""


def _pairs(rows: list[Row]) -> str:
    return "; ".join(f"{row.label}: {row.value}" for row in rows)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
