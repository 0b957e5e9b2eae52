"""With the job queue, a co-creation turn runs on a `keyvex worker` process and streams, as
it happens, to the browser connected to a web process (the worker's appends wake it)."""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import redis

from keyvex.app import build_app
from keyvex.cocreate import sse
from keyvex.settings import Settings
from keyvex.store import SK
from tests.cocreate.conftest import Creator, LiveServer

ROOT = Path(__file__).parents[2]
BRIEF = "An ROI calculator that shows dental practices what missed recalls cost them"
POLL = 30.0  # without a wake-up the web process would see the worker's events only this late


def _worker(settings: Settings, logs: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEYVEX_")}
    env |= {
        "KEYVEX_ENV": "test",
        "KEYVEX_JOBS": "queue",
        "KEYVEX_REDIS_URL": settings.redis_url,
        "KEYVEX_REDIS_PREFIX": settings.redis_prefix,
        "KEYVEX_JOB_QUEUE": settings.job_queue,
        "KEYVEX_CONFIG": str(logs / "absent.toml"),
    }
    with (logs / "worker.log").open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "keyvex", "worker", "--data-dir", str(settings.data_dir)],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _wait_for_consumers(settings: Settings, timeout: float = 20) -> None:
    """Until the worker reads the queue (its consumer group exists)."""
    deadline = time.monotonic() + timeout
    with redis.Redis.from_url(settings.redis_url) as client:
        while True:
            try:
                if client.xinfo_groups(settings.job_queue):
                    return
            except redis.ResponseError:  # the stream is not there yet
                pass
            assert time.monotonic() < deadline, "the worker did not start reading the queue"
            time.sleep(0.1)


def test_a_turn_run_by_a_worker_streams_to_the_web_process_at_once(
    shared: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sse, "POLL_SECONDS", POLL)
    settings = shared.model_copy(
        update={"jobs": "queue", "job_queue": f"{shared.redis_prefix}:jobs"}
    )
    worker = _worker(settings, tmp_path)
    try:
        _wait_for_consumers(settings)
        with LiveServer(settings) as web:
            creator = Creator(web, "carol@example.com")
            try:
                sid = creator.start(BRIEF)
                arrived: dict[int, float] = {}
                with creator.stream(sid, after=0) as stream:
                    for event in stream:
                        arrived[event["id"]] = time.time()
                        if event["event"] == "done":
                            break
            finally:
                creator.close()
    finally:
        stopping = time.monotonic()
        worker.terminate()
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(5)
        print(f"\nworker stopped in {time.monotonic() - stopping:.1f} s")  # noqa: T201
    lags = _lags(settings, sid, arrived)
    print(  # noqa: T201 - the figure the report quotes
        f"\nworker -> web stream over {len(lags)} events: median "
        f"{statistics.median(lags) * 1000:.1f} ms, max {max(lags) * 1000:.1f} ms"
    )
    assert max(lags) < 1.5  # a poll would have taken up to 30 s


async def _stored_times(app: Any, sid: str) -> dict[int, float]:
    return {
        int(item["seq"]): datetime.fromisoformat(item["created_at"]).timestamp()
        async for item in app.store.query_all(f"SESSION#{sid}", SK.begins_with("EVENT#"))
    }


def _lags(settings: Settings, sid: str, arrived: dict[int, float]) -> list[float]:
    """Seconds from each event's write (its item's created_at) to its arrival on the web."""
    app = build_app(settings.model_copy(update={"jobs": "inline"}))
    try:
        written = asyncio.run(_stored_times(app, sid))
    finally:
        app.close()
    return [arrived[seq] - written[seq] for seq in arrived]
