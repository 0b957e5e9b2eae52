"""Webhook endpoints (Standard Webhooks signing) and at-least-once delivery with retries.

Keys: ``USER#{uid}`` / ``WEBHOOK#{id}`` (URL, events, encrypted secret, status);
``WEBHOOK#{id}`` / ``DELIVERY#{created}#{id}`` (the exact body sent, every attempt, state).
A pending delivery also sits in ``GSI1PK=WEBHOOK_DUE`` ordered by its next attempt time, so
the poller finds due work with one key query; a conditional update claims each delivery,
so two processes never send the same attempt.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from datetime import UTC, datetime
from typing import Any

from standardwebhooks import Webhook

from keyvex import clock, events
from keyvex.accounts.models import User
from keyvex.app import App
from keyvex.bus import Invalidate
from keyvex.caches import CacheSpec
from keyvex.clock import now_iso
from keyvex.crypto import decrypt, encrypt
from keyvex.errors import Invalid, KeyvexError, NotFound
from keyvex.events import AccountDeleted, LeadCreated, Outbox, ToolPublished
from keyvex.jobs import PreparedJob, task
from keyvex.net import resolve_target, send
from keyvex.store import SK, Condition, ConditionFailed, Put, TransactOp, due_key
from keyvex.webhooks.models import EVENTS, MAX_ATTEMPTS, RETRY_SCHEDULE, Endpoint, delivery_json

DUE = "WEBHOOK_DUE"
MAX_ENDPOINTS = 20
LEASE_SECONDS = 60
#: Each owner's endpoints, as every event of theirs (a lead, a publish) needs them: (when
#: read, endpoints). Shared: every write to an endpoint drops its owner's entry in every
#: process through ``app.bus`` (at once with KEYVEX_REDIS_URL, else within
#: ``publish_cache_seconds``, as for published tools). A delivery re-reads its endpoint
#: before sending, so a stale entry can at worst queue a delivery that is then not sent.
ENDPOINTS: CacheSpec[str, tuple[float, tuple[Endpoint, ...]]] = CacheSpec(
    "webhook endpoints", max_entries=4096, shared=True
)


def endpoint_key(uid: str, webhook_id: str) -> tuple[str, str]:
    return (f"USER#{uid}", f"WEBHOOK#{webhook_id}")


def _due_sk(at: float, delivery_id: str) -> str:
    return due_key(at, delivery_id)


def _new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _check_events(events: list[str]) -> tuple[str, ...]:
    unknown = sorted(set(events) - EVENTS)
    if not events or unknown:
        raise Invalid(
            "Choose the events to send.",
            fields={"events": f"Use some of {', '.join(sorted(EVENTS))}."},
        )
    return tuple(dict.fromkeys(events))


async def create_endpoint(
    app: App, user: User, url: str, events: list[str], tool_id: str | None = None
) -> tuple[Endpoint, str]:
    """Register an endpoint; returns it and its signing secret (shown once)."""
    from keyvex.tools.service import get_tool

    chosen = _check_events(events)
    try:
        await resolve_target(url, allow_loopback=app.settings.outbound_allow_loopback)
    except Invalid as exc:
        raise Invalid(exc.message, fields={"url": exc.message}) from None
    if tool_id is not None:
        await get_tool(app, user, tool_id)
    if len(await list_endpoints(app, user)) >= MAX_ENDPOINTS:
        raise Invalid(f"You already have {MAX_ENDPOINTS} webhooks; delete one first.")
    webhook_id, secret = secrets.token_hex(8), _new_secret()
    pk, sk = endpoint_key(user.id, webhook_id)
    item = {
        "PK": pk,
        "SK": sk,
        "entity_type": "webhook",
        "webhook_id": webhook_id,
        "owner_id": user.id,
        "url": url,
        "events": list(chosen),
        "tool_id": tool_id,
        "secret": encrypt(app, secret),
        "status": "active",
        "notice": "",
    }
    stored = await app.store.put(item, Condition.not_exists())
    _changed(app, user.id)
    return Endpoint.from_item(stored), secret


def _changed(app: App, owner_id: str) -> None:
    """An endpoint of ``owner_id`` was written: forget their cached endpoints everywhere."""
    app.bus.publish(Invalidate.of(ENDPOINTS, owner_id))


async def _active_endpoints(app: App, owner_id: str) -> tuple[Endpoint, ...]:
    """The owner's active endpoints, from the cache while it is fresh."""
    cache = app.caches(ENDPOINTS)
    found = cache.get(owner_id)
    if found is not None and time.monotonic() - found[0] < app.settings.publish_cache_seconds:
        return found[1]
    read_at = time.monotonic()
    found_now = [
        endpoint
        async for item in app.store.query_all(f"USER#{owner_id}", SK.begins_with("WEBHOOK#"))
        if (endpoint := Endpoint.from_item(item)).status == "active"
    ]
    endpoints = tuple(found_now)
    cache[owner_id] = (read_at, endpoints)
    return endpoints


