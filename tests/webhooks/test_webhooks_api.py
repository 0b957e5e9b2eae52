"""Webhooks through the REST API: secrets shown once, refused URLs, another creator sees nothing."""

from __future__ import annotations

from typing import Any

import pytest

from keyvex.settings import Settings


def test_create_list_rotate_and_delete(alice: Any, receiver: Any) -> None:
    created = alice.post("/api/v1/webhooks", json={"url": receiver.url, "events": ["lead.created"]})
    assert created.status_code == 201
    body = created.json()
    assert body["secret"].startswith("whsec_")
    listed = alice.get("/api/v1/webhooks").json()["webhooks"]
    assert [w["id"] for w in listed] == [body["id"]] and "secret" not in listed[0]
    rotated = alice.post(f"/api/v1/webhooks/{body['id']}/rotate-secret").json()["secret"]
    assert rotated != body["secret"]
    assert alice.delete(f"/api/v1/webhooks/{body['id']}").status_code == 204
    assert alice.get("/api/v1/webhooks").json()["webhooks"] == []


def test_unknown_events_are_refused(alice: Any, receiver: Any) -> None:
    bad = alice.post("/api/v1/webhooks", json={"url": receiver.url, "events": ["lead.exploded"]})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "events"


def test_another_creator_cannot_see_or_touch_a_webhook(alice: Any, bob: Any, receiver: Any) -> None:
    hook = alice.post(
        "/api/v1/webhooks", json={"url": receiver.url, "events": ["lead.created"]}
    ).json()
    assert bob.get("/api/v1/webhooks").json()["webhooks"] == []
    assert bob.delete(f"/api/v1/webhooks/{hook['id']}").status_code == 404
    assert bob.post(f"/api/v1/webhooks/{hook['id']}/rotate-secret").status_code == 404
    assert bob.get(f"/api/v1/webhooks/{hook['id']}/deliveries").status_code == 404


class TestWithoutTheLoopbackAllowance:
    @pytest.fixture
    def settings(self, tmp_path: Any) -> Settings:
        return Settings(env="test", data_dir=tmp_path / "data")

    @pytest.mark.parametrize(
        ("url", "message"),
        [
            ("http://10.0.0.1/hook", "private network"),
            ("http://169.254.169.254/latest", "cloud metadata"),
            ("http://[::1]:8080/hook", "loopback"),
            ("http://localhost:8080/hook", "resolves to"),
        ],
    )
    def test_internal_urls_are_refused_clearly(self, alice: Any, url: str, message: str) -> None:
        refused = alice.post("/api/v1/webhooks", json={"url": url, "events": ["lead.created"]})
        assert refused.status_code == 422
        assert message in refused.json()["detail"]
        assert refused.json()["errors"][0]["field"] == "url"
