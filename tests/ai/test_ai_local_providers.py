"""The OpenAI and Anthropic paths through the real SDKs, against a wire server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pydantic_ai.models
import pytest

from keyvex.ai import (
    AIContext,
    BuildBrief,
    ConversationState,
    build_tool,
    edit_tool,
    list_usage,
    next_turn,
)
from keyvex.app import App
from keyvex.clock import now_iso
from keyvex.tools import get_template

from ._wire import USAGE_IN, USAGE_OUT, WireServer, wire_server
from .conftest import ProgressLog, make_app

pytestmark = pytest.mark.anyio

REGISTRY = """
[defaults]
retries = 0
timeout = 20.0
[processes.conversation]
primary = "openai:gpt-4o-mini"
fallback = "anthropic:claude-3-5-haiku-latest"
[processes.builder]
primary = "anthropic:claude-3-5-haiku-latest"
fallback = "openai:gpt-4o-mini"
[processes.editor]
primary = "openai:gpt-4o-mini"
fallback = "anthropic:claude-3-5-haiku-latest"
"""


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[WireServer]:
    monkeypatch.setattr(pydantic_ai.models, "ALLOW_MODEL_REQUESTS", True)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    with wire_server() as running:
        yield running


def wired_app(tmp_path: Path, server: WireServer, **extra: Any) -> App:
    registry = tmp_path / "registry.toml"
    registry.write_text(REGISTRY)
    return make_app(
        tmp_path,
        openai_api_key="sk-local-test",
        openai_base_url=f"{server.url}/v1",
        anthropic_api_key="sk-ant-local-test",
        anthropic_base_url=server.url,
        ai_registry_file=registry,
        **extra,
    )


async def records(app: App) -> list[dict[str, Any]]:
    return await list_usage(app, now_iso()[:10])


async def test_openai_chat_completions_answer_the_conversation(
    tmp_path: Path, server: WireServer
) -> None:
    app = wired_app(tmp_path, server)
    turn = await next_turn(
        AIContext(app, "u", "s"), ConversationState(brief="Dental ROI calculator")
    )
    assert turn.kind == "question" and turn.question is not None
    request = server.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["authorization"] == "Bearer sk-local-test"
    assert request["body"]["model"] == "gpt-4o-mini" and not request["body"].get("stream")
    (record,) = await records(app)
    assert (record["provider"], record["model"], record["success"]) == (
        "openai",
        "gpt-4o-mini",
        True,
    )
    assert (record["input_tokens"], record["output_tokens"]) == (USAGE_IN, USAGE_OUT)
    assert record["price_source"] == "genai-prices" and record["cost_usd"] > 0
    assert record["streamed"] is False and record["fallback_used"] is False


async def test_openai_streamed_tool_call_edits_the_tool(
    tmp_path: Path, server: WireServer, progress: ProgressLog
) -> None:
    app = wired_app(tmp_path, server)
    tool = get_template("roi-calculator")
    result = await edit_tool(AIContext(app), tool, "make the button green", progress)
    assert result.definition.theme.primary == "#15803d" and result.report.errors == []
    assert server.requests[0]["body"]["stream"] is True
    (record,) = await records(app)
    assert record["streamed"] is True and record["output_tokens"] == USAGE_OUT
    assert any("Received" in message for _, message in progress.events)


async def test_anthropic_streamed_messages_build_a_verified_tool(
    tmp_path: Path, server: WireServer, progress: ProgressLog
) -> None:
    app = wired_app(tmp_path, server)
    brief = BuildBrief(intent="Mortgage payment calculator", kind="calculator")
    state = ConversationState(brief=brief.intent)
    result = await build_tool(AIContext(app), brief, state, progress)
    assert result.report.errors == [] and not result.fell_back
    assert result.template_id is None  # a provider model built it, not the offline planner
    request = server.requests[0]
    assert request["path"] == "/v1/messages" and request["body"]["stream"] is True
    assert "sk-ant-local-test" in (
        request["headers"].get("x-api-key"),
        request["headers"].get("authorization", "").removeprefix("Bearer "),
    )
    (record,) = await records(app)
    assert (record["provider"], record["model"]) == ("anthropic", "claude-3-5-haiku-latest")
    assert (record["input_tokens"], record["output_tokens"]) == (USAGE_IN, USAGE_OUT)
    assert record["cost_usd"] > 0 and record["streamed"] is True


async def test_rate_limited_openai_falls_back_to_anthropic_over_the_wire(
    tmp_path: Path, server: WireServer
) -> None:
    server.fail_openai = True
    app = wired_app(tmp_path, server)
    turn = await next_turn(AIContext(app), ConversationState(brief="Leadership style quiz"))
    assert turn.kind == "question"
    failed, answered = await records(app)
    assert (failed["provider"], failed["success"], failed["error_kind"]) == (
        "openai", False, "rate_limit",
    )  # fmt: skip
    assert (answered["provider"], answered["fallback_used"], answered["success"]) == (
        "anthropic", True, True,
    )  # fmt: skip


async def test_price_overrides_win_over_the_price_library(
    tmp_path: Path, server: WireServer
) -> None:
    table = '{"openai:gpt-4o-mini": {"input_per_mtok": 1000, "output_per_mtok": 1000}}'
    app = wired_app(tmp_path, server, ai_price_overrides=table)
    await next_turn(AIContext(app), ConversationState(brief="Gym pricing calculator"))
    (record,) = await records(app)
    assert record["price_source"] == "override"
    assert record["cost_usd"] == pytest.approx((USAGE_IN + USAGE_OUT) / 1000)


async def test_openai_compatible_servers_are_reached_by_their_base_url(
    tmp_path: Path, server: WireServer, progress: ProgressLog
) -> None:
    registry = tmp_path / "registry.toml"
    registry.write_text(
        f'[processes.editor]\nprimary = "openai-compatible:llama3.1@{server.url}/v1"\n'
    )
    app = make_app(tmp_path, ai_registry_file=registry)
    result = await edit_tool(AIContext(app), get_template("roi-calculator"), "show euros", progress)
    assert result.definition.currency == "EUR"
    assert server.requests[0]["body"]["model"] == "llama3.1"
    (record,) = await records(app)
    assert (record["provider"], record["cost_usd"]) == ("openai-compatible", 0.0)
