"""`keyvex serve --workers N`: several web processes on one port behave as one app."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from keyvex.accounts import sign_up
from keyvex.app import build_app
from keyvex.settings import load_settings
from keyvex.store import SK
from keyvex.tools import get_template
from keyvex.tools.publishing import publish
from keyvex.tools.service import create_tool

LIMITS = {  # every request comes from one loopback address
    "KEYVEX_LEAD_LIMIT_IP": "100000/minute",
    "KEYVEX_LEAD_LIMIT_TOOL": "100000/minute",
    "KEYVEX_EVENT_LIMIT_IP": "100000/minute",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _published_tool(data_dir: Path) -> tuple[str, str]:
    app = build_app(load_settings(env="development", data_dir=data_dir))
    try:
        user = await sign_up(app, "workers@example.com", "correct horse battery")
        stored = await create_tool(app, user, get_template("roi-calculator"))
        published = await publish(app, user, stored.id)
        return published.slug, published.tool_id
    finally:
        app.close()


async def _stored_lead_ids(data_dir: Path, tool_id: str) -> list[str]:
    app = build_app(load_settings(env="development", data_dir=data_dir))
    try:
        query = app.store.query_all(f"TOOL#{tool_id}", SK.begins_with("LEAD#"))
        return [item["lead_id"] async for item in query]
    finally:
        app.close()


async def _submit_all(base: str, slug: str, count: int) -> tuple[list[str], set[str]]:
    """``count`` submissions, 16 at a time, each on a new connection (a process accepts every
    connection waiting when it wakes, so kept-alive connections opened together would all
    land on one); returns the lead ids acknowledged and the request-id prefixes seen (each
    process numbers its requests under its own prefix)."""
    acked: list[str] = []
    prefixes: set[str] = set()
    numbers = iter(range(count))

    async def connection() -> None:
        fresh = httpx.Limits(max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=base, timeout=30, limits=fresh) as client:
            for n in numbers:
                body = {
                    "answers": {"investment": 10_000 + n, "monthly_revenue_gain": 2_000},
                    "contact": {"name": "Visitor", "email": f"visitor{n}@example.com"},
                    "consent": True,
                    "idempotency_key": f"serve-workers-{n:08d}",
                    "elapsed_ms": 20_000,
                }
                response = await client.post(f"/t/{slug}/submit", json=body)
                assert response.status_code == 201, response.text
                acked.append(response.json()["lead_id"])
                prefixes.add(response.headers["x-request-id"][:8])

    await asyncio.gather(*(connection() for _ in range(16)))
    return acked, prefixes


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def test_two_web_processes_share_the_port_the_store_and_every_lead(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    slug, tool_id = asyncio.run(_published_tool(data_dir))
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEYVEX_")}
    env |= {**LIMITS, "KEYVEX_CONFIG": str(tmp_path / "absent.toml"), "KEYVEX_ENV": "development"}
    command = [sys.executable, "-m", "keyvex", "serve", "--workers", "2", "--port", str(port)]
    proc = subprocess.Popen(
        [*command, "--data-dir", str(data_dir)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=0.5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        assert len(_children(proc.pid)) >= 2, "expected two web processes"
        assert httpx.get(f"{base}/t/{slug}").status_code == 200
        acked, prefixes = asyncio.run(_submit_all(base, slug, 300))
        assert len(prefixes) == 2, f"requests were answered by {len(prefixes)} process(es)"
        stored = asyncio.run(_stored_lead_ids(data_dir, tool_id))
        assert sorted(stored) == sorted(acked) and len(set(stored)) == 300
    finally:
        children = _children(proc.pid)
        proc.send_signal(signal.SIGTERM)
        output = proc.communicate(timeout=30)[0]
    assert proc.returncode == 0, output
    deadline = time.monotonic() + 10  # multiprocessing's resource tracker leaves last
    while time.monotonic() < deadline and _alive(children):
        time.sleep(0.1)
    assert not _alive(children), f"outlived the server: {_alive(children)}"


def _alive(pids: list[int]) -> list[str]:
    alive = []
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "State:\tZ" not in status:  # a zombie has ended; only its parent's wait is missing
            alive.append(command)
    return alive
