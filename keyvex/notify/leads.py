"""Lead emails: the creator hears about each new lead; the visitor may get their result.

Both are transactional messages sent through the job runner after the lead is stored, so a
slow or failing mail server never delays or breaks a submission. Every value from the
visitor or the tool is escaped in the HTML part.
"""

from __future__ import annotations

from typing import Any

import structlog
from markupsafe import Markup

from keyvex.accounts.service import get_user
from keyvex.app import App
from keyvex.errors import KeyvexError
from keyvex.notify.mailer import email_enabled, send_mail
from keyvex.notify.prefs import get_prefs

log = structlog.get_logger("keyvex.notify")


def _visitor_email(lead: Any, tool: Any) -> str | None:
    for field in tool.definition.lead_capture.fields:
        if field.type == "email" and lead.contact.get(field.id):
            return str(lead.contact[field.id])
    return None


def _rows(pairs: list[tuple[str, str]]) -> tuple[str, Markup]:
    text = "\n".join(f"{k}: {v}" for k, v in pairs)
    html = Markup("").join(
        Markup("<tr><th align='left'>{}</th><td>{}</td></tr>").format(k, v) for k, v in pairs
    )
    return text, Markup("<table>{}</table>").format(html)


async def notify_new_lead(app: App, lead: Any, tool: Any) -> None:
    """Send the creator's notification and, when the tool offers it, the visitor's result."""
    if not email_enabled(app):
        return
    for send in (_to_creator, _to_visitor):
        try:
            await send(app, lead, tool)
        except KeyvexError as exc:  # logged; the lead itself is safe in the store
            log.warning("lead email not sent", lead=lead.id, error=exc.message)


async def _to_creator(app: App, lead: Any, tool: Any) -> None:
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
    await send_mail(app, owner.email, f"New lead: {title}", body, html)


async def _to_visitor(app: App, lead: Any, tool: Any) -> None:
    address = _visitor_email(lead, tool)
    capture = tool.definition.lead_capture
    if address is None or not capture.email_result or not lead.consent.get("given"):
        return
    title = tool.definition.title
    labels = {calc.id: calc.label for calc in tool.definition.calculations}
    pairs = [(labels[k], v) for k, v in lead.display.items() if v and k in labels]
    if lead.outcome_title:
        pairs.insert(0, ("Result", lead.outcome_title))
    text, table = _rows(pairs)
    html = Markup('<h1 style="color:{}">{}</h1>{}').format(
        tool.definition.theme.primary, title, table
    )
    await send_mail(app, address, f"Your results: {title}", f"{title}\n\n{text}", html)


__all__ = ["notify_new_lead"]
