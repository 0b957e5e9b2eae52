"""Telling people about an alert: an email to each administrator, a signed webhook."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from markupsafe import Markup
from standardwebhooks import Webhook

from keyvex.alerts.models import Alert
from keyvex.app import App
from keyvex.errors import Unavailable
from keyvex.logs import get_logger
from keyvex.net import send
from keyvex.notify import email_enabled, send_mail

log = get_logger(__name__)


async def email_admins(app: App, alert: Alert, admins: list[str]) -> None:
    """One message to each administrator; a refusal raises, so the job is retried."""
    if not email_enabled(app):
        log.warning("alert not emailed: KEYVEX_SMTP_HOST is not set", kind=alert.kind)
        return
    where = f"{app.settings.base_url}/admin/alerts" if app.settings.base_url else "/admin/alerts"
    subject = f"Keyvex alert: {alert.title}"
    text = f"{alert.message}\n\nOpened at {alert.opened_at[:19]} UTC. Acknowledge it at {where}."
    html = Markup(
        "<p><strong>{}</strong></p><p>Opened at {} UTC. Acknowledge it at <a href='{}'>{}</a>.</p>"
    ).format(alert.message, alert.opened_at[:19], where, where)
    for address in admins:
        await send_mail(app, address, subject, text, str(html))


async def post_webhook(app: App, alert: Alert, event: str) -> None:
    """POST the alert to ``KEYVEX_ALERT_WEBHOOK_URL``, signed like every Keyvex webhook
    (Standard Webhooks: ``webhook-id``, ``webhook-timestamp``, ``webhook-signature``)."""
    settings = app.settings
    if not settings.alert_webhook_url:
        return
    if settings.alert_webhook_secret is None:
        raise Unavailable("KEYVEX_ALERT_WEBHOOK_SECRET is not set; the alert webhook is unsigned.")
    message_id = f"{alert.id}-{event}"
    stamp = datetime.now(UTC)
    body = json.dumps({"type": event, "data": alert.as_json()}, separators=(",", ":"))
    signer = Webhook(settings.alert_webhook_secret.get_secret_value())
    headers = {
        "content-type": "application/json",
        "user-agent": "Keyvex-Webhooks/1",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(stamp.timestamp())),
        "webhook-signature": signer.sign(message_id, stamp, body),
    }
    response = await send(
        "POST",
        settings.alert_webhook_url,
        content=body.encode(),
        headers=headers,
        allow_loopback=settings.outbound_allow_loopback,
    )
    if not 200 <= response.status < 300:
        raise Unavailable(f"The alert webhook answered {response.status}.")
