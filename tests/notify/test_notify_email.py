"""Lead emails through a local SMTP server (aiosmtpd): the creator's notice, the result."""

from __future__ import annotations

import asyncio
import email
import socket
from collections.abc import Iterator
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from keyvex.leads import LeadSubmission, RequestMeta, submit_lead
from keyvex.settings import Settings
from keyvex.tools import get_template
from keyvex.tools.publishing import published_by_slug


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=_free_port())
    controller.start()
    box.port = controller.port  # type: ignore[attr-defined]
    yield box
    controller.stop()


@pytest.fixture
def settings(tmp_path: Any, inbox: Inbox) -> Settings:
    return Settings(
        env="test",
        data_dir=tmp_path / "data",
        smtp_host="127.0.0.1",
        smtp_port=inbox.port,  # type: ignore[attr-defined]
        smtp_security="none",
        mail_from="Keyvex <no-reply@keyvex.test>",
    )


def _publish(alice: Any, email_result: bool) -> str:
    definition = get_template("roi-calculator").model_dump(mode="json")
    definition["lead_capture"]["email_result"] = email_result
    tool = alice.post("/api/v1/tools", json=definition).json()
    return str(alice.post(f"/api/v1/tools/{tool['id']}/publish").json()["slug"])


def _submit(client: Any, slug: str, name: str = "Vera") -> None:
    app = client.app.state.keyvex

    async def go() -> None:
        live = await published_by_slug(app, slug)
        submission = LeadSubmission(
            answers={"investment": 40000},
            contact={"email": "vera@example.com", "name": name},
            consent=True,
            idempotency_key="email-test-key-000001",
            elapsed_ms=9000,
        )
        await submit_lead(
            app, live, submission, RequestMeta(ip="203.0.113.5", user_agent="Mozilla")
        )
        await app.jobs.wait_idle()

    asyncio.run(go())


def _html(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/html":
            return str(part.get_payload(decode=True).decode())
    raise AssertionError("no HTML part")


def test_the_creator_is_told_about_each_new_lead(alice: Any, client: Any, inbox: Inbox) -> None:
    slug = _publish(alice, email_result=False)
    _submit(client, slug, name="<img src=x onerror=alert(1)>")
    notices = inbox.to("alice@example.com")
    assert len(notices) == 1
    assert notices[0]["Subject"] == "New lead: What return will this project bring?"
    html = _html(notices[0])
    assert "vera@example.com" in html
    assert "<img" not in html and "&lt;img" in html
    assert inbox.to("vera@example.com") == []


def test_the_visitor_gets_their_result_when_the_tool_offers_it(
    alice: Any, client: Any, inbox: Inbox
) -> None:
    slug = _publish(alice, email_result=True)
    _submit(client, slug)
    results = inbox.to("vera@example.com")
    assert len(results) == 1
    assert results[0]["Subject"].startswith("Your results:")
    assert "Net gain" in _html(results[0])


def test_a_creator_can_turn_lead_emails_off(alice: Any, client: Any, inbox: Inbox) -> None:
    assert alice.put("/api/v1/account/notifications", json={"lead_email": "off"}).json() == {
        "lead_email": "off"
    }
    slug = _publish(alice, email_result=False)
    _submit(client, slug)
    assert inbox.to("alice@example.com") == []
    assert (
        alice.put("/api/v1/account/notifications", json={"lead_email": "often"}).status_code == 422
    )


def test_without_smtp_settings_nothing_is_sent(tmp_path: Any) -> None:
    import asyncio as aio

    from keyvex.app import build_app
    from keyvex.errors import Unavailable
    from keyvex.notify import send_mail

    app = build_app(Settings(env="test", data_dir=tmp_path / "plain"))
    with pytest.raises(Unavailable, match="KEYVEX_SMTP_HOST"):
        aio.run(send_mail(app, "x@example.com", "s", "t", "<p>t</p>"))
    app.close()
