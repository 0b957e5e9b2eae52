"""The module-level agents: conversation, builder and editor, with typed, verified outputs."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import jsonpatch
from pydantic import BaseModel, Field
from pydantic_ai import Agent, ModelRetry, RunContext
from pydantic_ai.messages import (
    AgentStreamEvent,
    PartDeltaEvent,
    PartStartEvent,
    TextPart,
    TextPartDelta,
    ToolCallPartDelta,
)

from keyvex.ai import _prompts
from keyvex.ai.models import AIContext, EditProposal, Progress, Turn
from keyvex.tools import ToolDefinition, ToolValidationError, VerificationReport, parse_tool, verify

MAX_TRIES = 3
#: How an editor's summary starts when the request is already true (nothing to change).
ALREADY_SO = "Already so:"


@dataclass
class AgentDeps:
    """What an agent run needs besides the prompt; verified results are left here."""

    ctx: AIContext
    progress: Progress | None = None
    original: ToolDefinition | None = None
    definition: ToolDefinition | None = None
    report: VerificationReport | None = None
    requests: int = 0
    #: Receives the model's plain-text deltas as they stream (shown to the creator live).
    on_text: Callable[[str], Awaitable[None]] | None = None

    async def say(self, stage: str, message: str) -> None:
        if self.progress is not None:
            await self.progress(stage, message)


class BuildDraft(BaseModel):
    """The builder's answer: a definition and a note on the choices made."""

    definition: ToolDefinition
    notes: str = Field(default="", description="One or two sentences on the choices made.")


conversation_agent = Agent(
    None,
    output_type=Turn,
    deps_type=AgentDeps,
    instructions=_prompts.CONVERSATION,
    name="conversation",
    retries=2,
)
builder_agent = Agent(
    None,
    output_type=BuildDraft,
    deps_type=AgentDeps,
    instructions=_prompts.BUILDER,
    name="builder",
    retries=MAX_TRIES - 1,
)
editor_agent = Agent(
    None,
    output_type=EditProposal,
    deps_type=AgentDeps,
    instructions=_prompts.EDITOR,
    name="editor",
    retries=MAX_TRIES - 1,
)


def feedback(report: VerificationReport) -> str:
    """The verification errors as the text sent back to the model."""
    lines = [f"- {issue.path}: {issue.message} ({issue.code})" for issue in report.errors[:20]]
    return "The tool failed verification; fix these and answer again:\n" + "\n".join(lines)


async def _verified(deps: AgentDeps, tool: ToolDefinition) -> VerificationReport:
    await deps.say("verifying", "Checking formulas, ranges, test cases and contrast.")
    report = await asyncio.to_thread(verify, tool)
    if report.errors:
        await deps.say("repairing", f"Verification found {len(report.errors)} problem(s).")
        raise ModelRetry(feedback(report))
    return report


@builder_agent.output_validator
async def _check_build(ctx: RunContext[AgentDeps], draft: BuildDraft) -> BuildDraft:
    ctx.deps.report = await _verified(ctx.deps, draft.definition)
    ctx.deps.definition = draft.definition
    return draft


@editor_agent.output_validator
async def _check_edit(ctx: RunContext[AgentDeps], proposal: EditProposal) -> EditProposal:
    deps = ctx.deps
    if proposal.unsupported:
        return proposal
    assert deps.original is not None
    before = deps.original.model_dump(mode="json")
    if not proposal.patch and proposal.definition is None and _already_so(proposal):
        deps.report = await _verified(deps, deps.original)
        deps.definition = deps.original
        return proposal
    changed = _proposed(before, proposal)
    deps.report = await _verified(deps, changed)
    deps.definition = changed
    if not proposal.patch:
        proposal.patch = list(jsonpatch.make_patch(before, changed.model_dump(mode="json")))
    return proposal


def _already_so(proposal: EditProposal) -> bool:
    """The editor says the tool already does what was asked (no patch needed)."""
    return proposal.summary.strip().lower().startswith(ALREADY_SO.lower())


def _proposed(before: dict[str, Any], proposal: EditProposal) -> ToolDefinition:
    """The definition a proposal leads to; ModelRetry says what is wrong with it."""
    if proposal.definition is not None:
        data = proposal.definition
    elif proposal.patch:
        try:
            data = jsonpatch.apply_patch(before, proposal.patch)
        except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException) as exc:
            raise ModelRetry(f"The JSON Patch does not apply: {exc}.") from None
    else:
        raise ModelRetry(
            "Give a JSON Patch, a full definition, or say why in `unsupported`; if the tool "
            f"already does what was asked, start the summary with '{ALREADY_SO}'."
        )
    try:
        return parse_tool(data)
    except ToolValidationError as exc:
        raise ModelRetry(f"The changed definition is invalid: {exc.message}") from None


async def _forward_text(deps: AgentDeps, event: PartStartEvent | PartDeltaEvent) -> None:
    """Plain text the model writes (not tool-call JSON) goes to the creator as it arrives."""
    if deps.on_text is None:
        return
    if isinstance(event, PartStartEvent) and isinstance(event.part, TextPart):
        text = event.part.content
    elif isinstance(event, PartDeltaEvent) and isinstance(event.delta, TextPartDelta):
        text = event.delta.content_delta
    else:
        return
    if text:
        await deps.on_text(text)


async def stream_progress(
    ctx: RunContext[AgentDeps], events: AsyncIterable[AgentStreamEvent]
) -> None:
    """Streams each model request and reports drafting progress (a second try is a repair)."""
    deps = ctx.deps
    received, started = 0, False
    async for event in events:
        if not isinstance(event, PartStartEvent | PartDeltaEvent):
            continue
        if not started:
            started = True
            deps.requests += 1
            if deps.requests > 1:
                await deps.say("repairing", f"Try {deps.requests} of {MAX_TRIES}: fixing it.")
            await deps.say("drafting", "Drafting.")
        if isinstance(event, PartDeltaEvent) and isinstance(event.delta, ToolCallPartDelta):
            args = event.delta.args_delta
            received += len(args) if isinstance(args, str) else 0
        await _forward_text(deps, event)
    if received:
        await deps.say("drafting", f"Received {received:,} characters.")
