"""The builder and editor repair loops: malformed, schema-invalid and failing tools are fed back."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pydantic_ai.messages import ModelMessage, ModelRequest, ModelResponse, ToolCallPart
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, DeltaToolCalls, FunctionModel

from keyvex.ai import (
    AIContext,
    BuildBrief,
    ConversationState,
    build_tool,
    edit_tool,
    list_usage,
    use_models,
)
from keyvex.clock import now_iso
from keyvex.errors import Invalid
from keyvex.tools import get_template

from .conftest import ProgressLog

pytestmark = pytest.mark.anyio

BRIEF = BuildBrief(intent="Break-even calculator for restaurants", kind="calculator")
STATE = ConversationState(brief=BRIEF.intent)


def good_tool() -> dict[str, Any]:
    tool = get_template("break-even-calculator").model_dump(mode="json")
    tool["title"] = "Restaurant break-even calculator"
    return tool


def schema_invalid() -> dict[str, Any]:
    tool = good_tool()
    tool["kind"] = "spreadsheet"
    return tool


def failing_verification() -> dict[str, Any]:
    tool = good_tool()
    tool["calculations"][0]["formula"] = "price - missing_cost"
    return tool


class Script:
    """A FunctionModel body answering with the next scripted argument text each call."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.seen: list[list[ModelMessage]] = []

    def _next(self, messages: list[ModelMessage]) -> str:
        self.seen.append(list(messages))
        return self.answers[min(len(self.seen), len(self.answers)) - 1]

    def __call__(self, messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        args = self._next(messages)
        return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, args)])

    async def stream(
        self, messages: list[ModelMessage], info: AgentInfo
    ) -> AsyncIterator[DeltaToolCalls]:
        args = self._next(messages)
        name = info.output_tools[0].name
        for start in range(0, len(args), 500):
            yield {
                0: DeltaToolCall(
                    name=name if not start else None, json_args=args[start : start + 500]
                )
            }

    def model(self) -> FunctionModel:
        return FunctionModel(self, stream_function=self.stream)

    def retry_texts(self) -> list[str]:
        """What came back to the model after each of its answers (the repair feedback)."""
        requests = [m for m in self.seen[-1] if isinstance(m, ModelRequest)][1:]
        return [str(getattr(p, "content", "")) for m in requests for p in m.parts]


def draft(definition: dict[str, Any]) -> str:
    return json.dumps({"definition": definition, "notes": "scripted"})


async def test_repair_loop_recovers_on_the_third_try(ctx: AIContext, progress: ProgressLog) -> None:
    script = Script('{"definition": {"title": "oops"', draft(schema_invalid()), draft(good_tool()))
    use_models(ctx.app, "builder", ("openai:scripted", script.model()))
    result = await build_tool(ctx, BRIEF, STATE, progress)
    assert (result.attempts, result.fell_back, result.template_id) == (3, False, None)
    assert result.definition.title == "Restaurant break-even calculator"
    assert result.report.errors == []
    fed_back = script.retry_texts()
    assert "json_invalid" in fed_back[0] and "spreadsheet" in fed_back[1]


async def test_verification_errors_are_fed_back_to_the_model(
    ctx: AIContext, progress: ProgressLog
) -> None:
    script = Script(draft(failing_verification()), draft(good_tool()))
    use_models(ctx.app, "builder", ("openai:scripted", script.model()))
    result = await build_tool(ctx, BRIEF, STATE, progress)
    assert result.attempts == 2 and not result.fell_back
    feedback = script.retry_texts()[-1]
    assert "failed verification" in feedback and "missing_cost" in feedback
    assert "repairing" in progress.stages


async def test_three_failures_fall_back_to_the_offline_knowledge_base(
    ctx: AIContext, progress: ProgressLog
) -> None:
    script = Script("{not json", draft(schema_invalid()), draft(failing_verification()))
    use_models(ctx.app, "builder", ("openai:scripted", script.model()))
    result = await build_tool(ctx, BRIEF, STATE, progress)
    assert result.fell_back and result.attempts == 3
    assert result.template_id is not None and result.report.errors == []
    assert result.definition.kind == "calculator"
    assert set(result.fit) == {"level", "covered", "missing"}
    assert "did not pass verification after 3 tries" in result.explanation
    assert len(script.seen) == 3
    records = await list_usage(ctx.app, now_iso()[:10])
    assert [r["provider"] for r in records] == ["openai"] * 3


def proposal(**fields: Any) -> str:
    return json.dumps({"summary": "scripted", **fields})


async def test_editor_patch_that_does_not_apply_is_retried(
    ctx: AIContext, progress: ProgressLog
) -> None:
    tool = get_template("break-even-calculator")
    script = Script(
        proposal(patch=[{"op": "replace", "path": "/nope/0", "value": 1}]),
        proposal(patch=[{"op": "replace", "path": "/theme/text", "value": "#ffffff"}]),
        proposal(patch=[{"op": "replace", "path": "/title", "value": "Break even, fast"}]),
    )
    use_models(ctx.app, "editor", ("anthropic:scripted", script.model()))
    result = await edit_tool(ctx, tool, "a snappier title", progress)
    assert result.definition.title == "Break even, fast"
    assert "does not apply" in " ".join(str(m) for m in script.seen[1])
    assert "low_contrast" in script.retry_texts()[-1]


async def test_editor_full_definition_gets_a_patch_and_is_verified(
    ctx: AIContext, progress: ProgressLog
) -> None:
    tool = get_template("break-even-calculator")
    changed = tool.model_dump(mode="json") | {"currency": "EUR"}
    use_models(ctx.app, "editor", ("openai:x", Script(proposal(definition=changed)).model()))
    result = await edit_tool(ctx, tool, "euros please", progress)
    assert result.patch == [{"op": "replace", "path": "/currency", "value": "EUR"}]


async def test_editor_gives_up_after_three_failing_changes(
    ctx: AIContext, progress: ProgressLog
) -> None:
    bad = proposal(patch=[{"op": "replace", "path": "/theme/text", "value": "#ffffff"}])
    use_models(ctx.app, "editor", ("openai:x", Script(bad).model()))
    with pytest.raises(Invalid, match="after 3 tries"):
        await edit_tool(ctx, get_template("break-even-calculator"), "white text", progress)
