"""Data sources through the REST API: upload, create, test, sync, bind, publish, re-sync."""

from __future__ import annotations

import json
from typing import Any

from keyvex.data import sync
from keyvex.data.toolgen import build_recommendation_quiz

from ._api import CATALOGUE, app_of, file_source, synced, upload, wait_jobs


def test_a_file_source_syncs_into_a_snapshot_with_activity(alice: Any) -> None:
    source = file_source(alice)
    assert source["health"]["status"] == "never_synced"
    detail = synced(alice, source["id"])
    assert detail["health"]["status"] == "connected"
    assert detail["snapshot"]["row_count"] == 4
    assert detail["snapshot"]["columns"] == ["Product", "Category", "Price", "Use"]
    rows = alice.get(f"/api/v1/data-sources/{source['id']}/rows").json()
    assert rows["rows"][0] == ["Alpha Laptop", "Laptop", "$1,299.00", "Work"]
    log = alice.get(f"/api/v1/data-sources/{source['id']}/activity").json()["activity"]
    kinds = [entry["kind"] for entry in log]
    assert kinds[0] == "sync" and "configuration" in kinds
    assert "4 rows" in log[0]["message"]


def test_testing_settings_before_saving_shows_a_preview(alice: Any) -> None:
    info = upload(alice, CATALOGUE)
    response = alice.post(
        "/api/v1/data-sources/test",
        json={"source_type": "file",
              "config": {"blob_key": info["blob_key"], "filename": "catalogue.csv"}},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    assert response.json()["row_count"] == 4 and len(response.json()["rows"]) <= 5


def test_bad_settings_are_named_by_field(alice: Any) -> None:
    response = alice.post(
        "/api/v1/data-sources",
        json={"name": "", "source_type": "file", "config": {"filename": "x.csv"}},
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert "config.blob_key" in fields
    unknown = alice.post(
        "/api/v1/data-sources", json={"name": "x", "source_type": "ftp", "config": {}}
    )
    assert unknown.status_code == 422 and "Unknown source type" in unknown.json()["detail"]


def test_another_creators_upload_cannot_be_used(alice: Any, bob: Any) -> None:
    info = upload(alice, CATALOGUE)
    response = bob.post(
        "/api/v1/data-sources",
        json={"name": "Stolen", "source_type": "file",
              "config": {"blob_key": info["blob_key"], "filename": "catalogue.csv"}},
    )  # fmt: skip
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "config.blob_key"


def test_a_creator_never_sees_another_creators_sources(alice: Any, bob: Any) -> None:
    source = file_source(alice)
    assert bob.get("/api/v1/data-sources").json()["data_sources"] == []
    for method, path in [
        ("GET", ""), ("PATCH", ""), ("DELETE", ""), ("POST", "/test"), ("POST", "/sync"),
        ("GET", "/activity"), ("GET", "/rows"), ("GET", "/analysis"),
    ]:  # fmt: skip
        kwargs: dict[str, Any] = {"json": {"name": "x"}} if method == "PATCH" else {}
        response = bob.request(method, f"/api/v1/data-sources/{source['id']}{path}", **kwargs)
        assert response.status_code == 404, (method, path, response.status_code)
    assert alice.get(f"/api/v1/data-sources/{source['id']}").status_code == 200


def test_secrets_are_encrypted_and_never_returned(alice: Any) -> None:
    response = alice.post(
        "/api/v1/data-sources",
        json={"name": "Prices API", "source_type": "rest",
              "config": {"url": "https://api.example.com/prices"},
              "secrets": {"secret_headers": '{"Authorization": "Bearer sekret-123"}'}},
    )  # fmt: skip
    assert response.status_code == 201, response.text
    assert "sekret-123" not in response.text
    assert response.json()["secrets_set"] == ["secret_headers"]
    listing = alice.get("/api/v1/data-sources").text
    assert "sekret-123" not in listing and "secrets_enc" not in listing
    app = app_of(alice)
    item = alice.client.portal.call(
        app.store.get, f"USER#{alice_uid(alice)}", f"DATA_SOURCE#{response.json()['id']}"
    )
    assert "sekret-123" not in json.dumps(item)


def alice_uid(user: Any) -> str:
    uid: str = user.get("/api/v1/me").json()["id"]
    return uid


def bound_quiz(source_id: str, dataset_text: str = CATALOGUE) -> dict[str, Any]:
    import pathlib
    import tempfile

    from keyvex.data.sources.files import read_file

    with tempfile.TemporaryDirectory() as tmp:
        file = pathlib.Path(tmp) / "c.csv"
        file.write_text(dataset_text)
        dataset = read_file(file)
    analysis = {"columns": [{"name": "Price", "type": "currency", "currency": "USD"}]}
    definition = build_recommendation_quiz(
        source_id=source_id, source_name="Catalogue", dataset=dataset, analysis=analysis,
        title_column="Product", filter_columns=["Category"], limit_column="Price",
        show_columns=["Price"],
    )  # fmt: skip
    return definition.model_dump(mode="json")


def visitor_result(user: Any, slug: str, answers: dict[str, Any]) -> Any:
    response = user.client.post(f"/t/{slug}/result", json={"answers": answers})
    assert response.status_code == 200, response.text
    return response.json()["result"]["blocks"]


def test_publishing_snapshots_the_data_and_a_resync_updates_the_page(alice: Any) -> None:
    source = file_source(alice)
    synced(alice, source["id"])
    created = alice.post("/api/v1/tools", json=bound_quiz(source["id"])).json()
    published = alice.post(f"/api/v1/tools/{created['id']}/publish", json={}).json()
    slug = published["slug"]
    answers = {"want_category": "Laptop", "limit": 2000}
    cards = visitor_result(alice, slug, answers)[1]["cards"]
    assert [c["title"] for c in cards] == ["Beta Laptop", "Alpha Laptop"]
    assert cards[0]["fields"][0]["display"] == "$899.50"
    assert alice.get(f"/api/v1/data-sources/{source['id']}").json()["tools"] == [created["id"]]

    edited = CATALOGUE.replace("Beta Laptop,Laptop,$899.50", "Beta Book,Laptop,$799.00")
    info = upload(alice, edited)
    response = alice.put(
        f"/api/v1/data-sources/{source['id']}/file?filename=catalogue.csv",
        content=edited.encode(),
    )
    assert response.status_code == 200, response.text
    assert info["blob_key"] != response.json()["config"]["blob_key"]
    wait_jobs(alice)
    cards = visitor_result(alice, slug, answers)[1]["cards"]
    assert [c["title"] for c in cards] == ["Beta Book", "Alpha Laptop"]
    assert cards[0]["fields"][0]["display"] == "$799.00"


def test_new_data_that_fails_verification_keeps_the_previous_snapshot(alice: Any) -> None:
    source = file_source(alice)
    synced(alice, source["id"])
    created = alice.post("/api/v1/tools", json=bound_quiz(source["id"])).json()
    slug = alice.post(f"/api/v1/tools/{created['id']}/publish", json={}).json()["slug"]
    broken = CATALOGUE.replace("Price", "Cost")  # the bound column disappears
    response = alice.put(
        f"/api/v1/data-sources/{source['id']}/file?filename=catalogue.csv",
        content=broken.encode(),
    )
    assert response.status_code == 200
    wait_jobs(alice)
    cards = visitor_result(alice, slug, {"want_category": "Laptop", "limit": 2000})[1]["cards"]
    assert [c["title"] for c in cards] == ["Beta Laptop", "Alpha Laptop"]
    log = alice.get(f"/api/v1/data-sources/{source['id']}/activity").json()["activity"]
    assert any(e["kind"] == "error" and "keeps its previous data" in e["message"] for e in log)
    assert "Price" in next(e["message"] for e in log if e["kind"] == "error")


def test_publishing_a_tool_bound_to_an_unsynced_source_names_the_problem(alice: Any) -> None:
    source = file_source(alice)
    created = alice.post("/api/v1/tools", json=bound_quiz(source["id"])).json()
    response = alice.post(f"/api/v1/tools/{created['id']}/publish", json={})
    assert response.status_code == 422
    assert "has not been synced" in response.json()["detail"]


def test_a_tool_cannot_bind_another_creators_source(alice: Any, bob: Any) -> None:
    source = file_source(alice)
    synced(alice, source["id"])
    created = bob.post("/api/v1/tools", json=bound_quiz(source["id"])).json()
    response = bob.post(f"/api/v1/tools/{created['id']}/publish", json={})
    assert response.status_code == 422
    assert "does not exist" in response.json()["detail"]


def test_a_failed_sync_is_recorded_in_health_and_activity(alice: Any) -> None:
    info = upload(alice, "just, some text\n", name="prices.xlsx")
    source = alice.post(
        "/api/v1/data-sources",
        json={"name": "Prices", "source_type": "file",
              "config": {"blob_key": info["blob_key"], "filename": "prices.xlsx"}},
    ).json()  # fmt: skip
    alice.post(f"/api/v1/data-sources/{source['id']}/sync")
    wait_jobs(alice)
    health = alice.get(f"/api/v1/data-sources/{source['id']}").json()["health"]
    assert health["status"] == "error" and health["error_count"] == 1
    assert health["last_error_kind"] == "format" and health["last_error"]
    log = alice.get(f"/api/v1/data-sources/{source['id']}/activity").json()["activity"]
    assert log[0]["kind"] == "error" and log[0]["message"].startswith("Sync: ")


def test_an_empty_upload_is_refused(alice: Any) -> None:
    response = alice.post("/api/v1/data-sources/uploads?filename=x.csv", content=b"")
    assert response.status_code == 422


def test_scheduled_sources_are_claimed_once_and_synced(alice: Any) -> None:
    source = file_source(alice)
    patched = alice.request(
        "PATCH", f"/api/v1/data-sources/{source['id']}", json={"frequency": "hourly"}
    ).json()
    assert patched["next_sync_at"] is not None
    app = app_of(alice)
    later = 10**10  # far in the future: everything scheduled is due
    assert alice.client.portal.call(sync.sync_due, app, later) == 1
    assert alice.client.portal.call(sync.sync_due, app, later) == 0  # claimed (leased)
    wait_jobs(alice)
    detail = alice.get(f"/api/v1/data-sources/{source['id']}").json()
    assert detail["snapshot"]["row_count"] == 4
    paused = alice.request(
        "PATCH", f"/api/v1/data-sources/{source['id']}", json={"paused": True}
    ).json()
    assert paused["next_sync_at"] is None
    assert alice.client.portal.call(sync.sync_due, app, later) == 0


def test_deleting_a_bound_source_is_refused_until_unbound(alice: Any) -> None:
    source = file_source(alice)
    synced(alice, source["id"])
    created = alice.post("/api/v1/tools", json=bound_quiz(source["id"])).json()
    alice.post(f"/api/v1/tools/{created['id']}/publish", json={})
    response = alice.delete(f"/api/v1/data-sources/{source['id']}")
    assert response.status_code == 409
    other = file_source(alice)
    assert alice.delete(f"/api/v1/data-sources/{other['id']}").status_code == 204
    assert alice.get(f"/api/v1/data-sources/{other['id']}").status_code == 404


def test_the_creator_is_told_on_the_tool_page_when_new_data_is_refused(alice: Any) -> None:
    source = file_source(alice)
    synced(alice, source["id"])
    created = alice.post("/api/v1/tools", json=bound_quiz(source["id"])).json()
    alice.post(f"/api/v1/tools/{created['id']}/publish", json={})
    alice.put(
        f"/api/v1/data-sources/{source['id']}/file?filename=catalogue.csv",
        content=CATALOGUE.replace("Price", "Cost").encode(),
    )
    wait_jobs(alice)
    notice = alice.get(f"/api/v1/tools/{created['id']}").json()["data_notice"]
    assert notice and "keeps its previous data" in notice
    page = alice.client.get(f"/dashboard/tools/{created['id']}")
    assert 'id="data-notice"' in page.text and "keeps its previous data" in page.text
    alice.put(
        f"/api/v1/data-sources/{source['id']}/file?filename=catalogue.csv",
        content=CATALOGUE.encode(),
    )
    wait_jobs(alice)
    assert alice.get(f"/api/v1/tools/{created['id']}").json()["data_notice"] is None


def test_losing_and_regaining_the_connection_is_logged(alice: Any) -> None:
    source = file_source(alice)
    synced(alice, source["id"])
    app = app_of(alice)
    detail = alice.get(f"/api/v1/data-sources/{source['id']}").json()
    blob_key = detail["config"]["blob_key"]
    kept = app.blobs.get(blob_key)
    app.blobs.delete(blob_key)  # the file vanishes from storage
    alice.post(f"/api/v1/data-sources/{source['id']}/sync")
    wait_jobs(alice)
    app.blobs.put(blob_key, kept)
    synced(alice, source["id"])
    log = alice.get(f"/api/v1/data-sources/{source['id']}/activity").json()["activity"]
    connection = [e["message"] for e in log if e["kind"] == "connection"]
    assert connection == ["Connection restored after 1 failure(s).", "Connection lost."]


async def _broken_fetch(*_: Any, **__: Any) -> Any:
    raise RuntimeError("driver exploded with internals")


def test_an_unexpected_connector_failure_becomes_one_sentence(alice: Any) -> None:
    from keyvex.data import SourceContext, SourceError
    from keyvex.data.service import read_source
    from keyvex.data.sources import connector

    kind = connector("rest")
    original = kind.fetch
    kind.fetch = _broken_fetch  # type: ignore[method-assign]  # the far edge misbehaving
    try:
        error = alice.client.portal.call(_read, read_source, kind, SourceContext())
    finally:
        kind.fetch = original  # type: ignore[method-assign]
    assert isinstance(error, SourceError) and error.kind == "format"
    assert str(error) == "The REST API source answered in a way Keyvex could not read."


async def _read(read_source: Any, kind: Any, ctx: Any) -> Any:
    try:
        await read_source(
            kind, kind.config_model.model_validate({"url": "https://x.test/"}), {}, ctx
        )
    except Exception as exc:
        return exc
    return None
