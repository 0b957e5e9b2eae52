"""Side processes (ideas, data mapping): a model's answer is a refinement of what the offline
code already has, so no configured model, or a failing one, means "keep the offline answer".

``run_on_live_models`` runs an agent on the process's configured models (the offline planner
left out), recorded like every call, and returns None when there is none or when all of them
fail (logged); the caller keeps its offline answer then.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic_ai import Agent
from pydantic_ai.agent import AgentRunResult
from pydantic_ai.exceptions import FallbackExceptionGroup, ModelAPIError, UnexpectedModelBehavior
from pydantic_ai.models import Model
from pydantic_ai.models.fallback import FallbackModel

from keyvex.ai.models import AIContext
from keyvex.ai.providers import chain, model_settings, registry
from keyvex.ai.registry import Process
from keyvex.ai.usage import RecordingModel, Sink
from keyvex.logs import get_logger

T = TypeVar("T")
FAILURES = (ModelAPIError, FallbackExceptionGroup, UnexpectedModelBehavior)
log = get_logger("keyvex.ai")


async def run_on_live_models(
    ctx: AIContext, process: Process, agent: Agent[Any, T], prompt: str
) -> AgentRunResult[T] | None:
    """The agent's run on the configured models, or None (offline, or every model failed)."""
    live = [c for c in chain(ctx.app, process) if c.spec.provider != "offline"]
    if not live:
        return None
    sink = Sink(ctx, process)
    models = [RecordingModel(c, i, sink) for i, c in enumerate(live)]
    model: Model = models[0] if len(models) == 1 else FallbackModel(models[0], *models[1:])
    settings = model_settings(registry(ctx.app).get(process))
    try:
        async with model:  # closes the providers' HTTP clients after the run
            return await agent.run(prompt, model=model, model_settings=settings)
    except FAILURES as exc:
        log.warning(f"{process}_failed", error=type(exc).__name__)
        return None
