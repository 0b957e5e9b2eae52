"""Alert fixtures: the local SMTP server of tests/notify and the webhook receiver of
tests/webhooks, and settings whose site email and alert webhook go to them."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest

from keyvex.settings import Settings
from tests.notify.conftest import Inbox, start_inbox  # noqa: F401 - fixtures used here
from tests.webhooks.conftest import Receiver

SECRET = "whsec_" + base64.b64encode(b"alert-webhook-secret-for-tests!!").decode()


@pytest.fixture
def inbox(start_inbox) -> Inbox:  # noqa: ANN001, F811
    return start_inbox()


@pytest.fixture
def hook() -> Iterator[Receiver]:
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture
def settings(tmp_path: Path, inbox: Inbox, hook: Receiver) -> Settings:
    return Settings(
        env="test",
        data_dir=tmp_path / "data",
        smtp_host="127.0.0.1",
        smtp_port=inbox.port,
        smtp_security="none",
        mail_from="Keyvex <no-reply@keyvex.test>",
        outbound_allow_loopback=True,  # the local webhook receiver
        alert_daily_cost_usd=1.0,
        alert_cost_per_request_usd=5.0,
        alert_min_requests=2,
        alert_webhook_url=hook.url,
        alert_webhook_secret=SECRET,
    )
