"""Idempotent submissions: a retry, sequential or racing, returns the first lead, never a copy."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from keyvex.analytics import stat_key
from keyvex.analytics.service import utc_day
from keyvex.leads import submit_lead


def test_lead_retry_returns_first_lead(kit: Any) -> None:
    async def scenario() -> None:
        tool = await kit.publish(await kit.user("owner@example.com"))
        first_try = kit.submission()
        first, _ = await submit_lead(kit.app, tool, first_try, kit.browser)
        changed = {**kit.roi_answers, "investment": 50000}
        retry = kit.submission(idempotency_key=first_try.idempotency_key, answers=changed)
        again, result = await submit_lead(kit.app, tool, retry, kit.browser)
        assert again.id == first.id and again.values == first.values
        assert result.values == first.values  # the result of the stored lead, not the retry
        assert len(await kit.lead_items(tool.tool_id)) == 1
        guard = await kit.app.store.get(f"TOOL#{tool.tool_id}", f"IDEMP#{retry.idempotency_key}")
        assert guard is not None and guard["lead_id"] == first.id
        assert 7 * 86400 - 60 <= guard["ttl"] - time.time() <= 7 * 86400

    asyncio.run(scenario())


def test_twenty_concurrent_retries_store_exactly_one_lead(kit: Any) -> None:
    async def scenario() -> None:
        tool = await kit.publish(await kit.user("owner@example.com"))
        body = kit.submission()
        outcomes = await asyncio.gather(
            *(submit_lead(kit.app, tool, body, kit.browser) for _ in range(20))
        )
        assert len({lead.id for lead, _ in outcomes}) == 1
        assert len(await kit.lead_items(tool.tool_id)) == 1
        stats = await kit.app.store.get(*stat_key(tool.tool_id, utc_day()))
        assert stats is not None and stats["leads"] == 1

    asyncio.run(scenario())


def test_the_same_key_on_another_tool_is_a_new_lead(kit: Any) -> None:
    async def scenario() -> None:
        owner = await kit.user("owner@example.com")
        one, two = await kit.publish(owner), await kit.publish(owner)
        body = kit.submission()
        a, _ = await submit_lead(kit.app, one, body, kit.browser)
        b, _ = await submit_lead(kit.app, two, body, kit.browser)
        assert a.id != b.id and a.tool_id == one.tool_id and b.tool_id == two.tool_id

    asyncio.run(scenario())
