"""Sending email through an SMTP server (aiosmtplib); plain text plus HTML.

Two kinds of server: the site's (``KEYVEX_SMTP_*``, set by the operator, used as configured)
and a creator's own (``/account/smtp``, a host a user typed in): that one passes the SSRF
guard on every send and the connection goes to the very address that was checked, with the
host name kept for STARTTLS/TLS certificate checks.
"""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Literal

import aiosmtplib

from keyvex.app import App
from keyvex.errors import Unavailable
from keyvex.net.outbound import checked_address

Security = Literal["starttls", "tls", "none"]
TIMEOUT_SECONDS = 15


@dataclass(frozen=True, slots=True)
class SmtpServer:
    """Where and how to send; ``guarded`` servers are user-supplied and checked each time."""

    host: str
    port: int
    security: Security
    username: str | None
    password: str | None
    mail_from: str
    guarded: bool = False


def email_enabled(app: App) -> bool:
    """Whether the site itself can send email (creators' own servers aside)."""
    return bool(app.settings.smtp_host)


def site_server(app: App) -> SmtpServer | None:
    settings = app.settings
    if not settings.smtp_host:
        return None
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    return SmtpServer(
        settings.smtp_host,
        settings.smtp_port,
        settings.smtp_security,
        settings.smtp_username,
        password,
        settings.mail_from,
    )


async def _connected_socket(address: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setblocking(False)
    try:
        async with asyncio.timeout(TIMEOUT_SECONDS):
            await asyncio.get_running_loop().sock_connect(sock, (address, port))
    except BaseException:
        sock.close()
        raise
    return sock


def _message(server: SmtpServer, to: str, subject: str, text: str, html: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = server.mail_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


async def send_mail(
    app: App, to: str, subject: str, text: str, html: str, *, server: SmtpServer | None = None
) -> None:
    """One transactional message through ``server`` (the site's when None); Unavailable when
    no server is configured or the server refuses."""
    chosen = server or site_server(app)
    if chosen is None:
        raise Unavailable("Email is not configured (KEYVEX_SMTP_HOST).")
    message = _message(chosen, to, subject, text, html)
    try:
        if chosen.guarded:
            allow = app.settings.outbound_allow_loopback
            address = await checked_address(chosen.host, chosen.port, allow_loopback=allow)
            sock = await _connected_socket(address, chosen.port)
            try:
                await _send(message, chosen, sock=sock)
            finally:
                sock.close()  # normally closed already by the SMTP client's transport
        else:
            await _send(message, chosen)
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
        raise Unavailable(f"The mail server refused the message: {exc}") from exc


async def _send(
    message: EmailMessage, server: SmtpServer, sock: socket.socket | None = None
) -> None:
    await aiosmtplib.send(
        message,
        hostname=server.host,  # with a socket: the name STARTTLS/TLS certificates must match
        port=None if sock is not None else server.port,
        sock=sock,
        username=server.username,
        password=server.password,
        use_tls=server.security == "tls",
        start_tls=server.security == "starttls",
        timeout=TIMEOUT_SECONDS,
    )
