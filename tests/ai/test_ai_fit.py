"""A model's tool is judged against the brief too: on topic it fits, off topic it does not."""

from __future__ import annotations

import pytest

from keyvex.ai import AIContext, BuildBrief, ConversationState, build_tool, use_models
from keyvex.knowledge import Slots, compose, find_plan, understand
from keyvex.tools import get_template

from .conftest import ProgressLog
from .test_ai_repair import Script, draft

pytestmark = pytest.mark.anyio

GDPR = "A GDPR readiness scorecard for marketing agencies"


async def _built_by_model(ctx: AIContext, progress: ProgressLog, definition: dict) -> dict:
    use_models(ctx.app, "builder", ("openai:scripted", Script(draft(definition)).model()))
    brief = BuildBrief(intent=GDPR, kind="assessment")
    result = await build_tool(ctx, brief, ConversationState(brief=GDPR), progress)
    assert result.report.errors == [] and result.template_id is None
    return result.fit


async def test_a_model_tool_about_another_subject_gets_a_low_fit(
    ctx: AIContext, progress: ProgressLog
) -> None:
    off_topic = get_template("marketing-maturity-scorecard").model_dump(mode="json")
    fit = await _built_by_model(ctx, progress, off_topic)
    assert fit["level"] == "low"
    assert any("gdpr" in m.lower() for m in fit["missing"]), fit


async def test_a_model_tool_on_the_subject_fits(ctx: AIContext, progress: ProgressLog) -> None:
    u = understand(GDPR)
    on_topic = compose(find_plan("gdpr-readiness", u), Slots(audience="marketing agencies"))
    fit = await _built_by_model(ctx, progress, on_topic.model_dump(mode="json"))
    assert fit["level"] in ("high", "medium"), fit
    assert "GDPR readiness" in fit["covered"]