async def list_endpoints(app: App, user: User) -> list[Endpoint]:
    return [
        Endpoint.from_item(item)
        async for item in app.store.query_all(f"USER#{user.id}", SK.begins_with("WEBHOOK#"))
    ]


async def _endpoint_item(app: App, user: User, webhook_id: str) -> dict[str, Any]:
    item = await app.store.get(*endpoint_key(user.id, webhook_id))
    if item is None:
        raise NotFound("There is no such webhook.")
    return item


async def delete_endpoint(app: App, user: User, webhook_id: str) -> None:
    await _endpoint_item(app, user, webhook_id)
    await app.store.delete(*endpoint_key(user.id, webhook_id))
    _changed(app, user.id)


async def rotate_secret(app: App, user: User, webhook_id: str) -> str:
    """A new signing secret (shown once); the old one stops signing at once."""
    await _endpoint_item(app, user, webhook_id)
    secret = _new_secret()
    await app.store.update(*endpoint_key(user.id, webhook_id), set={"secret": encrypt(app, secret)})
    return secret


#: Endpoints disabled after failing deliveries sit in this GSI2 partition until re-enabled:
#: the operators' health page reads it.
DISABLED_INDEX = "WEBHOOK_DISABLED"


async def enable_endpoint(app: App, user: User, webhook_id: str) -> Endpoint:
    await _endpoint_item(app, user, webhook_id)
    item = await app.store.update(
        *endpoint_key(user.id, webhook_id),
        set={"status": "active", "notice": ""},
        remove=["GSI2PK", "GSI2SK"],
    )
    _changed(app, user.id)
    return Endpoint.from_item(item)


async def emit(
    app: App, owner_id: str, event: str, data: dict[str, Any], tool_id: str | None = None
) -> int:
    """Queue ``event`` for every active endpoint of the owner that wants it; returns how many."""
    outbox = await outbox_for(app, owner_id, event, data, tool_id)
    if outbox.ops:
        await app.store.transact_write(outbox.ops)
    outbox.start(app)
    return len(outbox.jobs)


async def outbox_for(
    app: App, owner_id: str, event: str, data: dict[str, Any], tool_id: str | None = None
) -> Outbox:
    """The delivery items and first-attempt jobs of ``event`` for the owner's endpoints."""
    ops: list[TransactOp] = []
    jobs: list[PreparedJob] = []
    for endpoint in await _active_endpoints(app, owner_id):
        if event in endpoint.events and endpoint.tool_id in (None, tool_id):
            delivery = _delivery(endpoint, event, data)
            job = app.jobs.prepare(
                "webhook.attempt", owner=owner_id, pk=delivery["PK"], sk=delivery["SK"]
            )
            ops += [Put(delivery, Condition.not_exists()), Put(job.item, Condition.not_exists())]
            jobs.append(job)
    return Outbox(ops, jobs)


