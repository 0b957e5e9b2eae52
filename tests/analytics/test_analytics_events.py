"""Recording events: bots ignored, views de-duplicated without cookies, counters per day."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from contextlib import closing
from typing import Any

import pytest

from keyvex.analytics import VIEW_WINDOW_SECONDS, is_bot, record_event, stat_key
from keyvex.analytics._salt import salt_key
from keyvex.analytics.service import utc_day
from keyvex.errors import Invalid

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1"
DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"


async def _counters(kit: Any, tool_id: str) -> dict[str, Any]:
    return await kit.app.store.get(*stat_key(tool_id, utc_day())) or {}


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "   ",
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "Baiduspider",
        "Mozilla/5.0 (compatible; Yahoo! Slurp)",
        "curl/8.5.0",
        "Wget/1.21",
        "python-requests/2.32",
        "python-httpx/0.28.1",
        "Go-http-client/1.1",
        "facebookexternalhit/1.1",
        "Mozilla/5.0 (compatible; Discordbot/2.0)",
        "SkypeUriPreview Preview/0.5",
        "AhrefsCrawler",
    ],
)
def test_obvious_bots_are_recognised(agent: str) -> None:
    assert is_bot(agent)


@pytest.mark.parametrize(
    "agent", [PHONE, DESKTOP, "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/126.0 Safari/537.36"]
)
def test_people_and_our_headless_browser_tests_are_not_bots(agent: str) -> None:
    assert not is_bot(agent)


def test_bots_are_not_counted(kit: Any) -> None:
    async def scenario() -> None:
        tool = await kit.publish(await kit.user("owner@example.com"))
        for event in ("view", "start", "complete"):
            counted = await record_event(
                kit.app, tool, event, step=None, ip="192.0.2.1", user_agent="Googlebot/2.1"
            )
            assert not counted
        assert await _counters(kit, tool.tool_id) == {}

    asyncio.run(scenario())


def test_a_view_counts_once_per_visitor_per_half_hour(kit: Any) -> None:
    async def scenario() -> None:
        tool = await kit.publish(await kit.user("owner@example.com"))

        async def view(ip: str = "192.0.2.1", agent: str = PHONE) -> bool:
            return await record_event(kit.app, tool, "view", step=None, ip=ip, user_agent=agent)

        assert await view()
        assert not await view()
        assert await view(agent=DESKTOP)  # another browser is another visitor
        assert await view(ip="192.0.2.2")
        kit.clock.offset = VIEW_WINDOW_SECONDS - 60
        assert not await view()
        kit.clock.offset = VIEW_WINDOW_SECONDS + 1
        assert await view()
        assert (await _counters(kit, tool.tool_id))["views"] == 4

    asyncio.run(scenario())


def test_the_same_visitor_viewing_two_tools_counts_on_each(kit: Any) -> None:
    async def scenario() -> None:
        owner = await kit.user("owner@example.com")
        one, two = await kit.publish(owner), await kit.publish(owner)
        for tool in (one, two):
            assert await record_event(kit.app, tool, "view", step=None, ip="1", user_agent=PHONE)

    asyncio.run(scenario())


def test_the_salt_lives_apart_and_is_never_written_with_events(kit: Any) -> None:
    async def scenario() -> None:
        tool = await kit.publish(await kit.user("owner@example.com"))
        await record_event(kit.app, tool, "view", step=None, ip="192.0.2.1", user_agent=PHONE)
        await record_event(kit.app, tool, "step", step=2, ip="192.0.2.1", user_agent=PHONE)
        salt_item = await kit.app.store.get(*salt_key(utc_day()))
        assert salt_item is not None and len(salt_item["salt"]) == 64
        assert 86400 < salt_item["ttl"] - time.time() <= 2 * 86400
        with closing(sqlite3.connect(kit.app.settings.database_path)) as conn:
            rows = conn.execute("SELECT pk, sk, data FROM items").fetchall()
        written = [r for r in rows if r[0] != "SYSTEM"]
        assert all(salt_item["salt"] not in str(r) for r in written)
        assert all("192.0.2.1" not in str(r) and "iPhone" not in str(r) for r in written)
        [marker] = [r for r in written if r[0].startswith("VIEW#")]
        assert marker[1] == "VIEW"

    asyncio.run(scenario())


def test_events_bump_their_own_counters_once_per_visit(kit: Any) -> None:
    async def scenario() -> None:
        tool = await kit.publish(await kit.user("owner@example.com"))
        sent = [("view", None), ("start", None), ("step", 1), ("step", 2), ("complete", None)]
        sent += [("abandon", None)]
        for event, step in sent:
            assert await record_event(kit.app, tool, event, step=step, ip="1", user_agent=PHONE)
        assert not await record_event(kit.app, tool, "step", step=2, ip="1", user_agent=PHONE)
        # Leads are counted when stored, never from a beacon.
        assert not await record_event(kit.app, tool, "lead", step=None, ip="1", user_agent=PHONE)
        got = await _counters(kit, tool.tool_id)
        assert (got["views"], got["starts"], got["step_1"], got["step_2"]) == (1, 1, 1, 1)
        assert (got["completions"], got["abandons"], got.get("leads")) == (1, 1, None)

    asyncio.run(scenario())


@pytest.mark.parametrize(
    ("event", "step"), [("click", None), ("step", None), ("step", 0), ("step", 51), ("step", True)]
)
def test_unknown_events_and_bad_steps_are_invalid(kit: Any, event: str, step: Any) -> None:
    async def scenario() -> None:
        tool = await kit.publish(await kit.user("owner@example.com"))
        with pytest.raises(Invalid):
            await record_event(kit.app, tool, event, step=step, ip="1", user_agent=PHONE)

    asyncio.run(scenario())


def test_event_floods_from_one_address_stop_counting(kit: Any) -> None:
    settings = kit.app.settings.model_copy(update={"event_limit_ip": "5/day"})
    kit.app.settings = settings

    async def scenario() -> None:
        tool = await kit.publish(await kit.user("owner@example.com"))
        counted = [  # eight browsers behind one address: a new visit each
            await record_event(kit.app, tool, "start", step=None, ip="9", user_agent=f"{PHONE} {n}")
            for n in range(8)
        ]
        assert counted == [True] * 5 + [False] * 3

    asyncio.run(scenario())
