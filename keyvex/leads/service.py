"""Lead capture: validate, recompute on the server, store exactly once, list for the creator.

Keys: ``TOOL#{tool_id}`` / ``LEAD#{created_iso}#{lead_id}`` is the lead (``GSI1PK =
USER#{owner_id}#LEADS``, ``GSI1SK = created_iso`` lists every lead of a creator), and
``TOOL#{tool_id}`` / ``IDEMP#{key}`` (ttl 7 days) points at the lead stored for a page's
idempotency key. Both are written in one transaction whose guard is "the key does not exist
yet", so a retry, even racing the original, finds the first lead instead of adding one.
"""

from __future__ import annotations

import secrets
from typing import Any

from keyvex import analytics, clock, events
from keyvex.accounts.models import User
from keyvex.app import App
from keyvex.clock import now_iso
from keyvex.engine import AnswerError, Result, run
from keyvex.errors import Conflict, Invalid
from keyvex.events import LeadCreated
from keyvex.leads._antispam import check_rate_limits, looks_automated
from keyvex.leads._contact import check_contact
from keyvex.leads.models import Lead, LeadPage, LeadSubmission, RequestMeta
from keyvex.logs import get_logger
from keyvex.store import SK, Condition, Put, TransactionCanceled, TransactOp
from keyvex.tools.publishing import PublishedTool
from keyvex.tools.service import get_tool

IDEMPOTENCY_TTL_SECONDS = 7 * 86_400
MAX_PAGE = 200
MAX_USER_AGENT = 500
log = get_logger("keyvex.leads")


def tool_partition(tool_id: str) -> str:
    return f"TOOL#{tool_id}"


def idempotency_key(tool_id: str, key: str) -> tuple[str, str]:
    return (tool_partition(tool_id), f"IDEMP#{key}")


def leads_index(owner_id: str) -> str:
    return f"USER#{owner_id}#LEADS"


async def submit_lead(
    app: App, tool: PublishedTool, submission: LeadSubmission, meta: RequestMeta
) -> tuple[Lead, Result]:
    """Store a visitor's lead once and return it with the server's own result.

    Raises LeadRejected (rate limits), AnswerError (answers, contact fields and consent,
    all reported together) or Invalid (the tool does not collect leads).
    """
    await check_rate_limits(app, tool.tool_id, meta.ip)
    capture = tool.definition.lead_capture
    if capture.mode == "off":
        raise Invalid("This tool does not collect contact details.")
    contact, contact_errors = check_contact(capture, submission.contact, submission.consent)
    try:
        # The engine runs a compiled tool in ~0.1 ms: cheaper inline than a thread hop.
        result = run(tool.definition, submission.answers)
    except AnswerError as exc:
        raise AnswerError({**exc.errors, **contact_errors}) from None
    if contact_errors:
        raise AnswerError(contact_errors)
    lead = _new_lead(tool, submission, meta, contact, result)
    if looks_automated(submission):
        # Same answer as for a person, nothing stored: the bot learns nothing.
        log.info("lead discarded as automated", tool_id=tool.tool_id)
        return lead, result
    created = LeadCreated(lead, tool)
    outbox = await events.outbox(app, created)
    stored = await _store_once(app, lead, submission.idempotency_key, outbox)
    if stored is not lead:
        return stored, await _result_for(tool, stored, result)
    outbox.start(app)
    await events.publish(app, created)  # after the commit: in-process reactions (metrics)
    await _count_conversion(app, tool, meta)
    return lead, result


async def _count_conversion(app: App, tool: PublishedTool, meta: RequestMeta) -> None:
    """The visit that left the lead counts as converted; best effort, like every beacon."""
    try:
        await analytics.record_converted_visit(app, tool, meta.ip, meta.user_agent)
    except Exception as exc:  # noqa: BLE001 - the lead is stored; counting must not fail it
        log.warning("conversion not counted", tool_id=tool.tool_id, error=str(exc))