@events.contributes(LeadCreated)
async def _lead_created(app: App, event: LeadCreated) -> Outbox:
    lead = event.lead
    return await outbox_for(app, lead.owner_id, "lead.created", lead.to_json(), lead.tool_id)


@events.contributes(ToolPublished)
async def _tool_published(app: App, event: ToolPublished) -> Outbox:
    data = {"tool_id": event.tool_id, "slug": event.slug, "version": event.version,
            "title": event.title}  # fmt: skip
    return await outbox_for(app, event.owner_id, "tool.published", data, tool_id=event.tool_id)


def _delivery(endpoint: Endpoint, event: str, data: dict[str, Any]) -> dict[str, Any]:
    delivery_id = "msg_" + secrets.token_hex(10)
    created = now_iso()
    body = json.dumps({"type": event, "timestamp": created, "data": data}, separators=(",", ":"))
    now = clock.now()
    return {
        "PK": f"WEBHOOK#{endpoint.id}",
        "SK": f"DELIVERY#{created}#{delivery_id}",
        "entity_type": "webhook_delivery",
        "delivery_id": delivery_id,
        "webhook_id": endpoint.id,
        "owner_id": endpoint.owner_id,
        "event": event,
        "body": body,
        "state": "pending",
        "attempts": [],
        "next_attempt_at": now,
        "GSI1PK": DUE,
        "GSI1SK": _due_sk(now, delivery_id),
    }


@events.on(AccountDeleted, order=20)
async def _account_deleted(app: App, event: AccountDeleted) -> None:
    """The user's endpoints and each endpoint's delivery log."""
    endpoints = await app.store.partition_keys(f"USER#{event.user_id}", SK.begins_with("WEBHOOK#"))
    logs: list[tuple[str, str]] = []
    for _, sk in endpoints:
        logs += await app.store.partition_keys(sk)
    await app.store.delete_keys(logs + endpoints)
    _changed(app, event.user_id)


# One job per attempt round: the delivery item keeps its own retry schedule (and the poller
# finds due deliveries through its index), so the job itself is not retried.
@task("webhook.attempt", max_attempts=1)
async def _attempt_job(app: App, pk: str, sk: str) -> None:
    await attempt(app, pk, sk)


async def deliver_due(app: App, now: float | None = None, limit: int = 100) -> int:
    """Attempt every delivery whose time has come (the background poller calls this)."""
    moment = clock.now() if now is None else now
    page = await app.store.query(DUE, SK.le(_due_sk(moment, "~")), index="GSI1", limit=limit)
    for item in page.items:
        await attempt(app, item["PK"], item["SK"], now=moment)
    return len(page.items)


async def attempt(app: App, pk: str, sk: str, now: float | None = None) -> None:
    """Claim one pending delivery, send it once, and record the attempt."""
    moment = clock.now() if now is None else now
    item = await app.store.get(pk, sk, consistent=True)
    if item is None or item["state"] != "pending" or item["next_attempt_at"] > moment:
        return
    try:  # the claim: only one process moves the due time forward from this version
        item = await app.store.update(
            pk,
            sk,
            set={"GSI1SK": _due_sk(moment + LEASE_SECONDS, item["delivery_id"])},
            condition=Condition.version_is(item["version"]),
        )
    except ConditionFailed:
        return
    endpoint = await app.store.get(*endpoint_key(item["owner_id"], item["webhook_id"]))
    if endpoint is None:
        await _write_back(app, pk, sk, {"state": "failed"}, ["GSI1PK", "GSI1SK"])
        return
    result = await _send_once(app, endpoint, item)
    await _record(app, item, endpoint, result, moment)


