"""The offline planner as a real pydantic-ai model: it answers the agents' JSON requests."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    ToolCallPart,
    UserPromptPart,
)
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, DeltaToolCalls, FunctionModel
from pydantic_ai.usage import RequestUsage

from keyvex.ai.models import BuildBrief, ConversationState
from keyvex.ai.planner import _conversation

MODEL_NAME = "keyvex-planner"
CHUNK = 2048


def offline_model() -> FunctionModel:
    """The planner model; deterministic, free, no network."""
    return FunctionModel(_respond, stream_function=_stream, model_name=MODEL_NAME)


def request_payload(messages: list[ModelMessage]) -> dict[str, Any]:
    """The JSON document of the latest user prompt (the agents always send one)."""
    for message in reversed(messages):
        if isinstance(message, ModelRequest):
            for part in message.parts:
                if isinstance(part, UserPromptPart) and isinstance(part.content, str):
                    return dict(json.loads(part.content))
    raise ValueError("The offline planner needs a JSON request from a Keyvex agent.")


def answer(payload: dict[str, Any]) -> dict[str, Any]:
    """Dispatch on the request's task."""
    task = payload.get("task")
    if task == "conversation":
        state = ConversationState.model_validate(payload["state"])
        return _conversation.next_turn(state).model_dump(mode="json")
    if task == "build":
        brief = BuildBrief.model_validate(payload["brief"])
        state = ConversationState.model_validate(payload["state"])
        return _conversation.build(brief, state)
    if task == "edit":
        return _conversation.edit(payload["definition"], payload["request"])
    raise ValueError(f"The offline planner does not know the task {task!r}.")


def _call(messages: list[ModelMessage], info: AgentInfo) -> tuple[str, str, int]:
    payload = request_payload(messages)
    args = json.dumps(answer(payload))
    tokens_in = (len(json.dumps(payload)) + len(info.instructions or "")) // 4
    return info.output_tools[0].name, args, tokens_in


def _respond(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
    name, args, tokens_in = _call(messages, info)
    return ModelResponse(
        parts=[ToolCallPart(name, args)],
        usage=RequestUsage(input_tokens=tokens_in, output_tokens=len(args) // 4),
        model_name=MODEL_NAME,
        provider_name="offline",
    )


async def _stream(messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[DeltaToolCalls]:
    # Off the event loop, as pydantic-ai runs the non-streamed function: composing and
    # verifying a tool is CPU work that would hold up every other request of the process.
    name, args, _ = await asyncio.to_thread(_call, messages, info)
    for start in range(0, len(args), CHUNK):
        delta = DeltaToolCall(
            name=name if start == 0 else None, json_args=args[start : start + CHUNK]
        )
        yield {0: delta}
