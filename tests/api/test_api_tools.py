"""REST API v1: tools, versions, publishing, evaluation and templates, as a creator uses them."""

from __future__ import annotations

from typing import Any

from keyvex.engine import run
from keyvex.tools import get_template


def roi() -> dict[str, Any]:
    return get_template("roi-calculator").model_dump(mode="json")


def test_create_read_list_update_delete_a_tool(alice: Any) -> None:
    created = alice.post("/api/v1/tools", json=roi())
    assert created.status_code == 201
    tool = created.json()
    assert tool["version"] == 1 and tool["status"] == "draft"
    assert alice.get(f"/api/v1/tools/{tool['id']}").json()["definition"]["title"] == roi()["title"]
    assert [t["id"] for t in alice.get("/api/v1/tools").json()["tools"]] == [tool["id"]]

    changed = {**roi(), "title": "ROI in 60 seconds"}
    updated = alice.put(f"/api/v1/tools/{tool['id']}", json=changed)
    assert updated.status_code == 200 and updated.json()["version"] == 2
    versions = alice.get(f"/api/v1/tools/{tool['id']}/versions").json()["versions"]
    assert [v["number"] for v in versions] == [2, 1]

    assert alice.delete(f"/api/v1/tools/{tool['id']}").status_code == 204
    assert alice.get(f"/api/v1/tools/{tool['id']}").status_code == 404


def test_invalid_definition_gets_problem_json_naming_the_paths(alice: Any) -> None:
    bad = roi()
    bad["inputs"][2]["min"] = "lots"
    del bad["title"]
    response = alice.post("/api/v1/tools", json=bad)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    fields = {e["field"] for e in response.json()["errors"]}
    assert "inputs[2].min" in fields and "title" in fields
    assert (
        alice.post(
            "/api/v1/tools", content=b"{not json", headers={"content-type": "application/json"}
        ).status_code
        == 422
    )
    assert alice.post("/api/v1/tools", json=[1, 2]).status_code == 422


def test_if_match_refuses_a_lost_update(alice: Any) -> None:
    tool = alice.post("/api/v1/tools", json=roi()).json()
    assert (
        alice.put(f"/api/v1/tools/{tool['id']}", json=roi(), headers={"If-Match": "1"}).status_code
        == 200
    )
    stale = alice.put(f"/api/v1/tools/{tool['id']}", json=roi(), headers={"If-Match": "1"})
    assert stale.status_code == 409
    assert "changed meanwhile" in stale.json()["detail"]


def test_publish_assigns_a_slug_and_unpublish_takes_the_page_down(alice: Any) -> None:
    tool = alice.post("/api/v1/tools", json=roi()).json()
    live = alice.post(f"/api/v1/tools/{tool['id']}/publish")
    assert live.status_code == 200
    body = live.json()
    assert body["slug"] == "what-return-will-this-project-bring"
    assert body["url"].endswith("/t/what-return-will-this-project-bring")
    assert alice.get(f"/api/v1/tools/{tool['id']}").json()["status"] == "published"
    assert alice.post(f"/api/v1/tools/{tool['id']}/unpublish").json() == {"status": "draft"}
    assert alice.get(f"/api/v1/tools/{tool['id']}").json()["status"] == "draft"


def test_an_address_from_a_long_title_ends_with_a_whole_word(alice: Any) -> None:
    title = "How much could a marketing automation platform save your growing agency each year"
    tool = alice.post("/api/v1/tools", json={**roi(), "title": title}).json()
    slug = alice.post(f"/api/v1/tools/{tool['id']}/publish").json()["slug"]
    # filler words go first, then the cut is after a whole word (not "...-platform-sa")
    assert slug == "marketing-automation-platform-save-growing-agency"
    assert len(slug) <= 50 and set(slug.split("-")) <= set(title.lower().split())
    other = alice.post("/api/v1/tools", json={**roi(), "title": title}).json()
    again = alice.post(f"/api/v1/tools/{other['id']}/publish").json()["slug"]
    assert again == f"{slug}-2"
    word = alice.post("/api/v1/tools", json={**roi(), "title": "Supercalifragilistic" * 4}).json()
    only = alice.post(f"/api/v1/tools/{word['id']}/publish").json()["slug"]
    assert only == ("supercalifragilistic" * 4)[:50]  # one word longer than the limit


