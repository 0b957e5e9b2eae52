"""The AI layer's service functions: next question, build a verified tool, edit a tool."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pydantic_ai import Agent, capture_run_messages
from pydantic_ai.agent import AgentRunResult
from pydantic_ai.exceptions import FallbackExceptionGroup, ModelAPIError, UnexpectedModelBehavior
from pydantic_ai.messages import ModelMessage, ModelResponse
from pydantic_ai.models import Model
from pydantic_ai.models.fallback import FallbackModel

from keyvex.ai._reference import closest_examples
from keyvex.ai.agents import (
    ALREADY_SO,
    MAX_TRIES,
    AgentDeps,
    builder_agent,
    conversation_agent,
    editor_agent,
    stream_progress,
)
from keyvex.ai.models import (
    AIContext,
    BuildBrief,
    BuildResult,
    ConversationState,
    EditResult,
    NeedsModel,
    Progress,
    Turn,
)
from keyvex.ai.planner import MODEL_NAME, fit_report, offline_model
from keyvex.ai.planner import build as planner_build
from keyvex.ai.providers import Candidate, chain, model_settings, parse_model_name, registry
from keyvex.ai.registry import Process
from keyvex.ai.usage import RecordingModel, Sink
from keyvex.errors import Invalid, Unavailable
from keyvex.tools import ToolDefinition, parse_tool, verify

T = TypeVar("T")
PROVIDER_FAILURES = (ModelAPIError, FallbackExceptionGroup)


async def next_turn(
    ctx: AIContext,
    state: ConversationState,
    on_text: Callable[[str], Awaitable[None]] | None = None,
) -> Turn:
    """The next question for the creator, or ready-to-build with a build brief.

    With ``on_text`` the model's plain text is streamed to it as it arrives (the creator
    sees the reply being written); the structured answer still arrives whole.
    """
    payload = {"task": "conversation", "state": state.model_dump(mode="json")}
    deps = AgentDeps(ctx, on_text=on_text)
    stream = on_text is not None
    result = await _run(ctx, "conversation", conversation_agent, payload, deps, stream=stream)
    turn = result.output
    if turn.kind == "question" and turn.question is None:
        raise Invalid("The AI asked a question without a question; please try again.")
    if turn.kind == "ready" and turn.build_brief is None:
        raise Invalid("The AI was ready to build without a build brief; please try again.")
    return turn


async def build_tool(
    ctx: AIContext, brief: BuildBrief, state: ConversationState, progress: Progress
) -> BuildResult:
    """A verified tool for the brief: the builder's, repaired up to 3 tries, else the offline
    planner's composition from the knowledge base. Its fit to the brief is judged either way."""
    await progress("planning", f"Planning a {brief.kind} for: {brief.intent[:120]}")
    deps = AgentDeps(ctx, progress)
    payload: dict[str, Any] = {
        "task": "build",
        "brief": brief.model_dump(mode="json"),
        "state": state.model_dump(mode="json"),
    }
    if any(c.spec.provider != "offline" for c in chain(ctx.app, "builder")):
        # a model starts from reviewed structures; the offline planner composes them itself
        payload["examples"] = closest_examples(state.brief or brief.intent)
    with capture_run_messages() as messages:
        try:
            result = await _run(ctx, "builder", builder_agent, payload, deps, stream=True)
        except (UnexpectedModelBehavior, Unavailable) as exc:
            return await _template_fallback(brief, state, progress, _tries(messages), exc)
    assert deps.definition is not None and deps.report is not None
    offline = _offline(result.response)
    notes = result.output.notes
    source = brief.template_id if offline else None
    return BuildResult(
        definition=deps.definition,
        report=deps.report,
        template_id=source,
        attempts=max(1, _tries(messages)),
        fell_back=False,
        explanation=" ".join(p for p in (brief.explanation, notes) if p),
        fit=fit_report(state.brief or brief.intent, deps.definition, source).as_json(),
    )


