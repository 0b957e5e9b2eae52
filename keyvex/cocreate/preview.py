"""The live preview: the session's current tool version rendered as its real public page."""

from __future__ import annotations

from keyvex.accounts import User
from keyvex.app import App
from keyvex.cocreate.service import get_session
from keyvex.data.binding import effective_definition
from keyvex.errors import NotFound
from keyvex.public import render_page, theme_css
from keyvex.tools.publishing import PublishedTool
from keyvex.tools.service import get_tool
from keyvex.web.middleware import CSP

#: The creator page frames the preview; nobody else may.
PREVIEW_CSP = CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self'")


async def _current(app: App, user: User, sid: str) -> PublishedTool:
    session = await get_session(app, user, sid)
    if session.tool_id is None:
        raise NotFound("There is no tool to preview yet.")
    stored = await get_tool(app, user, session.tool_id)
    return PublishedTool(
        tool_id=stored.id,
        owner_id=stored.owner_id,
        slug=stored.slug or "preview",
        version=stored.version,
        definition=await effective_definition(app, user.id, stored.definition),
        allowed_origins=(),
        published_at=stored.updated_at,
    )


async def preview_page(app: App, user: User, sid: str, *, embed: bool = False) -> str:
    """The public page HTML of the current version, its theme served from the session."""
    tool = await _current(app, user, sid)
    html = render_page(tool, embed=embed)
    # A draft has no public theme URL: point the stylesheet at the preview's own.
    public = f"/t/{tool.slug}/theme.css?v={tool.version}"
    return html.replace(public, f"/create/sessions/{sid}/preview/theme.css?v={tool.version}")


async def preview_theme(app: App, user: User, sid: str) -> str:
    tool = await _current(app, user, sid)
    return theme_css(tool.definition)
