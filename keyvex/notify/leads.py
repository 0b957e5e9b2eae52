"""Lead emails: the creator hears about each new lead; the visitor may get their result.

Both are sent by one ``email.lead`` job, written in the lead's own transaction (this module
contributes it to ``LeadCreated``'s outbox) and run once the lead is stored, so a slow or
failing mail server never delays or breaks a submission and a crash never loses the email;
the job is retried with backoff. Sending is at least once: the visitor's result keeps its own
``result_sent_at`` guard. Every value from the
visitor or the tool is escaped in the HTML part. Messages to the creator need the site's
SMTP server; messages to the visitor go through the creator's own server when they set one
(else the site's), after a double opt-in when the tool asks for one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

from keyvex import events
from keyvex.accounts.service import get_user
from keyvex.app import App
from keyvex.errors import KeyvexError
from keyvex.events import LeadCreated, Outbox
from keyvex.jobs import task
from keyvex.leads.models import Lead
from keyvex.logs import get_logger
from keyvex.notify.mailer import email_enabled, send_mail
from keyvex.notify.prefs import get_prefs
from keyvex.notify.smtp import creator_server, smtp_key
from keyvex.notify.visitor import (
    mark_result_sent,
    request_confirmation,
    send_result,
    visitor_address,
)
from keyvex.store import Condition, Put

if TYPE_CHECKING:
    from keyvex.tools.publishing import PublishedTool

log = get_logger("keyvex.notify")


@events.contributes(LeadCreated)
async def _lead_created(app: App, event: LeadCreated) -> Outbox:
    lead = event.lead
    if not await lead_emails_wanted(app, event.tool):
        return Outbox()
    job = app.jobs.prepare(
        "email.lead", owner=lead.owner_id, tool_id=lead.tool_id, lead_sk=lead.store_sk
    )
    return Outbox([Put(job.item, Condition.not_exists())], [job])


@task("email.lead", max_attempts=5, backoff_seconds=60)
async def _email_lead(app: App, tool_id: str, lead_sk: str) -> None:
    from keyvex.tools import parse_tool
    from keyvex.tools.publishing import PublishedTool
    from keyvex.tools.service import version_key

    item = await app.store.get(f"TOOL#{tool_id}", lead_sk)
    if item is None:
        return  # deleted meanwhile
    lead = Lead.from_item(item)
    version = await app.store.get(*version_key(tool_id, lead.tool_version))
    if version is None:
        return  # the tool went with its history
    tool = PublishedTool(
        tool_id=tool_id, owner_id=lead.owner_id, slug="", version=lead.tool_version,
        definition=parse_tool(version["definition"]), allowed_origins=(), published_at="",
    )  # fmt: skip
    await notify_new_lead(app, lead, tool)


async def lead_emails_wanted(app: App, tool: PublishedTool) -> bool:
    """Whether a new lead of ``tool`` may cause any email (one get at most, when the site
    has no SMTP server but the creator may have their own)."""
    if email_enabled(app):
        return True
    if not tool.definition.lead_capture.email_result:
        return False
    return await app.store.get(*smtp_key(tool.owner_id)) is not None


def _rows(pairs: list[tuple[str, str]]) -> tuple[str, Markup]:
    text = "\n".join(f"{k}: {v}" for k, v in pairs)
    html = Markup("").join(
        Markup("<tr><th align='left'>{}</th><td>{}</td></tr>").format(k, v) for k, v in pairs
    )
    return text, Markup("<table>{}</table>").format(html)


async def notify_new_lead(app: App, lead: Lead, tool: PublishedTool) -> None:
    """Send the creator's notification and, when the tool offers it, the visitor's result."""
    for send in (_to_creator, _to_visitor):
        try:
            await send(app, lead, tool)
        except KeyvexError as exc:  # logged; the lead itself is safe in the store
            log.warning("lead email not sent", lead=lead.id, error=exc.message)


async def _to_creator(app: App, lead: Lead, tool: PublishedTool) -> None:
    if not email_enabled(app):
        return
    owner = await get_user(app, lead.owner_id)
    if owner is None or (await get_prefs(app, owner.id))["lead_email"] != "each":
        return
    title = tool.definition.title
    pairs = [(k, str(v)) for k, v in lead.contact.items()]
    if lead.score is not None:
        pairs.append(("Score", f"{lead.score:g}"))
    if lead.outcome_title:
        pairs.append(("Outcome", lead.outcome_title))
    text, table = _rows(pairs)
    html = Markup("<p>A new lead for <strong>{}</strong>:</p>{}").format(title, table)
    body = f"A new lead for {title}:\n{text}"
    await send_mail(app, owner.email, f"New lead: {title}", body, str(html))


async def _to_visitor(app: App, lead: Lead, tool: PublishedTool) -> None:
    definition = tool.definition
    capture = definition.lead_capture
    address = visitor_address(lead.contact, definition)
    if address is None or not capture.email_result or not lead.consent.get("given"):
        return
    server = await creator_server(app, lead.owner_id)
    if server is None and not email_enabled(app):
        return
    if capture.email_result_confirm:
        await request_confirmation(app, address, definition, lead, server)
    else:
        await send_result(app, address, definition, lead, server)
        await mark_result_sent(app, lead)


__all__ = ["lead_emails_wanted", "notify_new_lead"]