def _new_lead(
    tool: PublishedTool,
    submission: LeadSubmission,
    meta: RequestMeta,
    contact: dict[str, str],
    result: Result,
) -> Lead:
    created = now_iso()
    scores = result.scores
    consent_text = tool.definition.lead_capture.consent_text if submission.consent else ""
    return Lead(
        id=secrets.token_hex(12),
        tool_id=tool.tool_id,
        owner_id=tool.owner_id,
        created_at=created,
        tool_version=tool.version,
        answers=dict(result.answers),
        values=dict(result.values),
        display=dict(result.display),
        score=None
        if scores is None
        else (scores.percent if scores.percent is not None else scores.total),
        scores=None if scores is None else scores.model_dump(),
        outcome_id=None if result.outcome is None else result.outcome.id,
        outcome_title=None if result.outcome is None else result.outcome.title,
        contact=contact,
        consent={"given": submission.consent, "text": consent_text, "at": created},
        utm=dict(submission.utm),
        referrer=submission.referrer,
        user_agent=meta.user_agent[:MAX_USER_AGENT],
    )


def lead_item(lead: Lead) -> dict[str, Any]:
    body = lead.to_json()
    outcome = body.pop("outcome")
    body.pop("id")
    return {
        **body,
        "PK": tool_partition(lead.tool_id),
        "SK": lead.store_sk,
        "GSI1PK": leads_index(lead.owner_id),
        "GSI1SK": lead.created_at,
        "entity_type": "lead",
        "lead_id": lead.id,
        "owner_id": lead.owner_id,
        "outcome_id": None if outcome is None else outcome["id"],
        "outcome_title": None if outcome is None else outcome["title"],
    }


async def _store_once(app: App, lead: Lead, key: str, outbox: events.Outbox) -> Lead:
    """Write the lead, its idempotency guard and the day's lead counter together.

    One transaction (one write on the single writer) instead of three; a repeat cancels it
    whole, so it neither duplicates the lead nor counts it twice, and gets the first lead.
    """
    item = lead_item(lead)
    pk, sk = idempotency_key(lead.tool_id, key)
    guard = {
        "PK": pk,
        "SK": sk,
        "entity_type": "lead_idempotency",
        "lead_sk": item["SK"],
        "lead_id": lead.id,
        "ttl": int(clock.now()) + IDEMPOTENCY_TTL_SECONDS,
    }
    ops: list[TransactOp] = [
        Put(guard, Condition.not_exists()),
        Put(item, Condition.not_exists()),
        *outbox.ops,
    ]
    counter = analytics.count_op(lead.tool_id, "lead")
    try:
        await app.store.transact_write([*ops, counter])
    except TransactionCanceled as exc:
        if exc.failed_condition(0):  # the key was used: a retry of a stored submission
            first = await _first_lead(app, lead.tool_id, pk, sk)
            log.info("lead retry answered with the first lead", tool_id=lead.tool_id)
            return first
        if not exc.conflict_only:
            raise  # the (random) lead key collided, which is a real error
        # The day's counter is one hot item: when it kept conflicting, the lead is stored
        # without it and counted on its own, so a busy day never costs a lead.
        await app.store.transact_write(ops)
        await analytics.count(app, lead.tool_id, "lead")
    return lead


async def _first_lead(app: App, tool_id: str, pk: str, sk: str) -> Lead:
    guard = await app.store.get(pk, sk, consistent=True)
    found = (
        None if guard is None else await app.store.get(tool_partition(tool_id), guard["lead_sk"])
    )
    if found is None:  # both are written in one transaction; only deletion can split them
        raise Conflict("This submission was already received.")
    return Lead.from_item(found)


async def _result_for(tool: PublishedTool, lead: Lead, fallback: Result) -> Result:
    """The result belonging to the stored lead (a retry may have sent other answers)."""
    try:
        return run(tool.definition, lead.answers)
    except AnswerError:
        return fallback


async def list_leads(
    app: App, user: User, tool_id: str, *, cursor: str | None = None, limit: int = 50
) -> LeadPage:
    """Leads of one of the user's tools, newest first; NotFound for anybody else's tool."""
    await get_tool(app, user, tool_id)
    if not 1 <= limit <= MAX_PAGE:
        raise Invalid("Bad page size.", fields={"limit": f"Use 1 to {MAX_PAGE}."})
    page = await app.store.query(
        tool_partition(tool_id),
        SK.begins_with("LEAD#"),
        ascending=False,
        limit=limit,
        cursor=cursor,
    )
    return LeadPage([Lead.from_item(item) for item in page.items], page.cursor)
