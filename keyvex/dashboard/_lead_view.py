"""The lead detail page's data: the lead, its tool, and the lead in words (``readable_lead``).

Labels come from the tool version the lead was captured with (the question the visitor
actually read), else the current version, else none (a deleted tool).
"""

from __future__ import annotations

from dataclasses import dataclass

from keyvex.accounts.models import User
from keyvex.app import App
from keyvex.dashboard.leads import get_lead
from keyvex.errors import NotFound
from keyvex.leads import Lead, LeadView, readable_lead
from keyvex.tools.service import StoredTool, get_tool, get_version


@dataclass(frozen=True, slots=True)
class LeadDetail:
    lead: Lead
    tool: StoredTool | None  # None once the tool is deleted (its leads are kept)
    view: LeadView


async def load_lead_detail(app: App, user: User, tool_id: str, ref: str) -> LeadDetail:
    """One of the user's leads with the labels of the version it was captured with."""
    lead = await get_lead(app, user, tool_id, ref)
    try:
        tool: StoredTool | None = await get_tool(app, user, tool_id)
    except NotFound:
        tool = None
    definition = tool.definition if tool else None
    if tool is not None and lead.tool_version != tool.version:
        try:
            definition = await get_version(app, user, tool_id, lead.tool_version)
        except NotFound:
            pass  # that version is gone: the current labels are the best there are
    return LeadDetail(lead, tool, readable_lead(lead, definition))
