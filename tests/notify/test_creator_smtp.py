"""A creator's own SMTP server: visitors' emails come from it, the password stays encrypted,
the host passes the SSRF guard (when saved and when sending), and a test email checks it."""

from __future__ import annotations

import re
from collections.abc import Callable
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from keyvex.crypto import decrypt
from keyvex.errors import Invalid
from keyvex.notify.smtp import send_test, smtp_key
from keyvex.settings import Settings
from keyvex.tools import get_template
from keyvex.web.app import create_app
from tests.conftest import Browser

SMTP = "/account/smtp"


def _text(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return str(part.get_payload(decode=True).decode())
    raise AssertionError("no text part")


def _save(browser: Any, **fields: Any) -> Any:
    values = {"security": "none", "username": "", "password": "", **fields}
    values.setdefault("from_address", "Ada Consulting <ada@consultant.example>")
    return browser.submit(SMTP, SMTP, **values)


def _store(client: TestClient) -> Any:
    return client.app.state.keyvex  # type: ignore[attr-defined]


def _publish_with_result_email(alice: Any) -> str:
    definition = get_template("roi-calculator").model_dump(mode="json")
    definition["lead_capture"]["email_result"] = True
    tool = alice.post("/api/v1/tools", json=definition).json()
    return str(alice.post(f"/api/v1/tools/{tool['id']}/publish").json()["slug"])


def _lead(client: TestClient, slug: str, key: str, visitor: str = "vera@example.com") -> None:
    response = client.post(
        f"/t/{slug}/submit",
        json={
            "answers": {"investment": 40000},
            "contact": {"email": visitor, "name": "Vera"},
            "consent": True,
            "idempotency_key": f"creator-smtp-key-{key}",
            "elapsed_ms": 9000,
        },
    )
    assert response.status_code in (200, 201), response.text
    client.portal.call(_store(client).jobs.wait_idle)  # type: ignore[union-attr]


def test_visitor_emails_go_through_the_creators_server(
    alice: Any, bob: Any, client: TestClient, inbox: Any, start_inbox: Callable[[], Any]
) -> None:
    own = start_inbox()
    saved = _save(alice.browser, host="localhost", port=str(own.port))
    assert saved.status_code == 303
    page = alice.client.get(f"{SMTP}?done=saved").text
    assert "<code>localhost:" in page and "Ada Consulting &lt;ada@consultant.example&gt;" in page
    slug = _publish_with_result_email(alice)
    _lead(client, slug, "0001")
    results = own.to("vera@example.com")
    assert len(results) == 1 and results[0]["From"] == "Ada Consulting <ada@consultant.example>"
    assert inbox.to("vera@example.com") == []  # not through the site's server
    assert len(inbox.to("alice@example.com")) == 1  # the creator's notice comes from the site
    assert "localhost" not in bob.client.get(SMTP).text  # Bob's page shows nothing of Alice's
    bobs = _publish_with_result_email(bob)
    _lead(client, bobs, "0002", visitor="wes@example.com")
    assert len(inbox.to("wes@example.com")) == 1 and own.to("wes@example.com") == []


def test_the_password_is_encrypted_never_shown_and_kept_when_left_empty(
    browser: Browser, client: TestClient
) -> None:
    browser.sign_up("ada@example.com")
    assert _save(browser, host="127.0.0.1", port="2525", security="starttls", username="ada",
                 password="s3cret-smtp-pass").status_code == 303  # fmt: skip
    uid = _uid_of(client, "ada@example.com")
    item = client.portal.call(_store(client).store.get, *smtp_key(uid))  # type: ignore[union-attr]
    assert "s3cret-smtp-pass" not in str(item)
    assert decrypt(_store(client), item["password"]) == "s3cret-smtp-pass"
    page = browser.client.get(SMTP).text
    assert "s3cret-smtp-pass" not in page and "password set" in page
    _save(browser, host="127.0.0.1", port="2526", security="tls", username="ada")
    again = client.portal.call(_store(client).store.get, *smtp_key(uid))  # type: ignore[union-attr]
    assert (
        decrypt(_store(client), again["password"]) == "s3cret-smtp-pass" and again["port"] == 2526
    )
    refused = _save(browser, host="127.0.0.1", port="2526", security="none", username="ada")
    assert refused.status_code == 422 and "travel unencrypted" in refused.text


def _uid_of(client: TestClient, email: str) -> str:
    from keyvex.accounts import find_user

    found = client.portal.call(find_user, _store(client), email)  # type: ignore[union-attr]
    assert found is not None
    return str(found[0].id)


def test_a_test_email_reaches_the_creator_through_their_server(
    browser: Browser, start_inbox: Callable[[], Any], inbox: Any
) -> None:
    browser.sign_up("ada@example.com")
    own = start_inbox()
    _save(browser, host="127.0.0.1", port=str(own.port))
    page = browser.submit(SMTP, "/account/smtp/test")
    assert page.status_code == 200 and "A test email was sent to ada@example.com" in page.text
    assert len(own.to("ada@example.com")) == 1 and inbox.to("ada@example.com") == []
    assert "your SMTP settings work" in _text(own.to("ada@example.com")[0])
    closed = free_port_nobody_listens()
    _save(browser, host="127.0.0.1", port=str(closed))
    failed = browser.submit(SMTP, "/account/smtp/test")
    assert failed.status_code == 503 and 'id="test-error"' in failed.text
    removed = browser.submit(SMTP, "/account/smtp/delete")
    assert removed.status_code == 303
    assert "Save SMTP settings" in browser.client.get(SMTP).text
    assert "In use:" not in browser.client.get(SMTP).text


def free_port_nobody_listens() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def guarded_client(tmp_path: Path) -> Any:
    """An app without the test-only loopback allowance: the guard as in production."""
    with TestClient(create_app(Settings(env="test", data_dir=tmp_path / "guarded"))) as client:
        yield client


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        ("10.0.0.1", "a private network address"),
        ("169.254.169.254", "a cloud metadata address"),
        ("127.0.0.1", "a loopback address"),
        ("localhost", "a loopback address"),
        ("::1", "a loopback address"),
    ],
)
def test_private_hosts_are_refused_with_the_reason(
    guarded_client: TestClient, host: str, reason: str
) -> None:
    browser = Browser(guarded_client)
    browser.sign_up("ada@example.com")
    refused = _save(browser, host=host, port="587")
    assert refused.status_code == 422
    assert re.search(rf'id="e-host">[^<]*{re.escape(reason)}; refused\.', refused.text)
    assert "In use:" not in guarded_client.get(SMTP).text


