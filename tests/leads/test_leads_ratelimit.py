"""Rate limits on submissions: per IP address and per tool."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import pytest

from keyvex.leads import LeadRejected, RequestMeta, submit_lead


def _limited(kit: Any, **rules: str) -> Any:
    settings = kit.app.settings.model_copy(update=rules)
    kit.app = dataclasses.replace(kit.app, settings=settings)
    return kit


def test_one_address_is_limited(kit: Any) -> None:
    kit = _limited(kit, lead_limit_ip="3/day")

    async def scenario() -> None:
        tool = await kit.publish(await kit.user("owner@example.com"))
        for _ in range(3):
            await submit_lead(kit.app, tool, kit.submission(), kit.browser)
        with pytest.raises(LeadRejected) as caught:
            await submit_lead(kit.app, tool, kit.submission(), kit.browser)
        assert caught.value.status == 429 and caught.value.retry_after >= 1
        other = RequestMeta(ip="198.51.100.9", user_agent=kit.browser.user_agent)
        await submit_lead(kit.app, tool, kit.submission(), other)

    asyncio.run(scenario())


def test_one_tool_is_limited_across_addresses(kit: Any) -> None:
    kit = _limited(kit, lead_limit_tool="4/day")

    async def scenario() -> None:
        owner = await kit.user("owner@example.com")
        tool, other_tool = await kit.publish(owner), await kit.publish(owner)
        for n in range(4):
            meta = RequestMeta(ip=f"198.51.100.{n}", user_agent="Mozilla/5.0")
            await submit_lead(kit.app, tool, kit.submission(), meta)
        with pytest.raises(LeadRejected):
            await submit_lead(kit.app, tool, kit.submission(), RequestMeta("192.0.2.1", "M"))
        await submit_lead(kit.app, other_tool, kit.submission(), RequestMeta("192.0.2.1", "M"))

    asyncio.run(scenario())


def test_default_address_limit_trips(kit: Any) -> None:
    async def scenario() -> None:
        tool = await kit.publish(await kit.user("owner@example.com"))
        with pytest.raises(LeadRejected):
            for _ in range(100):
                body = kit.submission(website="bot")  # not stored: keeps the test quick
                await submit_lead(kit.app, tool, body, kit.browser)

    asyncio.run(scenario())


def test_a_lead_is_taken_when_its_rate_limits_cannot_be_checked(kit: Any) -> None:
    """Limits in a Redis that went away: the lead is stored (with a warning), not lost."""
    from keyvex.ratelimit import RateLimiter
    from keyvex.store import SK

    kit.app = dataclasses.replace(kit.app, limiter=RateLimiter("redis://127.0.0.1:1"))

    async def scenario() -> None:
        tool = await kit.publish(await kit.user("owner@example.com"))
        lead, _ = await submit_lead(kit.app, tool, kit.submission(), kit.browser)
        stored = kit.app.store.query_all(f"TOOL#{tool.tool_id}", SK.begins_with("LEAD#"))
        assert [item["lead_id"] async for item in stored] == [lead.id]
        await kit.app.limiter.aclose()

    asyncio.run(scenario())
