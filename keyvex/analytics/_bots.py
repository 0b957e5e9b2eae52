"""Recognising obvious bots by their user agent, so they do not inflate the counters."""

from __future__ import annotations

import re

# Crawlers, link unfurlers and HTTP libraries. HeadlessChrome is deliberately absent:
# real people never send it, but our own browser tests do and must be counted.
_BOT = re.compile(
    r"bot|crawl|spider|slurp|curl|wget|python-requests|python-urllib|httpx|aiohttp"
    r"|go-http-client|java/|okhttp|libwww|facebookexternalhit|preview"
    r"|lighthouse|pingdom|uptime|monitor",
    re.IGNORECASE,
)


def is_bot(user_agent: str) -> bool:
    """True for an empty user agent or one naming a crawler, preview fetcher or HTTP library."""
    agent = user_agent.strip()
    return not agent or _BOT.search(agent) is not None
