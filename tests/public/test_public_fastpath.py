"""Repeat tool-page views come from whole cached responses, never stale after a change."""

from __future__ import annotations

from typing import Any

from keyvex.tools import get_template


def _publish(alice: Any, title: str = "Cached ROI") -> tuple[str, str]:
    definition = {**get_template("roi-calculator").model_dump(mode="json"), "title": title}
    tool = alice.post("/api/v1/tools", json=definition).json()
    return tool["id"], alice.post(f"/api/v1/tools/{tool['id']}/publish").json()["slug"]


def test_repeat_views_are_identical_but_for_the_request_id(alice: Any, client: Any) -> None:
    _, slug = _publish(alice)
    first = client.get(f"/t/{slug}")
    second = client.get(f"/t/{slug}")
    assert first.status_code == second.status_code == 200
    assert first.text == second.text
    assert first.headers["x-request-id"] != second.headers["x-request-id"]
    for name in ("content-security-policy", "x-frame-options", "x-content-type-options"):
        assert second.headers[name] == first.headers[name]
    assert "set-cookie" not in second.headers


def test_a_new_version_or_unpublish_is_seen_at_once(alice: Any, client: Any) -> None:
    tool_id, slug = _publish(alice)
    assert "Cached ROI" in client.get(f"/t/{slug}").text
    client.get(f"/t/{slug}")
    alice.put(
        f"/api/v1/tools/{tool_id}",
        json={**get_template("roi-calculator").model_dump(mode="json"), "title": "Fresh ROI"},
    )
    alice.post(f"/api/v1/tools/{tool_id}/publish")
    assert "Fresh ROI" in client.get(f"/t/{slug}").text
    alice.post(f"/api/v1/tools/{tool_id}/unpublish")
    assert client.get(f"/t/{slug}").status_code == 410


def test_repeat_views_by_one_visitor_count_once(alice: Any, client: Any) -> None:
    from datetime import UTC, datetime

    tool_id, slug = _publish(alice)
    for _ in range(5):
        client.get(f"/t/{slug}", headers={"user-agent": "Mozilla/5.0 (same visitor)"})
    today = datetime.now(UTC).date().isoformat()
    stats = alice.get(f"/api/v1/tools/{tool_id}/stats", params={"from": today, "to": today}).json()
    assert stats["totals"]["views"] == 1
