"""A real ``keyvex serve`` killed with SIGKILL in the middle of its jobs finishes them after a
restart: a lead's notification email (its SMTP server hangs) and a co-creation build (its
model hangs). Both servers are local and stall until the process is gone; the restarted
process finds the jobs through their JOB# items once their lease is over."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from keyvex.app import build_app
from keyvex.settings import Settings
from tests.ai._wire import WireServer, wire_server

PASSWORD = "correct horse battery"
CREATOR = "creator@example.com"
REGISTRY = """
[defaults]
retries = 0
timeout = 60.0
[processes.conversation]
primary = "openai:gpt-4o-mini"
[processes.builder]
primary = "openai:gpt-4o-mini"
"""
CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


class StallingMailbox:
    """Keeps the messages it accepts; while ``gate`` is clear a message waits for it and is
    then refused, so a message from a killed process never counts as delivered."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.gate.set()
        self.stalled = 0
        self.messages: list[str] = []
        self.port = _free_port()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if not self.gate.is_set():
            self.stalled += 1
            while not self.gate.is_set():
                await asyncio.sleep(0.05)
            return "451 Try again later"
        self.messages.append(envelope.content.decode("utf-8", "replace"))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(what: str, check: Any, timeout: float = 45) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def base_env() -> dict[str, str]:
    """This process's environment without any KEYVEX_ setting, in test mode."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith("KEYVEX_")}
    return kept | {"KEYVEX_ENV": "test", "NO_PROXY": "127.0.0.1,localhost"}


class Server:
    """``python -m keyvex serve`` on a free port, started and killed like an operator would."""

    def __init__(self, data_dir: Path, env: dict[str, str]) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = data_dir
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "keyvex", "serve", "--port", str(self.port),
             "--data-dir", str(self.data_dir)],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        _wait("the server to answer", self._healthy, timeout=60)

    def _healthy(self) -> bool:
        try:
            return httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture
def mailbox() -> Iterator[StallingMailbox]:
    box = StallingMailbox()
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        box.gate.set()
        controller.stop()


@pytest.fixture
def model() -> Iterator[WireServer]:
    with wire_server() as server:
        yield server


def _prepare(data_dir: Path) -> str:
    """The creator and a published calculator that collects leads; returns its slug."""
    from keyvex.accounts import sign_up
    from keyvex.tools import get_template
    from keyvex.tools.publishing import publish
    from keyvex.tools.service import create_tool

    async def go() -> str:
        app = build_app(Settings(env="test", data_dir=data_dir))
        try:
            user = await sign_up(app, CREATOR, PASSWORD)
            stored = await create_tool(app, user, get_template("break-even-calculator"))
            return (await publish(app, user, stored.id, slug="break-even")).slug
        finally:
            app.close()

    return asyncio.run(go())


def _signed_in(url: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30)
    token = CSRF.search(client.get("/login").text)
    assert token is not None
    done = client.post("/login", data={"csrf_token": token.group(1), "email": CREATOR,
                                      "password": PASSWORD})  # fmt: skip
    assert done.status_code in (200, 303), done.text
    return client


def _csrf(client: httpx.Client) -> str:
    token = CSRF.search(client.get("/dashboard").text)
    assert token is not None
    return token.group(1)


def test_jobs_cut_off_by_sigkill_finish_after_a_restart(
    tmp_path: Path, mailbox: StallingMailbox, model: WireServer
) -> None:
    data_dir = tmp_path / "data"
    slug = _prepare(data_dir)
    registry = tmp_path / "registry.toml"
    registry.write_text(REGISTRY)
    env = base_env() | {
        "KEYVEX_SMTP_HOST": "127.0.0.1",
        "KEYVEX_SMTP_PORT": str(mailbox.port),
        "KEYVEX_SMTP_SECURITY": "none",
        "KEYVEX_JOB_LEASE_SECONDS": "3",
        "KEYVEX_OPENAI_API_KEY": "sk-local-test",
        "KEYVEX_OPENAI_BASE_URL": f"{model.url}/v1",
        "KEYVEX_AI_REGISTRY_FILE": str(registry),
    }
    server = Server(data_dir, env)
    mailbox.gate.clear()
    model.gate.clear()
    server.start()
    try:
        lead = httpx.post(f"{server.url}/t/{slug}/submit", timeout=30, json={
            "answers": {}, "contact": {"email": "visitor@example.com"}, "consent": True,
            "idempotency_key": "restart-test-lead-0001", "elapsed_ms": 9000,
        })  # fmt: skip
        assert lead.status_code == 201, lead.text
        creator = _signed_in(server.url)
        started = creator.post(
            "/create/sessions",
            json={"brief": "A break-even calculator for a bakery", "build_now": True},
            headers={"X-CSRF-Token": _csrf(creator)},
        )
        assert started.status_code == 201, started.text
        sid = started.json()["session_id"]
        creator.close()
        _wait("the email and the build to hang", lambda: mailbox.stalled and model.stalled)

        server.kill()  # SIGKILL: no shutdown, no hand-back; the jobs are left running
        mailbox.gate.set()
        model.gate.set()
        server.start()

        _wait("the lead email after the restart", lambda: mailbox.messages)
        creator = _signed_in(server.url)

        def built() -> bool:
            session = creator.get(f"/create/sessions/{sid}").json()
            return bool(session.get("tool_id")) and session.get("status") == "ready"

        _wait("the co-creation build after the restart", built)
        creator.close()
    finally:
        server.stop()
    assert any("visitor@example.com" in message for message in mailbox.messages)
    leads = _leads(data_dir)
    assert len(leads) == 1  # acknowledged once, stored once


def _leads(data_dir: Path) -> list[dict[str, Any]]:
    import sqlite3

    with sqlite3.connect(data_dir / "keyvex.db") as db:
        rows = db.execute("SELECT sk FROM items WHERE sk LIKE 'LEAD#%'").fetchall()
    return [{"sk": row[0]} for row in rows]
