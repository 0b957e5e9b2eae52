"""The daily lead digest: one email per creator who chose it, listing the leads since the last.

Digests are due at ``DIGEST_HOUR_UTC``:00 UTC. A creator's ``USER#{uid}`` / ``NOTIFY`` item
carries the window (``digest_from`` .. ``digest_due``, epoch seconds) and sits in the
``GSI1PK=DIGEST_DUE`` index under ``GSI1SK=due time``, so the poller finds due digests with
one key query and reads each creator's leads from ``USER#{uid}#LEADS`` by time range (no
scans). A conditional update on the item's version claims a digest (moving its due time a
lease ahead) so two processes never both send it. No email goes out for a day without
leads; a mail server that keeps refusing is retried every 15 minutes, eight times, then that
window is skipped. The next window starts where the last one ended, so a lead is never left
out because the process was down at 07:00.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from markupsafe import Markup

from keyvex import clock
from keyvex.accounts.service import get_user
from keyvex.app import App
from keyvex.errors import KeyvexError
from keyvex.logs import get_logger
from keyvex.notify.mailer import email_enabled, send_mail
from keyvex.store import SK, Condition, ConditionFailed, due_key

DIGEST_DUE = "DIGEST_DUE"
DIGEST_HOUR_UTC = 7
LEASE_SECONDS = 300
RETRY_SECONDS = 900
MAX_TRIES = 8
MAX_LISTED = 100
log = get_logger("keyvex.notify")


def due_sk(at: float, uid: str) -> str:
    return due_key(at, uid)


def next_digest_at(after: float) -> float:
    """The first digest time (``DIGEST_HOUR_UTC``:00 UTC) strictly after ``after``."""
    moment = datetime.fromtimestamp(after, UTC)
    due = moment.replace(hour=DIGEST_HOUR_UTC, minute=0, second=0, microsecond=0)
    if due <= moment:
        due += timedelta(days=1)
    return due.timestamp()


def _iso(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True, slots=True)
class DigestLine:
    tool: str
    created_at: str
    contact: str
    result: str


async def send_due_digests(app: App, now: float | None = None, limit: int = 100) -> int:
    """Send every digest whose time has come (the poller calls this); returns emails sent."""
    if not email_enabled(app):
        return 0  # digests wait (their windows keep growing) until the site can send email
    moment = clock.now() if now is None else now
    page = await app.store.query(DIGEST_DUE, SK.le(due_sk(moment, "~")), index="GSI1", limit=limit)
    sent = 0
    for item in page.items:
        sent += await _digest_one(app, item, moment)
    return sent


async def _digest_one(app: App, item: dict[str, Any], now: float) -> int:
    pk, sk, uid = item["PK"], item["SK"], item["uid"]
    try:  # the claim: only one process moves the due time forward from this version
        claimed = await app.store.update(
            pk,
            sk,
            set={"GSI1SK": due_sk(now + LEASE_SECONDS, uid)},
            condition=Condition.version_is(item["version"]),
        )
    except ConditionFailed:
        return 0
    start, end = float(claimed["digest_from"]), float(claimed["digest_due"])
    try:
        sent = await _send_digest(app, uid, start, end)
    except KeyvexError as exc:
        tries = int(claimed.get("digest_tries", 0)) + 1
        log.warning("digest not sent", uid=uid, attempt=tries, error=exc.message)
        if tries < MAX_TRIES:
            retry = {"digest_tries": tries, "GSI1SK": due_sk(now + RETRY_SECONDS, uid)}
            await _finish(app, claimed, retry)
            return 0
        sent = False  # given up on this window; the next one starts after it
    following = next_digest_at(max(now, end))
    await _finish(
        app,
        claimed,
        {
            "digest_from": end,
            "digest_due": following,
            "digest_tries": 0,
            "GSI1SK": due_sk(following, uid),
        },
    )
    return int(sent)


async def _finish(app: App, claimed: dict[str, Any], changes: dict[str, Any]) -> None:
    """Write back only onto the claimed version: a changed preference or a deleted account
    wins (nothing is re-created or re-scheduled behind the creator's back)."""
    try:
        await app.store.update(
            claimed["PK"],
            claimed["SK"],
            set=changes,
            condition=Condition.version_is(claimed["version"]),
        )
    except ConditionFailed:
        return


async def digest_lines(
    app: App, uid: str, start: float, end: float
) -> tuple[list[DigestLine], int]:
    """The leads created in [start, end), oldest first: at most MAX_LISTED lines and the count."""
    lines: list[DigestLine] = []
    titles: dict[str, str] = {}
    total, until = 0, _iso(end)
    index = f"USER#{uid}#LEADS"
    async for lead in app.store.query_all(index, SK.between(_iso(start), until), index="GSI1"):
        if lead["created_at"] >= until:
            continue
        total += 1
        if len(lines) < MAX_LISTED:
            tool_id = lead["tool_id"]
            if tool_id not in titles:
                titles[tool_id] = await _tool_title(app, uid, tool_id)
            lines.append(_line(titles[tool_id], lead))
    return lines, total


async def _tool_title(app: App, uid: str, tool_id: str) -> str:
    item = await app.store.get(f"USER#{uid}", f"TOOL#{tool_id}")
    return str(item["definition"]["title"]) if item else "(a deleted tool)"


def _line(title: str, lead: dict[str, Any]) -> DigestLine:
    contact = ", ".join(str(v) for v in lead.get("contact", {}).values() if v)
    parts = []
    if lead.get("score") is not None:
        parts.append(f"score {lead['score']:g}")
    if lead.get("outcome_title"):
        parts.append(str(lead["outcome_title"]))
    stamp = f"{lead['created_at'][:10]} {lead['created_at'][11:16]} UTC"
    return DigestLine(title, stamp, contact or "(no contact details)", ", ".join(parts) or "–")


async def _send_digest(app: App, uid: str, start: float, end: float) -> bool:
    """Email the window's leads to the creator; False (nothing sent) when there were none."""
    owner = await get_user(app, uid)
    if owner is None:
        return False
    lines, total = await digest_lines(app, uid, start, end)
    if total == 0:
        return False
    day = datetime.fromtimestamp(end, UTC).date().isoformat()
    subject = f"Your leads: {total} new (digest of {day})"
    text, html = _body(owner.name, lines, total)
    await send_mail(app, owner.email, subject, text, html)
    return True


def _body(name: str, lines: list[DigestLine], total: int) -> tuple[str, str]:
    hello = f"Hello {name}," if name else "Hello,"
    intro = f"{total} new lead(s) since your last digest:"
    more = f"... and {total - len(lines)} more in your dashboard." if total > len(lines) else ""
    text_rows = [f"- {ln.created_at} · {ln.tool} · {ln.contact} · {ln.result}" for ln in lines]
    text = "\n".join([hello, "", intro, *text_rows, more]).rstrip() + "\n"
    row = Markup("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>")
    rows = Markup("").join(
        row.format(ln.tool, ln.created_at, ln.contact, ln.result) for ln in lines
    )
    head = Markup(
        "<tr><th align='left'>Tool</th><th align='left'>Time</th>"
        "<th align='left'>Contact</th><th align='left'>Score / outcome</th></tr>"
    )
    html = Markup("<p>{}</p><p>{}</p><table>{}{}</table><p>{}</p>").format(
        hello, intro, head, rows, more
    )
    return text, str(html)
