"""A scheduled sync that keeps failing backs off, then pauses its source with a notice; a sync
that never finished (its process died) counts as a failure instead of starting again at once."""

from __future__ import annotations

import functools
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from keyvex.data import service, sync

from ._api import app_of, file_source, wait_jobs
from ._workbooks import write_xlsx_cells

FAR = 10**10  # every scheduled source is due then


def hostile_source(alice: Any, tmp_path: Path) -> dict[str, Any]:
    book = write_xlsx_cells(tmp_path / "far.xlsx", {"A1": "a", "XFD1048576": 1})
    upload = alice.post(
        "/api/v1/data-sources/uploads?filename=far.xlsx", content=book.read_bytes()
    ).json()
    response = alice.post(
        "/api/v1/data-sources",
        json={"name": "Far", "source_type": "file", "frequency": "realtime",
              "config": {"blob_key": upload["blob_key"], "filename": "far.xlsx"}},
    )  # fmt: skip
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def seconds_until(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp() - time.time()


def poll(alice: Any, now: float = FAR) -> int:
    started: int = alice.client.portal.call(sync.sync_due, app_of(alice), now)
    wait_jobs(alice)
    return started


def test_a_failing_sync_backs_off_and_pauses_after_five_with_a_notice(
    alice: Any, tmp_path: Path
) -> None:
    source = hostile_source(alice, tmp_path)
    url = f"/api/v1/data-sources/{source['id']}"
    waits = []
    for _ in range(4):
        assert poll(alice) == 1
        detail = alice.get(url).json()
        assert detail["health"]["last_error_kind"] == "too_large"
        assert not detail["paused"] and detail["pause_reason"] is None
        waits.append(seconds_until(detail["next_sync_at"]))
    assert [round(w / 30) for w in waits] == [1, 2, 4, 8]  # 30 s, doubled after each failure
    assert poll(alice) == 1
    detail = alice.get(url).json()
    assert detail["paused"] and detail["next_sync_at"] is None
    assert detail["health"]["consecutive_errors"] == 5
    reason = detail["pause_reason"]
    assert reason.startswith("Syncing was paused after 5 failed syncs in a row. The last error: ")
    assert "from A1 to XFD1048576" in reason and reason.endswith("Fix the source, then resume it.")
    log = alice.get(f"{url}/activity").json()["activity"]
    assert log[0] == {"kind": "error", "message": reason, "at": log[0]["at"]}
    assert poll(alice) == 0  # paused: no longer scheduled
    page = alice.browser.client.get(f"/dashboard/data/{source['id']}")
    assert page.status_code == 200 and "Syncing was paused after 5 failed syncs" in page.text
    resumed = alice.request("PATCH", url, json={"paused": False}).json()
    assert not resumed["paused"] and resumed["pause_reason"] is None
    assert resumed["health"]["consecutive_errors"] == 0
    assert 0 < seconds_until(resumed["next_sync_at"]) <= 30


def test_a_manual_source_that_fails_is_not_paused(alice: Any, tmp_path: Path) -> None:
    source = hostile_source(alice, tmp_path)
    url = f"/api/v1/data-sources/{source['id']}"
    alice.request("PATCH", url, json={"frequency": "manual"})
    for _ in range(6):
        alice.post(f"{url}/sync")
        wait_jobs(alice)
    detail = alice.get(url).json()
    assert detail["health"]["consecutive_errors"] == 6 and not detail["paused"]


def _item(alice: Any, source: dict[str, Any]) -> dict[str, Any]:
    """The stored item of a scheduled source (found through the due index)."""
    query = functools.partial(app_of(alice).store.query, service.SYNC_DUE, index="GSI1")
    page = alice.client.portal.call(query)
    item: dict[str, Any] = next(i for i in page.items if i["source_id"] == source["id"])
    return item


def _mark(alice: Any, item: dict[str, Any], started: float, due: float) -> None:
    update = functools.partial(
        app_of(alice).store.update, item["PK"], item["SK"],
        set={"sync_started": started, "GSI1SK": f"{due:017.3f}"},
    )  # fmt: skip
    alice.client.portal.call(update)


def test_a_sync_that_never_finished_is_a_failure_backed_off_not_run_again(alice: Any) -> None:
    """The process died during a sync (its mark is still there when the lease runs out): the
    poller records a failure and waits, instead of starting the sync that killed it."""
    source = file_source(alice)
    url = f"/api/v1/data-sources/{source['id']}"
    alice.request("PATCH", url, json={"frequency": "realtime"})
    item = _item(alice, source)
    now = time.time()
    _mark(alice, item, started=now - sync.LEASE_SECONDS - 1, due=now - 1)
    assert poll(alice, now) == 0
    detail = alice.get(url).json()
    assert detail["health"]["status"] == "error"
    assert detail["health"]["last_error"].startswith("The previous sync did not finish")
    assert 0 < seconds_until(detail["next_sync_at"]) <= 30
    assert "sync_started" not in _item(alice, source)
    assert detail["snapshot"] is None  # nothing ran


def test_a_sync_still_running_when_its_lease_runs_out_is_left_alone(alice: Any) -> None:
    source = file_source(alice)
    url = f"/api/v1/data-sources/{source['id']}"
    alice.request("PATCH", url, json={"frequency": "realtime"})
    item = _item(alice, source)
    now = time.time()
    _mark(alice, item, started=now - 5, due=now - 1)
    assert poll(alice, now) == 0
    detail = alice.get(url).json()
    assert detail["health"]["status"] == "never_synced"  # no failure, no second sync
    assert seconds_until(detail["next_sync_at"]) > 0  # leased again
    assert _item(alice, source)["sync_started"] == now - 5


def test_a_finished_sync_clears_its_mark(alice: Any) -> None:
    source = file_source(alice)
    alice.request("PATCH", f"/api/v1/data-sources/{source['id']}", json={"frequency": "hourly"})
    assert poll(alice) == 1
    item = _item(alice, source)
    assert "sync_started" not in item and item["health"]["status"] == "connected"
