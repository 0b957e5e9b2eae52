"""Public endpoints take their rate limits from the settings, not from constants."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from keyvex.analytics import stat_key
from keyvex.analytics.service import utc_day
from keyvex.settings import Settings
from keyvex.tools import get_template

from .conftest import Publisher, public_app

ANSWERS: dict[str, Any] = {"answers": {}}


@pytest.fixture
def make_client(tmp_path: Path) -> Iterator[Any]:
    """A client on an app started with the given settings, and the tool it published."""
    clients: list[TestClient] = []

    def make(**settings: Any) -> tuple[TestClient, Any]:
        app = public_app(Settings(env="test", data_dir=tmp_path / "data", **settings))
        client = TestClient(app).__enter__()
        clients.append(client)
        tool = Publisher(client).publish(get_template("roi-calculator"), slug="roi")
        return client, tool

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def test_result_limit_ip_sets_the_live_result_limit(make_client: Any) -> None:
    client, _ = make_client(result_limit_ip="2/day")
    codes = [client.post("/t/roi/result", json=ANSWERS).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert int(client.post("/t/roi/result", json=ANSWERS).headers["retry-after"]) > 0


def test_event_limit_ip_is_not_capped_by_a_hidden_limit(make_client: Any) -> None:
    """The probe found beacons refused at 240/minute whatever KEYVEX_EVENT_LIMIT_IP said."""
    client, tool = make_client(event_limit_ip="250/minute")
    codes = {  # one address, 255 browsers: a start is counted once per visit
        client.post(
            "/t/roi/events", json={"event": "start"}, headers={"user-agent": f"Mozilla/5.0 {n}"}
        ).status_code
        for n in range(255)
    }
    assert codes == {204}  # past the limit beacons are ignored, as documented
    store = client.app.state.keyvex.store
    stats = client.portal.call(store.get, *stat_key(tool.tool_id, utc_day()))
    # 250 within one minute window; a run that crosses a window edge may count a few more
    # (the sliding-window counter weighs the previous window by how much still overlaps).
    assert stats is not None and 250 <= stats["starts"] <= 255
