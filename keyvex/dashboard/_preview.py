"""The draft preview: a tool's current version rendered as its real public page, unpublished.

The page gets a slug no public address can have (``_preview``), so its runtime's analytics
beacons and lead submissions go nowhere instead of counting against the live tool.
"""

from __future__ import annotations

from keyvex.public import render_page, theme_css
from keyvex.tools.publishing import PublishedTool
from keyvex.tools.service import StoredTool
from keyvex.web.middleware import CSP

#: Only the dashboard itself may frame the preview.
PREVIEW_CSP = CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
PREVIEW_SLUG = "_preview"


def _as_published(tool: StoredTool) -> PublishedTool:
    return PublishedTool(
        tool_id=tool.id,
        owner_id=tool.owner_id,
        slug=PREVIEW_SLUG,
        version=tool.version,
        definition=tool.definition,
        allowed_origins=(),
        # Part of the public payload cache key: never equal to a real publication's.
        published_at=f"preview:{tool.updated_at}",
    )


def preview_html(tool: StoredTool) -> str:
    """The public page HTML of the current version, its theme served by the dashboard."""
    html = render_page(_as_published(tool), embed=True)
    public = f"/t/{PREVIEW_SLUG}/theme.css?v={tool.version}"
    own = f"/dashboard/tools/{tool.id}/preview/theme.css?v={tool.version}"
    return html.replace(public, own)


def preview_theme(tool: StoredTool) -> str:
    return theme_css(tool.definition)
