"""Reading leads: newest first with cursors, CSV export, and only ever the owner's own."""

from __future__ import annotations

import asyncio
import csv
import io
from typing import Any

import pytest

from keyvex.errors import Invalid, NotFound
from keyvex.leads import iter_leads_csv, list_leads, neutralise, submit_lead


async def _collect(export: Any) -> str:
    return "".join([chunk async for chunk in export])


def test_leads_are_listed_newest_first_page_by_page(kit: Any) -> None:
    async def scenario() -> None:
        owner = await kit.user("owner@example.com")
        tool = await kit.publish(owner)
        ids = []
        for n in range(5):
            body = kit.submission(contact={"email": f"v{n}@example.com"})
            ids.append((await submit_lead(kit.app, tool, body, kit.browser))[0].id)
        first = await list_leads(kit.app, owner, tool.tool_id, limit=3)
        assert [lead.id for lead in first.items] == ids[::-1][:3] and first.cursor
        rest = await list_leads(kit.app, owner, tool.tool_id, limit=3, cursor=first.cursor)
        assert [lead.id for lead in rest.items] == ids[::-1][3:] and rest.cursor is None
        assert first.to_json()["leads"][0]["contact"] == {"email": "v4@example.com"}
        with pytest.raises(Invalid):
            await list_leads(kit.app, owner, tool.tool_id, limit=0)

    asyncio.run(scenario())


def test_another_account_can_read_neither_leads_nor_csv(kit: Any) -> None:
    async def scenario() -> None:
        alice, bob = await kit.user("alice@example.com"), await kit.user("bob@example.com")
        tool = await kit.publish(alice)
        await submit_lead(kit.app, tool, kit.submission(), kit.browser)
        assert len((await list_leads(kit.app, alice, tool.tool_id)).items) == 1
        with pytest.raises(NotFound):
            await list_leads(kit.app, bob, tool.tool_id)
        with pytest.raises(NotFound):
            await iter_leads_csv(kit.app, bob, tool.tool_id)
        with pytest.raises(NotFound):
            await _collect(iter_leads_csv(kit.app, bob, tool.tool_id))
        # Bob's own cursor games do not reach Alice's partition either.
        bob_tool = await kit.publish(bob)
        alice_page = await list_leads(kit.app, alice, tool.tool_id, limit=1)
        assert alice_page.cursor is None
        assert (await list_leads(kit.app, bob, bob_tool.tool_id)).items == []

    asyncio.run(scenario())


def test_csv_quotes_properly_and_neutralises_formulas(kit: Any) -> None:
    async def scenario() -> None:
        owner = await kit.user("owner@example.com")
        tool = await kit.publish(owner)
        nasty = {"name": '=HYPERLINK("http://evil","x"), "quoted"\nline', "email": "a@example.com"}
        await submit_lead(kit.app, tool, kit.submission(contact=nasty), kit.browser)
        plain = {"name": "-2+3+cmd|' /C calc'!A0", "email": "b@example.com"}
        await submit_lead(
            kit.app,
            tool,
            kit.submission(contact=plain, utm={"utm_source": "@SUM(A1)"}),
            kit.browser,
        )
        text = await _collect(await iter_leads_csv(kit.app, owner, tool.tool_id))
        rows = list(csv.DictReader(io.StringIO(text)))
        assert [r["Work email"] for r in rows] == ["b@example.com", "a@example.com"]
        assert rows[0]["First name"] == "'-2+3+cmd|' /C calc'!A0"
        assert rows[0]["utm_source"] == "'@SUM(A1)"
        # Contact values are whitespace-normalised on the way in, then quoted by csv.
        assert rows[1]["First name"] == '\'=HYPERLINK("http://evil","x"), "quoted" line'
        assert rows[0]["Total investment"] == "10000" and rows[0]["consent"] == "yes"
        assert "created_at" in rows[0] and rows[0]["lead_id"]

    asyncio.run(scenario())


def test_neutralise_keeps_numbers_and_quotes_everything_else_risky() -> None:
    assert neutralise(-12.5) == "-12.5" and neutralise("-3") == "-3"
    for risky in ("=1+1", "+1", "-1+1", "@x", "\tx", "\rx"):
        assert neutralise(risky) == "'" + risky
    assert neutralise(["a", "=b"]) == "a; =b" and neutralise(None) == ""


def test_empty_csv_has_just_the_header(kit: Any) -> None:
    async def scenario() -> None:
        owner = await kit.user("owner@example.com")
        tool = await kit.publish(owner, "email-marketing-quiz")
        text = await _collect(iter_leads_csv(kit.app, owner, tool.tool_id))
        [header] = list(csv.reader(io.StringIO(text)))
        assert header[:3] == ["created_at", "lead_id", "First name"] and "outcome" in header

    asyncio.run(scenario())
