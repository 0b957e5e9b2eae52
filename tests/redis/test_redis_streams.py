"""A co-creation build started through one process streams through another at once."""

from __future__ import annotations

import statistics
import threading
import time
from typing import Any

import httpx
import pytest

from keyvex.cocreate import sse
from keyvex.settings import Settings
from tests.cocreate.conftest import Creator, LiveServer, parse_sse

BRIEF = "An ROI calculator that shows dental practices what missed recalls cost them"
#: Without a wake-up a stream on B would only see A's events on this poll (2 s in the app).
POLL = 30.0


class Reader(threading.Thread):
    """Reads one session stream until ``done``, noting when each event arrived."""

    def __init__(self, http: httpx.Client, sid: str, after: int) -> None:
        super().__init__(daemon=True)
        self.http, self.sid, self.after = http, sid, after
        self.arrived: dict[int, float] = {}
        self.events: list[dict[str, Any]] = []
        self.open = threading.Event()

    def run(self) -> None:
        url = f"/create/sessions/{self.sid}/events"
        headers = {"Last-Event-ID": str(self.after)}
        with self.http.stream("GET", url, headers=headers) as response:
            assert response.status_code == 200
            self.open.set()
            for event in parse_sse(response.iter_lines()):
                self.arrived[event["id"]] = time.monotonic()
                self.events.append(event)
                if event["event"] == "done":
                    return


def test_a_build_started_through_a_streams_through_b_at_once(
    shared: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sse, "POLL_SECONDS", POLL)
    with LiveServer(shared) as a, LiveServer(shared) as b:
        creator = Creator(a, "carol@example.com")
        watcher = httpx.Client(base_url=b.url, cookies=creator.http.cookies, timeout=POLL + 10)
        try:
            sid = creator.start(BRIEF)
            last = creator.events(sid, after=0)[-1]["id"]
            on_a = Reader(creator.http, sid, last)
            on_b = Reader(watcher, sid, last)
            for reader in (on_a, on_b):
                reader.start()
                assert reader.open.wait(5)
            time.sleep(0.2)  # both streams are past their replay and waiting
            assert creator.post(f"/create/sessions/{sid}/build").status_code == 202
            for reader in (on_a, on_b):
                reader.join(timeout=20)
                assert not reader.is_alive(), "the build did not finish in 20 s"
            assert on_b.events == on_a.events  # same events, same order, no gap
            assert "tool" in {e["event"] for e in on_b.events}
            lags = [on_b.arrived[i] - on_a.arrived[i] for i in on_a.arrived]
            print(  # noqa: T201 - the figure the report quotes
                f"\nB behind A over {len(lags)} events: median {statistics.median(lags) * 1000:.1f}"
                f" ms, max {max(lags) * 1000:.1f} ms"
            )
            assert max(lags) < 1.0  # a poll would have taken up to 30 s

            # B resumes after any id it saw, exactly as the one process did.
            events = on_b.events
            middle = events[len(events) // 2]["id"]
            resumed = Reader(watcher, sid, middle)
            resumed.run()
            assert resumed.events == [e for e in events if e["id"] > middle]
        finally:
            watcher.close()
            creator.close()
