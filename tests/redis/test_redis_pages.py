"""Publishing on one process updates the public page on another at once, through Redis."""

from __future__ import annotations

import time
from typing import Any

from fastapi.testclient import TestClient

from keyvex.tools import get_template
from tests.conftest import ApiUser, Browser


def _definition(title: str) -> dict[str, Any]:
    return {**get_template("roi-calculator").model_dump(mode="json"), "title": title}


def _until(check: Any, timeout: float = 3.0) -> float:
    """Seconds until ``check()`` holds (fails after ``timeout``)."""
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < timeout, "not seen in time"
        time.sleep(0.01)
    return time.monotonic() - started


def test_publishing_on_a_updates_the_page_on_b_at_once(
    pair: tuple[TestClient, TestClient],
) -> None:
    a, b = pair
    alice = ApiUser(Browser(a), "alice@example.com")
    tool = alice.post("/api/v1/tools", json=_definition("First ROI")).json()
    slug = alice.post(f"/api/v1/tools/{tool['id']}/publish").json()["slug"]
    assert "First ROI" in b.get(f"/t/{slug}").text
    assert "First ROI" in b.get(f"/t/{slug}").text  # now cached on B for 60 s
    alice.put(f"/api/v1/tools/{tool['id']}", json=_definition("Second ROI"))
    alice.post(f"/api/v1/tools/{tool['id']}/publish")
    waited = _until(lambda: "Second ROI" in b.get(f"/t/{slug}").text)
    assert waited < 1.0  # the cache time is 60 s
    alice.post(f"/api/v1/tools/{tool['id']}/unpublish")
    assert _until(lambda: b.get(f"/t/{slug}").status_code == 410) < 1.0


def test_a_new_slug_frees_the_old_one_on_every_process(
    pair: tuple[TestClient, TestClient],
) -> None:
    a, b = pair
    alice = ApiUser(Browser(a), "alice@example.com")
    tool = alice.post("/api/v1/tools", json=_definition("Moving ROI")).json()
    slug = alice.post(f"/api/v1/tools/{tool['id']}/publish").json()["slug"]
    assert b.get(f"/t/{slug}").status_code == 200
    moved = alice.post(f"/api/v1/tools/{tool['id']}/publish", json={"slug": "moved-roi"})
    assert moved.status_code == 200, moved.text
    assert _until(lambda: b.get(f"/t/{slug}").status_code == 404) < 1.0
    assert b.get("/t/moved-roi").status_code == 200
