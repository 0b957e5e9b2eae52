"""The conversation agent streams a model's plain text to the caller as it is written."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from pydantic_ai.messages import ModelMessage, ModelResponse, TextPart, ToolCallPart
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, DeltaToolCalls, FunctionModel

from keyvex.ai import AIContext, ConversationState, next_turn, use_models

pytestmark = pytest.mark.anyio

WORDS = ["Thanks! ", "A recall ", "calculator ", "fits well. "]
TURN = {
    "kind": "question",
    "message": "One question first.",
    "question": {"id": "audience", "prompt": "Who is it for?", "input_type": "text"},
}


def _reply(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
    return ModelResponse(
        parts=[TextPart("".join(WORDS)), ToolCallPart(info.output_tools[0].name, json.dumps(TURN))]
    )


async def _stream(
    messages: list[ModelMessage], info: AgentInfo
) -> AsyncIterator[str | DeltaToolCalls]:
    for word in WORDS:
        yield word
    yield {1: DeltaToolCall(name=info.output_tools[0].name, json_args=json.dumps(TURN))}


SCRIPTED = FunctionModel(_reply, stream_function=_stream)


async def test_text_deltas_reach_the_caller_in_order(ctx: AIContext) -> None:
    use_models(
        ctx.app, "conversation", ("openai:scripted", FunctionModel(_reply, stream_function=_stream))
    )
    seen: list[str] = []

    async def on_text(delta: str) -> None:
        seen.append(delta)

    turn = await next_turn(
        ctx, ConversationState(brief="a dental recall calculator"), on_text=on_text
    )
    assert "".join(seen) == "".join(WORDS)
    assert len(seen) >= 2  # really streamed, not one block at the end
    assert turn.question is not None and turn.question.id == "audience"


async def test_without_a_listener_nothing_is_streamed(ctx: AIContext) -> None:
    use_models(
        ctx.app, "conversation", ("openai:scripted", FunctionModel(_reply, stream_function=_stream))
    )
    turn = await next_turn(ctx, ConversationState(brief="a dental recall calculator"))
    assert turn.message == "One question first."
