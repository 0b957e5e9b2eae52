"""Usage figures from real agent runs (FunctionModels through the recording wrapper),
checked against sums worked out by hand."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import anyio
import pytest
from pydantic_ai.exceptions import ModelHTTPError
from pydantic_ai.messages import ModelMessage, ModelResponse, ToolCallPart
from pydantic_ai.models.function import AgentInfo, FunctionModel
from pydantic_ai.usage import RequestUsage

from keyvex.accounts import sign_up
from keyvex.admin import latency_percentile, usage_summary
from keyvex.ai import AIContext, ConversationState, next_turn, use_models
from keyvex.ai.usage_counters import LATENCY_BUCKETS_MS, count_call, latency_bucket
from keyvex.app import App, build_app
from keyvex.clock import now_iso
from keyvex.settings import Settings

pytestmark = pytest.mark.anyio
#: Hand-checkable prices: $1 per million input tokens, $2 per million output tokens.
PRICES = {
    "openai:gpt-4o-mini": {"input_per_mtok": 1.0, "output_per_mtok": 2.0},
    "anthropic:claude-3-5-haiku-latest": {"input_per_mtok": 10.0, "output_per_mtok": 20.0},
}
TURN = {"kind": "question", "message": "One question.",
        "question": {"id": "q1", "prompt": "Who is it for?", "input_type": "text"}}  # fmt: skip


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    built = build_app(
        Settings(env="test", data_dir=tmp_path / "d", ai_price_overrides=json.dumps(PRICES))
    )
    yield built
    built.close()


def answering(input_tokens: int, output_tokens: int, pause: float = 0.0) -> FunctionModel:
    async def answer(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        await anyio.sleep(pause)
        call = ToolCallPart(info.output_tools[0].name, TURN)
        return ModelResponse(
            parts=[call], usage=RequestUsage(input_tokens=input_tokens, output_tokens=output_tokens)
        )

    return FunctionModel(answer)


def failing(status: int) -> FunctionModel:
    def fail(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        raise ModelHTTPError(status, "gpt-4o-mini", {"error": "no"})

    return FunctionModel(fail)


async def turn(app: App, user: str, session: str) -> None:
    ctx = AIContext(app, user_id=user, session_id=session)
    await next_turn(ctx, ConversationState(brief="A mortgage payment calculator"))


async def test_figures_of_real_runs_equal_the_hand_sums(app: App) -> None:
    ann = (await sign_up(app, "ann@example.com", "correct horse battery")).id
    bob = (await sign_up(app, "bob@example.com", "correct horse battery")).id
    # Two turns answered by OpenAI (1,000 in / 500 out: $0.001 + $0.001 = $0.002 each) ...
    use_models(app, "conversation", ("openai:gpt-4o-mini", answering(1000, 500)))
    await turn(app, ann, "s-1")
    await turn(app, ann, "s-1")
    # ... then one where OpenAI is rate limited and Anthropic answers (200 in / 100 out:
    # $0.002 + $0.002 = $0.004), and one where OpenAI fails with a 500 and Anthropic answers.
    use_models(
        app,
        "conversation",
        ("openai:gpt-4o-mini", failing(429)),
        ("anthropic:claude-3-5-haiku-latest", answering(200, 100)),
    )
    await turn(app, bob, "s-2")
    use_models(
        app,
        "conversation",
        ("openai:gpt-4o-mini", failing(500)),
        ("anthropic:claude-3-5-haiku-latest", answering(200, 100)),
    )
    await turn(app, bob, "s-3")

    day = today()
    summary = await usage_summary(app, day, day)
    totals = summary.totals
    assert (totals.requests, totals.errors, totals.fallbacks) == (6, 2, 2)
    assert (totals.input_tokens, totals.output_tokens) == (2400, 1200)
    assert totals.cost_usd == pytest.approx(0.002 * 2 + 0.004 * 2)
    assert totals.error_rate == pytest.approx(2 / 6)
    assert totals.fallback_rate == pytest.approx(2 / 6)
    assert totals.error_kinds == {"rate_limit": 1, "server_error": 1}
    assert summary.day(day).cost_usd == pytest.approx(0.012)

    models = dict(summary.by_model)
    openai, anthropic = models["openai:gpt-4o-mini"], models["anthropic:claude-3-5-haiku-latest"]
    assert (openai.requests, openai.errors, openai.cost_usd) == (4, 2, pytest.approx(0.004))
    assert (anthropic.requests, anthropic.errors, anthropic.fallbacks) == (2, 0, 2)
    assert anthropic.cost_usd == pytest.approx(0.008)
    failing_model = summary.most_failing_model()
    assert failing_model is not None and failing_model[0] == "openai:gpt-4o-mini"
    assert [name for name, _ in summary.by_process] == ["conversation"]
    assert [name for name, _ in summary.by_provider] == ["anthropic", "openai"]

    creators = {s.uid: s.figures for s in summary.creators}
    assert creators[bob].cost_usd == pytest.approx(0.008)
    assert creators[ann].cost_usd == pytest.approx(0.004)
    assert [s.email for s in summary.creators] == ["bob@example.com", "ann@example.com"]
    sessions = {t.session_id: t.figures for t in summary.tools}
    assert sessions["s-1"].requests == 2 and sessions["s-3"].requests == 2
    assert sessions["s-2"].cost_usd == pytest.approx(0.004)

    costs = [call["cost_usd"] for call in summary.expensive]
    assert costs == sorted(costs, reverse=True) and len(costs) == 6
    assert costs[0] == pytest.approx(0.004)

    only_openai = await usage_summary(app, day, day, provider="openai")
    assert (only_openai.totals.requests, only_openai.totals.errors) == (4, 2)
    only_process = await usage_summary(app, day, day, process="conversation")
    assert only_process.totals.requests == 6
    assert (await usage_summary(app, day, day, process="builder")).totals.requests == 0


async def test_latency_percentiles_come_from_the_fixed_buckets(app: App) -> None:
    use_models(app, "conversation", ("openai:gpt-4o-mini", answering(10, 10, pause=0.03)))
    await turn(app, "u-ann", "s-1")
    day = today()
    summary = await usage_summary(app, day, day)
    # 30 ms and more falls in the 25-50 ms bucket: p50 is interpolated inside it.
    p50 = summary.totals.p50_ms
    assert p50 is not None and 25 <= p50 <= 50

    # 100 calls: 90 at 40 ms, 10 at 3 s -> p50 in (25, 50], p95 in (2500, 5000].
    for n in range(100):
        await count_call(app.store, {
            "at": now_iso(), "process": "builder", "provider": "openai", "model": "m",
            "latency_ms": 40 if n < 90 else 3000, "success": True, "cost_usd": 0.0,
        })  # fmt: skip
    built = (await usage_summary(app, day, day, process="builder")).totals
    assert built.p50_ms is not None and 25 < built.p50_ms <= 50
    assert built.p95_ms is not None and 2500 < built.p95_ms <= 5000
    assert built.mean_latency_ms == pytest.approx((90 * 40 + 10 * 3000) / 100)


def test_latency_buckets_and_percentile_edges() -> None:
    assert latency_bucket(0) == 0
    assert latency_bucket(10) == 0
    assert latency_bucket(10.01) == 1
    assert latency_bucket(10**9) == len(LATENCY_BUCKETS_MS)
    counts = [0] * (len(LATENCY_BUCKETS_MS) + 1)
    assert latency_percentile(counts, 0.5) is None
    counts[-1] = 3
    assert latency_percentile(counts, 0.95) == LATENCY_BUCKETS_MS[-1]
    counts = [0] * len(counts)
    counts[3] = 4  # four calls in (50, 100]: the median is half way through the bucket
    assert latency_percentile(counts, 0.5) == 75.0


def today() -> date:
    from datetime import date

    return date.fromisoformat(now_iso()[:10])


async def test_closed_days_read_from_the_cache_give_the_same_figures(app: App) -> None:
    old = (today() - timedelta(days=5)).isoformat()
    for n in range(3):
        await count_call(app.store, {
            "at": f"{old}T0{n}:00:00+00:00", "process": "builder", "provider": "openai",
            "model": "m", "input_tokens": 100, "output_tokens": 10, "cost_usd": 0.5,
            "latency_ms": 200, "success": n != 2, "error_kind": "timeout",
        })  # fmt: skip
    start = today() - timedelta(days=6)
    first = await usage_summary(app, start, today())
    second = await usage_summary(app, start, today())  # the closed days from the cache
    assert first.totals.as_json() == second.totals.as_json()
    assert [(d, f.as_json()) for d, f in first.days] == [(d, f.as_json()) for d, f in second.days]
    assert (second.totals.requests, second.totals.errors) == (3, 1)
    # Another process (caches empty) reads the closed day from its rollup item.
    assert await app.store.get("AI_USAGE", f"ROLLUP#{old}") is not None
    other = build_app(app.settings)
    try:
        fresh = await usage_summary(other, start, today())
    finally:
        other.close()
    assert fresh.totals.as_json() == first.totals.as_json()
    assert [r.figures.as_json() for r in fresh.rows] == [r.figures.as_json() for r in first.rows]
    await count_call(app.store, {
        "at": now_iso(), "process": "editor", "provider": "openai", "model": "m",
        "input_tokens": 1, "output_tokens": 1, "cost_usd": 0.25, "latency_ms": 20,
        "success": True,
    })  # fmt: skip
    third = await usage_summary(app, start, today())  # today is never cached
    assert third.totals.requests == 4 and third.totals.cost_usd == pytest.approx(1.75)
    assert [name for name, _ in third.by_process] == ["builder", "editor"]
    assert len(third.rows) == 2
