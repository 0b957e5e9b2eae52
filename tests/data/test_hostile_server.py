"""No file a creator can upload takes the server down, or more than 256 MB or 30 s of it.

The probe's hostile files (``_workbooks.write_hostile_files``) are uploaded and synced, as
near-real-time sources, through a real server process on loopback (a separate process: before
the sandbox, the first of them aborted it, and would have taken the test run along); after
each, a page must still answer. At the end the server reports its own peak memory and the
largest peak of the reader processes it started.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import ApiUser, Browser

from ._workbooks import write_hostile_files

MB = 1024 * 1024
LIMIT_MB = 256
TIME_LIMIT = 30.0
SERVER = """
import json, sys
from pathlib import Path
import uvicorn
from keyvex.settings import Settings
from keyvex.web.app import create_app
def rss(status):
    return int(next(l for l in open("/proc/self/status") if l.startswith(status)).split()[1])
app = create_app(Settings(env="test", data_dir=Path(sys.argv[1])))
try:  # uvicorn re-raises the SIGINT that stopped it, once it has shut down
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
finally:
    Path(sys.argv[3]).write_text(json.dumps({
        "peak_kb": rss("VmHWM"),
    }))
"""


class Server:
    def __init__(self, data_dir: Path) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.report = data_dir.parent / "server-report.json"
        self.log = data_dir.parent / "server.log"
        with self.log.open("wb") as log:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                [sys.executable, "-c", SERVER, str(data_dir), str(port), str(self.report)],
                stdout=log, stderr=subprocess.STDOUT, env={**os.environ},
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            assert self.process.poll() is None, self.log.read_text()[-2000:]
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not start within 60 s"
            time.sleep(0.1)

    def memory_kb(self) -> int:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(next(x for x in status.splitlines() if x.startswith("VmHWM")).split()[1])

    def stop(self) -> dict[str, Any]:
        """The server's own peak memory and its readers' peaks (each reports its own)."""
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=60)
        log = self.log.read_text()
        assert self.report.exists(), log[-2000:]
        report: dict[str, Any] = json.loads(self.report.read_text())
        report["readers_mb"] = [int(m) for m in re.findall(r"file parsed .*peak_mb=(\d+)", log)]
        report["readers_stopped"] = log.count("file reader stopped")
        return report


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path / "data")
    try:
        yield running
    finally:
        if running.process.poll() is None:
            running.process.kill()
            running.process.wait(timeout=60)


def wait_job(user: ApiUser, source_id: str, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 2 * TIME_LIMIT
    while True:
        job: dict[str, Any] = user.get(f"/api/v1/data-sources/{source_id}/jobs/{job_id}").json()
        if job["status"] not in ("queued", "running"):
            return job
        assert time.monotonic() < deadline, job
        time.sleep(0.1)


def test_hostile_files_uploaded_and_synced_leave_the_server_answering(
    server: Server, tmp_path: Path
) -> None:
    hostile = tmp_path / "hostile"
    hostile.mkdir()
    files = write_hostile_files(hostile)
    with httpx.Client(base_url=server.url, timeout=httpx.Timeout(2 * TIME_LIMIT)) as client:
        check_each(server, client, files)
    report = server.stop()
    # a reader that finished measured itself; one that was stopped hit its 256 MB address
    # space limit (RLIMIT_AS) or its time limit, see test_sandbox
    readers = len(report["readers_mb"]) + report["readers_stopped"]
    assert readers >= 2 * len(files), report  # the upload (its sheets) and the sync, each
    assert max(report["readers_mb"]) < LIMIT_MB, report
    assert report["readers_stopped"] >= 4, report  # the .xls files, upload and sync


def check_each(server: Server, client: httpx.Client, files: dict[str, tuple[Path, str]]) -> None:
    alice = ApiUser(Browser(client), "alice@example.com")
    start_kb = server.memory_kb()
    for name, (path, phrase) in files.items():
        started = time.perf_counter()
        upload = client.post(  # the dashboard's upload, which lists the sheets
            f"/dashboard/data/uploads?filename={name}",
            content=path.read_bytes(),
            headers={"X-CSRF-Token": alice.browser.csrf("/dashboard/data")},
        )
        assert upload.status_code == 201, (name, upload.text)
        assert upload.json()["sheets"] == ["S"] or phrase in upload.json()["problem"], name
        created = alice.post(
            "/api/v1/data-sources",
            json={"name": name, "source_type": "file", "frequency": "realtime",
                  "config": {"blob_key": upload.json()["blob_key"], "filename": name}},
        )  # fmt: skip
        assert created.status_code == 201, (name, created.text)
        source_id = created.json()["id"]
        job_id = alice.post(f"/api/v1/data-sources/{source_id}/sync").json()["job_id"]
        assert wait_job(alice, source_id, job_id)["status"] == "done"
        elapsed = time.perf_counter() - started
        assert elapsed < TIME_LIMIT, (name, elapsed)
        health = alice.get(f"/api/v1/data-sources/{source_id}").json()["health"]
        assert health["status"] == "error" and phrase in health["last_error"], (name, health)
        assert server.process.poll() is None, f"{name} ended the server"
        page = client.get(f"/dashboard/data/{source_id}")
        assert page.status_code == 200 and phrase in page.text.replace("&#39;", "'"), name
        assert client.get("/dashboard/data").status_code == 200
    assert (server.memory_kb() - start_kb) * 1024 < LIMIT_MB * MB
