"""The rules that watch jobs and data sources, and what account deletion leaves of an alert."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from keyvex import clock
from keyvex.accounts import sign_up
from keyvex.accounts.deletion import delete_account
from keyvex.alerts import acknowledge, evaluate, list_alerts
from keyvex.app import App, build_app
from keyvex.data.service import FAILING_INDEX
from keyvex.errors import ConfigError
from keyvex.jobs import task
from keyvex.settings import Settings, load_settings
from tests.notify.conftest import Inbox


@task("tests.alerts.always_fails", max_attempts=1)
async def _always_fails(app: App) -> None:
    raise RuntimeError("the far end is down")


def run(settings: Settings, scenario: Any) -> None:
    async def main() -> None:
        app = build_app(settings)
        try:
            await scenario(app)
        finally:
            await app.jobs.aclose(timeout=5)
            app.close()

    asyncio.run(main())


def test_a_job_given_up_and_a_failing_source_open_their_alerts(
    settings: Settings, inbox: Inbox
) -> None:
    async def scenario(app: App) -> None:
        await sign_up(app, "ops@example.com", "correct horse battery", admin=True)
        await app.jobs.submit("tests.alerts.always_fails")
        await app.jobs.wait_idle()
        # A source whose last sync failed sits in the failing index (keyvex.data.service).
        await app.store.put({"PK": "USER#u1", "SK": "DATA_SOURCE#d1", "entity_type": "data_source",
                             "GSI2PK": FAILING_INDEX, "GSI2SK": clock.now_iso()})  # fmt: skip
        opened = {a.kind: a for _, a in await evaluate(app)}
        assert set(opened) == {"job_failures", "failing_sources"}
        assert opened["job_failures"].message.startswith("Jobs given up (last 24 hours) is 1,")
        # A day later the dead letter is older than the window: that alert resolves.
        changes = await evaluate(app, now=clock.now() + 86_400 + 60)
        assert [(what, a.kind) for what, a in changes] == [("resolved", "job_failures")]

    run(settings, scenario)


def test_an_acknowledging_admin_who_goes_is_forgotten(settings: Settings, inbox: Inbox) -> None:
    async def scenario(app: App) -> None:
        await sign_up(app, "first@example.com", "correct horse battery", admin=True)
        second = await sign_up(app, "second@example.com", "correct horse battery", admin=True)
        await app.jobs.submit("tests.alerts.always_fails")
        await app.jobs.wait_idle()
        [(_, alert)] = await evaluate(app)
        await acknowledge(app, second, alert.id)
        await delete_account(app, second)
        [kept] = await list_alerts(app)
        assert kept.state == "acknowledged" and kept.acknowledged_by == ""
        assert kept.acknowledged_at is not None

    run(settings, scenario)


def test_an_alert_webhook_needs_its_signing_secret(tmp_path: Any) -> None:
    url = "https://hooks.example.com/keyvex"
    with pytest.raises(ConfigError, match="KEYVEX_ALERT_WEBHOOK_SECRET: .*is required"):
        load_settings(data_dir=tmp_path, alert_webhook_url=url)
    with pytest.raises(ConfigError, match="whsec_ followed by base64"):
        load_settings(data_dir=tmp_path, alert_webhook_url=url, alert_webhook_secret="whsec_!!")
