"""The ideas process: a configured model answers (and is recorded); a bad answer falls back."""

from __future__ import annotations

import json

import pytest

from keyvex.ai import AIContext, list_usage, tool_ideas, use_models
from keyvex.clock import now_iso

from .test_ai_repair import Script

pytestmark = pytest.mark.anyio


def _idea(kind: str, title: str) -> dict[str, str]:
    return {
        "kind": kind, "title": title, "value": "Visitors see their own figure.",
        "why": "A personal result is worth an email.",
        "brief": f"A {kind.replace('_', ' ')} for dentists: {title}",
    }  # fmt: skip


async def test_a_configured_model_answers_and_sees_the_knowledge_base_ideas(
    ctx: AIContext,
) -> None:
    answer = {"ideas": [_idea("calculator", "What do no-shows cost your practice?"),
                        _idea("assessment", "How GDPR-ready is your practice?"),
                        _idea("outcome_quiz", "Which recall system suits you?")]}  # fmt: skip
    script = Script(json.dumps(answer))
    use_models(ctx.app, "ideas", ("openai:scripted", script.model()))
    ideas = await tool_ideas(ctx, "GDPR for clinics", "dental practices", "GDPR audits")
    assert [i.title for i in ideas] == [i["title"] for i in answer["ideas"]]
    assert all(i.source == "model" for i in ideas)
    sent = json.loads(str(script.seen[0][0].parts[-1].content))  # type: ignore[union-attr]
    assert sent["task"] == "ideas" and sent["starting_points"][0]["source"] == "gdpr-readiness"
    records = await list_usage(ctx.app, now_iso()[:10])
    assert [r["process"] for r in records] == ["ideas"]


async def test_an_invalid_model_answer_leaves_the_knowledge_base_ideas(ctx: AIContext) -> None:
    script = Script(json.dumps({"ideas": [_idea("spreadsheet", "Nope")]}))
    use_models(ctx.app, "ideas", ("openai:scripted", script.model()))
    ideas = await tool_ideas(ctx, "GDPR for clinics", "dental practices", "")
    assert ideas and ideas[0].source == "gdpr-readiness"
    assert len(script.seen) == 2  # one answer and one retry with the validation errors
