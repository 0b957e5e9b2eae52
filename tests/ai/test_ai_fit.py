"""A model's tool is judged against the brief too: on topic it fits, off topic it does not."""

from __future__ import annotations

import json

import pytest

from keyvex.ai import AIContext, BuildBrief, ConversationState, build_tool, use_models
from keyvex.formula import FUNCTIONS
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


async def test_a_model_builder_gets_the_language_reference_and_the_closest_examples(
    ctx: AIContext, progress: ProgressLog
) -> None:
    u = understand(GDPR)
    on_topic = compose(find_plan("gdpr-readiness", u), Slots(audience="marketing agencies"))
    script = Script(draft(on_topic.model_dump(mode="json")))
    use_models(ctx.app, "builder", ("openai:scripted", script.model()))
    brief = BuildBrief(intent=GDPR, kind="assessment")
    await build_tool(ctx, brief, ConversationState(brief=GDPR), progress)
    request = script.seen[0][0]
    instructions = str(getattr(request, "instructions", ""))
    for name in FUNCTIONS:  # every function of the registry is described
        assert f"- {name}" in instructions or f"- {name}(" in instructions, name
    assert "table_recommendations" in instructions and '"formula":' in instructions
    sent = json.loads(str(request.parts[-1].content))  # type: ignore[union-attr]
    assert sent["examples"] and sent["examples"][0]["title"].startswith("How GDPR-ready")
