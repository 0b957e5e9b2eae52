"""Tools list and tool page: filters, figures, import, duplicate, delete, versions, publishing."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from keyvex.tools import get_template


def test_home_lists_tools_with_recent_figures_and_filters(alice: Any, published: Any) -> None:
    tool_id, _ = published
    other = alice.create_from_template("wellbeing-scorecard")
    page = alice.get("/dashboard").text
    row = page.split(f'data-tool="{tool_id}"')[1].split("</tr>")[0]
    assert "Published" in row and "Calculator" in row
    assert '<td class="num" data-label="Leads">1</td>' in row  # one lead in the last 30 days
    assert "UTC" in row  # last lead time
    assert 'href="/create"' in page
    assert other not in alice.get("/dashboard?kind=calculator").text
    assert tool_id not in alice.get("/dashboard?status=draft").text
    assert other in alice.get("/dashboard?q=HABITS").text
    assert tool_id not in alice.get("/dashboard?q=habits").text


def test_import_names_every_problem_and_keeps_nothing(alice: Any) -> None:
    broken = get_template("roi-calculator").model_dump(mode="json")
    broken["title"] = ""
    broken["inputs"][0]["type"] = "dial"
    files = {"file": ("tool.json", json.dumps(broken).encode(), "application/json")}
    response = alice.post("/dashboard/tools/import", files=files)
    assert response.status_code == 422
    assert "title" in response.text and "inputs[0]" in response.text
    assert response.text.count("<li><code>") >= 2
    files = {"file": ("tool.json", b"{not json", "application/json")}
    assert "not valid JSON" in alice.post("/dashboard/tools/import", files=files).text
    assert "No tools yet" in alice.get("/dashboard").text


def test_export_then_import_makes_a_new_tool(alice: Any) -> None:
    tool_id = alice.create_from_template()
    exported = alice.get(f"/dashboard/tools/{tool_id}/export")
    assert "attachment" in exported.headers["content-disposition"]
    files = {"file": ("tool.json", exported.content, "application/json")}
    response = alice.post("/dashboard/tools/import", files=files)
    assert response.status_code == 303 and response.headers["location"].endswith("?done=imported")


def test_duplicate_and_delete_keeping_or_erasing_leads(alice: Any, published: Any) -> None:
    tool_id, ref = published
    copy = alice.post(f"/dashboard/tools/{tool_id}/duplicate").headers["location"].split("/")[3]
    assert "(copy)" in alice.get(f"/dashboard/tools/{copy.split('?')[0]}").text
    confirm = alice.get(f"/dashboard/tools/{tool_id}/delete").text
    assert "Delete this tool's leads too" in confirm
    assert alice.post(f"/dashboard/tools/{tool_id}/delete").status_code == 303
    assert alice.get(f"/dashboard/tools/{tool_id}").status_code == 404
    assert alice.get(f"/dashboard/tools/{tool_id}/leads/{ref}").status_code == 200  # kept
    assert "(deleted tool)" in alice.get("/dashboard/leads").text


def test_delete_with_leads_erases_them(alice: Any, published: Any) -> None:
    tool_id, ref = published
    response = alice.post(f"/dashboard/tools/{tool_id}/delete", {"delete_leads": "yes"})
    assert response.headers["location"] == "/dashboard?done=deleted_leads"
    assert alice.get(f"/dashboard/tools/{tool_id}/leads/{ref}").status_code == 404
    assert "No leads yet" in alice.get("/dashboard/leads").text


def test_edit_diff_and_restore(alice: Any) -> None:
    tool_id = alice.create_from_template()
    saved = alice.post(
        f"/dashboard/tools/{tool_id}/details",
        {"version": "1", "title": "<b>Bold</b> ROI", "description": "Changed"},
    )
    assert saved.status_code == 303
    stale = alice.post(
        f"/dashboard/tools/{tool_id}/details", {"version": "1", "title": "X", "description": ""}
    )
    assert stale.status_code == 409 and "changed meanwhile" in stale.text
    diff = alice.get(f"/dashboard/tools/{tool_id}/diff?a=1&b=2").text
    assert (
        '<span class="diff-add">+  &#34;title&#34;: &#34;&lt;b&gt;Bold&lt;/b&gt; ROI&#34;,' in diff
    )
    assert 'class="diff-del"' in diff and "style=" not in diff
    page = alice.get(f"/dashboard/tools/{tool_id}").text
    assert "Changed title and description" in page
    restored = alice.post(f"/dashboard/tools/{tool_id}/restore", {"version": "1"})
    assert restored.headers["location"].endswith("?done=restored")
    tool = alice.tool(tool_id)
    assert tool.version == 3 and tool.definition.title == get_template("roi-calculator").title


def test_theme_with_poor_contrast_is_refused(alice: Any) -> None:
    tool_id = alice.create_from_template()
    response = alice.post(f"/dashboard/tools/{tool_id}/theme", {"version": "1", "text": "#ffffff"})
    assert response.status_code == 422
    assert 'id="e-c-text"' in response.text and "contrast" in response.text
    assert alice.tool(tool_id).version == 1
    good = alice.post(f"/dashboard/tools/{tool_id}/theme", {"version": "1", "primary": "#0b3d91"})
    assert good.status_code == 303 and alice.tool(tool_id).definition.theme.primary == "#0b3d91"


def test_publish_errors_show_on_the_form(alice: Any) -> None:
    tool_id = alice.create_from_template()
    response = alice.post(
        f"/dashboard/tools/{tool_id}/publish", {"slug": "dashboard", "allowed_origins": ""}
    )
    assert response.status_code == 422 and 'id="e-slug"' in response.text
    response = alice.post(
        f"/dashboard/tools/{tool_id}/publish", {"slug": "ok", "allowed_origins": "ftp://x"}
    )
    assert response.status_code == 422 and 'id="e-origins"' in response.text
    alice.post(
        f"/dashboard/tools/{tool_id}/publish",
        {"slug": "my-roi", "allowed_origins": "https://www.example.com"},
    )
    page = alice.get(f"/dashboard/tools/{tool_id}").text
    assert "data-tool=&#34;my-roi&#34;" in page and "/t/my-roi/embed" in page
    assert "https://www.example.com" in page
    assert alice.post(f"/dashboard/tools/{tool_id}/unpublish").status_code == 303
    assert alice.tool(tool_id).status == "draft"


def test_preview_is_framable_only_by_the_dashboard_and_counts_nothing(
    alice: Any, published: Any, client: TestClient
) -> None:
    tool_id, _ = published
    response = alice.get(f"/dashboard/tools/{tool_id}/preview")
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'self'" in csp and "'none'" not in csp.split("frame-ancestors")[1]
    assert "X-Frame-Options" not in response.headers
    assert 'data-slug="_preview"' in response.text
    assert f"/dashboard/tools/{tool_id}/preview/theme.css" in response.text
    assert client.post("/t/_preview/events", json={"event": "start"}).status_code == 404


def test_the_tool_list_labels_every_figure_for_the_phone_layout(alice: Any) -> None:
    alice.create_from_template("roi-calculator")
    page = alice.get("/dashboard").text
    assert '<table class="dash-table dash-stack" id="tools-table">' in page
    for label in ("Kind", "Status", "Views", "Leads", "Conversion", "Last lead"):
        assert f'data-label="{label}"' in page
