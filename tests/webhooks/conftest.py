"""A local webhook receiver on 127.0.0.1 that can be told to fail, and an app that may call it."""

from __future__ import annotations

import asyncio
import http.server
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from keyvex.settings import Settings


class Receiver:
    """Answers ``fail_first`` requests with 500, then 204; keeps every request it got."""

    def __init__(self, fail_first: int = 0) -> None:
        self.fail_first = fail_first
        self.requests: list[dict[str, Any]] = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length)
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                failing = len(receiver.requests) <= receiver.fail_first
                self.send_response(500 if failing else 204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/keyvex"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver(fail_first=3)
    yield r
    r.close()


@pytest.fixture
def settings(tmp_path: Any) -> Settings:
    # The only place loopback is allowed: a test-only allowance for the local receiver.
    return Settings(env="test", data_dir=tmp_path / "data", outbound_allow_loopback=True)


def run_in_app(client: Any, work: Any) -> Any:
    """Run ``work(app)`` on the test client's app, then let the jobs it queued finish."""
    app = client.app.state.keyvex

    async def go() -> Any:
        result = await work(app)
        await app.jobs.wait_idle()
        return result

    return asyncio.run(go())
