"""Webhook deliveries: signed, retried with backoff, logged, and the endpoint disabled at last."""

from __future__ import annotations

import json
import time
from typing import Any

from standardwebhooks import Webhook

from keyvex.accounts import sign_up
from keyvex.webhooks import (
    RETRY_SCHEDULE,
    create_endpoint,
    deliver_due,
    emit,
    list_deliveries,
    list_endpoints,
    resend,
)
from tests.webhooks.conftest import run_in_app


def test_a_receiver_down_three_times_gets_the_lead_on_a_retry(client: Any, receiver: Any) -> None:
    async def setup(app: Any) -> Any:
        user = await sign_up(app, "ada@example.com", "correct horse battery")
        endpoint, secret = await create_endpoint(app, user, receiver.url, ["lead.created"])
        await emit(app, user.id, "lead.created", {"lead_id": "L1", "email": "v@example.com"})
        return user, endpoint, secret

    user, endpoint, secret = run_in_app(client, setup)
    moment = time.time()
    for wait in RETRY_SCHEDULE[:3]:
        moment += wait + 1
        run_in_app(client, lambda app, m=moment: deliver_due(app, now=m))
    assert len(receiver.requests) == 4
    log = run_in_app(client, lambda app: list_deliveries(app, user, endpoint.id))
    assert log[0]["state"] == "delivered"
    assert [a["status_code"] for a in log[0]["attempts"]] == [500, 500, 500, 204]
    assert all(a["ms"] is not None for a in log[0]["attempts"])
    last = receiver.requests[-1]
    payload = Webhook(secret).verify(last["body"], last["headers"])
    assert payload["type"] == "lead.created" and payload["data"]["lead_id"] == "L1"
    ids = {r["headers"]["webhook-id"] for r in receiver.requests}
    assert len(ids) == 1  # every retry carries the same message id


def test_nothing_is_sent_before_its_time(client: Any, receiver: Any) -> None:
    async def setup(app: Any) -> Any:
        user = await sign_up(app, "ada@example.com", "correct horse battery")
        await create_endpoint(app, user, receiver.url, ["lead.created"])
        await emit(app, user.id, "lead.created", {"lead_id": "L1"})

    run_in_app(client, setup)
    assert len(receiver.requests) == 1
    run_in_app(client, lambda app: deliver_due(app, now=time.time() + 1))
    assert len(receiver.requests) == 1


def test_a_delivery_failing_for_a_day_disables_the_endpoint(client: Any, receiver: Any) -> None:
    receiver.fail_first = 10_000

    async def setup(app: Any) -> Any:
        user = await sign_up(app, "ada@example.com", "correct horse battery")
        endpoint, _ = await create_endpoint(app, user, receiver.url, ["lead.created"])
        await emit(app, user.id, "lead.created", {"lead_id": "L1"})
        return user, endpoint

    user, endpoint = run_in_app(client, setup)
    moment = time.time()
    for wait in RETRY_SCHEDULE:
        moment += wait + 1
        run_in_app(client, lambda app, m=moment: deliver_due(app, now=m))
    assert sum(RETRY_SCHEDULE) >= 24 * 3600
    assert len(receiver.requests) == len(RETRY_SCHEDULE) + 1
    endpoints = run_in_app(client, lambda app: list_endpoints(app, user))
    assert endpoints[0].status == "disabled" and "re-enable" in endpoints[0].notice
    assert (
        run_in_app(client, lambda app: emit(app, user.id, "lead.created", {"lead_id": "L2"})) == 0
    )
    log = run_in_app(client, lambda app: list_deliveries(app, user, endpoint.id))
    assert log[0]["state"] == "failed"


def test_a_manual_resend_adds_an_attempt_to_the_log(client: Any, receiver: Any) -> None:
    receiver.fail_first = 0

    async def setup(app: Any) -> Any:
        user = await sign_up(app, "ada@example.com", "correct horse battery")
        endpoint, _ = await create_endpoint(app, user, receiver.url, ["tool.published"])
        await emit(app, user.id, "tool.published", {"tool_id": "T1"})
        return user, endpoint

    user, endpoint = run_in_app(client, setup)
    first = run_in_app(client, lambda app: list_deliveries(app, user, endpoint.id))[0]
    run_in_app(client, lambda app: resend(app, user, endpoint.id, first["id"]))
    again = run_in_app(client, lambda app: list_deliveries(app, user, endpoint.id))[0]
    assert [a["status_code"] for a in again["attempts"]] == [204, 204]
    assert json.loads(receiver.requests[1]["body"])["data"] == {"tool_id": "T1"}


def test_endpoints_only_get_the_events_and_tools_they_asked_for(client: Any, receiver: Any) -> None:
    receiver.fail_first = 0

    async def go(app: Any) -> list[int]:
        user = await sign_up(app, "ada@example.com", "correct horse battery")
        await create_endpoint(app, user, receiver.url, ["lead.created"])
        return [
            await emit(app, user.id, "tool.published", {}),
            await emit(app, user.id, "lead.created", {}, tool_id="any"),
            await emit(app, "someone-else", "lead.created", {}),
        ]

    assert run_in_app(client, go) == [0, 1, 0]
