"""Webhooks: signed (Standard Webhooks) at-least-once deliveries of lead and tool events."""

from keyvex.webhooks.models import EVENTS, MAX_ATTEMPTS, RETRY_SCHEDULE, Endpoint
from keyvex.webhooks.service import (
    create_endpoint,
    delete_endpoint,
    deliver_due,
    emit,
    enable_endpoint,
    list_deliveries,
    list_endpoints,
    outbox_for,
    resend,
    rotate_secret,
)

__all__ = [
    "EVENTS",
    "MAX_ATTEMPTS",
    "RETRY_SCHEDULE",
    "Endpoint",
    "create_endpoint",
    "delete_endpoint",
    "deliver_due",
    "emit",
    "enable_endpoint",
    "list_deliveries",
    "list_endpoints",
    "outbox_for",
    "resend",
    "rotate_secret",
]
