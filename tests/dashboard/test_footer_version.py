"""The footer names the product's version on every page, never a tool's (issue 13, section 4)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from keyvex import __version__

FOOTER = f'<footer class="site-footer">Keyvex {__version__}</footer>'


def test_every_page_footer_shows_the_product_version(
    alice: Any, published: Any, client: Any
) -> None:
    tool_id, ref = published
    alice.post(f"/dashboard/tools/{tool_id}/duplicate")  # more versions, more chances to leak
    pages = [
        "/dashboard",
        "/dashboard/new",
        "/dashboard/leads",
        f"/dashboard/tools/{tool_id}",
        f"/dashboard/tools/{tool_id}/lead-capture",  # its form carries the tool's version
        f"/dashboard/tools/{tool_id}/tests",  # so does this one
        f"/dashboard/tools/{tool_id}/leads",
        f"/dashboard/tools/{tool_id}/leads/{ref}",
        f"/dashboard/tools/{tool_id}/funnel",
        f"/dashboard/tools/{tool_id}/diff?a=1&b=1",
        "/dashboard/data",
        "/account",
        "/account/webhooks",
        "/api/docs",
        "/dashboard/tools/does-not-exist",  # an error page
    ]
    for path in pages:
        page = alice.get(path)
        assert FOOTER in page.text, f"{path} ({page.status_code}) has no product version footer"
    assert FOOTER in TestClient(client.app).get("/login").text
