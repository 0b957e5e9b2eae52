"""Sending email through the configured SMTP server (aiosmtplib); plain text plus HTML."""

from __future__ import annotations

from email.message import EmailMessage

import aiosmtplib

from keyvex.app import App
from keyvex.errors import Unavailable


def email_enabled(app: App) -> bool:
    return bool(app.settings.smtp_host)


async def send_mail(app: App, to: str, subject: str, text: str, html: str) -> None:
    """One transactional message; Unavailable when SMTP is not configured or refuses."""
    settings = app.settings
    if not settings.smtp_host:
        raise Unavailable("Email is not configured (KEYVEX_SMTP_HOST).")
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    try:
        await aiosmtplib.send(
            message,
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=password,
            use_tls=settings.smtp_security == "tls",
            start_tls=settings.smtp_security == "starttls",
            timeout=15,
        )
    except (aiosmtplib.SMTPException, OSError) as exc:
        raise Unavailable(f"The mail server refused the message: {exc}") from exc
