"""The visitor's result email, and double opt-in before it when the creator asks for it.

With ``lead_capture.email_result_confirm`` the visitor first gets a link signed with the
site's secret (HMAC-SHA256 over the lead's key and an expiry 7 days ahead). The link opens a
page with one button (a POST, so mail scanners that prefetch links confirm nothing); the
POST records the consent on the lead (``consent.result_email.confirmed_at``) and sends the
result once: a conditional update on the lead's version sets ``result_sent_at`` before the
message goes out, so a double click or a second tab never sends it twice. Emails to visitors
go through the creator's own SMTP server when they set one (:mod:`keyvex.notify.smtp`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from markupsafe import Markup

from keyvex import clock
from keyvex.app import App
from keyvex.clock import now_iso
from keyvex.errors import Conflict, Gone, KeyvexError, NotFound
from keyvex.notify.mailer import SmtpServer, send_mail
from keyvex.notify.smtp import creator_server
from keyvex.store import Condition, ConditionFailed

if TYPE_CHECKING:
    from keyvex.leads.models import Lead
    from keyvex.tools import ToolDefinition

CONFIRM_SECONDS = 7 * 86_400
_PURPOSE = b"keyvex:result-email-confirm:"
MAX_TOKEN = 600


def visitor_address(contact: dict[str, Any], definition: ToolDefinition) -> str | None:
    for spec in definition.lead_capture.fields:
        if spec.type == "email" and contact.get(spec.id):
            return str(contact[spec.id])
    return None


def lead_key(lead: Lead) -> tuple[str, str]:
    return (f"TOOL#{lead.tool_id}", f"LEAD#{lead.created_at}#{lead.id}")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(app: App, payload: bytes) -> bytes:
    return hmac.new(app.secret_key.encode(), _PURPOSE + payload, hashlib.sha256).digest()


def confirm_token(app: App, pk: str, sk: str, expires: int) -> str:
    payload = f"{pk}|{sk}|{expires}".encode()
    return f"{_b64(payload)}.{_b64(_signature(app, payload))}"


def read_token(app: App, token: str, now: float | None = None) -> tuple[str, str]:
    """The lead key a link names; NotFound when forged or damaged, Gone when expired."""
    invalid = NotFound("This confirmation link is not valid. Use the link from the email.")
    body, _, sig = token.partition(".")
    if len(token) > MAX_TOKEN or not body or not sig:
        raise invalid
    try:
        payload, signature = _unb64(body), _unb64(sig)
    except (binascii.Error, ValueError):
        raise invalid from None
    if not hmac.compare_digest(signature, _signature(app, payload)):
        raise invalid
    pk, sk, expires = payload.decode().split("|")
    if int(expires) < (clock.now() if now is None else now):
        raise Gone("This confirmation link has expired (links work for 7 days).")
    return pk, sk


def confirm_url(app: App, token: str) -> str:
    settings = app.settings
    base = settings.base_url or f"http://{settings.host}:{settings.port}"
    return f"{base.rstrip('/')}/email/confirm?token={quote(token)}"


def _result_message(
    definition: ToolDefinition, display: dict[str, Any], outcome: str | None
) -> tuple[str, str, str]:
    title = definition.title
    labels = {calc.id: calc.label for calc in definition.calculations}
    pairs = [(labels[k], v) for k, v in display.items() if v and k in labels]
    if outcome:
        pairs.insert(0, ("Result", outcome))
    text = "\n".join(f"{k}: {v}" for k, v in pairs)
    rows = Markup("").join(
        Markup("<tr><th align='left'>{}</th><td>{}</td></tr>").format(k, v) for k, v in pairs
    )
    html = Markup('<h1 style="color:{}">{}</h1><table>{}</table>').format(
        definition.theme.primary, title, rows
    )
    return f"Your results: {title}", f"{title}\n\n{text}", str(html)


async def send_result(
    app: App, address: str, definition: ToolDefinition, lead: Lead, server: SmtpServer | None
) -> None:
    subject, text, html = _result_message(definition, lead.display, lead.outcome_title)
    await send_mail(app, address, subject, text, html, server=server)


async def request_confirmation(
    app: App, address: str, definition: ToolDefinition, lead: Lead, server: SmtpServer | None
) -> None:
    """Email the signed link and note on the lead that confirmation was asked for."""
    pk, sk = lead_key(lead)
    link = confirm_url(app, confirm_token(app, pk, sk, int(clock.now()) + CONFIRM_SECONDS))
    title = definition.title
    text = (
        f"You asked for your results from {title} by email.\n\n"
        f"Confirm this address to receive them (the link works for 7 days):\n{link}\n\n"
        "If you did not ask for this, ignore this message: nothing more will be sent."
    )
    html = Markup(
        '<h1 style="color:{}">{}</h1><p>You asked for your results by email.</p>'
        '<p><a href="{}">Confirm this address and send my results</a> (the link works for 7 '
        "days).</p><p>If you did not ask for this, ignore this message.</p>"
    ).format(definition.theme.primary, title, link)
    await send_mail(
        app, address, f"Confirm to get your results: {title}", text, str(html), server=server
    )
    consent = {**lead.consent, "result_email": {"requested_at": now_iso(), "confirmed_at": None}}
    try:
        await app.store.update(pk, sk, set={"consent": consent}, condition=Condition.exists())
    except ConditionFailed:  # the lead was erased meanwhile
        return


async def mark_result_sent(app: App, lead: Lead) -> None:
    try:
        await app.store.update(
            *lead_key(lead), set={"result_sent_at": now_iso()}, condition=Condition.exists()
        )
    except ConditionFailed:
        return


async def confirmation_state(app: App, token: str) -> tuple[dict[str, Any], ToolDefinition]:
    """The lead a link belongs to and its tool's definition (as the visitor saw it)."""
    from keyvex.tools import parse_tool
    from keyvex.tools.service import version_key

    pk, sk = read_token(app, token)
    item = await app.store.get(pk, sk)
    snapshot = None
    if item is not None:
        snapshot = await app.store.get(*version_key(item["tool_id"], int(item["tool_version"])))
    if item is None or snapshot is None:
        raise Gone("These results are no longer available.")
    return item, parse_tool(snapshot["definition"])


