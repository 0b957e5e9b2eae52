"""Alert rules, their evaluation by the scheduled work, and the alerts' life: open once,
notify, acknowledge, resolve when the condition clears; every alert kept as history.

Keys (one ``ALERTS`` partition; a few rules and a few alerts a day at most):

- ``ALERTS`` / ``RULE#{kind}``: an administrator's threshold and switch for one kind (absent:
  the ``KEYVEX_ALERT_*`` default, enabled);
- ``ALERTS`` / ``OPEN#{kind}``: the kind's alert while it is open or acknowledged. Written
  with ``not_exists`` in the same transaction as the alert, so two evaluations at once (two
  processes around a lease change) open one alert, never two;
- ``ALERTS`` / ``ALERT#{opened_at}#{id}``: the alert itself (history; kept a year after it
  resolved, ``ttl``).

Opening writes the notification jobs in the same transaction (an outbox): email to every
active administrator and, with ``KEYVEX_ALERT_WEBHOOK_URL``, a signed webhook, delivered at
least once. Resolution is announced on the webhook only.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from keyvex import clock, events
from keyvex.accounts import User
from keyvex.accounts.roles import USERS_INDEX
from keyvex.alerts.measures import readings
from keyvex.alerts.models import KINDS, Alert, Rule, show
from keyvex.app import App
from keyvex.errors import Conflict, Invalid, NotFound
from keyvex.events import AccountDeleted
from keyvex.jobs import task
from keyvex.logs import get_logger
from keyvex.store import SK, Condition, Delete, Put, TransactionCanceled, TransactOp, Update

log = get_logger(__name__)
PK = "ALERTS"
HISTORY_SECONDS = 365 * 86_400
#: How often the scheduled work evaluates the rules.
EVALUATE_SECONDS = 60


def _iso(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).isoformat(timespec="microseconds")


async def list_rules(app: App) -> list[Rule]:
    """Every kind's rule: the administrator's, or the setting's default."""
    page = await app.store.query(PK, SK.begins_with("RULE#"))
    saved = {item["kind"]: item for item in page.items}
    rules = []
    for kind in KINDS:
        item = saved.get(kind)
        if item is None:
            rules.append(Rule.default(kind, app.settings))
        else:
            rules.append(Rule(kind, float(item["threshold"]), bool(item["enabled"]), True))
    return rules


async def save_rule(app: App, admin: User, kind: str, threshold: str, enabled: bool) -> Rule:
    """Set one kind's threshold and switch (Invalid, per field, for a bad value); who did it
    goes to the admin audit log, not the rule."""
    if kind not in KINDS:
        raise NotFound("There is no such alert rule.")
    try:
        value = float(threshold.strip())
    except ValueError:
        raise Invalid("The threshold is not a number.", fields={"threshold": "A number."}) from None
    if not value >= 0 or value == float("inf"):
        raise Invalid("The threshold must be 0 or more.", fields={"threshold": "0 or more."})
    if KINDS[kind].unit == "share" and value > 1:
        raise Invalid(
            "A rate is a share between 0 and 1 (0.2 is 20%).", fields={"threshold": "0 to 1."}
        )
    await app.store.put(
        {"PK": PK, "SK": f"RULE#{kind}", "entity_type": "alert_rule", "kind": kind,
         "threshold": value, "enabled": enabled}
    )  # fmt: skip
    return Rule(kind, value, enabled, True)


async def list_alerts(app: App, limit: int = 100) -> list[Alert]:
    """Alerts, newest first (open, acknowledged and resolved)."""
    page = await app.store.query(PK, SK.begins_with("ALERT#"), ascending=False, limit=limit)
    return [Alert.from_item(item) for item in page.items]


async def evaluate(app: App, now: float | None = None) -> list[tuple[str, Alert]]:
    """Compare every rule with the current figures: open an alert for a breach that has none,
    keep an open one's latest value, resolve one whose condition cleared (or whose rule was
    switched off). Returns what changed, as ("opened" | "resolved", alert)."""
    now = clock.now() if now is None else now
    values = await readings(app, now)
    page = await app.store.query(PK, SK.begins_with("OPEN#"), consistent=True)
    open_by_kind = {item["kind"]: item for item in page.items}
    changes: list[tuple[str, Alert]] = []
    for rule in await list_rules(app):
        raw = values[rule.kind]
        value = None if raw is None else round(raw, 6)
        breached = rule.enabled and value is not None and value > rule.threshold
        current = open_by_kind.get(rule.kind)
        if breached and current is None:
            assert value is not None
            opened = await _open(app, rule, value, now)
            if opened is not None:
                changes.append(("opened", opened))
        elif breached and current is not None:
            await app.store.update(PK, current["alert_sk"], set={"last_value": value},
                                   condition=Condition.exists())  # fmt: skip
        elif current is not None:
            resolved = await _resolve(app, current, value, now)
            if resolved is not None:
                changes.append(("resolved", resolved))
    return changes


