"""The model playground: an administrator sends a prompt, or a brief through the real
conversation agent, to a process's model chain or to any configured model, and sees the
answer with its tokens, cost and latency. Every request is recorded as usage with process
``playground`` (so it shows in the AI usage figures, never mixed with a creator's).

The offline planner is a target like any other, but it answers Keyvex's own tasks only: it
takes a brief (the conversation agent's first turn), not a free prompt.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic_ai import Agent
from pydantic_ai.exceptions import FallbackExceptionGroup, ModelAPIError, UnexpectedModelBehavior
from pydantic_ai.models.fallback import FallbackModel
from pydantic_ai.settings import ModelSettings

from keyvex.ai.agents import AgentDeps, conversation_agent
from keyvex.ai.models import AIContext, ConversationState
from keyvex.ai.prices import call_cost, parse_overrides
from keyvex.ai.providers import (
    Candidate,
    build_model,
    chain,
    is_configured,
    model_settings,
    parse_model_name,
    registry,
)
from keyvex.ai.registry import PROCESSES, ProcessConfig
from keyvex.ai.usage import RecordingModel, Sink
from keyvex.errors import Invalid

if TYPE_CHECKING:
    from keyvex.accounts import User
    from keyvex.ai.providers import ModelSpec
    from keyvex.app import App

PROCESS = "playground"
Mode = Literal["prompt", "brief"]
MAX_PROMPT = 8000
OFFLINE_PROMPT = (
    "The offline planner answers Keyvex's own tasks, not free prompts: choose 'A brief "
    "through the conversation agent', or a model with an API key."
)
_text_agent = Agent(None, output_type=str, name="playground")


@dataclass(frozen=True, slots=True)
class Target:
    """What can be asked: a process's chain (``process:NAME``) or one model (``model:NAME``)."""

    value: str
    label: str
    usable: bool


@dataclass(slots=True)
class Call:
    """One model request of a run, as recorded."""

    provider: str
    model: str
    input_tokens: int
    output_tokens: int
    cost_usd: float
    latency_ms: float
    success: bool
    error_kind: str | None
    fallback: bool


@dataclass(slots=True)
class PlaygroundRun:
    target: str
    mode: Mode
    prompt: str
    answer: str = ""
    #: Brief mode: the turn in sentences (its message, the questions, the planned tool).
    summary: list[str] = field(default_factory=list)
    error: str = ""
    latency_ms: float = 0.0
    calls: list[Call] = field(default_factory=list)

    @property
    def input_tokens(self) -> int:
        return sum(c.input_tokens for c in self.calls)

    @property
    def output_tokens(self) -> int:
        return sum(c.output_tokens for c in self.calls)

    @property
    def cost_usd(self) -> float:
        return sum(c.cost_usd for c in self.calls)

    def as_json(self) -> dict[str, Any]:
        return {
            "target": self.target, "mode": self.mode, "answer": self.answer,
            "summary": self.summary, "error": self.error, "latency_ms": self.latency_ms,
            "input_tokens": self.input_tokens, "output_tokens": self.output_tokens,
            "cost_usd": self.cost_usd, "calls": [asdict(c) for c in self.calls],
        }  # fmt: skip


@dataclass
class _Sink(Sink):
    """Records as usual (process ``playground``) and keeps each call for the page."""

    calls: list[Call] = field(default_factory=list)

    async def write(self, candidate: Candidate, position: int, **fields: Any) -> None:
        await super().write(candidate, position, **fields)
        spec = candidate.spec
        tokens_in, tokens_out = fields.get("input_tokens", 0), fields.get("output_tokens", 0)
        overrides = parse_overrides(self.ctx.app.settings.ai_price_overrides)
        cost, _ = call_cost(spec.provider, spec.model, tokens_in, tokens_out, overrides)
        self.calls.append(
            Call(spec.provider, spec.model, tokens_in, tokens_out, float(cost),
                 float(fields.get("latency_ms", 0.0)), bool(fields.get("success")),
                 fields.get("error_kind"), position > 0)
        )  # fmt: skip


