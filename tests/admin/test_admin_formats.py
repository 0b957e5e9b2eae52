"""How /admin shows money and addresses: one money format (cents, significant digits under a
cent, consistent axis ticks), addresses that wrap at "@" and ".", and no $0.00 top spender."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from keyvex.admin._views import email, today
from keyvex.admin.charts import axis_money, daily_bars, money
from keyvex.ai.usage_counters import count_call
from tests.conftest import ApiUser


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "–"),
        (0.0, "$0.00"),
        (0.42, "$0.42"),
        (1.0, "$1.00"),
        (1234.567, "$1,234.57"),
        (0.0042, "$0.0042"),
        (0.00012, "$0.00012"),
        (0.0099999, "$0.01"),
        (1e-9, "<$0.000001"),
    ],
)
def test_money_shows_cents_and_two_significant_digits_under_a_cent(
    value: float | None, shown: str
) -> None:
    assert money(value) == shown


@pytest.mark.parametrize(
    ("ticks", "labels"),
    [
        ((0.0, 0.5, 1.0), ["$0.00", "$0.50", "$1.00"]),
        ((0.0, 2.5, 5.0), ["$0.00", "$2.50", "$5.00"]),
        ((0.0, 0.0025, 0.005), ["$0.0000", "$0.0025", "$0.0050"]),
        ((0.0, 10.0, 20.0), ["$0", "$10", "$20"]),
        ((0.0, 5000.0, 10000.0), ["$0", "$5,000", "$10,000"]),
    ],
)
def test_axis_ticks_share_one_number_of_decimals(
    ticks: tuple[float, ...], labels: list[str]
) -> None:
    assert axis_money(ticks) == labels


def test_the_cost_chart_axis_of_an_empty_period_reads_0_50_1_dollars() -> None:
    chart = str(daily_bars([("2026-01-01", 0.0), ("2026-01-02", 0.0)], "AI cost per day"))
    axis = re.findall(r'class="dash-axis" text-anchor="end">(\$[^<]*)<', chart)
    assert axis == ["$0.00", "$0.50", "$1.00"]


@pytest.mark.parametrize(("largest", "ticks"), [(0, ["0", "1", "2"]), (4, ["0", "3", "6"])])
def test_a_count_axis_has_whole_ticks(largest: float, ticks: list[str]) -> None:
    chart = str(daily_bars([("2026-01-01", largest)], "Requests per day", money=False))
    assert re.findall(r'class="dash-axis" text-anchor="end">(\d[^<]*)<', chart)[:3] == ticks


def test_an_address_may_wrap_after_the_at_and_before_each_dot_and_stays_escaped() -> None:
    assert str(email("dana@clinicgrowth.example")) == "dana@<wbr>clinicgrowth<wbr>.example"
    assert str(email('<b>"x"@a.b')) == "&lt;b&gt;&#34;x&#34;@<wbr>a<wbr>.b"
    assert str(email("<not an address>")) == "&lt;not an address&gt;"
    assert str(email(None)) == ""


def _spend(client: TestClient, uid: str, cost: float) -> None:
    app = client.app.state.keyvex  # type: ignore[attr-defined]
    at = (today() - timedelta(days=1)).isoformat() + "T10:00:00+00:00"
    call = {"at": at, "process": "builder", "provider": "offline", "model": "offline",
            "input_tokens": 50, "output_tokens": 900, "cost_usd": cost, "latency_ms": 30,
            "success": True, "user_id": uid}  # fmt: skip
    client.portal.call(count_call, app.store, call)  # type: ignore[union-attr]


def test_when_nobody_spent_anything_no_creator_is_named_the_top_spender(
    admin: ApiUser, creator: ApiUser, client: TestClient
) -> None:
    _spend(client, creator.get("/api/v1/me").json()["id"], 0.0)
    page = admin.client.get("/admin?days=7")
    assert page.status_code == 200, page.text
    assert 'id="kpi-creator">Nobody spent anything<' in page.text
    assert "1 creator used AI at no cost in 7 days" in page.text
    assert "creator@<wbr>example<wbr>.com" in page.text  # still listed in the table below


def test_the_top_spender_is_named_once_something_was_spent(
    admin: ApiUser, creator: ApiUser, client: TestClient
) -> None:
    _spend(client, creator.get("/api/v1/me").json()["id"], 0.0031)
    page = admin.client.get("/admin?days=7")
    assert 'id="kpi-creator" class="adm-email">creator@<wbr>example<wbr>.com<' in page.text
    assert "$0.0031 in 7 days" in page.text
