"""Every funnel stage counts visits once, so no share passes 100% (issue 13, section 4)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Any

from keyvex.analytics import VIEW_WINDOW_SECONDS, record_event, stat_key, tool_stats
from keyvex.analytics.service import utc_day
from keyvex.leads import LeadSubmission, RequestMeta, submit_lead

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1"


async def _counters(kit: Any, tool_id: str) -> dict[str, Any]:
    return await kit.app.store.get(*stat_key(tool_id, utc_day())) or {}


def _send(kit: Any, tool: Any, ip: str = "192.0.2.1", agent: str = PHONE) -> Any:
    async def send(event: str, step: int | None = None) -> bool:
        return await record_event(kit.app, tool, event, step=step, ip=ip, user_agent=agent)

    return send


def _lead(n: int) -> LeadSubmission:
    return LeadSubmission(
        answers={"investment": 5000},
        contact={"email": f"ada{n}@example.com"},
        consent=True,
        idempotency_key=f"key-{n}".ljust(20, "x"),
        elapsed_ms=30_000,
    )


def _shares(stats: dict[str, Any]) -> list[float]:
    return [row["rate_from_previous"] or 0.0 for row in stats["funnel"]]


def test_reloads_and_second_tabs_start_one_visit_not_many(kit: Any) -> None:
    async def scenario() -> None:
        tool = await kit.publish(await kit.user("owner@example.com"))
        send = _send(kit, tool)
        for _ in range(3):  # three page loads, each runtime beacons its own start
            await send("view")
            await send("start")
            await send("complete")
        got = await _counters(kit, tool.tool_id)
        assert (got["views"], got["starts"], got["completions"]) == (1, 1, 1)

    asyncio.run(scenario())


def test_a_start_after_the_visit_ended_opens_a_new_visit_with_its_view(kit: Any) -> None:
    async def scenario() -> None:
        tool = await kit.publish(await kit.user("owner@example.com"))
        send = _send(kit, tool)
        assert await send("view")
        kit.clock.offset = VIEW_WINDOW_SECONDS + 5  # the tab stayed open; now they answer
        assert await send("start")
        got = await _counters(kit, tool.tool_id)
        assert (got["views"], got["starts"]) == (2, 1)

    asyncio.run(scenario())


def test_a_later_step_or_completion_implies_the_stages_before_it(kit: Any) -> None:
    async def scenario() -> None:
        owner = await kit.user("owner@example.com")
        tool = await kit.publish(owner, "marketing-maturity-scorecard")  # three steps
        send = _send(kit, tool)
        assert await send("step", 2)  # the start beacon and the page view were lost
        got = await _counters(kit, tool.tool_id)
        assert (got["views"], got["starts"], got["step_1"], got["step_2"]) == (1, 1, 1, 1)
        assert await send("complete")
        got = await _counters(kit, tool.tool_id)
        assert (got["step_3"], got["completions"]) == (1, 1)
        today = datetime.now(UTC).date()
        assert max(_shares(await tool_stats(kit.app, owner, tool.tool_id, today, today))) == 100

    asyncio.run(scenario())


def test_two_leads_from_one_visit_are_two_leads_and_one_conversion(kit: Any) -> None:
    async def scenario() -> None:
        owner = await kit.user("owner@example.com")
        tool = await kit.publish(owner)
        await _send(kit, tool)("view")
        meta = RequestMeta("192.0.2.1", PHONE)
        for n in range(2):
            await submit_lead(kit.app, tool, _lead(n), meta)
        today = datetime.now(UTC).date()
        stats = await tool_stats(kit.app, owner, tool.tool_id, today, today)
        totals = stats["totals"]
        assert (totals["leads"], totals["converted"]) == (2, 1)
        # The lead form answers with the result: a lead proves a start and a completion.
        assert (totals["views"], totals["starts"], totals["completions"]) == (1, 1, 1)
        assert all(share <= 100 for share in _shares(stats))

    asyncio.run(scenario())


def test_old_counters_with_more_starts_than_views_show_at_most_100_percent(kit: Any) -> None:
    async def scenario() -> None:
        owner = await kit.user("owner@example.com")
        tool = await kit.publish(owner)
        day = date(2025, 3, 10)
        await kit.app.store.update(
            *stat_key(tool.tool_id, day.isoformat()), add={"views": 10, "starts": 13}
        )
        stats = await tool_stats(kit.app, owner, tool.tool_id, day, day)
        assert stats["funnel"][1] == {"stage": "starts", "count": 13, "rate_from_previous": 100}

    asyncio.run(scenario())
