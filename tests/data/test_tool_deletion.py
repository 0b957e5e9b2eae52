"""Deleting a tool (``tool.deleted``) removes its data links, data snapshots and day counters;
its leads, their idempotency guards, the data source and the source's own data stay."""

from __future__ import annotations

import json
import secrets
import sqlite3
from pathlib import Path
from typing import Any

from keyvex.events import ToolDeleted, hooks

from . import _api as api
from .test_binding import RATES, rate_tool


def _items(user: Any) -> list[tuple[str, str, str]]:
    """Every live item of the table as (PK, SK, data); a test may scan, the product never does."""
    app = api.app_of(user)
    with sqlite3.connect(app.settings.database_path) as db:
        rows = db.execute(
            "SELECT pk, sk, data FROM items WHERE ttl IS NULL OR ttl > ?", (int(app.store.now()),)
        ).fetchall()
    return [(str(pk), str(sk), str(data)) for pk, sk, data in rows]


def _blobs(user: Any) -> list[str]:
    root = Path(api.app_of(user).settings.blob_path)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def _lead(user: Any, slug: str) -> None:
    body = {
        "answers": {"plan": "pro", "months": 2},
        "contact": {"name": "Ada", "email": "ada@example.com"},
        "consent": True,
        "idempotency_key": secrets.token_urlsafe(18),
        "elapsed_ms": 30_000,
    }
    response = user.client.post(f"/t/{slug}/submit", json=body)
    assert response.status_code in (200, 201), response.text


def _published_bound_tool(user: Any) -> tuple[str, str, str]:
    """A synced file source, a published tool reading it and one lead; (source, tool, slug)."""
    source = api.file_source(user, RATES)
    api.synced(user, source["id"])
    tool = user.post("/api/v1/tools", json=rate_tool(source["id"], ["basic", "pro"])).json()
    published = user.post(f"/api/v1/tools/{tool['id']}/publish", json={})
    assert published.status_code == 200, published.text
    _lead(user, published.json()["slug"])
    api.wait_jobs(user)
    return source["id"], tool["id"], published.json()["slug"]


def test_deleting_a_tool_removes_its_links_snapshots_and_counters_and_keeps_its_leads(
    alice: Any,
) -> None:
    source_id, tool_id, slug = _published_bound_tool(alice)
    before = _items(alice)
    kinds = {sk.split("#")[0] for pk, sk, _ in before if pk == f"TOOL#{tool_id}"}
    assert {"VERSION", "LEAD", "IDEMP", "STAT", "DATA_SOURCE"} <= kinds
    assert (f"DATA_SOURCE#{source_id}", f"TOOL#{tool_id}") in [(pk, sk) for pk, sk, _ in before]
    assert any(name.startswith(f"tooldata/{tool_id}/") for name in _blobs(alice))
    source_blobs = [name for name in _blobs(alice) if name.startswith(f"data/{source_id}/")]
    assert source_blobs

    assert alice.delete(f"/api/v1/tools/{tool_id}").status_code == 204

    after = _items(alice)
    assert sorted(sk.split("#")[0] for pk, sk, _ in after if pk == f"TOOL#{tool_id}") == [
        "IDEMP",
        "LEAD",
    ]
    assert [(pk, sk) for pk, sk, _ in after if sk == f"TOOL#{tool_id}"] == []
    assert [name for name in _blobs(alice) if name.startswith(f"tooldata/{tool_id}/")] == []
    # The source belongs to the account: its item, snapshots, analysis and activity stay.
    assert alice.get(f"/api/v1/data-sources/{source_id}").status_code == 200
    assert [name for name in _blobs(alice) if name.startswith(f"data/{source_id}/")] == (
        source_blobs
    )
    assert any(pk == f"DATA_SOURCE#{source_id}" and "ACTIVITY#" in sk for pk, sk, _ in after)
    leads = alice.get("/api/v1/leads").json()["leads"]
    assert [lead["tool_id"] for lead in leads] == [tool_id]
    # The slug stays retired for the tool: its address answers 410, not another page.
    assert alice.client.get(f"/t/{slug}").status_code == 410
    assert any(json.loads(data).get("entity_type") == "retired_slug" for _, _, data in after)


def test_a_sync_after_the_deletion_no_longer_reaches_the_deleted_tool(alice: Any) -> None:
    source_id, tool_id, _ = _published_bound_tool(alice)
    assert alice.delete(f"/api/v1/tools/{tool_id}").status_code == 204
    api.synced(alice, source_id)
    assert [name for name in _blobs(alice) if name.startswith(f"tooldata/{tool_id}/")] == []
    assert not any(tool_id in pk or tool_id in sk for pk, sk, _ in _items(alice) if "DATA" in sk)


def test_tool_deleted_handlers_are_subscribed_and_safe_to_run_again(alice: Any) -> None:
    _, tool_id, _ = _published_bound_tool(alice)
    names = {handler.__module__ for handler in hooks.handlers(ToolDeleted)}
    assert {"keyvex.data.deletion", "keyvex.analytics.deletion"} <= names
    assert alice.delete(f"/api/v1/tools/{tool_id}").status_code == 204
    left = _items(alice)
    event = ToolDeleted(owner_id="ignored", tool_id=tool_id, slug=None)
    alice.client.portal.call(hooks.publish, api.app_of(alice), event)  # a retry finds nothing
    assert _items(alice) == left
