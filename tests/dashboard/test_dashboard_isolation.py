"""Every dashboard page shows only the signed-in creator's own data: other ids are 404."""

from __future__ import annotations

import re
from typing import Any


def test_other_creators_tool_pages_are_not_found(alice: Any, bob: Any, published: Any) -> None:
    tool_id, ref = published
    pages = [
        "",
        "/preview",
        "/preview/theme.css",
        "/diff?a=1&b=1",
        "/export",
        "/delete",
        "/leads",
        "/leads.csv",
        f"/leads/{ref}",
        f"/leads/{ref}/delete",
        "/funnel",
    ]
    for page in pages:
        assert alice.get(f"/dashboard/tools/{tool_id}{page}").status_code == 200, page
        assert bob.get(f"/dashboard/tools/{tool_id}{page}").status_code == 404, page


def test_other_creators_tools_cannot_be_changed(alice: Any, bob: Any, published: Any) -> None:
    tool_id, ref = published
    actions = {
        "/duplicate": {},
        "/restore": {"version": "1"},
        "/publish": {"slug": "stolen", "allowed_origins": ""},
        "/unpublish": {},
        "/details": {"title": "Mine now", "description": ""},
        "/theme": {"primary": "#000000"},
        f"/leads/{ref}/delete": {},
        "/archive": {},
        "/unarchive": {},
        "/delete": {"delete_leads": "yes"},
    }
    for action, data in actions.items():
        response = bob.post(f"/dashboard/tools/{tool_id}{action}", data)
        assert response.status_code == 404, (action, response.status_code)
    assert alice.tool(tool_id).version == 1
    assert alice.tool(tool_id).status == "published"
    assert alice.get(f"/dashboard/tools/{tool_id}/leads/{ref}").status_code == 200


def test_lists_show_only_own_tools_and_leads(alice: Any, bob: Any, published: Any) -> None:
    tool_id, _ = published
    mine = bob.create_from_template("break-even-calculator")
    home = bob.get("/dashboard").text
    assert mine in home and tool_id not in home
    leads = bob.get("/dashboard/leads").text
    assert "ada@example.com" not in leads and "No leads yet" in leads
    assert "ada@example.com" in alice.get("/dashboard/leads").text


def test_pages_need_sign_in(client: Any) -> None:
    for path in ("/dashboard", "/dashboard/leads", "/dashboard/new", "/dashboard/tools/abc"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")


def test_forms_need_the_csrf_token(alice: Any) -> None:
    tool_id = alice.create_from_template()
    response = alice.client.post(f"/dashboard/tools/{tool_id}/duplicate", follow_redirects=False)
    assert response.status_code == 403
    assert len(re.findall(r'data-tool="', alice.get("/dashboard").text)) == 1