def targets(app: App) -> list[Target]:
    """Every process (its chain as configured now) and every model the registry names."""
    found = []
    names: list[str] = ["offline"]
    for process in PROCESSES:
        config = registry(app).get(process)
        chain_names = " → ".join(c.spec.name for c in chain(app, process))
        found.append(Target(f"process:{process}", f"Process: {process} ({chain_names})", True))
        names += [n for n in (config.primary, config.fallback) if n and n not in names]
    for name in names:
        spec = parse_model_name(name)
        usable = is_configured(spec, app.settings) and not (
            app.settings.ai_offline and spec.provider != "offline"
        )
        note = "" if usable else " (no API key)"
        if spec.provider == "offline":
            note = " (the built-in planner, no API key needed)"
        found.append(Target(f"model:{spec.name}", f"Model: {spec.name}{note}", usable))
    return found


def _candidates(app: App, target: str) -> tuple[list[Candidate], ProcessConfig]:
    kind, _, name = target.partition(":")
    if kind == "process" and name in PROCESSES:
        return chain(app, name), registry(app).get(name)
    if kind == "model":
        known = {t.value: t for t in targets(app)}
        found = known.get(target)
        if found is None:
            raise Invalid("Choose a model the registry names.", fields={"target": "Unknown."})
        if not found.usable:
            raise Invalid("This model has no API key configured.", fields={"target": "No key."})
        spec: ModelSpec = parse_model_name(name)
        return [Candidate(spec, build_model(spec, app.settings))], ProcessConfig.model_validate({})
    raise Invalid("Choose a process or a model.", fields={"target": "Unknown."})


async def run_playground(
    app: App, admin: User, target: str, mode: Mode, prompt: str
) -> PlaygroundRun:
    """Send ``prompt`` (a free prompt, or a brief for the conversation agent) to ``target``;
    the run's answer or its failure as a sentence, with every recorded call."""
    prompt = prompt.strip()
    if not prompt:
        raise Invalid("Write a prompt first.", fields={"prompt": "Required."})
    if len(prompt) > MAX_PROMPT:
        raise Invalid("The prompt is too long.", fields={"prompt": f"At most {MAX_PROMPT}."})
    candidates, config = _candidates(app, target)
    if mode == "prompt" and all(c.spec.provider == "offline" for c in candidates):
        raise Invalid(OFFLINE_PROMPT, fields={"mode": "Use a brief."})
    sink = _Sink(AIContext(app, user_id=admin.id, session_id=None), PROCESS)
    models = [RecordingModel(c, i, sink) for i, c in enumerate(candidates)]
    model = models[0] if len(models) == 1 else FallbackModel(models[0], *models[1:])
    run = PlaygroundRun(target, mode, prompt)
    started = time.perf_counter()
    try:
        async with model:
            run.answer, run.summary = await _ask(model, mode, prompt, sink.ctx,
                                                 model_settings(config))  # fmt: skip
    except (ModelAPIError, FallbackExceptionGroup, UnexpectedModelBehavior) as exc:
        run.error = f"The model did not answer: {_reason(exc)}"
    run.latency_ms = round((time.perf_counter() - started) * 1000, 1)
    run.calls = sink.calls
    return run


async def _ask(
    model: Any, mode: Mode, prompt: str, ctx: AIContext, settings: ModelSettings
) -> tuple[str, list[str]]:
    if mode == "prompt":
        result = await _text_agent.run(prompt, model=model, model_settings=settings)
        return result.output, []
    payload = {"task": "conversation", "state": ConversationState(brief=prompt).model_dump()}
    run = await conversation_agent.run(
        json.dumps(payload), deps=AgentDeps(ctx), model=model, model_settings=settings
    )
    turn = run.output
    summary = [turn.message] if turn.message else []
    questions = ([turn.question] if turn.question else []) + list(turn.plan)
    summary += [f"Asks: {q.prompt} ({q.input_type})" for q in questions]
    if turn.build_brief is not None:
        summary.append(f"Plans a {turn.build_brief.kind}: {turn.build_brief.intent}")
    return json.dumps(turn.model_dump(mode="json", exclude_defaults=True), indent=2), summary


def _reason(exc: BaseException) -> str:
    if isinstance(exc, FallbackExceptionGroup):
        return "; ".join(_reason(e) for e in exc.exceptions)
    return str(exc)[:300] or type(exc).__name__
