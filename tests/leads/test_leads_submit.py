"""Submitting a lead: server-side scoring, contact and consent checks, anti-spam, storage."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from pydantic import ValidationError

from keyvex.analytics import stat_key
from keyvex.analytics.service import utc_day
from keyvex.engine import AnswerError, run
from keyvex.errors import Invalid
from keyvex.leads import MIN_FILL_MS, submit_lead


def test_lead_is_stored_with_the_servers_result(kit: Any) -> None:
    async def scenario() -> None:
        owner = await kit.user("owner@example.com")
        tool = await kit.publish(owner)
        lead, result = await submit_lead(kit.app, tool, kit.submission(), kit.browser)
        expected = run(tool.definition, kit.roi_answers)
        assert result.values == expected.values
        [item] = await kit.lead_items(tool.tool_id)
        assert item["SK"] == f"LEAD#{lead.created_at}#{lead.id}"
        assert item["GSI1PK"] == f"USER#{owner.id}#LEADS" and item["GSI1SK"] == lead.created_at
        assert item["values"] == expected.values and item["tool_version"] == tool.version
        assert item["contact"] == {"name": "Ada", "email": "ada@example.com"}
        consent = item["consent"]
        assert consent["given"] and consent["at"] == lead.created_at
        assert consent["text"] == tool.definition.lead_capture.consent_text
        assert item["utm"] == {"utm_source": "newsletter"}
        assert item["user_agent"] == kit.browser.user_agent
        assert lead.to_public_json() == {"id": lead.id, "created_at": lead.created_at}
        stats = await kit.app.store.get(*stat_key(tool.tool_id, utc_day()))
        assert stats is not None and stats["leads"] == 1

    asyncio.run(scenario())


def test_values_sent_by_the_browser_are_ignored(kit: Any) -> None:
    async def scenario() -> None:
        tool = await kit.publish(await kit.user("owner@example.com"))
        forged = {**kit.roi_answers, "roi": 99999, "net_gain": 1e9, "score": 100}
        lead, _ = await submit_lead(kit.app, tool, kit.submission(answers=forged), kit.browser)
        honest = run(tool.definition, kit.roi_answers)
        assert lead.values == honest.values and lead.values["roi"] != 99999
        assert "roi" not in lead.answers and "score" not in lead.answers

    asyncio.run(scenario())


def test_quiz_lead_keeps_score_and_outcome(kit: Any) -> None:
    async def scenario() -> None:
        tool = await kit.publish(await kit.user("owner@example.com"), "email-marketing-quiz")
        answers = tool.definition.test_cases[0].answers
        lead, result = await submit_lead(
            kit.app, tool, kit.submission(answers=answers), kit.browser
        )
        assert lead.score == 100 and lead.scores == {"total": 7, "max": 7, "percent": 100}
        assert result.outcome is not None and lead.outcome_id == result.outcome.id == "pro"

    asyncio.run(scenario())


def test_bad_email_missing_consent_and_bad_answers_are_field_errors(kit: Any) -> None:
    async def scenario() -> None:
        tool = await kit.publish(await kit.user("owner@example.com"))
        bad = kit.submission(
            answers={"investment": "lots"}, contact={"email": "not-an-email"}, consent=False
        )
        with pytest.raises(AnswerError) as caught:
            await submit_lead(kit.app, tool, bad, kit.browser)
        assert {"investment", "contact.email", "consent"} <= caught.value.fields.keys()
        missing = kit.submission(contact={"name": "Ada"})
        with pytest.raises(Invalid) as caught_missing:
            await submit_lead(kit.app, tool, missing, kit.browser)
        assert set(caught_missing.value.fields) == {"contact.email"}
        assert await kit.lead_items(tool.tool_id) == []

    asyncio.run(scenario())


@pytest.mark.parametrize(
    "trap", [{"website": "http://spam.example"}, {"elapsed_ms": MIN_FILL_MS - 1}]
)
def test_honeypot_or_too_fast_gets_a_result_but_stores_nothing(
    kit: Any, trap: dict[str, Any]
) -> None:
    async def scenario() -> None:
        tool = await kit.publish(await kit.user("owner@example.com"))
        lead, result = await submit_lead(kit.app, tool, kit.submission(**trap), kit.browser)
        assert lead.id and result.values == run(tool.definition, kit.roi_answers).values
        assert await kit.lead_items(tool.tool_id) == []
        page = await kit.app.store.query(f"TOOL#{tool.tool_id}")
        assert not [i for i in page.items if i["SK"].startswith(("IDEMP#", "STAT#"))]

    asyncio.run(scenario())


def test_a_tool_without_lead_capture_refuses_submissions(kit: Any) -> None:
    async def scenario() -> None:
        tool = await kit.publish(await kit.user("owner@example.com"))
        definition = tool.definition.model_copy(deep=True)
        definition.lead_capture.mode = "off"
        off = type(tool)(**{**_fields(tool), "definition": definition})
        with pytest.raises(Invalid, match="does not collect"):
            await submit_lead(kit.app, off, kit.submission(), kit.browser)

    asyncio.run(scenario())


def _fields(tool: Any) -> dict[str, Any]:
    return {name: getattr(tool, name) for name in tool.__dataclass_fields__}


def test_submission_model_refuses_extras_and_bad_keys_and_trims_tracking(kit: Any) -> None:
    with pytest.raises(ValidationError):
        kit.submission(values={"roi": 1})
    for key in ("short", "x" * 65, "has space in it!!"):
        with pytest.raises(ValidationError):
            kit.submission(idempotency_key=key)
    with pytest.raises(ValidationError):
        kit.submission(answers={f"q{i}": i for i in range(201)})
    with pytest.raises(ValidationError):
        kit.submission(contact={"email": "a" * 501})
    tracked = kit.submission(
        utm={"utm_source": "s" * 500, "utm_medium": "m", "gclid": "x"}, referrer="r" * 5000
    )
    assert tracked.utm == {"utm_source": "s" * 200, "utm_medium": "m"}
    assert len(tracked.referrer) == 2000