def test_the_guard_applies_again_when_sending(guarded_client: TestClient) -> None:
    """A stored host that now points somewhere private is refused before any connection."""
    browser = Browser(guarded_client)
    browser.sign_up("ada@example.com")
    app = _store(guarded_client)
    uid = _uid_of(guarded_client, "ada@example.com")
    item = {"PK": f"USER#{uid}", "SK": "SMTP", "host": "10.1.2.3", "port": 25,
            "security": "none", "username": "", "password": None,
            "from_address": "ada@consultant.example"}  # fmt: skip
    guarded_client.portal.call(app.store.put, item)  # type: ignore[union-attr]
    from keyvex.accounts import get_user

    user = guarded_client.portal.call(get_user, app, uid)  # type: ignore[union-attr]
    with pytest.raises(Invalid, match="10.1.2.3, a private network address"):
        guarded_client.portal.call(send_test, app, user)  # type: ignore[union-attr]


def test_bad_fields_are_named(browser: Browser) -> None:
    browser.sign_up("ada@example.com")
    assert 'id="e-port"' in _save(browser, host="127.0.0.1", port="70000").text
    assert (
        'id="e-from_address"'
        in _save(browser, host="127.0.0.1", port="25", from_address="not an address").text
    )
    assert 'id="e-host"' in _save(browser, host="bad host!", port="25").text
    assert browser.client.post(SMTP, data={"host": "127.0.0.1"}).status_code == 403  # no CSRF
