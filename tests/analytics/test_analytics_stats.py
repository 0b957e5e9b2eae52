"""Tool statistics: zero-filled days, totals, funnel and step drop-off, for the owner only."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from keyvex.analytics import record_event, stat_key, tool_stats
from keyvex.errors import Invalid, NotFound
from keyvex.leads import LeadSubmission, RequestMeta, submit_lead

DAY = date(2025, 3, 10)


async def _seed(kit: Any, tool_id: str, day: date, **counts: int) -> None:
    await kit.app.store.update(*stat_key(tool_id, day.isoformat()), add=counts)


def test_stats_fill_missing_days_with_zeros_and_sum_totals(kit: Any) -> None:
    async def scenario() -> None:
        owner = await kit.user("owner@example.com")
        tool = await kit.publish(owner)
        await _seed(kit, tool.tool_id, DAY, views=10, starts=6, completions=4, leads=2)
        await _seed(kit, tool.tool_id, DAY + timedelta(2), views=5, starts=2, abandons=1)
        await _seed(kit, tool.tool_id, DAY + timedelta(9), views=99)  # outside the range
        stats = await tool_stats(
            kit.app, owner, tool.tool_id, DAY - timedelta(1), DAY + timedelta(3)
        )
        assert [d["date"] for d in stats["days"]] == [
            (DAY + timedelta(n)).isoformat() for n in range(-1, 4)
        ]
        assert [d["views"] for d in stats["days"]] == [0, 10, 0, 5, 0]
        assert stats["days"][0] == {
            "date": (DAY - timedelta(1)).isoformat(),
            "views": 0,
            "starts": 0,
            "completions": 0,
            "converted": 0,
            "leads": 0,
            "abandons": 0,
        }
        assert stats["totals"] == {
            "views": 15, "starts": 8, "completions": 4, "converted": 0, "leads": 2, "abandons": 1
        }  # fmt: skip

    asyncio.run(scenario())


def test_funnel_and_step_drop_off(kit: Any) -> None:
    async def scenario() -> None:
        owner = await kit.user("owner@example.com")
        tool = await kit.publish(owner, "marketing-maturity-scorecard")  # three steps
        assert len(tool.definition.steps) == 3
        await _seed(kit, tool.tool_id, DAY, views=200, starts=100, step_1=100, step_2=80)
        await _seed(kit, tool.tool_id, DAY + timedelta(1), step_2=0, step_3=50, completions=40)
        await _seed(kit, tool.tool_id, DAY + timedelta(1), leads=12, converted=10)
        stats = await tool_stats(kit.app, owner, tool.tool_id, DAY, DAY + timedelta(1))
        funnel = [(s["stage"], s["count"], s["rate_from_previous"]) for s in stats["funnel"]]
        assert funnel == [
            ("views", 200, None),
            ("starts", 100, 50.0),
            ("step 1", 100, 100.0),
            ("step 2", 80, 80.0),
            ("step 3", 50, 62.5),
            ("completions", 40, 80.0),
            ("leads", 10, 25.0),
        ]
        assert stats["steps"] == [
            {"step": 1, "reached": 100, "drop_off_pct": 0.0},
            {"step": 2, "reached": 80, "drop_off_pct": 20.0},
            {"step": 3, "reached": 50, "drop_off_pct": 37.5},
        ]

    asyncio.run(scenario())


def test_empty_stats_have_no_rates_to_divide_by_zero(kit: Any) -> None:
    async def scenario() -> None:
        owner = await kit.user("owner@example.com")
        tool = await kit.publish(owner)
        stats = await tool_stats(kit.app, owner, tool.tool_id, DAY, DAY)
        assert [s["stage"] for s in stats["funnel"]] == [
            "views", "starts", "completions", "leads"
        ]  # fmt: skip
        assert all(s["count"] == 0 and s["rate_from_previous"] is None for s in stats["funnel"])
        assert stats["steps"] == []

    asyncio.run(scenario())


def test_ranges_must_be_forwards_and_at_most_a_year(kit: Any) -> None:
    async def scenario() -> None:
        owner = await kit.user("owner@example.com")
        tool = await kit.publish(owner)
        await tool_stats(kit.app, owner, tool.tool_id, DAY, DAY + timedelta(365))
        with pytest.raises(Invalid):
            await tool_stats(kit.app, owner, tool.tool_id, DAY, DAY + timedelta(366))
        with pytest.raises(Invalid):
            await tool_stats(kit.app, owner, tool.tool_id, DAY, DAY - timedelta(1))

    asyncio.run(scenario())


def test_another_account_cannot_read_the_stats(kit: Any) -> None:
    async def scenario() -> None:
        alice, bob = await kit.user("alice@example.com"), await kit.user("bob@example.com")
        tool = await kit.publish(alice)
        await _seed(kit, tool.tool_id, DAY, views=3)
        assert (await tool_stats(kit.app, alice, tool.tool_id, DAY, DAY))["totals"]["views"] == 3
        with pytest.raises(NotFound):
            await tool_stats(kit.app, bob, tool.tool_id, DAY, DAY)

    asyncio.run(scenario())


def test_recorded_events_and_stored_leads_show_up_today(kit: Any) -> None:
    async def scenario() -> None:
        owner = await kit.user("owner@example.com")
        tool = await kit.publish(owner)
        agent = "Mozilla/5.0 (Android 14) Chrome/126.0 Mobile"
        for event in ("view", "start", "complete"):
            await record_event(kit.app, tool, event, step=None, ip="192.0.2.8", user_agent=agent)
        body = LeadSubmission(
            answers={"investment": 5000},
            contact={"email": "ada@example.com"},
            consent=True,
            idempotency_key="k" * 20,
            elapsed_ms=30_000,
        )
        await submit_lead(kit.app, tool, body, RequestMeta("192.0.2.8", agent))
        today = datetime.now(UTC).date()
        stats = await tool_stats(kit.app, owner, tool.tool_id, today, today)
        assert stats["totals"] == {
            "views": 1, "starts": 1, "completions": 1, "converted": 1, "leads": 1, "abandons": 0
        }  # fmt: skip

    asyncio.run(scenario())
