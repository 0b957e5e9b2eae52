"""View models of the dashboard pages, built from the tools, leads and analytics services."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from html import escape
from typing import Any

from anyio import to_thread

from keyvex.accounts.models import User
from keyvex.analytics import tool_stats
from keyvex.app import App
from keyvex.dashboard.leads import last_lead_at
from keyvex.engine import format_plain
from keyvex.leads import Lead
from keyvex.tools import ToolDefinition, VerificationReport, list_templates, parse_tool, verify
from keyvex.tools.service import StoredTool, list_tools, list_versions

RECENT_DAYS = 30
KINDS = ("calculator", "quiz", "assessment")
STATUSES = ("draft", "published")
SHOW = (("", "Active tools"), ("archived", "Archived tools"), ("all", "All tools"))


@dataclass(frozen=True, slots=True)
class ToolRow:
    """One line of the tools table: the tool and its last-30-days figures.

    ``leads`` is every lead received; conversion is converted visits over views (both count
    visits, see ``keyvex.analytics``), so it never passes 100% even when one visitor sends
    the form twice.
    """

    tool: StoredTool
    views: int
    leads: int
    last_lead: str | None
    converted: int = 0

    @property
    def conversion(self) -> float | None:
        if not self.views:
            return None
        return min(round(100 * self.converted / self.views, 1), 100.0)


def today() -> date:
    return datetime.now(UTC).date()


def recent_range(days: int = RECENT_DAYS) -> tuple[date, date]:
    end = today()
    return end - timedelta(days=days - 1), end


async def _row(app: App, user: User, tool: StoredTool, start: date, end: date) -> ToolRow:
    stats, last = await asyncio.gather(
        tool_stats(app, user, tool.id, start, end), last_lead_at(app, tool.id)
    )
    totals = stats["totals"]
    return ToolRow(tool, int(totals["views"]), int(totals["leads"]), last, int(totals["converted"]))


def _wanted(tool: StoredTool, q: str, kind: str, status: str, show: str = "") -> bool:
    archived = tool.archived_at is not None
    if (show == "archived" and not archived) or (show not in ("archived", "all") and archived):
        return False
    if q and q.casefold() not in tool.definition.title.casefold():
        return False
    if kind and tool.definition.kind != kind:
        return False
    return not status or tool.status == status


async def tool_rows(
    app: App, user: User, q: str, kind: str, status: str, show: str = ""
) -> list[ToolRow]:
    """The user's tools matching the search, newest change first, with recent figures
    (one counter query and one one-item lead query per tool, run concurrently). Archived
    tools are left out unless ``show`` is ``archived`` (only those) or ``all``."""
    start, end = recent_range()
    tools = [t for t in await list_tools(app, user) if _wanted(t, q, kind, status, show)]
    return list(await asyncio.gather(*(_row(app, user, t, start, end) for t in tools)))


def templates() -> list[ToolDefinition]:
    return list_templates()


async def report_for(definition: ToolDefinition) -> VerificationReport:
    """Verification runs a few hundred sample answers: off the event loop."""
    return await to_thread.run_sync(verify, definition)


async def versions_of(app: App, user: User, tool_id: str) -> list[dict[str, Any]]:
    versions = await list_versions(app, user, tool_id)
    for version in versions:
        version["by"] = "you" if version["author_id"] == user.id else version["author_id"]
    return versions


def copy_of(definition: ToolDefinition) -> ToolDefinition:
    """A duplicate's definition: the same, titled as a copy (validated again)."""
    data = definition.model_dump(mode="json")
    data["title"] = f"{definition.title[:190]} (copy)"
    return parse_tool(data)


def public_base(app: App, request_base: str) -> str:
    return (app.settings.base_url or request_base).rstrip("/")


def embed_snippets(base: str, slug: str, title: str) -> dict[str, str]:
    """The two ways to put a published tool on another site, as text to copy."""
    safe_title = escape(title, quote=True)
    iframe = (
        f'<iframe src="{base}/t/{slug}/embed" title="{safe_title}" loading="lazy" '
        f'width="100%" height="640" frameborder="0"></iframe>'
    )
    script = f'<script src="{base}/embed.js" data-tool="{slug}" async></script>'
    return {"iframe": iframe, "script": script}


def origins_text(origins: tuple[str, ...]) -> str:
    return "\n".join(origins)


def parse_origins(text: str) -> list[str]:
    """One origin per line (or separated by commas/spaces); blanks ignored."""
    return [part for part in text.replace(",", " ").split() if part]


def short_time(iso: str | None) -> str:
    """'2025-01-31T09:05:00.123+00:00' -> '2025-01-31 09:05 UTC'."""
    if not iso:
        return "–"
    return f"{iso[:10]} {iso[11:16]} UTC"


def score_text(lead: Lead) -> str:
    """A lead's score in the leads list: a percentage when the tool's score has a maximum
    (``Lead.score`` is then the percent), else the total; '–' without one."""
    if lead.score is None:
        return "–"
    value = format_plain(round(lead.score, 1))
    return f"{value}%" if (lead.scores or {}).get("max") else value
