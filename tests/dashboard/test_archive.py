"""Archiving tools: hidden from the list by default, unpublished first, back as a draft."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

TOKEN = re.compile(r'<code id="new-token">(kvx_[A-Za-z0-9_-]+)</code>')


def _rows(creator: Any, query: str = "") -> list[str]:
    return re.findall(r'data-tool="([0-9a-f]+)"', creator.get(f"/dashboard{query}").text)


def _token(creator: Any) -> dict[str, str]:
    page = creator.client.post(
        "/account/tokens", data={"csrf_token": creator.csrf("/account"), "name": "archive"}
    )
    match = TOKEN.search(page.text)
    assert match
    return {"Authorization": f"Bearer {match.group(1)}"}


def test_archiving_a_published_tool_unpublishes_it_and_hides_it(
    alice: Any, published: Any, client: TestClient
) -> None:
    tool_id, ref = published
    other = alice.create_from_template("break-even-calculator")
    done = alice.post(f"/dashboard/tools/{tool_id}/archive")
    assert done.status_code == 303 and done.headers["location"] == "/dashboard?done=archived"
    tool = alice.tool(tool_id)
    assert tool.archived_at is not None and tool.status == "draft"
    assert client.get("/t/alice-roi").status_code == 410
    assert _rows(alice) == [other]
    assert _rows(alice, "?show=archived") == [tool_id]
    assert set(_rows(alice, "?show=all")) == {tool_id, other}
    page = alice.get(f"/dashboard/tools/{tool_id}").text
    assert 'id="tool-archived"' in page and ">Unarchive</button>" in page
    assert alice.get(f"/dashboard/tools/{tool_id}/leads/{ref}").status_code == 200  # leads kept


def test_an_archived_tool_cannot_be_published_until_it_is_unarchived(
    alice: Any, published: Any, client: TestClient
) -> None:
    tool_id, _ = published
    alice.post(f"/dashboard/tools/{tool_id}/archive")
    refused = alice.post(
        f"/dashboard/tools/{tool_id}/publish", {"slug": "alice-roi", "allowed_origins": ""}
    )
    assert refused.status_code == 422 and "unarchive it before publishing" in refused.text
    back = alice.post(f"/dashboard/tools/{tool_id}/unarchive")
    assert back.status_code == 303 and "done=unarchived" in back.headers["location"]
    assert alice.tool(tool_id).archived_at is None and alice.tool(tool_id).status == "draft"
    assert tool_id in _rows(alice)
    alice.publish(tool_id, slug="alice-roi")  # the slug stayed reserved for this tool
    assert client.get("/t/alice-roi").status_code == 200


def test_archiving_twice_changes_nothing(alice: Any) -> None:
    tool_id = alice.create_from_template()
    alice.post(f"/dashboard/tools/{tool_id}/archive")
    first = alice.tool(tool_id).archived_at
    alice.post(f"/dashboard/tools/{tool_id}/archive")
    assert alice.tool(tool_id).archived_at == first


def test_the_api_archives_and_unarchives_only_own_tools(alice: Any, bob: Any) -> None:
    tool_id = alice.create_from_template()
    mine, theirs = _token(alice), _token(bob)
    path = f"/api/v1/tools/{tool_id}"
    assert alice.client.post(f"{path}/archive", headers=theirs).status_code == 404
    archived = alice.client.post(f"{path}/archive", headers=mine)
    assert archived.status_code == 200 and archived.json()["archived"] is True
    assert (
        alice.client.get(path, headers=mine).json()["archived_at"] == archived.json()["archived_at"]
    )
    assert alice.client.post(f"{path}/publish", headers=mine).status_code == 422
    assert alice.client.post(f"{path}/unarchive", headers=theirs).status_code == 404
    back = alice.client.post(f"{path}/unarchive", headers=mine)
    assert back.json()["archived"] is False and back.json()["archived_at"] is None
