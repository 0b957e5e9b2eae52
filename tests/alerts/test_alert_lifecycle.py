"""An alert's life with an injected clock: open -> one email and one signed webhook -> still
open, nothing sent again -> acknowledged -> the day's cost falls back -> resolved; history."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from email.message import Message

from standardwebhooks import Webhook

from keyvex import clock
from keyvex.accounts import sign_up
from keyvex.ai import AIContext
from keyvex.ai.usage import record_call
from keyvex.alerts import acknowledge, evaluate, list_alerts, list_rules, save_rule
from keyvex.app import App, build_app
from keyvex.settings import Settings
from tests.alerts.conftest import SECRET
from tests.notify.conftest import Inbox
from tests.webhooks.conftest import Receiver


def plain_text(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return str(part.get_payload(decode=True).decode())
    return ""


def call(cost: float, ok: bool = True, fallback: bool = False) -> dict[str, object]:
    return {"process": "builder", "provider": "openai", "model": "gpt-4o", "cost_usd": cost,
            "input_tokens": 100, "output_tokens": 50, "success": ok, "fallback_used": fallback,
            "latency_ms": 800.0, "error_kind": None if ok else "timeout"}  # fmt: skip


async def spend(app: App, *costs: float) -> None:
    for cost in costs:
        await record_call(AIContext(app), call(cost))


def run(settings: Settings, scenario) -> None:  # noqa: ANN001
    async def main() -> None:
        app = build_app(settings)
        try:
            await scenario(app)
        finally:
            await app.jobs.aclose(timeout=5)
            app.close()

    asyncio.run(main())


def test_daily_cost_alert_opens_once_is_acknowledged_and_resolves(
    settings: Settings, inbox: Inbox, hook: Receiver
) -> None:
    async def scenario(app: App) -> None:
        admin = await sign_up(app, "ops@example.com", "correct horse battery", admin=True)
        await sign_up(app, "creator@example.com", "correct horse battery")
        t0 = clock.now()
        assert await evaluate(app, now=t0) == []  # nothing spent yet
        await spend(app, 0.6, 0.7)  # $1.30 today, budget $1.00
        changes = await evaluate(app, now=t0 + 60)
        assert [(what, a.kind) for what, a in changes] == [("opened", "daily_cost")]
        await app.jobs.wait_idle()
        assert len(inbox.messages) == 1
        mail = inbox.messages[0]
        assert mail["To"] == "ops@example.com"  # administrators only
        assert mail["Subject"] == "Keyvex alert: AI cost today (UTC)"
        assert "$1.30, above the threshold of $1.00" in plain_text(mail)
        assert len(hook.requests) == 1
        sent = hook.requests[0]
        payload = Webhook(SECRET).verify(sent["body"], sent["headers"])
        assert payload["type"] == "alert.opened" and payload["data"]["state"] == "open"

        await spend(app, 0.5)  # still above: the same alert, a newer value, no second email
        assert await evaluate(app, now=t0 + 120) == []
        await app.jobs.wait_idle()
        assert len(inbox.messages) == 1 and len(hook.requests) == 1
        [alert] = await list_alerts(app)
        assert alert.state == "open" and alert.value == 1.3
        assert alert.last_value == 1.8

        acked = await acknowledge(app, admin, alert.id)
        assert acked.state == "acknowledged" and acked.acknowledged_by == "ops@example.com"
        assert await evaluate(app, now=t0 + 180) == []  # acknowledged, still above: stays

        # The next UTC day has spent nothing: the condition has cleared.
        tomorrow = datetime.fromtimestamp(t0, UTC).date() + timedelta(days=1)
        later = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 0, 5, tzinfo=UTC)
        changes = await evaluate(app, now=later.timestamp())
        assert [(what, a.state) for what, a in changes] == [("resolved", "resolved")]
        await app.jobs.wait_idle()
        assert len(inbox.messages) == 1  # resolution goes to the webhook only
        resolved = json.loads(hook.requests[-1]["body"])
        assert resolved["type"] == "alert.resolved"

        [history] = await list_alerts(app)
        assert history.state == "resolved" and history.resolved_at is not None
        assert history.resolved_at.startswith(tomorrow.isoformat())
        assert history.acknowledged_by == "ops@example.com" and history.last_value == 0.0

        # A new breach later opens a new alert (and a new email); the old one stays history.
        assert [a.state for a in await list_alerts(app)] == ["resolved"]

    run(settings, scenario)


def test_rates_need_enough_requests_and_rules_can_be_changed_or_switched_off(
    settings: Settings, inbox: Inbox
) -> None:
    async def scenario(app: App) -> None:
        admin = await sign_up(app, "ops@example.com", "correct horse battery", admin=True)
        await record_call(AIContext(app), call(0.0, ok=False))
        t0 = clock.now()
        assert await evaluate(app, now=t0) == []  # 1 request < alert_min_requests (2)
        await record_call(AIContext(app), call(0.0, ok=False, fallback=True))
        opened = {a.kind for _, a in await evaluate(app, now=t0 + 60)}
        assert opened == {"error_rate", "fallback_rate"}
        # the error-rate rule switched off: its alert resolves at the next evaluation
        await save_rule(app, admin, "error_rate", "0.2", enabled=False)
        changes = await evaluate(app, now=t0 + 120)
        assert [(what, a.kind) for what, a in changes] == [("resolved", "error_rate")]
        rules = {r.kind: r for r in await list_rules(app)}
        assert rules["error_rate"].enabled is False and rules["error_rate"].customised
        assert rules["daily_cost"].threshold == 1.0 and not rules["daily_cost"].customised

    run(settings, scenario)


def test_two_evaluations_at_once_open_one_alert(settings: Settings, inbox: Inbox) -> None:
    async def scenario(app: App) -> None:
        await sign_up(app, "ops@example.com", "correct horse battery", admin=True)
        await spend(app, 2.0)
        now = clock.now()
        results = await asyncio.gather(*(evaluate(app, now=now) for _ in range(4)))
        assert sum(len(r) for r in results) == 1
        await app.jobs.wait_idle()
        assert len(inbox.messages) == 1

    run(settings, scenario)