async def edit_tool(
    ctx: AIContext, definition: ToolDefinition, request: str, progress: Progress
) -> EditResult:
    """The tool changed as asked, verified before it is returned (nothing applied otherwise).

    A request the tool already satisfies is not a failure: the result is the same tool with
    an empty patch and a summary starting "Already so:".
    """
    await progress("planning", "Reading your change request.")
    deps = AgentDeps(ctx, progress, original=definition)
    payload = {
        "task": "edit",
        "definition": definition.model_dump(mode="json"),
        "request": request,
    }
    try:
        result = await _run(ctx, "editor", editor_agent, payload, deps, stream=True)
    except UnexpectedModelBehavior:
        raise Invalid(
            f"No change passed verification after {MAX_TRIES} tries; the tool is unchanged."
        ) from None
    proposal = result.output
    if proposal.unsupported:
        error = NeedsModel if _offline(result.response) else Invalid
        raise error(proposal.unsupported)
    assert deps.definition is not None and deps.report is not None
    if _unchanged(definition, deps.definition):
        # Already true: a clear answer, not a failure, and nothing to save.
        return EditResult(
            definition=definition, report=deps.report, summary=_already_so(proposal.summary),
            patch=[],
        )  # fmt: skip
    return EditResult(
        definition=deps.definition, report=deps.report, summary=proposal.summary,
        patch=proposal.patch,
    )  # fmt: skip


def _unchanged(before: ToolDefinition, after: ToolDefinition) -> bool:
    return before.model_dump(mode="json") == after.model_dump(mode="json")


def _already_so(summary: str) -> str:
    """The editor's own 'Already so: ...' sentence, else a plain one."""
    if summary.strip().lower().startswith(ALREADY_SO.lower()):
        return summary.strip()
    return f"{ALREADY_SO} the tool already does what you asked, so nothing changed."


async def _run(
    ctx: AIContext,
    process: Process,
    agent: Agent[AgentDeps, T],
    payload: dict[str, Any],
    deps: AgentDeps,
    *,
    stream: bool = False,
) -> AgentRunResult[T]:
    """One agent run over the process's model chain; the offline planner rescues an outage."""
    candidates = chain(ctx.app, process)
    sink = Sink(ctx, process)
    settings = model_settings(registry(ctx.app).get(process))
    prompt = json.dumps(payload)
    handler = stream_progress if stream else None
    model = _chained([RecordingModel(c, i, sink) for i, c in enumerate(candidates)])
    try:
        # The model context closes the HTTP clients its providers opened for this run.
        async with model:
            return await agent.run(
                prompt, deps=deps, model=model, model_settings=settings,
                event_stream_handler=handler,
            )  # fmt: skip
    except PROVIDER_FAILURES as exc:
        if any(c.spec.provider == "offline" for c in candidates):
            raise Unavailable("The AI model is unavailable; please try again.") from exc
    await deps.say("planning", "The AI providers did not answer; using the offline planner.")
    rescue = Candidate(parse_model_name("offline"), offline_model())
    deps.requests = 0
    return await agent.run(
        prompt,
        deps=deps,
        model=RecordingModel(rescue, len(candidates), sink),
        model_settings=settings,
        event_stream_handler=handler,
    )


def _chained(models: list[RecordingModel]) -> Model:
    return models[0] if len(models) == 1 else FallbackModel(models[0], *models[1:])


def _offline(response: ModelResponse) -> bool:
    return response.model_name == MODEL_NAME


def _tries(messages: list[ModelMessage]) -> int:
    return sum(1 for m in messages if isinstance(m, ModelResponse))


async def _template_fallback(
    brief: BuildBrief,
    state: ConversationState,
    progress: Progress,
    attempts: int,
    exc: Exception,
) -> BuildResult:
    """The offline planner's composition, when the model's tools never verified."""
    await progress("repairing", "Falling back to the offline planner's knowledge base.")
    built = planner_build(brief, state)
    definition = parse_tool(built["definition"])
    report = await asyncio.to_thread(verify, definition)
    reason = "the AI model was unavailable" if isinstance(exc, Unavailable) else (
        f"the AI model's tool did not pass verification after {max(attempts, 1)} tries"
    )  # fmt: skip
    why = f"Because {reason}, I composed the tool from the offline knowledge base instead."
    source = str(built["source"])
    return BuildResult(
        definition=definition,
        report=report,
        template_id=source,
        attempts=attempts,
        fell_back=True,
        explanation=" ".join(p for p in (why, built.get("notes", "")) if p),
        fit=fit_report(state.brief or brief.intent, definition, source).as_json(),
    )
