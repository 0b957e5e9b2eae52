"""Email fixtures: local SMTP servers (aiosmtpd) that keep what they receive, and settings
whose site-wide SMTP server is the ``inbox`` one (loopback allowed for creators' servers)."""

from __future__ import annotations

import email
import socket
from collections.abc import Callable, Iterator
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from keyvex.settings import Settings


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.port = 0
        self.refuse = False  # answer every message with a temporary failure

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.refuse:
            return "451 Try again later"
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def start_inbox() -> Iterator[Callable[[], Inbox]]:
    """Start as many local SMTP servers as a test needs; all stop at the end."""
    controllers: list[Controller] = []

    def start() -> Inbox:
        box = Inbox()
        controller = Controller(box, hostname="127.0.0.1", port=free_port())
        controller.start()
        controllers.append(controller)
        box.port = controller.port
        return box

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def inbox(start_inbox: Callable[[], Inbox]) -> Inbox:
    """The site's mail server."""
    return start_inbox()


@pytest.fixture
def settings(tmp_path: Path, inbox: Inbox) -> Settings:
    options: dict[str, Any] = {"outbound_allow_loopback": True}
    return Settings(
        env="test",
        data_dir=tmp_path / "data",
        smtp_host="127.0.0.1",
        smtp_port=inbox.port,
        smtp_security="none",
        mail_from="Keyvex <no-reply@keyvex.test>",
        **options,
    )