async def confirm_and_send(app: App, token: str) -> dict[str, Any]:
    """Record the confirmation and send the result once; returns the lead item afterwards."""
    from keyvex.leads.models import Lead

    item, definition = await confirmation_state(app, token)
    if item.get("result_sent_at"):
        return item
    consent = dict(item.get("consent") or {})
    stamp = now_iso()
    asked = dict(consent.get("result_email") or {})
    consent["result_email"] = {**asked, "confirmed_at": asked.get("confirmed_at") or stamp}
    try:
        claimed = await app.store.update(
            item["PK"],
            item["SK"],
            set={"consent": consent, "result_sent_at": stamp},
            condition=Condition.version_is(item["version"]),
        )
    except ConditionFailed:
        again = await app.store.get(item["PK"], item["SK"])
        if again is not None and again.get("result_sent_at"):
            return again
        raise Conflict("The confirmation could not be saved; please try again.") from None
    lead = Lead.from_item(claimed)
    address = visitor_address(lead.contact, definition)
    if address is None:
        raise Gone("These results are no longer available.")
    try:
        await send_result(app, address, definition, lead, await creator_server(app, lead.owner_id))
    except KeyvexError:  # keep the confirmation; let the visitor try the button again
        await _unclaim(app, claimed)
        raise
    return claimed


async def _unclaim(app: App, claimed: dict[str, Any]) -> None:
    try:
        await app.store.update(
            claimed["PK"],
            claimed["SK"],
            remove=("result_sent_at",),
            condition=Condition.version_is(claimed["version"]),
        )
    except ConditionFailed:
        return
