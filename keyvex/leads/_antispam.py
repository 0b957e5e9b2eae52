"""Anti-spam for lead submissions: rate limits per IP and per tool, honeypot, fill time."""

from __future__ import annotations

from keyvex.app import App
from keyvex.errors import RateLimited, Unavailable
from keyvex.leads.models import LeadSubmission
from keyvex.logs import get_logger

log = get_logger("keyvex.leads")

#: Defaults until the settings object carries ``lead_limit_ip`` / ``lead_limit_tool``;
#: a setting of that name, when present, wins.
LEAD_LIMIT_IP = "30/minute;300/day"
LEAD_LIMIT_TOOL = "600/minute"
#: A person needs more than this to read a question and type an email address.
MIN_FILL_MS = 1500


class LeadRejected(RateLimited):
    """Too many submissions from one address or to one tool."""

    title = "Too many submissions"


def rule(app: App, name: str, default: str) -> str:
    value = getattr(app.settings, name)
    return value if isinstance(value, str) and value else default


async def check_rate_limits(app: App, tool_id: str, ip: str) -> None:
    """Count one submission against the per-IP and per-tool limits; raise LeadRejected.

    When the limits cannot be checked (their Redis is away), the lead is taken anyway, with
    a warning: losing a visitor's lead costs the creator more than a few minutes without a
    rate limit, and the honeypot and fill-time checks still apply. (Sign-in limits, which
    guard passwords, fail closed instead.)
    """
    try:
        await _count(app, tool_id, ip)
    except Unavailable as exc:
        log.warning("lead rate limits not checked", tool_id=tool_id, error=exc.message)


async def _count(app: App, tool_id: str, ip: str) -> None:
    checks = (
        (rule(app, "lead_limit_ip", LEAD_LIMIT_IP), ("lead", "ip", ip)),
        (rule(app, "lead_limit_tool", LEAD_LIMIT_TOOL), ("lead", "tool", tool_id)),
    )
    for limit, key in checks:
        if not await app.limiter.hit(limit, *key):
            wait = await app.limiter.retry_after(limit, *key)
            raise LeadRejected(
                f"Too many submissions right now. Please try again in {wait} seconds.",
                retry_after=wait,
            )


def looks_automated(submission: LeadSubmission) -> bool:
    """True for a filled honeypot or a form completed faster than a person can.

    Such submissions get a normal-looking answer and are not stored, so a bot
    cannot tell which signal gave it away.
    """
    return bool(submission.website.strip()) or submission.elapsed_ms < MIN_FILL_MS
