"""Outbound requests to IPv6-literal URLs reach a server on [::1] (loopback allowed for tests):
a webhook delivered end to end and a REST data source synced through the real app."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from standardwebhooks import Webhook

from keyvex.accounts import sign_up
from keyvex.net import send
from keyvex.settings import Settings
from keyvex.webhooks import create_endpoint, emit, list_deliveries
from tests.conftest import ApiUser

PRICES = [{"product": "Alpha", "price": 12.5}, {"product": "Beta", "price": 20}]


class _V6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6
    requests: list[dict[str, Any]]


class _Handler(BaseHTTPRequestHandler):
    server: _V6Server

    def _record(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        record = {"path": self.path, "headers": dict(self.headers), "body": body}
        self.server.requests.append(record)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._record()
        raw = json.dumps(PRICES).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_POST(self) -> None:  # noqa: N802
        self._record()
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def v6_server() -> Iterator[_V6Server]:
    if not socket.has_ipv6:
        pytest.skip("this Python has no IPv6 support, so nothing can listen on [::1]")
    try:
        server = _V6Server(("::1", 0), _Handler)
    except OSError as exc:
        pytest.skip(f"cannot listen on [::1] here (IPv6 loopback disabled?): {exc}")
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _base(server: _V6Server) -> str:
    return f"http://[::1]:{server.server_address[1]}"


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    # The test-only allowance, set the way an operator would: through the environment.
    monkeypatch.setenv("KEYVEX_OUTBOUND_ALLOW_LOOPBACK", "true")
    settings = Settings(env="test", data_dir=tmp_path / "data")
    assert settings.outbound_allow_loopback
    return settings


def test_send_reaches_an_ipv6_literal_and_names_it_in_the_host_header(
    v6_server: _V6Server,
) -> None:
    url = f"{_base(v6_server)}/prices?page=1"
    response = asyncio.run(send("GET", url, allow_loopback=True))
    assert response.status == 200 and json.loads(response.body) == PRICES
    [request] = v6_server.requests
    assert request["path"] == "/prices?page=1"
    assert request["headers"]["Host"] == f"[::1]:{v6_server.server_address[1]}"


def test_a_webhook_to_an_ipv6_literal_is_delivered(
    client: TestClient, v6_server: _V6Server
) -> None:
    app = client.app.state.keyvex  # type: ignore[attr-defined]
    url = f"{_base(v6_server)}/hook"

    async def go() -> tuple[list[dict[str, Any]], str]:
        user = await sign_up(app, "ada@example.com", "correct horse battery")
        endpoint, secret = await create_endpoint(app, user, url, ["lead.created"])
        await emit(app, user.id, "lead.created", {"lead_id": "L6"})
        await app.jobs.wait_idle()
        return await list_deliveries(app, user, endpoint.id), secret

    log, secret = asyncio.run(go())
    assert log[0]["state"] == "delivered"
    assert [a["status_code"] for a in log[0]["attempts"]] == [204]
    [request] = v6_server.requests
    assert request["path"] == "/hook"
    payload = Webhook(secret).verify(request["body"], request["headers"])
    assert payload["data"]["lead_id"] == "L6"


def test_a_rest_source_at_an_ipv6_literal_syncs(alice: ApiUser, v6_server: _V6Server) -> None:
    created = alice.post(
        "/api/v1/data-sources",
        json={"name": "Prices", "source_type": "rest",
              "config": {"url": f"{_base(v6_server)}/prices"}},
    )  # fmt: skip
    assert created.status_code == 201, created.text
    source_id = created.json()["id"]
    started = alice.post(f"/api/v1/data-sources/{source_id}/sync")
    assert started.status_code == 202, started.text
    app = alice.client.app.state.keyvex  # type: ignore[attr-defined]
    alice.client.portal.call(app.jobs.wait_idle, 30)  # type: ignore[union-attr]
    job = alice.get(f"/api/v1/data-sources/{source_id}/jobs/{started.json()['job_id']}").json()
    assert job["status"] == "done", job
    source = alice.get(f"/api/v1/data-sources/{source_id}").json()
    assert source["health"]["status"] == "connected", source
    assert source["snapshot"]["row_count"] == 2
    assert [r["path"] for r in v6_server.requests] == ["/prices"]