def test_slugs_are_unique_site_wide_and_reserved_words_refused(alice: Any, bob: Any) -> None:
    a = alice.post("/api/v1/tools", json=roi()).json()
    b = bob.post("/api/v1/tools", json=roi()).json()
    first = alice.post(f"/api/v1/tools/{a['id']}/publish").json()["slug"]
    second = bob.post(f"/api/v1/tools/{b['id']}/publish").json()["slug"]
    assert first != second and second == f"{first}-2"
    taken = bob.post(f"/api/v1/tools/{b['id']}/publish", json={"slug": first})
    assert taken.status_code == 409
    reserved = bob.post(f"/api/v1/tools/{b['id']}/publish", json={"slug": "admin"})
    assert reserved.status_code == 422 and "reserved" in reserved.json()["detail"]
    bad = bob.post(f"/api/v1/tools/{b['id']}/publish", json={"slug": "Not A Slug!"})
    assert bad.status_code == 422
    renamed = bob.post(f"/api/v1/tools/{b['id']}/publish", json={"slug": "bobs-roi"})
    assert renamed.json()["slug"] == "bobs-roi"


def test_publishing_refuses_a_tool_that_fails_verification(alice: Any) -> None:
    broken = roi()
    broken["theme"] = {**broken.get("theme", {}), "text": "#ffffff", "background": "#ffffff"}
    tool = alice.post("/api/v1/tools", json=broken).json()
    refused = alice.post(f"/api/v1/tools/{tool['id']}/publish")
    assert refused.status_code == 422
    assert "verification found" in refused.json()["detail"]
    assert any("contrast" in e["message"].lower() for e in refused.json()["errors"])


def test_embedding_origins_are_validated(alice: Any) -> None:
    tool = alice.post("/api/v1/tools", json=roi()).json()
    bad = alice.post(
        f"/api/v1/tools/{tool['id']}/publish", json={"allowed_origins": ["javascript:x"]}
    )
    assert bad.status_code == 422
    ok = alice.post(
        f"/api/v1/tools/{tool['id']}/publish", json={"allowed_origins": ["https://Acme.example/"]}
    )
    assert ok.json()["allowed_origins"] == ["https://acme.example"]


def test_evaluate_recomputes_with_the_engine(alice: Any) -> None:
    tool = alice.post("/api/v1/tools", json=roi()).json()
    answers = {"investment": 50000, "monthly_revenue_gain": 5000, "months": 12}
    result = alice.post(f"/api/v1/tools/{tool['id']}/evaluate", json={"answers": answers})
    assert result.status_code == 200
    expected = run(get_template("roi-calculator"), answers)
    assert result.json()["values"] == expected.model_dump(mode="json")["values"]
    wrong = alice.post(
        f"/api/v1/tools/{tool['id']}/evaluate", json={"answers": {"investment": "lots"}}
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "investment"


def test_templates_can_be_listed_and_instantiated(alice: Any) -> None:
    listed = alice.get("/api/v1/templates").json()["templates"]
    assert len(listed) >= 14
    made = alice.post("/api/v1/tools/from-template/leadership-style-quiz")
    assert made.status_code == 201 and made.json()["kind"] == "quiz"
    assert alice.post("/api/v1/tools/from-template/no-such-template").status_code == 404


def test_a_creator_cannot_reach_another_creators_tool(alice: Any, bob: Any) -> None:
    tool = alice.post("/api/v1/tools", json=roi()).json()
    path = f"/api/v1/tools/{tool['id']}"
    assert bob.get(path).status_code == 404
    assert bob.put(path, json=roi()).status_code == 404
    assert bob.delete(path).status_code == 404
    assert bob.post(f"{path}/publish").status_code == 404
    assert bob.post(f"{path}/evaluate", json={"answers": {}}).status_code == 404
    assert bob.get("/api/v1/tools").json()["tools"] == []
    assert alice.get(path).status_code == 200


def test_api_reference_lists_every_operation(client: Any) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    for operation in (
        "POST /api/v1/tools",
        "GET /api/v1/tools/{tool_id}",
        "POST /api/v1/tools/{tool_id}/publish",
    ):
        assert operation in page.text
    schema = client.get("/api/openapi.json").json()
    assert "/api/v1/tools/{tool_id}/evaluate" in schema["paths"]


def test_public_lookup_follows_publish_and_unpublish_at_once(alice: Any, client: Any) -> None:
    import asyncio

    import pytest

    from keyvex.errors import Gone, NotFound
    from keyvex.tools.publishing import published_by_slug

    app = client.app.state.keyvex
    tool = alice.post("/api/v1/tools", json=roi()).json()
    slug = alice.post(f"/api/v1/tools/{tool['id']}/publish").json()["slug"]
    assert asyncio.run(published_by_slug(app, slug)).version == 1
    alice.put(f"/api/v1/tools/{tool['id']}", json={**roi(), "title": "Second edition"})
    assert alice.post(f"/api/v1/tools/{tool['id']}/publish").json()["version"] == 2
    assert asyncio.run(published_by_slug(app, slug)).definition.title == "Second edition"
    alice.post(f"/api/v1/tools/{tool['id']}/unpublish")
    with pytest.raises(Gone):
        asyncio.run(published_by_slug(app, slug))
    with pytest.raises(NotFound):
        asyncio.run(published_by_slug(app, "no-such-tool"))
