"""The usage counters and figures on DynamoDB (moto): the same atomic adds, index queries,
versioned top lists, rollups and leader lists as on SQLite, the same sums."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from keyvex.accounts import sign_up
from keyvex.admin import usage_summary
from keyvex.admin._views import today
from keyvex.ai.usage_counters import count_call
from keyvex.app import build_app
from keyvex.settings import Settings

pytestmark = pytest.mark.anyio


async def test_figures_on_dynamodb_equal_the_hand_sums(dynamodb_table: str, tmp_path: Path) -> None:
    app = build_app(Settings(env="test", data_dir=tmp_path / "d", store_backend="dynamodb",
                             dynamodb_table=dynamodb_table))  # fmt: skip
    try:
        ann = (await sign_up(app, "ann@example.com", "correct horse battery")).id
        closed_day = (today() - timedelta(days=3)).isoformat()
        calls = [(closed_day, 0.25, True, 120), (closed_day, 0.0, False, 30000),
                 (today().isoformat(), 1.5, True, 800)]  # fmt: skip
        for n, (day, cost, ok, ms) in enumerate(calls):
            await count_call(app.store, {
                "at": f"{day}T0{n}:00:00+00:00", "process": "builder", "provider": "openai",
                "model": "gpt-4o", "input_tokens": 100, "output_tokens": 10, "cost_usd": cost,
                "latency_ms": ms, "success": ok, "error_kind": None if ok else "timeout",
                "user_id": ann, "session_id": "s-1",
            })  # fmt: skip
        start = today() - timedelta(days=6)
        for _ in range(2):  # the second reads the closed day from the process cache
            summary = await usage_summary(app, start, today())
            totals = summary.totals
            assert (totals.requests, totals.errors, totals.input_tokens) == (3, 1, 300)
            assert totals.cost_usd == pytest.approx(1.75)
            assert totals.error_kinds == {"timeout": 1}
            assert [s.email for s in summary.creators] == ["ann@example.com"]
            assert summary.creators[0].figures.cost_usd == pytest.approx(1.75)
            assert summary.tools[0].figures.requests == 3
            assert [c["cost_usd"] for c in summary.expensive] == [1.5, 0.25, 0.0]
        assert await app.store.get("AI_USAGE", f"ROLLUP#{closed_day}") is not None
        assert await app.store.get("AI_USAGE", f"LEADERS#AI_CREATORS#{closed_day}") is not None
    finally:
        app.close()