async def _send_once(app: App, endpoint: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    signer = Webhook(decrypt(app, endpoint["secret"]))
    stamp = datetime.now(UTC)
    headers = {
        "content-type": "application/json",
        "user-agent": "Keyvex-Webhooks/1",
        "webhook-id": item["delivery_id"],
        "webhook-timestamp": str(int(stamp.timestamp())),
        "webhook-signature": signer.sign(item["delivery_id"], stamp, item["body"]),
    }
    outcome: dict[str, Any] = {"at": now_iso(), "status_code": None, "ms": None, "error": ""}
    try:
        response = await send(
            "POST",
            endpoint["url"],
            content=item["body"].encode(),
            headers=headers,
            allow_loopback=app.settings.outbound_allow_loopback,
        )
    except KeyvexError as exc:
        outcome["error"] = exc.message
    except Exception as exc:  # network failures are the receiver's state, recorded, retried
        outcome["error"] = f"{type(exc).__name__}: {exc}"[:300]
    else:
        outcome.update(status_code=response.status, ms=response.elapsed_ms)
        if not 200 <= response.status < 300:
            outcome["error"] = f"The receiver answered {response.status}."
    return outcome


async def _record(
    app: App, item: dict[str, Any], endpoint: dict[str, Any], outcome: dict[str, Any], now: float
) -> None:
    attempts = [*item.get("attempts", []), outcome]
    tried = len(attempts) - int(item.get("round_start", 0))
    changes: dict[str, Any] = {"attempts": attempts}
    remove: list[str] = []
    if not outcome["error"]:
        changes["state"] = "delivered"
        remove = ["GSI1PK", "GSI1SK"]
    elif tried >= MAX_ATTEMPTS:
        changes["state"] = "failed"
        remove = ["GSI1PK", "GSI1SK"]
        notice = (
            f"Disabled on {now_iso()[:10]}: a delivery failed {tried} times over about "
            "27 hours. Fix the receiver, then re-enable the webhook."
        )
        await _write_back(
            app, endpoint["PK"], endpoint["SK"],
            {"status": "disabled", "notice": notice, "GSI2PK": DISABLED_INDEX, "GSI2SK": now_iso()},
        )  # fmt: skip
        _changed(app, endpoint["owner_id"])
    else:
        due = now + RETRY_SCHEDULE[tried - 1]
        changes.update(next_attempt_at=due, GSI1SK=_due_sk(due, item["delivery_id"]))
    await _write_back(app, item["PK"], item["SK"], changes, remove)


async def _write_back(
    app: App, pk: str, sk: str, changes: dict[str, Any], remove: list[str] | None = None
) -> None:
    """Update an item only while it still exists: an endpoint or account deleted while a
    delivery was in flight must not be brought back by the attempt's bookkeeping."""
    try:
        await app.store.update(
            pk, sk, set=changes, remove=remove or [], condition=Condition.exists()
        )
    except ConditionFailed:
        return


async def list_deliveries(
    app: App, user: User, webhook_id: str, limit: int = 50
) -> list[dict[str, Any]]:
    await _endpoint_item(app, user, webhook_id)
    page = await app.store.query(
        f"WEBHOOK#{webhook_id}", SK.begins_with("DELIVERY#"), ascending=False, limit=limit
    )
    return [delivery_json(item) for item in page.items]


async def resend(app: App, user: User, webhook_id: str, delivery_id: str) -> None:
    """Queue a delivery again now (a manual re-send keeps its id, so receivers can dedupe)."""
    await _endpoint_item(app, user, webhook_id)
    async for item in app.store.query_all(f"WEBHOOK#{webhook_id}", SK.begins_with("DELIVERY#")):
        if item["delivery_id"] == delivery_id:
            now = clock.now()
            await app.store.update(
                item["PK"],
                item["SK"],
                set={
                    "state": "pending",
                    "next_attempt_at": now,
                    "GSI1PK": DUE,
                    "GSI1SK": _due_sk(now, delivery_id),
                    # the log keeps every attempt; the new round counts from here
                    "round_start": len(item.get("attempts", [])),
                },
            )
            await app.jobs.submit(
                "webhook.attempt", owner=item.get("owner_id"), pk=item["PK"], sk=item["SK"]
            )
            return
    raise NotFound("There is no such delivery.")
