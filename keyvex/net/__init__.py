"""Outbound HTTP to URLs that users control (webhooks, REST data sources), behind an SSRF guard."""

from keyvex.net.outbound import (
    HostUnresolved,
    NonPublicAddress,
    OutboundRefused,
    OutboundResponse,
    Target,
    checked_address,
    resolve_target,
    send,
)

__all__ = [
    "HostUnresolved",
    "NonPublicAddress",
    "OutboundRefused",
    "OutboundResponse",
    "Target",
    "checked_address",
    "resolve_target",
    "send",
]
