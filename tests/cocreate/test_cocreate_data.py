"""Co-creation with a data source attached: data-field questions, then a bound quiz."""

from __future__ import annotations

import re
from typing import Any

CATALOGUE = (
    "Product,Category,Price,Use\n"
    'Alpha Laptop,Laptop,"$1,299.00",Work\n'
    "Beta Laptop,Laptop,$899.50,Gaming\n"
    "Gamma Tablet,Tablet,$499.00,Work\n"
    "Delta Phone,Phone,$799.00,Travel\n"
)
TOKEN = re.compile(r'<code id="new-token">(kvx_[A-Za-z0-9_-]+)</code>')


def api_token(creator: Any) -> dict[str, str]:
    page = creator.http.post("/account/tokens", data={"csrf_token": creator.csrf, "name": "data"})
    match = TOKEN.search(page.text)
    assert match, page.text[:500]
    return {"Authorization": f"Bearer {match.group(1)}"}


def synced_source(creator: Any, server: Any) -> str:
    auth = api_token(creator)
    info = creator.http.post(
        "/api/v1/data-sources/uploads?filename=catalogue.csv",
        content=CATALOGUE.encode(), headers=auth,
    ).json()  # fmt: skip
    source = creator.http.post(
        "/api/v1/data-sources", headers=auth,
        json={"name": "Catalogue", "source_type": "file",
              "config": {"blob_key": info["blob_key"], "filename": "catalogue.csv"}},
    ).json()  # fmt: skip
    creator.http.post(f"/api/v1/data-sources/{source['id']}/sync", headers=auth)
    server.wait_idle()
    sid: str = source["id"]
    return sid


def test_a_session_with_a_source_asks_data_questions_and_builds_a_bound_quiz(
    server: Any, creator: Any
) -> None:
    source_id = synced_source(creator, server)
    sid = creator.start("A laptop finder for my shop", source_id=source_id)
    events = creator.answer_all(sid, after=0)
    asked = [e["data"]["question"] for e in events if e["event"] == "question"]
    assert [q["id"] for q in asked] == ["data_title", "data_filters", "data_limit", "data_show"]
    assert asked[0]["input_type"] == "data_field"
    assert {o["value"] for o in asked[0]["options"]} == {"Product", "Category", "Price", "Use"}
    assert asked[2]["default"] == "Price"  # the numeric column
    tool = next(e["data"] for e in events if e["event"] == "tool")
    assert tool["errors"] == 0
    session = creator.session(sid)
    assert session["status"] == "ready"
    published = creator.post(f"/create/sessions/{sid}/publish")
    assert published.status_code == 200, published.text
    slug = published.json()["slug"]
    result = creator.http.post(
        f"/t/{slug}/result", json={"answers": {"want_category": "Tablet", "limit": 600}}
    )
    assert result.status_code == 200, result.text
    cards = result.json()["result"]["blocks"][1]["cards"]
    assert [c["title"] for c in cards] == ["Gamma Tablet"]


def test_a_session_cannot_attach_another_creators_source(
    server: Any, creator: Any, other_creator: Any
) -> None:
    source_id = synced_source(creator, server)
    response = other_creator.post(
        "/create/sessions", {"brief": "A laptop finder", "source_id": source_id}
    )
    assert response.status_code == 404
