"""AI fixtures: a real app on a temporary SQLite store; model requests forbidden by default."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pydantic_ai.models
import pytest

from keyvex.ai import AIContext, ConversationState, Turn, next_turn
from keyvex.app import App, build_app
from keyvex.settings import Settings


@pytest.fixture(autouse=True)
def _no_model_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only FunctionModel/offline answers unless a test opts in (the local-server tests)."""
    monkeypatch.setattr(pydantic_ai.models, "ALLOW_MODEL_REQUESTS", False)


def make_app(tmp_path: Path, **settings: Any) -> App:
    return build_app(Settings(env="test", data_dir=tmp_path / "data", **settings))


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    built = make_app(tmp_path)
    yield built
    built.close()


@pytest.fixture
def ctx(app: App) -> AIContext:
    return AIContext(app, user_id="user-1", session_id="session-1")


class ProgressLog:
    """A Progress callback that remembers every (stage, message)."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []

    async def __call__(self, stage: str, message: str) -> None:
        self.events.append((stage, message))

    @property
    def stages(self) -> list[str]:
        return [stage for stage, _ in self.events]


@pytest.fixture
def progress() -> ProgressLog:
    return ProgressLog()


async def converse(
    ctx: AIContext, brief: str, answers: dict[str, Any] | None = None
) -> tuple[Turn, ConversationState]:
    """Answer every question (given answers, else its default) until the agent is ready."""
    state = ConversationState(brief=brief)
    for _ in range(10):
        turn = await next_turn(ctx, state)
        if turn.kind == "ready":
            return turn, state
        assert turn.question is not None
        state.asked.append(turn.question)
        given = (answers or {}).get(turn.question.id, turn.question.default)
        state.answers[turn.question.id] = given
    raise AssertionError("the conversation never became ready")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