def _message(rule: Rule, value: float) -> str:
    return f"{rule.title} is {show(rule.kind, value)}, above the threshold of {rule.shown}."


async def _open(app: App, rule: Rule, value: float, now: float) -> Alert | None:
    alert_id = secrets.token_hex(6)
    opened_at = _iso(now)
    sk = f"ALERT#{opened_at}#{alert_id}"
    item = {
        "PK": PK, "SK": sk, "entity_type": "alert", "alert_id": alert_id, "kind": rule.kind,
        "state": "open", "threshold": rule.threshold, "value": value, "last_value": value,
        "message": _message(rule, value), "opened_at": opened_at,
    }  # fmt: skip
    pointer = {"PK": PK, "SK": f"OPEN#{rule.kind}", "entity_type": "alert_open",
               "kind": rule.kind, "alert_sk": sk}  # fmt: skip
    jobs = [app.jobs.prepare("alerts.email", alert_sk=sk)]
    if app.settings.alert_webhook_url:
        jobs.append(app.jobs.prepare("alerts.webhook", alert_sk=sk, change="opened"))
    ops: list[TransactOp] = [
        Put(pointer, Condition.not_exists()),
        Put(item, Condition.not_exists()),
    ]
    ops += [Put(job.item, Condition.not_exists()) for job in jobs]
    try:
        await app.store.transact_write(ops)
    except TransactionCanceled:
        return None  # another evaluation opened it first
    for job in jobs:
        app.jobs.start(job)
    log.warning("alert opened", kind=rule.kind, value=value, threshold=rule.threshold)
    return Alert.from_item(item)


async def _resolve(
    app: App, current: dict[str, Any], value: float | None, now: float
) -> Alert | None:
    sk = str(current["alert_sk"])
    fields = {"state": "resolved", "resolved_at": _iso(now), "last_value": value,
              "ttl": int(now) + HISTORY_SECONDS}  # fmt: skip
    ops: list[TransactOp] = [
        Delete(PK, current["SK"], Condition.version_is(int(current["version"]))),
        Update(PK, sk, set=fields, condition=Condition.exists()),
    ]
    job = None
    if app.settings.alert_webhook_url:
        job = app.jobs.prepare("alerts.webhook", alert_sk=sk, change="resolved")
        ops.append(Put(job.item, Condition.not_exists()))
    try:
        await app.store.transact_write(ops)
    except TransactionCanceled:
        return None  # resolved (or changed) by another evaluation meanwhile
    if job is not None:
        app.jobs.start(job)
    log.info("alert resolved", kind=current["kind"])
    item = await app.store.get(PK, sk, consistent=True)
    return None if item is None else Alert.from_item(item)


async def acknowledge(app: App, admin: User, alert_id: str) -> Alert:
    """Mark an open alert as seen; it stays until its condition clears."""
    for alert in await list_alerts(app, limit=500):
        if alert.id == alert_id:
            break
    else:
        raise NotFound("There is no such alert.")
    if alert.state != "open":
        raise Conflict(f"This alert is already {alert.state}.")
    await app.store.update(
        PK, alert.sk,
        set={"state": "acknowledged", "acknowledged_at": clock.now_iso(),
             "acknowledged_by": admin.email, "acknowledged_by_id": admin.id},
        condition=Condition.exists(),
    )  # fmt: skip
    item = await app.store.get(PK, alert.sk, consistent=True)
    assert item is not None
    return Alert.from_item(item)


@task("alerts.email", max_attempts=5, backoff_seconds=60)
async def _email_job(app: App, alert_sk: str) -> None:
    from keyvex.alerts._notify import email_admins

    item = await app.store.get(PK, alert_sk, consistent=True)
    if item is not None:
        await email_admins(app, Alert.from_item(item), await _admin_emails(app))


@task("alerts.webhook", max_attempts=5, backoff_seconds=60)
async def _webhook_job(app: App, alert_sk: str, change: str) -> None:
    from keyvex.alerts._notify import post_webhook

    item = await app.store.get(PK, alert_sk, consistent=True)
    if item is not None:
        await post_webhook(app, Alert.from_item(item), f"alert.{change}")


async def _admin_emails(app: App) -> list[str]:
    """Every active administrator's address (the users index: alerts are rare)."""
    found = []
    async for item in app.store.query_all(USERS_INDEX, index="GSI1"):
        if item.get("entity_type") == "user" and item.get("is_admin"):
            if not item.get("disabled_at"):
                found.append(str(item["email"]))
    return found


@events.on(AccountDeleted, order=60)
async def _forget_admin(app: App, event: AccountDeleted) -> None:
    """Alerts keep that someone acknowledged them, not who, once that account has gone."""
    async for item in app.store.query_all(PK, SK.begins_with("ALERT#")):
        if item.get("acknowledged_by_id") == event.user_id:
            await app.store.update(
                PK, item["SK"], set={"acknowledged_by": "", "acknowledged_by_id": ""}
            )
