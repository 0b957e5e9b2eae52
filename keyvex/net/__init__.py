"""Outbound HTTP to URLs that users control (webhooks, REST data sources), behind an SSRF guard."""

from keyvex.net.outbound import OutboundRefused, OutboundResponse, Target, resolve_target, send

__all__ = ["OutboundRefused", "OutboundResponse", "Target", "resolve_target", "send"]
