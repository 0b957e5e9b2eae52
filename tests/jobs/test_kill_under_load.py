"""1,000 concurrent lead submissions with the server killed (SIGKILL) midway and restarted:
every acknowledged lead is stored once, and each one's webhook is delivered at least once.

Visitors whose request failed while the server was down send it again with the same
idempotency key, as the public page does; the webhook receiver is a local server."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from keyvex.app import build_app
from keyvex.settings import Settings

from .test_restart import CREATOR, PASSWORD, Server, _wait, base_env

LEADS = 1000
CONCURRENCY = 32


class Receiver(ThreadingHTTPServer):
    """Records the lead id of every webhook delivery it receives."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Hook)
        self.lead_ids: list[str] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class _Hook(BaseHTTPRequestHandler):
    server: Receiver

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with self.server.lock:
            self.server.lead_ids.append(body["data"]["id"])
        self.send_response(204)
        self.end_headers()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _prepare(data_dir: Path, hook_url: str) -> str:
    from keyvex.accounts import sign_up
    from keyvex.tools import get_template
    from keyvex.tools.publishing import publish
    from keyvex.tools.service import create_tool
    from keyvex.webhooks import create_endpoint

    async def go() -> str:
        app = build_app(Settings(env="test", data_dir=data_dir, outbound_allow_loopback=True))
        try:
            user = await sign_up(app, CREATOR, PASSWORD)
            await create_endpoint(app, user, hook_url, ["lead.created"])
            stored = await create_tool(app, user, get_template("roi-calculator"))
            return (await publish(app, user, stored.id, slug="roi")).slug
        finally:
            app.close()

    return asyncio.run(go())


async def _submit_all(url: str, keys: list[str], acknowledged: dict[str, str], kill: Any) -> None:
    """Each visitor sends until acknowledged (the server may be down for a while)."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    for key in keys:
        queue.put_nowait(key)

    async def visitor(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            key = queue.get_nowait()
            body = {"answers": {}, "contact": {"email": f"{key}@example.com"}, "consent": True,
                    "idempotency_key": key, "elapsed_ms": 9000}  # fmt: skip
            while True:
                try:
                    sent = await client.post(f"{url}/t/roi/submit", json=body)
                except httpx.HTTPError:
                    await asyncio.sleep(0.2)
                    continue
                if sent.status_code == 201:
                    acknowledged[key] = sent.json()["lead_id"]
                    break
                if sent.status_code >= 500 or sent.status_code == 429:
                    await asyncio.sleep(0.2)
                    continue
                raise AssertionError(f"{sent.status_code}: {sent.text}")
            await kill(len(acknowledged))

    async with httpx.AsyncClient(timeout=30) as client:
        await asyncio.gather(*(visitor(client) for _ in range(CONCURRENCY)))


def test_acknowledged_leads_survive_a_kill_and_their_webhooks_arrive(
    tmp_path: Path, receiver: Receiver
) -> None:
    data_dir = tmp_path / "data"
    slug = _prepare(data_dir, receiver.url)
    assert slug == "roi"
    env = base_env() | {
        "KEYVEX_OUTBOUND_ALLOW_LOOPBACK": "true",
        "KEYVEX_LEAD_LIMIT_IP": "1000000/minute",
        "KEYVEX_LEAD_LIMIT_TOOL": "1000000/minute",
        "KEYVEX_JOB_LEASE_SECONDS": "3",
    }
    server = Server(data_dir, env)
    server.start()
    acknowledged: dict[str, str] = {}
    killed = threading.Event()

    async def kill(count: int) -> None:
        if count >= LEADS // 3 and not killed.is_set():
            killed.set()
            await asyncio.to_thread(server.kill)
            await asyncio.to_thread(server.start)

    keys = [f"kill-test-{n:05d}-visitor" for n in range(LEADS)]
    try:
        asyncio.run(_submit_all(server.url, keys, acknowledged, kill))
        assert killed.is_set() and len(acknowledged) == LEADS
        expected = set(acknowledged.values())
        _wait("every webhook", lambda: expected <= set(receiver.lead_ids), timeout=120)
    finally:
        server.stop()
    with sqlite3.connect(data_dir / "keyvex.db") as db:
        stored = [row[0] for row in db.execute(
            "SELECT json_extract(data, '$.lead_id') FROM items WHERE sk LIKE 'LEAD#%'"
        )]  # fmt: skip
    assert len(stored) == len(set(stored)) == LEADS  # stored once each
    assert set(stored) == set(acknowledged.values())
