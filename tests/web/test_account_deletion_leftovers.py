"""Deleting an account also removes the slugs of tools deleted earlier, the notification,
digest and SMTP items, and a webhook delivery in flight cannot write its items back."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from keyvex.settings import Settings
from keyvex.store import SK
from tests.conftest import ApiUser, Browser

PASSWORD = "correct horse battery"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    options: dict[str, Any] = {"outbound_allow_loopback": True}
    return Settings(env="test", data_dir=tmp_path / "data", **options)


def _items(client: TestClient, pk: str, index: str | None = None) -> list[dict[str, Any]]:
    store = client.app.state.keyvex.store  # type: ignore[attr-defined]

    async def go() -> list[dict[str, Any]]:
        return [item async for item in store.query_all(pk, SK.ge(""), index=index)]

    return list(client.portal.call(go))  # type: ignore[union-attr]


def _publish(user: ApiUser, slug: str) -> str:
    tool = user.post("/api/v1/tools/from-template/roi-calculator").json()
    published = user.post(f"/api/v1/tools/{tool['id']}/publish", json={"slug": slug})
    assert published.status_code == 200, published.text
    return str(tool["id"])


def test_slugs_of_deleted_and_renamed_tools_go_with_the_account(
    browser: Browser, make_browser: Any, client: TestClient
) -> None:
    alice = ApiUser(browser, "alice@example.com")
    uid = alice.get("/api/v1/me").json()["id"]
    gone = _publish(alice, "old-offer")
    assert alice.delete(f"/api/v1/tools/{gone}").status_code == 204
    assert client.get("/t/old-offer").status_code == 410  # still reserved for Alice's tool
    renamed = _publish(alice, "first-name")
    alice.post(f"/api/v1/tools/{renamed}/publish", json={"slug": "second-name"})
    assert _items(client, "SLUG#first-name") == []  # a rename frees the old slug at once
    alice.put("/api/v1/account/notifications", json={"lead_email": "digest"})
    smtp = {"host": "127.0.0.1", "port": "2525", "security": "none", "username": "",
            "password": "", "from_address": "alice@consultant.example"}  # fmt: skip
    assert browser.submit("/account/smtp", "/account/smtp", **smtp).status_code == 303
    assert [i["uid"] for i in _items(client, "DIGEST_DUE", "GSI1")] == [uid]

    done = browser.submit("/account/delete", "/account/delete", password=PASSWORD)
    assert done.status_code == 303
    for pk in ("SLUG#old-offer", "SLUG#second-name", f"USER#{uid}", f"TOOL#{gone}"):
        assert _items(client, pk) == [], pk
    assert _items(client, "DIGEST_DUE", "GSI1") == []
    bob = ApiUser(make_browser(), "bob@example.com")
    _publish(bob, "old-offer")  # the address can be claimed again
    assert client.get("/t/old-offer").status_code == 200


class _SlowReceiver(BaseHTTPRequestHandler):
    """Holds each webhook request until the test lets it answer."""

    arrived = threading.Event()
    release = threading.Event()

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("content-length", 0)))
        type(self).arrived.set()
        type(self).release.wait(10)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def receiver() -> Iterator[str]:
    _SlowReceiver.arrived.clear()
    _SlowReceiver.release.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowReceiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    _SlowReceiver.release.set()
    server.shutdown()
    server.server_close()


def test_a_delivery_in_flight_during_deletion_writes_nothing_back(
    browser: Browser, client: TestClient, receiver: str
) -> None:
    alice = ApiUser(browser, "alice@example.com")
    uid = alice.get("/api/v1/me").json()["id"]
    hook = browser.submit(
        "/account/webhooks", "/account/webhooks", url=receiver, events=["tool.published"]
    )
    assert hook.status_code == 200
    [endpoint] = [i for i in _items(client, f"USER#{uid}") if i["SK"].startswith("WEBHOOK#")]
    _publish(alice, "in-flight")  # queues tool.published; the attempt starts at once
    assert _SlowReceiver.arrived.wait(10), "the delivery reached the receiver"

    done = browser.submit("/account/delete", "/account/delete", password=PASSWORD)
    assert done.status_code == 303
    _SlowReceiver.release.set()
    jobs = client.app.state.keyvex.jobs  # type: ignore[attr-defined]
    client.portal.call(jobs.wait_idle)  # type: ignore[union-attr]
    assert _items(client, f"WEBHOOK#{endpoint['webhook_id']}") == []
    assert _items(client, f"USER#{uid}") == []
