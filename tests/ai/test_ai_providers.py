"""Registry, model names, provider fallback with usage records, and prices."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from pydantic_ai.exceptions import ModelHTTPError
from pydantic_ai.messages import ModelMessage, ModelResponse
from pydantic_ai.models.function import AgentInfo, FunctionModel

from keyvex.ai import AIContext, ConversationState, list_usage, next_turn, use_models
from keyvex.ai.planner import offline_model
from keyvex.ai.prices import call_cost, parse_overrides
from keyvex.ai.providers import chain, parse_model_name
from keyvex.ai.registry import load_registry
from keyvex.clock import now_iso
from keyvex.errors import ConfigError

from .conftest import make_app

pytestmark = pytest.mark.anyio


def rate_limited(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
    raise ModelHTTPError(429, "gpt-4o-mini", {"error": "slow down"})


async def test_fallback_answers_when_the_primary_fails_and_the_record_says_so(
    ctx: AIContext,
) -> None:
    use_models(
        ctx.app,
        "conversation",
        ("openai:gpt-4o-mini", FunctionModel(rate_limited)),
        ("anthropic:claude-3-5-haiku-latest", offline_model()),
    )
    turn = await next_turn(ctx, ConversationState(brief="Mortgage payment calculator"))
    assert turn.kind == "question"
    first, second = await list_usage(ctx.app, now_iso()[:10])
    assert (first["provider"], first["success"], first["error_kind"]) == (
        "openai",
        False,
        "rate_limit",
    )
    assert first["fallback_used"] is False
    assert (second["provider"], second["success"], second["fallback_used"]) == (
        "anthropic",
        True,
        True,
    )


async def test_offline_planner_rescues_when_every_provider_fails(ctx: AIContext) -> None:
    use_models(
        ctx.app,
        "conversation",
        ("openai:gpt-4o-mini", FunctionModel(rate_limited)),
        ("anthropic:claude-3-5-haiku-latest", FunctionModel(rate_limited)),
    )
    turn = await next_turn(ctx, ConversationState(brief="Mortgage payment calculator"))
    assert turn.kind == "question"
    records = await list_usage(ctx.app, now_iso()[:10])
    assert [(r["provider"], r["success"]) for r in records] == [
        ("openai", False),
        ("anthropic", False),
        ("offline", True),
    ]
    assert records[-1]["fallback_used"] is True


def test_without_keys_every_process_uses_the_offline_planner(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    for process in ("conversation", "builder", "editor", "brand", "data_mapping"):
        assert [c.spec.provider for c in chain(app, process)] == ["offline"]


def test_keys_enable_the_registry_models(tmp_path: Path) -> None:
    app = make_app(tmp_path, openai_api_key="sk-test", anthropic_api_key="sk-ant-test")
    names = [c.spec.name for c in chain(app, "builder")]
    assert names == ["openai:gpt-4o", "anthropic:claude-sonnet-4-5"]
    only_openai = make_app(tmp_path / "b", openai_api_key="sk-test")
    assert [c.spec.provider for c in chain(only_openai, "conversation")] == ["openai"]
    offline = make_app(tmp_path / "c", openai_api_key="sk-test", ai_offline=True)
    assert [c.spec.provider for c in chain(offline, "conversation")] == ["offline"]


def test_registry_file_overrides_the_shipped_one(tmp_path: Path) -> None:
    path = tmp_path / "registry.toml"
    path.write_text(
        '[processes.editor]\nprimary = "openai-compatible:llama3.1@http://127.0.0.1:11434/v1"\n'
        "temperature = 0.7\n"
    )
    registry = load_registry(path)
    editor = registry.get("editor")
    assert editor.primary.startswith("openai-compatible:") and editor.temperature == 0.7
    assert editor.fallback == "anthropic:claude-sonnet-4-5"  # untouched keys stay
    app = make_app(tmp_path, ai_registry_file=path)
    assert [c.spec.name for c in chain(app, "editor")] == [
        "openai-compatible:llama3.1@http://127.0.0.1:11434/v1"
    ]


def test_registry_refuses_unknown_processes_and_bad_values(tmp_path: Path) -> None:
    path = tmp_path / "registry.toml"
    path.write_text("[processes.poetry]\nprimary = 'offline'\n")
    with pytest.raises(ConfigError, match="poetry"):
        load_registry(path)
    path.write_text("[processes.editor]\ntemperature = 9\n")
    with pytest.raises(ConfigError, match="temperature"):
        load_registry(path)


@pytest.mark.parametrize(
    ("name", "provider", "model", "base_url"),
    [
        ("offline", "offline", "keyvex-planner", None),
        ("openai:gpt-4o-mini", "openai", "gpt-4o-mini", None),
        ("anthropic:claude-3-5-haiku-latest", "anthropic", "claude-3-5-haiku-latest", None),
        ("openai-compatible:llama3.1@http://127.0.0.1:11434/v1", "openai-compatible",
         "llama3.1", "http://127.0.0.1:11434/v1"),
    ],
)  # fmt: skip
def test_model_names_parse(name: str, provider: str, model: str, base_url: str | None) -> None:
    spec = parse_model_name(name)
    assert (spec.provider, spec.model, spec.base_url) == (provider, model, base_url)
    assert spec.name == name


@pytest.mark.parametrize("name", ["gpt-4o", "cohere:command", "openai-compatible:llama3.1"])
def test_bad_model_names_are_refused_in_one_sentence(name: str) -> None:
    with pytest.raises(ConfigError):
        parse_model_name(name)


def test_prices_come_from_overrides_then_genai_prices() -> None:
    overrides = parse_overrides(
        '{"openai:gpt-4o-mini": {"input_per_mtok": 1, "output_per_mtok": 2}}'
    )
    assert overrides == {"openai:gpt-4o-mini": (Decimal(1), Decimal(2))}
    assert call_cost("openai", "gpt-4o-mini", 1_000_000, 500_000, overrides) == (2.0, "override")
    cost, source = call_cost("openai", "gpt-4o-mini", 1000, 500, {})
    assert source == "genai-prices" and cost == pytest.approx(0.00045)
    assert call_cost("offline", "keyvex-planner", 10, 10, {}) == (0.0, "offline")
    assert call_cost("openai-compatible", "my-local-model", 10, 10, {}) == (0.0, "unknown")


def test_bad_price_overrides_are_a_settings_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="input_per_mtok"):
        make_app(tmp_path, ai_price_overrides='{"openai:gpt-4o": {"input": 1}}')
