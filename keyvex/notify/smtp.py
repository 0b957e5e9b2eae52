"""A creator's own SMTP server (``USER#{uid}`` / ``SMTP``), so emails to their visitors come
from their domain. The password is stored encrypted (Fernet) and never shown again; the host
passes the SSRF guard when saved and again on every send. Without one, the site's server
(``KEYVEX_SMTP_*``) sends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from typing import Any

from markupsafe import Markup

from keyvex.accounts.models import User
from keyvex.accounts.service import normalise_email
from keyvex.app import App
from keyvex.crypto import decrypt, encrypt
from keyvex.errors import Invalid, NotFound
from keyvex.net.outbound import OutboundRefused, checked_address
from keyvex.notify.mailer import Security, SmtpServer, send_mail

SECURITY: tuple[Security, ...] = ("starttls", "tls", "none")
_HOST = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")


def smtp_key(uid: str) -> tuple[str, str]:
    return (f"USER#{uid}", "SMTP")


@dataclass(frozen=True, slots=True)
class CreatorSmtp:
    """What the settings page shows: everything but the password (only whether it is set)."""

    host: str
    port: int
    security: Security
    username: str
    password_set: bool
    from_address: str
    updated_at: str

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> CreatorSmtp:
        return cls(
            item["host"],
            int(item["port"]),
            item["security"],
            item.get("username", ""),
            bool(item.get("password")),
            item["from_address"],
            item["updated_at"],
        )


async def get_smtp(app: App, uid: str) -> CreatorSmtp | None:
    item = await app.store.get(*smtp_key(uid))
    return None if item is None else CreatorSmtp.from_item(item)


async def creator_server(app: App, uid: str) -> SmtpServer | None:
    """The creator's server, ready to send through (password decrypted), or None."""
    item = await app.store.get(*smtp_key(uid))
    if item is None:
        return None
    password = decrypt(app, item["password"]) if item.get("password") else None
    return SmtpServer(
        item["host"],
        int(item["port"]),
        item["security"],
        item.get("username") or None,
        password,
        item["from_address"],
        guarded=True,
    )


def _field(name: str, message: str) -> Invalid:
    return Invalid(message, fields={name: message})


def _check_port(raw: str) -> int:
    if not raw.strip().isdigit() or not 1 <= int(raw) <= 65535:
        raise _field("port", "Use a port number from 1 to 65535 (usually 587 or 465).")
    return int(raw)


def _check_from(raw: str) -> str:
    name, address = parseaddr(raw.strip())
    if not address or "\n" in raw or "\r" in raw or len(name) > 100:
        raise _field("from_address", "Use an address like Ada Lovelace <ada@example.com>.")
    checked = normalise_email(address, field="from_address")
    return formataddr((name, checked)) if name else checked


async def _check_host(app: App, host: str, port: int) -> str:
    host = host.strip().lower().rstrip(".")
    if not _HOST.match(host) and ":" not in host:
        raise _field("host", "Use the server's host name, like smtp.example.com.")
    try:
        await checked_address(host, port, allow_loopback=app.settings.outbound_allow_loopback)
    except OutboundRefused as exc:
        raise _field("host", exc.message) from None
    return host


async def save_smtp(app: App, user: User, values: dict[str, str]) -> CreatorSmtp:
    """Check and store the creator's server; an empty password keeps the stored one."""
    port = _check_port(values.get("port", ""))
    security = values.get("security", "")
    if security not in SECURITY:
        raise _field("security", "Choose STARTTLS, TLS or none.")
    host = await _check_host(app, values.get("host", ""), port)
    username = values.get("username", "").strip()
    password = values.get("password", "")
    if len(username) > 200 or len(password) > 500:
        raise _field("username", "The user name or password is too long.")
    current = await app.store.get(*smtp_key(user.id))
    stored = encrypt(app, password) if password else (current or {}).get("password")
    if not username:
        stored = None  # no user name: the server takes no login, so keep no password
    if security == "none" and stored:
        raise _field("security", "A password would travel unencrypted: use STARTTLS or TLS.")
    item = {
        "PK": smtp_key(user.id)[0],
        "SK": "SMTP",
        "entity_type": "smtp_settings",
        "host": host,
        "port": port,
        "security": security,
        "username": username,
        "password": stored,
        "from_address": _check_from(values.get("from_address", "")),
    }
    return CreatorSmtp.from_item(await app.store.put(item))


async def delete_smtp(app: App, user: User) -> None:
    await app.store.delete(*smtp_key(user.id))


async def send_test(app: App, user: User) -> None:
    """A test message to the creator's own address through their server."""
    server = await creator_server(app, user.id)
    if server is None:
        raise NotFound("Save your SMTP settings first.")
    text = "This is a test message from Keyvex: your SMTP settings work."
    html = Markup("<p>{}</p>").format(text)
    await send_mail(app, user.email, "Keyvex: SMTP test", text, str(html), server=server)
